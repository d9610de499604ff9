"""Two versions of a state machine, one layout, and the state mapping between them (book ch. 12).

``viz.fsm_upgrade(old, new, mapping, title=None, notes=None)``: ``old`` and ``new``
are what :func:`viz.fsm` takes (a module declaring ``STATES``/``TRANSITIONS``,
a pid, a trace); ``mapping`` is ``{old_state: new_state}``, what ``code_change``
does to a process caught in each old state (a state missing from it keeps its
name).  The figure stacks the old diagram, a band with one arrow per old state
(grey: same state, orange: moved; ``notes`` ``{old_state: text}`` labels an
arrow), and the new diagram.  Both diagrams use one layout (the new machine's
circle, then any state only the old one has), so every shared state is in the
same place.  ``text()`` lists the mapping.
"""
from __future__ import annotations

from ._common import FigureMixin, OKABE_ITO, fmt_term, new_figure
from .fsm import Fsm


class FsmUpgrade(FigureMixin):
    def __init__(self, old, new, mapping=None, title=None, notes=None):
        self.new = new if isinstance(new, Fsm) else Fsm(new)
        self.old = old if isinstance(old, Fsm) else Fsm(old, layout_like=self.new)
        self.old.layout_like = self.new
        self.new.layout_like = _Union(self.new, self.old)
        mapping = dict(mapping or {})
        self.mapping = {s: mapping.get(s, s) for s in self.old.states}
        for a, b in self.mapping.items():
            if b not in self.new.states:
                raise ValueError(f"fsm_upgrade: {a!r} maps to {b!r}, which is not a state of {self.new.module_name}")
        self.title = title or f"{self.old.module_name} -> {self.new.module_name}"
        self.notes = dict(notes or {})

    def text(self):
        lines = [self.title]
        for a, b in self.mapping.items():
            note = f"  ({self.notes[a]})" if a in self.notes else ""
            lines.append(f"  {fmt_term(a)} -> {fmt_term(b)}{'' if a != b or note else '  (same)'}{note}")
        new_only = [s for s in self.new.states if s not in self.mapping.values()]
        if new_only:
            lines.append("  new states no old state maps to: " + ", ".join(fmt_term(s) for s in new_only))
        return "\n".join(lines)

    def figure(self):
        import numpy as np
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.patches import FancyArrowPatch
        imgs = []
        for f in (self.old, self.new):
            sub = f.figure()
            canvas = FigureCanvasAgg(sub)
            canvas.draw()
            imgs.append(np.asarray(canvas.buffer_rgba()).copy())
        w = max(i.shape[1] for i in imgs)
        band = 180                                          # pixels
        h_old, h_new = imgs[0].shape[0], imgs[1].shape[0]
        H = h_old + band + h_new
        fig = new_figure(w / 100, H / 100)
        ax = fig.add_axes([0, 0, 1, 1])
        ax.set_axis_off()
        ax.imshow(imgs[1], extent=(0, imgs[1].shape[1], 0, h_new), interpolation="nearest")
        ax.imshow(imgs[0], extent=(0, imgs[0].shape[1], h_new + band, H), interpolation="nearest")
        ax.set_xlim(0, w)
        ax.set_ylim(0, H)
        # the band: new states in their diagram's order, each old state above its namesake
        new_row = list(self.new.states)
        extra = [s for s in self.old.states if s not in new_row]
        slots = new_row + extra
        xs = {s: w * (i + 0.5) / len(slots) for i, s in enumerate(slots)}
        y_top, y_bot = h_new + band - 58, h_new + 28
        blue, orange = OKABE_ITO["blue"], OKABE_ITO["orange"]
        box = dict(boxstyle="round,pad=0.3", fc="white", ec=blue, lw=1.2)
        for s in self.old.states:
            ax.text(xs[s], y_top, fmt_term(s, 14), ha="center", va="center", fontsize=9, bbox=box)
        for s in new_row:
            ax.text(xs[s], y_bot, fmt_term(s, 14), ha="center", va="center", fontsize=9, bbox=box)
        for a, b in self.mapping.items():
            moved = a != b
            col = orange if moved else "#999999"
            ax.add_patch(FancyArrowPatch((xs[a], y_top - 14), (xs[b], y_bot + 14), arrowstyle="-|>",
                                         mutation_scale=14, color=col, lw=2.0 if moved else 1.2,
                                         shrinkA=0, shrinkB=0))
            if a in self.notes:
                ax.text((xs[a] + xs[b]) / 2, (y_top + y_bot) / 2, self.notes[a], ha="center", va="center",
                        fontsize=8, color=col, bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
        ax.text(w / 2, h_new + band - 18, self.title, ha="center", va="center", fontsize=10, color="#333333")
        return fig


class _Union:
    """The new machine's states, then those only the old one has: the shared circle."""

    def __init__(self, new, old):
        self.STATES = list(new.states) + [s for s in old.states if s not in new.states]
        self.TRANSITIONS = []


def fsm_upgrade(old, new, mapping=None, title=None, notes=None):
    """Old and new diagrams with one layout, and ``mapping`` {old_state: new_state} between them."""
    return FsmUpgrade(old, new, mapping, title, notes)
