"""The old finite state machine behaviour: mirrors OTP ``gen_fsm`` (OTP 25); book ch. 6.

**Deprecated in OTP** (since OTP 20) in favour of :mod:`otp_lite.gen_statem`;
it is here so that the book's ch. 6 ``gen_fsm`` code translates line by line.

=======================================  =============================================
gen_fsm API                              callback (your namespace)
=======================================  =============================================
``start / start_link``                   ``init(args)``
``send_event(ref, ev)``                  ``StateName(ev, data)``
``sync_send_event(ref, ev[, t])``        ``StateName(ev, from_, data)``
``send_all_state_event(ref, ev)``        ``handle_event(ev, state_name, data)``
``sync_send_all_state_event(ref, ev)``   ``handle_sync_event(ev, from_, state_name, data)``
any other message                        ``handle_info(msg, state_name, data)``
``stop(ref)`` / parent EXIT (trapped)    ``terminate(reason, state_name, data)``
``sys.change_code``                      ``code_change(old_vsn, state_name, data, extra)``
=======================================  =============================================

Returns (the contract)::

    init            -> ('ok', SN, D) | ('ok', SN, D, T) | ('stop', R) | 'ignore'
    StateName/2, handle_event, handle_info
                    -> ('next_state', SN, D) | ('next_state', SN, D, T) | ('stop', R, D)
    StateName/3, handle_sync_event
                    -> ('reply', Rep, SN, D[, T]) | ('next_state', SN, D[, T])
                     | ('stop', R, Rep, D) | ('stop', R, D)

Python has no arity overloading, so one function per state serves both
``StateName/2`` and ``StateName/3``: write ``def payment(event, *rest)`` when a
state takes sync events too (``rest`` is ``(data,)`` or ``(from_, data)``).

``T`` (ms) arms a timeout: if no message at all arrives within ``T`` the state
function gets the event ``'timeout'``.  Any message restarts the wait, even a
system message such as ``sys.get_state`` (erlang_ref b2): the process simply
waits in ``receive ... after T`` again.  ``sync_send_*`` wait 5000 ms by default.
``sys.get_state`` returns ``(state_name, data)``.

Failure rule: as gen_server -- a raising callback or a bad return stops the FSM,
``terminate/3`` runs, and an ERROR REPORT ("State machine X terminating") plus a
CRASH REPORT are logged for abnormal reasons.  A failed sync call exits the
caller with ``(reason, ('gen_fsm', 'sync_send_event', [ref, ev]))``.

See also: otp_lite.gen_statem, otp_lite.gen_server, otp_lite.sys.
"""
from __future__ import annotations

from . import erlang, logger, proc_lib, _gen
from . import sys as _sys
from .erlang import TIMEOUT, Exit, Throw
from .kernel import state as _state
from .kernel.signals import Killed

__all__ = ["start", "start_link", "send_event", "sync_send_event", "send_all_state_event",
           "sync_send_all_state_event", "reply", "stop", "start_timer", "send_event_after",
           "cancel_timer"]

BEHAVIOUR_NAME = "gen_fsm"
_OPTIONS = ("timeout", "debug", "spawn_opt")


# ================================================================ API
def _start(how, args, fname):
    # OTP 25's gen_fsm: non-list options are badarg in the caller (probe sm8.erl), but it has no
    # debug / init checks: a module without init fails in the new process ({error, {undef, ...}})
    name, mod, arg, opts = _gen.parse_start(
        "gen_fsm", args, fname, _OPTIONS, two_args=False, opts_list=True, check_debug=None, init_hint=None)
    return _gen.start(how, _init_it, (how, name, mod, arg, opts), opts.get("timeout", "infinity"),
                      (_gen.module_name(mod), "init", 1))


def start(*args):
    """``start([name,] module, args, options)`` -> ``('ok', pid)`` | ``'ignore'`` | ``('error', r)``."""
    return _start("nolink", args, "start")


def start_link(*args):
    return _start("link", args, "start_link")


