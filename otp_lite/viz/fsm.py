"""State diagrams of finite state machines (book ch. 6): declared and observed.

``viz.fsm(pid_or_module_or_trace, upto_seq=None, trace=None)``:

* a *module* (any callback namespace) may declare its graph::

      STATES = ['selection', 'payment', 'remove']
      TRANSITIONS = [('selection', 'payment', 'tea'), ('payment', 'remove', 'pay'), ...]

* the trace adds what really happened: ``gen_statem`` and ``gen_fsm`` emit
  ``state(pid, module, old, new, event=(type, content))`` for every event
  they consume (``old`` is ``None`` for the initial state).  Each edge shows
  how often it was taken; taken edges that were not declared are drawn
  dashed, declared edges never taken grey and dotted.  Between the same two
  states each kind gets its own arrow (a never-taken ``cancel`` is not merged
  into a taken ``state_timeout``); labels of one kind share it.  The current state is
  highlighted (orange).

How an observed transition is labelled (declare ``TRANSITIONS`` with the same
labels, see :func:`event_label`):

* a *timeout* by its event **type**: ``'state_timeout'``, ``'timeout'`` (the
  event timeout, and gen_fsm's ``T``), ``{timeout,Name}`` (a generic one),
  whatever its content (``('state_timeout', 'refund')`` -> ``state_timeout``);
* any other event (cast, call, info, internal) by its **content**: an atom
  as is, a tuple by its first atom (``('cast', ('pay', 50))`` -> ``pay``).

An event that keeps the state (a self-loop) counts only under its own label:
an ignored ``poke`` is a ``payment --poke--> payment`` edge of its own (not
declared, so dashed), never the declared ``pay`` loop.  A change of state
whose label was not declared falls back to the one declared edge between the
two states, if there is exactly one.

A pid shows that machine; a module shows its newest instance in the trace; a
trace (Recorder, events, JSON path, Player) shows its busiest machine.

Two versions of one machine (book ch. 12): ``fsm(v1_0, layout_like=v1_1)``
draws 1.0 with 1.1's positions, so each shared state stays in place;
``viz.fsm_upgrade(old, new, mapping)`` (otp_lite.viz.fsm_upgrade) draws both
and which old state becomes which new one.
"""
from __future__ import annotations

import types

from .._statem_report import event_label   # the one labelling rule: the behaviour owns it
from ._common import FigureMixin, OKABE_ITO, events_of, fmt_term, new_figure, Names


def _is_pid(x):
    from ..kernel.process import Pid
    from ..kernel.trace import PidStub
    return isinstance(x, (Pid, PidStub))


def _is_source(x):
    from ..kernel.trace import Recorder
    return (x is None or isinstance(x, (Recorder, list)) or (isinstance(x, str) and x.endswith(".json"))
            or (hasattr(x, "events") and hasattr(x, "upto_seq")))


def _mod_name(m):
    """'coffee_fsm' for a module, a class, a name, or their repr read back from JSON."""
    import re
    if m is None:
        return None
    if not isinstance(m, str):
        m = getattr(m, "__name__", None) or repr(m)
    r = re.match(r"<(?:class|module) '([^']+)'", m)
    if r:
        m = r.group(1)
    return m.rsplit(".", 1)[-1]


