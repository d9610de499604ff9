"""Tiered hints per task, for a learner who is stuck (``.meta/hints.toml``).

::

    [task.2]
    hints = ["a nudge: which README sentence, which OTP function",
             "the approach",
             "almost the code"]

``python -m otp_lite.grade LAB --hint 2`` prints the first hint of task 2,
``--hint 2 --level 2`` the first two; the widget's **Hint** button shows the
next hint of the first task that has a failing check.  Hints never contain
the solution: ``solution/`` is there for after you have passed (or given up).
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from .runner import LabError

__all__ = ["load", "text"]


def load(lab):
    """``{task_number: [hint, ...]}`` of a lab; ``{}`` when it has no hints file."""
    path = Path(lab) / ".meta" / "hints.toml"
    if not path.is_file():
        return {}
    try:
        d = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as e:
        raise LabError(f"{path}: {e}") from None
    out = {}
    for key, entry in (d.get("task") or {}).items():
        hints = entry.get("hints") if isinstance(entry, dict) else None
        if not key.isdigit() or not isinstance(hints, list) or not hints \
                or not all(isinstance(h, str) and h.strip() for h in hints):
            raise LabError(f"{path}: [task.{key}] needs hints = [\"...\", ...] (a task number, "
                           "then one or more non-empty strings)")
        out[int(key)] = [h.strip() for h in hints]
    return dict(sorted(out.items()))


def text(lab, task, level=1):
    """Hints 1..``level`` of ``task``, numbered, with how to get the next one."""
    hints = load(lab)
    if not hints:
        return f"{Path(lab).name} has no hints yet: read its README and tests/ (see labs/README.md)."
    if task not in hints:
        raise LabError(f"{Path(lab).name} has no task {task} (tasks with hints: "
                       f"{', '.join(map(str, hints))})")
    tiers = hints[task]
    level = max(1, min(int(level), len(tiers)))
    lines = [f"Task {task}, hint {i} of {len(tiers)}: {h}" for i, h in enumerate(tiers[:level], 1)]
    if level < len(tiers):
        lines.append(f"(next: --hint {task} --level {level + 1})")
    return "\n".join(lines)
