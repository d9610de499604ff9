"""The generic server: mirrors OTP ``gen_server`` (OTP 25); book ch. 4 and 5.

=====================================  ======================================
gen_server API                         callback (your namespace)
=====================================  ======================================
``start / start_link / start_monitor`` ``init(args)``
``call(ref, request[, timeout])``      ``handle_call(request, from_, state)``
``cast(ref, msg)``                     ``handle_cast(msg, state)``
any other message, timeouts            ``handle_info(info, state)``
``('continue', c)`` returns            ``handle_continue(c, state)``
``stop(ref[, reason, timeout])``       ``terminate(reason, state)``
``sys.change_code``                    ``code_change(old_vsn, state, extra)``
``sys.get_status`` / crash reports     ``format_status(opt, [pdict, state])``
=====================================  ======================================

Returns (the contract)::

    init         -> ('ok', S) | ('ok', S, T | 'hibernate' | ('continue', C))
                  | ('stop', Reason) | 'ignore'
    handle_call  -> ('reply', R, S[, T]) | ('noreply', S[, T])
                  | ('stop', Reason, R, S) | ('stop', Reason, S)
    handle_cast/handle_info/handle_continue
                 -> ('noreply', S[, T]) | ('stop', Reason, S)

``T`` is an inactivity timeout in ms: if no message arrives in time,
``handle_info('timeout', S)`` runs.  A ``('continue', C)`` runs
``handle_continue(C, S)`` before any message, even one sent during init.

Options: ``('timeout', ms)`` for init (then ``('error', 'timeout')``),
``('debug', ['trace', 'log', 'statistics', ...])`` (see otp_lite.sys),
``('hibernate_after', ms)`` and ``('spawn_opt', [...])`` (accepted, no
effect here).  An unknown option is ``badarg`` -- OTP silently ignores it,
we catch the typo.

Failure rule: a callback that raises, or returns anything else, terminates
the server: ``terminate(reason, state)`` runs, an ERROR REPORT and a CRASH
REPORT are logged (unless the reason is normal/shutdown/('shutdown', _)),
and the process exits with ``reason`` (``('bad_return_value', value)`` for a
malformed return).  A caller whose call fails exits with
``(reason, ('gen_server', 'call', [ref, request]))`` — a list, as in OTP.
A missing ``handle_info`` logs a warning and the server survives; a missing
``handle_cast``/``handle_call`` crashes it with ``('undef', ...)``; a missing
``init`` makes ``start`` answer ``('error', ('undef', [(M, 'init', [Arg])]))``.

Names: ``('global', Term)`` lives in ``otp_lite.global_``'s table (so
``global_.whereis_name`` finds it); ``enter_loop`` under a name the caller does
not hold exits ``process_not_registered`` (``_globally``,
``('process_not_registered_via', M)``), and from a process not started by
proc_lib ``process_was_not_started_by_proc_lib``.  ``stop`` with a timeout
that is not ``'infinity'`` or an integer >= 0 is ``function_clause`` in the
caller, before anything is sent.

See also: otp_lite.gen_statem, otp_lite.gen_event, otp_lite.proc_lib,
otp_lite.supervisor, otp_lite.sys.
"""
from __future__ import annotations

from . import _hibernate, erlang, logger, proc_lib, _gen
from . import sys as _sys
from .erlang import TIMEOUT, ErlangError, Exit, Throw
from .kernel import state as _state
from .kernel.signals import Killed
from ._gen import _identity

__all__ = ["start", "start_link", "start_monitor", "call", "cast", "reply", "stop",
           "multi_call", "abcast", "enter_loop", "send_request", "wait_response"]

_OPTIONS = ("timeout", "debug", "hibernate_after", "spawn_opt")
BEHAVIOUR_NAME = "gen_server"


# ================================================================ API
def _start(how, args, fname):
    name, mod, arg, opts = _gen.parse_start(
        "gen_server", args, fname, _OPTIONS, two_args=True, opts_list=True, check_debug=_sys.debug_options,
        init_hint=None)                              # no init: ('error', ('undef', ...)), as OTP 25
    return _gen.start(how, _init_it, (how, name, mod, arg, opts), opts.get("timeout", "infinity"),
                      (_gen.module_name(mod), "init", 1))


