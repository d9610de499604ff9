"""An event manager and the handlers inside it (book ch. 7).

``viz.event_manager(m, event=None)``: the manager ``m`` (a pid or a locally
registered name) as one box, one process, with its handlers inside, in the
order a ``notify`` calls them (the newest first, as OTP's ``gen_event`` and
``which_handlers``), each with its state.  With ``event=``, an arrow brings
that event into the manager and numbered arrows hand it to each handler's
``handle_event``: the handlers run one after the other in the manager's
process, so no message goes from the manager to a handler (a sequence chart
shows only the one message to the manager).

The handlers and their states are read with ``gen_event.peek_handlers``: no
message, no trace event, nothing the manager notices.  The view is the
moment it was made.
"""
from __future__ import annotations

from ._common import FigureMixin, OKABE_ITO, fmt_term, new_figure


def _hid(hid):
    """A handler id as Erlang prints it: ``freq_logger`` or ``{freq_logger,1}``."""
    def name(mod):
        n = mod if isinstance(mod, str) else getattr(mod, "__name__", None) or repr(mod)
        return n.rsplit(".", 1)[-1]
    if type(hid) is tuple and len(hid) == 2:
        return "{" + name(hid[0]) + "," + fmt_term(hid[1], 20) + "}"
    return name(hid)


class EventManager(FigureMixin):
    """``handlers`` [(id, state)], newest first; ``text()`` and ``figure()``."""

    def __init__(self, m, event=None, state_width=48):
        from .. import erlang, gen_event
        self.m, self.event, self.state_width = m, event, state_width
        self.pid = erlang.whereis(m) if isinstance(m, str) else m
        self.handlers = gen_event.peek_handlers(m)     # None: not a running event manager

    def _title(self):
        from ..kernel.process import Pid
        if isinstance(self.m, str):
            return f"{self.m} {fmt_term(self.pid)}" if isinstance(self.pid, Pid) else self.m
        return fmt_term(self.m)

    def text(self):
        if self.handlers is None:
            return f"{self._title()}: not a running event manager"
        n = len(self.handlers)
        lines = [f"event manager {self._title()}: {n} handler{'' if n == 1 else 's'}"
                 + (", called newest first, inside the manager's process" if n else "")]
        if self.event is not None and n:
            lines.append(f"  notify {fmt_term(self.event, 40)}:")
        for i, (hid, st) in enumerate(self.handlers, 1):
            call = f"handle_event({fmt_term(self.event, 20)}, State)  " if self.event is not None else ""
            lines.append(f"  {i}. {_hid(hid)}  {call}State = {fmt_term(st, self.state_width)}")
        return "\n".join(lines)

    def figure(self):
        from matplotlib.patches import FancyBboxPatch, FancyArrowPatch
        hs = self.handlers or []
        n = len(hs)
        row = 0.62                                  # inches per handler
        height = 1.25 + max(1, n) * row
        width = 7.0 if self.event is not None else 4.85     # room on the left for the event's arrow
        fig = new_figure(width, height)
        ax = fig.add_axes([0, 0, 1, 1])
        ax.set_xlim(0, width)
        ax.set_ylim(0, height)
        ax.set_axis_off()
        blue, orange, grey = OKABE_ITO["blue"], OKABE_ITO["orange"], "#555555"
        x0, x1 = width - 4.7, width - 0.15          # the manager's box
        top, bottom = height - 0.3, 0.3
        ax.add_patch(FancyBboxPatch((x0, bottom), x1 - x0, top - bottom, boxstyle="round,pad=0.02,rounding_size=0.12",
                                    fc="#f2f7fb", ec=blue, lw=1.5))
        if self.handlers is None:
            ax.text((x0 + x1) / 2, (top + bottom) / 2, "not a running event manager", ha="center", va="center",
                    fontsize=9, color=grey)
        ax.text(x0 + 0.12, top - 0.12, f"event manager {self._title()}: one process", ha="left", va="top",
                fontsize=9, fontweight="bold", color=blue)
        if self.handlers is not None and not n:
            ax.text((x0 + x1) / 2, (top + bottom) / 2 - 0.1, "no handlers: events are dropped", ha="center",
                    va="center", fontsize=8.5, color=grey)
        hx0, hx1 = x0 + 0.55, x1 - 0.15            # the handlers' boxes
        ys = [top - 0.62 - i * row for i in range(n)]
        for i, ((hid, st), y) in enumerate(zip(hs, ys), 1):
            ax.add_patch(FancyBboxPatch((hx0, y - 0.22), hx1 - hx0, 0.44, boxstyle="round,pad=0.01,rounding_size=0.06",
                                        fc="white", ec=blue, lw=1.0))
            ax.text(hx0 + 0.1, y + 0.08, f"{i}. {_hid(hid)}", ha="left", va="center", fontsize=8.5,
                    fontweight="bold", color="#000000")
            ax.text(hx0 + 0.1, y - 0.11, f"State = {fmt_term(st, self.state_width)}", ha="left", va="center",
                    fontsize=7.5, color=grey, family="monospace")
        if self.event is not None:
            ym = (ys[0] + ys[-1]) / 2 if n else (top + bottom) / 2
            dx = x0 + 0.25                          # where the manager takes the event
            ax.add_patch(FancyArrowPatch((0.15, ym), (dx, ym), arrowstyle="-|>", mutation_scale=12, color=blue, lw=1.4))
            ax.text(0.15, ym + 0.08, f"notify {fmt_term(self.event, 18)}", ha="left", va="bottom", fontsize=8,
                    color=blue)
            ax.text(0.15, ym - 0.08, "one message in", ha="left", va="top", fontsize=7, color=grey)
            for i, y in enumerate(ys, 1):
                ax.add_patch(FancyArrowPatch((dx, ym), (hx0, y), arrowstyle="-|>", mutation_scale=10, color=orange,
                                             lw=1.1, connectionstyle="arc3,rad=0"))
            if n:
                ax.text(hx0 - 0.04, bottom + 0.06, "handle_event in each, in turn: calls, not messages",
                        ha="left", va="bottom", fontsize=7, color=orange)
        return fig


def event_manager(m, event=None):
    """The event manager ``m`` with its handlers (see module docstring)."""
    return EventManager(m, event)