def _send(ref, msg):
    # Name ! Msg: an unregistered name is badarg, a dead pid is fine.
    if type(ref) is tuple and ref[0] in ("global", "via"):
        pid = _gen.where(ref)
        if pid is not None:
            erlang.send(pid, msg)
        return "ok"
    erlang.send(ref, msg)
    return "ok"


def send_event(fsm_ref, event):
    """Asynchronous event to the current state function; ``'ok'``."""
    return _send(fsm_ref, ("$gen_event", event))


def send_all_state_event(fsm_ref, event):
    """Asynchronous event to ``handle_event/3``; ``'ok'``."""
    return _send(fsm_ref, ("$gen_all_state_event", event))


def sync_send_event(fsm_ref, event, timeout=5000):
    args = [fsm_ref, event] if timeout == 5000 else [fsm_ref, event, timeout]
    return _gen.call(fsm_ref, "$gen_sync_event", event, timeout, ("gen_fsm", "sync_send_event", args))


def sync_send_all_state_event(fsm_ref, event, timeout=5000):
    args = [fsm_ref, event] if timeout == 5000 else [fsm_ref, event, timeout]
    return _gen.call(fsm_ref, "$gen_sync_all_state_event", event, timeout,
                     ("gen_fsm", "sync_send_all_state_event", args))


def reply(from_, msg):
    return _gen.reply(from_, msg)


def stop(fsm_ref, reason="normal", timeout="infinity"):
    _gen.check_stop_timeout(fsm_ref, reason, timeout)          # gen:stop/3 guard, as OTP 25
    return proc_lib.stop(fsm_ref, reason, timeout)


def start_timer(time, msg):
    """Inside the FSM: deliver ``msg`` as an event after ``time`` ms (``('timeout', ref, msg)``)."""
    return erlang.start_timer(time, erlang.self(), ("$gen_timer", msg))


def send_event_after(time, event):
    return erlang.send_after(time, erlang.self(), ("$gen_event", event))


def cancel_timer(ref):
    r = erlang.cancel_timer(ref)
    if r is False:
        erlang.receive(("timeout", ref, erlang.ANY), timeout=0)
    return r


# ================================================================ the FSM
def _init_it(how, name, mod, arg, opts):
    rt = _state.rt
    me, parent = _gen.init_start(how, name)
    me.label = _gen.module_name(mod)
    fsm = _Fsm(parent, name or me, mod, _sys.debug_options(opts.get("debug")))
    try:
        ret = _gen.resolve(mod).init(arg)
    except Throw as t:
        ret = t.value
    except Killed:
        raise
    except Exit as e:
        fsm.init_failed(e.reason)
    except Exception as e:                           # noqa: BLE001
        fsm.init_failed(rt.error_reason(e))
    if type(ret) is tuple and len(ret) in (3, 4) and ret[0] == "ok":
        proc_lib.init_ack(("ok", me))
        fsm.loop(ret[1], ret[2], ret[3] if len(ret) == 4 else "infinity")
    elif type(ret) is tuple and len(ret) == 2 and ret[0] == "stop":
        fsm.init_failed(ret[1])
    elif ret == "ignore":
        _gen.init_ignore(name)
    else:
        fsm.init_failed(("bad_return_value", ret))


