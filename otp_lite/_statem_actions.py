"""gen_statem, part 2: calling a state callback and reading what it returns.

Holds :class:`Stop` (the machine decided to stop) and :class:`CallbackMixin`,
the methods of ``gen_statem._Machine`` that call ``State(type, content, data)``
/ ``handle_event`` / the state enter call, check the return value against the
contract in ``gen_statem``'s docstring (``bad_return_from_state_function``)
and split its actions into postpone, replies, ``next_event`` and timeouts
(``bad_action_from_state_function``).  Mirrors the ``loop_state_callback*`` and
``loop_actions*`` parts of OTP 25 ``gen_statem.erl``.
"""
from __future__ import annotations

from . import _gen
from .erlang import Exit, ErlangError, Throw
from .kernel import state as _state
from .kernel.signals import Killed
from ._statem_timeouts import is_timeout_kind

__all__ = ["Stop", "bare", "as_list", "CallbackMixin"]


def bare(e):
    """The reason terminate/3 sees for an error-class exception (no stack)."""
    return e.reason if isinstance(e, ErlangError) else e


class Stop(Exception):
    """Internal: the machine decided to stop (carries reason, class, exit reason, replies)."""

    def __init__(self, reason, cls="exit", exit_reason=None, replies=()):
        self.reason, self.cls, self.replies = reason, cls, replies
        if exit_reason is None:
            # OTP: an error-class stop (a bad return or action) exits with {Reason, Stacktrace};
            # the stack would be gen_statem's own frames, which otp_lite leaves out
            exit_reason = (reason, []) if cls == "error" else reason
        self.exit_reason = exit_reason


def as_list(a):
    return a if isinstance(a, list) else [a]


class CallbackMixin:
    """The part of ``_Machine`` that calls callbacks and parses their returns."""

    def call_state(self, etype, content, state, data):
        mod = _gen.resolve(self.mod)
        if self.mode == "state_functions":
            if type(state) is not str:
                raise Stop("badarg", "error", ("badarg", [("erlang", "apply", [self.label, state, [etype, content, data]])]))
            fun = getattr(mod, state, None)
            if fun is None:
                raise Stop("undef", "error", ("undef", [(self.label, state, [etype, content, data])]))
            args = (etype, content, data)
        else:
            fun = getattr(mod, "handle_event", None)
            if fun is None:
                raise Stop("undef", "error", ("undef", [(self.label, "handle_event", [etype, content, state, data])]))
            args = (etype, content, state, data)
        try:
            return fun(*args)
        except Throw as t:
            return t.value
        except (Killed, Stop):
            raise
        except Exit as e:
            raise Stop(e.reason, "exit") from None
        except Exception as e:                       # noqa: BLE001
            raise Stop(bare(e), "error", _state.rt.error_reason(e)) from None

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
                    raise Stop((bad, ret), "error")
                return (ret[1], ret[2], as_list(ret[3]) if n == 4 else [], False, True)
            if tag == "keep_state" and n in (2, 3):
                return (s, ret[1], as_list(ret[2]) if n == 3 else [], False, False)
            if tag == "keep_state_and_data" and n == 2:
                return (s, d, as_list(ret[1]), False, False)
            if tag == "repeat_state" and n in (2, 3):
                return (s, ret[1], as_list(ret[2]) if n == 3 else [], True, False)
            if tag == "repeat_state_and_data" and n == 2:
                return (s, d, as_list(ret[1]), True, False)
            if tag == "stop" and n in (2, 3):
                if n == 3:
                    self.data = ret[2]
                raise Stop(ret[1])
            if tag == "stop_and_reply" and n in (3, 4):
                if n == 4:
                    self.data = ret[3]
                raise Stop(ret[1], replies=as_list(ret[2]))
        raise Stop((bad, ret), "error")

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
                    raise Stop((bad, a), "error")
                postpone = a == "postpone" or bool(a[1])
            elif a == "hibernate" or (type(a) is tuple and len(a) == 2 and a[0] == "hibernate"):
                hibernate = a == "hibernate" or bool(a[1])           # ('hibernate', False): no
            elif type(a) is tuple and len(a) == 3 and a[0] == "reply":
                self.send_reply(a[1], a[2])
            elif type(a) is tuple and len(a) == 3 and a[0] == "next_event":
                if enter:
                    raise Stop((bad, a), "error")
                nexts.append((a[1], a[2]))
                if self.deb:
                    self.debug(("in", (a[1], a[2]), nstate))   # OTP prints these before "consume"
            elif type(a) is int and a >= 0 or a == "infinity":
                timeouts.append(("timeout", a, a, []))
            elif type(a) is tuple and len(a) in (2, 3, 4) and is_timeout_kind(a[0]):
                if len(a) == 2 and a[1] != "cancel":
                    raise Stop((bad, a), "error")
                # OTP 25: an integer time (>= 0 unless [{abs, true}]), never a float
                absolute = len(a) == 4 and ("abs", True) in (a[3] if type(a[3]) is list else [a[3]])
                if len(a) >= 3 and not (a[1] in ("infinity", "update")
                                        or type(a[1]) is int and (a[1] >= 0 or absolute)):
                    raise Stop((bad, a), "error")
                timeouts.append((a[0], a[1], a[2] if len(a) >= 3 else None, a[3] if len(a) == 4 else []))
            else:
                raise Stop((bad, a), "error")
        return postpone, hibernate, timeouts, nexts

    def send_reply(self, from_, r):
        _gen.reply(from_, r)
        if self.deb:
            self.debug(("out", r, from_))
