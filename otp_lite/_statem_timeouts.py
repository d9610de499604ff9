"""gen_statem, part 3: the three timeouts (event, state and generic).

Holds :class:`TimeoutsMixin`, the methods of ``gen_statem._Machine`` that
start, cancel and update timers from timeout actions, as OTP 25's
``loop_timeouts`` does (the rules are in :meth:`TimeoutsMixin.set_timeouts`),
and :class:`TimeoutEvent`, a timeout event queued without a timer.  A timer
cancelled after it fired is remembered, so its message is dropped when it
arrives instead of reaching the callback as an ``info`` event.
"""
from __future__ import annotations

from . import erlang
from .kernel import state as _state

__all__ = ["TIMEOUT_KINDS", "TimeoutEvent", "is_timeout_kind", "TimeoutsMixin"]

TIMEOUT_KINDS = ("timeout", "state_timeout")


class TimeoutEvent(tuple):
    """A timeout event queued without a timer (zero time, or an update of a stopped timer)."""
    __slots__ = ()


def is_timeout_kind(k):
    return k in TIMEOUT_KINDS or (type(k) is tuple and len(k) == 2 and k[0] == "timeout")


class TimeoutsMixin:
    """The part of ``_Machine`` that owns ``self.timers`` (kind -> (ref, msg))."""

    _dead_refs = None

    def _stale(self, ref):
        dead = self._dead_refs
        if dead is not None and ref in dead:
            dead.discard(ref)
            return True
        return False

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
                    inserted.append(TimeoutEvent((kind, msg)))
                continue
            self.cancel(kind)
            if t == "infinity":
                continue
            if self.deb:
                self.debug(("start_timer", (kind, t, msg, opts), self.state))
            if ("abs", True) in (opts or []):
                t = max(0, round(t - rt.now_ms()))       # an int (the real clock is float ms)
            if t == 0:
                inserted.append(TimeoutEvent((kind, msg)))
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
                    self.queue.append(TimeoutEvent((kind, msg)))
                return
            if self.queue:
                return                                # a queued event would cancel it
            if ("abs", True) in (opts or []):
                t = max(0, round(t - rt.now_ms()))       # an int (the real clock is float ms)
            if t == 0:
                self.queue.append(TimeoutEvent((kind, msg)))
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

    def timeouts_info(self):
        return (len(self.timers), [(k, m) for k, (_r, m) in self.timers.items()])