class _Fsm(_gen.SysStateMixin):
    BEHAVIOUR_NAME = "gen_fsm"

    def __init__(self, parent, name, mod, deb):
        self.parent, self.name, self.mod, self.deb = parent, name, mod, deb
        self.last = None
        self.sn = self.data = None

    def init_failed(self, reason):
        _gen.init_fail(self.name, reason)
        raise Exit(reason)

    # ------------------------------------------------------------ the MAIN loop
    def loop(self, sn, data, timeout):
        rt = _state.rt
        me = rt.current
        self.sn, self.data = sn, data
        if rt.trace is not None:
            _emit(self, None, ("internal", "init_state"))
        while True:
            if timeout == "hibernate":
                timeout = "infinity"
            msg = rt.receive((), timeout)       # receive ... after Timeout: restarted by ANY message
            if msg is TIMEOUT:
                msg = ("$gen_event", "timeout")
                self.last = ("inactive", "timeout")
            else:
                self.last = msg
            if type(msg) is tuple and len(msg) == 3 and msg[0] == "system":
                self.deb, (self.sn, self.data) = _sys.handle_system_msg(
                    msg[2], msg[1], self.parent, self, self.deb, (self.sn, self.data))
                continue                         # same timeout again, from now (b2)
            if type(msg) is tuple and len(msg) == 3 and msg[0] == "EXIT" and msg[1] is self.parent and me.trap_exit:
                self.terminate(msg[2])
            if self.deb:
                self.debug(("in", self.last))
            timeout = self.dispatch(msg)

    def dispatch(self, msg):
        mod = _gen.resolve(self.mod)
        sn, data = self.sn, self.data
        from_ = None
        tag = msg[0] if type(msg) is tuple and msg else None
        if tag == "$gen_event" and len(msg) == 2:
            fname, args = sn, (msg[1], data)
        elif tag == "$gen_all_state_event" and len(msg) == 2:
            fname, args = "handle_event", (msg[1], sn, data)
        elif tag == "$gen_sync_event" and len(msg) == 3:
            from_ = msg[1]
            fname, args = sn, (msg[2], from_, data)
        elif tag == "$gen_sync_all_state_event" and len(msg) == 3:
            from_ = msg[1]
            fname, args = "handle_sync_event", (msg[2], from_, sn, data)
        elif tag == "timeout" and len(msg) == 3 and type(msg[2]) is tuple and msg[2][:1] == ("$gen_timer",):
            fname, args = sn, (("timeout", msg[1], msg[2][1]), data)
        else:
            fname, args = "handle_info", (msg, sn, data)
        fun = getattr(mod, fname, None) if type(fname) is str else None
        if fun is None:
            if fname == "handle_info":
                _gen.undefined_handle_info(mod, msg)
                return "infinity"
            self.terminate(("undef", [(_gen.module_name(mod), fname, list(args))]), cls="error")
        try:
            ret = fun(*args)
        except Throw as t:
            ret = t.value
        except Killed:
            raise
        except Exit as e:
            self.terminate(e.reason)
        except Exception as e:                       # noqa: BLE001
            self.terminate(_state.rt.error_reason(e), cls="error")
        timeout = self.handle_return(ret, from_)
        if _state.rt.trace is not None:              # as gen_statem: (type, content), for viz.fsm
            etype = ("call" if from_ is not None else "info" if fname == "handle_info" or tag == "timeout"
                     else "timeout" if self.last == ("inactive", "timeout") else "cast")
            _emit(self, sn, (etype, args[0]))
        return timeout

    def handle_return(self, ret, from_):
        if type(ret) is tuple and ret:
            tag, n = ret[0], len(ret)
            if tag == "next_state" and n in (3, 4):
                self.sn, self.data = ret[1], ret[2]
                if self.deb:
                    self.debug(("return",))
                return ret[3] if n == 4 else "infinity"
            if tag == "reply" and from_ is not None and n in (4, 5):
                _gen.reply(from_, ret[1])
                self.sn, self.data = ret[2], ret[3]
                if self.deb:
                    self.debug(("out", ret[1], from_[0], ret[2]))
                return ret[4] if n == 5 else "infinity"
            if tag == "stop" and n == 3:
                self.data = ret[2]
                self.terminate(ret[1])
            if tag == "stop" and n == 4 and from_ is not None:
                self.data = ret[3]
                self.terminate(ret[1], reply=(from_, ret[2]))
        self.terminate(("bad_return_value", ret))

    def terminate(self, reason, cls="exit", reply=None):
        """Run terminate/3, report, exit.  Never returns."""
        term = getattr(_gen.resolve(self.mod), "terminate", None)
        if term is not None:
            try:
                term(reason, self.sn, self.data)
            except Killed:
                raise
            except Exit as e:
                reason = e.reason
            except Exception as e:                   # noqa: BLE001
                reason = _state.rt.error_reason(e)
        if reply is not None:
            _gen.reply(*reply)
        if not proc_lib.is_clean_exit(reason):
            self.error_report(reason)
        raise Exit(reason)

    def error_report(self, reason):
        name = _gen.name_of(self.name)
        last = self.last
        reason = _gen.otp_reason(reason)             # OTP's wording for a missing callback (b1)
        lines = [f"** State machine {_atom(name)} terminating "]
        tag = last[0] if type(last) is tuple and last else None
        if tag == "$gen_event":
            lines.append(f"** Last event in was {_atom(last[1])}")
        elif tag == "$gen_all_state_event":
            lines.append(f"** Last event in was {_atom(last[1])} (for all states)")
        elif tag == "$gen_sync_event":
            lines.append(f"** Last sync event in was {_atom(last[2])} from {last[1][0]!r}")
        elif tag == "$gen_sync_all_state_event":
            lines.append(f"** Last sync event in was {_atom(last[2])} (for all states) from {last[1][0]!r}")
        elif tag == "inactive":
            lines.append("** Last timer event in was timeout")
        else:
            lines.append(f"** Last message in was {last!r}")
        lines += [f"** When State == {_atom(self.sn)}",
                  f"**      Data  == {logger.fmt(self.data, 16)}",
                  "** Reason for termination ==",
                  f"** {logger.fmt(reason, 3)}"]
        if tag in ("$gen_sync_event", "$gen_sync_all_state_event"):
            lines += [f"** Client {last[1][0]!r} stacktrace", "** []"]
        logger.error(lines, kind="error_report", pid=_state.rt.current, reason=reason)

    # ------------------------------------------------------------ sys callbacks (get/replace_state: SysStateMixin)
    def system_code_change(self, misc, module, old_vsn, extra):
        r = _gen.call_code_change(self.mod, (old_vsn, misc[0], misc[1], extra))
        if type(r) is tuple and len(r) == 3 and r[0] == "ok":
            return ("ok", (r[1], r[2]))
        return r                                    # OTP: Else (sys answers ('error', Else))

    def system_terminate(self, reason, parent, deb, misc):
        self.sn, self.data = misc
        self.terminate(reason)

    def format_status(self, opt, status_data):
        pdict, status, parent, logged, misc = status_data
        name = _gen.name_of(self.name)
        return [("header", f"Status for state machine {name}"),
                ("data", [("Status", status), ("Parent", parent), ("Logged events", logged),
                          ("StateName", misc[0])]),
                ("data", [("StateData", misc[1])])]

    # ------------------------------------------------------------ *DBG* lines
    def debug(self, event):
        self.deb = _sys.handle_debug(self.deb, _fmt, (self.name, self), event)


