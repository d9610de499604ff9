"""Grade a whole course: one folder per learner, one gradebook (teachers).

::

    otp-lab grade-all submissions/ 02_hlr --jobs 4 --out gradebook/

``submissions/alice/hlr.py``, ``submissions/bob/hlr.py``, ...: every
sub-folder is one learner's copy of the lab's learner files (``files.solution``
in the lab's ``.meta/config.json``; a file a learner did not hand in is the
lab's starting point).  Each is graded by :func:`otp_lite.grade.grade` with
the lab's sealed checks, in its own sandboxed subprocess with the lab's
limits, so a submission that loops, hangs or crashes costs only its own
checks; a pool of threads (the work happens in the subprocesses) runs
``jobs`` at once.  The gradebook (``--out``, default ``SUBMISSIONS/gradebook``):

* ``gradebook.csv``: one row per learner, one column per check (the points
  earned), then ``total``, ``max``, ``status`` and the first line of the
  run's message (a syntax error, a time-out at import, ...);
* ``gradebook.json``: the same, plus every check's status and reason;
* ``summary.png``: the score histogram and the checks most often failed
  (needs matplotlib, in the ``lab`` extra);
* ``reports/<learner>.json``: each learner's full grader report (what
  ``otp-lab grade`` writes), to send back as feedback.
"""
from __future__ import annotations

import csv
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from . import runner
from .runner import LabError, load_config

__all__ = ["grade_all", "submissions", "summary_text", "write_summary_png"]


def submissions(folder):
    """The learners' folders under ``folder`` (every visible sub-folder but the gradebook's), sorted."""
    folder = Path(folder)
    if not folder.is_dir():
        raise LabError(f"{folder} is not a folder of submissions")
    return sorted(p for p in folder.iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_")) and p.name != "gradebook")


def _checks(lab):
    """The sealed checks in order: ``[{'id', 'name', 'points', 'task_id'}]``."""
    d = json.loads((Path(lab) / ".meta" / "checksums.json").read_text())
    return [dict(t, name=t["id"].split("::")[-1]) for t in d["manifest"]]


def _one(lab, folder, reports, timeout, total_timeout):
    t0 = time.monotonic()
    try:
        rep = runner.grade(lab, target=folder, report_path=reports / f"{folder.name}.json",
                           timeout=timeout, total_timeout=total_timeout)
        d = rep.to_dict()
    except Exception as e:  # noqa: BLE001 - one broken submission never stops the batch
        d = {"status": "error", "message": f"the grader failed on this submission: "
             f"{type(e).__name__}: {e}", "score": 0, "tests": []}
    d["seconds"] = round(time.monotonic() - t0, 2)
    return d


def grade_all(submissions_dir, lab, jobs=4, out=None, timeout=None, total_timeout=None,
              progress=True, png=True):
    """Grade every learner's folder; write the gradebook; return it as a dict."""
    lab = Path(lab).resolve()
    if not (lab / "tests").is_dir():
        raise LabError(f"{lab} is not a lab folder: it has no tests/ folder")
    out = Path(out) if out else Path(submissions_dir) / "gradebook"
    folders = [f for f in submissions(submissions_dir) if f.resolve() != out.resolve()]
    reports = out / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    checks = _checks(lab)
    max_score = sum(t["points"] for t in checks)
    t0 = time.monotonic()
    results, n = {}, len(folders)
    with ThreadPoolExecutor(max_workers=max(1, int(jobs))) as pool:
        futures = {pool.submit(_one, lab, f, reports, timeout, total_timeout): f for f in folders}
        for fut in as_completed(futures):
            f = futures[fut]
            results[f.name] = d = fut.result()
            if progress:
                print(f"[{len(results):>{len(str(n))}}/{n}] {f.name}: {d['score']:g}/{max_score:g} "
                      f"{d['status']} ({d['seconds']:.1f} s)", file=sys.stderr, flush=True)
    learners = []
    for f in folders:
        d = results[f.name]
        by_id = {t["id"]: t for t in d.get("tests", [])}
        learners.append({
            "learner": f.name, "score": d["score"], "max_score": max_score, "status": d["status"],
            "message": (d.get("message") or "").split("\n")[0],
            "seconds": d["seconds"],
            "checks": {t["name"]: {"points": by_id[t["id"]]["score"] if t["id"] in by_id else 0,
                                   "status": by_id.get(t["id"], {}).get("status", "error"),
                                   "why": (by_id.get(t["id"], {}).get("message") or "").split("\n")[0]}
                       for t in checks},
            "report": str(reports / f"{f.name}.json"),
        })
    book = {"lab": lab.name, "title": load_config(lab).get("title", ""), "max_score": max_score,
            "checks": [{k: t.get(k) for k in ("id", "name", "points", "task_id")} for t in checks],
            "learners": learners, "seconds": round(time.monotonic() - t0, 1), "jobs": int(jobs),
            "out": str(out)}
    _write_csv(book, out / "gradebook.csv")
    (out / "gradebook.json").write_text(json.dumps(book, indent=2) + "\n")
    if png:
        book["summary_png"] = write_summary_png(book, out / "summary.png")
    return book


def _write_csv(book, path):
    names = [t["name"] for t in book["checks"]]
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["learner", *names, "total", "max", "status", "message"])
        for r in book["learners"]:
            w.writerow([r["learner"], *(f"{r['checks'][n]['points']:g}" for n in names),
                        f"{r['score']:g}", f"{r['max_score']:g}", r["status"], r["message"]])


