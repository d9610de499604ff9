"""The one-line messages of the grader: why a check failed, where in the learner's code.

Shared by the pytest plugin (inside the test subprocess) and :mod:`.labkit`
(the import guard), so that an error at import reads the same as one in a
check: "RuntimeError: boom at import (mod.py, line 3)".
"""
from __future__ import annotations

import os
import traceback

__all__ = ["first_line", "describe", "where", "frame_where", "CheckTimeout", "LearnerBaseException",
           "learner_base_exception", "memory_limit_mb"]


class CheckTimeout(BaseException):
    """A check ran longer than its time limit (a BaseException: ``except Exception`` cannot hide it)."""


class LearnerBaseException(Exception):
    """The learner's code raised a BaseException that is not an error in pytest's eyes
    (KeyboardInterrupt, SystemExit, GeneratorExit, pytest.skip/exit...): it fails its
    own check, as an ordinary exception, and every other check still runs."""


def memory_limit_mb():
    """The memory cap of this test process (MiB), or None."""
    v = os.environ.get("OTP_GRADE_MEMORY_MB")
    return int(v) if v and v.isdigit() else None


def first_line(text):
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return ""


# ----------------------------------------------------------------- messages
def _target_dir():
    d = os.environ.get("OTP_LAB_TARGET_DIR")
    return os.path.realpath(d) if d else None


def where(tb):
    """'(file.py, line N)' of the innermost frame in the code under test, or ''."""
    d = _target_dir()
    if d is None or tb is None:
        return ""
    found = ""
    for fs in traceback.extract_tb(tb):
        fn = os.path.realpath(fs.filename)
        if fn.startswith(d + os.sep) and os.sep + "tests" + os.sep not in fn[len(d):]:
            found = f" ({os.path.basename(fn)}, line {fs.lineno})"
    return found


def describe(exc, tb=None):
    """One line that says why: the check's own message, or 'Type: text (file, line)'."""
    if isinstance(exc, AssertionError):
        if getattr(exc, "explored", False) is True:     # labkit.explore: the schedule, in full
            return str(exc).strip() or "assertion failed"
        return first_line(exc) or "assertion failed"
    if isinstance(exc, (CheckTimeout, LearnerBaseException)):
        return str(exc)
    if isinstance(exc, MemoryError):
        cap = memory_limit_mb()
        limit = f"more than {cap} MiB, the lab's memory limit" if cap else "more memory than there is"
        return f"MemoryError: your code used {limit}" + where(tb if tb is not None else exc.__traceback__)
    if isinstance(exc, SyntaxError):
        fn = os.path.basename(exc.filename or "?")
        return f"SyntaxError in {fn}, line {exc.lineno}: {exc.msg}"
    name = type(exc).__name__
    text = first_line(exc)
    if type(exc).__module__.startswith("otp_lite") and name in ("Exit", "ErlangError"):
        msg = text                       # already reads 'exit: ...' / 'error: ...'
    else:
        msg = f"{name}: {text}" if text else name
    return msg + where(tb if tb is not None else exc.__traceback__)


def learner_base_exception(exc, tb=None):
    """A KeyboardInterrupt, SystemExit, pytest.skip... from the learner's code, as a failure."""
    name = type(exc).__name__
    text = first_line(exc) if str(exc) not in ("", "None") else ""
    return LearnerBaseException(f"{name} raised by your code{': ' + text if text else ''}"
                                f"{where(tb if tb is not None else exc.__traceback__)}; "
                                "it fails this check only")


def frame_where(frame):
    """' (it was running file.py, line N, in fun)' for the innermost frame of the code under test."""
    d = _target_dir()
    while d is not None and frame is not None:
        fn = os.path.realpath(frame.f_code.co_filename)
        if fn.startswith(d + os.sep) and os.sep + "tests" + os.sep not in fn[len(d):]:
            return (f" (it was running {os.path.basename(fn)}, line {frame.f_lineno}, "
                    f"in {frame.f_code.co_name})")
        frame = frame.f_back
    return ""


