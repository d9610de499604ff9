"""The sealed copy of a lab's checks: ``.meta/checksums.json``.

::

    {"version": 1,
     "files": {"tests/conftest.py": "<sha256>", "tests/test_hlr.py": "<sha256>"},
     "manifest": [{"id": "tests/test_hlr.py::test_attach", "points": 1, "task_id": 1}, ...]}

The runner grades only with check files whose bytes match the seal (a
mismatch is reported as "tests modified" and nothing is run), runs them from
a copy it made before any learner code started, compares the checks it
collected with ``manifest``, and puts the sealed bytes back if a run changed
the files on disk.  A teacher who edits the checks re-seals::

    python -m otp_lite.grade --seal labs/04_frequency_gen_server     (or: --seal all)

``tests/test_labs.py`` fails when a lab's seal is stale.  The seal lives in
the lab folder, so on the learner's own machine it stops accidents and
casual edits; for grades that count, CI grades with the teacher's copy of
``tests/`` and ``.meta/`` (labs/README.md, "What the grader defends against").
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

__all__ = ["PATH", "test_files", "load", "check", "write", "manifest_key"]

PATH = Path(".meta") / "checksums.json"


def test_files(lab_dir):
    """{'tests/x.py': bytes} of every file under tests/ (no caches)."""
    lab_dir = Path(lab_dir)
    out = {}
    for p in sorted((lab_dir / "tests").rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith((".pyc", ".pyo")):
            out[p.relative_to(lab_dir).as_posix()] = p.read_bytes()
    return out


def _sha(b):
    return hashlib.sha256(b).hexdigest()


def load(lab_dir):
    p = Path(lab_dir) / PATH
    if not p.exists():
        return None
    try:
        d = json.loads(p.read_text())
    except ValueError:
        return {"files": {}, "manifest": None, "broken": True}
    return d


def check(lab_dir, sealed):
    """``(files, problems)``: the check files now on disk, and how they differ from the seal."""
    files = test_files(lab_dir)
    if sealed is None:
        return files, []
    if sealed.get("broken"):
        return files, [f"{PATH.as_posix()} is not valid JSON"]
    want = sealed.get("files") or {}
    problems = []
    for name, digest in sorted(want.items()):
        b = files.get(name)
        if b is None:
            problems.append(f"{name} is missing")
        elif _sha(b) != digest:
            problems.append(f"{name} differs from the sealed copy")
    for name in sorted(set(files) - set(want)):
        problems.append(f"{name} is not in the seal")
    return files, problems


def manifest_key(tests):
    """What must match between a collected manifest and the sealed one: ids, points, tasks."""
    return [(t["id"], t.get("points"), t.get("task_id")) for t in tests or []]


def write(lab_dir, manifest):
    """Seal the check files now on disk with ``manifest`` (collected from solution/)."""
    lab_dir = Path(lab_dir)
    d = {"version": 1,
         "files": {n: _sha(b) for n, b in test_files(lab_dir).items()},
         "manifest": [{"id": t["id"], "points": t.get("points"), "task_id": t.get("task_id")}
                      for t in manifest]}
    p = lab_dir / PATH
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(d, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, p)
    return d
