"""The supervisor behaviour: mirrors OTP ``supervisor`` (OTP 25); book ch. 8.

=====================================  ======================================
supervisor API                         callback (your namespace)
=====================================  ======================================
``start_link([name,] module, args)``   ``init(args)``
``start_child(sup, spec | extra)``     (children's start functions)
``terminate_child / restart_child``    --
``delete_child / get_childspec``       --
``which_children / count_children``    --
``check_childspecs(specs)``            -- (no process needed)
=====================================  ======================================

Returns (the contract)::

    init(args) -> ('ok', (sup_flags, [child_spec, ...])) | 'ignore'
    sup_flags  = {'strategy': 'one_for_one', 'intensity': 1, 'period': 5,
                  'auto_shutdown': 'never'}          (defaults shown) | (strategy, intensity, period)
    child_spec = {'id': id, 'start': (mod, 'start_link', [args]),
                  'restart': 'permanent', 'shutdown': 5000 | 'infinity' | 'brutal_kill',
                  'type': 'worker', 'modules': ['mod'], 'significant': False}
               | (id, start, restart, shutdown, type, modules)
    a start function -> ('ok', pid) | ('ok', pid, info) | 'ignore' | ('error', reason)

Failure rule: a bad return from ``init`` stops the supervisor with
``('bad_return', (mod, 'init', value))``; bad flags with
``('supervisor_data', error)``; a bad spec with ``('start_spec', error)``; a
child that fails to start with ``('shutdown', ('failed_to_start_child', id,
reason))``.  More restarts than ``intensity`` within ``period`` seconds log
``reached_max_restart_intensity`` and the supervisor exits ``'shutdown'``
after stopping its children, which its own supervisor sees as a crash.

Like OTP's ``supervisor.erl`` this module *is* a gen_server callback
namespace: ``start_link`` runs ``gen_server.start_link(name, supervisor,
(name, mod, args), [])`` and the functions ``init``, ``handle_call``,
``handle_cast``, ``handle_info``, ``terminate`` below are its callbacks.
Children live in ``state.ids`` (newest first) and ``state.db``; a
simple_one_for_one keeps ``state.dynamics`` (pid -> extra args).

otp_lite extras: :func:`describe` (a dict for tools and widgets), and the
trace events ``sup_start``, ``sup_child`` (started | terminated | restarting
| restarted | start_failed | deleted) and ``sup_shutdown``.

See also: otp_lite.gen_server, otp_lite.application, otp_lite.proc_lib.
"""
from __future__ import annotations

import sys as _pysys
from collections import deque

from . import erlang, gen_server, logger, proc_lib, _gen
from ._sup_spec import (Child, SpecError, check_flags, check_childspec, check_startspec,
                        extract_child, report_error, report_progress, apply_mfa, fmt_term,
                        progress_enabled)
from .erlang import ANY, Exit, Throw, Pid
from .kernel import state as _state
from .kernel.signals import Killed

__all__ = ["start_link", "start_child", "restart_child", "delete_child", "terminate_child",
           "which_children", "count_children", "check_childspecs", "get_childspec",
           "get_callback_module", "describe"]

_SELF = _pysys.modules[__name__]


# ======================================================================== API
def start_link(*args):
    """``start_link([sup_name,] module, args)`` -> ``('ok', pid)`` | ``'ignore'`` | ``('error', r)``."""
    if len(args) == 2:
        mod, arg = args
        return gen_server.start_link(_SELF, ("self", mod, arg), [])
    if len(args) == 3:
        name, mod, arg = args
        return gen_server.start_link(name, _SELF, (name, mod, arg), [])
    raise TypeError("supervisor.start_link([sup_name,] module, args)")


def _call(sup, req):
    return gen_server.call(sup, req, "infinity")


def start_child(sup, child_spec):
    """A spec (or, for simple_one_for_one, a list of extra args) ->
    ``('ok', pid)`` | ``('ok', pid, info)`` | ``('error', ...)``."""
    return _call(sup, ("start_child", child_spec))


def restart_child(sup, id):
    return _call(sup, ("restart_child", id))


def delete_child(sup, id):
    return _call(sup, ("delete_child", id))


def terminate_child(sup, id):
    return _call(sup, ("terminate_child", id))


def get_childspec(sup, id):
    return _call(sup, ("get_childspec", id))


def which_children(sup):
    """``[(id, pid | 'undefined' | 'restarting', type, modules)]``, newest first."""
    return _call(sup, "which_children")


