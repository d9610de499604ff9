"""Message sequence charts: one lifeline per process, one arrow per message.

``viz.sequence(trace_or_recorder, pids=None, kinds=None, upto_seq=None)``.
Lifelines are named by registered name when the trace knows one; the shell
(the caller of ``runtime.reset()``: ``erlang.self()`` in a notebook cell) is
called ``shell``, its pid under the name.  Events are
drawn in causal (trace) order, top to bottom:

* ``send``: an arrow sender -> receiver (into the mailbox); a grey dashed one
  ending in the *dropped* glyph (a slashed circle, vermillion) if the receiver
  was dead, labelled ``(receiver dead)``, or for a late ``gen_server`` reply
  whose call already timed out, labelled ``(dropped: call over)`` (the event
  carries ``dropped='alias inactive'``: the alias is gone, the reply never
  lands); an exit is a black filled X, and a legend under the chart says which
  is which;
* ``receive``: a dot where the receiver takes the message, with a bar on its
  lifeline for the time the message *waited* in the mailbox; a *selective*
  receive (``index > 0``: older messages skipped) is an orange diamond;
* ``receive_timeout``, timer firings, ``EXIT`` / ``DOWN`` signals (vermillion),
  spawns (dotted, the new lifeline starts there), exits (a cross),
  ``gen_statem`` state changes and supervisor events (notes).

An ``otp_lite.explore`` result (``viz.sequence(explore.replay(test, sched))``,
or the :class:`~otp_lite.explore.Result` of ``explore.run``, replayed here)
draws the failing schedule with its choice points: a vermillion star on the
lifeline of the process chosen where the schedule departs from the plain
scheduler (``choice k``; ``timer first`` at a same-instant timer tie), a
hollow square on the process preempted there, and a small grey dot where a
choice point took the default; the legend names the three.

``highlight_last=True`` (the default of ``Player.sequence()``) marks the
latest event with a yellow band and a triangle: the player's current event.
With no event yet the figure says so.

Filters: ``pids`` (pids or registered names; events of others are dropped,
their other ends go to an ``others`` lifeline) and ``kinds`` (event kinds).
Level of detail: the figure shows at most ``max_rows`` events (the latest)
and ``max_lifelines`` lifelines (the busiest; the rest collapse into
``others``); the text form always lists every selected event.
"""
from __future__ import annotations

from ._common import (FigureMixin, OKABE_ITO, Names, dropped_note, events_of, fmt_mfa, fmt_term,
                      new_figure)

DEFAULT_SKIP = {"log"}
_LABEL_BOX = dict(boxstyle="square,pad=0.05", fc="white", ec="none", alpha=0.8)
DROPPED_GLYPH = r"$\oslash$"     # a message that never lands; an exit is a filled X


def _label_chars(inches):
    """How many characters of a 7 pt arrow label fit over an arrow ``inches`` long (at least 28)."""
    return max(28, int(inches * 17))


def _dropped_note(e):
    """Why a send was dropped on the way: a late reply to a call that is over."""
    why = e.get("dropped")
    return "dropped: call over" if why == "alias inactive" else f"dropped: {why}"


def _pids_of(e):
    k = e["kind"]
    if k in ("send", "exit_signal"):
        return (e.get("frm"), e.get("to"))
    if k == "spawn":
        return (e.get("parent"), e["pid"])
    if k in ("link", "unlink"):
        return (e.get("pid"), e.get("other"))
    if k == "monitor":
        return (e.get("pid"), e.get("target"))
    if k == "timer_fire" or k == "timer_start":
        d = e.get("dest")
        return (e.get("pid"), d if not isinstance(d, str) else None)
    return (e.get("pid"),)


