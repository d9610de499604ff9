"""Plumbing shared by every behaviour: names, calls, replies (OTP's ``gen`` module).

``call`` monitors the server, sends ``(label, (caller, tag), request)`` and
waits for ``(tag, reply)`` or the monitor's DOWN.  The tag is an *alias*, as
in OTP >= 24: once the call has returned or timed out, a late reply to it is
dropped instead of landing in the caller's mailbox (erlang_ref e1).
"""
from __future__ import annotations

from . import erlang, global_, logger, proc_lib
from .erlang import ANY, TIMEOUT, Exit, ErlangError, Pid, Throw
from .kernel.terms import Ref
from .kernel import state as _state

__all__ = ["where", "call", "reply", "reg_name", "check_name", "name_of", "resolve", "module_name",
           "parse_start", "start", "monitor_result", "cast", "init_start", "init_fail", "init_ignore",
           "get_parent", "get_proc_name", "check_stop_timeout", "undefined_handle_info", "otp_reason", "SysStateMixin"]


def check_name(name):
    """Validate ``('local', n)`` / ``('global', n)`` / ``('via', mod, n)``."""
    if type(name) is tuple and len(name) == 2 and name[0] == "local" and type(name[1]) is str:
        return name
    if type(name) is tuple and len(name) == 2 and name[0] == "global":   # OTP: any term
        try:
            hash(name[1])
            return name
        except TypeError:
            pass
    if type(name) is tuple and len(name) == 3 and name[0] == "via":
        return name
    raise ErlangError("badarg", f"bad server name {name!r}: use ('local', 'name'), ('global', 'name') or ('via', module, name)")


def register_name(name, pid):
    """Register per the name form; returns True or ('error', ('already_started', pid))."""
    kind = name[0]
    if kind == "local":
        other = erlang.whereis(name[1])
        if other != "undefined":
            return ("error", ("already_started", other))
        erlang.register(name[1], pid)
        return True
    if kind == "global":                             # gen:name_register: global's table, as OTP
        if global_.register_name(name[1], pid) == "yes":
            return True
        return ("error", ("already_started", global_.whereis_name(name[1])))
    mod, n = name[1], name[2]
    if mod.register_name(n, pid) == "yes":
        return True
    return ("error", ("already_started", mod.whereis_name(n)))


# ================================================================ starting (gen:start / gen:init_it)
def parse_start(behaviour, args, fname, options, *, two_args, opts_list, check_debug, init_hint):
    """``([name,] mod, args, opts)`` -> ``(name, mod, arg, {option: value})``, or badarg in the caller.

    What a behaviour checks is spelled out by its call, not hidden here:
    ``two_args`` accepts ``(mod, args)`` (options ``[]``); ``opts_list`` rejects
    a non-list ``opts``; ``check_debug`` (``sys.debug_options`` or None)
    validates ``('debug', flags)`` in the caller; ``init_hint`` (or None: no
    check) is the badarg text when ``mod`` has no ``init``.
    """
    if len(args) == 4:
        name, mod, arg, opts = args
        check_name(name)
    elif len(args) == 3:
        name, (mod, arg, opts) = None, args
    elif len(args) == 2 and two_args:
        name, (mod, arg), opts = None, args, []
    else:
        raise ErlangError("undef", f"{behaviour}.{fname}([name,] module, args, options): no such arity")
    if opts_list and not isinstance(opts, list):
        raise ErlangError("badarg", f"{behaviour} options must be a list, got {opts!r}")
    parsed = {}
    for o in opts:
        if type(o) is not tuple or len(o) != 2 or o[0] not in options:
            raise ErlangError("badarg", f"unknown {behaviour} option {o!r}; known: {', '.join(options)} as (key, value)")
        parsed[o[0]] = o[1]
    if check_debug is not None and "debug" in parsed:
        check_debug(parsed["debug"])                 # badarg here, in the caller, for a bad flag
    if init_hint is not None and getattr(mod, "init", None) is None:
        raise ErlangError("badarg", f"{module_name(mod)} has no init/1: {init_hint}")
    return name, mod, arg, parsed


