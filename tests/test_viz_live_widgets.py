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


def _idle():
    erlang.receive()


def test_observer_never_preselects_the_shell_and_selects_nothing_after_a_kill():
    shell = erlang.self()
    a, b = erlang.spawn(_idle), erlang.spawn(_idle)
    runtime.run_until_idle()
    live = viz.observer().live()
    labels = [l for l, _p in live.pick.options]
    assert labels[0] == f"{shell!r} (shell)" and live.pick.value is None
    assert live.kill_b.disabled                         # nothing selected
    live.pick.value = a
    assert not live.kill_b.disabled
    live.kill_b.click()
    assert not a.alive and shell.alive
    assert live.pick.value is None and live.kill_b.disabled     # not the shell, not b
    assert [p for _l, p in live.pick.options] == [shell, b]
    live.kill_b.click()                                 # a second click kills nobody
    assert shell.alive and b.alive
    live.pick.value = shell
    assert live.kill_b.disabled and "shell" in live.kill_b.tooltip
    live._kill()                                        # even called directly
    assert shell.alive and "not killed" in live.status.value
    live.msg.value = "'hi'"
    live.send_b.click()                                 # sending to the shell is fine
    assert erlang.receive(timeout=0) == "hi"
    live.pick.value = b
    live.refresh()                                      # a refresh keeps a live selection
    assert live.pick.value is b and not live.kill_b.disabled
    live.close()


def test_on_main_queues_a_click_from_another_thread_on_the_main_loop(monkeypatch):
    """ipykernel 7 delivers a click that arrives while the kernel is busy on another
    thread; the runtime belongs to the main thread, so the click waits for it."""
    import asyncio
    from otp_lite.viz import live as live_mod
    loop = asyncio.new_event_loop()
    monkeypatch.setattr(live_mod, "_main", (threading.current_thread(), loop))
    ran = []
    cb = live_mod.on_main(lambda x: ran.append((x, threading.current_thread())))
    cb(1)                                               # on the main thread: at once
    assert ran == [(1, threading.current_thread())]
    t = threading.Thread(target=cb, args=(2,))
    t.start()
    t.join(10)
    assert len(ran) == 1                                # queued, not run on that thread
    loop.run_until_complete(asyncio.sleep(0))
    assert ran[1] == (2, threading.current_thread())
    errors = []

    class View:
        def error(self, e):
            errors.append(e)

    bad = live_mod.on_main(lambda: 1 / 0, View())
    t = threading.Thread(target=bad)
    t.start()
    t.join(10)
    loop.run_until_complete(asyncio.sleep(0))
    assert isinstance(errors[0], ZeroDivisionError)
    loop.close()


def test_player_sequence_says_no_events_yet_and_highlights_the_current_event():
    pl = viz.Player(_trace())
    fig = pl.start().sequence().figure()
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts == ["no events yet"] and not fig.axes[0].axison    # no bare lifeline axis
    assert fig.seq["rows"] == 0
    pl.seek(pl.events[4]["seq"])
    seq = pl.sequence()
    fig = seq.figure()
    assert fig.seq["highlight"] == -(len(seq.rows) - 1)            # the last row: the current event
    assert seq.rows[-1] is pl.current
    band = [p for p in fig.axes[0].patches if abs(p.get_y() - (fig.seq["highlight"] - 0.45)) < 1e-9]
    assert band, fig.axes[0].patches
    assert viz.sequence(pl).figure().seq["highlight"] is None      # plain charts: no highlight
    assert pl.sequence(highlight_last=False).figure().seq["highlight"] is None
