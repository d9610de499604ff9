"""Looking inside running processes: mirrors OTP ``sys`` (OTP 25); book ch. 5 and 10.

=====================================  =========================================
API (name or pid)                      what the process does
=====================================  =========================================
``get_state(p)``                       ``Mod.system_get_state(misc)``
``replace_state(p, fun)``              ``Mod.system_replace_state(fun, misc)``
``get_status(p)``                      ``('status', pid, ('module', M), [...])``
``suspend(p)`` / ``resume(p)``         only system messages until resumed
``change_code(p, mod, vsn, extra)``    ``Mod.system_code_change(misc, mod, vsn, extra)``
``trace(p, True)``                     prints ``*DBG*`` lines
``log(p, True | 'get' | 'print')``     keeps the last 10 events
``statistics(p, True | 'get')``        reductions, messages_in/out
``install(p, (fun, acc))``             calls ``fun(acc, event, proc_state)``
``terminate(p, reason)``               ``Mod.system_terminate(reason, ...)``
=====================================  =========================================

A *special process* (chapter 10) handles ``('system', From, Request)``
messages by calling :func:`handle_system_msg`, and reports its own events
with :func:`handle_debug`.  Python has no tail calls, so where Erlang's
``handle_system_msg`` never returns (it calls ``Mod:system_continue/3``), ours
*returns* ``(debug, misc)`` and your receive loop simply goes on.

Failure rule: a request to a dead process exits ``('noproc', ('sys', F, args))``;
no answer within the timeout (default 5000 ms) exits ``('timeout', ...)``.
"""
from __future__ import annotations

import types
from collections import deque

from . import erlang, _gen, _hibernate
from .erlang import ANY, Exit, ErlangError, Throw
from .kernel import state as _state

__all__ = ["get_state", "replace_state", "get_status", "suspend", "resume", "change_code",
           "trace", "log", "statistics", "install", "remove", "no_debug", "terminate",
           "handle_system_msg", "handle_debug", "debug_options", "Debug", "print_log"]

DEFAULT_TIMEOUT = 5000


# ======================================================== debug structure
class Debug:
    """A process's debug options (OTP keeps a list; one small object here)."""
    __slots__ = ("trace", "log", "stats", "installed")

    def __init__(self):
        self.trace = False
        self.log = None          # deque(maxlen=N) of (event, info, fmt)
        self.stats = None        # dict
        self.installed = {}      # id -> (fun, acc)

    def __bool__(self):
        return bool(self.trace or self.log is not None or self.stats is not None or self.installed)

    def __repr__(self):
        opts = []
        if self.trace:
            opts.append("trace")
        if self.log is not None:
            opts.append(("log", self.log.maxlen))
        if self.stats is not None:
            opts.append("statistics")
        opts.extend(("install", k) for k in self.installed)
        return repr(opts)


def debug_options(opts):
    """``[trace, log, statistics, ('log', N), ('install', (f, acc))]`` -> Debug."""
    d = Debug()
    if opts is not None and type(opts) is not list:
        # OTP 25: sys:debug_options(42) -> error:function_clause (ch23_bad_input_bifs.out)
        raise ErlangError("function_clause", f"debug options are a list, got {opts!r}")
    for o in opts or []:
        if o == "trace":
            d.trace = True
        elif o == "log":
            d.log = deque(maxlen=10)
        elif type(o) is tuple and len(o) == 2 and o[0] == "log" and type(o[1]) is int and o[1] >= 0:
            d.log = deque(maxlen=o[1])
        elif o == "statistics":
            d.stats = _new_stats()
        elif type(o) is tuple and len(o) == 2 and o[0] == "install" and type(o[1]) is tuple \
                and len(o[1]) == 2 and callable(o[1][0]):
            f, acc = o[1]
            d.installed[f] = (f, acc)
        else:
            raise ErlangError("badarg", f"unknown debug option {o!r}; use 'trace', 'log', 'statistics' or ('install', (fun, acc))")
    return d


def _new_stats():
    rt = _state.rt
    me = rt.current
    return {"start_time": rt.now_ms(), "reductions": me.reductions + me.reds,
            "messages_in": 0, "messages_out": 0}


