"""An observer-like process table (book ch. 16; OTP's ``observer`` Processes tab).

``viz.observer(source=None, sort='pid', upto_seq=None)``: with no source, the
live runtime (``erlang.processes()`` + ``process_info``); with a trace (or
``upto_seq``), the processes alive at that point rebuilt from events, where
reductions are estimated as the events a process caused and memory is not
known ('-').  Columns: Pid, Name, Initial call, Reds, MsgQ, Memory, Status,
and in the live view CPU: each process's share of the CPU since the last
refresh, sampled by the preemption timer (``kernel/preempt.py``), as
observer's scheduler-utilisation view would attribute it.
"""
from __future__ import annotations

from ._common import FigureMixin, OKABE_ITO, Names, events_of, fmt_mfa, new_figure

COLUMNS = ("pid", "name", "initial_call", "reductions", "message_queue_len", "memory", "status")
HEAD = ("Pid", "Name", "Initial call", "Reds", "MsgQ", "Memory", "Status")
WIDTH = (11, 16, 28, 8, 6, 8, 9)
_NUMERIC = {"reductions", "message_queue_len", "memory", "cpu"}
CPU = ("cpu", "CPU%", 6)        # the live view's extra column


class Observer(FigureMixin):
    """``rows``: list of dicts with the COLUMNS keys."""

    def __init__(self, source=None, sort="pid", upto_seq=None, limit=None, cpu=None):
        if sort == "cpu" and cpu is None and source is None and upto_seq is None:
            cpu = _cpu_so_far()
        self.cpu = cpu                  # {pid: share 0..1} (live view), or None: no CPU column
        if sort not in COLUMNS and not (cpu is not None and sort == "cpu"):
            from ..erlang import ErlangError
            raise ErlangError("badarg", f"observer: sort by one of {', '.join(COLUMNS)} "
                                        f"(or cpu, for the live runtime), not {sort!r}")
        self.sort, self.limit = sort, limit
        self.live_mode = source is None and upto_seq is None
        self.rows = self._live() if self.live_mode else self._from_trace(events_of(source, upto_seq))
        rev = sort in _NUMERIC
        self.rows.sort(key=lambda r: (_key(r[sort]), r["pid"].num) if not rev
                       else (-_num(r[sort]), r["pid"].num))

    def _live(self):
        from .. import erlang
        from ..kernel.info import _memory
        from ..kernel.preempt import plain_status
        rows = []
        for p in erlang.processes():
            if not p.alive:
                continue
            rows.append({"pid": p, "name": p.name or "", "initial_call": fmt_mfa(p.initial_call),
                         "reductions": p.reductions + p.reds, "message_queue_len": len(p.mbox),
                         "memory": _memory(p), "status": plain_status(p.status)})
            if self.cpu is not None:
                rows[-1]["cpu"] = self.cpu.get(p, 0.0)
        return rows

    def _from_trace(self, evs):
        names = Names(evs)
        procs = {}
        for e in evs:
            k = e["kind"]
            if k == "spawn":
                procs[e["pid"]] = {"pid": e["pid"], "name": "", "initial_call": fmt_mfa(e.get("mfa")),
                                   "reductions": 0, "message_queue_len": 0, "memory": "-", "status": "alive"}
            elif k == "exit":
                procs.pop(e["pid"], None)
            elif k == "send":
                r = procs.get(e.get("frm"))
                if r is not None:
                    r["reductions"] += 1
                r = procs.get(e["to"])
                if r is not None and not e.get("dead") and not e.get("dropped"):
                    r["message_queue_len"] += 1
            elif k == "receive":
                r = procs.get(e["pid"])
                if r is not None:
                    r["reductions"] += 1
                    r["message_queue_len"] = e.get("left", max(0, r["message_queue_len"] - 1))
        for p, r in procs.items():
            n = names.names.get(p)
            r["name"] = n if n and "(" not in n else (n.split("(")[0] if n else "")
        return list(procs.values())

    def text(self):
        rows = self.rows[: self.limit] if self.limit else self.rows
        cols, head, width = COLUMNS, HEAD, WIDTH
        if self.cpu is not None:
            cols, head, width = cols + CPU[:1], head + CPU[1:2], width + CPU[2:]
        out = ["".join(h.ljust(w) if i < 3 or i == 6 else h.rjust(w - 1) + " "
                       for i, (h, w) in enumerate(zip(head, width))).rstrip()]
        for r in rows:
            cells = []
            for i, (c, w) in enumerate(zip(cols, width)):
                v = r[c]
                s = repr(v) if c == "pid" else f"{100 * v:.0f}" if c == "cpu" else str(v)
                if len(s) > w - 1:
                    s = s[: w - 2] + "~"
                cells.append(s.ljust(w) if i < 3 or i == 6 else s.rjust(w - 1) + " ")
            out.append("".join(cells).rstrip())
        if self.limit and len(self.rows) > self.limit:
            out.append(f"... {len(self.rows) - self.limit} more")
        return "\n".join(out)

    def figure(self, top=20):
        rows = sorted(self.rows, key=lambda r: -_num(r["reductions"]))[:top]
        # constrained layout keeps the title, legend and x labels inside the canvas;
        # the minimum height leaves room for them even with one process
        fig = new_figure(8, max(2.8, 1.4 + 0.28 * len(rows)), layout="constrained")
        ax = fig.add_subplot()
        labels = [f"{r['name'] or repr(r['pid'])}" for r in rows][::-1]
        reds = [_num(r["reductions"]) for r in rows][::-1]
        q = [_num(r["message_queue_len"]) for r in rows][::-1]
        y = list(range(len(rows)))
        ax.barh([v + 0.2 for v in y], reds, height=0.38, color=OKABE_ITO["blue"], label="reductions")
        ax.barh([v - 0.2 for v in y], q, height=0.38, color=OKABE_ITO["orange"], label="message queue")
        ax.set_yticks(y)
        ax.set_yticklabels(labels, fontsize=8)
        ax.set_ylim(-0.7, max(len(rows), 1) - 0.3)
        ax.set_xscale("symlog")
        ax.set_xlim(0, max([5] + reds + q) * 2)            # counts: never negative, never a 0-wide axis
        from matplotlib.ticker import FuncFormatter
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
        ax.set_xlabel("count (symlog scale)", fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False,
                  borderaxespad=0.2)
        ax.set_title(f"top {len(rows)} processes by reductions ({len(self.rows)} alive)", fontsize=10,
                     loc="right")
        fig.rows = rows
        return fig

    def live(self):
        from .observer_live import ObserverLive
        return ObserverLive(self)


def _cpu_so_far():
    """{pid: its share of the CPU ticks the live processes took so far}."""
    from .. import erlang
    ticks = {p: p.cpu for p in erlang.processes()}
    total = sum(ticks.values())
    return {p: (c / total if total else 0.0) for p, c in ticks.items()}


def _num(v):
    return v if isinstance(v, (int, float)) else 0


def _key(v):
    return v.num if hasattr(v, "num") else str(v)


def observer(source=None, sort="pid", upto_seq=None, limit=None):
    """The process table of the live runtime, or of a trace at ``upto_seq``."""
    return Observer(source, sort, upto_seq, limit)
