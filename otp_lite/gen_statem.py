"""The generic state machine: mirrors OTP ``gen_statem`` (OTP 25); book ch. 6.

=====================================  ===============================================
gen_statem API                         callback (your namespace)
=====================================  ===============================================
``start / start_link / start_monitor`` ``init(args)``, then ``callback_mode()``
``call(ref, request[, timeout])``      ``State(('call', from_), request, data)``
``cast(ref, msg)``                     ``State('cast', msg, data)``
any other message                      ``State('info', msg, data)``
timeouts, ``next_event`` actions       ``State('timeout' | 'state_timeout' |
                                       ('timeout', name) | 'internal', msg, data)``
entering a state (``state_enter``)     ``State('enter', old_state, data)``
``stop(ref[, reason, timeout])``       ``terminate(reason, state, data)``
``sys.change_code``                    ``code_change(old_vsn, state, data, extra)``
=====================================  ===============================================

``callback_mode()`` returns ``'state_functions'`` (one function per state,
named after the state, as the book's coffee machine), ``'handle_event_function'``
(every event goes to ``handle_event(type, content, state, data)``), or a list
with one of them and ``'state_enter'``.

Returns (the contract)::

    init   -> ('ok', S, D) | ('ok', S, D, actions) | ('stop', R) | 'ignore'
    State  -> ('next_state', S, D[, actions]) | ('keep_state', D[, actions])
            | 'keep_state_and_data' | ('keep_state_and_data', actions)
            | ('repeat_state', D[, actions]) | 'repeat_state_and_data'
            | ('repeat_state_and_data', actions)
            | ('stop', R) | ('stop', R, D)
            | ('stop_and_reply', R, replies) | ('stop_and_reply', R, replies, D)
    actions (one or a list)
            'postpone' | ('postpone', bool) | 'hibernate' | ('hibernate', bool)
            ('reply', from_, reply) | ('next_event', type, content)
            T (ms: event timeout) | ('timeout', T, msg) | ('state_timeout', T, msg)
            (('timeout', name), T, msg) | (kind, 'cancel') | (kind, 'update', msg)

The three timeouts: an *event* timeout is cancelled by any event; a
*state_timeout* by a change of state; a *generic* ``('timeout', name)`` only by
setting it again (or ``'infinity'`` / ``'cancel'``).  System messages
(``sys.get_state``) cancel none of them (unlike gen_fsm, erlang_ref b2/b4).
A postponed event is retried, in order, after the next change of state; events
from ``next_event`` actions come before it.  ``call`` waits ``'infinity'`` by default.

Failure rule: a callback that raises, returns a bad value (``bad_return_from_state_function``)
or a bad action (``bad_action_from_state_function``) stops the machine: ``terminate``
runs, an ERROR REPORT ("State machine ... terminating") and a CRASH REPORT are
logged unless the reason is normal/shutdown/('shutdown', _), and the process exits.
A failed call exits the caller with ``(reason, ('gen_statem', 'call', [ref, req, timeout]))``.

Trace bus: every event consumed emits ``runtime.emit('state', module=, old=, new=,
event=(type, content))`` (``old=None`` after init), a postponed one ``'postpone'``.
A namespace may declare its graph (``STATES = [...]``, ``TRANSITIONS = [(from, to,
label)]``) for viz; :func:`state_graph` returns it, or infers it from a trace.

See also: otp_lite.gen_fsm (the deprecated predecessor), otp_lite.gen_server, otp_lite.sys.
"""
from __future__ import annotations

from collections import deque

from . import erlang, logger, proc_lib, _gen
from . import sys as _sys
from .erlang import ANY, Exit, ErlangError, Throw
from .kernel import state as _state
from .kernel.signals import Killed

__all__ = ["start", "start_link", "start_monitor", "call", "cast", "reply", "stop",
           "enter_loop", "state_graph"]

BEHAVIOUR_NAME = "gen_statem"
_OPTIONS = ("timeout", "debug", "hibernate_after", "spawn_opt")


