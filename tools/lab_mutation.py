"""Mutation testing of the labs' checks: does every small change of a reference solution lose a point?

The hand-written mutants of ``.meta/mutants/`` are plausible *learner* mistakes; this tool adds
the blind ones a mutation tool makes (``mutmut`` 2.5.1: ``+`` -> ``-``, ``<`` -> ``<=``,
``True`` -> ``False``, ``"ok"`` -> ``"XXokXX"``, ``x = v`` -> ``x = None``, ``f(a)`` -> ``None``
...), one at a time, in each file of a lab's ``solution/``.  Each mutant is graded by the real
grader with the lab's sealed checks (``otp_lite.grade.grade(lab, target=folder)``) and classified:

* **killed**: it scores below full marks (a check caught it);
* **error**: the grading run itself ended in ``error``/``tampered`` (counted as killed, with a note);
* **survived**: full marks.  A survivor is **equivalent** when
  ``labs/<lab>/.meta/equivalent_mutants.toml`` lists it (file + line + the mutated line) with a
  one-line reason why it cannot change behaviour; every other survivor is a hole in the checks
  that the lab's owner should close.

Usage (needs the ``mutation`` extra: ``pip install -e '.[mutation]'``, or ``make mutation``)::

    python tools/lab_mutation.py                       # every lab -> labs/MUTATION.md (+ .json)
    python tools/lab_mutation.py --lab 02_hlr --limit 10 --jobs 2
    python tools/lab_mutation.py --sample 60           # at most 60 mutants a lab: every k-th
    python tools/lab_mutation.py --render              # rebuild the .md from the .json (after
                                                       # editing an equivalent_mutants.toml)

Raw results go to ``--out`` with the suffix ``.json`` (one entry per lab, merged: ``--lab X``
replaces only X's entry), so the report can be re-rendered without grading again.

``equivalent_mutants.toml``::

    [[mutant]]
    file = "hlr.py"
    line = 42                      # 1-based, in solution/hlr.py
    mutated = 'log("XXattachXX")'  # the mutated line, stripped (as the report prints it)
    why = "a log message: no check reads the log, and the README does not name it"
"""
from __future__ import annotations

import argparse
import ast
import datetime as _dt
import json
import math
import shutil
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from otp_lite.grade import grade as _grade_fn           # noqa: E402  (the function)
from otp_lite.grade.runner import load_config           # noqa: E402

TOOL = "mutmut"
TOOL_VERSION = "2.5.1"
EQUIVALENT_FILE = "equivalent_mutants.toml"


# ------------------------------------------------------------------ mutants
@dataclass
class Mutant:
    file: str                 # a file of solution/
    line: int                 # 1-based
    original: str             # the line before, stripped
    mutated: str              # the line after, stripped ('' if the line was removed)
    source: str = field(repr=False, default="")   # the whole mutated file

    @property
    def key(self):
        return (self.file, self.line, self.mutated)

    def describe(self):
        return f"{self.file}:{self.line}: `{self.original}` -> `{self.mutated or '(line removed)'}`"


def code_of(line):
    """A source line without its trailing comment, stripped (how mutants are shown and matched)."""
    import io
    import tokenize
    try:
        for tok in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline):
            if tok.type == tokenize.COMMENT:
                return line.strip()[:tok.start[1]].rstrip()
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return line.strip()


def _mutmut():
    try:
        import mutmut
    except ImportError:
        raise SystemExit("lab_mutation needs mutmut: pip install -e '.[mutation]' (or make mutation)")
    return mutmut


def _dedent(lines):
    """Lines of one statement without their common indent (that of the first line), or None."""
    first = next((ln for ln in lines if ln.strip()), "")
    indent = first[:len(first) - len(first.lstrip())]
    out = []
    for ln in lines:
        if not ln.strip():
            out.append(ln)
        elif ln.startswith(indent):
            out.append(ln[len(indent):])
        else:
            return None, indent
    return out, indent


