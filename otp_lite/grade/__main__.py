"""``python -m otp_lite.grade LAB [--solution] [--json PATH] [--timeout S] [--total-timeout S]``.

``--check NAME`` (repeatable) runs only that check: with ``--require-full``
it is one GitHub Classroom test (``otp-lab classroom LAB``).

``python -m otp_lite.grade LAB --hint TASK [--level K]``: hints 1..K of a task (see
:mod:`otp_lite.grade.hints`); nothing is graded.

Prints the score table, writes the JSON report, exits 0 whatever the
learner's code did (2 only for a usage error, such as a folder that is not a lab).
With ``--require-full`` (a CI or GitHub Classroom step) it exits 1 unless
every check passed, and 3 when the run was tampered with.

``python -m otp_lite.grade --seal LAB|all`` (teachers): seal the lab's
checks, ``.meta/checksums.json`` (see :mod:`otp_lite.grade.seal`).

``python -m otp_lite.grade --mutants LAB|all`` (teachers): grade the lab's
wrong solutions (each must lose a point) and alternative correct ones (each
must score full marks), see :mod:`otp_lite.grade.mutants`; exits 1 if one
does not.
"""
from __future__ import annotations

import argparse
import sys

from . import find_lab, grade, labs, LabError
from .report import safe


def safe_lines(text):
    return "\n".join(safe(line) for line in str(text).split("\n"))


def main(argv=None, prog="python -m otp_lite.grade"):
    ap = argparse.ArgumentParser(prog=prog, description="Run a lab's checks and print the score.")
    ap.add_argument("lab", help="lab folder, e.g. labs/03_generic_server (or just 03_generic_server)")
    ap.add_argument("--solution", action="store_true", help="check solution/ instead of your files")
    ap.add_argument("--target", help="check the modules in this folder instead")
    ap.add_argument("--json", metavar="PATH", help="where to write the JSON report "
                    "(default: LAB/.grade/student.json or solution.json)")
    ap.add_argument("--timeout", type=float, help="seconds one check may take (default 10)")
    ap.add_argument("--total-timeout", type=float, help="seconds the whole run may take (default 120)")
    ap.add_argument("--check", action="append", metavar="NAME",
                    help="run only this check (repeatable), e.g. test_lookup_ms")
    ap.add_argument("-v", "--verbose", action="store_true", help="show the full message of each failure")
    ap.add_argument("--require-full", action="store_true",
                    help="exit 1 unless every check passed (3 if tampered): for CI steps")
    ap.add_argument("--seal", action="store_true",
                    help="(teachers) seal the lab's checks in .meta/checksums.json; LAB may be 'all'")
    ap.add_argument("--hint", type=int, metavar="TASK",
                    help="stuck? print a hint for task TASK (no checks are run)")
    ap.add_argument("--level", type=int, default=1, metavar="K",
                    help="with --hint: show hints 1..K of that task (default 1)")
    ap.add_argument("--mutants", action="store_true",
                    help="(teachers) grade the lab's mutants and alternatives; LAB may be 'all'")
    a = ap.parse_args(argv)
    if a.seal:
        return _seal(a.lab)
    if a.mutants:
        return _mutants(a.lab)
    if a.hint is not None:
        from . import hints
        try:
            print(hints.text(find_lab(a.lab), a.hint, a.level))
        except LabError as e:
            print(f"otp_lite.grade: {e}", file=sys.stderr)
            return 2
        return 0
    try:
        lab = find_lab(a.lab)
        path = a.json or (lab / ".grade" / "check.json" if a.check else None)   # keep student.json whole
        rep = grade(lab, solution=a.solution, target=a.target, timeout=a.timeout,
                    total_timeout=a.total_timeout, report_path=path, only=a.check)
    except LabError as e:
        print(f"otp_lite.grade: {e}", file=sys.stderr)
        return 2
    print(rep.table())
    if a.verbose:
        for t in rep.tests:
            if t.status != "pass":
                print(f"\n--- {safe(t.name)} ({t.status})\n{safe_lines(t.message)}")
                if t.output:
                    print(safe_lines(t.output))
    if a.require_full:
        if rep.status == "tampered":
            return 3
        return 0 if rep.status == "pass" and rep.score == rep.max_score else 1
    return 0


def _seal(which):
    from .seal_lab import seal_lab
    try:
        targets = labs() if which == "all" else [find_lab(which)]
    except LabError as e:
        print(f"otp_lite.grade: {e}", file=sys.stderr)
        return 2
    bad = 0
    for lab in targets:
        try:
            d = seal_lab(lab)
            print(f"sealed {lab.name}: {len(d['files'])} files, {len(d['manifest'])} checks")
        except LabError as e:
            print(f"otp_lite.grade: {lab.name}: {e}", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


def _mutants(which):
    import tempfile
    from pathlib import Path
    from . import mutants
    try:
        targets = labs() if which == "all" else [find_lab(which)]
        variants = [v for lab in targets for kind in mutants.KINDS for v in mutants.load(lab, kind)]
    except LabError as e:
        print(f"otp_lite.grade: {e}", file=sys.stderr)
        return 2
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for v in variants:
            try:
                target = mutants.materialise(v, Path(tmp) / v.lab.name / v.kind / v.name)
            except LabError as e:
                print(f"otp_lite.grade: {e}", file=sys.stderr)
                bad += 1
                continue
            rep = grade(v.lab, target=target, report_path=target / "report.json")
            lost = [t.name for t in rep.tests if t.status != "pass"]
            if v.kind == "mutants":
                ok, verdict = rep.score < rep.max_score, "killed" if rep.score < rep.max_score else "SURVIVED"
            else:
                ok, verdict = rep.score == rep.max_score, "accepted" if rep.score == rep.max_score else "REJECTED"
            bad += not ok
            print(f"{v.id:60s} {rep.score:>3}/{rep.max_score:<3} {verdict:9s} {', '.join(lost)}")
    print(f"{len(variants)} variants, {bad} wrong" if variants else "no mutants or alternatives")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
