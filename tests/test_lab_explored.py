"""Explored lab checks catch a race that only exploration shows (issue 26, "in the grader").

Three labs have an explored check (``@labkit.explore``) and a mutant with a
plausible learner race.  For each mutant:

* under the plain scheduler (``OTP_LAB_EXPLORE=plain``: every explored body
  runs once, unexplored) the lab's checks ALL pass, the explored one too:
  no ordinary check sees the race;
* graded for real, the explored check is the ONLY one that fails, and its
  message names the schedule, the number of schedules, the strategy, the
  steps in words and how to replay it; the report carries the schedule's
  sequence chart (a PNG).

The solution and every alternative passing the explored check (no false
alarm) is tests/test_labs.py's and tests/test_lab_mutants.py's full marks.

That each mutant is wrong in OTP itself, in the order exploration finds:
tests/oracle_probes/explored_lab_races.erl (.out): "poll then demonitor: polled
none, left [{'DOWN',normal}]" (labs 03 and 10), "lookup, lookup, insert, insert:
[{hits,1}]" (lab 16); with flush, or demonitor before the poll, nothing is left.
"""
import base64
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from otp_lite import grade
from otp_lite.grade import mutants

ROOT = Path(__file__).resolve().parents[1]
CASES = {   # lab: (mutant, the explored check that alone catches it)
    "03_generic_server": ("poll_for_the_down_then_demonitor", "test_call_leaves_no_down_under_any_schedule"),
    "10_mutex": ("poll_for_the_down_then_demonitor", "test_two_clients_under_any_schedule"),
    "16_alarms_and_shedding": ("meter_inc_read_modify_write", "test_inc_is_atomic_under_any_schedule"),
}
IDS = sorted(CASES)


def _variant(lab, name):
    return next(v for v in mutants.load(ROOT / "labs" / lab, "mutants") if v.name == name)


@pytest.fixture(scope="module")
def targets(tmp_path_factory):
    root = tmp_path_factory.mktemp("explored")
    out = {}
    for lab, (m, _) in CASES.items():
        d = mutants.materialise(_variant(lab, m), root / lab)
        for given in (ROOT / "labs" / lab).glob("*.py"):     # as the grader stages them (service.py)
            if not (d / given.name).exists():
                shutil.copyfile(given, d / given.name)
        out[lab] = d
    return out


@pytest.fixture(scope="module")
def graded(targets):
    def run(lab):
        return lab, grade.grade(ROOT / "labs" / lab, target=targets[lab], write=False)

    with ThreadPoolExecutor(max_workers=3) as ex:
        return dict(ex.map(run, IDS))


def _plain_pytest(lab, target):
    env = dict(os.environ, OTP_LAB_TARGET=str(target), OTP_LAB_EXPLORE="plain", PYTHONPATH=str(ROOT),
               PYTHONHASHSEED="0", MPLBACKEND="Agg")
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                        str(ROOT / "labs" / lab / "tests")],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    return r.returncode, r.stdout + r.stderr


@pytest.mark.parametrize("lab", IDS)
def test_every_check_passes_the_mutant_under_the_plain_scheduler(lab, targets):
    rc, out = _plain_pytest(lab, targets[lab])
    assert rc == 0 and re.search(r"\d+ passed", out) and "failed" not in out, out[-3000:]


@pytest.mark.parametrize("lab", IDS)
def test_only_the_explored_check_catches_the_mutant(lab, graded):
    mutant, name = CASES[lab]
    rep = graded[lab]
    assert rep.status == "fail", rep.message
    failing = [t.name for t in rep.tests if t.status != "pass"]
    assert failing == [name], f"{lab}/{mutant}: {failing}"
    t = next(t for t in rep.tests if t.name == name)
    first, *rest = t.message.splitlines()
    sched = re.search(r"under schedule '([\d.]+)'", first)
    assert sched, first
    assert t.why == first and (first.startswith("Checked ") or first.startswith("Called "))
    text = "\n".join(rest)
    assert re.search(r"Explored: this check ran your code under \d+ schedule\(s\) \(\d+ distinct, "
                     r"strategy 'random', seed 0\)", text), text
    assert "is preempted before" in text                              # explain()'s lines
    assert f"explore.replay({name}.__wrapped__, '{sched.group(1)}')" in text
    assert base64.b64decode(t.picture)[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"data:image/png;base64,{t.picture}" in rep._repr_html_()


@pytest.mark.parametrize("lab", IDS)
def test_the_explored_check_is_deterministic(lab, targets, graded):
    _, name = CASES[lab]
    again = grade.grade(ROOT / "labs" / lab, target=targets[lab], write=False, only=[name])
    [t] = again.tests
    assert t.message == next(x for x in graded[lab].tests if x.name == name).message


@pytest.mark.parametrize("attack", [
    "from otp_lite.grade import explored as _e\n_e.MODE = 'plain'\n",
    "from otp_lite import explore as _x\n_real = _x.run\n"
    "def _run(test, *a, **k):\n    r = _real(test, *a, **k)\n    r.found = False\n    return r\n_x.run = _run\n",
], ids=["plain_mode", "patch_explore_run"])
def test_turning_exploration_off_from_learner_code_is_tampering(attack, targets, tmp_path):
    lab = "16_alarms_and_shedding"
    d = tmp_path / "attack"
    shutil.copytree(targets[lab], d)
    (d / "meter.py").write_text((d / "meter.py").read_text() + "\n" + attack)
    rep = grade.grade(ROOT / "labs" / lab, target=d, write=False)
    assert rep.status == "tampered" and rep.score == 0, (rep.status, rep.message)
