"""The live state diagram: the figure follows transitions; buttons send events."""
from __future__ import annotations

import html

from ._common import fmt_term, png_bytes
from .live import LiveView, act, on_main


class FsmLive(LiveView):
    title = "live state diagram"

    def __init__(self, fsm, events):
        from .fsm import _is_pid
        self.target = fsm.pid if _is_pid(fsm.pid) and fsm.module is None else (fsm.module or fsm.pid)
        self.trace = None
        self.upto = None
        self.actions = dict(events)
        self.fsm = fsm
        super().__init__(None)

    def build(self):
        import ipywidgets as w
        self.header = w.HTML()
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%", width="auto"))
        self.buttons = []
        for label, fn in self.actions.items():
            b = w.Button(description=str(label), layout=w.Layout(width="auto"))
            b.add_class("otp-fsm-event")
            b.on_click(on_main(lambda _b, f=fn, l=label: self.fire(l, f), self))
            self.buttons.append(b)
        self.status = w.HTML()
        self.text_w = w.HTML()
        return w.VBox([self.header, self.image, w.HBox(self.buttons), self.status, self.text_w])

    def fire(self, label, fn):
        r = act(fn)
        self.status.value = html.escape(f"{label}: {fmt_term(r[1], 80)}")
        self.refresh()

    def render(self):
        from .fsm import Fsm
        f = self.fsm = Fsm(self.target)
        self.header.value = (f"<b>{html.escape(f.module_name)}</b> state: "
                             f"<b class='otp-fsm-state'>{html.escape(fmt_term(f.current))}</b>")
        fig = f.figure()
        self.image.width = str(int(fig.get_figwidth() * 80))
        self.image.value = png_bytes(fig, dpi=80)
        self.text_w.value = "<pre>" + html.escape(f.text()) + "</pre>"
