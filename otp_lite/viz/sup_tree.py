"""Supervision trees: who supervises whom, what is running, what restarted.

``viz.sup_tree(sup_or_trace, upto_seq=None)`` reads the supervisor events of
the trace bus (book ch. 8)::

    sup_start(pid=sup, name, strategy, intensity, period)
    sup_child(pid=sup, id, event, child, reason)   event: started | terminated |
                                                   restarting | restarted |
                                                   start_failed | deleted
    sup_shutdown(pid=sup, reason)                  intensity reached

and, for a live supervisor, ``supervisor.peek_children(sup)`` for the
structure as it is now: what ``which_children`` answers, read without a
message, so that looking changes nothing the learner sees.

``simple_one_for_one`` children have no id of their own (``which_children``
says ``undefined``): they are keyed by the pid they first had and labelled
by their current pid, in start order; past ``max_children`` (12) the rest
collapse into one ``+N more`` node in the figure.

Each supervisor shows its strategy, ``intensity/period`` and the restart
budget left in the current period (OTP counts restarts ``R`` with
``Now - T < Period`` and shuts the supervisor down when ``R > intensity``).
Each child shows its restart count.  Status colours (Okabe-Ito):
running = bluish green, restarting = orange, dead = vermillion.
"""
from __future__ import annotations

from ._common import (FigureMixin, STATUS_COLOURS, OKABE_ITO, events_of, new_figure,
                      Names, fmt_term)


class Node:
    __slots__ = ("key", "id", "pid", "kind", "status", "restarts", "children", "strategy",
                 "intensity", "period", "restart_times", "reason", "name", "flash", "more", "dynamic")

    def __init__(self, key, id, pid, kind="worker"):
        self.key = key
        self.id = id
        self.pid = pid
        self.kind = kind
        self.status = "running"
        self.restarts = 0
        self.children = []
        self.strategy = None
        self.intensity = None
        self.period = None
        self.restart_times = []
        self.reason = None
        self.name = None
        self.flash = False
        self.more = 0           # a collapsed "+N more" node stands for this many
        self.dynamic = False    # a simple_one_for_one child: no id, labelled by pid


class _Child:
    __slots__ = ("id", "pid", "status", "restarts", "type", "reason", "attempt", "last_t")

    def __init__(self, id):
        self.id = id
        self.pid = None
        self.status = "running"
        self.restarts = 0
        self.type = None
        self.reason = None
        self.attempt = False
        self.last_t = None


class _Sup:
    __slots__ = ("pid", "name", "strategy", "intensity", "period", "children", "restart_times",
                 "status", "reason", "ever", "owner")

    def __init__(self, pid):
        self.pid = pid
        self.name = None
        self.strategy = None
        self.intensity = None
        self.period = None
        self.children = {}        # id -> _Child, in start order
        self.restart_times = []
        self.status = "running"
        self.reason = None


def _fold(evs):
    """Replay supervisor events: {sup pid: _Sup}."""
    sups = {}
    owner = {}                    # child pid -> (sup, id)
    for e in evs:
        k = e["kind"]
        if k == "sup_start":
            s = sups[e["pid"]] = _Sup(e["pid"])
            s.name = e.get("name")
            s.strategy = e.get("strategy")
            s.intensity = e.get("intensity")
            s.period = e.get("period")
        elif k == "sup_child":
            s = sups.get(e["pid"])
            if s is None:
                s = sups[e["pid"]] = _Sup(e["pid"])
            cid, ev, child = e.get("id"), e.get("event"), e.get("child")
            c = s.children.get(cid)
            if c is None:
                if ev == "deleted":
                    continue
                c = s.children[cid] = _Child(cid)
            if e.get("type"):
                c.type = e["type"]
            if ev == "started":
                c.pid, c.status = child, "running"
            elif ev == "terminated":
                c.status, c.reason = "dead", e.get("reason")
            elif ev == "restarting":
                c.status = "restarting"
                c.attempt = True
                s.restart_times.append(e["t"])
            elif ev == "restarted":
                if not c.attempt:
                    s.restart_times.append(e["t"])
                c.attempt = False
                c.pid, c.status = child, "running"
                c.restarts += 1
                c.last_t = e["t"]
            elif ev == "start_failed":
                c.status, c.reason = "dead", e.get("reason")
            elif ev == "deleted":
                del s.children[cid]
                continue
            if c.pid is not None and not _is_atom(c.pid):
                owner[c.pid] = (s, cid)
        elif k == "sup_shutdown":
            s = sups.get(e["pid"])
            if s is not None:
                s.status, s.reason = "dead", e.get("reason")
        elif k == "exit":
            p = e["pid"]
            s = sups.get(p)
            if s is not None:
                s.status, s.reason = "dead", e.get("reason")
            o = owner.get(p)
            if o is not None:
                c = o[0].children.get(o[1])
                if c is not None and c.pid == p and c.status == "running":
                    c.status, c.reason = "dead", e.get("reason")
    sups_ever_children = set(owner)
    for s in sups.values():
        s.ever = sups_ever_children
        s.owner = owner
    return sups


