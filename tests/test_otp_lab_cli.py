"""The `otp-lab` command (issue 22): grade, list, hint, doctor, and `--check` for one check."""
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from otp_lite import grade
from otp_lite.grade import cli

ROOT = Path(__file__).resolve().parent.parent
LABS = grade.labs()


def test_the_console_script_is_declared():
    d = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert d["project"]["scripts"]["otp-lab"] == "otp_lite.grade.cli:main"


def _copy_lab(tmp_path, name="02_hlr"):
    dst = tmp_path / "labs" / name
    shutil.copytree(grade.find_lab(name), dst, ignore=shutil.ignore_patterns(".grade", "__pycache__"))
    return dst


def test_grade_is_the_grader_itself(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert cli.main(["grade", "02_hlr", "--solution", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Score: 14/14" in text and json.loads(out.read_text())["score"] == 14
    with pytest.raises(SystemExit):
        cli.main(["grade", "--help"])
    assert capsys.readouterr().out.startswith("usage: otp-lab grade")
    assert cli.main(["grade", "no_such_lab"]) == 2


def test_one_check_alone(tmp_path, capsys):
    """`--check NAME --require-full`: one GitHub Classroom test; its own report, student.json untouched."""
    lab = _copy_lab(tmp_path)
    assert cli.main(["grade", str(lab), "--check", "test_lookup_ms", "--require-full"]) == 1
    assert cli.main(["grade", str(lab), "--solution", "--check", "test_lookup_ms",
                     "--check", "test_detach", "--require-full"]) == 0
    rep = json.loads((lab / ".grade" / "check.json").read_text())
    assert [t["name"] for t in rep["tests"]] == ["test_lookup_ms", "test_detach"]
    assert (rep["score"], rep["max_score"], rep["status"]) == (2, 2, "pass")
    assert not (lab / ".grade" / "student.json").exists()
    capsys.readouterr()
    assert cli.main(["grade", str(lab), "--check", "test_nope"]) == 2
    assert "no check called test_nope" in capsys.readouterr().err


def test_list(tmp_path, capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:5] == ["lab", "chapter", "points", "time", "last"]
    rows = {line.split()[0]: line.split() for line in out[1:-1]}
    assert set(rows) == {lab.name for lab in LABS}
    assert rows["02_hlr"][1:4] == ["2", "14", "~30"]
    # the learner's last score, from <lab>/.grade/student.json
    lab = _copy_lab(tmp_path)
    (lab / ".grade").mkdir()
    (lab / ".grade" / "student.json").write_text(json.dumps({"score": 9, "max_score": 14, "tests": []}))
    assert cli.main(["list", "--root", str(tmp_path / "labs")]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[:6] == ["02_hlr", "2", "14", "~30", "min", "9/14"]


@pytest.mark.parametrize("lab", LABS, ids=[p.name for p in LABS])
def test_every_lab_has_its_minutes_and_points(lab):
    """`minutes` in .meta/config.json agrees with the README's "About N minutes" where it says one."""
    cfg = json.loads((lab / ".meta" / "config.json").read_text())
    assert isinstance(cfg.get("minutes"), int) and 5 <= cfg["minutes"] <= 240
    m = re.search(r"About (\d+) minutes", (lab / "README.md").read_text()[:600])
    if m:
        assert cfg["minutes"] == int(m.group(1))
    assert sum(t["points"] for t in cli.manifest(lab)) > 0


def test_hint_picks_the_first_failing_task(tmp_path, capsys):
    lab = _copy_lab(tmp_path)
    (lab / ".meta" / "hints.toml").write_text('[task.1]\nhints = ["one-a", "one-b"]\n'
                                              '[task.2]\nhints = ["two-a", "two-b"]\n')
    assert cli.main(["hint", str(lab)]) == 0                        # no report yet: task 1
    assert capsys.readouterr().out.startswith("Task 1, hint 1 of 2: one-a")
    (lab / ".grade").mkdir()
    report = {"tests": [{"task_id": 1, "status": "pass"}, {"task_id": 2, "status": "fail"}]}
    (lab / ".grade" / "student.json").write_text(json.dumps(report))
    assert cli.main(["hint", str(lab), "--level", "2"]) == 0
    assert capsys.readouterr().out.splitlines() == ["Task 2, hint 1 of 2: two-a", "Task 2, hint 2 of 2: two-b"]
    assert cli.main(["hint", str(lab), "1"]) == 0
    assert "one-a" in capsys.readouterr().out
    report["tests"][1]["status"] = "pass"
    (lab / ".grade" / "student.json").write_text(json.dumps(report))
    assert cli.main(["hint", str(lab)]) == 0
    assert "no hint needed" in capsys.readouterr().out
    assert cli.main(["hint", str(lab), "7"]) == 2


def test_doctor(capsys, monkeypatch):
    rc = cli.main(["doctor"])
    out = capsys.readouterr().out
    for what in ("Python >= 3.11", "greenlet", "ipykernel", "jupyterlab", "python3 kernel spec",
                 "chromium", "erl"):
        assert what in out
    assert rc == 0 and "Ready" in out                               # this venv has the essentials
    real = cli._importable
    monkeypatch.setattr(cli, "_importable", lambda m: False if m == "jupyterlab" else real(m))
    monkeypatch.setattr(cli, "CHROMIUM", "/nonexistent/chromium")
    assert cli.main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "[MISSING] jupyterlab" in out and "fix: pip install -e '.[lab]'" in out
    assert "[missing (optional)] chromium" in out and "tools/install_browser.sh" in out


def test_python_dash_m_and_no_command():
    r = subprocess.run([sys.executable, "-m", "otp_lite.grade.cli", "list"], capture_output=True,
                       text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0 and "02_hlr" in r.stdout
    assert cli.main([]) == 2
