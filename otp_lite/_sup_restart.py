"""Starting and restarting a supervisor's children: OTP ``supervisor.erl``'s restart half (OTP 25); book ch. 8.

=====================================  =============================================
supervisor.erl                         here (called by ``supervisor``)
=====================================  =============================================
``start_children/2``                   ``start_children(ids, state)``: in order,
                                       stop at the first failure
``do_start_child/2``                   ``do_start_child(supname, child)``:
                                       ``catch apply(M, F, A)``, classified
``handle_start_child/2``               ``handle_start_child(child, state)``
``start_child`` (simple_one_for_one)   ``start_dynamic(extra, state)``
``find_child/2`` ...                   ``find_child``, ``find_child_and_args``,
                                       ``del_child``
``do_restart/3``                       ``do_restart(reason, child, state)``: by
                                       restart type (permanent, transient, temporary)
``restart/2``, ``add_restart/1``       ``restart(child, state)``: intensity check,
                                       then by strategy
=====================================  =============================================

Restart types: ``permanent`` always restarts, ``transient`` only after an
abnormal exit (not ``normal``, ``shutdown`` or ``('shutdown', _)``),
``temporary`` never (and is deleted).  Strategies: ``one_for_one`` restarts
the child; ``rest_for_one`` stops the children started after it (newest
first) and starts them all again in start order; ``one_for_all`` does that
for every child.  A restart that fails leaves the child ``('restarting',
pid)`` (``which_children`` shows ``'restarting'``) and casts
``('try_again_restart', id)`` to the supervisor itself.

Failure rule: more than ``intensity`` restarts within ``period`` seconds logs
``reached_max_restart_intensity`` and returns ``'shutdown'``: the supervisor
stops its children and exits ``shutdown``.  A significant child ending may do
the same under ``auto_shutdown``.

See also: otp_lite.supervisor, otp_lite._sup_shutdown, otp_lite._sup_spec.
"""
from __future__ import annotations

from . import erlang, gen_server, proc_lib, _gen
from ._sup_spec import (apply_mfa, child_event, emit, progress_enabled, report_error,
                        report_progress, template)
from ._sup_shutdown import terminate_children
from .erlang import Exit, Throw, Pid
from .kernel import state as _state
from .kernel.signals import Killed

__all__ = ["do_start_child", "start_children", "handle_start_child", "start_dynamic", "dyn_order",
           "find_child", "find_child_and_args", "del_child", "do_restart", "restart"]


# ======================================================================== starting children
def _do_start_child_i(m, f, a):
    """``catch apply(M, F, A)`` classified as OTP does."""
    rt = _state.rt
    fun = apply_mfa(m, f, a)
    if fun is None:
        return ("error", ("EXIT", ("undef", [(_gen.module_name(m) if type(m) is not str else m, f, a, [])])))
    try:
        r = fun(*a)
    except Killed:
        raise
    except Exit as e:
        r = ("EXIT", e.reason)
    except Throw as t:
        r = t.value
    except TypeError as e:
        if e.__traceback__ is not None and e.__traceback__.tb_next is None:   # wrong arity
            r = ("EXIT", ("undef", [(_gen.module_name(m), f, a, [])]))
        else:
            r = ("EXIT", rt.error_reason(e))
    except Exception as e:                       # noqa: BLE001 - a crash is data here
        r = ("EXIT", rt.error_reason(e))
    if type(r) is tuple:
        if len(r) == 2 and r[0] == "ok" and type(r[1]) is Pid:
            return r
        if len(r) == 3 and r[0] == "ok" and type(r[1]) is Pid:
            return r
        if len(r) == 2 and r[0] == "error":
            return r
    if r == "ignore":
        return ("ok", "undefined")
    return ("error", r)


def do_start_child(supname, child, state=None):
    m, f, a = child.mfargs
    r = _do_start_child_i(m, f, a)
    if r[0] == "ok" and type(r[1]) is Pid:
        child.pid = r[1]
        if state is not None and state.by_pid is not None:
            state.by_pid[r[1]] = child          # find_child_and_args: an EXIT finds it in O(1)
        report_progress(child, supname)
    return r


