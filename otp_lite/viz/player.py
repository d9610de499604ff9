"""Time travel through a recorded trace: step, jump to the next message, scrub.

``p = viz.Player(trace)`` starts at the end of the trace.  ``p.step()``,
``p.back()``, ``p.next_message()``, ``p.prev_message()``, ``p.run_to(ms)``,
``p.seek(seq)``, ``p.start()``, ``p.end()`` move it (each returns the player);
``p.sup_tree()``, ``p.sequence()``, ``p.fsm()``, ``p.observer()`` show the
system as it was at that point (views accept ``upto_seq=``; a Player is a
source whose cut-off is its position).  ``p.live()`` adds a slider and buttons
and re-renders the chosen views at each step.  Traces are saved and loaded
with ``Recorder.save(path)`` / ``viz.Player(path)``.
"""
from __future__ import annotations

import bisect

from ._common import dropped_note, events_of


class Player:

    def __init__(self, trace=None):
        self.events = list(events_of(trace))
        self.pos = len(self.events)          # events[:pos] have happened
        self.dropped_note = dropped_note(trace) if not isinstance(trace, (list, tuple)) else ""

    # ---------------------------------------------------------------- position
    @property
    def upto_seq(self):
        return self.events[self.pos - 1]["seq"] if self.pos else 0

    @property
    def current(self):
        return self.events[self.pos - 1] if self.pos else None

    @property
    def t(self):
        return self.current["t"] if self.pos else 0

    def _go(self, pos):
        self.pos = max(0, min(len(self.events), pos))
        return self

    def step(self, n=1):
        return self._go(self.pos + n)

    def back(self, n=1):
        return self._go(self.pos - n)

    def start(self):
        return self._go(0)

    def end(self):
        return self._go(len(self.events))

    def next_message(self):
        """Forward to the next ``send`` (inclusive)."""
        for i in range(self.pos, len(self.events)):
            if self.events[i]["kind"] == "send":
                return self._go(i + 1)
        return self.end()

    def prev_message(self):
        for i in range(self.pos - 2, -1, -1):
            if self.events[i]["kind"] == "send":
                return self._go(i + 1)
        return self.start()

    def run_to(self, t_ms):
        """To the last event at or before ``t_ms`` (runtime clock, ms)."""
        return self._go(bisect.bisect_right(self.events, t_ms, key=_t))   # events are in time order

    def seek(self, seq):
        """To just after the event numbered ``seq``."""
        return self._go(bisect.bisect_right(self.events, seq, key=_seq))

    # ---------------------------------------------------------------- views
    def sup_tree(self, **kw):
        from .sup_tree import sup_tree
        return sup_tree(self, **kw)

    def sequence(self, **kw):
        """The chart up to here; the current event is highlighted."""
        from .sequence import sequence
        kw.setdefault("highlight_last", True)
        return sequence(self, **kw)

    def fsm(self, target=None):
        from .fsm import fsm
        if target is None:
            return fsm(self)
        return fsm(target, upto_seq=self.upto_seq, trace=self.events)

    def observer(self, **kw):
        from .observer import observer
        return observer(self, **kw)

    # ---------------------------------------------------------------- text
    def text(self):
        n = len(self.events)
        tail = f"\n{self.dropped_note}" if self.dropped_note else ""
        if not self.pos:
            return f"at the start (0/{n} events){tail}"
        from .sequence import Sequence
        e = self.current
        line = Sequence(self.events[: self.pos], kinds=[e["kind"]]).line(e)
        return f"event {self.pos}/{n} (seq {e['seq']}) at {e['t']:.1f}ms: {line}{tail}"

    __repr__ = text

    def live(self, views=("sequence", "sup_tree")):
        from .player_live import PlayerLive
        return PlayerLive(self, views)


def _t(e):
    return e["t"]


def _seq(e):
    return e["seq"]
