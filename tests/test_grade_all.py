"""Batch grading (issue 22): ``otp-lab grade-all`` on 30 generated submissions of lab 02.

The reference solution (several learners), its alternatives (full marks), the
untouched stub and an empty hand-in (0), every mutant of ``.meta/mutants``
(below full marks), and three that attack the batch itself: a loop at import,
a syntax error, an exception at import (0, and the others still graded).
"""
import csv
import json
import shutil
import threading

import pytest

from otp_lite import grade
from otp_lite.grade import batch, cli, mutants, runner

pytestmark = pytest.mark.timeout(300)     # ~30 s on an idle 2-core machine; room for a busy one

LAB = grade.find_lab("02_hlr")
N = 30


def _submissions(root):
    """30 learner folders: name -> what it should score ('full', 'zero', 'below')."""
    want = {}
    for kind, expect in (("mutants", "below"), ("alternatives", "full")):
        for v in mutants.load(LAB, kind):
            mutants.materialise(v, root / f"{kind[:3]}_{v.name}")
            want[f"{kind[:3]}_{v.name}"] = expect
    (root / "stub").mkdir()
    shutil.copy(LAB / "hlr.py", root / "stub" / "hlr.py")
    want["stub"] = "zero"
    (root / "handed_in_nothing").mkdir()
    want["handed_in_nothing"] = "zero"
    sol = (LAB / "solution" / "hlr.py").read_text()
    for name, text in (("loops_at_import", "while True:\n    pass\n" + sol),
                       ("syntax_error", sol.replace("def ", "def def ", 1)),
                       ("raises_at_import", "raise RuntimeError('half done')\n" + sol)):
        (root / name).mkdir()
        (root / name / "hlr.py").write_text(text)
        want[name] = "zero"
    i = 0
    while len(want) < N:
        i += 1
        (root / f"ref_{i:02d}").mkdir()
        shutil.copy(LAB / "solution" / "hlr.py", root / f"ref_{i:02d}" / "hlr.py")
        want[f"ref_{i:02d}"] = "full"
    (root / ".hidden").mkdir()                      # not a learner
    return want


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("submissions")
    want = _submissions(root)
    calls, lock, real = [], threading.Lock(), runner.grade

    def counting(lab, **kw):
        with lock:
            calls.append(kw["target"].name)
        return real(lab, **kw)

    mp = pytest.MonkeyPatch()
    mp.setattr(runner, "grade", counting)
    try:
        # total_timeout 15 s: the loop at import costs one worker 15 s, not the lab's 60
        # (a submission grades in ~1.3 s on an idle machine)
        b = batch.grade_all(root, LAB, jobs=4, out=root / "gradebook", total_timeout=15, progress=False)
    finally:
        mp.undo()
    return b, want, calls, root


def test_every_submission_is_graded_exactly_once(book):
    b, want, calls, _ = book
    assert len(want) == N
    assert sorted(calls) == sorted(want)                   # each once, the hidden folder never
    assert [r["learner"] for r in b["learners"]] == sorted(want)


def test_every_row_scores_what_the_submission_deserves(book):
    b, want, _, _ = book
    mx = b["max_score"]
    assert mx == 14
    for r in b["learners"]:
        expect = want[r["learner"]]
        if expect == "full":
            assert (r["score"], r["status"]) == (mx, "pass"), r
        elif expect == "zero":
            assert r["score"] == 0, r
        else:
            assert r["score"] < mx and r["status"] == "fail", r
    rows = {r["learner"]: r for r in b["learners"]}
    assert "did not even start" in rows["loops_at_import"]["message"]
    assert "SyntaxError" in rows["syntax_error"]["message"] or "syntax" in rows["syntax_error"]["message"]
    assert "half done" in rows["raises_at_import"]["message"]


def test_the_gradebook_files(book):
    b, want, _, root = book
    out = root / "gradebook"
    with open(out / "gradebook.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = [c["name"] for c in b["checks"]]
    assert list(rows[0]) == ["learner", *names, "total", "max", "status", "message"]
    assert len(rows) == N
    for row in rows:
        assert sum(float(row[n]) for n in names) == float(row["total"])
        assert row["max"] == "14"
    assert json.loads((out / "gradebook.json").read_text())["learners"] == b["learners"]
    assert len(list((out / "reports").glob("*.json"))) == N
    png = out / "summary.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_the_command_line(tmp_path, capsys):
    """`otp-lab grade-all` (two learners, so it stays quick): the summary and the files."""
    for name, src in (("amy", LAB / "solution" / "hlr.py"), ("bo", LAB / "hlr.py")):
        (tmp_path / name).mkdir()
        shutil.copy(src, tmp_path / name / "hlr.py")
    assert cli.main(["grade-all", str(tmp_path), "02_hlr", "--jobs", "2"]) == 0
    cap = capsys.readouterr()
    assert "2 learners graded" in cap.out and "full marks 1, zero 1" in cap.out
    assert "[2/2]" in cap.err
    assert (tmp_path / "gradebook" / "gradebook.csv").read_text().count("\n") == 3
    assert cli.main(["grade-all", str(tmp_path / "nope"), "02_hlr"]) == 2