def start(*args):
    """``start([name,] module, args, options)`` -> ``('ok', pid)`` | ``'ignore'`` | ``('error', r)``."""
    return _start("nolink", args, "start")


def start_link(*args):
    """Like :func:`start`, linked to the caller (the caller is the parent)."""
    return _start("link", args, "start_link")


def start_monitor(*args):
    """Like :func:`start`, monitored: ``('ok', (pid, mref))``."""
    return _gen.monitor_result(_start("monitor", args, "start_monitor"))


_DEFAULT = object()        # call/2 vs call/3: OTP's exit reason shows which was used


def call(server_ref, request, timeout=_DEFAULT):
    """Send a request and wait for the reply (default 5000 ms).

    Exits the caller with ``('timeout' | 'noproc' | reason, ('gen_server', 'call', [...]))``:
    ``[ref, request]`` for call/2, ``[ref, request, timeout]`` when a timeout is given
    (even an explicit 5000), as OTP.
    """
    if timeout is _DEFAULT:
        timeout, args = 5000, [server_ref, request]
    else:
        args = [server_ref, request, timeout]
    return _gen.call(server_ref, "$gen_call", request, timeout, ("gen_server", "call", args))


def cast(server_ref, msg):
    """Fire and forget; always ``'ok'``, even for a dead pid or an unknown name."""
    return _gen.cast(server_ref, msg)


def reply(from_, msg):
    """Reply to a caller from anywhere (e.g. before returning ``('noreply', S)``)."""
    return _gen.reply(from_, msg)


def stop(server_ref, reason="normal", timeout="infinity"):
    """Stop the server: ``terminate(reason, state)`` runs; returns ``'ok'``.

    Exits ``'noproc'`` if there is no such server, ``'timeout'`` if it did not
    stop in time, and with terminate's crash reason if ``terminate`` crashed
    (bare reasons, as OTP's ``proc_lib:stop``: there is no ``{gen_server, stop, ...}``).
    """
    _gen.check_stop_timeout(server_ref, reason, timeout)
    return proc_lib.stop(server_ref, reason, timeout)


def multi_call(*args):
    """``multi_call([nodes,] name, request[, timeout])`` on the local node -> (replies, bad_nodes)."""
    if not 2 <= len(args) <= 4:
        raise ErlangError("undef", f"gen_server.multi_call/{len(args)}: multi_call([nodes,] name, request[, timeout])")
    if len(args) >= 3 and isinstance(args[0], list):
        nodes, name, req = args[0], args[1], args[2]
        timeout = args[3] if len(args) > 3 else "infinity"
    else:
        nodes, name, req = [erlang.node()], args[0], args[1]
        timeout = args[2] if len(args) > 2 else "infinity"
    replies, bad = [], []
    for n in nodes:
        try:
            if n != erlang.node():
                raise Exit("nodedown")
            replies.append((n, call(name, req, timeout)))
        except Exit:
            bad.append(n)
    return (replies, bad)


def abcast(*args):
    """``abcast([nodes,] name, msg)``: cast on every node; returns ``'abcast'``."""
    if len(args) not in (2, 3):
        raise ErlangError("undef", f"gen_server.abcast/{len(args)}: abcast([nodes,] name, msg)")
    nodes, name, msg = (args if len(args) == 3 else ([erlang.node()],) + args)
    if type(nodes) is not list:
        raise ErlangError("function_clause", f"gen_server.abcast: nodes must be a list, got {nodes!r}")
    for n in nodes:
        if n == erlang.node():
            cast(name, msg)
    return "abcast"


def send_request(server_ref, request):
    """Asynchronous call: returns a request id for :func:`wait_response`."""
    rt = _state.rt
    me = rt.current
    pid = _gen.where(server_ref)
    mref = rt.monitor(me, "process", pid if pid is not None else server_ref if type(server_ref) is str else erlang.make_ref())
    mref.alias = True
    rt.aliases.add(mref)
    if pid is not None:
        rt.send(pid, ("$gen_call", (me, mref), request))
    return mref


