"""gen_statem, part 4: what the machine shows the outside world.

Holds :class:`ReportMixin` (the ERROR REPORT "State machine ... terminating",
the ``sys`` callbacks: get/replace state, code change, terminate, status, and
the ``*DBG*`` lines in OTP's ``print_event`` wording), :func:`emit_event` (the
``state`` / ``postpone`` trace-bus events that viz.fsm draws) and
:func:`state_graph` (re-exported by ``gen_statem``).
"""
from __future__ import annotations

from . import logger, _gen
from . import sys as _sys
from .erlang import ErlangError
from .kernel import state as _state
from ._statem_actions import Stop
from .kernel.terms import fmt_term

_EVENT_TYPES = ("cast", "info", "internal", "timeout", "state_timeout", "enter", "call", "event_timeout")
_TIMEOUT_TYPES = ("timeout", "state_timeout", "event_timeout")


def event_label(ev):
    """A short label for a transition's event (the one rule that ``viz.fsm`` and the
    inferred graphs share): the type of a timeout, the content of anything else.

    ``('cast', ('tea', 100))`` -> ``tea``; ``('state_timeout', 'refund')`` ->
    ``state_timeout``; ``(('timeout', 'guard'), x)`` -> ``{timeout,guard}``.
    """
    if ev is None:
        return "init"
    c = ev
    if isinstance(ev, tuple) and len(ev) == 2:
        head = ev[0]
        if head in _TIMEOUT_TYPES:
            return head
        if isinstance(head, tuple) and len(head) == 2 and head[0] == "timeout":     # generic timeout
            return fmt_term(head, 20)
        if head in _EVENT_TYPES or (isinstance(head, tuple) and head and head[0] == "call"):
            c = ev[1]
    if isinstance(c, str):
        return c
    if isinstance(c, tuple) and c and isinstance(c[0], str):
        return c[0]
    return fmt_term(c, 20)

__all__ = ["ReportMixin", "emit_event", "print_event", "state_graph"]


class ReportMixin:
    """The part of ``_Machine`` that reports, traces and answers ``sys``."""

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
        r = _gen.call_code_change(self.mod, (old_vsn, state, data, extra))
        if type(r) is tuple and len(r) == 3 and r[0] == "ok":
            self.read_callback_mode()
            return ("ok", (r[1], r[2]))
        return r                                    # OTP: Else (sys answers ('error', Else))

    def system_terminate(self, reason, parent, deb, misc):
        self.state, self.data = misc
        self.deb = deb
        self.terminate(Stop(reason))

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
        self.deb = _sys.handle_debug(self.deb, print_event, _gen.name_of(self.name), event)


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


def print_event(event, name):
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


def emit_event(kind, m, ev, old, new):
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
    transition, labelled as :func:`event_label` does (a
    timeout by its event type, ``'state_timeout'``, ``'timeout'`` or
    ``'{timeout,Name}'``; any other event by its content, a tuple by its first
    atom), so an inferred graph and ``viz.fsm`` agree on every label.
    """
    if events is not None and type(events) is not list and type(events) is not tuple:
        raise ErlangError("function_clause", f"state_graph: events are a list of trace events, got {events!r}")
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
            t = (old, new, event_label(tuple(ev) if type(ev) is list else ev))
            if t not in trans and not any(x[0] == old and x[1] == new for x in trans if declared):
                trans.append(t)
    for f, t, _l in trans:
        for s in (f, t):
            if s not in states:
                states.append(s)
    return {"states": states, "transitions": trans, "declared": declared}
