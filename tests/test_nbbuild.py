"""tools/nbbuild.py: every notebook matches its source in notebooks/src/, and staleness is caught."""
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nbbuild  # noqa: E402


def test_every_notebook_matches_its_source():
    srcs = nbbuild.sources()
    assert srcs, "no notebook sources in notebooks/src"
    stale = {s.stem: nbbuild.stale_reason(s, nbbuild.NB_DIR / (s.stem + ".ipynb"), srcs) for s in srcs}
    stale = {k: v for k, v in stale.items() if v}
    assert not stale, f"rebuild with `python tools/nbbuild.py <name>`: {stale}"


def test_every_notebook_has_a_source():
    srcs = {s.stem for s in nbbuild.sources()}
    for nb in nbbuild.NB_DIR.glob("[0-9][0-9]_*.ipynb"):
        assert nb.stem in srcs, f"{nb.name} has no source notebooks/src/{nb.stem}.py"


def _copy(tmp_path, name="00_start_here"):
    src_dir = tmp_path / "src"
    src_dir.mkdir()
    shutil.copy(nbbuild.SRC_DIR / f"{name}.py", src_dir)
    shutil.copy(nbbuild.NB_DIR / f"{name}.ipynb", tmp_path)
    return src_dir / f"{name}.py", tmp_path / f"{name}.ipynb"


def test_edit_in_src_without_rebuild_is_stale(tmp_path):
    src, ipynb = _copy(tmp_path)
    srcs = [src]
    assert nbbuild.stale_reason(src, ipynb, srcs) is None
    src.write_text(src.read_text().replace("erlang.self()\n", "erlang.self()  # edited\n", 1))
    assert "differs from src" in nbbuild.stale_reason(src, ipynb, srcs)
    assert nbbuild.main(["--check", "--src", str(src.parent), "--out", str(tmp_path)]) == 1


def test_edit_in_ipynb_and_partial_run_are_stale(tmp_path):
    src, ipynb = _copy(tmp_path)
    nb = json.loads(ipynb.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    code[1]["execution_count"] = 7
    ipynb.write_text(json.dumps(nb))
    assert "execution_count" in nbbuild.stale_reason(src, ipynb, [src])


def test_markdown_only_change_refreshes_without_executing(tmp_path):
    src, ipynb = _copy(tmp_path)
    src.write_text(src.read_text().replace("Three rules explain", "Three rules explain (edited)"))
    before = [c.get("outputs") for c in json.loads(ipynb.read_text())["cells"]]
    nbbuild.build(src, [src], nb_dir=tmp_path, log=lambda *a: None)   # would need a kernel if it executed
    after = json.loads(ipynb.read_text())["cells"]
    assert [c.get("outputs") for c in after] == before
    assert nbbuild.stale_reason(src, ipynb, [src]) is None


def test_parse_percent_format():
    cells = nbbuild.parse('header ignored\n# %% [markdown]\n# # Title\n#\n# text\n\n'
                          '# %%\nx = 1\n\n# %% tags=["raises-exception"]\n1/0\n')
    assert [(c["type"], c["source"], c["tags"]) for c in cells] == [
        ("markdown", "# Title\n\ntext", []), ("code", "x = 1", []),
        ("code", "1/0", ["raises-exception"])]


def test_one_h1_per_notebook():
    for src in nbbuild.sources():
        cells = nbbuild.parse(src.read_text())
        h1 = [line for c in cells if c["type"] == "markdown"
              for line in _outside_fences(c["source"]) if line.startswith("# ")]
        assert len(h1) == 1, f"{src.name}: one H1 (the title) per notebook, found {h1}"


def _outside_fences(text):
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced:
            yield line


def test_stream_chunks_are_merged():
    """ipykernel flushes stdout in chunks where its buffer happens to fill; the saved
    notebook has one output per run of the same stream, so it is the same on every build."""
    from nbbuild import _merge_streams
    outs = [{"output_type": "stream", "name": "stdout", "text": "a"},
            {"output_type": "stream", "name": "stdout", "text": ["b\n", "c\n"]},
            {"output_type": "stream", "name": "stderr", "text": "e\n"},
            {"output_type": "execute_result", "data": {}, "metadata": {}, "execution_count": 1},
            {"output_type": "stream", "name": "stdout", "text": "d\n"}]
    got = _merge_streams(outs)
    assert [o.get("text") for o in got] == ["ab\nc\n", "e\n", None, "d\n"]
