#!/usr/bin/env python3
"""Build the teaching notebooks from their plain-text sources.

Each notebook is written as ``notebooks/src/NN_name.py`` in jupytext's
"percent" format (read with jupytext itself, in the ``test`` extra) and built
into ``notebooks/NN_name.ipynb``, executed top to bottom, with its outputs
stored (nbval then compares them exactly)::

    # %% [markdown]
    # # 2 · Introducing Erlang          <- one H1 per notebook (its title)
    # One sentence per line.

    # %%
    pid = erlang.spawn(loop)          <- a code cell

    # %% tags=["raises-exception"]
    erlang.send('nobody', 'hi')       <- a cell that is meant to fail

Usage (from the repo root, with the venv's python)::

    python tools/nbbuild.py                 # build every notebook whose code changed
    python tools/nbbuild.py 03 04_gen       # only these (a prefix of the name is enough)
    python tools/nbbuild.py --force 03      # re-execute even if the code is unchanged
    python tools/nbbuild.py --check         # exit 1 if any .ipynb is stale

Generated cells (never edit them by hand; they are found by their marker):

* ``<!--NAVIGATION-->``: a prev | contents | next line at the top and the
  bottom of every notebook, from the H1 titles of the sources.
* ``<!--CONTENTS-->``: put this marker alone in a markdown cell of a source
  and the tool fills it with a linked list of every notebook.

A notebook whose code cells are unchanged is not re-executed: its markdown
(nav links included) is refreshed and its outputs are kept.  Execution uses a
fresh kernel of the current python (run this with ``.venv/bin/python``), with
``PYTHONHASHSEED=0`` and ``MPLBACKEND=Agg``, working directory ``notebooks/``;
``execution_count`` then runs 1..N and cell ids are ``c01``, ``c02``...
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NB_DIR = ROOT / "notebooks"
SRC_DIR = NB_DIR / "src"
INDEX = "00_start_here"

NAV = "<!--NAVIGATION-->"
CONTENTS = "<!--CONTENTS-->"
LABS = "<!--LABS-->"
MARKERS = (NAV, CONTENTS, LABS)
LABS_DIR = ROOT / "labs"
ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
CELL_TIMEOUT = 120

_FIRST_CELL = re.compile(r"^# %%", re.M)


# --------------------------------------------------------------- parsing
def parse(text):
    """Percent-format text -> [{'type': 'code'|'markdown', 'source': str, 'tags': [...]}].

    Read by jupytext (``py:percent``); the text before the first ``# %%`` (the
    "Source of ..." line) is not a cell, and an empty cell is dropped.
    """
    try:
        import jupytext
    except ImportError:
        sys.exit("tools/nbbuild.py reads notebooks/src/ with jupytext: pip install -e '.[lab,test]' "
                 "(or make venv)")
    m = _FIRST_CELL.search(text)
    if m is None:
        return []
    nb = jupytext.reads(text[m.start():], fmt="py:percent")
    return [{"type": c.cell_type, "tags": list(c.metadata.get("tags", [])), "source": c.source}
            for c in nb.cells if c.source]


# --------------------------------------------------------------- sources
def sources(src_dir=SRC_DIR):
    return sorted(p for p in Path(src_dir).glob("[0-9][0-9]_*.py"))


def title_of(cells, name):
    for c in cells:
        if c["type"] == "markdown":
            for line in c["source"].splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return name


def expected_cells(src, all_srcs):
    """The cells the notebook built from ``src`` must have, nav cells included."""
    names = [p.stem for p in all_srcs]
    titles = {p.stem: title_of(parse(p.read_text()), p.stem) for p in all_srcs}
    cells = parse(src.read_text())
    for c in cells:
        if c["type"] == "markdown" and c["source"].strip() == CONTENTS:
            c["source"] = contents_cell(names, titles)
        elif c["type"] == "markdown" and c["source"].strip() == LABS:
            c["source"] = labs_cell()
    nav = {"type": "markdown", "tags": [], "source": nav_cell(src.stem, names, titles)}
    return [dict(nav)] + cells + [dict(nav)]


def nav_cell(name, names, titles):
    i = names.index(name)
    parts = []
    if i > 0:
        p = names[i - 1]
        parts.append(f"< [{titles[p]}]({p}.ipynb)")
    if name != INDEX and INDEX in names:
        parts.append(f"[Contents]({INDEX}.ipynb)")
    if i + 1 < len(names):
        n = names[i + 1]
        parts.append(f"[{titles[n]}]({n}.ipynb) >")
    return NAV + "\n" + " | ".join(parts)


def contents_cell(names, titles):
    lines = [CONTENTS]
    for n in names:
        if n != INDEX:
            lines.append(f"- [{titles[n]}]({n}.ipynb)")
    return "\n".join(lines)


def labs_cell(labs_dir=LABS_DIR):
    """A linked list of the graded labs (labs/NN_name/) that are committed.

    In a git checkout only labs with files under version control are listed,
    so that a lab still being written (and not committed) never puts a link
    into a committed notebook that a fresh clone could not resolve.
    """
    lines = [LABS]
    tracked = _git_tracked(labs_dir)
    for d in sorted(p for p in Path(labs_dir).glob("[0-9][0-9]_*") if p.is_dir()):
        if tracked is not None and d.name not in tracked:
            continue
        lines.append(f"- [{d.name}]({lab_link(d)})")
    if len(lines) == 1:
        lines.append("- (no lab yet)")
    return "\n".join(lines)


def _git_tracked(labs_dir):
    """Names of the lab folders git tracks, or None outside a git checkout."""
    import subprocess
    try:
        out = subprocess.run(["git", "ls-files", "--", "."], cwd=labs_dir, capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {line.split("/", 1)[0] for line in out.splitlines() if "/" in line}


def lab_link(d):
    """Where a link to lab ``d`` should point: its instructions if it has them."""
    tracked = _git_tracked(d.parent)
    for rel in ("README.md", ".docs/instructions.md"):
        if (d / rel).exists():
            return f"../labs/{d.name}/{rel}"
    nbs = sorted(d.glob("*.ipynb"))
    if nbs:
        return f"../labs/{d.name}/{nbs[0].name}"
    return f"../labs/{d.name}/"


def generated(source):
    """The marker of a generated cell, or None."""
    first = source.split("\n", 1)[0].strip()
    return first if first in MARKERS else None


# --------------------------------------------------------------- notebooks
def make_notebook(cells):
    import nbformat
    from nbformat import v4
    nb = v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, c in enumerate(cells, 1):
        if c["type"] == "markdown":
            cell = v4.new_markdown_cell(c["source"])
        else:
            cell = v4.new_code_cell(c["source"])
        cell.id = f"c{i:02d}"
        if c["tags"]:
            cell.metadata["tags"] = list(c["tags"])
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def _key(cell, strict=True):
    src = cell["source"]
    if not strict and cell["cell_type"] == "markdown" and generated(src):
        src = generated(src)            # generated cells: only their place is checked
    return (cell["cell_type"], src, tuple(cell.get("metadata", {}).get("tags", [])))


def _code_keys(nb):
    return [_key(c) for c in nb.cells if c["cell_type"] == "code"]


def execute(nb, cwd=NB_DIR):
    from nbclient import NotebookClient

    class Client(NotebookClient):
        # nbval runs every cell with store_history=False; do the same so that the
        # saved outputs are exactly what nbval will see.  (One visible effect: a
        # trailing ';' does NOT hide a cell's value under nbval -- assign instead.)
        async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                     store_history=True):
            return await super().async_execute_cell(cell, cell_index, execution_count,
                                                    store_history=False)
    saved = {k: os.environ.get(k) for k in ENV}
    os.environ.update(ENV)
    try:
        client = Client(nb, kernel_name="python3", timeout=CELL_TIMEOUT,
                                record_timing=False, allow_errors=False,
                                resources={"metadata": {"path": str(cwd)}})
        client.execute()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    normalise(nb)
    return nb


def _clean_run(nb):
    counts = [c.get("execution_count") for c in nb.cells if c["cell_type"] == "code"]
    return counts == list(range(1, len(counts) + 1))


def normalise(nb):
    # the kernel fills language_info in on execution; keep the short form we
    # write ourselves, so a re-executed notebook does not churn its metadata
    nb.metadata["language_info"] = {"name": "python"}
    n = 0
    for cell in nb.cells:
        if cell["cell_type"] != "code":
            continue
        n += 1
        cell["execution_count"] = n
        cell["metadata"].pop("execution", None)
        for out in cell.get("outputs", []):
            if "execution_count" in out:
                out["execution_count"] = n
            out.get("metadata", {}).pop("execution", None)
        cell["outputs"] = _merge_streams(cell.get("outputs", []))


def _merge_streams(outputs):
    """One output per run of stdout (or stderr) text: ipykernel splits a stream into chunks
    wherever its buffer happened to flush, which changed the saved .ipynb from build to
    build (nbval joins them, so the checks never saw it)."""
    merged = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if out.get("output_type") == "stream" and prev is not None \
                and prev.get("output_type") == "stream" and prev.get("name") == out.get("name"):
            text = prev["text"] if isinstance(prev["text"], str) else "".join(prev["text"])
            more = out["text"] if isinstance(out["text"], str) else "".join(out["text"])
            prev["text"] = text + more
            continue
        merged.append(out)
    return merged


def stale_reason(src, ipynb, all_srcs, strict=False):
    """None if ``ipynb`` is up to date with ``src``, else why not.

    Not strict (the default, what the test suite checks): a generated cell
    (nav, contents, labs) only has to be in its place, so that adding a
    notebook or a lab does not make every other notebook stale at once.
    ``strict=True`` also compares their text (run ``nbbuild.py`` to refresh).
    """
    import nbformat
    if not ipynb.exists():
        return "not built"
    nb = nbformat.read(ipynb, as_version=4)
    want = make_notebook(expected_cells(src, all_srcs))
    have = [_key(c, strict) for c in nb.cells]
    exp = [_key(c, strict) for c in want.cells]
    if have != exp:
        for i, (h, e) in enumerate(zip(have, exp), 1):
            if h != e:
                return f"cell {i} differs from src ({e[0]}: {e[1][:60]!r}...)"
        return f"{len(have)} cells, src has {len(exp)}"
    if not _clean_run(nb):
        counts = [c.get("execution_count") for c in nb.cells if c["cell_type"] == "code"]
        return f"execution_count is {counts}, not 1..N from one clean run"
    return None


def build(src, all_srcs, force=False, nb_dir=NB_DIR, log=print):
    import nbformat
    out = Path(nb_dir) / (src.stem + ".ipynb")
    nb = make_notebook(expected_cells(src, all_srcs))
    old = nbformat.read(out, as_version=4) if out.exists() else None
    if old is not None and not force and _code_keys(old) == _code_keys(nb) \
            and _clean_run(old):
        # code unchanged: keep the outputs, refresh the markdown (nav links ...)
        olds = iter([c for c in old.cells if c["cell_type"] == "code"])
        for i, cell in enumerate(nb.cells):
            if cell["cell_type"] == "code":
                prev = next(olds)
                cell["outputs"] = prev.get("outputs", [])
                cell["execution_count"] = prev.get("execution_count")
        if nbformat.writes(nb) + "\n" == out.read_text() or nbformat.writes(nb) == out.read_text():
            log(f"{out.name}: up to date")
            return out
        nbformat.write(nb, out)
        log(f"{out.name}: markdown refreshed (code unchanged, outputs kept)")
        return out
    log(f"{out.name}: executing ...")
    execute(nb, cwd=Path(nb_dir))
    nbformat.write(nb, out)
    log(f"{out.name}: built")
    return out


def select(all_srcs, names):
    if not names:
        return list(all_srcs)
    picked = []
    for n in names:
        n = Path(n).stem
        hits = [p for p in all_srcs if p.stem == n or p.stem.startswith(n)]
        if not hits:
            raise SystemExit(f"nbbuild: no source in {SRC_DIR.relative_to(ROOT)} matches {n!r}")
        picked += [p for p in hits if p not in picked]
    return picked


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="notebooks to build (name or prefix); default all")
    ap.add_argument("--check", action="store_true", help="verify the .ipynb files match src/; build nothing")
    ap.add_argument("--strict", action="store_true", help="with --check: generated cells must be current too")
    ap.add_argument("--force", action="store_true", help="re-execute even when the code is unchanged")
    ap.add_argument("--src", default=str(SRC_DIR), help=argparse.SUPPRESS)
    ap.add_argument("--out", default=str(NB_DIR), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    all_srcs = sources(a.src)
    todo = select(all_srcs, a.names)
    if a.check:
        bad = 0
        for src in todo:
            why = stale_reason(src, Path(a.out) / (src.stem + ".ipynb"), all_srcs, a.strict)
            if why:
                bad += 1
                print(f"{src.stem}.ipynb is stale: {why}; run: python tools/nbbuild.py {src.stem}")
        if not bad:
            print(f"nbbuild: {len(todo)} notebooks match their sources")
        return 1 if bad else 0
    for src in todo:
        build(src, all_srcs, force=a.force, nb_dir=Path(a.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