def start(how, init_it, init_args, timeout, mfa):
    """proc_lib.start / start_link / start_monitor (``how``: 'nolink' | 'link' | 'monitor')."""
    starter = proc_lib.start_link if how == "link" else proc_lib.start_monitor if how == "monitor" else proc_lib.start
    return starter(init_it, init_args, timeout, mfa)


def monitor_result(ret_mref):
    """start_monitor's answer: ``('ok', (pid, mref))``, or the start's error as it is."""
    ret, mref = ret_mref
    if type(ret) is tuple and ret[0] == "ok":
        return ("ok", (ret[1], mref))
    return ret


def cast(server_ref, msg):
    """``('$gen_cast', msg)`` to a server; always ``'ok'``, even for a dead pid or an unknown name."""
    try:
        pid = where(server_ref)
    except ErlangError:
        return "ok"
    if pid is not None:
        erlang.send(pid, ("$gen_cast", msg))
    return "ok"


def init_start(how, name):
    """First steps of a behaviour's init_it: ``(me, parent)``, ``name`` registered.

    The parent is the starter for a linked start, else the process itself (as
    OTP's ``self`` for an unlinked start).  If the name is taken, acks
    ``('error', ('already_started', pid))`` and exits ``normal``.
    """
    me = _state.rt.current
    anc = me.dict["$ancestors"]
    parent = anc[0] if how == "link" else me
    if type(parent) is str:
        parent = erlang.whereis(parent)
    if name is not None:
        r = register_name(name, me)
        if r is not True:
            proc_lib.init_ack(r)
            raise Exit("normal")
    return me, parent


def init_fail(name, reason):
    """init failed: give the name back and ack ``('error', reason)`` (the caller then exits)."""
    if type(name) is tuple:
        unregister_name(name)
    proc_lib.init_ack(("error", reason))


def init_ignore(name):
    """init returned ``'ignore'``: give the name back, ack ``'ignore'``, exit ``normal``."""
    if name is not None:
        unregister_name(name)
    proc_lib.init_ack("ignore")
    raise Exit("normal")


def get_parent():
    """enter_loop's parent (OTP's ``gen:get_parent``): the first ancestor, a name resolved
    locally then globally; a process not started by proc_lib exits
    ``process_was_not_started_by_proc_lib``."""
    anc = (_state.rt.current.dict or {}).get("$ancestors")
    if not anc:
        raise Exit("process_was_not_started_by_proc_lib")
    parent = anc[0]
    if type(parent) is str:
        p = erlang.whereis(parent)
        if p == "undefined":
            p = global_.whereis_name(parent)
            if p == "undefined":
                raise Exit("could_not_find_registered_name")
        parent = p
    return parent


def get_proc_name(name):
    """enter_loop's name check (OTP's ``gen:get_proc_name``): ``name`` must already be the
    caller's, else it exits ``process_not_registered`` (``..._globally``,
    ``('process_not_registered_via', mod)``).  None (no name) is the pid."""
    me = _state.rt.current
    if name is None:
        return me
    kind = name[0]
    if kind == "local":
        if erlang.whereis(name[1]) is not me:
            raise Exit("process_not_registered")
    elif kind == "global":
        if global_.whereis_name(name[1]) is not me:
            raise Exit("process_not_registered_globally")
    elif name[1].whereis_name(name[2]) is not me:
        raise Exit(("process_not_registered_via", module_name(name[1])))
    return name


def check_stop_timeout(process, reason, timeout):
    """``gen:stop/3``'s guard: a timeout that is not ``infinity`` or an integer >= 0 is
    ``function_clause`` in the caller, before anything is sent (OTP 25: the process lives)."""
    if timeout != "infinity" and (type(timeout) is not int or timeout < 0):
        raise ErlangError("function_clause", f"gen:stop/3 has no clause for timeout {timeout!r} "
                          f"(stop({process!r}, {reason!r}, {timeout!r})): use 'infinity' or an integer >= 0")


def unregister_name(name):
    kind = name[0]
    if kind == "local":
        try:
            erlang.unregister(name[1])
        except ErlangError:
            pass
    elif kind == "global":
        global_.unregister_name(name[1])
    else:
        name[1].unregister_name(name[2])


