"""The lab grader (otp_lite.grade) against a fixture lab whose "learner" misbehaves on purpose.

tests/grader_fixtures/fx: see its README.  Every grading runs in its own
subprocess; the module fixture starts them all at once in threads, so this
file costs about 15 s of wall time (import_hang waits out an 8 s whole-run limit,
generous so that a loaded CI machine still reaches the misbehaving check in time).
"""
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from otp_lite import grade

FX = Path(__file__).parent / "grader_fixtures" / "fx"
VARIANTS = FX / "variants"

RUNS = {       # the slow ones (they wait out a whole-run limit) first
    "hard_hang": dict(target=VARIANTS / "hard_hang", total_timeout=15),
    "import_hang": dict(target=VARIANTS / "import_hang", total_timeout=8),
    "stubborn": dict(target=VARIANTS / "stubborn", total_timeout=15),
    "solution": dict(solution=True),
    "solution_again": dict(solution=True),
    "learner": dict(),
    "syntax": dict(target=VARIANTS / "syntax"),
    "raises": dict(target=VARIANTS / "raises"),
    "missing": dict(target=VARIANTS / "missing"),
    "exits": dict(target=VARIANTS / "exits"),
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("grade")

    def run(item):
        name, kw = item
        kw = dict(kw)
        if "target" in kw:
            kw["target"] = str(kw["target"])
        return name, grade.grade(FX, report_path=out / f"{name}.json", **kw)

    with ThreadPoolExecutor(max_workers=4) as ex:     # 2-4 cores: keep timings honest
        return dict(ex.map(run, RUNS.items()))


def by_name(rep):
    return {t.name: t for t in rep.tests}


def test_solution_scores_full_marks(reports):
    rep = reports["solution"]
    assert rep.status == "pass" and rep.message is None
    assert (rep.score, rep.max_score) == (10, 10)
    assert [t.name for t in rep.tests][:2] == ["test_ok", "test_spin"]     # file order
    assert by_name(rep)["test_ok"].points == 2 and by_name(rep)["test_ok"].task_id == 1


def test_report_is_deterministic(reports):
    a = Path(reports["solution"].path).read_text()
    b = Path(reports["solution_again"].path).read_text()
    assert a == b


def test_json_report_shape(reports):
    d = json.loads(Path(reports["learner"].path).read_text())
    assert {"version", "lab", "target", "status", "message", "score", "max_score", "tests"} <= set(d)
    assert d["status"] == "fail" and d["lab"] == "fx" and d["target"] == "student"
    t = d["tests"][0]
    assert {"id", "name", "points", "score", "task_id", "status", "message", "output", "doc"} <= set(t)
    assert t["id"] == "tests/test_fx.py::test_ok" and t["doc"] == "a plain function"


def test_each_misbehaviour_costs_only_its_check(reports):
    rep = reports["learner"]
    t = by_name(rep)
    assert {n for n, r in t.items() if r.status == "pass"} == {"test_ok", "test_exit", "test_block", "test_after"}
    assert rep.score == 6
    # an endless loop in the caller, and in a process while the caller waits
    assert t["test_spin"].status == "error"
    assert t["test_spin"].why.startswith("Timed out after 1 s (it was running mod.py, line 12, in spin)")
    assert re.fullmatch(r"Timed out after 1 s: process <0\.\d+\.0> \(it was running mod\.py, line 21, in worker\) "
                        r"was still computing and was killed\. .*", t["test_spin_in_process"].why)
    # a receive nobody answers: the kernel's Deadlock, with the learner's line
    assert t["test_hang"].why.startswith("Deadlock: the shell")
    assert t["test_hang"].why.endswith("(mod.py, line 30)")
    # a crashed process: the check's own message, then what crashed
    assert t["test_crash"].status == "fail"
    assert t["test_crash"].why == "Called mod.crash(). Got ('error', 'crashed'), expected 4."
    assert "exited with ('badarith'" in t["test_crash"].message
    assert "ERROR REPORT" in t["test_crash"].output


@pytest.mark.parametrize("variant, why", [
    ("syntax", "SyntaxError in mod.py, line 4: invalid syntax"),
    ("raises", "RuntimeError: boom at import (mod.py, line 3)"),
    ("missing", "MISSING FUNCTION --> In your mod.py file, we cannot find the function named hang. "
                "Did you misname or forget to define it?"),
    ("import_hang", "Timed out: the checks did not even start within 8 s. "
                    "Does your module loop or wait when it is imported?"),
])
def test_broken_module_fails_every_check(reports, variant, why):
    rep = reports[variant]
    assert rep.status == "error" and rep.message == why
    assert (rep.score, rep.max_score) == (0, 10)
    assert len(rep.tests) == 8                      # the checks are still listed, with points
    assert all(t.status == "error" and t.message == why for t in rep.tests)
    assert json.loads(Path(rep.path).read_text())["message"] == why


def test_dead_interpreter_costs_one_check(reports):
    rep = reports["exits"]
    t = by_name(rep)
    assert t["test_exit"].status == "error"
    assert t["test_exit"].why.startswith("The test process died while running this check (exit code 3)")
    assert rep.score == 9 and t["test_after"].status == "pass"     # a new subprocess ran the rest


def test_uninterruptible_hang_costs_one_check(reports):
    rep = reports["hard_hang"]
    t = by_name(rep)
    assert t["test_block"].why.startswith("Timed out after 1 s: the check did not finish, and did not stop")
    assert rep.score == 9 and t["test_after"].status == "pass"


def test_loops_that_swallow_every_exception(reports):
    """A process is suspended at a safe point (preemption), so its check fails after
    the per-check limit and names it; a loop in the caller that swallows the timeout
    itself is stopped by the sandbox's watchdog (limit + 3 s), and the checks after
    it still run."""
    rep = reports["stubborn"]
    t = by_name(rep)
    assert re.fullmatch(r"Timed out after 1 s: process <0\.\d+\.0> \(it was running mod\.py, line 2\d, in worker\) "
                        r"was still computing and was killed\. .*", t["test_spin_in_process"].why)
    assert t["test_spin"].why.startswith("Timed out after 1 s: the check did not finish, and did not stop")
    assert rep.score == 8 and t["test_after"].status == "pass"


def test_table_lists_points_and_first_line(reports):
    text = reports["learner"].table()
    assert text.splitlines()[0] == "Lab fx (your work)"
    assert "test_crash" in text and "0/1  FAIL  Called mod.crash(). Got ('error', 'crashed'), expected 4." in text
    assert "Meanwhile" not in text                  # only the first line of why
    assert "Score: 6/10  (4 of 8 checks passed)" in text


def test_cli_exits_0_and_prints_the_table(tmp_path):
    p = subprocess.run([sys.executable, "-m", "otp_lite.grade", str(FX), "--target",
                        str(VARIANTS / "syntax"), "--json", str(tmp_path / "r.json")],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "Score: 0/10" in p.stdout and "SyntaxError in mod.py, line 4" in p.stdout
    assert json.loads((tmp_path / "r.json").read_text())["status"] == "error"


def test_cli_require_full_fails_a_partial_score():
    """A CI step must not pass every learner: --require-full exits 1 below full marks."""
    run = lambda *a: subprocess.run([sys.executable, "-m", "otp_lite.grade", str(FX), "--require-full", *a],
                                    capture_output=True, text=True, timeout=120).returncode
    assert run("--solution") == 0
    assert run("--target", str(VARIANTS / "missing")) == 1


def test_cli_usage_error_is_exit_2(tmp_path):
    p = subprocess.run([sys.executable, "-m", "otp_lite.grade", str(tmp_path)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "is not a lab folder" in p.stderr


def test_find_lab_by_name():
    assert grade.find_lab("03_generic_server").name == "03_generic_server"
    assert grade.find_lab("hlr").name == "02_hlr"
    with pytest.raises(grade.LabError):
        grade.find_lab("no_such_lab")


def test_widget_headless(reports, tmp_path):
    w = grade.widget(FX, solution=True, report_path=tmp_path / "w.json")
    assert w.button.description == "Run checks"
    assert "Run checks" in w.table.value            # the hint before any run
    w.button.click()                                # what a press in JupyterLab does: in the background
    assert w.button.disabled and not w.cancel_b.disabled
    w.run(wait=True)
    assert w.report.score == 10 and w.bar.value == w.bar.max == 8
    assert not w.button.disabled and w.cancel_b.disabled
    assert "10/10" in w.status.value and "test_after" in w.table.value


def test_widget_cancel_stops_the_run(tmp_path):
    """Cancel while a check loops: the run ends at once, unfinished checks are not scored."""
    import time
    w = grade.widget(FX, report_path=tmp_path / "c.json", timeout=20, total_timeout=60)
    t0 = time.monotonic()
    w.run()
    deadline = time.monotonic() + 20
    while w.bar.value < 1 and time.monotonic() < deadline:     # test_ok done, test_spin looping
        time.sleep(0.05)
    w.cancel()
    w.run(wait=True)
    assert time.monotonic() - t0 < 15
    assert w.report.message.startswith("Cancelled")
    assert w.report.score == 2 and not w.button.disabled


def test_static_fallback_html(reports):
    from otp_lite.grade.widget import StaticScore
    s = StaticScore(FX)
    s.report = reports["learner"]                   # as if it had run
    html = s._repr_html_()
    assert "6/10" in html and "Timed out after 1 s" in html


def test_widget_can_be_called_twice():
    # re-running the notebook cell must not find the submodule in place of the function
    from otp_lite import grade
    first = grade.widget("03_generic_server")
    second = grade.widget("03_generic_server")
    assert callable(grade.widget) and type(first) is type(second)