def _regions(src):
    """Line ranges (1-based, inclusive) that mutmut's parser (parso 0.8) can parse on their own,
    covering the file as far as possible; and the lines left out.

    The whole file when it parses.  Otherwise (parso 0.8 has no ``match`` statement) each
    top-level statement on its own, and inside a statement it cannot parse, each statement of
    its bodies (a ``case``'s body, an ``if``'s, a function's ...), recursively: only the lines
    of the unparseable statements' own headers (``match x:``, ``case (...):``) stay unmutated.
    """
    import parso
    lines = src.split("\n")

    def parses(a, b):
        body, _ = _dedent(lines[a - 1:b])
        if body is None:
            return False
        try:
            parso.parse("\n".join(body) + "\n", error_recovery=False)
            return True
        except Exception:
            return False

    if parses(1, len(lines)):
        return [(1, len(lines))], []
    regions, skipped = [], []

    def walk(stmts):
        for s in stmts:
            a = min([s.lineno] + [d.lineno for d in getattr(s, "decorator_list", [])])
            b = s.end_lineno
            if parses(a, b):
                regions.append((a, b))
                continue
            bodies = []
            for name in ("body", "orelse", "finalbody"):
                v = getattr(s, name, None)
                if isinstance(v, list) and v and isinstance(v[0], ast.stmt):
                    bodies.append(v)
            for h in getattr(s, "handlers", []) or []:
                bodies.append(h.body)
            for c in getattr(s, "cases", []) or []:
                bodies.append(c.body)
            covered = set()
            for body in bodies:
                for st in body:
                    lo = min([st.lineno] + [d.lineno for d in getattr(st, "decorator_list", [])])
                    covered.update(range(lo, st.end_lineno + 1))
                walk(body)
            skipped.extend(n for n in range(a, b + 1) if n not in covered and lines[n - 1].strip())

    walk(ast.parse(src).body)
    return regions, skipped


def mutants_of(file, src):
    """Every mutmut mutant of ``src`` (the text of solution/``file``), in mutmut's order; and
    the lines that could not be mutated (see :func:`_regions`).

    mutmut leaves triple-quoted strings (docstrings) alone, and comments are not in its syntax
    tree, so no mutant is a docstring or comment change.
    """
    mm = _mutmut()
    lines = src.split("\n")
    regions, skipped = _regions(src)
    out = []
    for a, b in regions:
        body, indent = _dedent(lines[a - 1:b])
        chunk = "\n".join(body) + "\n"
        ids = mm.list_mutations(mm.Context(source=chunk, filename=file))
        for mid in ids:
            ctx = mm.Context(source=chunk, mutation_id=mid, filename=file)
            new_chunk, n = mm.mutate(ctx)
            if n != 1:
                continue
            new_lines = new_chunk.split("\n")[:-1]           # chunk ends with "\n"
            new_lines = [indent + ln if ln.strip() else ln for ln in new_lines]
            new_src = "\n".join(lines[:a - 1] + new_lines + lines[b:])
            if new_src == src:
                continue
            ln = a + mid.line_number                      # mutmut's line_number is 0-based
            after = new_src.split("\n")
            mutated = after[ln - 1].strip() if len(after) == len(lines) else ""
            out.append(Mutant(file, ln, code_of(lines[ln - 1]), code_of(mutated), new_src))
    return out, skipped


def lab_mutants(lab):
    """All mutants of a lab's solution/ (its ``files.solution`` that are .py), and skipped lines."""
    files = [f for f in load_config(lab)["files"]["solution"] if f.endswith(".py")]
    muts, skipped = [], {}
    for f in files:
        m, s = mutants_of(f, (Path(lab) / "solution" / f).read_text())
        muts += m
        if s:
            skipped[f] = sorted(s)
    return muts, skipped


def select(mutants, limit=None, sample=None):
    """``limit``: the first N; ``sample``: at most M, every k-th (k = ceil(n / M)), from the first."""
    step = 1
    if sample and len(mutants) > sample:
        step = math.ceil(len(mutants) / sample)
        mutants = mutants[::step]
    if limit is not None:
        mutants = mutants[:limit]
    return mutants, step