# ================================================================ API
def _parse_start(args, fname):
    if len(args) == 4:
        name, mod, arg, opts = args
        _gen.check_name(name)
    elif len(args) == 3:
        name, (mod, arg, opts) = None, args
    else:
        raise TypeError(f"gen_statem.{fname}([name,] module, args, options)")
    if not isinstance(opts, list):
        raise ErlangError("badarg", f"gen_statem options must be a list, got {opts!r}")
    parsed = {}
    for o in opts:
        if type(o) is not tuple or len(o) != 2 or o[0] not in _OPTIONS:
            raise ErlangError("badarg", f"unknown gen_statem option {o!r}; known: {', '.join(_OPTIONS)} as (key, value)")
        parsed[o[0]] = o[1]
    if getattr(mod, "init", None) is None:
        raise ErlangError("badarg", f"{_gen.module_name(mod)} has no init/1: a gen_statem callback namespace "
                                    "needs init, callback_mode and its state functions")
    return name, mod, arg, parsed


def _start(how, args, fname):
    name, mod, arg, opts = _parse_start(args, fname)
    starter = proc_lib.start_link if how == "link" else proc_lib.start_monitor if how == "monitor" else proc_lib.start
    return starter(_init_it, (how, name, mod, arg, opts), opts.get("timeout", "infinity"),
                   (_gen.module_name(mod), "init", 1))


def start(*args):
    """``start([name,] module, args, options)`` -> ``('ok', pid)`` | ``'ignore'`` | ``('error', r)``."""
    return _start("nolink", args, "start")


def start_link(*args):
    """Like :func:`start`, linked to the caller (the caller is the parent)."""
    return _start("link", args, "start_link")


def start_monitor(*args):
    ret, mref = _start("monitor", args, "start_monitor")
    if type(ret) is tuple and ret[0] == "ok":
        return ("ok", (ret[1], mref))
    return ret


def call(server_ref, request, timeout="infinity"):
    """Send ``request`` as a ``('call', from_)`` event and wait (default ``'infinity'``)."""
    return _gen.call(server_ref, "$gen_call", request, timeout,
                     ("gen_statem", "call", [server_ref, request, timeout]))


def cast(server_ref, msg):
    """Send ``msg`` as a ``'cast'`` event; always ``'ok'``."""
    try:
        pid = _gen.where(server_ref)
    except ErlangError:
        return "ok"
    if pid is not None:
        erlang.send(pid, ("$gen_cast", msg))
    return "ok"


def reply(*args):
    """``reply(from_, reply)`` or ``reply([('reply', from_, reply), ...])``."""
    if len(args) == 2:
        return _gen.reply(*args)
    for r in args[0] if isinstance(args[0], list) else [args[0]]:
        _gen.reply(r[1], r[2])
    return "ok"


def stop(server_ref, reason="normal", timeout="infinity"):
    """Stop the machine: ``terminate(reason, state, data)`` runs; returns ``'ok'``."""
    return proc_lib.stop(server_ref, reason, timeout)


def enter_loop(mod, opts, state, data, *rest):
    """Make the calling (proc_lib-started) process a gen_statem.  Never returns."""
    name, actions = None, []
    for r in rest:
        if type(r) is tuple and r and r[0] in ("local", "global", "via"):
            name = _gen.check_name(r)
        else:
            actions = r
    me = _state.rt.current
    anc = (me.dict or {}).get("$ancestors", [])
    parent = anc[0] if anc else me
    if type(parent) is str:
        parent = erlang.whereis(parent)
    deb = _sys.debug_options(dict(opts).get("debug", []))
    m = _Machine(parent, name or me, mod, deb)
    m.begin(state, data, actions)


