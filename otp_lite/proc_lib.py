"""Processes that are good OTP citizens: mirrors OTP ``proc_lib`` (OTP 25); book ch. 10.

=====================================  ====================================
API                                    in the new process
=====================================  ====================================
``spawn_link(fun, *args)``             ``fun(*args)`` with '$ancestors' and
                                       '$initial_call' in its dictionary
``start_link(fun, args, timeout)`` --> ``fun(*args)`` must call
  (blocks until ``init_ack``)          ``init_ack(ret)``; ``ret`` is returned
``stop(process, reason, timeout)`` --> system message ``('terminate', reason)``
``hibernate(fun, args)``               waits for a message with its stack
  (never returns)                      thrown away, then ``fun(*args)``
=====================================  ====================================

Failure rule: a process started here that ends with a reason other than
``'normal'``, ``'shutdown'`` or ``('shutdown', _)`` produces a CRASH REPORT
(instead of the plain "Error in process" report) and exits with that reason.
``start_link`` with a timeout: a child that has not acked in time is killed
and the caller gets ``('error', 'timeout')``.

See also: otp_lite.gen_server, otp_lite.sys, otp_lite.supervisor.
"""
from __future__ import annotations

import weakref

from . import _hibernate, erlang, logger
from .erlang import ANY, TIMEOUT, Exit, ErlangError, Throw
from .kernel import state as _state
from .kernel.signals import Killed

__all__ = ["spawn", "spawn_link", "start", "start_link", "start_monitor", "init_ack",
           "stop", "hibernate", "initial_call", "translate_initial_call", "crash_report", "is_clean_exit"]


def is_clean_exit(reason):
    """True for reasons that are not errors: normal, shutdown, ('shutdown', _)."""
    return reason == "normal" or reason == "shutdown" or (
        type(reason) is tuple and len(reason) == 2 and reason[0] == "shutdown")


def _mfa_of(fun, nargs):
    mod = getattr(fun, "__module__", None) or "?"
    return (mod.rsplit(".", 1)[-1], getattr(fun, "__name__", repr(fun)), nargs)


class _Hibernate(BaseException):
    """Raised by :func:`hibernate`, caught at the bottom of the process: the stack unwinds."""

    def __init__(self, fun, args):
        self.fun, self.args = fun, args


def _init_p(ancestors, mfa, fun, args):
    erlang.put("$initial_call", mfa)          # OTP lists it first in get_status
    erlang.put("$ancestors", ancestors)
    rt = _state.rt
    me = rt.current
    _bottom.add(me)
    try:
        while True:
            try:
                fun(*args)
                break
            except _Hibernate as h:              # the stack is gone: wait here, then go on
                fun, args = h.fun, h.args
                _hibernate.hibernate(rt.wait_message, (), "infinity")   # ('erlang', 'hibernate', 3)
    except Killed:
        raise
    except Exit as e:
        if not is_clean_exit(e.reason):
            # a behaviour that caught an error re-raises it as Exit with .cls = 'error'
            crash_report(me, getattr(e, "cls", "exit"), e.reason)
        raise
    except Throw as e:
        reason = rt.error_reason(e)
        crash_report(me, "throw", reason, e)
        raise Exit(reason) from None
    except Exception as e:                       # noqa: BLE001
        reason = rt.error_reason(e)
        crash_report(me, "error", reason, e)
        raise Exit(reason) from None
    finally:
        _bottom.discard(me)


_bottom = weakref.WeakSet()     # processes running under _init_p, where hibernate can unwind to


def hibernate(fun, args):
    """OTP's ``proc_lib:hibernate(M, F, A)``: wait for a message, then ``fun(*args)``; never returns.

    The stack is thrown away (here: unwound, by an exception caught at the
    bottom of the process), so a loop that hibernates between messages does
    not grow it.  Until a message arrives ``process_info(P, current_function)``
    is ``('erlang', 'hibernate', 3)``, as in OTP 25; a message already queued
    wakes it at once.  When ``fun`` ends the process, crash reports are the
    ones of any proc_lib process (OTP's ``proc_lib:wake_up``).  BEAM also
    garbage-collects and shrinks the process; otp_lite only waits (simulated).
    In a process not started by proc_lib there is nothing to unwind to: it
    waits, then calls ``fun(*args)`` and returns its value.
    """
    me = _state.rt.current
    if me in _bottom:
        raise _Hibernate(fun, tuple(args))
    _hibernate.hibernate(_state.rt.wait_message, (), "infinity")
    return fun(*args)


def _spawn(fun, args, link, monitor, mfa=None):
    rt = _state.rt or __import__("otp_lite.runtime", fromlist=["current"]).current()
    parent = rt.current
    anc = [parent.name if parent.name else parent] + list(_ancestors(parent))
    mfa = mfa or _mfa_of(fun, len(args))
    p, ref = rt.spawn(_init_p, (anc, mfa, fun, args), link=link, monitor=monitor, mfa=mfa)
    return p, ref