def count_children(sup):
    """``[('specs', n), ('active', n), ('supervisors', n), ('workers', n)]``."""
    return _call(sup, "count_children")


def describe(sup):
    """otp_lite extra (not in OTP): the supervisor as a dict, for tools.

    ``dict(strategy, intensity, period, restarts_in_period, children=[dict(id,
    pid, type, restart, shutdown, restarts)])``; children oldest first.
    """
    return _call(sup, ("$otp_lite", "describe"))


def get_callback_module(sup):
    return _call(sup, ("$otp_lite", "callback_module"))


def check_childspecs(child_specs, auto_shutdown="undefined"):
    """``'ok'`` or ``('error', reason)``, as OTP's ``check_childspecs/1,2``."""
    if type(child_specs) is not list:
        return ("error", ("badarg", child_specs))
    if auto_shutdown not in ("undefined", "never", "any_significant", "all_significant"):
        return ("error", ("badarg", auto_shutdown))
    try:
        check_startspec(child_specs, auto_shutdown)
    except SpecError as e:
        return ("error", e.term)
    return "ok"


# ======================================================================== state
class State:
    """OTP's ``#state{}``; printed like the record ``sys.get_state`` shows."""
    __slots__ = ("name", "strategy", "ids", "db", "dynamics", "tids", "intensity", "period",
                 "restarts", "dynamic_restarts", "auto_shutdown", "module", "args", "pending")

    def __init__(self, name, mod, args):
        self.name = name
        self.module = mod
        self.args = args
        self.strategy = None
        self.ids = []                 # newest first, as OTP's {Ids, Db}
        self.db = {}
        self.dynamics = None          # simple_one_for_one: pid | ('restarting', pid) -> args
        self.tids = None              # simple_one_for_one: pid -> trace id (first pid)
        self.intensity = None
        self.period = None
        self.restarts = deque()       # restart times (s), oldest left
        self.dynamic_restarts = 0
        self.auto_shutdown = "never"
        self.pending = deque()        # EXITs taken out of the mailbox, not yet handled

    def __repr__(self):
        dyn = None if self.dynamics is None else ("maps", self.dynamics)
        return fmt_term(("state", self.name, self.strategy, (list(self.ids), self.db), dyn,
                         self.intensity, self.period, list(self.restarts)[::-1],
                         self.dynamic_restarts, self.auto_shutdown, self.module, self.args))


def _emit(kind, **fields):
    rt = _state.rt
    if rt.trace is not None:
        fields.setdefault("pid", rt.current)
        rt.trace.emit(kind, **fields)


def _ev(state, child, event, pid=None, reason=None):
    """A ``sup_child`` trace event (no-op when nobody listens)."""
    rt = _state.rt
    if rt.trace is None:
        return
    cid = child.id
    if state.strategy == "simple_one_for_one":
        p = child.pid[1] if type(child.pid) is tuple else child.pid
        cid = state.tids.get(p, p) if state.tids is not None else p
    rt.trace.emit("sup_child", pid=rt.current, id=cid, event=event,
                  child=child.pid if pid is None else pid, reason=reason,
                  type=child.child_type)


# ======================================================================== gen_server callbacks
def init(arg):
    supname, mod, args = arg
    me = erlang.self()
    if supname == "self":
        supname = (me, _gen.module_name(mod))
    erlang.process_flag("trap_exit", True)
    me.label = "supervisor:" + _gen.module_name(mod)
    ret = _gen.resolve(mod).init(args)
    if ret == "ignore":
        return "ignore"
    if not (type(ret) is tuple and len(ret) == 2 and ret[0] == "ok"
            and type(ret[1]) is tuple and len(ret[1]) == 2):
        return ("stop", ("bad_return", (_gen.module_name(mod), "init", ret)))
    flags, specs = ret[1]
    state = State(supname, mod, args)
    try:
        f = check_flags(flags)
    except SpecError as e:
        return ("stop", ("supervisor_data", e.term))
    state.strategy, state.intensity = f["strategy"], f["intensity"]
    state.period, state.auto_shutdown = f["period"], f["auto_shutdown"]
    if state.strategy == "simple_one_for_one":
        if type(specs) is not list or len(specs) != 1:
            return ("stop", ("bad_start_spec", specs))
    elif type(specs) is not list:
        return ("stop", ("start_spec", ("invalid_child_spec", specs)))
    try:
        ids, db = check_startspec(specs, state.auto_shutdown)
    except SpecError as e:
        return ("stop", ("start_spec", e.term))
    _emit("sup_start", name=supname, strategy=state.strategy, intensity=state.intensity,
          period=state.period, children=list(ids))
    state.db = db
    if state.strategy == "simple_one_for_one":
        state.ids = ids
        state.dynamics, state.tids = {}, {}
        return ("ok", state)
    ok, new_ids, reason = _start_children(ids, state)
    state.ids = new_ids
    if not ok:
        _terminate_children(state.ids, state)
        return ("stop", ("shutdown", reason))
    return ("ok", state)


