"""Hostile learners against the grader (issue 17): tests/grader_fixtures/hostile/.

Each attack is lab 04's untouched starting file plus a few lines (and, for some,
files next to it).  The stub earns 0, so every attack must earn 0 too, leave
``tests/`` byte-identical, end within ``total_timeout`` + 10 s, and leave no
process of the learner's behind.  Attacks the grader can see are reported as
``tampered``.  All gradings run at once in threads (about 20 s of wall time).

``python tests/test_grader_hostile.py`` prints the table of scores and wall
times that the closing note quotes.
"""
import hashlib
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).parent / "grader_fixtures" / "hostile"
LAB04 = REPO / "labs" / "04_frequency_gen_server"
ATTACKS = sorted(p.stem for p in HOSTILE.glob("*.py"))
ON_SOLUTION = {"keyboard_interrupt"}        # a working server with a few functions gone wrong
TIMEOUT, TOTAL = 2, 12
TAMPERED = {"patch_failed", "patch_expect", "patch_expect_code", "patch_pytest", "rewrite_tests", "kill_sandbox"}


def _digest(folder):
    h = hashlib.sha256()
    for p in sorted(Path(folder).rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def make_lab(root, attack):
    lab = Path(root) / attack / "04_frequency_gen_server"
    shutil.copytree(LAB04, lab, ignore=shutil.ignore_patterns(".grade", "__pycache__"))
    attack_src = (HOSTILE / f"{attack}.py").read_text()
    base = LAB04 / ("solution" if attack_src.startswith("# BASE: solution") else "") / "frequency.py"
    (lab / "frequency.py").write_text(base.read_text() + "\n" + attack_src)
    extra = HOSTILE / f"{attack}.files"
    if extra.is_dir():
        for f in extra.iterdir():
            shutil.copy(f, lab / f.name)
    return lab


def grade_one(root, attack):
    from otp_lite import grade
    lab = make_lab(root, attack)
    before = _digest(lab / "tests")
    t0 = time.monotonic()
    rep = grade.grade(lab, timeout=TIMEOUT, total_timeout=TOTAL)
    wall = time.monotonic() - t0
    return {"attack": attack, "report": rep, "wall": wall, "lab": lab,
            "tests_intact": _digest(lab / "tests") == before}


def grade_all(root, workers=4):
    with ThreadPoolExecutor(max_workers=workers) as ex:
        return {r["attack"]: r for r in ex.map(lambda a: grade_one(root, a), ATTACKS)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grade_all(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_attack_earns_what_the_stub_earns(graded, attack):
    r = graded[attack]
    rep = r["report"]
    if attack not in ON_SOLUTION:
        assert rep.score == 0, rep.table()
    assert r["tests_intact"], f"{attack} changed tests/ on disk"
    assert r["wall"] <= TOTAL + 10, f"{attack} took {r['wall']:.1f} s"
    if attack in TAMPERED:
        assert rep.status == "tampered" and "tamper" in rep.message.lower(), rep.table()


def test_base_exceptions_fail_only_their_own_check(graded):
    rep = graded["keyboard_interrupt"]["report"]
    msgs = {t.name: t.message for t in rep.tests}
    assert rep.status == "fail" and len(rep.tests) == 15
    assert not [n for n, m in msgs.items() if m.startswith("Not run")], msgs
    assert 0 < rep.score < rep.max_score              # the checks that do not call them pass
    text = "\n".join(msgs.values())
    for exc in ("KeyboardInterrupt", "SystemExit", "GeneratorExit", "Skipped"):
        assert exc in text, exc


def _hostile_daemons():
    import psutil
    left = []
    for p in psutil.process_iter(["pid", "environ"]):
        try:
            if (p.info["environ"] or {}).get("_HOSTILE_DAEMON"):
                left.append(p.pid)
        except psutil.Error:
            pass
    return left


def test_killing_the_sandbox_leaves_nothing_behind(graded):
    assert graded["kill_sandbox"]["report"].status == "tampered"
    assert _hostile_daemons() == []


def test_a_daemon_neither_holds_the_grader_nor_outlives_it(graded):
    r = graded["daemon"]
    path = Path(r["report"].path)
    first = path.read_text()
    time.sleep(1.5)                       # the daemon rewrote the report 0.2 s after, before
    assert path.read_text() == first
    assert _hostile_daemons() == []


def test_memory_is_capped(graded):
    rep = graded["memory_hog"]["report"]
    why = [t.message for t in rep.tests if t.status != "pass"]
    assert why and any("more than" in m and "MiB" in m for m in why), why


def test_an_alarm_turned_off_costs_each_check_its_limit_only(graded):
    """The sandbox's watchdog stops a check that outlives its alarm; the next checks still run."""
    r = graded["alarm_off"]
    assert r["wall"] <= TOTAL + 10
    msgs = [t.message for t in r["report"].tests]
    assert msgs[0].startswith(f"Timed out after {TIMEOUT} s: the check did not finish, and did not stop")


def test_terminal_escapes_are_shown_not_obeyed(graded):
    text = graded["ansi"]["report"].table()
    assert "\x1b" not in text and "\\x1b" in text


def test_modified_checks_are_not_graded(tmp_path):
    """A learner who edits tests/ gets 'tests modified' and nothing runs, whatever the edit."""
    from otp_lite import grade
    lab = make_lab(tmp_path, "ansi")
    t = lab / "tests" / "test_frequency_gen_server.py"
    t.write_text(t.read_text().replace("def test_start_twice", "def test_start_twice_skipped"))
    rep = grade.grade(lab, timeout=TIMEOUT, total_timeout=TOTAL)
    assert rep.status == "tampered" and rep.score == 0
    assert "tests modified" in rep.message and "differs from the sealed copy" in rep.message
    assert all(x.status == "error" for x in rep.tests) and len(rep.tests) == 15


def test_a_plugin_registered_by_learner_code_is_tampering(tmp_path):
    """Learner code that registers its own pytest hooks (here: deselect every check but one)."""
    from otp_lite import grade
    lab = make_lab(tmp_path, "ansi")
    (lab / "frequency.py").write_text((lab / "frequency.py").read_text() + """
import gc as _gc
for _o in _gc.get_objects():
    if type(_o).__name__ == "PytestPluginManager":
        class _Deselect:
            @staticmethod
            def pytest_collection_modifyitems(items):
                del items[1:]
        _o.register(_Deselect())
        break
""")
    rep = grade.grade(lab, timeout=TIMEOUT, total_timeout=TOTAL)
    assert rep.status == "tampered" and rep.score == 0, rep.table()


def test_progress_reports_each_check(tmp_path):
    from otp_lite import grade
    seen = []
    rep = grade.grade(LAB04, solution=True, report_path=tmp_path / "p.json", progress=seen.append)
    kinds = [r["type"] for r in seen]
    assert kinds[0] == "collected" and kinds.count("start") == kinds.count("result") == len(rep.tests)
    assert kinds[-1] == "end" and rep.score == rep.max_score


if __name__ == "__main__":                  # the before/after table of the closing note
    import tempfile
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory() as d:
        res = grade_all(d)
        print("| attack | score | status | wall (s) | tests/ intact |")
        print("|---|---|---|---|---|")
        for a, r in res.items():
            rep = r["report"]
            print(f"| {a} | {rep.score:g}/{rep.max_score:g} | {rep.status} | {r['wall']:.1f} | {r['tests_intact']} |")
