"""Live widgets, headless: what clicking them in a real browser found (tests/browser).

The player draws a move completely before it shows the new label, and never
loses a move requested while it is drawing (ipykernel may deliver a slider
drag on another thread meanwhile): the latest request is drawn next.
"""
import threading

import matplotlib
matplotlib.use("Agg")

from otp_lite import erlang, runtime, viz


def _trace():
    rec = viz.record()

    def echo():
        while True:
            m = erlang.receive()
            erlang.send(m[1], ("pong", m[0]))

    p = erlang.spawn(echo)
    erlang.register("echo", p)
    for i in range(6):
        erlang.send(p, (i, erlang.self()))
        erlang.receive()
    runtime.run_until_idle()
    return rec


def test_player_buttons_use_icons_not_missing_glyphs():
    live = viz.Player(_trace()).live(views=("sequence",))
    for tip, b in live.buttons.items():
        assert b.description.isascii() and b.tooltip == tip, (tip, b.description)
    assert [live.buttons[t].icon for t in ("start", "one event back", "one event", "end")] == \
        ["fast-backward", "step-backward", "step-forward", "fast-forward"]
    assert live.buttons["next message"].description == "msg"


def test_player_label_changes_after_the_figures():
    live = viz.Player(_trace()).live(views=("sequence", "observer"))
    order = []
    for v, img in live.images.items():
        img.observe(lambda ch, v=v: order.append(v), names="value")
    live.where.observe(lambda ch: order.append("label"), names="value")
    live.buttons["start"].click()
    assert order == ["sequence", "observer", "label"]
    assert "at the start" in live.where.value


def test_player_move_requested_while_drawing_is_drawn_next():
    """A slider drag delivered (on another thread) during a render is not lost."""
    pl = viz.Player(_trace())
    n = len(pl.events)
    live = pl.live(views=("sequence",))
    drawing, release = threading.Event(), threading.Event()
    render = live.render

    def slow_render():
        if not drawing.is_set():
            drawing.set()
            assert release.wait(10)
        render()

    live.render = slow_render
    t = threading.Thread(target=live.buttons["start"].click)
    t.start()
    assert drawing.wait(10)                     # 'start' is drawing now
    live.slider.value = 5                       # the drag arrives meanwhile (this thread)
    live.slider.value = 7                       # and another: only the latest counts
    assert pl.pos == 0 and live._busy           # queued, not made yet
    release.set()
    t.join(10)
    assert pl.pos == 7 and live.slider.value == 7 and not live._busy
    assert f"event 7/{n} " in live.where.value
    before = live.renders
    live.slider.value = 7                       # no move: nothing to redraw
    live.buttons["one event"].click()
    assert pl.pos == 8 and live.renders == before + 1 and f"event 8/{n} " in live.where.value


def test_player_failing_move_does_not_wedge_the_widget():
    pl = viz.Player(_trace())
    live = pl.live(views=("sequence",))
    live.time.value = float("nan")
    try:
        live._move(lambda: 1 / 0)
    except ZeroDivisionError:
        pass
    assert not live._busy
    live.buttons["start"].click()
    assert pl.pos == 0 and "at the start" in live.where.value
