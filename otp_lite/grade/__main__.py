"""``python -m otp_lite.grade LAB [--solution] [--json PATH] [--timeout S] [--total-timeout S]``.

Prints the score table, writes the JSON report, exits 0 whatever the
learner's code did (2 only for a usage error, such as a folder that is not a lab).
"""
from __future__ import annotations

import argparse
import sys

from . import find_lab, grade, LabError


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m otp_lite.grade",
                                 description="Run a lab's checks and print the score.")
    ap.add_argument("lab", help="lab folder, e.g. labs/03_generic_server (or just 03_generic_server)")
    ap.add_argument("--solution", action="store_true", help="check solution/ instead of your files")
    ap.add_argument("--target", help="check the modules in this folder instead")
    ap.add_argument("--json", metavar="PATH", help="where to write the JSON report "
                    "(default: LAB/.grade/student.json or solution.json)")
    ap.add_argument("--timeout", type=float, help="seconds one check may take (default 10)")
    ap.add_argument("--total-timeout", type=float, help="seconds the whole run may take (default 120)")
    ap.add_argument("-v", "--verbose", action="store_true", help="show the full message of each failure")
    a = ap.parse_args(argv)
    try:
        lab = find_lab(a.lab)
        rep = grade(lab, solution=a.solution, target=a.target, timeout=a.timeout,
                    total_timeout=a.total_timeout, report_path=a.json)
    except LabError as e:
        print(f"otp_lite.grade: {e}", file=sys.stderr)
        return 2
    print(rep.table())
    if a.verbose:
        for t in rep.tests:
            if t.status != "pass":
                print(f"\n--- {t.name} ({t.status})\n{t.message}")
                if t.output:
                    print(t.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
