"""A network timeline: one lifeline per node, one slanted arrow per inter-node message.

``viz.timeline(net=None, since=0, upto=None)`` (book ch. 13-14, the network of
:mod:`otp_lite.dist`): ``text()`` lists every entry of
the network log (send time, arrival time, pair, what, fate); ``figure()`` draws
nodes as columns and time downwards, so latency is the slope of an arrow, a lost
message ends in a cross, and cuts / heals / node stops are marked on the lifelines.
A stopped node's lifeline ends at its stop (a black X, "stopped" beside it:
the nodedowns it causes are in ``text()``, not drawn); a node stopped before
``since`` is not drawn.  A lost message's cross sits half a lane from its
sender (never on a lane); labels start just right of the left lane, off the
crosses.
"""
from __future__ import annotations

from ._common import FigureMixin, OKABE_ITO, fmt_term, new_figure

_FATE_COLOUR = {"delivered": OKABE_ITO.get("blue", "#0072B2"),
                "in flight": OKABE_ITO.get("sky", "#56B4E9"),
                "lost": OKABE_ITO.get("vermillion", "#D55E00"),
                "dropped": OKABE_ITO.get("vermillion", "#D55E00")}
_EVENTS = ("connect", "partition", "heal", "node stopped", "stop", "net_tick_timeout",
           "disconnect")


class Timeline(FigureMixin):
    def __init__(self, net, since=0, upto=None):
        self.since = since
        self.rows = [tuple(r) for r in net.log
                     if r[0] >= since and (upto is None or r[0] <= upto)]
        # a stopped node's lane ends at its stop; one stopped before the window (and silent
        # since) is left out of the figure
        self.ends, gone = {}, set()
        for t0, _t1, a, b, what, _fate in net.log:
            if what == "stop" and type(what) is str:
                if t0 < since:
                    gone.add(a)
                elif a not in self.ends and (upto is None or t0 <= upto):
                    self.ends[a] = t0
            else:
                gone.discard(a)             # talking again after a stop: the node was restarted
                gone.discard(b)
        self.nodes = [n for n in sorted(net.index, key=net.index.get) if n not in gone]

    def line(self, r):
        t0, t1, a, b, what, fate = r
        if type(what) is str and what in _EVENTS:
            if what == "stop":
                return f"{t0:7.1f}ms  {a} stops (all its processes vanish)"
            return f"{t0:7.1f}ms  {a} -- {b} : {what}" + ("" if fate == what else f" ({fate})")
        arr = f"{t1:7.1f}ms" if t1 is not None else "      -  "
        return f"{t0:7.1f}ms -> {arr}  {a} -> {b} : {fmt_term(what, 50)}  [{fate}]"

    def text(self):
        if not self.rows:
            return "(no traffic between nodes)"
        return "\n".join(self.line(r) for r in self.rows)

    def figure(self):
        nodes = self.nodes
        x = {n: i for i, n in enumerate(nodes)}
        tmax = max([r[0] for r in self.rows] + [r[1] or 0 for r in self.rows] + [1])
        fig = new_figure(1.8 + 2.2 * len(nodes), 4.5)
        ax = fig.add_subplot(1, 1, 1)
        for n in nodes:
            ax.plot([x[n], x[n]], [self.since, self.ends.get(n, tmax * 1.05)], color="#999999", lw=1,
                    zorder=0)

        def label_at(a, b):                 # just right of the left lane: off its stop X, and
            return min(x[a], x[b]) + 0.08   # off a lost message's x (half a lane from its sender)

        def cross_x(a, b):                  # half a lane towards the receiver: never on a lane
            return x[a] + (0.5 if x[b] > x[a] else -0.5)
        for t0, t1, a, b, what, fate in self.rows:
            if a not in x or b not in x:
                continue
            if type(what) is str and what in _EVENTS:
                mark = {"partition": ("|", "cut"), "heal": ("|", "heal"),
                        "stop": ("X", "stop")}.get(what)
                if what == "stop":          # the X, and its word beside it (never on it)
                    ax.plot([x[a]], [t0], "X", color="black", ms=12)
                    ax.annotate("stopped", (x[a], t0), xytext=(8, -4), textcoords="offset points",
                                fontsize=8, ha="left", va="top")
                elif what in ("partition", "heal"):
                    ax.plot([x[a], x[b]], [t0, t0], ls=":", color="black" if what == "heal" else "#D55E00")
                    ax.annotate(mark[1], (label_at(a, b), t0), fontsize=8, ha="left", va="bottom")
                elif fate == "nodedown" and what != "node stopped":   # a stop: its X says it
                    ax.plot([x[a], x[b]], [t0, t0], ls="--", color="#D55E00")
                    ax.annotate("nodedown", (label_at(a, b), t0), fontsize=8, ha="left", va="bottom")
                continue
            c = _FATE_COLOUR.get(fate, "#333333")
            if t1 is None or fate == "lost":        # never arrived: half way, then a cross
                tm = t0 if t1 is None else t0 + (t1 - t0) * 0.5 / abs(x[b] - x[a])
                ax.plot([x[a], cross_x(a, b)], [t0, tm], color=c, lw=1)
                ax.plot([cross_x(a, b)], [tm], "x", color=c, ms=8)
            else:
                ax.annotate("", xy=(x[b], t1), xytext=(x[a], t0),
                            arrowprops=dict(arrowstyle="->", color=c, lw=1))
        ax.set_xticks(range(len(nodes)))
        ax.set_xticklabels(nodes, fontsize=9)
        ax.set_xlim(-0.5, len(nodes) - 0.5)
        span = max(tmax - self.since, 1)
        ax.set_ylim(tmax + span * 0.05, self.since - span * 0.06)   # room for a label at the top
        ax.ticklabel_format(axis="y", style="plain", useOffset=False)
        ax.set_ylabel("virtual time (ms)")
        ax.set_title("messages between nodes (slope = latency, x = lost)")
        fig.tight_layout()
        return fig


def timeline(net=None, since=0, upto=None):
    """The network log of ``net`` (default: the current runtime's) as a :class:`Timeline`."""
    if net is None:
        from ..dist.net import _net
        net = _net()
    return Timeline(net, since, upto)
