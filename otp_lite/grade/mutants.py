"""Wrong and alternative solutions of a lab, kept to test its checks (teachers).

A lab's checks are only as good as the mistakes they catch.  Each lab keeps

* ``.meta/mutants/<name>.toml``: a plausible **wrong** solution, the
  reference with one learner mistake in it; grading it must lose at least one
  point;
* ``.meta/alternatives/<name>.toml``: another **correct** solution (another
  data shape, another valid order, a return form OTP also accepts); grading
  it must give full marks.

Both are written as edits of ``solution/``, so each reads as the mistake
itself, not as a copy of the whole module::

    why = "README, task 4: 'the frequency is free again (exactly once)'"

    [[edit]]
    file = "phone_fsm.py"
    find = '''        return ('next_state', 'idle', data)'''
    replace = '''        return ('next_state', 'idle', data_with_freq)'''
    count = 1              # optional: how many times ``find`` occurs (default 1)

``why`` cites the README sentence the mutant breaks (for an alternative:
what it does differently and why it is still right).  ``find`` must occur
exactly ``count`` times in the file, so an edit that no longer applies (the
solution changed) is an error, never a silent no-op.

``python -m otp_lite.grade --mutants LAB|all`` grades every mutant and
alternative and prints which checks caught each one (``tests/test_lab_mutants.py``
does the same in ``make test``).
"""
from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .runner import LabError, load_config

__all__ = ["Variant", "load", "materialise", "KINDS"]

KINDS = ("mutants", "alternatives")


@dataclass
class Variant:
    lab: Path
    kind: str                   # 'mutants' or 'alternatives'
    name: str
    why: str
    edits: list = field(default_factory=list)   # [{'file', 'find', 'replace', 'count'}]

    @property
    def id(self):
        return f"{self.lab.name}/{self.kind[:-1]}/{self.name}"


def load(lab, kind):
    """The variants of one kind (``'mutants'`` or ``'alternatives'``) of a lab, by name."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    lab = Path(lab)
    folder = lab / ".meta" / kind
    out = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
        try:
            d = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as e:
            raise LabError(f"{path}: {e}") from None
        why, edits = d.get("why"), d.get("edit")
        if not isinstance(why, str) or not why.strip():
            raise LabError(f"{path}: needs why = \"...\" (the README sentence it breaks, or why it is right)")
        if not isinstance(edits, list) or not edits:
            raise LabError(f"{path}: needs at least one [[edit]] (file, find, replace)")
        for e in edits:
            missing = {"file", "find", "replace"} - set(e)
            if missing:
                raise LabError(f"{path}: an [[edit]] lacks {sorted(missing)}")
        out.append(Variant(lab, kind, path.stem, why.strip(), edits))
    return out


def materialise(variant, dest):
    """Write the variant's modules into ``dest``: ``solution/`` with its edits applied."""
    lab, dest = variant.lab, Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    files = load_config(lab)["files"]["solution"]
    for f in files:
        shutil.copyfile(lab / "solution" / f, dest / f)
    for e in variant.edits:
        f = e["file"]
        if f not in files:
            raise LabError(f"{variant.id}: edits {f}, which is not one of the learner's files {files}")
        text = (dest / f).read_text()
        want = int(e.get("count", 1))
        n = text.count(e["find"])
        if n != want:
            raise LabError(f"{variant.id}: 'find' occurs {n} times in solution/{f} "
                           f"(expected {want}); the solution changed, update the edit")
        text = text.replace(e["find"], e["replace"])
        (dest / f).write_text(text)
    return dest