# ------------------------------------------------------------------ grading
def load_equivalent(lab):
    """{(file, line, mutated): why} from the lab's .meta/equivalent_mutants.toml."""
    p = Path(lab) / ".meta" / EQUIVALENT_FILE
    if not p.exists():
        return {}
    d = tomllib.loads(p.read_text())
    out = {}
    for e in d.get("mutant", []):
        missing = {"file", "line", "mutated", "why"} - set(e)
        if missing:
            raise SystemExit(f"{p}: a [[mutant]] lacks {sorted(missing)}")
        out[(e["file"], int(e["line"]), code_of(e["mutated"]))] = e["why"].strip()
    return out


def _grade_once(lab, mutant, grade_fn):
    with tempfile.TemporaryDirectory(prefix="labmut_") as tmp:
        target = Path(tmp) / "code"
        shutil.copytree(lab / "solution", target,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        (target / mutant.file).write_text(mutant.source)
        try:
            rep = grade_fn(str(lab), target=str(target), write=False)
        except Exception as e:                      # the grader itself failed: say so, count it
            return {"status": "error", "score": 0, "max": None, "note": f"grader raised {e!r}"[:300]}
    failed = [t.name for t in rep.tests if t.status != "pass"]
    if rep.status in ("error", "tampered"):
        msg = (rep.message or "").strip().splitlines()
        return {"status": "error", "score": rep.score, "max": rep.max_score,
                "note": f"{rep.status}: {msg[0][:300] if msg else ''}", "failed": failed[:5]}
    if rep.score < rep.max_score:
        return {"status": "killed", "score": rep.score, "max": rep.max_score, "failed": failed[:5]}
    return {"status": "survived", "score": rep.score, "max": rep.max_score}


def grade_mutant(lab, mutant, grade_fn=None):
    """Grade one mutant: solution/ copied to a temp folder, the one file replaced.

    A run that ends in error/tampered is graded once more (a loaded machine can fail a run for
    reasons of its own); a second error stands, with both notes.
    """
    grade_fn = grade_fn or _grade_fn
    lab = Path(lab)
    r = _grade_once(lab, mutant, grade_fn)
    if r["status"] == "error":
        again = _grade_once(lab, mutant, grade_fn)
        if again["status"] != "error":
            again["note"] = f"first run: {r['note']}; graded again"
        else:
            again["note"] = r["note"] if r["note"] == again["note"] else f"{r['note']}; again: {again['note']}"
        r = again
    return r


def classify(results, equivalent):
    """Counts and the lists the report needs, from graded mutants and the equivalent verdicts."""
    c = {"mutants": len(results), "killed": 0, "error": 0, "survived": 0, "equivalent": 0}
    survivors, equivalents, used = [], [], set()
    for r in results:
        if r["status"] in ("killed", "error"):
            c["killed"] += 1
            c["error"] += r["status"] == "error"
            continue
        k = (r["file"], r["line"], code_of(r["mutated"]))
        if k in equivalent:
            c["equivalent"] += 1
            used.add(k)
            equivalents.append((r, equivalent[k]))
        else:
            c["survived"] += 1
            survivors.append(r)
    tested = {(r["file"], r["line"], code_of(r["mutated"])) for r in results}
    stale = [k for k in equivalent if k not in used and k in tested]      # listed, but killed
    unseen = [k for k in equivalent if k not in tested]                  # not in this run
    nonequiv = c["mutants"] - c["equivalent"]
    c["score"] = round(100 * c["killed"] / nonequiv, 1) if nonequiv else 100.0
    return c, survivors, equivalents, stale, unseen


def run_lab(lab, limit=None, sample=None, jobs=2, grade_fn=None, progress=print):
    """Generate, select and grade a lab's mutants; the raw entry for the JSON."""
    lab = Path(lab)
    muts, skipped = lab_mutants(lab)
    chosen, step = select(muts, limit, sample)
    progress(f"{lab.name}: {len(muts)} mutants, grading {len(chosen)}"
             + (f" (every k-th, k={step})" if step > 1 else ""))

    def one(m):
        r = grade_mutant(lab, m, grade_fn)
        d = {k: v for k, v in asdict(m).items() if k != "source"}
        d.update(r)
        return d

    results = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as ex:
        for i, d in enumerate(ex.map(one, chosen), 1):
            results.append(d)
            if d["status"] != "killed":
                progress(f"  [{i}/{len(chosen)}] {d['status']}: {d['file']}:{d['line']}: "
                         f"{d['original']} -> {d['mutated']}")
    return {"lab": lab.name, "generated": len(muts), "graded": len(chosen), "step": step,
            "limit": limit, "sample": sample, "skipped_lines": skipped, "results": results}


# ------------------------------------------------------------------ report
GRADED = ["otp_lite", "labs", ":!labs/MUTATION.*", ":!labs/*/.meta/" + EQUIVALENT_FILE]


def _commit():
    """The commit of what is graded: the last one that changed otp_lite/ or labs/ (this report and
    the equivalent verdicts aside), '+dirty' if those paths have uncommitted changes."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    try:
        c = git("log", "-1", "--format=%h", "--", *GRADED)
        return c + ("+dirty" if git("status", "--porcelain", "--", *GRADED) else "")
    except Exception:
        return "unknown"


METHOD = """\
Generated by `tools/lab_mutation.py` (`make mutation`); re-render after editing an
`equivalent_mutants.toml` with `python tools/lab_mutation.py --render`.

**Tool.** [mutmut](https://pypi.org/project/mutmut/) {version}, used as a library
(`mutmut.list_mutations` / `mutmut.mutate`: every mutation of a source text, nothing run by
mutmut itself). Its operators: arithmetic and bit operators swapped (`+`/`-`, `*`/`/`, `//`->`/`,
`%`->`/`, `&`/`|`, augmented assignments to their opposite or to plain `=`), comparisons shifted
(`<`/`<=`, `>`/`>=`, `==`/`!=`, `in`/`not in`, `is`/`is not`), `not x` -> `x`, `and`/`or`,
`break`/`continue`, `True`/`False`, `None` -> `""`, numbers +1, strings wrapped in `XX..XX`
(f-strings too), `x = v` -> `x = None` (or `""` when `v` is None), `f(...)` -> `None` and
`a[i]` -> `None` in a call or subscript of a name, `dict(k=v)` keys renamed, lambdas returning
`None`/`0`, decorators removed. Triple-quoted strings (docstrings) are never mutated, comments
are not in the syntax tree, and type annotations, imports and `__all__`-style dunders are left
alone, so no mutant is a docstring or comment change.
One mutant = one mutation in one file of the lab's `solution/` (its `.meta/config.json`
`files.solution`, the `.py` ones). mutmut 2.x parses with parso 0.8, which has no `match`
statement: in a file it cannot parse whole, each statement is mutated on its own and only the
`match`/`case` header lines stay unmutated (listed per lab below).

**Grading.** Each mutant is graded like a learner's submission: `solution/` copied to a temp
folder with the one file mutated, then `otp_lite.grade.grade(lab, target=folder)`, the real
grader with the lab's sealed checks (sandboxed subprocess, per-check and total timeouts), two
mutants at a time. **Killed**: it scores below full marks. **Error**: the run ended in
`error`/`tampered` (counted as killed, noted). **Survived**: full marks.

**Equivalent.** A survivor that cannot change behaviour a learner could be held to (a log
text no one reads, a default never used, a branch the checks cannot reach for a documented
reason) is listed in `labs/<lab>/.meta/equivalent_mutants.toml` by file, line and the mutated
line, with a one-line reason; it is left out of the score. **Score** = killed /
(mutants - equivalent). Every other survivor is listed: a hole in the checks for the lab's
owner to close (a check that would fail on that change); one marked *given* is in a line the
learner receives as is in the starting point (a client function, a callback the README hands
out), so it tests the checks' reach into code the learner does not write.

**Sampling.** The *graded* column says how many of a lab's mutants were graded: all of them,
or, where a full run did not fit the time on the small machine these figures were measured on
(2 shared cores, 3 to 7 s a mutant), every k-th mutant in mutmut's order (file by file, top to
bottom; `--sample M`: k = ceil(mutants / M)), deterministic. `python tools/lab_mutation.py
--lab LAB` grades all of a lab's mutants. Mutants are shown without the line's trailing comment.
"""


def _show(r):
    return (f"`{r['file']}:{r['line']}`: `{code_of(r['original'])}` -> "
            f"`{code_of(r['mutated']) or '(line removed)'}`")


def _given_lines(lab_dir):
    """{file: set of code lines} of the lab's starting point (the learner's copy of each file)."""
    out = {}
    for p in Path(lab_dir).glob("*.py"):
        out[p.name] = {code_of(ln) for ln in p.read_text().splitlines() if code_of(ln)}
    return out


def render(data, sample):
    labs = data["labs"]
    commits = sorted({e.get("commit") or data.get("commit", "?") for e in labs.values()})
    out = ["# Mutation testing of the labs' checks", "",
           f"Measured on the labs and grader of commit {', '.join(f'`{c}`' for c in commits)} "
           f"(the last commit that changed `labs/` or `otp_lite/`; {data.get('date', '?')}), "
           f"mutmut {TOOL_VERSION}. The checks of several labs were being changed at the time: "
           "these are the figures *at that commit*.", "",
           METHOD.format(version=TOOL_VERSION), "",
           "## Results", "",
           "| lab | mutants (generated) | graded (k) | killed | of which error | survived (non-equivalent) "
           "| of which in given lines | equivalent | score |",
           "|-----|-----|-----|-----|-----|-----|-----|-----|-----|"]
    details = []
    tot = {"generated": 0, "graded": 0, "killed": 0, "error": 0, "survived": 0, "equivalent": 0, "given": 0}
    for name in sorted(labs):
        e = labs[name]
        eq = load_equivalent(ROOT / "labs" / name) if (ROOT / "labs" / name).is_dir() else {}
        c, surv, equivs, stale, _unseen = classify(e["results"], eq)
        given = _given_lines(ROOT / "labs" / name)
        is_given = [code_of(r["original"]) in given.get(r["file"], ()) for r in surv]
        tot["given"] += sum(is_given)
        for k in ("killed", "error", "survived", "equivalent"):
            tot[k] += c[k]
        tot["generated"] += e["generated"]
        tot["graded"] += e["graded"]
        graded = f"{e['graded']}" + (f" (k={e['step']})" if e["step"] > 1 else "") \
            + (f" (first {e['limit']})" if e.get("limit") else "")
        out.append(f"| `{name}` | {e['generated']} | {graded} | {c['killed']} | {c['error']} | "
                   f"{c['survived']} | {sum(is_given)} | {c['equivalent']} | {c['score']}% |")
        d = [f"### `{name}`", ""]
        if surv:
            d.append(f"Surviving non-equivalent mutants ({len(surv)}): add a check that fails on each.")
            d.append("")
            d += [f"- {_show(r)}" + (" (given: the line is in the starting point)" if g else "")
                  for r, g in zip(surv, is_given)]
        else:
            d.append("Every graded non-equivalent mutant was killed.")
        if equivs:
            d += ["", "Equivalent (from `.meta/equivalent_mutants.toml`):", ""]
            d += [f"- {_show(r)}: {why}" for r, why in equivs]
        errs = [r for r in e["results"] if r["status"] == "error"]
        if errs:
            d += ["", "Graded as error (counted as killed):", ""]
            d += [f"- {_show(r)}: {r.get('note', '')}" for r in errs]
        again = [r for r in e["results"] if r["status"] != "error" and "graded again" in r.get("note", "")]
        if again:
            d += ["", f"Graded twice ({len(again)}): the first run ended in error for reasons of the "
                  "machine, the second (below) is the one counted:", ""]
            d += [f"- {_show(r)}: {r['status']} (first: {r['note'].split('first run: ')[-1]})" for r in again]
        if stale:
            d += ["", "Listed as equivalent but killed (remove from the file): "
                  + ", ".join(f"`{f}:{ln}`" for f, ln, _ in stale)]
        if e.get("skipped_lines"):
            d += ["", "Not mutated (parso 0.8 cannot parse `match` statements): "
                  + "; ".join(f"`{f}` lines {', '.join(map(str, ls))}" for f, ls in e["skipped_lines"].items())]
        details += d + [""]
    nonequiv = tot["graded"] - tot["equivalent"]
    score = round(100 * tot["killed"] / nonequiv, 1) if nonequiv else 100.0
    out.append(f"| **all** | {tot['generated']} | {tot['graded']} | {tot['killed']} | {tot['error']} | "
               f"{tot['survived']} | {tot['given']} | {tot['equivalent']} | {score}% |")
    out += ["", "## Per lab", ""] + details
    return "\n".join(out).rstrip() + "\n"


# ------------------------------------------------------------------ CLI
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lab", action="append", help="a lab folder name (repeatable); default: every lab")
    ap.add_argument("--limit", type=int, help="grade only the first N mutants of each lab (a quick run)")
    ap.add_argument("--sample", type=int, help="grade at most M mutants a lab: every k-th, k = ceil(n/M)")
    ap.add_argument("--jobs", type=int, default=2, help="mutants graded at a time (default 2)")
    ap.add_argument("--out", default=str(ROOT / "labs" / "MUTATION.md"),
                    help="the report (default labs/MUTATION.md); raw results beside it as .json")
    ap.add_argument("--render", action="store_true", help="only rebuild the report from the .json")
    ap.add_argument("--list", action="store_true", help="only list the mutants (nothing graded)")
    ap.add_argument("--regrade-errors", action="store_true",
                    help="grade again only the mutants of the .json graded as error (of --lab, or all)")
    a = ap.parse_args(argv)

    from otp_lite.grade import labs as all_labs, find_lab
    targets = [find_lab(x) for x in a.lab] if a.lab else all_labs()
    out = Path(a.out)
    raw = out.with_suffix(".json")
    data = json.loads(raw.read_text()) if raw.exists() else {"labs": {}}

    if a.list:
        for lab in targets:
            muts, skipped = lab_mutants(lab)
            chosen, step = select(muts, a.limit, a.sample)
            print(f"{lab.name}: {len(muts)} mutants ({len(chosen)} selected, k={step}); unmutated lines {skipped}")
            for m in chosen:
                print("  " + m.describe())
        return 0
    if a.regrade_errors:
        for lab in targets:
            e = data["labs"].get(lab.name)
            if not e:
                continue
            muts = {(m.file, m.line, m.mutated): m for m in lab_mutants(lab)[0]}
            for i, r in enumerate(e["results"]):
                m = muts.get((r["file"], r["line"], r["mutated"]))
                if r["status"] == "error" and m is not None:
                    d = {k: v for k, v in asdict(m).items() if k != "source"}
                    d.update(grade_mutant(lab, m))
                    d["note"] = f"graded again (--regrade-errors); the first run: {r.get('note', '')}"
                    print(f"{lab.name}: {m.describe()}: {r['status']} -> {d['status']}")
                    e["results"][i] = d
        raw.write_text(json.dumps(data, indent=1) + "\n")
    elif not a.render:
        commit = _commit()                      # before grading: a commit made meanwhile is not it
        for lab in targets:
            data["labs"][lab.name] = run_lab(lab, a.limit, a.sample, a.jobs)
            data["labs"][lab.name]["commit"] = commit
            data["labs"][lab.name]["date"] = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            data["commit"] = commit
            data["date"] = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            data["sample"] = a.sample
            raw.write_text(json.dumps(data, indent=1) + "\n")
            print(f"{lab.name}: wrote {raw}")
    out.write_text(render(data, data.get("sample")))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