# ================================================================ the machine
def _init_it(how, name, mod, arg, opts):
    rt = _state.rt
    me = rt.current
    anc = me.dict["$ancestors"]
    parent = anc[0] if how == "link" else me
    if type(parent) is str:
        parent = erlang.whereis(parent)
    if name is not None:
        r = _gen.register_name(name, me)
        if r is not True:
            proc_lib.init_ack(r)
            raise Exit("normal")
    me.label = _gen.module_name(mod)
    m = _Machine(parent, name or me, mod, _sys.debug_options(opts.get("debug")))
    try:
        ret = _gen.resolve(mod).init(arg)
    except Throw as t:
        ret = t.value
    except Killed:
        raise
    except Exit as e:
        m.init_failed(e.reason, "exit", e.reason)
    except Exception as e:                           # noqa: BLE001
        m.init_failed(_bare(e), "error", rt.error_reason(e))
    if type(ret) is tuple and len(ret) in (3, 4) and ret[0] == "ok":
        proc_lib.init_ack(("ok", me))
        m.begin(ret[1], ret[2], ret[3] if len(ret) == 4 else [])
    elif type(ret) is tuple and len(ret) == 2 and ret[0] == "stop":
        if name is not None:
            _gen.unregister_name(name)
        proc_lib.init_ack(("error", ret[1]))
        raise Exit(ret[1])
    elif ret == "ignore":
        if name is not None:
            _gen.unregister_name(name)
        proc_lib.init_ack("ignore")
        raise Exit("normal")
    else:
        reason = ("bad_return_from_init", ret)
        m.init_failed(reason, "error", reason)


def _bare(e):
    """The reason terminate/3 sees for an error-class exception (no stack)."""
    return e.reason if isinstance(e, ErlangError) else e


class _Stop(Exception):
    """Internal: the machine decided to stop (carries reason, class, exit reason, replies)."""

    def __init__(self, reason, cls="exit", exit_reason=None, replies=()):
        self.reason, self.cls, self.replies = reason, cls, replies
        if exit_reason is None:
            # OTP: an error-class stop (a bad return or action) exits with {Reason, Stacktrace};
            # the stack would be gen_statem's own frames, which otp_lite leaves out
            exit_reason = (reason, []) if cls == "error" else reason
        self.exit_reason = exit_reason


_TIMEOUT_KINDS = ("timeout", "state_timeout")


class _TimeoutEvent(tuple):
    """A timeout event queued without a timer (zero time, or an update of a stopped timer)."""
    __slots__ = ()


def _is_timeout_kind(k):
    return k in _TIMEOUT_KINDS or (type(k) is tuple and len(k) == 2 and k[0] == "timeout")


