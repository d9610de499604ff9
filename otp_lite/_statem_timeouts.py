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
        running, become events queued after the already queued ones (OTP's
        ``t0q``), in the order the actions were given.  Any event handled
        cancels the event timeout, so an event timeout survives only if no
        event comes before it: a zero one must be the first thing queued
        (``[{timeout,0,a},{state_timeout,0,b}]`` runs both,
        ``[{state_timeout,0,b},{timeout,0,a}]`` only ``b``), a running one
        needs an empty queue.
        """
        rt = _state.rt
        seen = set()
        inserted = []
        event_to = None
        EVENT = object()                              # where a zero event timeout sits among the zero ones
        for a in reversed(timeouts):
            kind, t, msg, opts = a
            if kind in seen:
                continue
            seen.add(kind)
            if kind == "timeout":
                if self.deb and t not in ("cancel", "infinity", "update"):
                    self.debug(("start_timer", (kind, t, msg, opts), self.state))
                if t in ("cancel", "infinity"):
                    continue
                if t != "update" and ("abs", True) in (opts or []):
                    t = max(0, round(t - rt.now_ms()))   # an int (the real clock is float ms)
                if t == 0 or t == "update":
                    inserted.append(EVENT)
                event_to = (kind, t, msg)
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
        first = not self.queue and (not inserted or inserted[0] is EVENT)
        if event_to is not None and inserted and inserted[0] is EVENT and first:
            inserted[0] = TimeoutEvent((event_to[0], event_to[2]))
        elif event_to is not None and event_to[1] not in (0, "update") and first:
            kind, t, msg = event_to
            self.timers[kind] = (erlang.start_timer(t, rt.current, kind), msg)
        self.queue.extend(e for e in inserted if e is not EVENT)

    def cancel(self, kind, keep=()):
        """Stop timer ``kind``; a zero-time one still queued goes too (OTP: out of ``t0q``)."""
        if any(k[0] == kind for k in keep):
            return
        q = self.queue
        if q:
            for e in q:
                if type(e) is TimeoutEvent and e[0] == kind:
                    q.remove(e)
                    break
        entry = self.timers.pop(kind, None)
        if entry is not None:
            if erlang.cancel_timer(entry[0]) is False:
                if self._dead_refs is None:
                    self._dead_refs = set()
                self._dead_refs.add(entry[0])    # already in the mailbox: drop it when it comes

    def timeouts_info(self):
        return (len(self.timers), [(k, m) for k, (_r, m) in self.timers.items()])