def wait_response(req_id, timeout="infinity"):
    rt = _state.rt
    me = rt.current
    msg = rt.receive(((req_id, erlang.ANY), ("DOWN", req_id, erlang.ANY, erlang.ANY, erlang.ANY)), timeout)
    if msg is TIMEOUT:
        return "timeout"
    rt.aliases.discard(req_id)
    if msg[0] == "DOWN":
        return ("error", (msg[4], req_id))
    rt.demonitor(me, req_id, True)
    return ("reply", msg[1])


def enter_loop(mod, opts, state, *rest):
    """Make the calling (proc_lib-started) process a gen_server.  Never returns."""
    name, timeout = None, "infinity"
    for r in rest:
        if type(r) is tuple:
            name = _gen.check_name(r)
        else:
            timeout = r
    _gen.get_proc_name(name)                         # OTP: the name first, then the parent
    parent = _gen.get_parent()
    deb = _sys.debug_options(dict(opts).get("debug", []))
    _Server(parent, name or _state.rt.current, mod, deb).loop(state, timeout)


# ================================================================ the server
def _init_it(how, name, mod, arg, opts):
    rt = _state.rt
    me, parent = _gen.init_start(how, name)
    me.label = _gen.module_name(mod)
    deb = _sys.debug_options(opts.get("debug"))
    srv = _Server(parent, name or me, mod, deb)
    init = getattr(_gen.resolve(mod), "init", None)
    if init is None:                                 # OTP 25: {error, {undef, [{M, init, [Arg], _} | _]}}
        srv.init_failed(("undef", [(_gen.module_name(mod), "init", [arg])]), "error")
    try:
        ret = init(arg)
    except Throw as t:
        ret = t.value
    except Exit as e:
        srv.init_failed(e.reason)
    except Exception as e:                           # noqa: BLE001
        srv.init_failed(rt.error_reason(e), "error")
    if type(ret) is tuple and ret and ret[0] == "ok" and len(ret) in (2, 3):
        proc_lib.init_ack(("ok", me))
        srv.loop(ret[1], ret[2] if len(ret) == 3 else "infinity")
    elif type(ret) is tuple and len(ret) == 2 and ret[0] == "stop":
        srv.init_failed(ret[1])
    elif ret == "ignore":
        _gen.init_ignore(name)
    else:
        srv.init_failed(("bad_return_value", ret))