def where(dest):
    """A pid for ``dest`` (pid, name, (name, node), ('global', n), ('via', m, n)) or None."""
    if type(dest) is Pid:
        return dest if dest.alive else None
    if type(dest) is str:
        p = erlang.whereis(dest)
        return None if p == "undefined" else p
    if type(dest) is tuple:
        if len(dest) == 2 and dest[0] == "local":
            return where(dest[1])
        if len(dest) == 2 and dest[0] == "global":
            p = global_.whereis_name(dest[1])
            return None if p == "undefined" else p
        if len(dest) == 3 and dest[0] == "via":
            p = dest[1].whereis_name(dest[2])
            return None if p == "undefined" else p
        if len(dest) == 2 and type(dest[0]) is str and type(dest[1]) is str:
            if dest[1] == erlang.node():
                return where(dest[0])
            rt = _state.rt
            if rt.net is None:
                return None
            p = rt.net.whereis(rt.current, dest[0], dest[1])   # otp_lite.dist
            return p if type(p) is Pid and p.alive else None
    raise ErlangError("badarg", f"{dest!r} is not a pid, a name, (name, node), ('global', name) or ('via', mod, name)")


def name_of(name_or_pid):
    """The name used in reports and *DBG* lines: registered name, else the pid."""
    if type(name_or_pid) is tuple and len(name_or_pid) in (2, 3) and name_or_pid[0] in ("local", "global", "via"):
        return name_or_pid[-1]
    return name_or_pid


def call(dest, label, request, timeout, mfa):
    """Send a request and wait; on failure exit with ``(Reason, mfa)``.

    ``mfa`` is the caller-facing location, e.g. ``('gen_server', 'call', [dest, req])``,
    or a function returning it (built only when the call fails).

    Hot path (bench/gen_server.py): the kernel's ``receive_reply`` waits with
    identity tests on the tag (messages are passed by reference, so the reply
    carries the very Ref object we sent) instead of a pattern.
    """
    if type(timeout) is not int and timeout != "infinity" and (type(timeout) is not float or timeout < 0) \
            or type(timeout) is int and timeout < 0:
        # OTP: gen:call/4 has no clause for it; the caller exits {{function_clause, Stack}, MFA}
        raise Exit((("function_clause", [("gen", "call", [dest, label, request, timeout])]),
                    mfa() if callable(mfa) else mfa))
    rt = _state.rt
    me = rt.current
    pid = dest if type(dest) is Pid and dest.alive else where(dest)
    if pid is None:
        if type(dest) is tuple and len(dest) == 2 and type(dest[1]) is str \
                and dest[0] not in ("local", "global") and dest[1] != erlang.node() \
                and (rt.net is None or not rt.net.reachable(me.node, dest[1])):
            raise Exit((("nodedown", dest[1]), mfa() if callable(mfa) else mfa))   # OTP: {nodedown, Node}
        raise Exit(("noproc", mfa() if callable(mfa) else mfa))
    if pid is me:
        raise Exit(("calling_self", mfa() if callable(mfa) else mfa))
    mark = len(me.mbox)         # no message queued before the ref exists can hold it (OTP's recv mark)
    tr = rt.trace
    if tr is None and pid.node is me.node:
        # rt.monitor(me, 'process', pid) for a live pid, inline (no trace event to emit).
        # A deliberate copy of kernel/signals.py's monitor (`duplicates` pairs them; do not
        # merge): two Python calls fewer per call, measured in the commit that added it.
        mref = Ref()
        mons = me.monitors
        if mons is None:
            mons = me.monitors = {}
        mons[mref] = pid
        ws = pid.watchers
        if ws is None:
            ws = pid.watchers = {}
        ws[mref] = (me, pid)
    else:
        mref = rt.monitor(me, "process", pid)
    mref.alias = True           # a call's tag: once the call is over, a reply to it is dropped
    aliases = rt.aliases
    aliases.add(mref)
    try:
        rt.send(pid, (label, (me, mref), request))
        msg = rt.receive_reply(mref, timeout, mark)     # (mref, Reply) or ('DOWN', mref, ...)
    finally:
        aliases.discard(mref)
    if msg is TIMEOUT:
        rt.demonitor(me, mref, True, mark)
        raise Exit(("timeout", mfa() if callable(mfa) else mfa))
    if len(msg) == 5:
        raise Exit((msg[4], mfa() if callable(mfa) else mfa))
    mons = me.monitors
    t = mons.pop(mref, None) if mons and rt.trace is None else None
    if t is not None:               # rt.demonitor(..., flush) of a monitor still active, inline:
        ws = t.watchers             # it has not fired, so there is nothing to flush
        if ws:
            ws.pop(mref, None)
        if t.node is not me.node and rt.net.wire:
            rt.net.demonitor(me, t, mref)      # a real connection: DEMONITOR_P
    else:
        rt.demonitor(me, mref, True, mark)
    return msg[1]