def handle_call(req, from_, state):
    simple = state.strategy == "simple_one_for_one"
    tag = req[0] if type(req) is tuple and req else req
    if tag == "start_child":
        if simple:
            return ("reply", _start_dynamic(req[1], state), state)
        try:
            child = check_childspec(req[1], state.auto_shutdown)
        except SpecError as e:
            return ("reply", ("error", e.term), state)
        return ("reply", _handle_start_child(child, state), state)
    if tag == "terminate_child":
        cid = req[1]
        if simple and type(cid) is not Pid:
            return ("reply", ("error", "simple_one_for_one"), state)
        child = _find_child(cid, state)
        if child is None:
            return ("reply", ("error", "not_found"), state)
        _do_terminate(child, state)
        _del_child(child, state)
        return ("reply", "ok", state)
    if tag == "restart_child":
        if simple:
            return ("reply", ("error", "simple_one_for_one"), state)
        child = _find_child(req[1], state)
        if child is None:
            return ("reply", ("error", "not_found"), state)
        if child.pid == "undefined":
            r = _do_start_child(state.name, child)
            if r[0] == "ok":
                child.pid = r[1]
                _ev(state, child, "started")
            else:
                _ev(state, child, "start_failed", reason=r[1] if len(r) > 1 else r)
            return ("reply", r, state)
        if type(child.pid) is tuple:
            return ("reply", ("error", "restarting"), state)
        return ("reply", ("error", "running"), state)
    if tag == "delete_child":
        if simple:
            return ("reply", ("error", "simple_one_for_one"), state)
        child = _find_child(req[1], state)
        if child is None:
            return ("reply", ("error", "not_found"), state)
        if child.pid == "undefined":
            state.ids.remove(child.id)
            del state.db[child.id]
            _ev(state, child, "deleted")
            return ("reply", "ok", state)
        if type(child.pid) is tuple:
            return ("reply", ("error", "restarting"), state)
        return ("reply", ("error", "running"), state)
    if tag == "get_childspec":
        child = _find_child(req[1], state)
        if child is None:
            return ("reply", ("error", "not_found"), state)
        return ("reply", ("ok", child.to_spec()), state)
    if req == "which_children":
        if simple:
            t = _template(state)
            keys = sorted(state.dynamics, key=_dyn_order)
            return ("reply", [("undefined", "restarting" if type(k) is tuple else k, t.child_type, t.modules)
                              for k in keys], state)
        out = []
        for cid in state.ids:
            c = state.db[cid]
            out.append((cid, "restarting" if type(c.pid) is tuple else c.pid, c.child_type, c.modules))
        return ("reply", out, state)
    if req == "count_children":
        if simple:
            t = _template(state)
            sz = len(state.dynamics)
            sups, workers = (sz, 0) if t.child_type == "supervisor" else (0, sz)
            return ("reply", [("specs", 1), ("active", sz - state.dynamic_restarts),
                              ("supervisors", sups), ("workers", workers)], state)
        specs = active = sups = workers = 0
        for c in state.db.values():
            specs += 1
            if type(c.pid) is Pid and c.pid.alive:
                active += 1
            if c.child_type == "supervisor":
                sups += 1
            else:
                workers += 1
        return ("reply", [("specs", specs), ("active", active), ("supervisors", sups),
                          ("workers", workers)], state)
    if tag == "$otp_lite":
        if req[1] == "describe":
            return ("reply", _describe(state), state)
        return ("reply", state.module, state)
    # OTP has no clause for other requests: the supervisor crashes (function_clause)
    raise Exit(("function_clause", [("supervisor", "handle_call", [req, from_, "State"])]))


def handle_cast(msg, state):
    if type(msg) is tuple and len(msg) == 2 and msg[0] == "try_again_restart":
        child = _find_child_and_args(msg[1], state)
        if child is not None and type(child.pid) is tuple:
            r, state = _restart(child, state)
            return ("noreply", state) if r == "ok" else ("stop", "shutdown", state)
        return ("noreply", state)
    raise Exit(("function_clause", [("supervisor", "handle_cast", [msg, "State"])]))