class Sequence(FigureMixin):
    """A message sequence chart: ``rows`` (selected events), ``text()``, ``figure()``."""

    def __init__(self, source=None, pids=None, kinds=None, upto_seq=None,
                 max_rows=150, max_lifelines=24, highlight_last=False, choices=None):
        self.source, self.upto_seq = source, upto_seq
        self.choices = list(choices) if choices else []
        self.highlight_last = highlight_last
        self.max_rows, self.max_lifelines = max_rows, max_lifelines
        evs = events_of(source, upto_seq)
        self.events = evs
        self.names = Names(evs)
        self.mfa = {e["pid"]: e.get("mfa") for e in evs if e["kind"] == "spawn"}
        want = None
        if pids is not None:
            want = set()
            for p in ([pids] if not isinstance(pids, (list, tuple, set)) else pids):
                if isinstance(p, str):
                    want.update(q for q, n in self.names.names.items() if n == p or n.startswith(p + "("))
                else:
                    want.add(p)
        self.pids = want
        kinds = set(kinds) if kinds is not None else None
        rows = []
        for e in evs:
            k = e["kind"]
            if kinds is not None:
                if k not in kinds:
                    continue
            elif k in DEFAULT_SKIP:
                continue
            if want is not None and not any(p in want for p in _pids_of(e) if p is not None):
                continue
            rows.append(e)
        self.rows = rows

    # ---------------------------------------------------------------- text
    def line(self, e):
        L = self.names.label
        k = e["kind"]
        if k == "send":
            s = f"{L(e.get('frm'))} -> {L(e['to'])} : {fmt_term(e['msg'])}"
            if e.get("dead"):
                return s + "  (receiver dead: dropped)"
            return s + f"  ({_dropped_note(e)})" if e.get("dropped") else s
        if k == "receive":
            s = f"{L(e['pid'])} receives {fmt_term(e['msg'])}"
            i = e.get("index", 0)
            return s + f"  (selective: skipped {i} older)" if i else s
        if k == "receive_timeout":
            return f"{L(e['pid'])} receive timed out (after {e.get('after')})"
        if k == "spawn":
            par = e.get("parent")
            who = f"{L(par)} spawns" if par is not None else "start"
            return f"{who} {L(e['pid'])} {fmt_mfa(e.get('mfa'))}"
        if k == "exit":
            return f"{L(e['pid'])} exits: {fmt_term(e.get('reason'))}"
        if k == "exit_signal":
            return f"{L(e.get('frm'))} =EXIT=> {L(e['to'])} : {fmt_term(e.get('reason'))}"
        if k in ("link", "unlink"):
            return f"{L(e['pid'])} {k}s {L(e.get('other'))}"
        if k in ("monitor", "demonitor"):
            return f"{L(e['pid'])} {k}s {L(e.get('target'))} {fmt_term(e.get('ref'))}"
        if k == "register":
            return f"{e['pid']!r} registered as {e['name']}"
        if k == "unregister":
            return f"{e['pid']!r} unregistered {e.get('name')}"
        if k == "timer_start":
            return (f"{L(e.get('pid'))} starts timer {fmt_term(e.get('ref'))} ({e.get('after')} ms)"
                    f" -> {L(e.get('dest'))} : {fmt_term(e.get('msg'))}")
        if k == "timer_fire":
            return f"timer {fmt_term(e.get('ref'))} fires -> {L(e.get('dest'))} : {fmt_term(e.get('msg'))}"
        if k == "timer_cancel":
            return f"{L(e.get('pid'))} cancels timer {fmt_term(e.get('ref'))}"
        if k == "state":
            old = "(init)" if e.get("old") is None else fmt_term(e["old"])
            return f"{L(e['pid'])} state {old} -> {fmt_term(e.get('new'))} on {fmt_term(e.get('event'))}"
        if k == "postpone":
            return f"{L(e['pid'])} postpones {fmt_term(e.get('event'))}"
        if k == "state_event":
            return f"{L(e['pid'])} {e.get('type')} {fmt_term(e.get('content'))}"
        if k == "sup_start":
            return (f"{L(e['pid'])} supervisor starts: {e.get('strategy')} "
                    f"{e.get('intensity')}/{e.get('period')}s")
        if k == "sup_child":
            r = e.get("reason")
            tail = f" ({fmt_term(r)})" if r is not None else ""
            return f"{L(e['pid'])} child {e.get('id')} {e.get('event')} {L(e.get('child'))}{tail}"
        if k == "sup_shutdown":
            return f"{L(e['pid'])} supervisor shuts down: {fmt_term(e.get('reason'))}"
        if k == "preempt":
            return f"{L(e['pid'])} preempted: its time slice is used up, to the back of the run queue"
        if k == "log":
            t = e.get("text")
            t = t[0] if isinstance(t, list) and t else t
            return f"{L(e.get('pid'))} log {e.get('level')}: {t}"
        rest = {a: b for a, b in e.items() if a not in ("seq", "t", "kind", "pid")}
        return f"{L(e.get('pid'))} {k} {fmt_term(rest)}"

    def text(self):
        note = dropped_note(self.source) if not isinstance(self.source, (list, tuple)) else ""
        if not self.rows:
            return note or "(no events: is viz.record() on?)"
        body = "\n".join(f"{e['t']:6.1f}ms  {self.line(e)}" for e in self.rows)
        return f"{note}\n{body}" if note else body

    # ---------------------------------------------------------------- figure
    def lifelines(self, rows):
        """Lifeline pids for ``rows``, in order of first appearance (busiest kept)."""
        order, count = [], {}
        for e in rows:
            for p in _pids_of(e):
                if p is None or isinstance(p, str):
                    continue
                if self.pids is not None and p not in self.pids:
                    continue
                if p not in count:
                    order.append(p)
                    count[p] = 0
                count[p] += 1
        if len(order) > self.max_lifelines:
            keep = set(sorted(order, key=lambda p: -count[p])[: self.max_lifelines - 1])
            order = [p for p in order if p in keep]
        return order

    def figure(self):
        from matplotlib.collections import LineCollection
        rows = self.rows
        total = len(rows)
        rows = rows[-self.max_rows:] if total > self.max_rows else rows
        lanes = self.lifelines(rows)
        col = {p: i for i, p in enumerate(lanes)}
        others = None
        n = len(rows)
        detail = n <= 60

        def x_of(p):
            nonlocal others
            c = col.get(p)
            if c is None:
                if others is None:
                    others = len(lanes)
                return others
            return c

        # first pass: compute columns (may create 'others')
        for e in rows:
            for p in _pids_of(e):
                if p is not None and not isinstance(p, str):
                    x_of(p)
        ncol = len(lanes) + (others is not None)
        row_h = min(0.32, max(0.06, 11.0 / max(n, 1)))
        fig_h = min(16, 1.1 + row_h * n + 0.3)
        fig_w = min(18, max(6, 1.7 * ncol + 1.2))
        fig = new_figure(fig_w, fig_h)
        col_in = 0.9 * fig_w / max(ncol, 1)         # inches between two neighbouring lifelines
        top = 1 - (0.8 if total > self.max_rows else 0.6) / fig_h
        ax = fig.add_axes([0.08, 0.2 / fig_h, 0.9, top - 0.2 / fig_h])
        ax.set_xlim(-0.6, max(ncol, 1) - 0.4)
        ax.set_ylim(-n + 0.2, 1.0)
        for s in ("top", "right", "bottom"):
            ax.spines[s].set_visible(False)
        ax.set_xticks([])
        if not rows:
            ax.set_axis_off()
            ax.text(0.5, 0.5, "no events yet", ha="center", va="center", fontsize=10, color="#555555",
                    transform=ax.transAxes)
            fig.seq = {"lifelines": [], "arrows": 0, "rows": 0, "dropped": 0, "highlight": None}
            return fig
        blue, verm, grey = OKABE_ITO["blue"], OKABE_ITO["vermillion"], "#999999"
        start = {p: 0 for p in lanes}
        end = {}
        msg_segs, msg_cols, msg_styles = [], [], []
        heads = {"x": [], "y": [], "m": [], "c": []}
        crosses = {"x": [], "y": []}
        notes = []
        dots = {"x": [], "y": [], "c": [], "m": []}
        waits = []
        mbox = {}
        labels = []
        yticks, ylabels, last_t = [], [], None
        arrows = 0
        for i, e in enumerate(rows):
            y = -i
            k = e["kind"]
            if e["t"] != last_t and (detail or i % max(1, n // 25) == 0):
                yticks.append(y)
                ylabels.append(f"{e['t']:.0f}ms")
                last_t = e["t"]
            if k in ("send", "exit_signal", "spawn", "monitor", "link"):
                a, b = _pids_of(e)
                if a is None:
                    continue
                xa, xb = x_of(a), x_of(b)
                dead = bool(e.get("dead"))
                dropped = k == "send" and bool(e.get("dropped")) and not dead
                if k == "send":
                    m = e.get("msg")
                    sig = isinstance(m, tuple) and m and m[0] in ("DOWN", "EXIT")
                    c = grey if dead or dropped else (verm if sig else blue)
                    st = "dashed" if dead or dropped else "solid"
                    if not dropped:                 # a dropped reply never reaches the mailbox
                        mbox.setdefault(b, []).append(y)
                elif k == "exit_signal":
                    c, st = verm, "dashed"
                elif k == "spawn":
                    c, st = "#000000", "dotted"
                    start[b] = y
                else:
                    c, st = grey, "dotted"
                if xa == xb:
                    notes.append((xa, y, "\u21ba self", c))
                    continue
                msg_segs.append([(xa, y), (xb - 0.06 * (1 if xb > xa else -1), y)])
                msg_cols.append(c)
                msg_styles.append(st)
                if dropped or dead:                 # never lands: ends in the "dropped" glyph
                    crosses["x"].append(xb)
                    crosses["y"].append(y)
                else:
                    heads["x"].append(xb - 0.06 * (1 if xb > xa else -1))
                    heads["y"].append(y)
                    heads["m"].append(">" if xb > xa else "<")
                    heads["c"].append(c)
                arrows += 1
                if detail:
                    room = _label_chars(abs(xb - xa) * col_in)     # a wider gap holds a longer label
                    txt = (fmt_term(e.get("msg"), room) if k == "send" else
                           fmt_term(e.get("reason"), room) if k == "exit_signal" else k)
                    if dropped:
                        txt += f"  ({_dropped_note(e)})"
                    elif dead:
                        txt += "  (receiver dead)"
                    labels.append(((xa + xb) / 2, y + 0.12, txt, c))
            elif k == "receive":
                p = e["pid"]
                x = x_of(p)
                q = mbox.get(p, [])
                idx = e.get("index", 0)
                if idx < len(q):
                    ys = q.pop(idx)
                    if ys != y:
                        waits.append([(x, ys), (x, y)])
                sel = idx > 0
                dots["x"].append(x)
                dots["y"].append(y)
                dots["c"].append(OKABE_ITO["orange"] if sel else blue)
                dots["m"].append("D" if sel else "o")
                if sel and detail:
                    notes.append((x, y, f"selective (skipped {idx})", OKABE_ITO["orange"]))
            elif k == "receive_timeout":
                notes.append((x_of(e["pid"]), y, f"after {e.get('after')}", OKABE_ITO["sky_blue"]))
                dots["x"].append(x_of(e["pid"]))
                dots["y"].append(y)
                dots["c"].append(OKABE_ITO["sky_blue"])
                dots["m"].append("v")
            elif k == "exit":
                p = e["pid"]
                end[p] = y
                dots["x"].append(x_of(p))
                dots["y"].append(y)
                dots["c"].append("#000000")
                dots["m"].append("X")
                if detail:
                    notes.append((x_of(p), y, fmt_term(e.get("reason"), 24), "#000000"))
            elif k in ("state", "sup_child", "sup_start", "sup_shutdown", "timer_fire", "register",
                       "postpone", "state_event"):
                p = e.get("pid") if k != "timer_fire" else e.get("dest")
                if p is None or isinstance(p, str):
                    continue
                if k == "state":
                    txt = f"\u2192 {fmt_term(e.get('new'), 20)}"
                elif k == "sup_child":
                    txt = f"{e.get('id')} {e.get('event')}"
                elif k == "register":
                    txt = f"= {e.get('name')}"
                elif k == "timer_fire":
                    txt = "timer"
                else:
                    txt = k
                notes.append((x_of(p), y, txt, OKABE_ITO["reddish_purple"]))
        # lifelines
        segs = []
        for p in lanes:
            segs.append([(col[p], start[p]), (col[p], end.get(p, -n + 0.4))])
        if others is not None:
            segs.append([(others, 0), (others, -n + 0.4)])
        ax.add_collection(LineCollection(segs, colors="#bbbbbb", linewidths=1, linestyles="dashed", zorder=0))
        if waits:
            ax.add_collection(LineCollection(waits, colors=OKABE_ITO["sky_blue"], linewidths=4,
                                             alpha=0.5, zorder=1))
        if msg_segs:
            ax.add_collection(LineCollection(msg_segs, colors=msg_cols, linestyles=msg_styles,
                                             linewidths=1.1, zorder=2))
            for m in (">", "<"):
                sel = [j for j, mm in enumerate(heads["m"]) if mm == m]
                if sel:
                    ax.scatter([heads["x"][j] for j in sel], [heads["y"][j] for j in sel], marker=m,
                               c=[heads["c"][j] for j in sel], s=28 if detail else 10, zorder=3, linewidths=0)
        if crosses["x"]:                    # a dropped message: a hollow slashed circle, not the exit X
            ax.scatter(crosses["x"], crosses["y"], marker=DROPPED_GLYPH, c=OKABE_ITO["vermillion"],
                       s=70 if detail else 20, zorder=4, linewidths=0)
        for m in set(dots["m"]):
            sel = [j for j, mm in enumerate(dots["m"]) if mm == m]
            ax.scatter([dots["x"][j] for j in sel], [dots["y"][j] for j in sel], marker=m,
                       c=[dots["c"][j] for j in sel], s=36 if detail else 12, zorder=4, linewidths=0)
        if detail:
            for (x, y, txt, c) in labels:
                ax.text(x, y, txt, ha="center", va="bottom", fontsize=7, color=c, zorder=5,
                        bbox=dict(boxstyle="square,pad=0.05", fc="white", ec="none", alpha=0.8))
            for (x, y, txt, c) in notes:
                ax.text(x + 0.08, y - 0.05, txt, ha="left", va="top", fontsize=7, color=c, zorder=5)
        marks = self._choice_marks(ax, rows, lanes, col, detail)
        _legend(fig, ax, fig_h, crosses["x"], "X" in dots["m"], detail, marks)
        # headers: the shell (erlang.self() at the top level) is called "shell", its pid below
        heads_txt = [(col[p], "shell", repr(p)) if _is_shell(p) and p not in self.names.names else
                     (col[p], self.names.label(p), fmt_mfa(self.mfa.get(p)) if self.mfa.get(p) else "")
                     for p in lanes]
        if others is not None:
            heads_txt.append((others, "others", ""))
        for (x, name, mfa) in heads_txt:        # placed in points above the first row, whatever
            ax.annotate(name, (x, 0), xytext=(0, 25), textcoords="offset points",  # the row height:
                        ha="center", va="bottom", fontsize=8.5, fontweight="bold",   # clear of its label
                        annotation_clip=False,
                        bbox=dict(boxstyle="round,pad=0.3", fc="#eeeeee", ec="#666666"))
            if mfa and ncol <= 12:
                ax.annotate(mfa, (x, 0), xytext=(0, 13), textcoords="offset points", ha="center",
                            va="bottom", fontsize=6.5, color="#555555", annotation_clip=False)
        hl = None
        if self.highlight_last:                 # the latest event: the player's current one
            hl = -(n - 1)
            ax.axhspan(hl - 0.45, hl + 0.45, color=OKABE_ITO["yellow"], alpha=0.55, zorder=0.5, lw=0)
            ax.scatter([-0.5], [hl], marker=">", c=OKABE_ITO["vermillion"], s=40, zorder=6, linewidths=0,
                       clip_on=False)
        ax.set_yticks(yticks)
        ax.set_yticklabels(ylabels, fontsize=7)
        if total > len(rows):
            first = total - len(rows) + 1
            fig.suptitle(f"events {first}..{total} of {total} (latest {len(rows)} shown)", fontsize=9)
        fig.seq = {"lifelines": [h[1] for h in heads_txt], "arrows": arrows, "rows": n,
                   "dropped": len(crosses["x"]), "highlight": hl, "choices": marks}
        return fig

    def _choice_marks(self, ax, rows, lanes, col, detail):
        """explore's choice points on the lifelines: where each falls is the number of
        events recorded before it (``event``), drawn just above the next row shown."""
        marks = {"points": 0, "chosen": [], "preempted": []}
        if not self.choices:
            return marks
        at_row = {id(e): i for i, e in enumerate(rows)}
        evs = self.events
        by_num = {p.num: p for p in lanes if hasattr(p, "num")}    # (pid numbers: one counter, all nodes)
        n = len(rows)
        pts, stars, squares = ([], []), ([], []), ([], [])
        verm = OKABE_ITO["vermillion"]
        placed = []                         # (row the choice comes before, choice)
        for c in self.choices:
            a = c.get("event")
            if a is None:
                continue
            j = a
            while j < len(evs) and id(evs[j]) not in at_row:
                j += 1
            if j < len(evs):
                placed.append((at_row[id(evs[j])], c))
            elif evs and id(evs[-1]) in at_row:
                placed.append((n, c))       # after the last row
        per_row = {}
        for r, _c in placed:
            per_row[r] = per_row.get(r, 0) + 1
        seen_row = {}
        for r, c in placed:
            k = seen_row[r] = seen_row.get(r, 0) + 1
            # the choices before one row share the gap above it, the earliest highest
            y = -r + 1 - 0.9 * k / (per_row[r] + 1)
            who = by_num.get(c["chosen"])
            if c["chosen"] == c["default"]:
                if who is not None:
                    pts[0].append(col[who])
                    pts[1].append(y)
                    marks["points"] += 1
                continue
            marks["points"] += 1
            victim = by_num.get(c["default"]) if c.get("preemption") else None
            last = len(lanes) - 1
            # labels beside their glyphs, away from the edge and from each other
            v_left = victim is not None and (col[victim] == last or
                                             (who is not None and col[who] == col[victim] + 1))
            w_left = who is not None and (col[who] == last or
                                          (v_left and victim is not None and col[victim] == col[who] + 1))
            if who is not None:
                stars[0].append(col[who])
                stars[1].append(y)
                marks["chosen"].append(c["chosen"])
                if detail:
                    txt = (f"timer first ({c.get('t')} ms)" if c.get("kind") == "timer"
                           else f"choice {c['step']}")
                    ax.text(col[who] + (-0.1 if w_left else 0.1), y, txt,
                            ha="right" if w_left else "left", va="center", fontsize=7,
                            color=verm, fontweight="bold", zorder=7, bbox=_LABEL_BOX)
            if victim is not None:
                squares[0].append(col[victim])
                squares[1].append(y)
                marks["preempted"].append(c["default"])
                if detail:
                    txt = (f"timers due fire before {c.get('op')}" if c.get("kind") == "due"
                           else f"preempted before {c.get('op')}")
                    ax.text(col[victim] + (-0.1 if v_left else 0.1), y,
                            txt, ha="right" if v_left else "left",
                            va="center", fontsize=7, color=verm, zorder=7, bbox=_LABEL_BOX)
        if pts[0]:
            ax.scatter(pts[0], pts[1], marker="o", c="#999999", s=9, zorder=6, linewidths=0)
        if stars[0]:
            ax.scatter(stars[0], stars[1], marker="*", c=verm, s=150 if detail else 50, zorder=7,
                       linewidths=0)
        if squares[0]:
            ax.scatter(squares[0], squares[1], marker="s", facecolors="white", edgecolors=verm,
                       s=55 if detail else 20, zorder=7, linewidths=1.3)
        return marks


def _is_shell(p):
    """The notebook's (or test's) own process: the runtime labels it "shell" (<0.80.0> at first)."""
    return getattr(p, "label", None) == "shell"


def _legend(fig, ax, fig_h, dropped, exits, detail, marks=None):
    """Say what the glyphs mean, under the chart, when the chart has them."""
    marks = marks or {"points": 0, "chosen": [], "preempted": []}
    if not detail or not (dropped or exits or marks["points"]):
        return
    x0, y0, w, h = ax.get_position().bounds
    ax.set_position([x0, y0 + 0.25 / fig_h, w, h - 0.25 / fig_h])
    from matplotlib.lines import Line2D
    hs = []
    if exits:
        hs.append(Line2D([], [], ls="none", marker="X", color="#000000", ms=7, label="process exits"))
    if dropped:
        hs.append(Line2D([], [], ls="none", marker=DROPPED_GLYPH, color=OKABE_ITO["vermillion"], ms=9,
                         label="message dropped (never lands)"))
    if marks["chosen"]:
        hs.append(Line2D([], [], ls="none", marker="*", color=OKABE_ITO["vermillion"], ms=10,
                         label="chosen (the schedule departs here)"))
    if marks["preempted"]:
        hs.append(Line2D([], [], ls="none", marker="s", mfc="white", mec=OKABE_ITO["vermillion"],
                         ms=7, label="preempted"))
    if marks["points"] > len(marks["chosen"]):
        hs.append(Line2D([], [], ls="none", marker="o", color="#999999", ms=4,
                         label="choice point (default taken)"))
    fig.legend(handles=hs, loc="lower right", ncol=len(hs), fontsize=7, frameon=False,
               borderaxespad=0.1, handletextpad=0.3)


def sequence(trace_or_recorder=None, pids=None, kinds=None, upto_seq=None, max_rows=150,
             max_lifelines=24, highlight_last=False, choices=None):
    """A message sequence chart of a trace (default: the viz recorder), or of an
    ``otp_lite.explore`` result with its choice points marked.  A result of
    ``explore.run`` is replayed first (which leaves a fresh runtime, as run does)."""
    from ..explore import Result, replay
    src = trace_or_recorder
    if isinstance(src, Result):
        res = src
        if res.events is None:
            if res.test is None or res.schedule is None:
                raise ValueError("this explore result has no trace and no failing schedule to "
                                 "replay: draw explore.replay(test, schedule) instead")
            res = replay(res.test, res.schedule, seed=res.seed)
        src = res.events
        if choices is None:
            choices = res.choices
    return Sequence(src, pids, kinds, upto_seq, max_rows, max_lifelines, highlight_last, choices)
