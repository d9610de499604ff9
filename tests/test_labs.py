"""Every lab under labs/: the solution scores full marks, the untouched starting point scores 0.

Labs are discovered (any labs/<nn>_<name>/ with a tests/ folder), so a new
lab is checked as soon as it exists; labs/README.md says how to add one.
All gradings run at once in subprocesses (~1.5 s each).
"""
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from otp_lite import grade

LABS = grade.labs()
IDS = [p.name for p in LABS]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("labs")
    jobs = [(lab, target) for lab in LABS for target in ("solution", "student")]

    def run(job):
        lab, target = job
        return (lab.name, target), grade.grade(lab, target=target,
                                               report_path=out / f"{lab.name}-{target}.json")

    with ThreadPoolExecutor(max_workers=4) as ex:
        return dict(ex.map(run, jobs))


def test_there_are_labs():
    assert {"02_hlr", "03_generic_server"} <= set(IDS)


@pytest.mark.parametrize("lab", LABS, ids=IDS)
def test_lab_layout(lab):
    for f in ("README.md", ".meta/design.md", ".meta/config.json", "tests/conftest.py"):
        assert (lab / f).is_file(), f"{lab.name}: {f} is missing (see labs/README.md)"
    cfg = json.loads((lab / ".meta" / "config.json").read_text())
    assert cfg["slug"] == lab.name
    files = cfg["files"]
    for f in files["solution"]:
        assert (lab / f).is_file(), f"{lab.name}: starting point {f} is missing"
        assert (lab / "solution" / f).is_file(), f"{lab.name}: solution/{f} is missing"
        assert "TODO (student)" in (lab / f).read_text(), f"{lab.name}/{f} has no '# TODO (student)' marker"
    for f in files["test"] + files["exemplar"]:
        assert (lab / f).is_file(), f"{lab.name}: {f} is missing"


@pytest.mark.parametrize("lab", LABS, ids=IDS)
def test_seal_is_current(graded, lab):
    """.meta/checksums.json matches tests/ and the checks collected against solution/
    (after editing checks: python -m otp_lite.grade --seal LAB)."""
    from otp_lite.grade import seal
    sealed = seal.load(lab)
    assert sealed is not None, f"{lab.name} is not sealed: python -m otp_lite.grade --seal {lab.name}"
    _files, problems = seal.check(lab, sealed)
    assert problems == [], f"{lab.name}: {problems}; re-seal with python -m otp_lite.grade --seal {lab.name}"
    rep = graded[(lab.name, "solution")]
    assert seal.manifest_key(sealed["manifest"]) == [(t.id, t.points, t.task_id) for t in rep.tests]


@pytest.mark.parametrize("lab", LABS, ids=IDS)
def test_solution_scores_full_marks(graded, lab):
    rep = graded[(lab.name, "solution")]
    failed = [f"{t.name}: {t.why}" for t in rep.tests if t.status != "pass"]
    assert rep.status == "pass" and not failed, f"{lab.name} solution: {rep.message or failed}"
    assert rep.max_score > 0 and rep.score == rep.max_score


@pytest.mark.parametrize("lab", LABS, ids=IDS)
def test_starting_point_scores_zero(graded, lab):
    rep = graded[(lab.name, "student")]
    sol = graded[(lab.name, "solution")]
    assert [t.id for t in rep.tests] == [t.id for t in sol.tests]      # every check is listed
    lucky = [t.name for t in rep.tests if t.status == "pass"]
    assert lucky == [], f"{lab.name}: these checks pass on the untouched starting point: {lucky}"
    assert rep.score == 0
    # The stub imports (every function exists) and each check fails on its own assertion,
    # not on a missing name, a crash or a time-out.
    assert rep.status == "fail" and rep.message is None, rep.message
    bad = [f"{t.name}: {t.why}" for t in rep.tests if t.status != "fail"]
    assert bad == [], f"{lab.name}: checks that error on the stub instead of failing: {bad}"


@pytest.mark.parametrize("lab", LABS, ids=IDS)
def test_checks_carry_points_and_tasks(graded, lab):
    rep = graded[(lab.name, "solution")]
    for t in rep.tests:
        assert t.task_id is not None, f"{t.id}: add @pytest.mark.task(taskno=N)"
        assert t.points > 0, f"{t.id}: add @pytest.mark.points(n)"
        assert t.doc, f"{t.id}: give the check a one-line docstring (shown in the widget)"