class Fsm(FigureMixin):
    """A state machine at one moment: ``states``, ``edges`` {(a, b, label): count}, ``current``."""

    def __init__(self, target=None, upto_seq=None, trace=None, layout_like=None):
        self.layout_like = layout_like
        module = None
        pid = None
        src = trace
        if _is_pid(target):
            pid = target
        elif isinstance(target, (types.ModuleType, type)) or hasattr(target, "TRANSITIONS") or (
                isinstance(target, str) and not target.endswith(".json")):
            module = target
        elif _is_source(target):
            src = target
        else:
            raise TypeError(f"viz.fsm takes a pid, a callback module or a trace, not {target!r}")
        self.upto_seq = upto_seq
        evs = events_of(src, upto_seq)
        self.names = Names(evs)
        states = [e for e in evs if e["kind"] == "state"]
        mname = _mod_name(module)
        if pid is None:
            if module is not None:
                mine = [e for e in states if e.get("module") is module or _mod_name(e.get("module")) == mname]
                pid = mine[-1]["pid"] if mine else None
            elif states:
                count = {}
                for e in states:
                    count[e["pid"]] = count.get(e["pid"], 0) + 1
                pid = max(count, key=lambda p: (count[p], -getattr(p, "num", 0)))
        mine = [e for e in states if e["pid"] == pid] if pid is not None else []
        if module is None and mine:
            module = mine[-1].get("module")
        self.pid, self.module = pid, module
        self.module_name = _mod_name(module) or "fsm"
        declared_states = list(getattr(module, "STATES", []) or [])
        declared = [tuple(t) for t in (getattr(module, "TRANSITIONS", []) or [])]
        self.states = list(declared_states)
        for a, b, _l in declared:
            for s in (a, b):
                if s not in self.states:
                    self.states.append(s)
        self.edges = {t: 0 for t in declared}
        self.declared = set(declared)
        self.initial = None
        self.current = None
        self.transitions = 0
        for e in mine:
            old, new = e.get("old"), e.get("new")
            for s in (old, new):
                if s is not None and s not in self.states:
                    self.states.append(s)
            self.current = new
            if old is None:
                self.initial = new
                continue
            self.transitions += 1
            lbl = event_label(e.get("event"))
            key = (old, new, lbl)
            if key not in self.edges and old != new:    # a self-loop counts only under its own label
                same = [t for t in declared if t[0] == old and t[1] == new]
                if len(same) == 1:
                    key = same[0]
            self.edges[key] = self.edges.get(key, 0) + 1
        self.postponed = sum(1 for e in evs if e["kind"] == "postpone" and e.get("pid") == pid)
        if self.initial is None and declared_states:
            self.initial = declared_states[0]

    # ---------------------------------------------------------------- text
    def text(self):
        who = self.module_name + (f" {fmt_term(self.pid)}" if self.pid is not None else "")
        cur = fmt_term(self.current) if self.current is not None else "(not started)"
        lines = [f"{who}  state: {cur}  transitions: {self.transitions}"]
        if not self.states:
            return lines[0] + "\n  (no states: declare STATES/TRANSITIONS or record state events)"
        for (a, b, lbl), n in self.edges.items():
            tag = "" if (a, b, lbl) in self.declared else "  (not declared)"
            lines.append(f"  {fmt_term(a)} --{fmt_term(lbl)}--> {fmt_term(b)}  x{n}{tag}")
        return "\n".join(lines)

    # ---------------------------------------------------------------- figure
    def graph(self):
        """A ``networkx.MultiDiGraph``: one edge per (from, to, kind), keyed by its kind.

        ``kind`` is ``'taken'`` (declared and taken), ``'undeclared'`` (taken, not
        declared) or ``'never'`` (declared, never taken); the labels of one kind
        between the same two states share an arrow, each with its own count, but
        a never-taken edge is never merged into a taken one.
        """
        import networkx as nx
        g = nx.MultiDiGraph()
        for s in self.states:
            g.add_node(s, current=s == self.current, initial=s == self.initial)
        for (a, b, lbl), n in self.edges.items():
            kind = "never" if n == 0 else "taken" if (a, b, lbl) in self.declared else "undeclared"
            if g.has_edge(a, b, kind):
                d = g.edges[a, b, kind]
                d["labels"].append((lbl, n))
                d["count"] += n
            else:
                g.add_edge(a, b, key=kind, labels=[(lbl, n)], count=n, kind=kind)
        return g

    def _routes(self, g):
        """Where each edge goes: a self-loop's outward direction, or a straight/curved arc's ``rad``."""
        import math
        pos = self._pos
        n = len(g)
        routes = {}
        for a in g:
            for b in g[a]:
                kinds = sorted(g[a][b], key=_KINDS.index)
                if a == b:                          # loops fan out around the node's outer side
                    x, y = pos[a]
                    r = math.hypot(x, y) or 1.0
                    base = math.atan2(y / r, x / r) if n > 1 else math.pi / 2
                    for i, k in enumerate(kinds):
                        t = base + _LOOP_SPREAD * ((i + 1) // 2) * (1 if i % 2 else -1)
                        routes[a, b, k] = ("loop", math.cos(t), math.sin(t))
                    continue
                back = g.has_edge(b, a)
                for i, k in enumerate(kinds):
                    if back:                        # the reverse edge curves the other way
                        rad = 0.25 + 0.3 * i
                    else:
                        rad = 0.3 * ((i + 1) // 2) * (1 if i % 2 else -1)
                    routes[a, b, k] = ("arc", rad)
        return routes

    def figure(self):
        import networkx as nx
        import math
        g = self.graph()
        n = len(g)
        pos = self.layout()
        self._pos = pos
        routes = self._routes(g)
        # the figure is as tall as the states need (same scale on both axes, so loops
        # stay round): a margin around the nodes and their self-loops, no empty bands
        xlim = (-1.6, 1.6)
        ys = [y for _x, y in pos.values()] or [0.0]
        lo, hi = min(ys) - _MARGIN, max(ys) + _MARGIN
        for (a, b, _k), route in routes.items():
            if route[0] == "loop":                  # a self-loop, outside the node
                cy = pos[a][1] + route[2] * 0.27
                lo, hi = min(lo, cy - 0.2), max(hi, cy + 0.2)
            elif route[1]:                          # a curved edge (arc3): its apex and label
                (x1, y1), (x2, y2) = pos[a], pos[b]
                apex = (y1 + y2) / 2 - route[1] * (x2 - x1) / 2
                lo, hi = min(lo, apex - 0.15), max(hi, apex + 0.15)
        width, top, bottom = 7.0, 0.45, 0.3                 # inches: title above, legend below
        ax_h = (hi - lo) * (0.96 * width) / (xlim[1] - xlim[0])
        height = max(2.4, ax_h + top + bottom)
        fig = new_figure(width, height)
        ax = fig.add_axes([0.02, bottom / height, 0.96, ax_h / height])
        ax.set_axis_off()
        fig.graph, fig.layout = g, pos
        title = f"{self.module_name}" + (f" {fmt_term(self.pid)}" if self.pid is not None else "")
        fig.suptitle(f"{title}: state {fmt_term(self.current) if self.current is not None else '-'}"
                     f", {self.transitions} transitions", fontsize=10)
        if not g:
            ax.text(0.5, 0.5, "no states yet", ha="center", va="center", transform=ax.transAxes)
            return fig
        blue, orange, grey = OKABE_ITO["blue"], OKABE_ITO["orange"], "#999999"
        from matplotlib.patches import Circle
        for (a, b, k, d) in g.edges(keys=True, data=True):
            col = grey if k == "never" else blue
            style = {"taken": "solid", "undeclared": "dashed", "never": "dotted"}[k]
            width = 1.2 + min(3.0, d["count"] * 0.4)
            lbl = ", ".join(fmt_term(l, 14) + (f" \u00d7{c}" if c else "") for l, c in d["labels"])
            route = routes[a, b, k]
            if route[0] == "loop":                  # a small loop on the outer side of the node
                x, y = pos[a]
                ux, uy = route[1], route[2]
                cx, cy = x + ux * 0.27, y + uy * 0.27
                ax.add_patch(Circle((cx, cy), 0.12, fill=False, ec=col, lw=width, ls=style, zorder=1))
                ax.plot([cx + 0.12 * uy], [cy - 0.12 * ux], marker=(3, 0, math.degrees(math.atan2(uy, ux)) - 90),
                        color=col, ms=7, zorder=2)
                ax.text(cx + ux * 0.16, cy + uy * 0.16, lbl, ha="left" if ux > 0.3 else "right" if ux < -0.3 else "center",
                        va="bottom" if uy > -0.3 else "top", fontsize=8, color=col,
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
                continue
            one = nx.DiGraph([(a, b)])
            cs = f"arc3,rad={route[1]}"
            nx.draw_networkx_edges(one, pos, edgelist=[(a, b)], ax=ax, edge_color=col, style=style,
                                   width=width, arrowsize=16, node_size=2600, connectionstyle=cs)
            nx.draw_networkx_edge_labels(one, pos, edge_labels={(a, b): lbl}, ax=ax, font_size=8,
                                         font_color=col, connectionstyle=cs, rotate=False,
                                         bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
        colours = [orange if d["current"] else "white" for _s, d in g.nodes(data=True)]
        widths = [3.0 if d["initial"] else 1.5 for _s, d in g.nodes(data=True)]
        nx.draw_networkx_nodes(g, pos, ax=ax, node_size=2600, node_color=colours, edgecolors=blue,
                               linewidths=widths)
        nx.draw_networkx_labels(g, pos, labels={s: fmt_term(s, 14) for s in g}, ax=ax, font_size=9,
                                font_weight="bold")
        ax.set_xlim(*xlim)
        ax.set_ylim(lo, hi)
        _fit_texts(fig, ax)
        fig.text(0.01, 0.01, "orange: current state   thick ring: initial   blue: taken \u00d7n"
                 "   dashed: taken but not declared   grey dotted: declared, never taken",
                 fontsize=7, color="#555555")
        return fig

    def layout(self):
        """State -> (x, y): the states on a circle in declaration order; with ``layout_like``,
        on the other machine's circle (its states first, then ours), so that two versions
        of a machine keep every shared state in the same place."""
        order = [s for s in self.states]
        if self.layout_like is not None:
            other = self.layout_like if isinstance(self.layout_like, Fsm) else Fsm(self.layout_like)
            order = list(other.states) + [s for s in order if s not in other.states]
        return _circle(order, keep=set(self.states))

    def live(self, events=None):
        """A live diagram with one button per entry of ``events`` ({label: callable})."""
        from .fsm_live import FsmLive
        return FsmLive(self, events or {})


_MARGIN = 0.3       # data units above and below the node centres (a node's radius is ~0.17)
_KINDS = ["taken", "undeclared", "never"]       # the order parallel edges are laid out in
_LOOP_SPREAD = 1.1                              # radians between two self-loops on one node


def _circle(order, keep):
    """Positions of ``order`` on a unit circle (clockwise from the top; two side by side, one
    in the middle), restricted to the states in ``keep``."""
    import math
    n = len(order)
    if n == 1:
        pos = {order[0]: (0.0, 0.0)}
    elif n == 2:
        pos = {order[0]: (-1.0, 0.0), order[1]: (1.0, 0.0)}
    else:
        pos = {s: (math.sin(2 * math.pi * i / n), math.cos(2 * math.pi * i / n)) for i, s in enumerate(order)}
    return {s: p for s, p in pos.items() if s in keep}


def _fit_texts(fig, ax, pad=4.0, rounds=5):
    """Widen the axes limits until every label of ``ax`` lies inside it.

    Labels have a fixed size in pixels while their anchors are in data
    coordinates, so a long self-loop label on a left-hand node would stick
    out of the axes (and be cut off by the canvas).  Each round measures the
    overflow in pixels and widens that side by as much in data units; the
    scale shrinks as the limits grow, so a few rounds converge.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(fig)
    r = canvas.get_renderer()
    for _ in range(rounds):
        canvas.draw()               # networkx places curved-edge labels at draw time
        a = ax.get_window_extent(r)
        need = [0.0, 0.0, 0.0, 0.0]                 # pixels missing: left, right, bottom, top
        for t in ax.texts:
            if t.get_visible() and t.get_text().strip():
                b = t.get_window_extent(r)
                need = [max(need[0], a.x0 + pad - b.x0), max(need[1], b.x1 - (a.x1 - pad)),
                        max(need[2], a.y0 + pad - b.y0), max(need[3], b.y1 - (a.y1 - pad))]
        if max(need) <= 0.5:
            return
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        sx, sy = 1.2 * (x1 - x0) / a.width, 1.2 * (y1 - y0) / a.height
        ax.set_xlim(x0 - need[0] * sx, x1 + need[1] * sx)
        ax.set_ylim(y0 - need[2] * sy, y1 + need[3] * sy)


def fsm(pid_or_module_or_trace=None, upto_seq=None, trace=None, layout_like=None):
    """The state diagram of a state machine (see module docstring); ``layout_like`` (another
    machine, or its Fsm) puts the shared states where that machine's diagram has them."""
    return Fsm(pid_or_module_or_trace, upto_seq, trace, layout_like)