def handle_debug(deb, fmt, info, event):
    """Record ``event`` for every debug option on; returns ``deb``.

    ``fmt`` is the process's own formatter, in one of two forms:

    * ``fmt(device, event, info)`` -- OTP's ``FormFunc(Dev, Event, State)``:
      it prints the event itself, e.g. the ch10 mutex's
      ``print(f"mutex {name}: {event!r}", file=device)``;
    * ``fmt(event, info)`` returning the text after ``*DBG* `` (what the
      behaviours use: ``"frequency got cast ..."``).
    """
    if not deb:
        return deb
    if type(deb) is not Debug:
        raise ErlangError("function_clause", f"sys.handle_debug: {deb!r} is not a debug structure")
    if deb.trace:
        _print_event(fmt, event, info)
    if deb.log is not None:
        deb.log.append((event, info, fmt))
    if deb.stats is not None:
        k = event[0] if type(event) is tuple else event
        if k == "in":
            deb.stats["messages_in"] += 1
        elif k == "out":
            deb.stats["messages_out"] += 1
    for key, (f, acc) in list(deb.installed.items()):
        try:
            new = f(acc, event, info)
        except Exception:                        # noqa: BLE001 - a bad debug fun is removed
            new = "done"
        if new == "done":
            deb.installed.pop(key, None)
        else:
            deb.installed[key] = (f, new)
    return deb


_ARITY = {}


def _print_event(fmt, event, info):
    key = getattr(fmt, "__code__", None) or fmt
    n = _ARITY.get(key)
    if n is None:
        import inspect
        try:
            n = len(inspect.signature(fmt).parameters)
        except (TypeError, ValueError):
            n = 2
        _ARITY[key] = n
    if n >= 3:
        import sys as _pysys
        fmt(_pysys.stdout, event, info)
    else:
        print("*DBG* " + fmt(event, info))


def print_log(deb):
    if deb and type(deb) is not Debug:
        # OTP 25: sys:print_log(a) -> error:badarg (ch23_bad_input_bifs.out)
        raise ErlangError("badarg", f"sys.print_log: {deb!r} is not a debug structure")
    if deb and deb.log is not None:
        for event, info, fmt in deb.log:
            _print_event(fmt, event, info)


# ======================================================== process side
def handle_system_msg(request, from_, parent, mod, deb, misc, hibernate=False):
    """Answer one system message; returns ``(deb, misc)`` to carry on with.

    ``mod`` must provide ``system_get_state(misc)``, ``system_replace_state(fun,
    misc)``, ``system_code_change(misc, module, old_vsn, extra)`` and
    ``system_terminate(reason, parent, deb, misc)`` (which must not return),
    and may provide ``format_status(opt, [pdict, sys_state, parent, deb, misc])``.
    On ``suspend`` it waits here, answering only system messages, until
    ``resume`` (a parent EXIT while suspended terminates, as in OTP); a process
    that was hibernating (``hibernate=True``) waits hibernated, as OTP's
    ``suspend_loop_hib``.
    """
    rt = _state.rt
    me = rt.current
    suspended = False
    while True:
        reply, deb, misc, terminate, suspended = _do_request(request, from_, parent, mod, deb, misc, suspended)
        if terminate is not None:
            _gen.reply(from_, "ok") if terminate[1] else None
            mod.system_terminate(terminate[0], parent, deb, misc)
            raise Exit(terminate[0])
        _gen.reply(from_, reply)
        if not suspended:
            return deb, misc
        pats = [("system", ANY, ANY)]
        if me.trap_exit and parent is not None:
            pats.append(("EXIT", parent, ANY))
        if hibernate:                               # OTP: suspend_loop_hib, in erlang:hibernate/3
            msg = _hibernate.hibernate(rt.receive, tuple(pats), "infinity")
        else:
            msg = rt.receive(tuple(pats), "infinity")
        if msg[0] == "EXIT":
            mod.system_terminate(msg[2], parent, deb, misc)
            raise Exit(msg[2])
        _, from_, request = msg


