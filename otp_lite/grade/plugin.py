"""The pytest plugin the grader loads into each lab's test subprocess.

Loaded with ``-p otp_lite.grade.plugin``; configured by environment variables
that :mod:`otp_lite.grade.runner` sets:

``OTP_GRADE_RESULTS``  path of a JSON-lines file to append records to
``OTP_GRADE_TIMEOUT``  seconds one check may take (default 10)
``OTP_GRADE_MODULES``  comma-separated modules under test, imported first so
                       that a syntax error gets a clean one-line message
``OTP_LAB_TARGET``     whose code is under test (see :mod:`.labkit`)

Records (one JSON object per line, flushed at once so that a killed run
keeps what it finished): ``import_error``, ``collect_error``, ``collected``
(every check with its points and task), ``start`` and ``result`` per check.

Why not pytest-timeout?  Its SIGALRM handler raises in whatever greenlet is
running, which is usually one of the learner's *processes*: the process dies
with a timeout "crash" and the check may go on and even pass.  Our handler
kills the learner's processes that are still computing (preempted, or
running past their slice: ``otp_lite.kernel.preempt``) and hands the
timeout to the shell, where the check runs, at the next safe point, so
the check itself fails and names the runaway.  Only when that cannot
happen within a second (a process blocked inside C: ``time.sleep``, a C
extension) does the next alarm throw into the shell at once, wherever the
interpreter is; a loop that never returns to the interpreter at all, or
that swallows every exception, is stopped by the runner's whole-run time
limit (a new subprocess runs the checks after it).
"""
from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import traceback

import pytest
from greenlet import getcurrent

_out = None
_timeout = float(os.environ.get("OTP_GRADE_TIMEOUT", "10") or 10)
_crashes = []          # abnormal exits seen during the current check
_failed = {}           # nodeid -> (status, message, output)
_HAVE_ALARM = hasattr(signal, "SIGALRM") and hasattr(signal, "setitimer")


class CheckTimeout(BaseException):
    """A check ran longer than its time limit (a BaseException: ``except Exception`` cannot hide it)."""


def _write(rec):
    if _out is not None:
        _out.write(json.dumps(rec) + "\n")
        _out.flush()


def first_line(text):
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return ""


# ----------------------------------------------------------------- messages
def _target_dir():
    d = os.environ.get("OTP_LAB_TARGET_DIR")
    return os.path.realpath(d) if d else None


def _where(tb):
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
        return first_line(exc) or "assertion failed"
    if isinstance(exc, CheckTimeout):
        return str(exc)
    if isinstance(exc, SyntaxError):
        fn = os.path.basename(exc.filename or "?")
        return f"SyntaxError in {fn}, line {exc.lineno}: {exc.msg}"
    name = type(exc).__name__
    text = first_line(exc)
    if type(exc).__module__.startswith("otp_lite") and name in ("Exit", "ErlangError"):
        msg = text                       # already reads 'exit: ...' / 'error: ...'
    else:
        msg = f"{name}: {text}" if text else name
    return msg + _where(tb if tb is not None else exc.__traceback__)


def _collect_message(longrepr):
    """The last 'E   ...' line of a collection error (the import guard's message)."""
    lines = [ln[1:].strip() for ln in str(longrepr).splitlines() if ln.startswith("E ")]
    lines = [ln for ln in lines if ln]
    if lines:
        last = lines[-1]
        head, sep, rest = last.partition(": ")
        if sep and rest.startswith("MISSING ") and head.endswith("Error"):
            return rest                     # the import guard's own words
        return last
    return first_line(longrepr) or "the checks could not be collected"


def _short(term, n=120):
    s = repr(term)
    return s if len(s) <= n else s[: n - 3] + "..."


def _crash_line():
    if not _crashes:
        return ""
    parts = []
    for pid, reason in _crashes[:3]:
        if type(reason) is tuple and len(reason) == 2 and isinstance(reason[0], BaseException):
            r = f"{type(reason[0]).__name__}: {first_line(reason[0])}"
            if reason[1]:
                mod, fun, line = reason[1][0]
                r += f" in {mod}.{fun}, line {line}"
        else:
            r = _short(reason)
        parts.append(f"{pid!r} exited with {r}")
    more = f" (and {len(_crashes) - 3} more)" if len(_crashes) > 3 else ""
    return "Meanwhile " + "; ".join(parts) + more + "."


def _on_exit_event(ev):
    if ev["kind"] != "exit":
        return
    r = ev["reason"]
    if r in ("normal", "shutdown") or (type(r) is tuple and r[:1] == ("shutdown",)):
        return
    _crashes.append((ev["pid"], r))


def _watch_runtime(rt):
    from otp_lite.kernel import trace as _trace
    _trace.subscribe(rt, _on_exit_event)


# ----------------------------------------------------------------- timeouts
def _frame_where(frame):
    """' (it was running file.py, line N, in fun)' for the innermost frame of the code under test."""
    d = _target_dir()
    while d is not None and frame is not None:
        fn = os.path.realpath(frame.f_code.co_filename)
        if fn.startswith(d + os.sep) and os.sep + "tests" + os.sep not in fn[len(d):]:
            return (f" (it was running {os.path.basename(fn)}, line {frame.f_lineno}, "
                    f"in {frame.f_code.co_name})")
        frame = frame.f_back
    return ""


