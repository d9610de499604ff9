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

Layout (as one OTP module, split for reading): this file holds the API, the
``#state{}`` record and the gen_server callbacks; ``_sup_restart`` starts,
finds and restarts children (restart types, strategies, intensity);
``_sup_shutdown`` stops them (the shutdown protocol); ``_sup_spec`` checks
flags and child specs, writes the SUPERVISOR/PROGRESS reports and emits the
trace events.

See also: otp_lite.gen_server, otp_lite.application, otp_lite.proc_lib,
otp_lite._sup_restart, otp_lite._sup_shutdown, otp_lite._sup_spec.
"""
from __future__ import annotations

import sys as _pysys
import weakref
from collections import deque

from . import erlang, gen_server, logger, _gen
from . import sys as _sys
from ._sup_spec import (SpecError, check_flags, check_childspec, check_startspec, fmt_term,
                        emit, child_event, template)
from ._sup_restart import (do_start_child, start_children, handle_start_child, start_dynamic,
                           dyn_order, find_child, find_child_and_args, del_child, do_restart,
                           restart)
from ._sup_shutdown import terminate_children, do_terminate, terminate_dynamic_children
from .erlang import ANY, ErlangError, Exit, Pid
from .kernel import state as _state

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
    raise ErlangError("undef", "supervisor.start_link([sup_name,] module, args): no such arity")


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
    """The callback module's name, read from ``sys.get_status`` as OTP 25's does."""
    misc = _sys.get_status(sup)[3][4]
    for item in misc:
        if type(item) is tuple and item[0] == "supervisor":
            return dict(item[1])["Callback"]
    return _gen.module_name(dict(misc[2][1])["State"].module)


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
                 "restarts", "dynamic_restarts", "auto_shutdown", "module", "args", "pending", "by_pid")

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
        self.by_pid = None            # static children: pid -> child (find_child_and_args)

    def __repr__(self):
        dyn = "undefined" if self.dynamics is None else ("maps", self.dynamics)
        return fmt_term(("state", self.name, self.strategy, (list(self.ids), self.db), dyn,
                         self.intensity, self.period, list(self.restarts)[::-1],
                         self.dynamic_restarts, self.auto_shutdown, self.module, self.args))


def _which_children(state):
    if state.strategy == "simple_one_for_one":
        t = template(state)
        keys = sorted(state.dynamics, key=dyn_order)
        return [("undefined", "restarting" if type(k) is tuple else k, t.child_type, t.modules)
                for k in keys]
    out = []
    for cid in state.ids:
        c = state.db[cid]
        out.append((cid, "restarting" if type(c.pid) is tuple else c.pid, c.child_type, c.modules))
    return out


_published = weakref.WeakKeyDictionary()     # supervisor pid -> its State (the same object it runs on)


def peek_children(sup):
    """otp_lite extra (not in OTP), for viewers: ``which_children(sup)`` read without asking.

    The answer ``which_children`` would give, read from the supervisor's own
    state object, so looking sends no message, makes no trace event and
    costs the supervisor nothing (OTP's observer does send messages; the
    live views must not fill the sequence chart with their own traffic).
    ``None`` for a pid that is not a running supervisor.
    """
    st = _published.get(sup) if type(sup) is Pid else None
    if st is None or not sup.alive or st.strategy is None:
        return None
    return _which_children(st)


# ======================================================================== gen_server callbacks
def init(arg):
    supname, mod, args = arg
    me = erlang.self()
    if supname == "self":
        supname = (me, _gen.module_name(mod))
    erlang.process_flag("trap_exit", True)
    erlang.put("$initial_call", ("supervisor", _gen.module_name(mod), 1))   # as OTP's proc_lib:trans_init
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
    emit("sup_start", name=supname, strategy=state.strategy, intensity=state.intensity,
          period=state.period, children=list(ids))
    state.db = db
    _published[me] = state
    if state.strategy == "simple_one_for_one":
        state.ids = ids
        state.dynamics, state.tids = {}, {}
        return ("ok", state)
    ok, new_ids, reason = start_children(ids, state)
    state.ids = new_ids
    if not ok:
        terminate_children(state.ids, state)
        return ("stop", ("shutdown", reason))
    return ("ok", state)


def handle_call(req, from_, state):
    simple = state.strategy == "simple_one_for_one"
    tag = req[0] if type(req) is tuple and req else req
    if tag == "start_child":
        if simple:
            return ("reply", start_dynamic(req[1], state), state)
        try:
            child = check_childspec(req[1], state.auto_shutdown)
        except SpecError as e:
            return ("reply", ("error", e.term), state)
        return ("reply", handle_start_child(child, state), state)
    if tag == "terminate_child":
        cid = req[1]
        if simple and type(cid) is not Pid:
            return ("reply", ("error", "simple_one_for_one"), state)
        child = find_child(cid, state)
        if child is None:
            return ("reply", ("error", "not_found"), state)
        do_terminate(child, state)
        del_child(child, state)
        return ("reply", "ok", state)
    if tag == "restart_child":
        if simple:
            return ("reply", ("error", "simple_one_for_one"), state)
        child = find_child(req[1], state)
        if child is None:
            return ("reply", ("error", "not_found"), state)
        if child.pid == "undefined":
            r = do_start_child(state.name, child, state)
            if r[0] == "ok":
                child.pid = r[1]
                child_event(state, child, "started")
            else:
                child_event(state, child, "start_failed", reason=r[1] if len(r) > 1 else r)
            return ("reply", r, state)
        if type(child.pid) is tuple:
            return ("reply", ("error", "restarting"), state)
        return ("reply", ("error", "running"), state)
    if tag == "delete_child":
        if simple:
            return ("reply", ("error", "simple_one_for_one"), state)
        child = find_child(req[1], state)
        if child is None:
            return ("reply", ("error", "not_found"), state)
        if child.pid == "undefined":
            state.ids.remove(child.id)
            del state.db[child.id]
            child_event(state, child, "deleted")
            return ("reply", "ok", state)
        if type(child.pid) is tuple:
            return ("reply", ("error", "restarting"), state)
        return ("reply", ("error", "running"), state)
    if tag == "get_childspec":
        child = find_child(req[1], state)
        if child is None:
            return ("reply", ("error", "not_found"), state)
        return ("reply", ("ok", child.to_spec()), state)
    if req == "which_children":
        return ("reply", _which_children(state), state)
    if req == "count_children":
        if simple:
            t = template(state)
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
    # OTP has no clause for other requests: the supervisor crashes (function_clause)
    raise Exit(("function_clause", [("supervisor", "handle_call", [req, from_, "State"])]))


def handle_cast(msg, state):
    if type(msg) is tuple and len(msg) == 2 and msg[0] == "try_again_restart":
        child = find_child_and_args(msg[1], state)
        if child is not None and type(child.pid) is tuple:
            r, state = restart(child, state)
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
    child = find_child_and_args(msg[1], state)
    if child is not None:
        r, state = do_restart(msg[2], child, state)
        if r != "ok":
            return ("stop", "shutdown", state)
    return ("noreply", state, 0) if state.pending else ("noreply", state)


def terminate(reason, state):
    if state.strategy == "simple_one_for_one":
        terminate_dynamic_children(state)
    else:
        terminate_children(list(state.ids), state)


def format_status(opt, pdict_state):
    """``sys.get_status``: the state and ``{supervisor, [{"Callback", Mod}]}``, as OTP 25."""
    state = pdict_state[1]
    if opt == "terminate":
        return state
    return [("data", [("State", state)]), ("supervisor", [("Callback", _gen.module_name(state.module))])]


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


# ======================================================================== describe (extra)
def _describe(state):
    now = int(_state.rt.now_ms() // 1000)
    inp = sum(1 for t in state.restarts if t >= now - state.period)
    kids = []
    if state.strategy == "simple_one_for_one":
        t = template(state)
        for k in sorted(state.dynamics, key=dyn_order):
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
