"""Timers and clocks: ``send_after``, receive timeouts, the virtual and the real clock.

Virtual clock (default): ``now`` only moves when every process is blocked and
the shell waits; it then jumps straight to the next timer, so a 10-second
``state_timeout`` costs no wall time and fires at exactly 10000 ms.
Real clock: ``now`` is wall time since ``reset``; the runtime sleeps until the
next timer when it has nothing else to do.

Timers live in a heap keyed by (when, sequence number); a cancelled timer is
only marked and skipped when it reaches the top (lazy deletion).  Every
``gen_server.call`` starts (and almost always cancels) a 5000 ms receive
timeout, so under the virtual clock cancelled entries pile up while time
stands still: when the heap has doubled since it was last swept, the
cancelled entries are dropped (``(when, seq)`` keys are unique, so the firing
order is unchanged).
"""
from __future__ import annotations

import heapq
import time

from .terms import Ref

MSG, WAKE, CALL = 0, 1, 2
FN = 3      # kernel-internal callback (otp_lite.dist's network): no timer ref, not traced
_SWEEP_MIN = 4096
_heappush = heapq.heappush


class TimerEntry:
    __slots__ = ("when", "kind", "dest", "msg", "ref", "cancelled", "owner")

    def __init__(self, when, kind, dest, msg, ref, owner):
        self.when = when
        self.kind = kind
        self.dest = dest
        self.msg = msg
        self.ref = ref
        self.cancelled = False
        self.owner = owner


_new_entry = TimerEntry.__new__


class TimersMixin:
    """Mixed into Runtime: owns ``self.timers`` (heap) and ``self.timer_refs``."""

    def _init_timers(self, clock):
        if clock not in ("virtual", "real"):
            raise ValueError(f"clock must be 'virtual' or 'real', not {clock!r}")
        self.virtual = clock == "virtual"
        self.clock = clock
        self._vnow = 0
        self._t0 = time.monotonic()
        self.timers = []
        self.timer_refs = {}
        self._tseq = 0
        self._tsweep = _SWEEP_MIN      # sweep cancelled timers when the heap reaches this size
        self.idle_wait = None          # real clock: fn(seconds) to wait instead of sleeping (otp_lite.dist.real)

    # -- clock ---------------------------------------------------------------
    def now_ms(self):
        if self.virtual:
            return self._vnow
        return (time.monotonic() - self._t0) * 1000.0

    # -- timers --------------------------------------------------------------
    def add_timer(self, ms, kind, dest, msg=None, owner=None, ref=None):
        when = self.now_ms() + ms
        if ref is None:
            ref = Ref()
        e = TimerEntry(when, kind, dest, msg, ref, owner)
        self._tseq += 1
        heap = self.timers
        if len(heap) >= self._tsweep:
            self._sweep_timers()
        _heappush(heap, (when, self._tseq, e))
        if kind != WAKE and kind != FN:
            self.timer_refs[ref] = e
            tr = self.trace
            if tr is not None:
                tr.emit("timer_start", ref=ref, pid=owner, dest=dest, msg=msg, after=ms)
        return e

    def add_wake_timer(self, ms, p):
        """``add_timer(ms, WAKE, p)`` for a receive timeout, without its unused Ref object.

        The ref *number* is still taken, so ``#Ref<...>`` numbering is the same.
        """
        when = (self._vnow if self.virtual else self.now_ms()) + ms
        next(Ref._counter)
        e = _new_entry(TimerEntry)          # TimerEntry(when, WAKE, p, None, None, None), minus the __init__ call
        e.when = when
        e.kind = WAKE
        e.dest = p
        e.msg = e.ref = e.owner = None
        e.cancelled = False
        seq = self._tseq = self._tseq + 1
        heap = self.timers
        if len(heap) >= self._tsweep:
            self._sweep_timers()
        _heappush(heap, (when, seq, e))
        return e

    def _sweep_timers(self):
        """Drop cancelled entries in place (callers may hold ``self.timers``)."""
        heap = self.timers
        heap[:] = [x for x in heap if not x[2].cancelled]
        heapq.heapify(heap)
        self._tsweep = max(_SWEEP_MIN, 2 * len(heap))

    def _dead_dest(self, e):
        """OTP: a timer aimed at a pid is cancelled when that process exits."""
        d = e.dest
        if e.kind == MSG and type(d) is not str and not d.alive:
            self.timer_refs.pop(e.ref, None)
            e.cancelled = True
            return True
        return False

    def cancel_timer(self, ref):
        e = self.timer_refs.pop(ref, None)
        if e is None or self._dead_dest(e):
            return False
        e.cancelled = True
        tr = self.trace
        if tr is not None:
            tr.emit("timer_cancel", ref=ref, pid=self.current)
        left = e.when - self.now_ms()
        return max(0, int(round(left)))

    def read_timer(self, ref):
        e = self.timer_refs.get(ref)
        if e is None or self._dead_dest(e):
            return False
        return max(0, int(round(e.when - self.now_ms())))

    def next_timer(self):
        """The earliest live timer's due time, or None (drops cancelled heads)."""
        heap = self.timers
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    def fire_due_timers(self):
        """Fire every timer due by now; True if any fired."""
        heap = self.timers
        if not heap:
            return False
        now = self.now_ms()
        fired = False
        while heap and heap[0][0] <= now:
            _, _, e = heapq.heappop(heap)
            if e.cancelled:
                continue
            fired = True
            kind = e.kind
            if kind == WAKE:
                p = e.dest
                if p.alive and p.timer is e:
                    p.timer = None
                    p.timed_out = True
                    if p.waiting:
                        self.wake(p)
                continue
            if kind == FN:
                self._timer_call(e)
                continue
            self.timer_refs.pop(e.ref, None)
            tr = self.trace
            if tr is not None:
                tr.emit("timer_fire", ref=e.ref, pid=e.owner, dest=e.dest, msg=e.msg)
            if kind == MSG:
                dest = e.dest
                if type(dest) is str:
                    dest = (e.owner.node if e.owner is not None else self.node0).names.get(dest)
                if dest is not None and dest.alive:
                    self.deliver(dest, e.msg, e.owner)
            else:  # CALL
                self._timer_call(e)
        return fired

    def _timer_call(self, e):
        """Run a timer's callback; one that raises is reported, never the scheduler's death
        (it runs in the hub, or between a process's slices)."""
        try:
            e.dest(*e.msg)
        except Exception as exc:                 # noqa: BLE001 - reported, and the runtime goes on
            self.callback_error(f"a timer callback ({getattr(e.dest, '__qualname__', e.dest)!r})", exc)

    def advance_to_next_timer(self):
        """Virtual clock: jump to the next timer.  Real clock: sleep until it."""
        nxt = self.next_timer()
        if nxt is None:
            return False
        if self.virtual:
            if nxt > self._vnow:
                self._vnow = nxt
        else:
            delay = (nxt - self.now_ms()) / 1000.0
            wait = self.idle_wait
            if wait is not None:
                wait(max(delay, 0.0))        # wakes early when the wire brings something
            elif delay > 0:
                time.sleep(delay)
        return True