def failures(book):
    """``[(check name, how many learners did not pass it)]``, most failed first."""
    counts = {t["name"]: 0 for t in book["checks"]}
    for r in book["learners"]:
        for name, c in r["checks"].items():
            counts[name] += c["status"] != "pass"
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def write_summary_png(book, path, top=10):
    """The score histogram and the ``top`` checks most often failed; None without matplotlib."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return None
    scores = [r["score"] for r in book["learners"]]
    mx = book["max_score"]
    fig = Figure(figsize=(11, 4.5), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, width_ratios=[1, 1.3])
    bins = [x - 0.5 for x in range(int(mx) + 2)]
    ax1.hist(scores, bins=bins, color="#4C72B0", edgecolor="white")
    ax1.set_xlabel(f"score (out of {mx:g})")
    ax1.set_ylabel("learners")
    ax1.set_xlim(-0.5, mx + 0.5)
    mean = sum(scores) / len(scores) if scores else 0
    full = sum(s == mx for s in scores)
    ax1.set_title(f"{book['lab']}: {len(scores)} learners, mean {mean:.1f}, {full} with full marks",
                  fontsize=10)
    fails = [(n, c) for n, c in failures(book)[:top]][::-1]
    ax2.barh([n for n, _ in fails], [c for _, c in fails], color="#C44E52")
    ax2.set_xlabel("learners who did not pass it")
    ax2.set_title(f"the {len(fails)} checks most often failed", fontsize=10)
    ax2.tick_params(axis="y", labelsize=8)
    ax2.set_xlim(0, max(len(scores), 1))
    fig.savefig(path, dpi=100)
    return str(path)


def summary_text(book):
    """A few lines for the terminal: where the gradebook is, the spread, the hardest checks."""
    scores = [r["score"] for r in book["learners"]]
    mx = book["max_score"]
    lines = [f"{book['lab']}: {len(scores)} learners graded in {book['seconds']:.0f} s "
             f"(jobs={book['jobs']})"]
    if scores:
        lines.append(f"mean {sum(scores) / len(scores):.1f}/{mx:g}, full marks {sum(s == mx for s in scores)}, "
                     f"zero {sum(s == 0 for s in scores)}")
        hard = [f"{n} ({c})" for n, c in failures(book)[:3] if c]
        if hard:
            lines.append("most failed: " + ", ".join(hard))
    out = Path(book["out"])
    lines.append(f"gradebook: {out / 'gradebook.csv'}, {out / 'gradebook.json'}"
                 + (f", {book['summary_png']}" if book.get("summary_png") else ""))
    return "\n".join(lines)