class _Machine:
    """One running gen_statem: event queue, postponed events, timers, the loop."""

    BEHAVIOUR_NAME = "gen_statem"

    def __init__(self, parent, name, mod, deb):
        self.parent, self.name, self.mod, self.deb = parent, name, mod, deb
        self.state = self.data = "undefined"
        self.queue = deque()          # events still to process: (type, content)
        self.postponed = []           # oldest first
        self.timers = {}              # kind -> (ref, msg)
        self.last = None
        self.mode = "state_functions"
        self.enter = False
        self.label = _gen.module_name(mod)

    # ------------------------------------------------------------ start
    def init_failed(self, reason, cls, exit_reason):
        if type(self.name) is tuple:
            _gen.unregister_name(self.name)
        proc_lib.init_ack(("error", reason))
        self.error_report(reason, cls, None)
        raise Exit(exit_reason)

    def begin(self, state, data, actions):
        self.state, self.data = state, data
        try:
            self.read_callback_mode()
            if self.deb:
                self.debug(("enter", self.label, state))
            self.last = ("internal", "init_state")
            self.transition(("internal", "init_state"), (state, data, _as_list(actions), False, True), None, init=True)
        except _Stop as s:
            self.terminate(s)
        self.loop()

    def read_callback_mode(self):
        cm = getattr(_gen.resolve(self.mod), "callback_mode", "state_functions")
        cm = cm() if callable(cm) else cm
        modes = cm if isinstance(cm, list) else [cm]
        enter = "state_enter" in modes
        base = [x for x in modes if x != "state_enter"]
        if len(base) != 1 or base[0] not in ("state_functions", "handle_event_function"):
            raise _Stop(("bad_callback_mode", cm), "error")
        self.mode, self.enter, self.cm = base[0], enter, cm

    # ------------------------------------------------------------ the MAIN loop
    def loop(self):
        rt = _state.rt
        me = rt.current
        while True:
            try:
                if self.queue:
                    ev = self.queue.popleft()
                    if self.deb and type(ev) is _TimeoutEvent:
                        self.debug(("in", ev, self.state))     # OTP: "receive state_timeout X"
                else:
                    ev = self.receive(rt, me)
                    if ev is None:
                        continue
                self.handle(ev)
            except _Stop as s:
                self.terminate(s)

    def receive(self, rt, me):
        """One message from the mailbox -> an event, or None (system message, stale timer)."""
        msg = rt.receive((), "infinity")
        if type(msg) is tuple and msg:
            tag = msg[0]
            if tag == "$gen_call" and len(msg) == 3:
                ev = (("call", msg[1]), msg[2])
            elif tag == "$gen_cast" and len(msg) == 2:
                ev = ("cast", msg[1])
            elif tag == "system" and len(msg) == 3:
                self.deb, (self.state, self.data) = _sys.handle_system_msg(
                    msg[2], msg[1], self.parent, self, self.deb, (self.state, self.data))
                return None
            elif tag == "EXIT" and len(msg) == 3 and msg[1] is self.parent and me.trap_exit:
                self.last = ("info", msg)
                raise _Stop(msg[2])
            elif tag == "timeout" and len(msg) == 3 and type(msg[1]) is erlang.Ref:
                kind = next((k for k, (ref, _m) in self.timers.items() if ref == msg[1]), None)
                if kind is None:
                    if self._stale(msg[1]):
                        return None                   # a timer cancelled after it fired
                    ev = ("info", msg)
                else:
                    _ref, tmsg = self.timers.pop(kind)
                    ev = (kind, tmsg)
            else:
                ev = ("info", msg)
        else:
            ev = ("info", msg)
        if self.deb:
            self.debug(("in", ev, self.state))
        return ev

    _dead_refs = None

    def _stale(self, ref):
        dead = self._dead_refs
        if dead is not None and ref in dead:
            dead.discard(ref)
            return True
        return False

    # ------------------------------------------------------------ one event
    def handle(self, ev):
        self.last = ev
        self.cancel("timeout")                       # any event cancels the event timeout
        etype, content = ev
        ret = self.call_state(etype, content, self.state, self.data)
        self.transition(ev, self.parse(ret, False), ev)

    def call_state(self, etype, content, state, data):
        mod = _gen.resolve(self.mod)
        if self.mode == "state_functions":
            if type(state) is not str:
                raise _Stop("badarg", "error", ("badarg", [("erlang", "apply", [self.label, state, [etype, content, data]])]))
            fun = getattr(mod, state, None)
            if fun is None:
                raise _Stop("undef", "error", ("undef", [(self.label, state, [etype, content, data])]))
            args = (etype, content, data)
        else:
            fun = getattr(mod, "handle_event", None)
            if fun is None:
                raise _Stop("undef", "error", ("undef", [(self.label, "handle_event", [etype, content, state, data])]))
            args = (etype, content, state, data)
        try:
            return fun(*args)
        except Throw as t:
            return t.value
        except (Killed, _Stop):
            raise
        except Exit as e:
            raise _Stop(e.reason, "exit") from None
        except Exception as e:                       # noqa: BLE001
            raise _Stop(_bare(e), "error", _state.rt.error_reason(e)) from None

    def parse(self, ret, enter):
        """-> (next_state, data, actions, repeat, state_change_allowed)"""
        s, d = self.state, self.data
        bad = "bad_state_enter_return_from_state_function" if enter else "bad_return_from_state_function"
        if ret == "keep_state_and_data":
            return (s, d, [], False, False)
        if ret == "repeat_state_and_data":
            return (s, d, [], True, False)
        if type(ret) is tuple and ret:
            tag, n = ret[0], len(ret)
            if tag == "next_state" and n in (3, 4):
                if enter and ret[1] != s:
                    raise _Stop((bad, ret), "error")
                return (ret[1], ret[2], _as_list(ret[3]) if n == 4 else [], False, True)
            if tag == "keep_state" and n in (2, 3):
                return (s, ret[1], _as_list(ret[2]) if n == 3 else [], False, False)
            if tag == "keep_state_and_data" and n == 2:
                return (s, d, _as_list(ret[1]), False, False)
            if tag == "repeat_state" and n in (2, 3):
                return (s, ret[1], _as_list(ret[2]) if n == 3 else [], True, False)
            if tag == "repeat_state_and_data" and n == 2:
                return (s, d, _as_list(ret[1]), True, False)
            if tag == "stop" and n in (2, 3):
                if n == 3:
                    self.data = ret[2]
                raise _Stop(ret[1])
            if tag == "stop_and_reply" and n in (3, 4):
                if n == 4:
                    self.data = ret[3]
                raise _Stop(ret[1], replies=_as_list(ret[2]))
        raise _Stop((bad, ret), "error")

    def transition(self, ev, parsed, consumed, init=False):
        """Apply one callback result: actions, postpone, state change, state enter, timers."""
        nstate, ndata, actions, repeat, _ = parsed
        postpone, _hibernate, timeouts, nexts = self.actions(actions, False, nstate)
        old = self.state
        self.data = ndata
        self.state = nstate
        if self.enter and (init or nstate != old or repeat):
            timeouts = timeouts + self.call_enter(old if not init else nstate)
        if self.deb:
            self.debug(("postpone" if postpone else "consume", ev, old, nstate))
        _emit("postpone" if postpone else "state", self, ev, None if init else old, nstate)
        if postpone:
            self.postponed.append(ev)
        if nstate != old:
            if not any(t[0] == "state_timeout" for t in timeouts):
                self.cancel("state_timeout")
            self.queue.extendleft(reversed(self.postponed))
            self.postponed = []
        self.queue.extendleft(reversed(nexts))
        self.set_timeouts(timeouts)

    def call_enter(self, old):
        """The state enter call; returns its timeout actions."""
        state = self.state
        while True:
            ret = self.call_state("enter", old, state, self.data)
            _s, self.data, actions, repeat, _ = self.parse(ret, True)
            _pp, _hib, timeouts, _n = self.actions(actions, True)
            if not repeat:
                return timeouts

    def actions(self, actions, enter, nstate=None):
        postpone = hibernate = False
        timeouts, nexts = [], []
        bad = "bad_state_enter_action_from_state_function" if enter else "bad_action_from_state_function"
        for a in actions:
            if a == "postpone" or (type(a) is tuple and len(a) == 2 and a[0] == "postpone"):
                if enter:
                    raise _Stop((bad, a), "error")
                postpone = a == "postpone" or bool(a[1])
            elif a == "hibernate" or (type(a) is tuple and len(a) == 2 and a[0] == "hibernate"):
                hibernate = True
            elif type(a) is tuple and len(a) == 3 and a[0] == "reply":
                self.send_reply(a[1], a[2])
            elif type(a) is tuple and len(a) == 3 and a[0] == "next_event":
                if enter:
                    raise _Stop((bad, a), "error")
                nexts.append((a[1], a[2]))
                if self.deb:
                    self.debug(("in", (a[1], a[2]), nstate))   # OTP prints these before "consume"
            elif type(a) in (int, float) and a >= 0 or a == "infinity":
                timeouts.append(("timeout", a, a, []))
            elif type(a) is tuple and len(a) in (2, 3, 4) and _is_timeout_kind(a[0]):
                if len(a) == 2 and a[1] != "cancel":
                    raise _Stop((bad, a), "error")
                if len(a) >= 3 and not (a[1] in ("infinity", "update") or type(a[1]) in (int, float) and a[1] >= 0):
                    raise _Stop((bad, a), "error")
                timeouts.append((a[0], a[1], a[2] if len(a) >= 3 else None, a[3] if len(a) == 4 else []))
            else:
                raise _Stop((bad, a), "error")
        return postpone, hibernate, timeouts, nexts

    def send_reply(self, from_, r):
        _gen.reply(from_, r)
        if self.deb:
            self.debug(("out", r, from_))

    # ------------------------------------------------------------ timeouts
    def set_timeouts(self, timeouts):
        """Start, cancel or update timers as OTP 25's loop_timeouts does.

        The list is walked from the end and only the *last* action for each
        timeout kind counts (``[{state_timeout,10,a},{state_timeout,cancel}]``
        cancels).  Zero-time timeouts, and updates of a timer that is not
        running, become events queued after the already queued ones (before
        any message not yet received).  An event timeout is dropped when any
        event is queued, since that event would cancel it.
        """
        rt = _state.rt
        seen = set()
        inserted = []
        event_to = None
        for a in reversed(timeouts):
            kind, t, msg, opts = a
            if kind in seen:
                continue
            seen.add(kind)
            if kind == "timeout":
                event_to = a                          # decided last: needs the final queue
                if self.deb and t not in ("cancel", "infinity", "update"):
                    self.debug(("start_timer", (kind, t, msg, opts), self.state))
                continue
            if t == "cancel":
                self.cancel(kind)
                continue
            if t == "update":
                if kind in self.timers:
                    self.timers[kind] = (self.timers[kind][0], msg)
                else:
                    inserted.append(_TimeoutEvent((kind, msg)))
                continue
            self.cancel(kind)
            if t == "infinity":
                continue
            if self.deb:
                self.debug(("start_timer", (kind, t, msg, opts), self.state))
            if ("abs", True) in (opts or []):
                t = max(0, t - rt.now_ms())
            if t == 0:
                inserted.append(_TimeoutEvent((kind, msg)))
                continue
            self.timers[kind] = (erlang.start_timer(t, rt.current, kind), msg)
        inserted.reverse()                            # in the order the actions were given
        self.queue.extend(inserted)
        if event_to is not None:
            kind, t, msg, opts = event_to
            if t in ("cancel", "infinity"):
                return
            if t == "update":
                if not self.queue:
                    self.queue.append(_TimeoutEvent((kind, msg)))
                return
            if self.queue:
                return                                # a queued event would cancel it
            if ("abs", True) in (opts or []):
                t = max(0, t - rt.now_ms())
            if t == 0:
                self.queue.append(_TimeoutEvent((kind, msg)))
                return
            self.timers[kind] = (erlang.start_timer(t, rt.current, kind), msg)

    def cancel(self, kind, keep=()):
        if any(k[0] == kind for k in keep):
            return
        entry = self.timers.pop(kind, None)
        if entry is not None:
            if erlang.cancel_timer(entry[0]) is False:
                if self._dead_refs is None:
                    self._dead_refs = set()
                self._dead_refs.add(entry[0])    # already in the mailbox: drop it when it comes

    # ------------------------------------------------------------ stopping
    def terminate(self, s):
        """Send stop replies, run terminate/3, report, exit.  Never returns."""
        for r in s.replies:
            if type(r) is tuple and len(r) == 3 and r[0] == "reply":
                self.send_reply(r[1], r[2])
        reason, cls, exit_reason = s.reason, s.cls, s.exit_reason
        mod = _gen.resolve(self.mod)
        term = getattr(mod, "terminate", None)
        if term is not None:
            try:
                term(reason, self.state, self.data)
            except Killed:
                raise
            except Exit as e:
                reason = exit_reason = e.reason
                cls = "exit"
            except Exception as e:                   # noqa: BLE001
                reason, cls, exit_reason = _bare(e), "error", _state.rt.error_reason(e)
        if self.deb:
            self.debug(("terminate", reason, self.state))
        if not (cls == "exit" and proc_lib.is_clean_exit(reason)):
            stack = exit_reason[1] if cls == "error" and type(exit_reason) is tuple and len(exit_reason) == 2 \
                and type(exit_reason[1]) is list else []
            self.error_report(reason, cls, self.last, stack)
        for ref, _m in self.timers.values():
            erlang.cancel_timer(ref)
        e = Exit(exit_reason)
        e.cls = cls                                   # the CRASH REPORT's "exception error|exit"
        raise e

    def error_report(self, reason, cls, last, stack=()):
        stack = list(stack)
        name = _gen.name_of(self.name)
        lines = [f"** State machine {name!r} terminating" if not isinstance(name, str)
                 else f"** State machine {name} terminating"]
        if last is not None:
            lines.append(f"** Last event = {_ev_repr(last)}")
        shown = (self.state, self.data)
        fs = getattr(_gen.resolve(self.mod), "format_status", None)
        if fs is not None:
            try:
                shown = fs("terminate", [list((_state.rt.current.dict or {}).items()), self.state, self.data])
            except Exception:                        # noqa: BLE001
                pass
        lines += [f"** When server state  = {logger.fmt(shown, 24)}",
                  f"** Reason for termination = {cls}:{logger.fmt(reason, 28)}",
                  f"** Callback modules = [{self.label}]",
                  f"** Callback mode = {_mode_repr(getattr(self, 'cm', self.mode))}",
                  "** Stacktrace =",
                  f"**  {logger.fmt(stack, 4)}"]
        if type(last) is tuple and type(last[0]) is tuple and last[0][0] == "call":
            lines += [f"** Client {last[0][1][0]!r} stacktrace", "** []"]
        if self.postponed:
            lines.append(f"** Postponed = {self.postponed!r}")
        if self.timers:
            lines.append(f"** Time-outs: {self.timeouts_info()!r}")
        logger.error(lines, kind="error_report", pid=_state.rt.current, reason=reason)

    def timeouts_info(self):
        return (len(self.timers), [(k, m) for k, (_r, m) in self.timers.items()])

    # ------------------------------------------------------------ sys callbacks
    def system_get_state(self, misc):
        return ("ok", misc)

    def system_replace_state(self, fun, misc):
        new = fun(misc)
        if not (type(new) is tuple and len(new) == 2):
            raise ErlangError("badarg", "replace_state fun must return (state, data)")
        return ("ok", new, new)

    def system_code_change(self, misc, module, old_vsn, extra):
        state, data = misc
        cc = getattr(_gen.resolve(self.mod), "code_change", None)
        if cc is None:
            return ("ok", misc)
        r = cc(old_vsn, state, data, extra)
        if type(r) is tuple and len(r) == 3 and r[0] == "ok":
            self.read_callback_mode()
            return ("ok", (r[1], r[2]))
        return ("error", r)

    def system_terminate(self, reason, parent, deb, misc):
        self.state, self.data = misc
        self.deb = deb
        self.terminate(_Stop(reason))

    def format_status(self, opt, status_data):
        pdict, status, parent, logged, misc = status_data
        name = _gen.name_of(self.name)
        specific = [("data", [("State", misc)])]
        fs = getattr(_gen.resolve(self.mod), "format_status", None)
        if fs is not None:
            s = fs(opt, [pdict, misc[0], misc[1]])
            specific = s if isinstance(s, list) else [s]
        return [("header", f"Status for state machine {name}"),
                ("data", [("Status", status), ("Parent", parent), ("Modules", [self.label]),
                          ("Time-outs", self.timeouts_info()), ("Logged Events", logged),
                          ("Postponed", list(self.postponed))])] + specific

    # ------------------------------------------------------------ *DBG* lines
    def debug(self, event):
        self.deb = _sys.handle_debug(self.deb, _fmt, self.name, event)