def _ancestors(p):
    d = p.dict or {}
    return d.get("$ancestors", [])


def spawn(fun, *args):
    return _spawn(fun, args, False, False)[0]


def spawn_link(fun, *args):
    return _spawn(fun, args, True, False)[0]


def spawn_monitor(fun, *args):
    return _spawn(fun, args, False, True)


def _sync_wait(pid, timeout, mref=None, since=0):
    """Wait for the new process's ack.  ``since``: the starter's mailbox length before the
    spawn; nothing older can be from ``pid`` (a supervisor starting children while calls
    queue up skipped every queued call for every child it started)."""
    rt = _state.rt
    me = rt.current
    pats = [("ack", pid, ANY), ("nack", pid, ANY)]
    if mref is not None:
        pats.append(("DOWN", mref, "process", pid, ANY))
    elif me.trap_exit:
        pats.append(("EXIT", pid, ANY))
    msg = rt.receive(tuple(pats), timeout, since)
    if msg is TIMEOUT:
        if mref is not None:
            rt.demonitor(me, mref, True)
        else:
            rt.unlink(me, pid)
        rt.exit_signal(pid, me, "kill", direct=True)
        if mref is None:
            rt.receive((("EXIT", pid, ANY),), 0, since)
        return ("error", "timeout")
    if msg[0] == "ack":
        return msg[2]
    if msg[0] == "nack":
        return ("error", msg[2])
    return ("error", msg[4] if msg[0] == "DOWN" else msg[2])


def _check_start(fun, args):
    if type(args) not in (list, tuple):
        # OTP 25: proc_lib:start(m, f, 42) -> error:function_clause (ch23_bad_input_bifs.out)
        raise ErlangError("function_clause", f"proc_lib.start: the arguments must be a list, got {args!r}")


def start(fun, args=(), timeout="infinity", mfa=None):
    """Start ``fun(*args)`` and wait until it calls :func:`init_ack`; returns its value.

    As OTP >= 23, the starter monitors the child while it waits: a child that
    dies before acking gives ``('error', reason)``, not a hang.
    """
    _check_start(fun, args)
    mark = _mark()
    p, mref = _spawn(fun, tuple(args), False, True, mfa)
    ret = _sync_wait(p, timeout, mref, mark)
    _state.rt.demonitor(_state.rt.current, mref, True, mark)
    return ret


def _mark():
    rt = _state.rt
    return rt.mailbox_mark() if rt is not None else 0      # (no runtime yet: _spawn makes one)


def start_link(fun, args=(), timeout="infinity", mfa=None):
    """Like :func:`start`, linked.  A child that dies before acking exits the caller too."""
    _check_start(fun, args)
    mark = _mark()
    p, _ = _spawn(fun, tuple(args), True, False, mfa)
    return _sync_wait(p, timeout, None, mark)


def start_monitor(fun, args=(), timeout="infinity", mfa=None):
    """Like :func:`start`, monitored: returns ``(ret, mref)``."""
    _check_start(fun, args)
    mark = _mark()
    p, mref = _spawn(fun, tuple(args), False, True, mfa)
    ret = _sync_wait(p, timeout, mref, mark)
    return (ret, mref)


def init_ack(*args):
    """``init_ack(ret)`` or ``init_ack(parent, ret)``: tell the starter we are up.

    The acking process then yields once, so the starter sees the reply before
    anything the new process does next (e.g. exiting after ``('stop', R)``).
    """
    rt = _state.rt
    me = rt.current
    if len(args) not in (1, 2):
        raise ErlangError("undef", f"proc_lib.init_ack/{len(args)}: init_ack(ret) or init_ack(parent, ret)")
    if len(args) == 1:
        anc = _ancestors(me)
        parent = anc[0] if anc else None
        if type(parent) is str:
            parent = erlang.whereis(parent)
        ret = args[0]
    else:
        parent, ret = args
    if parent is None or parent == "undefined":
        return "ok"
    rt.send(parent, ("ack", me, ret))
    rt.yield_now(me)
    return "ok"


def stop(process, reason="normal", timeout="infinity"):
    """Ask a process started here (a behaviour, a special process) to terminate.

    Returns ``'ok'``; exits ``noproc`` if it is not alive, ``timeout`` on
    timeout, or the terminate callback's crash reason if that crashed.
    """
    from ._gen import where
    rt = _state.rt
    me = rt.current
    pid = where(process)
    if pid is None:
        raise Exit("noproc")
    mark = rt.mailbox_mark()
    mref = rt.monitor(me, "process", pid)
    rt.send(pid, ("system", (me, mref), ("terminate", reason)))
    msg = rt.receive((("DOWN", mref, ANY, ANY, ANY),), timeout, mark)
    if msg is TIMEOUT:
        rt.demonitor(me, mref, True, mark)
        raise Exit("timeout")
    got = msg[4]
    if got == reason:
        return "ok"
    raise Exit(got)