def _emit(fsm, old, ev):
    rt = _state.rt
    rt.trace.emit("state", pid=rt.current, module=_gen.module_name(fsm.mod), old=old, new=fsm.sn, event=ev)


def _atom(t):
    return t if type(t) is str else repr(t)


def _fmt(event, info):
    """OTP gen_fsm's print_event wording."""
    name, fsm = info
    name = _atom(_gen.name_of(name))
    sn = _atom(fsm.sn)
    kind = event[0]
    if kind == "in":
        msg = event[1]
        tag = msg[0] if type(msg) is tuple and msg else None
        if tag == "$gen_event":
            return f"{name} got event {_atom(msg[1])} in state {sn}"
        if tag == "$gen_all_state_event":
            return f"{name} got all_state_event {_atom(msg[1])} in state {sn}"
        if tag == "$gen_sync_event":
            return f"{name} got sync_event {_atom(msg[2])} from {msg[1][0]!r} in state {sn}"
        if tag == "$gen_sync_all_state_event":
            return f"{name} got sync_all_state_event {_atom(msg[2])} from {msg[1][0]!r} in state {sn}"
        if tag == "inactive":
            return f"{name} got timeout in state {sn}"
        if tag == "timeout" and len(msg) == 3 and type(msg[2]) is tuple and msg[2][:1] == ("$gen_timer",):
            return f"{name} got timer {msg[2][1]!r} in state {sn}"
        return f"{name} got {msg!r} in state {sn}"
    if kind == "out":
        return f"{name} sent {_atom(event[1])} to {event[2]!r}\n      and switched to state {_atom(event[3])}"
    if kind == "return":
        return f"{name} switched to state {sn}"
    return f"{name} {event!r}"

