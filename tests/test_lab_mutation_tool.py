"""tools/lab_mutation.py: mutants of a tiny fake lab, graded and classified (killed / error /
survived / equivalent).  Generating mutants needs mutmut (the ``mutation`` extra): without it
those tests are skipped, so ``make test`` stays green on a machine without the extra."""
import importlib.util
import json
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("lab_mutation", ROOT / "tools" / "lab_mutation.py")
lm = importlib.util.module_from_spec(_spec)
sys.modules["lab_mutation"] = lm
_spec.loader.exec_module(lm)

SOLUTION = textwrap.dedent('''\
    """A 5-line solution."""
    LIMIT = 3                  # how many fit


    def fits(n):
        return n <= LIMIT
''')

CHECKS = [lambda m: m.fits(3) is True, lambda m: m.fits(4) is False]      # the lab's 2 checks


def fake_lab(tmp_path, equivalent=""):
    lab = tmp_path / "99_fake"
    (lab / "solution").mkdir(parents=True)
    (lab / "tests").mkdir()
    (lab / ".meta").mkdir()
    (lab / "solution" / "limit.py").write_text(SOLUTION)
    (lab / ".meta" / "config.json").write_text(json.dumps(
        {"slug": "99_fake", "files": {"solution": ["limit.py"], "test": [], "exemplar": []}}))
    if equivalent:
        (lab / ".meta" / "equivalent_mutants.toml").write_text(textwrap.dedent(equivalent))
    return lab


def fake_grade(lab, target, write):
    """The grader's contract (a Report with status, score, max_score, tests), checks run in-process."""
    name = f"_labmut_{abs(hash(target))}"
    spec = importlib.util.spec_from_file_location(name, Path(target) / "limit.py")
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
    except Exception as e:                                  # an import error: the run is an error
        return SimpleNamespace(status="error", message=repr(e), score=0, max_score=2, tests=[])
    tests = []
    for i, check in enumerate(CHECKS):
        try:
            ok = check(mod)
        except Exception:
            ok = False
        tests.append(SimpleNamespace(name=f"check{i}", status="pass" if ok else "fail"))
    score = sum(t.status == "pass" for t in tests)
    return SimpleNamespace(status="pass" if score == 2 else "fail", message=None, score=score,
                           max_score=2, tests=tests)


def test_classify_counts_error_as_killed_and_drops_equivalents():
    results = [
        {"file": "a.py", "line": 1, "mutated": "x = 2", "status": "killed"},
        {"file": "a.py", "line": 2, "mutated": "y = None", "status": "error", "note": "tampered"},
        {"file": "a.py", "line": 3, "mutated": 'log("XXhiXX")', "status": "survived"},
        {"file": "a.py", "line": 4, "mutated": "z = 1", "status": "survived"},
        {"file": "a.py", "line": 1, "mutated": "x = 3", "status": "killed"},
    ]
    equivalent = {("a.py", 3, 'log("XXhiXX")'): "a log message", ("a.py", 1, "x = 3"): "wrong verdict",
                  ("b.py", 9, "gone"): "stale"}
    c, survivors, equivs, stale, unseen = lm.classify(results, equivalent)
    assert c == {"mutants": 5, "killed": 3, "error": 1, "survived": 1, "equivalent": 1, "score": 75.0}
    assert [r["line"] for r in survivors] == [4]
    assert [why for _, why in equivs] == ["a log message"]
    assert stale == [("a.py", 1, "x = 3")]          # listed as equivalent, but a check kills it
    assert unseen == [("b.py", 9, "gone")]


def test_select_limit_and_every_kth():
    xs = list(range(10))
    assert lm.select(xs, limit=3) == ([0, 1, 2], 1)
    assert lm.select(xs, sample=4) == ([0, 3, 6, 9], 3)
    assert lm.select(xs, sample=20) == (xs, 1)