def _pid_arg(pid, fn):
    if type(pid) is not erlang.Pid:
        # OTP 25: proc_lib:initial_call(a) -> error:function_clause (ch23_bad_input_bifs.out)
        raise ErlangError("function_clause", f"proc_lib.{fn} takes a pid, got {pid!r}")


def initial_call(pid):
    _pid_arg(pid, "initial_call")
    d = (pid.dict or {}) if pid.alive else {}         # (a key may be a list: no dict() of it)
    mfa = d.get("$initial_call")
    return mfa if mfa else False


def translate_initial_call(pid):
    _pid_arg(pid, "translate_initial_call")
    return initial_call(pid) or pid.initial_call


# ----------------------------------------------------------------- reports
def crash_report(pid, cls, reason, exc=None):
    """A CRASH REPORT in OTP's layout (crasher + neighbours).

    As OTP 25: an uncaught throw shows as ``exception throw: ball`` (its exit
    reason is still ``(('nocatch', ball), stack)``), ``badarith`` and
    ``('badfun', F)`` get OTP's sentences, and ``heap_size``/``stack_size`` come
    before ``reductions``.  Our own honest numbers there: heap_size is the
    process's memory (``process_info(P, 'memory')``) in 8-byte words, stack_size
    the Python frames it had when it crashed.  A Python exception (``exc``) is
    shown on a ``python:`` line under the Erlang reason.
    """
    if type(pid) is not erlang.Pid:
        raise ErlangError("function_clause", f"proc_lib.crash_report takes a pid, got {pid!r}")
    d = pid.dict or {}
    mfa = d.get("$initial_call", pid.initial_call)
    info = erlang.process_info(pid) if pid.alive else []
    info = dict(info) if info != "undefined" else {}
    lines = ["  crasher:",
             f"    initial call: {mfa[0]}:{mfa[1]}/{mfa[2]}",
             f"    pid: {pid!r}",
             f"    registered_name: {pid.name if pid.name else []}",
             *_exception_lines(cls, reason),
             *(["    " + py] if (py := logger.python_line(exc)) else []),
             f"    ancestors: {d.get('$ancestors', [])!r}",
             f"    message_queue_len: {len(pid.mbox)}",
             f"    messages: {logger.fmt(list(pid.mbox), 14)}",
             f"    links: {info.get('links', [])!r}",
             f"    dictionary: {logger.fmt([(k, v) for k, v in d.items() if not str(k).startswith('$')], 16)}",
             f"    trap_exit: {'true' if pid.trap_exit else 'false'}",
             "    status: running",
             f"    heap_size: {_words(pid)}",
             f"    stack_size: {_stack_size(exc)}",
             f"    reductions: {pid.reductions + pid.reds}",
             "  neighbours:"]
    logger.log("error", lines, kind="crash_report", pid=pid, reason=reason, cls=cls)


def _words(pid):
    m = erlang.process_info(pid, "memory") if pid.alive else "undefined"
    return m[1] // 8 if m != "undefined" else 0


def _stack_size(exc):
    tb, n = exc.__traceback__ if exc is not None else None, 0
    while tb is not None:
        n, tb = n + 1, tb.tb_next
    return n


def _is_stack(x):
    return type(x) is list and all(type(f) is tuple and len(f) == 3 for f in x)


def _exception_lines(cls, reason):
    """``exception error: R`` + ``in function`` lines, as OTP's crash report shows them."""
    head = f"    exception {cls}: "
    if cls == "throw" and type(reason) is tuple and len(reason) == 2 and _is_stack(reason[1]) \
            and type(reason[0]) is tuple and len(reason[0]) == 2 and reason[0][0] == "nocatch":
        reason = (reason[0][1], reason[1])              # OTP: exception throw: ball
    elif cls != "error" or type(reason) is not tuple or len(reason) != 2 or not _is_stack(reason[1]):
        return [head + logger.fmt(reason, len(head))]
    what, stack = reason
    if what == "undef" and stack and type(stack[0][2]) is list:
        m, f, args = stack[0]
        return [f"{head}undefined function {m}:{f}/{len(args)}"]
    if what == "badarith" and cls == "error":
        lines = [head + "an error occurred when evaluating an arithmetic expression"]
    elif type(what) is tuple and len(what) == 2 and what[0] == "badfun" and cls == "error":
        lines = [head + "bad function " + logger.fmt(what[1], len(head) + 13)]
    else:
        lines = [head + logger.fmt(what, len(head))]
    for i, (m, f, line) in enumerate(stack):
        where = "in function " if i == 0 else "in call from"
        lines.append(f"      {where} {m}:{f} ({m}.py, line {line})")
    return lines
