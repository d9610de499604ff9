"""Player controls: a slider over the trace, step / message / time buttons, views below."""
from __future__ import annotations

import html

from ._common import png_bytes


class PlayerLive:
    title = "trace player"

    def __init__(self, player, views):
        import ipywidgets as w
        self.player, self.views = player, tuple(views)
        n = len(player.events)
        self.slider = w.IntSlider(value=player.pos, min=0, max=n, description="event",
                                  continuous_update=False, layout=w.Layout(width="60%"))
        bt = {}
        for label, fn, tip in [("\u23ee", player.start, "start"), ("\u25c0 msg", player.prev_message, "previous message"),
                               ("\u25c0", player.back, "one event back"), ("\u25b6", player.step, "one event"),
                               ("msg \u25b6", player.next_message, "next message"), ("\u23ed", player.end, "end")]:
            b = w.Button(description=label, tooltip=tip, layout=w.Layout(width="auto"))
            b.on_click(lambda _b, f=fn: self._move(f))
            bt[tip] = b
        self.buttons = bt
        self.time = w.FloatText(value=player.t, description="t (ms)", layout=w.Layout(width="14em"))
        self.go = w.Button(description="run to t", layout=w.Layout(width="auto"))
        self.go.on_click(lambda _b: self._move(lambda: player.run_to(self.time.value)))
        self.slider.observe(lambda ch: self._move(lambda: player._go(ch["new"])), names="value")
        self.where = w.HTML()
        self.images = {v: w.Image(format="png", layout=w.Layout(max_width="100%", width="auto")) for v in self.views}
        self.widget = w.VBox([w.HBox([self.slider] + list(bt.values())), w.HBox([self.time, self.go]),
                              self.where] + list(self.images.values()))
        self._busy = False
        self.render()

    def _move(self, fn):
        if self._busy:
            return
        self._busy = True
        try:
            fn()
            self.slider.value = self.player.pos
            self.render()
        finally:
            self._busy = False

    def render(self):
        p = self.player
        self.where.value = "<code>" + html.escape(p.text()) + "</code>"
        for v, img in self.images.items():
            fig = getattr(p, v)().figure()
            img.width = str(int(fig.get_figwidth() * 80))
            img.value = png_bytes(fig, dpi=80)

    def _repr_mimebundle_(self, **kw):
        b = self.widget._repr_mimebundle_(**kw)
        b = dict(b[0] if isinstance(b, tuple) else b or {})
        b["text/plain"] = f"<{self.title}>"
        return b

    def __repr__(self):
        return f"<{self.title}>"