class _Server(_gen.SysStateMixin):
    """One running gen_server: the receive loop and its bookkeeping."""

    def __init__(self, parent, name, mod, deb):
        self.parent = parent
        self.name = name
        self.dname = _gen.name_of(name)   # OTP's Name (the atom, the global term), what a sys.install fun sees
        self.mod = mod
        self.deb = deb
        self.dbg = bool(deb)     # cached Debug.__bool__ (a Python call); redone when a system message changes deb
        self.last = None

    def init_failed(self, reason, cls="exit"):
        _gen.init_fail(self.name, reason)
        e = Exit(reason)
        e.cls = cls
        raise e

    # ------------------------------------------------------------ the MAIN loop
    def loop(self, state, timeout):
        rt = _state.rt
        me = rt.current
        parent = self.parent
        receive = rt.receive
        dispatch = self.dispatch
        while True:
            if type(timeout) is tuple:            # ('continue', C) or hibernate
                if timeout[0] == "continue":
                    self.last = timeout
                    if self.dbg:                  # OTP prints it with print_event's catch-all
                        _sys.handle_debug(self.deb, self.fmt, self.dname, timeout)
                    state, timeout = dispatch("handle_continue", (timeout[1], state), state, None)
                    continue
            if timeout == "hibernate":
                msg = _hibernate.hibernate(receive, (), "infinity")     # ('erlang', 'hibernate', 3)
            else:
                msg = receive((), timeout)
            if msg is TIMEOUT:
                msg = "timeout"
            self.last = msg
            if type(msg) is tuple and msg:
                tag = msg[0]
                if tag == "$gen_call" and len(msg) == 3:
                    from_ = msg[1]
                    if self.dbg:
                        _sys.handle_debug(self.deb, self.fmt, self.dname, ("in", msg))
                    state, timeout = dispatch("handle_call", (msg[2], from_, state), state, from_)
                    continue
                if tag == "$gen_cast" and len(msg) == 2:
                    if self.dbg:
                        _sys.handle_debug(self.deb, self.fmt, self.dname, ("in", msg))
                    state, timeout = dispatch("handle_cast", (msg[1], state), state, None)
                    continue
                if tag == "system" and len(msg) == 3:
                    self.state = state
                    self.deb, state = _sys.handle_system_msg(msg[2], msg[1], parent, self, self.deb, state,
                                                             timeout == "hibernate")
                    self.dbg = bool(self.deb)
                    continue
                if tag == "EXIT" and len(msg) == 3 and msg[1] is parent and me.trap_exit:
                    self.terminate(msg[2], state, msg)
            if self.dbg:
                _sys.handle_debug(self.deb, self.fmt, self.dname, ("in", msg))
            state, timeout = dispatch("handle_info", (msg, state), state, None)

    # ------------------------------------------------------------ callbacks
    def dispatch(self, cb, args, state, from_):
        r = _gen._resolver                           # _gen.resolve(self.mod), one call fewer
        mod = self.mod if r is _identity else r(self.mod)
        fun = getattr(mod, cb, None)
        if fun is None:
            if cb == "handle_info":
                _gen.undefined_handle_info(mod, args[0])
                return state, "infinity"
            self.terminate(("undef", [(_gen.module_name(mod), cb, list(args))]), state, self.last, cls="error")
        try:
            ret = fun(*args)
        except Throw as t:
            ret = t.value
        except Killed:
            raise
        except Exit as e:
            self.terminate(e.reason, state, self.last, cls="exit")
        except Exception as e:                       # noqa: BLE001
            self.terminate(_state.rt.error_reason(e), state, self.last, cls="error")
        if from_ is not None and type(ret) is tuple and len(ret) == 3 and ret[0] == "reply":
            _gen.reply(from_, ret[1])                # handle_return's commonest case, one call fewer
            if self.dbg:
                _sys.handle_debug(self.deb, self.fmt, self.dname, ("out", ret[1], from_, ret[2]))
            return ret[2], "infinity"
        return self.handle_return(cb, ret, state, from_)

    def handle_return(self, cb, ret, state, from_):
        if type(ret) is tuple and ret:
            tag, n = ret[0], len(ret)
            if tag == "reply" and from_ is not None and n in (3, 4):
                _gen.reply(from_, ret[1])
                if self.dbg:
                    _sys.handle_debug(self.deb, self.fmt, self.dname, ("out", ret[1], from_, ret[2]))
                return ret[2], ret[3] if n == 4 else "infinity"
            if tag == "noreply" and n in (2, 3):
                if self.dbg:
                    _sys.handle_debug(self.deb, self.fmt, self.dname, ("noreply", ret[1]))
                return ret[1], ret[2] if n == 3 else "infinity"
            if tag == "stop" and n == 4 and from_ is not None:
                try:
                    self.terminate(ret[1], ret[3], self.last, cls="exit", reply=(from_, ret[2]))
                finally:
                    pass
            if tag == "stop" and n == 3:
                self.terminate(ret[1], ret[2], self.last, cls="exit")
        self.terminate(("bad_return_value", ret), state, self.last, cls="exit")

    def terminate(self, reason, state, last, cls="exit", reply=None):
        """Run terminate/2, log as OTP does, and exit with ``reason``.  Never returns.

        ``cls`` ('exit' | 'error') is the class of the failure, shown by the
        CRASH REPORT (``exception error: ...``).  A ``('stop', R, Reply, S)``
        reply is sent after terminate/2, even if terminate crashes (as OTP).
        """
        mod = _gen.resolve(self.mod)
        term = getattr(mod, "terminate", None)
        if term is not None:
            try:
                term(reason, state)
            except Killed:
                raise
            except Throw:
                pass                                 # a thrown value is terminate's return value
            except Exit as e:
                reason, cls = e.reason, "exit"
            except Exception as e:                   # noqa: BLE001
                reason, cls = _state.rt.error_reason(e), "error"
            finally:
                if reply is not None:
                    self.stop_reply(reply, state)
        elif reply is not None:
            self.stop_reply(reply, state)
        if not proc_lib.is_clean_exit(reason):
            self.error_report(reason, state, last)
        e = Exit(reason)
        e.cls = cls
        raise e

    def stop_reply(self, reply, state):
        """The reply of ``('stop', R, Reply, S)``: after terminate/2, traced as OTP ("sent ... new state")."""
        _gen.reply(*reply)
        if self.dbg:
            _sys.handle_debug(self.deb, self.fmt, self.dname, ("out", reply[1], reply[0], state))

    def error_report(self, reason, state, last):
        mod = _gen.resolve(self.mod)
        fs = getattr(mod, "format_status", None)
        shown = state
        if fs is not None:
            try:
                shown = fs("terminate", [list((_state.rt.current.dict or {}).items()), state])
            except Exception:                        # noqa: BLE001
                shown = state
        name = _gen.name_of(self.name)
        client = None
        if type(last) is tuple and len(last) == 3 and last[0] == "$gen_call":
            client, last = last[1][0], last[2]        # OTP shows the request, then the client
        reason = _gen.otp_reason(reason)             # OTP's wording for a missing callback
        lines = [f"** Generic server {name} terminating ",
                 f"** Last message in was {logger.fmt(last, 25)}",
                 f"** When Server state == {logger.fmt(shown, 24)}",
                 "** Reason for termination ==",
                 f"** {logger.fmt(reason, 3)}"]
        if client is not None:
            lines.append(f"** Client {client!r} stacktrace")
            lines.append("** []")
        logger.error(lines, kind="error_report", pid=_state.rt.current, reason=reason)

    # ------------------------------------------------------------ sys callbacks (get/replace_state: SysStateMixin)
    def system_code_change(self, state, module, old_vsn, extra):
        r = _gen.call_code_change(self.mod, (old_vsn, state, extra))
        if type(r) is tuple and len(r) == 2 and r[0] == "ok":
            return r
        return r                                    # OTP: Else (sys answers ('error', Else))

    def system_terminate(self, reason, parent, deb, state):
        self.terminate(reason, state, [])             # OTP: "Last message in was []"

    def format_status(self, opt, status_data):
        pdict, status, parent, logged, state = status_data
        mod = _gen.resolve(self.mod)
        fs = getattr(mod, "format_status", None)
        specific = [("data", [("State", state)])]
        if fs is not None:
            s = fs(opt, [pdict, state])
            specific = s if isinstance(s, list) else [s]
        name = _gen.name_of(self.name)
        return [("header", f"Status for generic server {name}"),
                ("data", [("Status", status), ("Parent", parent), ("Logged events", logged)])] + specific

    BEHAVIOUR_NAME = "gen_server"

    # ------------------------------------------------------------ *DBG* lines
    @staticmethod
    def fmt(event, name):
        name = _gen.name_of(name)
        kind = event[0]
        if kind == "in":
            msg = event[1]
            if type(msg) is tuple and msg and msg[0] == "$gen_call":
                return f"{name} got call {msg[2]!r} from {msg[1][0]!r}"
            if type(msg) is tuple and msg and msg[0] == "$gen_cast":
                return f"{name} got cast {msg[1]!r}"
            return f"{name} got {msg!r}"
        if kind == "out":                            # ('out', reply, from_, new_state)
            to = event[2][0] if type(event[2]) is tuple else event[2]
            head = f"{name} sent {event[1]!r} to {to!r}, new state "
            return head + logger.fmt(event[3], len(head) + 6)
        if kind == "noreply":
            head = f"{name} new state "
            return head + logger.fmt(event[1], len(head) + 6)
        if kind == "continue":                       # OTP's print_event catch-all: "Name dbg  {continue,C}"
            return f"{name} dbg  {event!r}"
        return f"{name} {event!r}"