def test_fake_lab_mutants_graded_and_classified(tmp_path):
    pytest.importorskip("mutmut")
    lab = fake_lab(tmp_path, equivalent='''\
        [[mutant]]
        file = "limit.py"
        line = 2
        mutated = "LIMIT = None                  # how many fit (a comment is ignored)"
        why = "made up for the test: pretend None were harmless"
        ''')
    muts, skipped = lm.lab_mutants(lab)
    assert skipped == {}
    got = {(m.line, m.mutated) for m in muts}
    assert (2, "LIMIT = 4") in got                                     # number +1 (comment dropped)
    assert (6, "return n < LIMIT") in got                              # <= -> <
    assert all(m.line != 1 for m in muts)                              # the docstring is never mutated
    entry = lm.run_lab(lab, jobs=2, grade_fn=fake_grade, progress=lambda s: None)
    by = {(r["line"], r["mutated"]): r["status"] for r in entry["results"]}
    assert by[(2, "LIMIT = 4")] == "killed"                           # fits(4) is True now
    assert by[(6, "return n < LIMIT")] == "killed"                              # fits(3) is False now
    c, survivors, equivs, _, _ = lm.classify(entry["results"], lm.load_equivalent(lab))
    assert c["mutants"] == len(muts) and c["survived"] == len(survivors)
    assert c["killed"] + c["survived"] + c["equivalent"] == c["mutants"]
    # LIMIT = None makes fits() raise: killed, so the (wrong) equivalent verdict is not used
    assert c["equivalent"] == 0 and not equivs


def test_limit_and_the_report(tmp_path):
    pytest.importorskip("mutmut")
    lab = fake_lab(tmp_path)
    entry = lm.run_lab(lab, limit=1, grade_fn=fake_grade, progress=lambda s: None)
    assert entry["graded"] == 1 and len(entry["results"]) == 1
    md = lm.render({"commit": "abc1234", "date": "today", "labs": {"99_fake": entry}}, None)
    assert "`99_fake`" in md and "abc1234" in md and "mutmut 2.5.1" in md


def test_grade_mutant_copies_solution_and_mutates_one_file(tmp_path):
    lab = fake_lab(tmp_path)
    (lab / "solution" / "data.cfg").write_text("kept")
    seen = {}

    def spy(lab_, target, write):
        t = Path(target)
        seen.update(files=sorted(p.name for p in t.iterdir()), src=(t / "limit.py").read_text(),
                    untouched=(lab / "solution" / "limit.py").read_text() == SOLUTION)
        return fake_grade(lab_, target, write)

    m = lm.Mutant("limit.py", 6, "return n <= LIMIT", "return n < LIMIT",
                  SOLUTION.replace("n <= LIMIT", "n < LIMIT"))
    r = lm.grade_mutant(lab, m, spy)
    assert r["status"] == "killed" and r["score"] == 1 and r["max"] == 2
    assert seen["files"] == ["data.cfg", "limit.py"] and "n < LIMIT" in seen["src"] and seen["untouched"]


def test_an_error_run_is_graded_once_more(tmp_path):
    lab = fake_lab(tmp_path)
    calls = []

    def flaky(lab_, target, write):                 # the first run fails for reasons of its own
        calls.append(target)
        if len(calls) == 1:
            return SimpleNamespace(status="error", message="The test process ended early", score=0,
                                   max_score=2, tests=[])
        return fake_grade(lab_, target, write)

    m = lm.Mutant("limit.py", 2, "LIMIT = 3", "LIMIT = 4", SOLUTION.replace("LIMIT = 3", "LIMIT = 4"))
    r = lm.grade_mutant(lab, m, flaky)
    assert len(calls) == 2 and r["status"] == "killed" and "graded again" in r["note"]
    always = lambda lab_, target, write: SimpleNamespace(status="tampered", message="Tampered: x",
                                                         score=0, max_score=2, tests=[])
    r = lm.grade_mutant(lab, m, always)
    assert r["status"] == "error" and r["note"] == "tampered: Tampered: x"