def handle_info(msg, state):
    if type(msg) is tuple and len(msg) == 3 and msg[0] == "EXIT":
        state.pending.append(msg)
        _drain_exits(state)
        return _next_exit(state)
    if msg == "timeout" and state.pending:
        return _next_exit(state)
    logger.error([f"Supervisor received unexpected message: {fmt_term(msg)}"], kind="error_report")
    return ("noreply", state)


def _drain_exits(state):
    """Take every queued EXIT out of the mailbox (in order).

    otp_lite, not OTP: each restart's start_link waits for its ack with a
    selective receive, and a mailbox holding a storm of EXITs makes every
    such wait scan all of them (O(n^2) for n crashed children).  The EXITs
    wait in ``state.pending`` instead; one is handled per loop turn (a 0 ms
    gen_server timeout), so calls still get answered during a storm.
    """
    rt = _state.rt
    while True:
        m = rt.receive((("EXIT", ANY, ANY),), 0)
        if m is erlang.TIMEOUT:
            return
        state.pending.append(m)


def _next_exit(state):
    msg = state.pending.popleft()
    child = _find_child_and_args(msg[1], state)
    if child is not None:
        r, state = _do_restart(msg[2], child, state)
        if r != "ok":
            return ("stop", "shutdown", state)
    return ("noreply", state, 0) if state.pending else ("noreply", state)


def terminate(reason, state):
    if state.strategy == "simple_one_for_one":
        _terminate_dynamic_children(state)
    else:
        _terminate_children(list(state.ids), state)


def code_change(old_vsn, state, extra):
    """Re-read ``init`` and take the new flags and specs (running children keep their pids)."""
    ret = _gen.resolve(state.module).init(state.args)
    if ret == "ignore":
        return ("ok", state)
    if not (type(ret) is tuple and len(ret) == 2 and ret[0] == "ok"):
        return ret
    flags, specs = ret[1]
    try:
        f = check_flags(flags)
        ids, db = check_startspec(specs, f["auto_shutdown"])
    except SpecError as e:
        t = e.term
        return ("error", ("bad_flags", flags) if type(t) is tuple and t[0] == "invalid_type" else t)
    state.strategy, state.intensity, state.period = f["strategy"], f["intensity"], f["period"]
    state.auto_shutdown = f["auto_shutdown"]
    if state.strategy == "simple_one_for_one":
        state.ids, state.db = ids, db
        return ("ok", state)
    keep = [i for i in state.ids if i not in db]
    for i in ids:
        if i in state.db:
            db[i].pid = state.db[i].pid
    new_db = {i: state.db[i] for i in keep}
    new_db.update(db)
    state.ids = keep + ids[::-1]
    state.db = new_db
    return ("ok", state)


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


def _do_start_child(supname, child):
    m, f, a = child.mfargs
    r = _do_start_child_i(m, f, a)
    if r[0] == "ok" and type(r[1]) is Pid:
        child.pid = r[1]
        report_progress(child, supname)
    return r


def _start_children(ids, state, restarting_id=None):
    """Start ``ids`` in order; -> (ok, ids newest first, reason).  OTP's children_map."""
    db = state.db
    acc = []
    supname = state.name
    for i, cid in enumerate(ids):
        child = db[cid]
        r = _do_start_child(supname, child)
        if r[0] == "ok":
            if r[1] == "undefined" and child.restart_type == "temporary":
                del db[cid]
                _ev(state, child, "deleted")
                continue
            child.pid = r[1]
            if restarting_id is not None:
                child.restarts += 1
            _ev(state, child, "restarted" if cid == restarting_id else "started")
            acc.append(cid)
        else:
            child.pid = "undefined"
            report_error("start_error", r[1], child, supname)
            _ev(state, child, "start_failed", reason=r[1])
            rest = ids[i + 1:]
            rest.reverse()
            acc.reverse()
            return False, rest + [cid] + acc, ("failed_to_start_child", cid, r[1])
    acc.reverse()
    return True, acc, None