def _is_atom(x):
    return isinstance(x, str)


_ANN_SIZE = 7.5          # points: the strategy/budget text beside a supervisor
_ANN_OFFSET = 20         # points from the node's centre
_UNIT_IN = 1.8           # inches per unit of x in the figure (below its 16 in cap)


def _text_units(text):
    """How many x units the text beside a node takes, offset included, at the figure's scale."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path
    prop = FontProperties(size=_ANN_SIZE)
    w = max(text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0]
            for line in text.split("\n"))
    return (_ANN_OFFSET + w) / 72 / _UNIT_IN


def _budget(s, now):
    if s.intensity is None or s.period is None:
        return None
    window = s.period * 1000
    used = sum(1 for t in s.restart_times if now - t < window)
    return max(0, s.intensity - used)


class SupTree(FigureMixin):
    """A supervision tree at one moment: ``text()``, ``figure()``, ``live()``.

    ``roots`` is a list of :class:`Node`; ``graph`` a networkx DiGraph whose
    nodes are node keys (``node['kind']``, ``node['status']`` ...).
    """

    def __init__(self, source=None, upto_seq=None, max_children=12, _live_pid=None, _master=None):
        self.source = source
        self.upto_seq = upto_seq
        self.max_children = max_children
        evs = events_of(source, upto_seq)
        self.now = evs[-1]["t"] if evs else 0
        self.names = Names(evs)
        self.sups = _fold(evs)
        self.live_pid = _live_pid
        self.master = _master
        self.roots = self._build(_live_pid)
        if _master is not None:               # (app, master pid): the application master above the tree
            app, mpid = _master
            m = Node(f"master:{app}", None, mpid, "master")
            m.name = f"application_master ({app})"
            m.status = "running" if getattr(mpid, "alive", False) else "dead"
            m.children = self.roots
            for r in self.roots:                 # no trace to name the top supervisor: its registered name
                if r.name is None and getattr(r.pid, "alive", False):
                    from .. import erlang
                    rn = erlang.process_info(r.pid, "registered_name")
                    r.name = rn[1] if type(rn) is tuple and rn[1] != [] else None
            self.roots = [m]

    # ---------------------------------------------------------------- model
    def _build(self, root_pid):
        if root_pid is not None:
            return [self._node(root_pid, None, "supervisor", set())]
        children = next(iter(self.sups.values())).ever if self.sups else set()
        roots = [p for p in self.sups if p not in children]
        return [self._node(p, None, "supervisor", set()) for p in sorted(roots, key=lambda p: getattr(p, "num", 0))]

    def _node(self, pid, cid, kind, seen, parent=None):
        s = self.sups.get(pid)
        if s is not None or kind == "supervisor":
            kind = "supervisor"
        key = f"{parent!r}/{cid}" if cid is not None else repr(pid)
        n = Node(key, cid, pid, kind)
        n.name = self.names.names.get(pid) if pid is not None and not _is_atom(pid) else None
        if kind != "supervisor" or pid in seen:
            return n
        seen.add(pid)
        live = self._which_children(pid)
        if s is not None:
            n.strategy, n.intensity, n.period = s.strategy, s.intensity, s.period
            n.restart_times = s.restart_times
            n.status = s.status
            if not n.name:
                nm = s.name
                if isinstance(nm, tuple) and len(nm) == 2 and isinstance(nm[1], str):
                    nm = nm[1]                          # ('local', name)
                n.name = nm if isinstance(nm, str) else None
        if live is not None:
            recs = s.children if s is not None else {}
            owner = getattr(s, "owner", None) or {}
            live = list(reversed(live))                          # which_children is newest first
            dyn, static = [], []
            for x in live:
                (dyn if x[0] == "undefined" and not _is_atom(x[1]) else static).append(x)
            if dyn:                 # simple_one_for_one: key by the first pid (the trace's id), start order
                tid = {x[1]: (owner[x[1]][1] if x[1] in owner and owner[x[1]][0] is s else x[1]) for x in dyn}
                dyn.sort(key=lambda x: getattr(tid[x[1]], "num", 0))
                live = static + dyn             # (was a list search per child: 4k children, 1.7 s)
            for (cid2, cpid, ctype, _mods) in live:
                dynamic = cid2 == "undefined" and not _is_atom(cpid)
                if dynamic:
                    cid2 = tid[cpid]
                c = recs.get(cid2)
                ch = (self._node(cpid, cid2, ctype, seen, pid) if not _is_atom(cpid)
                      else Node(f"{pid!r}/{cid2}", cid2, cpid, ctype))
                ch.dynamic = dynamic
                ch.status = ("restarting" if cpid == "restarting" else
                             "dead" if _is_atom(cpid) else
                             "running" if getattr(cpid, "alive", True) else "dead")
                if c is not None:
                    ch.restarts = c.restarts
                    ch.reason = c.reason
                n.children.append(ch)
        elif s is not None:
            for c in s.children.values():
                ctype = c.type or ("supervisor" if c.pid in self.sups else "worker")
                if c.pid is None or _is_atom(c.pid):
                    ch = Node(f"{pid!r}/{c.id}", c.id, c.pid, ctype)
                else:
                    ch = self._node(c.pid, c.id, ctype, seen, pid)
                ch.dynamic = s.strategy == "simple_one_for_one"       # id = its first pid
                if ch.kind != "supervisor" or ch.status == "running":
                    ch.status = c.status
                ch.restarts = c.restarts
                ch.reason = c.reason
                n.children.append(ch)
        return n

    def _which_children(self, pid):
        if self.upto_seq is not None or self.source is not None or not getattr(pid, "alive", False):
            return None
        try:
            from otp_lite import supervisor
        except Exception:       # noqa: BLE001 - no supervisor module yet
            return None
        kids = supervisor.peek_children(pid)     # read, not asked: no message, no trace event
        return list(kids) if kids is not None else None

    def budget(self, node):
        """Restarts the supervisor ``node`` may still make in its current period."""
        s = _Sup(node.pid)
        s.intensity, s.period, s.restart_times = node.intensity, node.period, node.restart_times
        return _budget(s, self.now)

    def walk(self):
        """Every node, depth first, with its depth."""
        stack = [(r, 0) for r in reversed(self.roots)]
        while stack:
            n, d = stack.pop()
            yield n, d
            for c in reversed(n.children):
                stack.append((c, d + 1))

    def label(self, n):
        if n.more:
            return f"+{n.more} more"
        if n.dynamic:                       # simple_one_for_one: no id, the pid says who it is
            p = n.pid if n.pid is not None and not _is_atom(n.pid) else n.id
            return fmt_term(p) if not n.name else f"{fmt_term(p)} ({n.name})"
        if n.id is not None and n.name and n.name != n.id:
            return f"{n.id} ({n.name})"
        return str(n.id if n.id is not None else (n.name or n.pid))

    # ---------------------------------------------------------------- text
    def text(self):
        if not self.roots:
            return "(no supervisor in the trace: is viz.record() on, and did a supervisor start?)"
        lines = []
        for r in self.roots:
            self._text(r, "", "", lines)
        from ._common import dropped_note
        note = dropped_note(self.source) if not isinstance(self.source, (list, tuple)) else ""
        if note:                        # restart counts only count what the recorder kept
            lines.append(note)
        return "\n".join(lines)

    def _text(self, n, first, rest, lines):
        pid = "" if n.pid is None or (n.dynamic and not _is_atom(n.pid)) else f" {fmt_term(n.pid)}"
        s = f"{first}{self.label(n)}{pid} {n.kind} [{n.status}]"
        if n.kind == "supervisor" and n.strategy is not None:
            s += f" {n.strategy} {n.intensity}/{n.period}s"
            b = self.budget(n)
            if b is not None:
                s += f" budget {b}/{n.intensity}"
        if n.id is not None:
            s += f" restarts {n.restarts}"
        lines.append(s)
        for i, c in enumerate(n.children):
            last = i == len(n.children) - 1
            self._text(c, rest + ("└─ " if last else "├─ "), rest + ("   " if last else "│  "), lines)

    # ---------------------------------------------------------------- figure
    def graph(self):
        """networkx DiGraph of the (collapsed) tree with positions in ``pos``."""
        import networkx as nx
        g = nx.DiGraph()
        pos = {}
        x = [0]
        right = [0.0]

        def place(n, depth):
            kids = list(n.children)
            if len(kids) > self.max_children:
                keep = kids[: self.max_children - 1]
                rest = kids[self.max_children - 1:]
                m = Node(f"more@{n.key}", None, None, "worker")
                m.more = len(rest)
                m.status = "running" if all(c.status == "running" for c in rest) else "restarting"
                m.restarts = sum(c.restarts for c in rest)
                kids = keep + [m]
            g.add_node(n.key, node=n, kind=n.kind, status=n.status, restarts=n.restarts)
            if not kids:
                pos[n.key] = (x[0], -depth)
                x[0] += 1
            else:
                xs = []
                for c in kids:
                    place(c, depth + 1)
                    g.add_edge(n.key, c.key)
                    xs.append(pos[c.key][0])
                pos[n.key] = ((xs[0] + xs[-1]) / 2, -depth)
            px = pos[n.key][0]
            right[0] = max(right[0], px + 0.8)
            if n.kind == "supervisor" and n.strategy is not None:
                # the strategy and budget are written to the node's right: whatever comes next
                # on this row (a sibling, a cousin) starts after the text, not under it
                w = _text_units(self.annotation(n, widest=True))     # the same room at any budget
                x[0] = max(x[0], px + w + 0.35)
                right[0] = max(right[0], px + w + 0.15)
        for r in self.roots:
            place(r, 0)
            x[0] += 0.5
        g.graph["pos"] = pos
        g.graph["right"] = right[0]
        return g

    def annotation(self, n, widest=False):
        """The text beside a supervisor in the figure: strategy, intensity, budget left
        (``widest``: with a full budget, which no budget outgrows, for the layout)."""
        b = n.intensity if widest else self.budget(n)
        return f"{n.strategy}\n{n.intensity} in {n.period}s, budget {b}/{n.intensity}"

    def figure(self, g=None, frame=0):
        import networkx as nx
        from matplotlib.lines import Line2D
        g = g if g is not None else self.graph()
        pos = g.graph["pos"]
        left = min((p[0] for p in pos.values()), default=0) - 0.6
        right = g.graph.get("right", max((p[0] for p in pos.values()), default=0) + 0.8)
        width = max(1.0, right - left)
        depth = max(1, -min((p[1] for p in pos.values()), default=0) + 1)
        fig = new_figure(min(16, max(5.5, _UNIT_IN * width)), min(10, 1.0 + 1.3 * depth))
        ax = fig.add_axes([0.02, 0.1, 0.96, 0.86])
        ax.set_axis_off()
        fig.graph = g
        if not g:
            ax.text(0.5, 0.5, "no supervisor in the trace", ha="center", va="center", transform=ax.transAxes)
            return fig
        from matplotlib.collections import LineCollection
        segs = []
        for a, b in g.edges():
            (px, py), (cx, cy) = pos[a], pos[b]
            mid = py - 0.62
            segs.append([(px, py - 0.47), (px, mid), (cx, mid), (cx, cy + 0.14)])
        ax.add_collection(LineCollection(segs, colors="#888888", linewidths=1.2, zorder=0))
        for kind, shape, size in (("master", "D", 800), ("supervisor", "s", 900), ("worker", "o", 700)):
            nodes = [k for k, d in g.nodes(data=True) if d["kind"] == kind]
            if nodes:
                nx.draw_networkx_nodes(
                    g, pos, nodelist=nodes, ax=ax, node_shape=shape, node_size=size,
                    node_color=[STATUS_COLOURS.get(g.nodes[k]["status"], OKABE_ITO["grey"]) for k in nodes],
                    edgecolors="#222222", linewidths=1.2)
        flashing = [k for k, d in g.nodes(data=True) if d["node"].flash]
        if flashing:
            ring = 1400 + 500 * (frame % 3)
            nx.draw_networkx_nodes(g, pos, nodelist=flashing, ax=ax, node_size=ring, node_color="none",
                                   edgecolors=OKABE_ITO["orange"], linewidths=3)
        for k, d in g.nodes(data=True):
            n = d["node"]
            x, y = pos[k]
            ax.text(x, y - 0.2, self.label(n), ha="center", va="top", fontsize=9, fontweight="bold")
            sub = []
            if n.pid is not None and not (n.dynamic and not _is_atom(n.pid)):
                sub.append(fmt_term(n.pid))
            if n.id is not None or n.more:
                sub.append(f"\u21bb{n.restarts}")
            if n.status != "running":
                sub.append(n.status)
            ax.text(x, y - 0.33, "  ".join(sub), ha="center", va="top", fontsize=8, color="#333333")
            if n.kind == "supervisor" and n.strategy is not None:
                ax.annotate(self.annotation(n), xy=(x, y), xytext=(_ANN_OFFSET, 0), textcoords="offset points",
                            ha="left", va="center", fontsize=_ANN_SIZE, color=OKABE_ITO["blue"], linespacing=1.3)
            if n.more:
                ax.text(x, y, "\u2026", ha="center", va="center", fontsize=12, color="white")
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        ax.set_xlim(left, right)
        ax.set_ylim(min(ys) - 0.55, max(ys) + 0.25)
        handles = [Line2D([], [], marker="D", ls="", color="#bbbbbb", mec="#222222", ms=9, label="application master")
                   for _ in range(any(d["kind"] == "master" for _k, d in g.nodes(data=True)))]
        handles += [Line2D([], [], marker="s", ls="", color="#bbbbbb", mec="#222222", ms=10, label="supervisor"),
                   Line2D([], [], marker="o", ls="", color="#bbbbbb", mec="#222222", ms=10, label="worker")]
        handles += [Line2D([], [], marker="o", ls="", color=c, mec="#222222", ms=10, label=s)
                    for s, c in STATUS_COLOURS.items() if s != "undefined"]
        fig.legend(handles=handles, loc="lower center", ncol=len(handles) if len(handles) <= 5 else 3, frameon=False, fontsize=8)
        return fig

    def live(self):
        from .sup_live import SupTreeLive
        return SupTreeLive(self)


def sup_tree(sup_or_trace=None, upto_seq=None, max_children=12, application=None):
    """The supervision tree of a live supervisor pid, or of every root in a trace.

    ``sup_or_trace``: a supervisor pid (or registered name), a Recorder, a
    list of events, a JSON path, a Player, or ``None`` (the viz recorder).
    ``application='bsc'`` (instead): the running application's tree, with its
    application master drawn as the root above the top supervisor (a diamond).
    OTP has two processes there (``application_master:init/4``, the group
    leader, and the ``start_it/4`` helper linked to the top supervisor);
    otp_lite's one master process does both.
    """
    from ..kernel.process import Pid
    from ..kernel.trace import PidStub
    if application is not None:
        from .. import application as _app
        top = _app.get_supervisor(application)
        if top == "undefined":
            from ..erlang import ErlangError
            raise ErlangError("badarg", f"sup_tree: {application!r} is not a running application with a top supervisor")
        return SupTree(None, upto_seq, max_children, _live_pid=top[1], _master=(application, top[1].group_leader))
    pid = None
    src = sup_or_trace
    if isinstance(sup_or_trace, str) and not sup_or_trace.endswith(".json"):
        from .. import erlang
        pid = erlang.whereis(sup_or_trace)
        if pid == "undefined":
            from ..erlang import ErlangError
            raise ErlangError("badarg", f"sup_tree: no process is registered as {sup_or_trace!r}")
        src = None
    elif isinstance(sup_or_trace, (Pid, PidStub)):
        pid, src = sup_or_trace, None
    return SupTree(src, upto_seq, max_children, _live_pid=pid)