def start_children(ids, state, restarting_id=None):
    """Start ``ids`` in order; -> (ok, ids newest first, reason).  OTP's children_map."""
    db = state.db
    acc = []
    supname = state.name
    for i, cid in enumerate(ids):
        child = db[cid]
        r = do_start_child(supname, child, state)
        if r[0] == "ok":
            if r[1] == "undefined" and child.restart_type == "temporary":
                del db[cid]
                child_event(state, child, "deleted")
                continue
            child.pid = r[1]
            if restarting_id is not None:
                child.restarts += 1
            child_event(state, child, "restarted" if cid == restarting_id else "started")
            acc.append(cid)
        else:
            child.pid = "undefined"
            report_error("start_error", r[1], child, supname)
            child_event(state, child, "start_failed", reason=r[1])
            rest = ids[i + 1:]
            rest.reverse()
            acc.reverse()
            return False, rest + [cid] + acc, ("failed_to_start_child", cid, r[1])
    acc.reverse()
    return True, acc, None


def handle_start_child(child, state):
    old = state.db.get(child.id)
    if old is not None:
        if type(old.pid) is Pid:
            return ("error", ("already_started", old.pid))
        return ("error", "already_present")
    r = do_start_child(state.name, child, state)
    if r[0] == "ok":
        if r[1] == "undefined" and child.restart_type == "temporary":
            return r
        child.pid = r[1]
        if child.restart_type == "temporary":           # OTP forgets a temporary child's args
            child.mfargs = (child.mfargs[0], child.mfargs[1], "undefined")
        state.ids.insert(0, child.id)
        state.db[child.id] = child
        child_event(state, child, "started")
        return r
    return ("error", (r[1], child.as_tuple()))


def start_dynamic(extra, state):
    t = template(state)
    m, f, a = t.mfargs
    if type(extra) is not list:      # OTP: apply(M, F, A ++ Extra) on an improper list -> badarg
        name = m if type(m) is str else _gen.module_name(m)
        return ("error", ("EXIT", ("badarg", [("erlang", "apply", [name, f, a + [extra]], [])])))
    args = a + extra
    r = _do_start_child_i(m, f, args)
    if r[0] == "ok" and type(r[1]) is Pid:
        pid = r[1]
        state.dynamics[pid] = None if t.restart_type == "temporary" else args
        state.tids[pid] = pid
        if _state.rt.trace is not None:
            child_event(state, t.copy(pid=pid), "started")
        if progress_enabled():
            report_progress(t.copy(pid=pid, mfargs=(m, f, args)), state.name)
    return r


# ======================================================================== finding children
def dyn_order(k):
    """OTP's map order of dynamics keys: 'undefined' < pids < {restarting, _}."""
    if type(k) is tuple:
        return (2, k[1].num if type(k[1]) is Pid else 0)
    return (1, k.num) if type(k) is Pid else (0, 0)


def _find_dynamic_child(key, state):
    if key in state.dynamics:
        return template(state).copy(pid=key)
    return None


def find_child(cid, state):
    if state.strategy == "simple_one_for_one" and type(cid) is Pid:
        c = _find_dynamic_child(cid, state)
        if c is None:
            c = _find_dynamic_child(("restarting", cid), state)
        if c is None and not cid.alive:
            c = template(state)            # OTP: a dead pid counts as already terminated
        return c
    try:
        return state.db.get(cid)
    except TypeError:                       # unhashable id
        return None


def find_child_and_args(key, state):
    if state.strategy == "simple_one_for_one":
        if key in state.dynamics:
            t = template(state)
            args = state.dynamics[key]
            return t.copy(pid=key, mfargs=(t.mfargs[0], t.mfargs[1], "undefined" if args is None else args))
        return None
    if type(key) is Pid:
        # OTP 25 searches every child here (O(n) per EXIT); a pid index does it in O(1).
        # The index is checked on use and rebuilt on a miss, so a start path that did
        # not record its pid costs one rebuild, never a wrong answer.
        idx = state.by_pid
        c = idx.get(key) if idx is not None else None
        if c is not None and c.pid is key and state.db.get(c.id) is c:
            return c
        idx = state.by_pid = {c.pid: c for c in state.db.values() if type(c.pid) is Pid}
        return idx.get(key)
    try:
        return state.db.get(key)
    except TypeError:
        return None


def del_child(child, state):
    if state.strategy == "simple_one_for_one":
        p = child.pid
        if p in state.dynamics:
            if type(p) is tuple:
                state.dynamic_restarts -= 1
            del state.dynamics[p]
            child_event(state, child, "deleted")
            state.tids.pop(p[1] if type(p) is tuple else p, None)
        return
    c = state.db[child.id]
    if c.restart_type == "temporary":
        state.ids.remove(c.id)
        del state.db[c.id]
        child_event(state, c, "deleted")
    else:
        c.pid = "undefined"


