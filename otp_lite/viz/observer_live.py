"""The live process table: sortable, with kill and send for the selected process.

Nothing is selected at first and after a kill (the dropdown would otherwise
fall back to its first row, the shell, and a second click on *kill* would
kill the notebook's own process).  The shell is marked ``(shell)`` and *kill*
is disabled while it is selected; sending to it is allowed.

The CPU% column is each process's share of the CPU-timer ticks since the
previous refresh (``kernel/preempt.py`` samples who runs); a process that
computes for ever shows near 100 and is one click on *kill* away.
"""
from __future__ import annotations

import html

from ._common import fmt_term
from .live import LiveView, act, on_main
from ..kernel import preempt as _preempt
from ..kernel import state as _state
from .observer import COLUMNS, CPU, HEAD


REFRESH_EVERY = 1.0     # seconds: statuses, mailboxes and reductions are re-read at most this often


class ObserverLive(LiveView):
    title = "live observer"

    def __init__(self, obs):
        self.sort = obs.sort
        self.obs = obs
        self._cpu_prev = (_preempt.ticks, {})
        self._rows_sig, self._rows_t = None, float("-inf")
        super().__init__(None)

    def build(self):
        import ipywidgets as w
        self.sort_w = w.Dropdown(options=list(zip(HEAD + CPU[1:2], COLUMNS + CPU[:1])), value=self.sort, description="sort by")
        self.sort_w.observe(on_main(lambda ch: self.refresh(), self), names="value")
        self.table = w.HTML()
        self.pick = w.Dropdown(description="process")
        self.kill_b = w.Button(description="kill", button_style="danger", disabled=True,
                               tooltip="select a process to kill")
        self.pick.observe(on_main(lambda ch: self._picked(), self), names="value")
        self.msg = w.Text(value="'hello'", layout=w.Layout(width="14em"))
        self.send_b = w.Button(description="send")
        self.status = w.HTML()
        self.kill_b.on_click(on_main(lambda _b: self._kill(), self))
        self.send_b.on_click(on_main(lambda _b: self._send(), self))
        return w.VBox([self.sort_w, self.table, w.HBox([self.pick, self.kill_b, self.msg, self.send_b]),
                       self.status])

    def _last_seq(self):
        """What the table draws, not the trace: the set of processes at once (a spawn, an
        exit, a restart: the pid counter and the count), and, read at most once a second,
        each row's status, mailbox and reductions (they change without a trace event, e.g.
        a process that only computes).  A trace event alone re-renders nothing: ch. 16's
        monitor ticks 50 times a second and used to redraw the table on every pump tick."""
        import time
        from .. import erlang
        rt = _state.rt
        procs = erlang.processes()
        now = time.monotonic()
        if now - self._rows_t >= REFRESH_EVERY:
            self._rows_t = now
            self._rows_sig = hash(tuple((p.num, _preempt.plain_status(p.status), len(p.mbox),
                                         p.reductions + p.reds) for p in procs))
        return (id(rt), getattr(rt, "next_num", 0), len(procs), self._rows_sig)

    def _cpu_shares(self):
        """{pid: share of the CPU ticks since the previous refresh}."""
        from .. import erlang
        t0, before = self._cpu_prev
        now = {p: p.cpu for p in erlang.processes()}
        dt = _preempt.ticks - t0
        self._cpu_prev = (_preempt.ticks, now)
        if dt <= 0:
            return {p: 0.0 for p in now}
        return {p: min(1.0, max(0, c - before.get(p, 0)) / dt) for p, c in now.items()}

    def render(self):
        from .observer import Observer
        o = self.obs = Observer(None, self.sort_w.value, cpu=self._cpu_shares())
        self.table.value = "<pre class='otp-observer'>" + html.escape(o.text()) + "</pre>"
        shell = _shell()
        opts = [(f"{r['pid']!r} {r['name']}".strip() + (" (shell)" if r["pid"] is shell else ""), r["pid"])
                for r in o.rows]
        cur = self.pick.value
        if opts != list(self.pick.options):
            self.pick.options = opts            # selects the first row (the shell) if any was selected
        if cur in [p for _l, p in opts]:
            self.pick.value = cur
        else:
            self.pick.index = None              # a dead (or no) selection: select nothing
        self._picked()

    def _picked(self):
        """*kill* is enabled for a selected process that is not the shell."""
        p = self.pick.value
        shell = p is not None and p is _shell()
        self.kill_b.disabled = p is None or shell
        self.kill_b.tooltip = ("select a process to kill" if p is None else
                               "the shell runs this notebook: not killed from here" if shell else
                               f"exit({p!r}, kill)")

    def _kill(self):
        from .. import erlang
        p = self.pick.value
        if p is None:
            return
        if p is _shell():
            self.status.value = "the shell runs this notebook: not killed from here"
            return
        r = act(erlang.exit, p, "kill")
        self.status.value = html.escape(f"exit({p!r}, kill) -> {fmt_term(r[1])}")
        self.pick.index = None                  # never fall back to another row (the shell)
        self.refresh()

    def _send(self):
        p = self.pick.value
        if p is None:
            return
        self.send_literal(p, self.msg.value)


def _shell():
    """The shell process of the current runtime (or None)."""
    from ..kernel import state
    return getattr(state.rt, "shell", None)
