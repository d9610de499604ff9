"""Player controls: a slider over the trace, step / message / time buttons, views below.

Moves are *coalesced*: ipykernel may deliver a widget message (a slider drag)
on another thread while the previous move is still drawing.  Such a request
is never dropped: the latest one is remembered and drawn as soon as the
current drawing ends (the ones in between are skipped, they were overtaken).
The figures are drawn first and then swapped in together with the position
label, so the label never describes figures that are not on screen yet.
"""
from __future__ import annotations

import html
import threading

from ._common import png_bytes

# (tooltip, FontAwesome icon, label): icons, not unicode glyphs such as U+23EE,
# which Debian's chromium fonts lack (they showed as empty boxes)
BUTTONS = [("start", "fast-backward", ""), ("previous message", "backward", "msg"),
           ("one event back", "step-backward", ""), ("one event", "step-forward", ""),
           ("next message", "forward", "msg"), ("end", "fast-forward", "")]


class PlayerLive:
    title = "trace player"

    def __init__(self, player, views):
        import ipywidgets as w
        self.player, self.views = player, tuple(views)
        n = len(player.events)
        self.slider = w.IntSlider(value=player.pos, min=0, max=n, description="event",
                                  continuous_update=False, layout=w.Layout(width="60%"))
        moves = {"start": player.start, "previous message": player.prev_message, "one event back": player.back,
                 "one event": player.step, "next message": player.next_message, "end": player.end}
        bt = {}
        for tip, icon, label in BUTTONS:
            b = w.Button(description=label, icon=icon, tooltip=tip, layout=w.Layout(width="auto"))
            b.on_click(lambda _b, f=moves[tip]: self._move(f))
            bt[tip] = b
        self.buttons = bt
        self.time = w.FloatText(value=player.t, description="t (ms)", layout=w.Layout(width="14em"))
        self.go = w.Button(description="run to t", icon="play", layout=w.Layout(width="auto"))
        self.go.on_click(lambda _b: self._move(lambda: player.run_to(self.time.value)))
        self.slider.observe(lambda ch: self._move(lambda: player._go(ch["new"])), names="value")
        self.where = w.HTML()
        self.images = {v: w.Image(format="png", layout=w.Layout(max_width="100%", width="auto")) for v in self.views}
        self.widget = w.VBox([w.HBox([self.slider] + list(bt.values())), w.HBox([self.time, self.go]),
                              self.where] + list(self.images.values()))
        self._lock = threading.Lock()
        self._want = None           # the latest requested move not yet made (a callable)
        self._busy = False          # a move is being made (drawn) right now
        self._shown = None          # the position the images and label show
        self.renders = 0
        self.render()

    def _move(self, fn):
        """Make the move ``fn`` and draw it; while another move is drawing, queue it
        (the latest request wins) for the drawing thread to make next."""
        with self._lock:
            self._want = fn
            if self._busy:
                return
            self._busy = True
        try:
            while True:
                with self._lock:
                    fn, self._want = self._want, None
                    if fn is None:
                        self._busy = False
                        return
                fn()
                self.slider.value = self.player.pos     # may call _move: queued, then a no-op
                if self.player.pos != self._shown:
                    self.render()
        except BaseException:
            with self._lock:
                self._busy, self._want = False, None
            raise

    def render(self):
        p = self.player
        pngs = {}
        for v in self.images:
            fig = getattr(p, v)().figure()
            pngs[v] = (str(int(fig.get_figwidth() * 80)), png_bytes(fig, dpi=80))
        label = "<code>" + html.escape(p.text()) + "</code>"
        for v, img in self.images.items():      # everything drawn: swap figures, then the label
            img.width, img.value = pngs[v]
        self.where.value = label
        self._shown = p.pos
        self.renders += 1

    def _repr_mimebundle_(self, **kw):
        b = self.widget._repr_mimebundle_(**kw)
        b = dict(b[0] if isinstance(b, tuple) else b or {})
        b["text/plain"] = f"<{self.title}>"
        return b

    def __repr__(self):
        return f"<{self.title}>"