def reply(from_, msg):
    """Send ``msg`` to a caller; dropped if that call is already over (alias gone)."""
    if type(from_) is not tuple or len(from_) != 2:
        # OTP 25: gen_server:reply(42, x) -> error:function_clause (ch23_bad_input_bifs.out)
        raise ErlangError("function_clause", f"reply/2 needs the From it was given, got {from_!r}")
    pid, tag = from_
    rt = _state.rt
    if type(tag) is Ref and getattr(tag, "alias", False):     # a call's tag (only those are aliases)
        if tag in rt.aliases:
            if type(pid) is Pid and pid.alive:
                rt.send(pid, (tag, msg))
        elif rt.trace is not None:                   # the call is over: dropped
            rt.trace.emit("send", frm=rt.current, to=pid, msg=(tag, msg), dropped="alias inactive")
    elif type(pid) is Pid:                           # OTP: any other From gets To ! {Tag, Reply}
        rt.send(pid, (tag, msg))
    return "ok"


def _hashable(t):
    try:
        hash(t)
    except TypeError:
        return False
    return True


def module_name(mod):
    """'frequency' for a module ``examples.ch4.frequency`` or a class ``frequency``."""
    n = getattr(mod, "__name__", None) or repr(mod)
    return n.rsplit(".", 1)[-1]


def call_code_change(mod, args):
    """``catch Mod:code_change(...)`` as OTP's behaviours run it for ``sys:change_code``: the
    callback's result; for a missing callback ``('EXIT', ('undef', [(Mod, 'code_change', Args)]))``,
    for one that fails ``('EXIT', Reason)`` (a throw: its value), so that sys answers
    ``('error', ('EXIT', ...))`` and the process keeps its old state, as in OTP 25."""
    cc = getattr(resolve(mod), "code_change", None)
    if cc is None:
        return ("EXIT", ("undef", [(module_name(mod), "code_change", list(args))]))
    try:
        return cc(*args)
    except Throw as e:
        return e.value
    except Exit as e:
        return ("EXIT", e.reason)
    except Exception as e:                   # noqa: BLE001 - a failed callback is its answer
        return ("EXIT", _state.rt.error_reason(e))


def resolve(mod):
    """The newest loaded version of a callback namespace (otp_lite.code replaces this).

    Behaviours call callbacks through this, as Erlang's fully qualified
    ``Mod:handle_call(...)`` always runs the current code.
    """
    return _resolver(mod)


def _identity(mod):
    return mod


_resolver = _identity


def set_resolver(fn):
    global _resolver
    _resolver = fn or _identity


# ================================================================ shared by the behaviours' loops and reports
def undefined_handle_info(mod, msg):
    """OTP's warning for a message to a namespace without handle_info (the process survives)."""
    logger.warning([f"** Undefined handle_info in {module_name(mod)}",
                    f"** Unhandled message: {msg!r}"], kind="warning_report")


def otp_reason(reason):
    """An ERROR REPORT shows ``('undef', mfas)`` in OTP's wording: ``('function not exported', mfas)``."""
    if type(reason) is tuple and len(reason) == 2 and reason[0] == "undef":
        return ("function not exported", reason[1])
    return reason


class SysStateMixin:
    """``sys.get_state`` / ``sys.replace_state`` where the whole state is what the fun sees."""

    def system_get_state(self, state):
        return ("ok", state)

    def system_replace_state(self, fun, state):
        new = fun(state)
        return ("ok", new, new)