def _handle_start_child(child, state):
    old = state.db.get(child.id)
    if old is not None:
        if type(old.pid) is Pid:
            return ("error", ("already_started", old.pid))
        return ("error", "already_present")
    r = _do_start_child(state.name, child)
    if r[0] == "ok":
        if r[1] == "undefined" and child.restart_type == "temporary":
            return r
        child.pid = r[1]
        if child.restart_type == "temporary":           # OTP forgets a temporary child's args
            child.mfargs = (child.mfargs[0], child.mfargs[1], "undefined")
        state.ids.insert(0, child.id)
        state.db[child.id] = child
        _ev(state, child, "started")
        return r
    return ("error", (r[1], child.as_tuple()))


def _start_dynamic(extra, state):
    t = _template(state)
    m, f, a = t.mfargs
    if type(extra) is not list:
        extra = list(extra) if type(extra) is tuple else [extra]
    args = a + extra
    r = _do_start_child_i(m, f, args)
    if r[0] == "ok" and type(r[1]) is Pid:
        pid = r[1]
        state.dynamics[pid] = None if t.restart_type == "temporary" else args
        state.tids[pid] = pid
        if _state.rt.trace is not None:
            _ev(state, t.copy(pid=pid), "started")
        if progress_enabled():
            report_progress(t.copy(pid=pid, mfargs=(m, f, args)), state.name)
    return r


# ======================================================================== finding children
def _template(state):
    return state.db[state.ids[0]]


def _dyn_order(k):
    return (1, k[1].num if type(k[1]) is Pid else 0) if type(k) is tuple else (0, k.num)


def _find_dynamic_child(key, state):
    if key in state.dynamics:
        return _template(state).copy(pid=key)
    return None


def _find_child(cid, state):
    if state.strategy == "simple_one_for_one" and type(cid) is Pid:
        c = _find_dynamic_child(cid, state)
        if c is None:
            c = _find_dynamic_child(("restarting", cid), state)
        if c is None and not cid.alive:
            c = _template(state)            # OTP: a dead pid counts as already terminated
        return c
    try:
        return state.db.get(cid)
    except TypeError:                       # unhashable id
        return None


def _find_child_and_args(key, state):
    if state.strategy == "simple_one_for_one":
        if key in state.dynamics:
            t = _template(state)
            args = state.dynamics[key]
            return t.copy(pid=key, mfargs=(t.mfargs[0], t.mfargs[1], "undefined" if args is None else args))
        return None
    if type(key) is Pid:
        for c in state.db.values():
            if c.pid is key:
                return c
        return None
    try:
        return state.db.get(key)
    except TypeError:
        return None


def _del_child(child, state):
    if state.strategy == "simple_one_for_one":
        p = child.pid
        if p in state.dynamics:
            if type(p) is tuple:
                state.dynamic_restarts -= 1
            del state.dynamics[p]
            _ev(state, child, "deleted")
            state.tids.pop(p[1] if type(p) is tuple else p, None)
        return
    c = state.db[child.id]
    if c.restart_type == "temporary":
        state.ids.remove(c.id)
        del state.db[c.id]
        _ev(state, c, "deleted")
    else:
        c.pid = "undefined"


# ======================================================================== restarting
def _do_restart(reason, child, state):
    rtype = child.restart_type
    _ev(state, child, "terminated", reason=reason)
    if rtype == "permanent":
        report_error("child_terminated", reason, child, state.name)
        return _restart(child, state)
    if proc_lib.is_clean_exit(reason):
        _del_child(child, state)
        return _do_auto_shutdown(child, state)
    report_error("child_terminated", reason, child, state.name)
    if rtype == "transient":
        return _restart(child, state)
    _del_child(child, state)
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
    _emit("sup_shutdown", reason=("auto_shutdown", state.auto_shutdown))
    return "shutdown", state


