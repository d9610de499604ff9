"""The live process table: sortable, with kill and send for the selected process."""
from __future__ import annotations

import ast
import html

from ._common import fmt_term
from .live import LiveView, act
from .observer import COLUMNS, HEAD


class ObserverLive(LiveView):
    title = "live observer"

    def __init__(self, obs):
        self.sort = obs.sort
        self.obs = obs
        super().__init__(None)

    def build(self):
        import ipywidgets as w
        self.sort_w = w.Dropdown(options=list(zip(HEAD, COLUMNS)), value=self.sort, description="sort by")
        self.sort_w.observe(lambda ch: self.refresh(), names="value")
        self.table = w.HTML()
        self.pick = w.Dropdown(description="process")
        self.kill_b = w.Button(description="kill", button_style="danger")
        self.msg = w.Text(value="'hello'", layout=w.Layout(width="14em"))
        self.send_b = w.Button(description="send")
        self.status = w.HTML()
        self.kill_b.on_click(lambda _b: self._kill())
        self.send_b.on_click(lambda _b: self._send())
        return w.VBox([self.sort_w, self.table, w.HBox([self.pick, self.kill_b, self.msg, self.send_b]),
                       self.status])

    def _last_seq(self):
        from .. import erlang
        return (super()._last_seq(), len(erlang.processes()))

    def render(self):
        from .observer import Observer
        o = self.obs = Observer(None, self.sort_w.value)
        self.table.value = "<pre class='otp-observer'>" + html.escape(o.text()) + "</pre>"
        opts = [(f"{r['pid']!r} {r['name']}".strip(), r["pid"]) for r in o.rows]
        cur = self.pick.value
        self.pick.options = opts
        if cur in [p for _l, p in opts]:
            self.pick.value = cur

    def _kill(self):
        from .. import erlang
        p = self.pick.value
        if p is None:
            return
        r = act(erlang.exit, p, "kill")
        self.status.value = html.escape(f"exit({p!r}, kill) -> {fmt_term(r[1])}")
        self.refresh()

    def _send(self):
        from .. import erlang
        p = self.pick.value
        if p is None:
            return
        try:
            msg = ast.literal_eval(self.msg.value)
        except (ValueError, SyntaxError) as e:
            self.status.value = html.escape(f"not a Python literal: {e}")
            return
        r = act(erlang.send, p, msg)
        self.status.value = html.escape(f"send({p!r}, {fmt_term(msg)}) -> {fmt_term(r[1])}")
        self.refresh()
