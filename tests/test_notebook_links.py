"""Every cross-reference between the notebooks, the labs and the README resolves.

Scans markdown links ``[text](target)`` and HTML ``href``/``src`` in README.md,
every notebook's markdown cells, and every markdown file and notebook under
labs/.  Web links and pure ``#anchors`` are skipped; a relative target must
exist on disk (its ``#fragment`` is ignored).
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|(?:href|src)=\"([^\"]+)\"")
FENCE = re.compile(r"```.*?```", re.S)


def _docs():
    out = [ROOT / "README.md"]
    out += sorted((ROOT / "notebooks").glob("*.ipynb"))
    out += sorted((ROOT / "notebooks").glob("*.md"))
    labs = ROOT / "labs"
    if labs.exists():
        out += sorted(p for p in labs.rglob("*.md") if ".ipynb_checkpoints" not in p.parts)
        out += sorted(p for p in labs.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return [p for p in out if p.exists()]


def _markdown_of(path):
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text())
        return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return path.read_text()


def links_in(text):
    text = FENCE.sub("", text)
    for m in LINK.finditer(text):
        target = m.group(1) or m.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        yield target


def broken_links(path):
    bad = []
    for target in links_in(_markdown_of(path)):
        rel = target.split("#", 1)[0]
        if rel and not (path.parent / rel).exists():
            bad.append(target)
    return bad


DOCS = _docs()


@pytest.mark.parametrize("path", DOCS, ids=[str(p.relative_to(ROOT)) for p in DOCS])
def test_links_resolve(path):
    bad = broken_links(path)
    assert not bad, f"{path.relative_to(ROOT)} links to missing files: {bad}"


def test_every_notebook_has_nav_at_top_and_bottom():
    nbs = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert nbs, "no notebooks found"
    for nb_path in nbs:
        cells = json.loads(nb_path.read_text())["cells"]
        for cell in (cells[0], cells[-1]):
            assert "".join(cell["source"]).startswith("<!--NAVIGATION-->"), \
                f"{nb_path.name}: first and last cells must be the generated nav (python tools/nbbuild.py)"


def test_start_here_links_every_notebook():
    start = _markdown_of(ROOT / "notebooks" / "00_start_here.ipynb")
    linked = set(links_in(start))
    for nb_path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        if nb_path.stem != "00_start_here":
            assert nb_path.name in linked, f"00_start_here does not link {nb_path.name}: run python tools/nbbuild.py 00"


def test_checker_catches_a_broken_link(tmp_path):
    doc = tmp_path / "x.md"
    (tmp_path / "there.ipynb").write_text("{}")
    doc.write_text("[ok](there.ipynb#top) [web](https://example.org) [gone](missing.ipynb)\n"
                   "```\n[in code](not_a_link.md)\n```\n<a href=\"also_missing.md\">x</a>")
    assert broken_links(doc) == ["missing.ipynb", "also_missing.md"]


def test_start_here_and_readme_list_every_lab():
    """00_start_here's notebook/lab table links every lab's README; the README names every lab."""
    start = _markdown_of(ROOT / "notebooks" / "00_start_here.ipynb")
    linked = set(links_in(start))
    readme = (ROOT / "README.md").read_text()
    for lab in sorted(p for p in (ROOT / "labs").glob("[0-9][0-9]_*") if (p / "tests").is_dir()):
        assert f"../labs/{lab.name}/README.md" in linked, \
            f"00_start_here's lab table does not link {lab.name}: add a row (notebooks/src/00_start_here.py)"
        num, words = lab.name.split("_", 1)
        assert f" {num} " in readme.split("**Labs**", 1)[1].split("\n", 1)[0] + " ", \
            f"README.md's **Labs** line does not name lab {lab.name}"