def _runaways(rt, frame):
    """Kill the learner's processes that are computing: '<0.81.0> (it was running f.py, line N, in g)' each."""
    from otp_lite.kernel import preempt
    out = []
    for p in list(rt.procs.values()):
        if p is rt.shell or not p.alive:
            continue
        st = p.status
        running = p is rt.current and p.g is not None and getcurrent() is p.g
        if st is preempt.PREEMPTED or running:      # (running while the check waits: computing)
            where = _frame_where(frame if running else p.g.gr_frame)
            if running:
                p.pending = p.pending or "killed"     # it dies where it stops (never inside the kernel)
            else:
                rt.exit_signal(p, None, "kill", direct=True)
            out.append(f"{p!r}{where}")
    return out


def _on_alarm(signum, frame):
    from otp_lite.kernel import preempt, state
    rt = state.rt
    live = rt is not None and not rt.closed
    first = live and rt.interrupt_pending is None
    killed = _runaways(rt, frame) if first else []
    if killed:
        exc = CheckTimeout(
            f"Timed out after {_timeout:g} s: process {' and '.join(killed[:3])} "
            f"{'was' if len(killed) == 1 else 'were'} still computing and "
            f"{'was' if len(killed) == 1 else 'were'} killed. Look for a loop that never ends, "
            "or that never sends, receives or returns.")
    else:
        exc = CheckTimeout(
            f"Timed out after {_timeout:g} s{_frame_where(frame)}: the check did not finish. "
            "Look for a loop that never ends, or a process that never gives back control.")
    if first and preempt.request_interrupt(rt, exc, frame):
        return                   # the shell gets it at the next safe point
    g = getcurrent()
    root = g
    while root.parent is not None:
        root = root.parent
    if g is root:
        raise exc
    root.throw(exc)          # fail the check in the shell, not some process


# ----------------------------------------------------------------- hooks
def pytest_configure(config):
    global _out
    config.addinivalue_line("markers", "points(n): points a lab check is worth")
    config.addinivalue_line("markers", "task(taskno): the lab task a check belongs to")
    path = os.environ.get("OTP_GRADE_RESULTS")
    if path and _out is None:
        _out = open(path, "a", encoding="utf-8")
    try:
        from otp_lite import runtime
        runtime.on_reset(_watch_runtime)
    except Exception:  # noqa: BLE001 - grading must not depend on this nicety
        pass


def pytest_sessionstart(session):
    mods = [m for m in os.environ.get("OTP_GRADE_MODULES", "").split(",") if m]
    for m in mods:
        try:
            importlib.import_module(m)
        except KeyboardInterrupt:
            raise
        except BaseException as e:   # noqa: BLE001 - any failure at import is the learner's
            _write({"type": "import_error", "module": m, "message": describe(e)})


def _marker_arg(item, name, key):
    m = item.get_closest_marker(name)
    if m is None:
        return None
    if m.args:
        return m.args[0]
    return m.kwargs.get(key)


def pytest_collectreport(report):
    if report.failed:
        _write({"type": "collect_error", "nodeid": report.nodeid,
                "message": _collect_message(report.longrepr)})


def pytest_collection_finish(session):
    tests = []
    for it in session.items:
        pts = _marker_arg(it, "points", "n")
        doc = getattr(getattr(it, "function", None), "__doc__", None) or ""
        tests.append({"id": it.nodeid, "name": it.name,
                      "points": 1 if pts is None else pts,
                      "task_id": _marker_arg(it, "task", "taskno"),
                      "doc": first_line(doc)})
    _write({"type": "collected", "tests": tests})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _crashes.clear()
    _write({"type": "start", "id": item.nodeid})
    if not _HAVE_ALARM:                 # Windows: only the runner's whole-run limit applies
        yield
    else:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, _timeout, 1.0)   # re-fires if a handler swallowed it
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    status, message, output = _failed.pop(item.nodeid, ("pass", "", ""))
    _write({"type": "result", "id": item.nodeid, "status": status,
            "message": message, "output": output})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if not rep.failed or item.nodeid in _failed:
        return
    exc = call.excinfo.value if call.excinfo is not None else None
    if exc is None:
        msg = first_line(rep.longreprtext) or "failed"
    else:
        msg = describe(exc, call.excinfo.tb)
    if call.when != "call":
        msg = f"(in {call.when}) {msg}"
    status = "fail" if isinstance(exc, AssertionError) else "error"
    note = _crash_line()
    if note:
        msg = msg + "\n" + note
    out = (rep.capstdout or "") + (rep.capstderr or "")
    if len(out) > 2000:
        out = "...\n" + out[-2000:]
    _failed[item.nodeid] = (status, msg, out)


def pytest_unconfigure(config):
    global _out
    if _out is not None:
        _out.close()
        _out = None
