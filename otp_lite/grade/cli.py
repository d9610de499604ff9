"""``otp-lab``: the course's command line (learners and teachers).

::

    otp-lab grade LAB [--solution] [--json PATH] [-v]   same as python -m otp_lite.grade LAB
    otp-lab list                                         labs, chapter, points, minutes, your last score
    otp-lab hint LAB [TASK] [--level K]                  a hint: TASK, else the first failing task
    otp-lab doctor                                       is this machine ready? what is missing, how to fix
    otp-lab grade-all SUBMISSIONS LAB [--jobs N] [--out DIR]   (teachers) a gradebook
    otp-lab classroom LAB [--out DIR]                    (teachers) .github/classroom/autograding.json

``grade`` is :mod:`otp_lite.grade.__main__` itself (every option it has);
``python -m otp_lite.grade`` keeps working the same.  Installed by
``pip install -e .`` as the ``otp-lab`` script (``[project.scripts]``);
without reinstalling, ``python -m otp_lite.grade.cli`` does the same.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from . import find_lab, labs, LabError, LABS_DIR
from . import __main__ as _grade_main

PROG = "otp-lab"


def _err(msg):
    print(f"{PROG}: {msg}", file=sys.stderr)
    return 2


# ----------------------------------------------------------------- list
def manifest(lab):
    """The sealed checks of a lab (``.meta/checksums.json``): ``[{'id', 'points', 'task_id'}]``."""
    p = Path(lab) / ".meta" / "checksums.json"
    try:
        return json.loads(p.read_text()).get("manifest") or []
    except (OSError, ValueError):
        return []


def minutes(lab):
    """The lab's time estimate: ``"minutes"`` in ``.meta/config.json``, else the README's
    "About N minutes", else None."""
    from .runner import load_config
    n = load_config(lab).get("minutes")
    if n:
        return int(n)
    readme = Path(lab) / "README.md"
    m = re.search(r"About (\d+) minutes", readme.read_text()[:600]) if readme.is_file() else None
    return int(m.group(1)) if m else None


def last_score(lab):
    """``(score, max_score)`` of the learner's last run (``<lab>/.grade/student.json``), or None."""
    p = Path(lab) / ".grade" / "student.json"
    try:
        d = json.loads(p.read_text())
        return d["score"], d["max_score"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _fmt(x):
    return f"{x:g}" if isinstance(x, (int, float)) else str(x)


def cmd_list(a):
    from .runner import load_config
    if a.root is None and (Path.cwd() / "labs").is_dir():
        a.root = Path.cwd() / "labs"        # the learner's own copy, as find_lab looks there first
    rows = []
    for lab in labs(a.root):
        cfg = load_config(lab)
        pts = sum(t.get("points", 1) for t in manifest(lab))
        last = last_score(lab)
        rows.append((lab.name, str(cfg.get("chapter", "")), _fmt(pts),
                     f"~{minutes(lab)} min" if minutes(lab) else "",
                     f"{_fmt(last[0])}/{_fmt(last[1])}" if last else "-", cfg.get("title", "")))
    if not rows:
        return _err(f"no labs found under {a.root or LABS_DIR}")
    head = ("lab", "chapter", "points", "time", "last score", "title")
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(5)]
    for r in [head] + rows:
        print("  ".join(c.ljust(w) if i in (0, 4) else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
              + "  " + r[5])
    total = sum(minutes(lab) or 0 for lab in labs(a.root))
    print(f"{len(rows)} labs, about {total // 60} h {total % 60} min in all. "
          f"Grade one: {PROG} grade LAB; stuck: {PROG} hint LAB")
    return 0


# ----------------------------------------------------------------- hint
def first_failing_task(lab):
    """The task of the first check that did not pass in the last report; 1 with no report;
    None when every check passed."""
    p = Path(lab) / ".grade" / "student.json"
    try:
        tests = json.loads(p.read_text())["tests"]
    except (OSError, ValueError, KeyError, TypeError):
        return 1
    for t in tests:
        if t.get("status") != "pass":
            return int(t["task_id"]) if t.get("task_id") is not None else 1
    return None


def cmd_hint(a):
    from . import hints
    try:
        lab = find_lab(a.lab)
        task = a.task if a.task is not None else first_failing_task(lab)
        if task is None:
            print("Every check passed in your last run: no hint needed "
                  f"(ask for one anyway: {PROG} hint {lab.name} TASK).")
            return 0
        print(hints.text(lab, task, a.level))
    except LabError as e:
        return _err(e)
    return 0


# ----------------------------------------------------------------- doctor
def _version(dist):
    from importlib import metadata
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _importable(module):
    import importlib.util
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


CHROMIUM = "/usr/bin/chromium"     # where tools/install_browser.sh puts it (Debian's package)


def diagnose():
    """``[(what, ok, detail, fix, essential)]``: what this machine has for the course."""
    import shutil
    fix_pip = "pip install -e '.[lab]'  (from the repository root)"
    out = []
    v = sys.version_info
    out.append(("Python >= 3.11", v >= (3, 11), f"{v.major}.{v.minor}.{v.micro} ({sys.executable})",
                "install Python 3.11 or newer, then make venv", True))
    try:
        import greenlet
        ok, detail = True, greenlet.__version__
    except Exception as e:  # noqa: BLE001 - a broken C extension is what we report
        ok, detail = False, f"{type(e).__name__}: {e}"
    out.append(("greenlet (the runtime's processes)", ok, detail, fix_pip, True))
    for name, dist, why in (("sortedcontainers", "sortedcontainers", "ets ordered_set"),
                            ("pytest", "pytest", "the lab grader")):
        ok = _importable(name)
        out.append((f"{name} ({why})", ok, _version(dist) or "not installed", fix_pip, True))
    for name, dist in (("ipykernel", "ipykernel"), ("jupyterlab", "jupyterlab")):
        ok = _importable(name)
        out.append((f"{name} (the notebooks)", ok, _version(dist) or "not installed", fix_pip, True))
    spec = None
    if _importable("jupyter_client"):
        try:
            from jupyter_client.kernelspec import KernelSpecManager
            spec = KernelSpecManager().find_kernel_specs().get("python3")
        except Exception:  # noqa: BLE001
            spec = None
    out.append(("the python3 kernel spec", spec is not None, spec or "not found",
                "python -m ipykernel install --user  (in this venv)", True))
    ok = _importable("ipywidgets")
    out.append(("ipywidgets (the grader's widget, live views)", ok, _version("ipywidgets") or "not installed",
                fix_pip + "; without it the widget is a static table", False))
    ok = Path(CHROMIUM).exists()
    out.append(("chromium (browser tests only)", ok, CHROMIUM if ok else f"no {CHROMIUM}",
                "sudo bash tools/install_browser.sh  (tests marked 'browser' skip without it)", False))
    erl = shutil.which("erl")
    out.append(("erl (optional: compare with real Erlang)", erl is not None, erl or "not on PATH",
                "optional: apt-get install erlang; the OTP transcripts ship in reference/erlang_ref/", False))
    return out


def cmd_doctor(a):
    rows = diagnose()
    for what, ok, detail, fix, essential in rows:
        mark = "ok " if ok else ("MISSING" if essential else "missing (optional)")
        print(f"  [{mark}] {what}: {detail}")
        if not ok:
            print(f"        fix: {fix}")
    bad = [r for r in rows if r[4] and not r[1]]
    if bad:
        print(f"{len(bad)} essential piece(s) missing: fix them, then run {PROG} doctor again.")
        return 1
    print("Ready: the notebooks and the labs will run here (make lab to start).")
    return 0


# ----------------------------------------------------------------- grade-all, classroom
def cmd_grade_all(a):
    from . import batch
    try:
        lab = find_lab(a.lab)
        book = batch.grade_all(a.submissions, lab, jobs=a.jobs, out=a.out, timeout=a.timeout,
                               total_timeout=a.total_timeout)
    except LabError as e:
        return _err(e)
    print(batch.summary_text(book))
    return 0


def cmd_classroom(a):
    from . import classroom
    try:
        path = classroom.write(find_lab(a.lab), a.out, command=a.command)
    except LabError as e:
        return _err(e)
    print(f"wrote {path}: {classroom.describe(path)}")
    return 0


# ----------------------------------------------------------------- main
def parser():
    ap = argparse.ArgumentParser(prog=PROG, description="OTP Lab: grade labs, get hints, check your setup.")
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND")
    sub.add_parser("grade", add_help=False,
                   help="run a lab's checks: LAB [--solution] [--json PATH] [-v] ... (grade -h for all)")
    p = sub.add_parser("list", help="the labs: chapter, points, time, your last score")
    p.add_argument("--root", help="labs folder (default: ./labs, else the repository's labs/)")
    p = sub.add_parser("hint", help="a hint for a task (default: the first task failing in your last run)")
    p.add_argument("lab")
    p.add_argument("task", nargs="?", type=int)
    p.add_argument("--level", type=int, default=1, metavar="K", help="hints 1..K of that task")
    sub.add_parser("doctor", help="check this machine: what works, what is missing, how to fix it")
    p = sub.add_parser("grade-all", help="(teachers) grade every learner's folder: a gradebook")
    p.add_argument("submissions", help="a folder with one sub-folder per learner (their copy of the lab's files)")
    p.add_argument("lab")
    p.add_argument("--jobs", type=int, default=4, help="gradings at once (default 4)")
    p.add_argument("--out", help="where to write the gradebook (default: SUBMISSIONS/gradebook)")
    p.add_argument("--timeout", type=float, help="seconds per check (default: the lab's)")
    p.add_argument("--total-timeout", type=float, help="seconds per learner (default: the lab's)")
    p = sub.add_parser("classroom", help="(teachers) write .github/classroom/autograding.json for a lab")
    p.add_argument("lab")
    p.add_argument("--out", default=".", help="the repository root to write into (default: .)")
    p.add_argument("--command", default="python -m otp_lite.grade",
                   help="how CI runs the grader (default: python -m otp_lite.grade)")
    return ap


COMMANDS = {"list": cmd_list, "hint": cmd_hint, "doctor": cmd_doctor, "grade-all": cmd_grade_all,
            "classroom": cmd_classroom}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "grade":
        return _grade_main.main(argv[1:], prog=f"{PROG} grade")
    ap = parser()
    a = ap.parse_args(argv)
    if a.cmd is None:
        ap.print_help()
        return 2
    return COMMANDS[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