def _add_restart(state):
    now = int(_state.rt.now_ms() // 1000)          # erlang:monotonic_time(second)
    r = state.restarts
    threshold = now - state.period
    while r and r[0] < threshold:
        r.popleft()
    r.append(now)
    return len(r) <= state.intensity


def _restart(child, state):
    if not _add_restart(state):
        report_error("shutdown", "reached_max_restart_intensity", child, state.name)
        _emit("sup_shutdown", reason="reached_max_restart_intensity")
        _del_child(child, state)
        return "shutdown", state
    _ev(state, child, "restarting")
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
    r = _do_start_child(state.name, c)
    if r[0] == "ok":
        c.pid = r[1]
        c.restarts += 1
        _ev(state, c, "restarted")
        return None
    c.pid = _restarting(old)
    report_error("start_error", r[1], c, state.name)
    _ev(state, c, "start_failed", reason=r[1])
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
        if type(r[1]) is Pid:
            state.dynamics[r[1]] = a
            state.tids[r[1]] = tid
            if _state.rt.trace is not None:
                _ev(state, child.copy(pid=r[1]), "restarted")
        return None
    rold = _restarting(old)
    state.dynamic_restarts += 1
    state.dynamics[rold] = a
    state.tids[rold[1] if type(rold) is tuple else rold] = tid
    report_error("start_error", r[1], child, state.name)
    _ev(state, child.copy(pid=rold), "start_failed", reason=r[1])
    return rold


def _restart_multiple(child, old_pid, ids, state):
    """Stop ``ids`` (newest first), start them again in start order."""
    ids1 = _terminate_children(ids, state)
    ok, new_ids, reason = _start_children(ids1, state, restarting_id=child.id)
    if ok:
        return None, new_ids
    failed = reason[1]
    state.db[failed].pid = _restarting(old_pid) if failed == child.id else ("restarting", "undefined")
    return failed, new_ids


# ======================================================================== stopping children
def _terminate_children(ids, state):
    """Stop ``ids`` in list order (newest first), one at a time; -> surviving ids, oldest first."""
    acc = []
    db = state.db
    for cid in ids:
        c = db[cid]
        _do_terminate(c, state)
        if c.restart_type == "temporary":
            del db[cid]
            _ev(state, c, "deleted")
        else:
            c.pid = "undefined"
            acc.append(cid)
    acc.reverse()
    return acc


def _do_terminate(child, state):
    if type(child.pid) is not Pid:
        return
    r = _shutdown(child, state)
    if r != "ok":
        report_error("shutdown_error", r[1], child, state.name)
    _ev(state, child, "terminated", reason="shutdown" if r == "ok" else r[1])


def _unlink_flush(pid, default, state=None):
    erlang.unlink(pid)
    if state is not None and state.pending:
        for m in state.pending:
            if m[1] is pid:
                state.pending.remove(m)
                return m[2]
    m = erlang.receive(("EXIT", pid, ANY), timeout=0)
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
    mon = erlang.monitor("process", pid)
    down = ("DOWN", mon, "process", pid, ANY)
    if child.shutdown == "brutal_kill":
        erlang.exit(pid, "kill")
        reason = _unlink_flush(pid, erlang.receive(down)[4], state)
        return "ok" if (reason == "killed" or _ok_reason(reason, child, False)) else ("error", reason)
    erlang.exit(pid, "shutdown")
    m = erlang.receive(down, timeout=child.shutdown)
    if m is erlang.TIMEOUT:
        erlang.exit(pid, "kill")
        m = erlang.receive(down)
    reason = _unlink_flush(pid, m[4], state)
    return "ok" if _ok_reason(reason, child, False) else ("error", reason)


def _terminate_dynamic_children(state):
    t = _template(state)
    me = erlang.self()
    rt = _state.rt
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
        m = rt.receive(pats, "infinity")
        if m[0] == "timeout":
            for p in mons.values():
                erlang.exit(p, "kill")
            pats = (is_down,)
            tref = None
            continue
        pid = mons.pop(m[1])
        reason = _unlink_flush(pid, m[4], state)
        if not _ok_reason(reason, t, t.shutdown == "brutal_kill"):
            errors.setdefault(_Key(reason), []).insert(0, pid)
    if tref is not None:
        erlang.cancel_timer(tref)
        erlang.receive(("timeout", tref, "kill"), timeout=0)
    for k, pids in errors.items():
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


# ======================================================================== describe (extra)
def _describe(state):
    now = int(_state.rt.now_ms() // 1000)
    inp = sum(1 for t in state.restarts if t >= now - state.period)
    kids = []
    if state.strategy == "simple_one_for_one":
        t = _template(state)
        for k in sorted(state.dynamics, key=_dyn_order):
            kids.append(dict(id="undefined", pid="restarting" if type(k) is tuple else k,
                             type=t.child_type, restart=t.restart_type, shutdown=t.shutdown, restarts=0))
    else:
        for cid in reversed(state.ids):
            c = state.db[cid]
            kids.append(dict(id=cid, pid="restarting" if type(c.pid) is tuple else c.pid,
                             type=c.child_type, restart=c.restart_type, shutdown=c.shutdown,
                             restarts=c.restarts))
    return dict(name=state.name, strategy=state.strategy, intensity=state.intensity,
                period=state.period, restarts_in_period=inp, children=kids)
