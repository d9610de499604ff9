"""Chapter 13's "Beside a real Erlang node" (issue 24): the notebook with and without Erlang.

nbval checks the saved outputs when ``erl`` runs here, and skips the cells tagged
``needs-erl`` when it does not (notebooks/conftest.py).  These tests check what
nbval cannot: a learner *without* Erlang who runs every cell gets the install
note, no error, and exactly the saved outputs everywhere outside the section (so
the section hands the virtual-clock runtime back intact); and with Erlang, the
section leaves no erl node and no epmd name behind.
"""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nbbuild  # noqa: E402

NAME = "13_distributed_architectures"
pytestmark = pytest.mark.timeout(300)


def _text(cell):
    out = []
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            out.append((o["name"], o["text"]))
        elif "data" in o:
            out.append((o["output_type"], o["data"].get("text/plain")))
        else:
            out.append((o["output_type"], o.get("ename")))
    return out


def _run(monkeypatch, no_erl):
    import nbformat
    if no_erl:
        monkeypatch.setenv("OTP_LAB_NO_ERL", "1")     # the kernel inherits it: erl_available() says no
    else:
        monkeypatch.delenv("OTP_LAB_NO_ERL", raising=False)
    srcs = nbbuild.sources()
    src = next(s for s in srcs if s.stem == NAME)
    nb = nbbuild.make_notebook(nbbuild.expected_cells(src, srcs))
    nbbuild.execute(nb)                                   # raises if any cell fails
    saved = nbformat.read(nbbuild.NB_DIR / f"{NAME}.ipynb", as_version=4)
    return nb, saved


def _code(nb):
    return [c for c in nb.cells if c["cell_type"] == "code"]


def test_without_erlang_the_section_skips_and_the_rest_is_unchanged(monkeypatch):
    nb, saved = _run(monkeypatch, no_erl=True)
    got, want = _code(nb), _code(saved)
    assert [c["source"] for c in got] == [c["source"] for c in want]
    tagged = [i for i, c in enumerate(got) if "needs-erl" in c["metadata"].get("tags", [])]
    assert tagged and tagged == list(range(tagged[0], tagged[-1] + 1)), "one run of needs-erl cells"
    first = _text(got[tagged[0]])
    assert len(first) == 1 and first[0][0] == "stdout"
    note = first[0][1]
    assert "Skipping this section" in note and "apt-get install erlang-nox" in note
    assert "https://www.erlang.org/downloads" in note
    for i in tagged[1:]:
        assert _text(got[i]) == [], f"cell {i + 1} printed without Erlang: {_text(got[i])}"
    for i, (g, w) in enumerate(zip(got, want)):
        if i not in tagged:
            assert _text(g) == _text(w), f"code cell {i + 1} differs from the saved notebook"


def test_with_erlang_no_node_is_left_behind(monkeypatch):
    from tools.erl_node import erl_available, epmd_names
    if not erl_available():
        pytest.skip(erl_available().reason)
    psutil = pytest.importorskip("psutil")
    nb, saved = _run(monkeypatch, no_erl=False)
    assert [_text(c) for c in _code(nb)] == [_text(c) for c in _code(saved)]
    names = epmd_names() or {}
    assert "peer" not in names and "lab" not in names, names
    leftovers = [p.info["cmdline"] for p in psutil.process_iter(["cmdline"])
                 if "peer@127.0.0.1" in (p.info["cmdline"] or [])]
    assert leftovers == []