def _do_request(req, from_, parent, mod, deb, misc, suspended):
    """-> (reply, deb, misc, terminate|None, suspended)"""
    if req == "suspend":
        return "ok", deb, misc, None, True
    if req == "resume":
        return "ok", deb, misc, None, False
    if req == "get_state":
        if getattr(mod, "system_get_state", None) is None:
            return misc, deb, misc, None, suspended       # OTP's default: the state is Misc
        try:
            st = mod.system_get_state(misc)
        except Exception as e:                   # noqa: BLE001
            return _failed(mod, "system_get_state", e), deb, misc, None, suspended
        return st[1] if st[0] == "ok" else st, deb, misc, None, suspended
    if type(req) is tuple and req[0] == "replace_state":
        if getattr(mod, "system_replace_state", None) is None:
            try:
                misc = req[1](misc)                         # OTP's default: replace Misc
            except Exception as e:                       # noqa: BLE001
                return _failed(None, req[1], e), deb, misc, None, suspended
            return misc, deb, misc, None, suspended
        try:
            st, new = mod.system_replace_state(req[1], misc)[1:]
        except Exception as e:                   # noqa: BLE001
            return _failed(mod, "system_replace_state", e), deb, misc, None, suspended
        misc = new
        return st, deb, misc, None, suspended
    if req == "get_status":
        return _get_status(mod, parent, deb, misc, suspended), deb, misc, None, suspended
    if type(req) is tuple and req[0] == "change_code" and suspended:   # OTP: only while suspended
        _, module, vsn, extra = req
        try:
            cb = _gen.resolve(mod) if type(mod) is types.ModuleType else mod   # Mod:..., the new code
            r = cb.system_code_change(misc, module, vsn, extra)
        except Exception as e:                   # noqa: BLE001
            return ("error", ("EXIT", _state.rt.error_reason(e))), deb, misc, None, suspended
        if type(r) is tuple and len(r) == 2 and r[0] == "ok":
            return "ok", deb, r[1], None, suspended
        return ("error", r), deb, misc, None, suspended         # OTP: {error, Else}, the old state kept
    if type(req) is tuple and req[0] == "terminate":
        return None, deb, misc, (req[1], False), suspended
    if type(req) is tuple and req[0] == "debug":
        reply, deb = _debug_request(req[1], deb)
        return reply, deb, misc, None, suspended
    return ("error", ("unknown_system_msg", req)), deb, misc, None, suspended


def _failed(mod, what, e):
    """OTP's ``{error, {callback_failed, {Mod, Fun}, {Class, Reason}}}`` for a sys callback
    (or, with ``mod`` None, the state fun itself) that raised; ``Mod`` is the behaviour
    (``gen_server``, ``gen_statem``...), as OTP names it."""
    if isinstance(e, Throw):
        cls, reason = "throw", e.value
    elif isinstance(e, Exit):
        cls, reason = "exit", e.reason
    else:
        cls, reason = "error", _state.rt.error_reason(e)[0]
    where = what if mod is None else (_behaviour_name(mod), what)
    return ("error", ("callback_failed", where, (cls, reason)))


def _behaviour_name(mod):
    m = type(mod).__module__ if not isinstance(mod, types.ModuleType) else mod.__name__
    return m.rsplit(".", 1)[-1]


def _debug_request(dreq, deb):
    if deb is None:
        deb = Debug()
    kind = dreq[0] if type(dreq) is tuple else dreq
    if kind == "trace":
        deb.trace = bool(dreq[1])
        return "ok", deb
    if kind == "log":
        flag = dreq[1]
        if flag is True:
            deb.log = deque(maxlen=10)
        elif type(flag) is int:
            deb.log = deque(maxlen=flag)
        elif type(flag) is tuple and len(flag) == 2 and flag[0] is True and type(flag[1]) is int:
            deb.log = deque(maxlen=flag[1])          # OTP's {true, N}
        elif flag is False:
            deb.log = None
        elif flag == "get":
            return ("ok", [e for e, _i, _f in deb.log] if deb.log is not None else []), deb
        elif flag == "print":
            print_log(deb)
        return "ok", deb
    if kind == "statistics":
        flag = dreq[1]
        if flag is True:
            deb.stats = _new_stats()
        elif flag is False:
            deb.stats = None
        elif flag == "get":
            if deb.stats is None:
                return ("ok", "no_statistics"), deb
            rt = _state.rt
            me = rt.current
            s = deb.stats
            return ("ok", [("start_time", s["start_time"]), ("current_time", rt.now_ms()),
                           ("reductions", me.reductions + me.reds - s["reductions"]),
                           ("messages_in", s["messages_in"]), ("messages_out", s["messages_out"])]), deb
        return "ok", deb
    if kind == "install":
        f, acc = dreq[1]
        deb.installed[f] = (f, acc)
        return "ok", deb
    if kind == "remove":
        deb.installed.pop(dreq[1], None)
        return "ok", deb
    if kind == "no_debug":
        return "ok", Debug()
    return ("error", "unknown_debug"), deb