def _as_list(a):
    return a if isinstance(a, list) else [a]


def _atom(t):
    return t if type(t) is str else repr(t)


def _ev_repr(ev):
    etype, content = ev
    if type(etype) is tuple and etype[0] == "call":
        return repr((("call", etype[1]), content))
    return repr(ev)


def _mode_repr(cm):
    return "[" + ",".join(cm) + "]" if isinstance(cm, list) else cm


def _event_string(ev):
    etype, content = ev
    if type(etype) is tuple and len(etype) == 2 and etype[0] == "call":
        return f"call {_atom(content)} from {etype[1][0]!r}"
    return f"{_atom(etype)} {_atom(content)}"


def _fmt(event, name):
    """OTP gen_statem's print_event wording."""
    name = _atom(_gen.name_of(name))
    kind = event[0]
    if kind == "in":
        return f"{name} receive {_event_string(event[1])} in state {_atom(event[2])}"
    if kind == "out":
        return f"{name} send {_atom(event[1])} to {event[2][0]!r}"
    if kind == "enter":
        return f"{name} enter {event[1]} in state {_atom(event[2])}"
    if kind == "start_timer":
        return f"{name} start_timer {event[1]!r} in state {_atom(event[2])}"
    if kind == "insert_timeout":
        return f"{name} insert_timeout {event[1]!r} in state {_atom(event[2])}"
    if kind == "terminate":
        return f"{name} terminate {_atom(event[1])} in state {_atom(event[2])}"
    if kind in ("postpone", "consume"):
        s, ns = event[2], event[3]
        st = _atom(s) if s == ns else f"{_atom(s)} => {_atom(ns)}"
        return f"{name} {kind} {_event_string(event[1])} in state {st}"
    return f"{name} {event!r}"