# ======================================================================== restarting
def do_restart(reason, child, state):
    rtype = child.restart_type
    child_event(state, child, "terminated", reason=reason)
    if rtype == "permanent":
        report_error("child_terminated", reason, child, state.name)
        return restart(child, state)
    if proc_lib.is_clean_exit(reason):
        del_child(child, state)
        return _do_auto_shutdown(child, state)
    report_error("child_terminated", reason, child, state.name)
    if rtype == "transient":
        return restart(child, state)
    del_child(child, state)
    return _do_auto_shutdown(child, state)


def _do_auto_shutdown(child, state):
    if state.auto_shutdown == "never" or child.significant is not True:
        return "ok", state
    if state.auto_shutdown == "all_significant":
        if state.strategy == "simple_one_for_one":
            if state.dynamics:
                return "ok", state
        elif any(c.significant is True and c.pid != "undefined" for c in state.db.values()):
            return "ok", state
    emit("sup_shutdown", reason=("auto_shutdown", state.auto_shutdown))
    return "shutdown", state


def _add_restart(state):
    now = int(_state.rt.now_ms() // 1000)          # erlang:monotonic_time(second)
    r = state.restarts
    threshold = now - state.period
    while r and r[0] < threshold:
        r.popleft()
    r.append(now)
    return len(r) <= state.intensity


def restart(child, state):
    if not _add_restart(state):
        report_error("shutdown", "reached_max_restart_intensity", child, state.name)
        emit("sup_shutdown", reason="reached_max_restart_intensity")
        del_child(child, state)
        return "shutdown", state
    child_event(state, child, "restarting")
    strategy = state.strategy
    if strategy == "simple_one_for_one":
        again = _restart_dynamic(child, state)
    elif strategy == "one_for_one":
        again = _restart_one(child, state)
    elif strategy == "rest_for_one":
        old = child.pid
        i = state.ids.index(child.id)
        after, before = state.ids[:i + 1], state.ids[i + 1:]
        child.pid = "undefined"
        again, after = _restart_multiple(child, old, after, state)
        state.ids = after + before
    else:  # one_for_all
        old = child.pid
        child.pid = "undefined"
        again, state.ids = _restart_multiple(child, old, list(state.ids), state)
    if again is not None:
        gen_server.cast(erlang.self(), ("try_again_restart", again))
    return "ok", state


def _restarting(pid):
    return ("restarting", pid) if type(pid) is Pid else pid


def _restart_one(child, state):
    old = child.pid
    c = state.db[child.id]
    r = do_start_child(state.name, c, state)
    if r[0] == "ok":
        c.pid = r[1]
        c.restarts += 1
        child_event(state, c, "restarted")
        return None
    report_error("start_error", r[1], c.copy(pid=old), state.name)   # OTP reports the old #child{}
    c.pid = _restarting(old)
    child_event(state, c, "start_failed", reason=r[1])
    return c.id


def _restart_dynamic(child, state):
    old = child.pid
    m, f, a = child.mfargs
    if type(old) is tuple:
        state.dynamic_restarts -= 1
    state.dynamics.pop(old, None)
    tid = state.tids.pop(old[1] if type(old) is tuple else old, old)
    r = _do_start_child_i(m, f, a)
    if r[0] == "ok":
        # OTP 25 stores the new pid even when the restart returned ignore: an 'undefined'
        # entry that which_children shows as {undefined,undefined,...} and count_children
        # counts as active (probe sup3.erl)
        state.dynamics[r[1]] = a
        if type(r[1]) is Pid:
            state.tids[r[1]] = tid
            if _state.rt.trace is not None:
                child_event(state, child.copy(pid=r[1]), "restarted")
        return None
    rold = _restarting(old)
    state.dynamic_restarts += 1
    state.dynamics[rold] = a
    state.tids[rold[1] if type(rold) is tuple else rold] = tid
    report_error("start_error", r[1], child, state.name)
    child_event(state, child.copy(pid=rold), "start_failed", reason=r[1])
    return rold


def _restart_multiple(child, old_pid, ids, state):
    """Stop ``ids`` (newest first), start them again in start order."""
    ids1 = terminate_children(ids, state)
    ok, new_ids, reason = start_children(ids1, state, restarting_id=child.id)
    if ok:
        return None, new_ids
    failed = reason[1]
    state.db[failed].pid = _restarting(old_pid) if failed == child.id else ("restarting", "undefined")
    return failed, new_ids