def _get_status(mod, parent, deb, misc, suspended):
    rt = _state.rt
    me = rt.current
    pdict = list((me.dict or {}).items())
    status = "suspended" if suspended else "running"
    logged = [e for e, _i, _f in deb.log] if deb and deb.log is not None else []
    fs = getattr(mod, "format_status", None)
    if fs is not None:
        specific = fs("normal", [pdict, status, parent, logged, misc])
    else:
        specific = misc
    modname = getattr(mod, "BEHAVIOUR_NAME", _gen.module_name(mod))
    return ("status", me, ("module", modname), [pdict, status, parent, logged, specific])


# ======================================================== client side
def _sys_call(name, request, timeout, fname, args):
    if timeout != DEFAULT_TIMEOUT:
        args = args + [timeout]                     # OTP: [Name] for sys:f/1, [Name, Timeout] for f/2
    return _gen.call(name, "system", request, timeout, ("sys", fname, args))


def _or_error(r):
    """OTP's sys:get_state/replace_state: ``{error, Reason} -> error(Reason)`` in the caller."""
    if type(r) is tuple and len(r) == 2 and r[0] == "error":
        raise ErlangError(r[1])
    return r


def get_state(name, timeout=DEFAULT_TIMEOUT):
    return _or_error(_sys_call(name, "get_state", timeout, "get_state", [name]))


def replace_state(name, fun, timeout=DEFAULT_TIMEOUT):
    return _or_error(_sys_call(name, ("replace_state", fun), timeout, "replace_state", [name, fun]))


def get_status(name, timeout=DEFAULT_TIMEOUT):
    return _sys_call(name, "get_status", timeout, "get_status", [name])


def suspend(name, timeout=DEFAULT_TIMEOUT):
    return _sys_call(name, "suspend", timeout, "suspend", [name])


def resume(name, timeout=DEFAULT_TIMEOUT):
    return _sys_call(name, "resume", timeout, "resume", [name])


def change_code(name, module, old_vsn, extra, timeout=DEFAULT_TIMEOUT):
    return _sys_call(name, ("change_code", module, old_vsn, extra), timeout,
                     "change_code", [name, module, old_vsn, extra])


def _debug(name, dreq, timeout, fname, args):
    return _sys_call(name, ("debug", dreq), timeout, fname, args)


def trace(name, flag, timeout=DEFAULT_TIMEOUT):
    return _debug(name, ("trace", flag), timeout, "trace", [name, flag])


def log(name, flag, timeout=DEFAULT_TIMEOUT):
    return _debug(name, ("log", flag), timeout, "log", [name, flag])


def statistics(name, flag, timeout=DEFAULT_TIMEOUT):
    return _debug(name, ("statistics", flag), timeout, "statistics", [name, flag])


def install(name, fun_acc, timeout=DEFAULT_TIMEOUT):
    return _debug(name, ("install", fun_acc), timeout, "install", [name, fun_acc])


def remove(name, fun, timeout=DEFAULT_TIMEOUT):
    return _debug(name, ("remove", fun), timeout, "remove", [name, fun])


def no_debug(name, timeout=DEFAULT_TIMEOUT):
    return _debug(name, "no_debug", timeout, "no_debug", [name])


def terminate(name, reason, timeout="infinity"):
    from . import proc_lib
    return proc_lib.stop(name, reason, timeout)
