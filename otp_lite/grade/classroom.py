"""GitHub Classroom autograding for a lab: ``.github/classroom/autograding.json`` (teachers).

::

    otp-lab classroom 02_hlr            writes ./.github/classroom/autograding.json

The file is the one GitHub Classroom's autograding action
(``education/autograding``) reads: ``{"tests": [...]}``, each test with

==============  ===============================================================
``name``        shown to the learner: here the check's name and docstring task
``setup``       a shell command run before ``run`` (the first test installs
                the package; the others have nothing to set up)
``run``         the command; the test passes when it exits 0 and its output
                contains ``output`` (``comparison: "included"``, ``output: ""``)
``input``       stdin for ``run`` (none here)
``output``      the expected output (none: the exit code decides)
``comparison``  ``"exact"``, ``"included"`` or ``"regex"``
``timeout``     minutes (setup included)
``points``      earned when it passes: the check's points from the seal
==============  ===============================================================

One test per check, each running that check alone through the grader (the
sealed checks, in the sandbox): ``python -m otp_lite.grade labs/LAB --check
NAME --require-full`` exits 0 only when that check passes (1 otherwise, 3
when the run was tampered with), so Classroom's points are the grader's.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from .runner import LabError, load_config

__all__ = ["tests", "write", "describe", "FIELDS", "SETUP"]

FIELDS = ("name", "setup", "run", "input", "output", "comparison", "timeout", "points")
SETUP = "python -m pip install -q -e ."


def tests(lab, command="python -m otp_lite.grade"):
    """The ``tests`` list for a lab: one entry per sealed check, in the seal's order."""
    lab = Path(lab)
    try:
        manifest = json.loads((lab / ".meta" / "checksums.json").read_text())["manifest"]
    except (OSError, ValueError, KeyError):
        raise LabError(f"{lab.name} has no seal (.meta/checksums.json): run "
                       f"python -m otp_lite.grade --seal {lab.name} first") from None
    cfg = load_config(lab)
    minutes = max(1, math.ceil((float(cfg["timeout"]) + 30) / 60))     # one check + the sandbox's start
    out = []
    for i, t in enumerate(manifest):
        name = t["id"].split("::")[-1]
        out.append({
            "name": f"task {t.get('task_id')}: {name}",
            "setup": SETUP if i == 0 else "",
            "run": f"{command} labs/{lab.name} --check {name} --require-full",
            "input": "",
            "output": "",
            "comparison": "included",
            "timeout": minutes + (5 if i == 0 else 0),                  # the first also installs
            "points": t.get("points", 1),
        })
    return out


def write(lab, root=".", command="python -m otp_lite.grade"):
    """Write ``ROOT/.github/classroom/autograding.json`` for ``lab``; returns its path."""
    path = Path(root) / ".github" / "classroom" / "autograding.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"tests": tests(lab, command)}, indent=2) + "\n")
    return path


def describe(path):
    d = json.loads(Path(path).read_text())
    return f"{len(d['tests'])} tests, {sum(t['points'] for t in d['tests']):g} points"