def _emit(kind, m, ev, old, new):
    rt = _state.rt
    if rt.trace is None:
        return
    etype = ev[0]
    if type(etype) is tuple and etype[0] == "call":
        ev = ("call", ev[1])
    if kind == "postpone":
        rt.trace.emit("postpone", pid=rt.current, module=m.label, event=ev, state=old)
    else:
        rt.trace.emit("state", pid=rt.current, module=m.label, old=old, new=new, event=ev)


# ================================================================ the state graph (for viz)
def state_graph(mod, events=None):
    """``{'states': [...], 'transitions': [(from, to, label)], 'declared': bool}``.

    Uses the namespace's ``STATES`` / ``TRANSITIONS`` when it declares them;
    otherwise infers them from ``events`` (trace-bus events, e.g. a Recorder's
    list): every ``'state'`` event of that module with ``old != new`` is a
    transition labelled by its event content.
    """
    states = list(getattr(mod, "STATES", []) or [])
    trans = [tuple(t) for t in getattr(mod, "TRANSITIONS", []) or []]
    declared = bool(states or trans)
    label = _gen.module_name(mod)
    for e in events or []:
        get = e.get if isinstance(e, dict) else (lambda k, _e=e: getattr(_e, k, None))
        if get("kind") != "state" or get("module") != label:
            continue
        old, new, ev = get("old"), get("new"), get("event")
        for s in (old, new):
            if s is not None and s not in states:
                states.append(s)
        if old is not None and old != new:
            content = ev[1] if ev else None
            lab = content[0] if type(content) is tuple and content and type(content[0]) is str else content
            t = (old, new, lab if type(lab) is str else repr(lab))
            if t not in trans and not any(x[0] == old and x[1] == new for x in trans if declared):
                trans.append(t)
    for f, t, _l in trans:
        for s in (f, t):
            if s not in states:
                states.append(s)
    return {"states": states, "transitions": trans, "declared": declared}
