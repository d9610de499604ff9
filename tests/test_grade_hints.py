"""Tiered hints (issue 21): .meta/hints.toml, `--hint TASK [--level K]`, the widget's Hint button."""
import json

import pytest

from otp_lite import grade
from otp_lite.grade import hints
from otp_lite.grade.__main__ import main

LABS = grade.labs()
# Labs whose hints are not written yet (a ratchet: remove a lab when it has them).
PENDING = set()


def _lab(tmp_path, text):
    (tmp_path / ".meta").mkdir(parents=True, exist_ok=True)
    (tmp_path / "tests").mkdir(exist_ok=True)
    (tmp_path / ".meta" / "hints.toml").write_text(text)
    return tmp_path


def test_levels_and_the_next_step(tmp_path):
    lab = _lab(tmp_path, '[task.2]\nhints = ["look at monitor", "one monitor per pid", "a dict pid -> ref"]\n')
    assert hints.load(lab) == {2: ["look at monitor", "one monitor per pid", "a dict pid -> ref"]}
    assert hints.text(lab, 2) == "Task 2, hint 1 of 3: look at monitor\n(next: --hint 2 --level 2)"
    assert hints.text(lab, 2, 9).splitlines()[-1] == "Task 2, hint 3 of 3: a dict pid -> ref"
    with pytest.raises(grade.LabError, match="no task 5"):
        hints.text(lab, 5)


@pytest.mark.parametrize("bad", ['[task.one]\nhints = ["x"]\n', '[task.1]\nhints = []\n',
                                 '[task.1]\nhints = [""]\n', '[task.1\n'])
def test_a_bad_hints_file_is_a_clear_error(tmp_path, bad):
    with pytest.raises(grade.LabError, match="hints.toml"):
        hints.load(_lab(tmp_path, bad))


def test_the_command_line(capsys):
    lab = next((p for p in LABS if hints.load(p)), None)
    if lab is None:
        pytest.skip("no lab has hints yet")
    task = next(iter(hints.load(lab)))
    assert main([lab.name, "--hint", str(task)]) == 0
    assert capsys.readouterr().out.startswith(f"Task {task}, hint 1 of ")
    assert main([lab.name, "--hint", "99"]) == 2


@pytest.mark.parametrize("lab", LABS, ids=[p.name for p in LABS])
def test_every_task_has_hints(lab):
    """A [task.N] with at least two tiers for every task the lab's checks are marked with."""
    tasks = {c["task_id"] for c in json.loads((lab / ".meta" / "checksums.json").read_text())["manifest"]}
    have = hints.load(lab)
    if lab.name in PENDING:
        assert not (tasks <= set(have)), f"{lab.name} has its hints now: remove it from PENDING"
        return
    missing = sorted(t for t in tasks if len(have.get(t, [])) < 2)
    assert missing == [], f"{lab.name}: tasks without two tiers of hints in .meta/hints.toml: {missing}"


def test_the_widget_shows_the_next_hint_of_the_first_failing_task(tmp_path):
    pytest.importorskip("ipywidgets")
    import sys
    from otp_lite.grade.runner import Report, CheckResult
    widget_module = sys.modules["otp_lite.grade.widget"]      # grade.widget is the function
    lab = _lab(tmp_path, '[task.1]\nhints = ["a", "b"]\n[task.2]\nhints = ["c", "d"]\n')
    w = widget_module._widget_class()(lab)
    assert "hint 1 of 2: a" in w.hint()                    # before any run: task 1
    w.report = Report(lab="x", target="student", status="fail", message=None, tests=[
        CheckResult(id="t1", name="t1", points=1, task_id=1, status="pass"),
        CheckResult(id="t2", name="t2", points=1, task_id=2, status="fail")])
    assert "hint 1 of 2: c" in w.hint() and "hint 2 of 2: d" in w.hint()
