"""Helpers that a lab's ``tests/conftest.py`` and checks import.

A lab's conftest is three lines::

    from otp_lite.grade.labkit import select_target, fresh_runtime, trace  # noqa: F401
    select_target(__file__)

* :func:`select_target` puts the code under test first on ``sys.path``: the
  learner's files in the lab folder (default), or ``solution/`` when the
  grader runs with ``--solution`` (``OTP_LAB_TARGET=solution``), or any
  folder named by ``OTP_LAB_TARGET``.
* ``fresh_runtime`` (autouse) gives every check a fresh virtual-clock
  runtime, seed 0: the check is the shell process, as a notebook cell is.
* ``trace`` is a :class:`otp_lite.runtime.Recorder` already recording, for
  checks that assert on what happened (``trace.of_kind('send')``), not only
  on what was returned.
* :func:`expect` fails with the lab message shape
  "Called X. Got A, expected B." (:func:`check`: "Checked X. ...").
* ``@explore(runs=300)`` makes a check *explored*: its body runs under
  hundreds of schedules (:mod:`otp_lite.explore`) and fails with the first
  one that breaks it, the schedule in the message (:mod:`.explored`);
  ``replay_sequence(check, schedule)`` draws that schedule in a notebook.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from otp_lite import runtime

from .explored import explore, ExploredFailure, replay_sequence  # noqa: F401  (re-exported)

__all__ = ["select_target", "require", "fresh_runtime", "trace", "expect", "check", "target_dir",
           "sends_to_dead", "exits_of", "explore", "ExploredFailure", "replay_sequence"]


def target_dir(lab_dir, target=None):
    """The folder whose modules are under test for ``target``."""
    lab_dir = Path(lab_dir)
    target = target if target is not None else os.environ.get("OTP_LAB_TARGET", "student")
    if target in ("", "student"):
        return lab_dir
    if target == "solution":
        return lab_dir / "solution"
    return Path(target)


def select_target(conftest_file):
    """Put the code under test first on ``sys.path`` (call from the lab's conftest)."""
    lab_dir = Path(conftest_file).resolve().parent.parent
    d = str(target_dir(lab_dir))
    if d in sys.path:
        sys.path.remove(d)
    sys.path.insert(0, d)
    return d


def require(module, *names):
    """Import guard: the module under test, with a clear message for what is missing.

    ``hlr = require('hlr', 'new', 'attach')`` returns the module; if ``hlr.py``
    or one of the names is missing, the test file fails to import with
    "MISSING FUNCTION --> ... Did you misname or forget to define it?", and
    the grader fails every check of the file with that line.
    """
    import importlib
    from .messages import describe
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name != module:
            raise ImportError("IMPORT " + describe(e)) from None
        raise ImportError(f"MISSING FILE --> we cannot find {module}.py in your lab folder. "
                          "Did you rename or move it?") from None
    except BaseException as e:          # noqa: BLE001 - anything at import: one clear line
        raise ImportError("IMPORT " + describe(e)) from None
    missing = [n for n in names if not callable(getattr(mod, n, None))]
    if missing:
        which = ", ".join(missing)
        raise ImportError(f"MISSING FUNCTION --> In your {module}.py file, we cannot find the "
                          f"function{'s' if len(missing) > 1 else ''} named {which}. "
                          "Did you misname or forget to define it?")
    return mod


@pytest.fixture(autouse=True)
def fresh_runtime():
    """Every check starts from a fresh virtual runtime (seed 0) and ends it."""
    rt = runtime.reset(clock="virtual", seed=0)
    yield rt
    rt.close()


@pytest.fixture
def trace(fresh_runtime):
    """Everything that happens during the check, as trace events."""
    rec = runtime.Recorder(fresh_runtime).start()
    yield rec
    rec.stop()


def expect(call, got, want):
    """Assert ``got == want`` with the message "Called <call>. Got <got>, expected <want>."."""
    if got != want:
        raise AssertionError(f"Called {call}. Got {got!r}, expected {want!r}.")


def check(what, got, want):
    """Like :func:`expect` for a fact rather than a call: "Checked <what>. Got A, expected B."."""
    if got != want:
        raise AssertionError(f"Checked {what}. Got {got!r}, expected {want!r}.")


def sends_to_dead(rec):
    """The ``send`` events of ``rec`` whose receiver was already dead: [(from, to, msg)]."""
    return [(e["frm"], e["to"], e["msg"]) for e in rec.of_kind("send") if e.get("dead")]


def exits_of(rec, pid):
    """The exit reasons recorded for ``pid`` (a list: empty while it lives)."""
    return [e["reason"] for e in rec.of_kind("exit") if e["pid"] is pid]
