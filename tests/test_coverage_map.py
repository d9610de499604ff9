"""notebooks/coverage.toml maps every section of the book to where it is taught.

The book's table of contents is notebooks/book_toc.md (a copy of the project's shared
BOOK_TOC.md, kept in the repository so a fresh clone checks it; one "- Title (p. N)" line per
section under "## N. Chapter (p. N)").  coverage.toml has one [[section]] per TOC entry:

    chapter, title   exactly as in the TOC
    notebook         notebooks/<notebook>.ipynb
    heading          a markdown heading of that notebook (its text, without the #'s)
    lab              optional: a folder in labs/
    todo             instead of notebook/heading: what is not taught yet
    prose            with notebook/heading: why nothing can run here (the heading says it in words)

Fast: reads the TOC, the TOML and the notebooks' JSON; executes nothing.
"""
import json
import re
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOC_PATH = ROOT / "notebooks" / "book_toc.md"
MAP_PATH = ROOT / "notebooks" / "coverage.toml"
NOTEBOOKS = ROOT / "notebooks"
LABS = ROOT / "labs"

# Ratchet: the number of sections the notebooks do not teach yet (entries with `todo`).
# Lower it as sections are added; issue 20 is done when it is 0.
TODO_MAX = 0

KEYS = {"chapter", "title", "notebook", "heading", "lab", "todo", "prose"}


def read_toc():
    """[(chapter, title)] in book order, and {chapter: chapter title}."""
    text = TOC_PATH.read_text(encoding="utf-8")
    entries, chapters, chapter = [], {}, None
    for line in text.splitlines():
        m = re.match(r"^## (\d+)\. (.+) \(p\. \d+\)\s*$", line)
        if m:
            chapter = int(m[1])
            chapters[chapter] = m[2]
            continue
        m = re.match(r"^- (.+) \(p\. \d+\)\s*$", line)
        if m:
            assert chapter is not None, f"TOC entry before any chapter: {line!r}"
            entries.append((chapter, m[1]))
    declared = re.search(r"\((\d+) sections\)", text)
    if declared:
        assert len(entries) == int(declared[1]), (
            f"BOOK_TOC.md says {declared[1]} sections, the parser found {len(entries)}")
    assert entries, "no entries parsed from BOOK_TOC.md"
    return entries, chapters


def read_map():
    with open(MAP_PATH, "rb") as f:
        data = tomllib.load(f)
    assert set(data) <= {"section"}, f"unexpected top-level keys in coverage.toml: {sorted(set(data) - {'section'})}"
    return data.get("section", [])


def where(e):
    return f"ch. {e.get('chapter')} {e.get('title')!r}"


_headings = {}


def notebook_headings(name):
    """The markdown headings of notebooks/<name>.ipynb (text after the #'s), outside code fences."""
    if name not in _headings:
        nb = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
        found = set()
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "markdown":
                continue
            src = cell.get("source", "")
            src = "".join(src) if isinstance(src, list) else src
            fenced = False
            for line in src.splitlines():
                if line.lstrip().startswith(("```", "~~~")):
                    fenced = not fenced
                    continue
                m = re.match(r"^#+\s+(.*\S)\s*$", line)
                if m and not fenced:
                    found.add(m[1])
        _headings[name] = found
    return _headings[name]


@pytest.fixture(scope="module")
def toc():
    return read_toc()


@pytest.fixture(scope="module")
def sections():
    return read_map()


def test_entries_are_well_formed(sections):
    bad = []
    for e in sections:
        unknown = set(e) - KEYS
        if unknown:
            bad.append(f"{where(e)}: unknown keys {sorted(unknown)}")
        if not isinstance(e.get("chapter"), int) or not isinstance(e.get("title"), str):
            bad.append(f"{where(e)}: needs an integer chapter and a string title")
        for k in KEYS - {"chapter"}:
            if k in e and not (isinstance(e[k], str) and e[k].strip()):
                bad.append(f"{where(e)}: {k} must be a non-empty string")
        if not any(k in e for k in ("heading", "todo", "prose")):
            bad.append(f"{where(e)}: has none of heading / todo / prose")
        if "todo" in e and ("heading" in e or "prose" in e):
            bad.append(f"{where(e)}: todo goes instead of heading/prose, not with them")
        if "prose" in e and "heading" not in e:
            bad.append(f"{where(e)}: prose needs the notebook + heading where the idea is told")
        if ("heading" in e) != ("notebook" in e):
            bad.append(f"{where(e)}: heading and notebook go together")
    assert not bad, "coverage.toml:\n  " + "\n  ".join(bad)


def test_every_toc_entry_is_mapped_once_and_in_order(toc, sections):
    entries, _ = toc
    keys = [(e.get("chapter"), e.get("title")) for e in sections]
    counts = defaultdict(int)
    for k in keys:
        counts[k] += 1
    missing = [k for k in entries if counts[k] == 0]
    duplicated = [k for k, n in counts.items() if n > 1]
    assert not missing, "TOC entries with no [[section]] in coverage.toml:\n  " + "\n  ".join(
        f"ch. {c} {t!r}" for c, t in missing)
    assert not duplicated, "TOC entries mapped more than once:\n  " + "\n  ".join(
        f"ch. {c} {t!r}" for c, t in duplicated)
    assert keys == entries, "coverage.toml is not in book order (the order of BOOK_TOC.md)"


def test_no_entry_outside_the_toc(toc, sections):
    entries, _ = toc
    known = set(entries)
    unknown = [e for e in sections if (e.get("chapter"), e.get("title")) not in known]
    assert not unknown, "[[section]]s whose chapter + title are not in BOOK_TOC.md (typo?):\n  " + \
        "\n  ".join(where(e) for e in unknown)


def test_notebooks_and_headings_exist(sections):
    bad = []
    for e in sections:
        nb = e.get("notebook")
        if nb is None:
            continue
        if not (NOTEBOOKS / f"{nb}.ipynb").is_file():
            bad.append(f"{where(e)}: notebooks/{nb}.ipynb does not exist")
            continue
        h = e.get("heading")
        if h is not None and h not in notebook_headings(nb):
            bad.append(f"{where(e)}: no heading {h!r} in notebooks/{nb}.ipynb "
                       f"(has: {sorted(notebook_headings(nb))})")
    assert not bad, "\n  ".join(["coverage.toml points at nothing:"] + bad)


def test_labs_exist(sections):
    bad = [f"{where(e)}: labs/{e['lab']}/ does not exist"
           for e in sections if "lab" in e and not (LABS / e["lab"]).is_dir()]
    assert not bad, "\n  ".join(["coverage.toml names missing labs:"] + bad)


def test_todo_ratchet(toc, sections):
    _, chapters = toc
    todos = [e for e in sections if "todo" in e]
    by_chapter = defaultdict(list)
    for e in todos:
        by_chapter[e["chapter"]].append(e)
    lines = [f"{len(todos)} sections not taught yet (TODO_MAX = {TODO_MAX}):"]
    for ch in sorted(by_chapter):
        lines.append(f"  ch. {ch} {chapters.get(ch, '')}:")
        lines += [f"    - {e['title']}: {e['todo']}" for e in by_chapter[ch]]
    report = "\n".join(lines)
    assert len(todos) <= TODO_MAX, report + (
        "\nA section lost its heading: teach it again, or raise TODO_MAX only on purpose.")
