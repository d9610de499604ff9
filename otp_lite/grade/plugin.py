"""The pytest plugin the grader loads into each test subprocess (``-p otp_lite.grade.plugin``).

Configured by ONE JSON line on its standard input, read in ``pytest_configure``
before any learner code is imported, and nothing else (no environment
variable, no file path a learner could find)::

    {"key": hex, "fd": n, "timeout": s}

Records go to file descriptor ``fd`` (a pipe the sandbox reads), one JSON
line each: ``{"seq": n, "rec": {...}, "mac": hex}``, the MAC an HMAC-SHA256
of ``"n:" + rec`` under ``key``, so the trusted side rejects a record that
learner code forged, replayed or dropped.  Records: ``collect_error``,
``collected`` (every check with its points and task), ``start`` and
``result`` per check (a failing explored check's also carries ``picture``, its
schedule's sequence chart as a base64 PNG), ``tampered`` (what changed: :mod:`.integrity`) and
``end``.

A check passes only if its setup, call and teardown all passed; anything
else (no report at all, a skip, an interruption) is a failure or an error,
never a pass by default.  A ``KeyboardInterrupt``, ``SystemExit``,
``GeneratorExit`` or ``pytest.skip/exit`` from learner code fails its own
check as an ordinary error, and the session goes on.

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

import hmac
import json
import os
import signal
import sys

import pytest
from greenlet import getcurrent

from . import integrity, labkit as _labkit  # noqa: F401  (imported before any learner code: snapshotted)
from .messages import (CheckTimeout, LearnerBaseException, describe, first_line, frame_where,
                       learner_base_exception)

_HAVE_ALARM = hasattr(signal, "SIGALRM") and hasattr(signal, "setitimer")
_LABKIT_NAMES = ("expect", "check", "require", "exits_of", "sends_to_dead")


class _State:
    """Everything the plugin keeps, in one object bound once (so a rebinding shows)."""

    def __init__(self, cfg):
        self.mac = hmac.new(bytes.fromhex(cfg["key"]), digestmod="sha256")
        self.fd = int(cfg["fd"])
        self.timeout = float(cfg.get("timeout") or 10)
        self.seq = 0
        self.crashes = []          # abnormal exits seen during the current check
        self.phases = {}           # nodeid -> {when: (outcome, message, output)}
        self.pictures = {}         # nodeid -> a failing explored check's schedule chart (base64 PNG)
        self.snap = None           # integrity.snapshot() before any learner code
        self.plugins = None        # the plugins registered before any learner code
        self.tampered = False


_S = None
_CFG = None            # the configuration line, read at import (pytest's capture takes fd 0 later)


def _send(rec):
    s = _S
    if s is None:
        return
    body = json.dumps(rec, sort_keys=True, default=repr)
    m = s.mac.copy()
    m.update(f"{s.seq}:{body}".encode())
    line = (json.dumps({"seq": s.seq, "rec": json.loads(body), "mac": m.hexdigest()}) + "\n").encode()
    s.seq += 1
    while line:
        try:
            n = os.write(s.fd, line)
        except InterruptedError:
            continue
        except OSError:
            return                                # the grader went away
        line = line[n:]


def _read_config():
    """The one line on stdin; then stdin is /dev/null (learner code reads nothing more)."""
    try:
        line = sys.stdin.buffer.readline()
    except (OSError, ValueError, AttributeError):
        return None
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
    except OSError:
        pass
    try:
        return json.loads(line) if line.strip() else None
    except ValueError:
        return None


# ----------------------------------------------------------------- messages
def _collect_message(longrepr):
    """The last 'E   ...' line of a collection error (the import guard's message)."""
    lines = [ln[1:].strip() for ln in str(longrepr).splitlines() if ln.startswith("E ")]
    lines = [ln for ln in lines if ln]
    if lines:
        last = lines[-1]
        head, sep, rest = last.partition(": ")
        if sep and head.endswith("Error") and (rest.startswith("MISSING ") or rest.startswith("IMPORT ")):
            return rest.removeprefix("IMPORT ")     # the import guard's own words
        return last
    return first_line(longrepr) or "the checks could not be collected"


def _short(term, n=120):
    s = repr(term)
    return s if len(s) <= n else s[: n - 3] + "..."


def _crash_line():
    crashes = _S.crashes if _S is not None else []
    if not crashes:
        return ""
    parts = []
    for pid, reason in crashes[:3]:
        if type(reason) is tuple and len(reason) == 2 and isinstance(reason[0], BaseException):
            r = f"{type(reason[0]).__name__}: {first_line(reason[0])}"
            if reason[1]:
                mod, fun, line = reason[1][0]
                r += f" in {mod}.{fun}, line {line}"
        else:
            r = _short(reason)
        parts.append(f"{pid!r} exited with {r}")
    more = f" (and {len(crashes) - 3} more)" if len(crashes) > 3 else ""
    return "Meanwhile " + "; ".join(parts) + more + "."


def _on_exit_event(ev):
    if ev["kind"] != "exit" or _S is None:
        return
    r = ev["reason"]
    if r in ("normal", "shutdown") or (type(r) is tuple and r[:1] == ("shutdown",)):
        return
    _S.crashes.append((ev["pid"], r))


def _watch_runtime(rt):
    from otp_lite.kernel import trace as _trace
    _trace.subscribe(rt, _on_exit_event)


# ----------------------------------------------------------------- timeouts
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
            where = frame_where(frame if running else p.g.gr_frame)
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
    t = _S.timeout if _S is not None else 0
    if killed:
        exc = CheckTimeout(
            f"Timed out after {t:g} s: process {' and '.join(killed[:3])} "
            f"{'was' if len(killed) == 1 else 'were'} still computing and "
            f"{'was' if len(killed) == 1 else 'were'} killed. Look for a loop that never ends, "
            "or that never sends, receives or returns.")
    else:
        exc = CheckTimeout(
            f"Timed out after {t:g} s{frame_where(frame)}: the check did not finish. "
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


# ----------------------------------------------------------------- integrity
def _check_integrity(item=None):
    """Send one ``tampered`` record the first time the harness differs from its snapshot."""
    s = _S
    if s is None or s.tampered or s.snap is None:
        return
    what = integrity.changed(s.snap)
    if item is not None:
        mod = getattr(item, "module", None)
        for n in _LABKIT_NAMES:
            if mod is not None and n in vars(mod) and vars(mod)[n] is not s.snap[("otp_lite.grade.labkit", n)][0]:
                what.append(f"{mod.__name__}.{n}")
    if s.plugins is not None and item is not None:
        pm = item.config.pluginmanager
        for p in pm.get_plugins():
            if p in s.plugins:
                continue
            f = os.path.realpath(getattr(p, "__file__", "") or "")
            if not (f.endswith(os.sep + "conftest.py") and os.sep + "tests" + os.sep in f):
                what.append(f"plugin {pm.get_name(p) or p!r}")
    if what:
        s.tampered = True
        _send({"type": "tampered", "what": what[:12]})


# ----------------------------------------------------------------- hooks
def pytest_configure(config):
    global _S
    config.addinivalue_line("markers", "points(n): points a lab check is worth")
    config.addinivalue_line("markers", "task(taskno): the lab task a check belongs to")
    if _S is None:
        cfg = _CFG
        if cfg is None:
            return
        _S = _State(cfg)
        try:
            from otp_lite import runtime
            runtime.on_reset(_watch_runtime)
        except Exception:  # noqa: BLE001 - grading must not depend on this nicety
            pass
        _S.snap = integrity.snapshot()


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session):
    """The plugins registered before collection imports any learner code."""
    if _S is not None:
        _S.plugins = set(session.config.pluginmanager.get_plugins())


def _marker_arg(item, name, key):
    m = item.get_closest_marker(name)
    if m is None:
        return None
    if m.args:
        return m.args[0]
    return m.kwargs.get(key)


def pytest_collectreport(report):
    if report.failed:
        _send({"type": "collect_error", "nodeid": report.nodeid,
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
    _send({"type": "collected", "tests": tests})


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    """The check's body: a BaseException from learner code becomes an ordinary error."""
    try:
        return (yield)
    except Exception:
        raise
    except pytest.fail.Exception:
        raise
    except CheckTimeout as e:
        raise LearnerBaseException(str(e)).with_traceback(e.__traceback__) from None
    except BaseException as e:                 # noqa: BLE001 - KeyboardInterrupt, SystemExit, skip...
        raise learner_base_exception(e).with_traceback(e.__traceback__) from None


def _verdict(nodeid):
    """pass only when setup, call and teardown all passed; else the first problem."""
    phases = _S.phases.pop(nodeid, {})
    for when in ("setup", "call", "teardown"):
        r = phases.get(when)
        if r is None:
            if when == "call" and phases.get("setup", ("",))[0] != "passed":
                continue
            return ("error", f"no {when} report: the check was interrupted", "")
        if r[0] != "passed":
            return (r[1], r[2], r[3])
    return ("pass", "", "")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if _S is None:
        yield
        return
    _S.crashes.clear()
    _S.phases[item.nodeid] = {}
    _send({"type": "start", "id": item.nodeid})
    if not _HAVE_ALARM:                 # Windows: only the runner's whole-run limit applies
        yield
    else:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, _S.timeout, 1.0)   # re-fires if a handler swallowed it
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    _check_integrity(item)
    status, message, output = _verdict(item.nodeid)
    rec = {"type": "result", "id": item.nodeid, "status": status, "message": message, "output": output}
    picture = _S.pictures.pop(item.nodeid, None)
    if picture and status != "pass":
        rec["picture"] = picture
    _send(rec)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if _S is None:
        return
    phases = _S.phases.setdefault(item.nodeid, {})
    if rep.passed and call.excinfo is None:
        phases[call.when] = ("passed", "pass", "", "")
        return
    exc = call.excinfo.value if call.excinfo is not None else None
    if exc is None:
        msg = first_line(rep.longreprtext) or ("skipped" if rep.skipped else "failed")
    else:
        msg = describe(exc, call.excinfo.tb)
    if rep.skipped:
        msg = f"Skipped: {msg}"
    if call.when != "call":
        msg = f"(in {call.when}) {msg}"
    status = "fail" if isinstance(exc, AssertionError) else "error"
    explored = getattr(exc, "explored", False) is True
    if explored and isinstance(getattr(exc, "picture", None), str):
        _S.pictures[item.nodeid] = exc.picture
    note = "" if explored else _crash_line()     # (crashes of other schedules: not this one's story)
    if note:
        msg = msg + "\n" + note
    out = (rep.capstdout or "") + (rep.capstderr or "")
    if len(out) > 2000:
        out = "...\n" + out[-2000:]
    phases[call.when] = ("failed", status, msg, out)


def pytest_sessionfinish(session, exitstatus):
    if _S is None:
        return
    _check_integrity()
    _send({"type": "end", "exitstatus": int(exitstatus)})


def pytest_unconfigure(config):
    if _S is not None:
        try:
            os.close(_S.fd)
        except OSError:
            pass


# ``-p otp_lite.grade.plugin`` imports this module while pytest parses its
# arguments, before its output capture redirects stdin and before any
# learner code: the configuration line is read now.
if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD") == "1" and not sys.stdin.isatty():
    _CFG = _read_config()
