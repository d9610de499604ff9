"""Seal a lab: hash its check files and collect its checks against ``solution/``.

Kept apart from :mod:`.seal` (which only reads and compares) because it runs
the sandbox, as the runner does.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from . import seal
from .runner import LabError, _collect, _stage, load_config

__all__ = ["seal_lab"]


def seal_lab(lab_dir):
    lab_dir = Path(lab_dir).resolve()
    sol = lab_dir / "solution"
    if not sol.is_dir():
        raise LabError("a lab is sealed against its solution/ folder, and this one has none")
    cfg = load_config(lab_dir)
    work = _stage(lab_dir, sol, seal.test_files(lab_dir))
    try:
        manifest = _collect(work, float(cfg["timeout"]), 60.0, int(cfg.get("memory_mb") or 1024))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not manifest:
        raise LabError("no checks could be collected against solution/")
    return seal.write(lab_dir, manifest)
