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

Layout: this module holds the API and the MAIN loop (receive, one event, state
change, stop); ``_statem_actions`` calls the callbacks and parses their returns
and actions, ``_statem_timeouts`` runs the three timeouts, ``_statem_report``
holds the reports, ``sys`` callbacks, ``*DBG*`` lines, trace events and
:func:`state_graph`.

See also: otp_lite.gen_fsm (the deprecated predecessor), otp_lite.gen_server, otp_lite.sys.
"""
from __future__ import annotations

from collections import deque

from . import erlang, proc_lib, _gen
from . import _hibernate as _hib
from . import sys as _sys
from .erlang import ErlangError, Exit, Throw
from .kernel import state as _state
from .kernel.signals import Killed
from ._statem_actions import CallbackMixin, Stop, as_list, bare
from ._statem_report import ReportMixin, emit_event, state_graph
from ._statem_timeouts import TimeoutEvent, TimeoutsMixin

__all__ = ["start", "start_link", "start_monitor", "call", "cast", "reply", "stop",
           "enter_loop", "state_graph"]

BEHAVIOUR_NAME = "gen_statem"
_OPTIONS = ("timeout", "debug", "hibernate_after", "spawn_opt")


# ================================================================ API
def _start(how, args, fname):
    name, mod, arg, opts = _gen.parse_start(
        "gen_statem", args, fname, _OPTIONS, two_args=False, opts_list=True, check_debug=None,
        init_hint=None)                              # no init: ('error', 'undef'), as OTP 25
    return _gen.start(how, _init_it, (how, name, mod, arg, opts), opts.get("timeout", "infinity"),
                      (_gen.module_name(mod), "init", 1))


def start(*args):
    """``start([name,] module, args, options)`` -> ``('ok', pid)`` | ``'ignore'`` | ``('error', r)``."""
    return _start("nolink", args, "start")


def start_link(*args):
    """Like :func:`start`, linked to the caller (the caller is the parent)."""
    return _start("link", args, "start_link")


def start_monitor(*args):
    return _gen.monitor_result(_start("monitor", args, "start_monitor"))


def call(server_ref, request, timeout="infinity"):
    """Send ``request`` as a ``('call', from_)`` event and wait (default ``'infinity'``).

    ``timeout`` may also be ``('dirty_timeout', T)`` or ``('clean_timeout', T)``
    (both wait ``T`` here); another pair is badarg, a bad ``T`` function_clause.
    """
    t = timeout
    if type(timeout) is tuple and len(timeout) == 2:
        if timeout[0] not in ("dirty_timeout", "clean_timeout"):
            raise ErlangError("badarg", f"call timeout {timeout!r}: use T, ('dirty_timeout', T) or ('clean_timeout', T)")
        t = timeout[1]
    if not (t == "infinity" and type(t) is str or type(t) in (int, float) and t >= 0):
        raise ErlangError("function_clause", f"gen:call/4 has no clause for timeout {t!r}")
    return _gen.call(server_ref, "$gen_call", request, t,
                     ("gen_statem", "call", [server_ref, request, timeout]))


def cast(server_ref, msg):
    """Send ``msg`` as a ``'cast'`` event; always ``'ok'``."""
    return _gen.cast(server_ref, msg)


def reply(*args):
    """``reply(from_, reply)`` or ``reply([('reply', from_, reply), ...])``."""
    if len(args) == 2:
        return _gen.reply(*args)
    if len(args) != 1:
        raise ErlangError("undef", f"gen_statem.reply/{len(args)}: reply(from_, reply) or reply(replies)")
    for r in args[0] if isinstance(args[0], list) else [args[0]]:
        if type(r) is not tuple or len(r) != 3 or r[0] != "reply":
            raise ErlangError("function_clause", f"gen_statem.reply: {r!r} is not ('reply', from_, reply)")
        _gen.reply(r[1], r[2])
    return "ok"


def stop(server_ref, reason="normal", timeout="infinity"):
    """Stop the machine: ``terminate(reason, state, data)`` runs; returns ``'ok'``.
    A timeout other than ``'infinity'`` or an integer >= 0 is ``function_clause`` here,
    before anything is sent (OTP 25's ``gen:stop/3`` guard)."""
    _gen.check_stop_timeout(server_ref, reason, timeout)
    return proc_lib.stop(server_ref, reason, timeout)


def enter_loop(mod, opts, state, data, *rest):
    """Make the calling (proc_lib-started) process a gen_statem.  Never returns."""
    name, actions = None, []
    for r in rest:
        if type(r) is tuple and r and r[0] in ("local", "global", "via"):
            name = _gen.check_name(r)
        else:
            actions = r
    parent = _gen.get_parent()                       # OTP: the parent first, then the name
    _gen.get_proc_name(name)
    deb = _sys.debug_options(dict(opts).get("debug", []))
    m = _Machine(parent, name or _state.rt.current, mod, deb)
    m.begin(state, data, actions)


# ================================================================ the machine
def _init_it(how, name, mod, arg, opts):
    rt = _state.rt
    me, parent = _gen.init_start(how, name)
    me.label = _gen.module_name(mod)
    m = _Machine(parent, name or me, mod, _sys.debug_options(opts.get("debug")))
    init = getattr(_gen.resolve(mod), "init", None)
    if init is None:                                 # OTP 25: {error, undef} (tests/oracle_probes/ch23_f9_undef.out)
        m.init_failed("undef", "error", ("undef", [(_gen.module_name(mod), "init", [arg])]))
    try:
        ret = init(arg)
    except Throw as t:
        ret = t.value
    except Killed:
        raise
    except Exit as e:
        m.init_failed(e.reason, "exit", e.reason)
    except Exception as e:                           # noqa: BLE001
        m.init_failed(bare(e), "error", rt.error_reason(e))
    if type(ret) is tuple and len(ret) in (3, 4) and ret[0] == "ok":
        proc_lib.init_ack(("ok", me))
        m.begin(ret[1], ret[2], ret[3] if len(ret) == 4 else [])
    elif type(ret) is tuple and len(ret) == 2 and ret[0] == "stop":
        _gen.init_fail(name, ret[1])                 # no ERROR REPORT for ('stop', R), unlike a crash
        raise Exit(ret[1])
    elif ret == "ignore":
        _gen.init_ignore(name)
    else:
        reason = ("bad_return_from_init", ret)
        m.init_failed(reason, "error", reason)


class _Machine(CallbackMixin, TimeoutsMixin, ReportMixin):
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
        self.hib = False              # the last transition asked for hibernate
        self.label = _gen.module_name(mod)

    # ------------------------------------------------------------ start
    def init_failed(self, reason, cls, exit_reason):
        _gen.init_fail(self.name, reason)
        self.error_report(reason, cls, None)
        raise Exit(exit_reason)

    def begin(self, state, data, actions):
        self.state, self.data = state, data
        try:
            self.read_callback_mode()
            if self.deb:
                self.debug(("enter", self.label, state))
            self.last = ("internal", "init_state")
            self.transition(("internal", "init_state"), (state, data, as_list(actions), False, True), None, init=True)
        except Stop as s:
            self.terminate(s)
        self.loop()

    def read_callback_mode(self):
        cm = getattr(_gen.resolve(self.mod), "callback_mode", "state_functions")
        cm = cm() if callable(cm) else cm
        modes = cm if isinstance(cm, list) else [cm]
        enter = "state_enter" in modes
        base = [x for x in modes if x != "state_enter"]
        if len(base) != 1 or base[0] not in ("state_functions", "handle_event_function"):
            raise Stop(("bad_callback_mode", cm), "error")
        self.mode, self.enter, self.cm = base[0], enter, cm

    # ------------------------------------------------------------ the MAIN loop
    def loop(self):
        rt = _state.rt
        me = rt.current
        while True:
            try:
                if self.queue:
                    ev = self.queue.popleft()
                    if self.deb and type(ev) is TimeoutEvent:
                        self.debug(("in", ev, self.state))     # OTP: "receive state_timeout X"
                else:
                    ev = self.receive(rt, me)
                    if ev is None:
                        continue
                self.handle(ev)
            except Stop as s:
                self.terminate(s)

    def receive(self, rt, me):
        """One message from the mailbox -> an event, or None (system message, stale timer).
        After a ``hibernate`` action it waits in ``erlang:hibernate/3``, as OTP (also while
        sys-suspended, and again after a system message)."""
        msg = _hib.hibernate(rt.receive, (), "infinity") if self.hib else rt.receive((), "infinity")
        if type(msg) is tuple and msg:
            tag = msg[0]
            if tag == "$gen_call" and len(msg) == 3:
                ev = (("call", msg[1]), msg[2])
            elif tag == "$gen_cast" and len(msg) == 2:
                ev = ("cast", msg[1])
            elif tag == "system" and len(msg) == 3:
                self.deb, (self.state, self.data) = _sys.handle_system_msg(
                    msg[2], msg[1], self.parent, self, self.deb, (self.state, self.data), self.hib)
                return None
            elif tag == "EXIT" and len(msg) == 3 and msg[1] is self.parent and me.trap_exit:
                self.last = ("info", msg)
                raise Stop(msg[2])
            elif tag == "timeout" and len(msg) == 3 and type(msg[1]) is erlang.Ref:
                # the timer was started as start_timer(t, self, kind): its message names
                # the kind (a lookup; was a search of every running timer per timeout)
                try:
                    e = self.timers.get(msg[2])
                except TypeError:                     # an unhashable term: not one of ours
                    e = None
                kind = msg[2] if e is not None and e[0] is msg[1] else None
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

    # ------------------------------------------------------------ one event
    def handle(self, ev):
        self.last = ev
        self.cancel("timeout")                       # any event cancels the event timeout
        etype, content = ev
        ret = self.call_state(etype, content, self.state, self.data)
        self.transition(ev, self.parse(ret, False), ev)

    def transition(self, ev, parsed, consumed, init=False):
        """Apply one callback result: actions, postpone, state change, state enter, timers."""
        nstate, ndata, actions, repeat, _ = parsed
        postpone, self.hib, timeouts, nexts = self.actions(actions, False, nstate)
        old = self.state
        self.data = ndata
        self.state = nstate
        if self.enter and (init or nstate != old or repeat):
            timeouts = timeouts + self.call_enter(old if not init else nstate)
        if self.deb:
            self.debug(("postpone" if postpone else "consume", ev, old, nstate))
        emit_event("postpone" if postpone else "state", self, ev, None if init else old, nstate)
        if postpone:
            self.postponed.append(ev)
        if nstate != old:
            if not any(t[0] == "state_timeout" for t in timeouts):
                self.cancel("state_timeout")
            self.queue.extendleft(reversed(self.postponed))
            self.postponed = []
        self.queue.extendleft(reversed(nexts))
        self.set_timeouts(timeouts)

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
                reason, cls, exit_reason = bare(e), "error", _state.rt.error_reason(e)
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
