"""GitHub Classroom autograding (issue 22): `otp-lab classroom LAB` writes .github/classroom/autograding.json.

The fields are those of GitHub Classroom's autograding action (education/autograding:
name, setup, run, input, output, comparison, timeout in minutes, points).
"""
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from otp_lite import grade
from otp_lite.grade import classroom, cli

ROOT = Path(__file__).resolve().parent.parent
LABS = grade.labs()


@pytest.mark.parametrize("lab", LABS, ids=[p.name for p in LABS])
def test_one_test_per_check_with_its_points(lab, tmp_path):
    path = classroom.write(lab, tmp_path)
    assert path == tmp_path / ".github" / "classroom" / "autograding.json"
    d = json.loads(path.read_text())
    assert list(d) == ["tests"]
    sealed = json.loads((lab / ".meta" / "checksums.json").read_text())["manifest"]
    assert len(d["tests"]) == len(sealed)
    names = [t["name"] for t in d["tests"]]
    assert len(set(names)) == len(names)
    for t, s in zip(d["tests"], sealed):
        assert tuple(t) == classroom.FIELDS
        assert all(isinstance(t[k], str) for k in ("name", "setup", "run", "input", "output"))
        assert t["comparison"] in ("exact", "included", "regex")
        assert isinstance(t["timeout"], int) and 1 <= t["timeout"] <= 60          # minutes
        assert t["points"] == s["points"] and t["name"].endswith(s["id"].split("::")[-1])
        assert t["run"].endswith(f"labs/{lab.name} --check {s['id'].split('::')[-1]} --require-full")
    assert d["tests"][0]["setup"] == classroom.SETUP and all(t["setup"] == "" for t in d["tests"][1:])
    assert sum(t["points"] for t in d["tests"]) == sum(s["points"] for s in sealed)


def test_a_generated_command_passes_only_when_its_check_does(tmp_path):
    """Run one test's `run` as Classroom would, from the repository root: the stub fails, the reference passes."""
    lab = grade.find_lab("02_hlr")
    shutil.copytree(lab, tmp_path / "labs" / lab.name, ignore=shutil.ignore_patterns(".grade", "__pycache__"))
    test = classroom.tests(lab)[1]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable if a == "python" else a for a in shlex.split(test["run"])]
    run = lambda extra: subprocess.run(cmd + extra, cwd=tmp_path, env=env, capture_output=True,  # noqa: E731
                                       text=True, timeout=120)
    r = run([])
    assert r.returncode == 1 and f"0/{test['points']}" in r.stdout
    shutil.copy(lab / "solution" / "hlr.py", tmp_path / "labs" / lab.name / "hlr.py")
    r = run([])
    assert r.returncode == 0 and f"{test['points']}/{test['points']}" in r.stdout


def test_the_command_line(tmp_path, capsys):
    assert cli.main(["classroom", "02_hlr", "--out", str(tmp_path)]) == 0
    assert "11 tests, 14 points" in capsys.readouterr().out
    assert (tmp_path / ".github" / "classroom" / "autograding.json").is_file()
    assert cli.main(["classroom", "nope", "--out", str(tmp_path)]) == 2
