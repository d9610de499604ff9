"""Stopping a supervisor's children: OTP ``supervisor.erl``'s shutdown half (OTP 25); book ch. 8.

=====================================  =============================================
supervisor.erl                         here (called by ``supervisor``)
=====================================  =============================================
``terminate_children/2``               ``terminate_children(ids, state)``: one at a
                                       time, newest first (reverse start order)
``do_terminate/2`` -> ``shutdown/1``   ``do_terminate(child, state)``
``terminate_dynamic_children/1``       ``terminate_dynamic_children(state)``: all at
                                       once, one shared shutdown timer
=====================================  =============================================

The shutdown protocol, per child spec ``shutdown``: monitor the child, send
``exit(pid, 'shutdown')``, wait up to ``shutdown`` ms for its ``DOWN``, then
``exit(pid, 'kill')``; ``'brutal_kill'`` kills at once; ``'infinity'`` waits
for ever (a supervisor child should use it).  The link is removed and the
child's ``EXIT`` flushed, so the supervisor does not restart what it stopped.

Failure rule: a child that ends with anything but ``shutdown`` (or, when it is
not permanent, ``normal`` / ``('shutdown', _)``; or ``killed`` after a brutal
kill) gets a SUPERVISOR REPORT with errorContext ``shutdown_error``; the
supervisor carries on stopping the others.

See also: otp_lite.supervisor, otp_lite._sup_restart, otp_lite._sup_spec.
"""
from __future__ import annotations

from . import erlang
from ._sup_spec import child_event, report_error, template
from ._ets_table import term_order
from .erlang import ANY, Pid
from .kernel import state as _state

__all__ = ["terminate_children", "do_terminate", "terminate_dynamic_children"]


def terminate_children(ids, state):
    """Stop ``ids`` in list order (newest first), one at a time; -> surviving ids, oldest first."""
    acc = []
    db = state.db
    for cid in ids:
        c = db[cid]
        do_terminate(c, state)
        if c.restart_type == "temporary":
            del db[cid]
            child_event(state, c, "deleted")
        else:
            c.pid = "undefined"
            acc.append(cid)
    acc.reverse()
    return acc


def do_terminate(child, state):
    if type(child.pid) is not Pid:
        return
    r = _shutdown(child, state)
    if r != "ok":
        report_error("shutdown_error", r[1], child, state.name)
    child_event(state, child, "terminated", reason="shutdown" if r == "ok" else r[1])


def _unlink_flush(pid, default, state=None, since=0):
    erlang.unlink(pid)
    if state is not None and state.pending:
        for m in state.pending:
            if m[1] is pid:
                state.pending.remove(m)
                return m[2]
    m = _state.rt.receive((("EXIT", pid, ANY),), 0, since)
    return default if m is erlang.TIMEOUT else m[2]


def _ok_reason(reason, child, killed_ok):
    if reason == "shutdown" or (killed_ok and reason == "killed"):
        return True
    if child.restart_type != "permanent" and (
            reason == "normal" or (type(reason) is tuple and len(reason) == 2 and reason[0] == "shutdown")):
        return True
    return False


def _shutdown(child, state=None):
    """OTP's shutdown/1: 'ok' or ('error', reason)."""
    pid = child.pid
    rt = _state.rt
    # the DOWN of a monitor made now, and (the child alive now) its EXIT, arrive after
    # ``mark``: a supervisor with calls queued up skipped them all for every child it
    # stopped.  A child already dead (DOWN noproc) may have sent its EXIT before.
    mark = rt.mailbox_mark()
    mon = erlang.monitor("process", pid)
    down = (("DOWN", mon, "process", pid, ANY),)
    if child.shutdown == "brutal_kill":
        erlang.exit(pid, "kill")
        d = rt.receive(down, "infinity", mark)[4]
        reason = _unlink_flush(pid, d, state, 0 if d == "noproc" else mark)
        return "ok" if (reason == "killed" or _ok_reason(reason, child, False)) else ("error", reason)
    erlang.exit(pid, "shutdown")
    m = rt.receive(down, child.shutdown, mark)
    if m is erlang.TIMEOUT:
        erlang.exit(pid, "kill")
        m = rt.receive(down, "infinity", mark)
    reason = _unlink_flush(pid, m[4], state, 0 if m[4] == "noproc" else mark)
    return "ok" if _ok_reason(reason, child, False) else ("error", reason)


def terminate_dynamic_children(state):
    t = template(state)
    me = erlang.self()
    rt = _state.rt
    mark = rt.mailbox_mark()         # the DOWNs (and EXITs of live children) come after it
    mons = {}
    for p in list(state.dynamics):
        if type(p) is Pid:
            mon = rt.monitor(me, "process", p)
            mons[mon] = p
            erlang.exit(p, "kill" if t.shutdown == "brutal_kill" else "shutdown")
    tref = None
    if type(t.shutdown) is int:
        tref = erlang.start_timer(t.shutdown, me, "kill")
    errors = {}

    def is_down(m):
        return type(m) is tuple and len(m) == 5 and m[0] == "DOWN" and m[1] in mons

    pats = (is_down, ("timeout", tref, "kill")) if tref is not None else (is_down,)
    while mons:
        m = rt.receive(pats, "infinity", mark)
        if m[0] == "timeout":
            for p in mons.values():
                erlang.exit(p, "kill")
            pats = (is_down,)
            tref = None
            continue
        pid = mons.pop(m[1])
        reason = _unlink_flush(pid, m[4], state, 0 if m[4] == "noproc" else mark)
        if not _ok_reason(reason, t, t.shutdown == "brutal_kill"):
            errors.setdefault(_Key(reason), []).append(pid)
    if tref is not None:
        erlang.cancel_timer(tref)
        erlang.receive(("timeout", tref, "kill"), timeout=0)
    groups = list(errors.items())
    try:                                    # OTP 25: maps:foreach over reason => pids (term order)
        groups.sort(key=lambda kv: term_order(kv[0].v))
    except TypeError:
        pass
    for k, pids in groups:
        pids.reverse()                      # newest first, as OTP's [Pid | Acc] (appended: O(1) each)
        report_error("shutdown_error", k.v, t.copy(pid=pids), state.name)


class _Key:
    """Group exit reasons (which may be unhashable) by equality."""
    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v

    def __eq__(self, o):
        return self.v == o.v

    def __hash__(self):
        try:
            return hash(self.v)
        except TypeError:
            return 0
