"""Real browser: the trace player (``viz.Player(trace).live()``, time travel).

A trace is recorded on the virtual clock (a supervisor with two workers, a
ping, a crash 100 ms later, the restart).  Chromium presses start / step /
next message / back / end, drags the slider, types a time and presses
*run to t*; after each move the position label (``event k/n (seq s) at t ms:
...``), the slider's readout and the rendered views follow.  The label is set
after the figures are drawn, and a slider move made while the previous move is
still drawing is drawn next (it was lost before).
"""
import re
import time

import pytest

pytestmark = pytest.mark.browser

CELLS = [
    "from otp_lite import supervisor, timer\n"
    "from test_viz_support import worker\n"
    "runtime.reset()\nrec = viz.record()\n"
    "class demo_sup:\n"
    "    def init(args):\n"
    "        return ('ok', ({'strategy': 'one_for_one', 'intensity': 5, 'period': 10},\n"
    "                       [{'id': 'w1', 'start': (demo_sup, 'start_worker', ['w1'])},\n"
    "                        {'id': 'w2', 'start': (demo_sup, 'start_worker', ['w2'])}]))\n"
    "    def start_worker(tag):\n"
    "        p = erlang.spawn_link(worker, tag)\n"
    "        erlang.register(tag, p)\n"
    "        return ('ok', p)\n"
    "supervisor.start_link(('local', 'demo_sup'), demo_sup, [])\n"
    "timer.sleep(50)\n"
    "erlang.send('w1', ('ping', erlang.self())); erlang.receive()\n"
    "erlang.send_after(100, 'w2', 'crash')\n"
    "timer.sleep(200)\n"
    "erlang.send('w1', ('ping', erlang.self())); erlang.receive()\n"
    "runtime.run_until_idle()",
    "player = viz.Player(rec)\nplayer.live()",
]

POS = re.compile(r"event (\d+)/(\d+) \(seq \d+\) at ([\d.]+)ms")


def test_step_scrub_and_run_to_time(notebook, shot):
    from playwright.sync_api import expect
    page = notebook("player_live", CELLS, height=2600)
    where = page.locator(".widget-html code").filter(has_text=re.compile(r"event \d+/\d+|at the start"))
    expect(where).to_contain_text("event ", timeout=30_000)
    view = page.locator(".jp-OutputArea-output").filter(has=where)
    readout = view.locator(".widget-slider .widget-readout")
    images = view.locator("img")
    expect(images).to_have_count(2)                                 # sequence, sup_tree
    k, n, _t = POS.search(where.inner_text()).groups()
    assert k == n and int(n) > 20, where.inner_text()
    shot(view, "player_1_end")

    def at(pattern):
        expect(where).to_contain_text(pattern, timeout=10_000)
        m = POS.search(where.inner_text())
        if m:
            expect(readout).to_have_text(m.group(1))               # the slider follows the buttons
        return m

    def srcs():
        return [images.nth(i).get_attribute("src") for i in range(2)]

    def redrawn(before):
        """Until both views were redrawn (they are swapped in just before the label)."""
        for i, src in enumerate(before):
            expect(images.nth(i)).not_to_have_attribute("src", src, timeout=10_000)

    idle = page.get_by_role("button", name=re.compile(r"Python 3.*\| Idle"))

    def quiet():
        """Until the kernel is idle: the last move is fully rendered."""
        expect(idle).to_be_attached(timeout=10_000)

    def press(tip):
        view.locator(f"button[title='{tip}']").click()

    quiet()
    before = srcs()
    press("start")
    at(f"at the start (0/{n} events)")
    expect(readout).to_have_text("0")
    redrawn(before)
    shot(view, "player_2_start")
    press("one event")
    at(f"event 1/{n} (seq 1) at 0.0ms")
    press("next message")
    m = at(re.compile(r"event \d+/\d+ .* -> "))                   # a send: 'a -> b : msg'
    k_msg = int(m.group(1))
    assert k_msg > 1
    press("one event back")
    at(f"event {k_msg - 1}/{n} ")
    press("end")
    at(f"event {n}/{n} ")

    # drag the slider's handle to the middle of its track, once it has slid to the end
    track = view.locator(".widget-slider .noUi-target")
    handle = view.locator(".widget-slider .noUi-handle")
    deadline = time.monotonic() + 10
    while True:                                 # noUiSlider animates the handle after a change
        tb, hb = track.bounding_box(), handle.bounding_box()
        if abs(hb["x"] + hb["width"] / 2 - (tb["x"] + tb["width"])) < 2:
            break
        assert time.monotonic() < deadline, (tb, hb)
        time.sleep(0.05)
    page.mouse.move(hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2)
    before = srcs()
    page.mouse.down()
    page.mouse.move(tb["x"] + tb["width"] / 2, tb["y"] + tb["height"] / 2, steps=8)
    page.mouse.up()
    deadline = time.monotonic() + 10
    while True:
        m = POS.search(where.inner_text())
        if m and 0 < int(m.group(1)) < int(n):
            break
        assert time.monotonic() < deadline, (where.inner_text(), readout.inner_text(), tb, hb,
                                             handle.bounding_box())
        time.sleep(0.05)
    k_mid = int(m.group(1))
    assert abs(k_mid - int(n) / 2) <= int(n) / 4, (k_mid, n)
    expect(readout).to_have_text(str(k_mid))
    redrawn(before)
    shot(view, "player_3_slider_middle")

    # press 'end' and, while the kernel still draws it, click the track at a quarter:
    # the click is not lost, the player ends where it was clicked (not at the end)
    press("end")
    page.mouse.click(tb["x"] + tb["width"] / 4, tb["y"] + tb["height"] / 2)
    deadline = time.monotonic() + 10
    while True:                                 # 'end' is drawn first, then the click
        m = POS.search(where.inner_text())
        if m and 0 < int(m.group(1)) < int(n) / 2 and int(m.group(1)) != k_mid:
            break
        assert time.monotonic() < deadline, (where.inner_text(), readout.inner_text())
        time.sleep(0.05)
    expect(readout).to_have_text(m.group(1))
    quiet()
    time.sleep(0.5)                             # and it stays there
    assert POS.search(where.inner_text()).group(1) == m.group(1) == readout.inner_text()
    before = srcs()
    page.mouse.move(tb["x"] + tb["width"] / 4, tb["y"] + tb["height"] / 2)
    page.mouse.down()                           # back to the middle, as dragged above
    page.mouse.move(tb["x"] + tb["width"] / 2, tb["y"] + tb["height"] / 2, steps=8)
    page.mouse.up()
    deadline = time.monotonic() + 10
    while True:
        m = POS.search(where.inner_text())
        if m and abs(int(m.group(1)) - k_mid) <= 2:
            break
        assert time.monotonic() < deadline, (where.inner_text(), k_mid)
        time.sleep(0.05)
    k_mid = int(m.group(1))
    expect(readout).to_have_text(str(k_mid))
    redrawn(before)

    # type a time: the last event at or before 160 ms (the crash is at 150 ms)
    quiet()
    before = srcs()
    view.locator(".widget-text input[type='number']").fill("160")
    view.locator("button", has_text="run to t").click()
    deadline = time.monotonic() + 10
    while True:                                 # the label leaves the slider's position
        m = POS.search(where.inner_text())
        if m and int(m.group(1)) > k_mid:
            break
        assert time.monotonic() < deadline, (where.inner_text(), k_mid)
        time.sleep(0.05)
    assert 150 <= float(m.group(3)) <= 160, m.group(0)
    expect(readout).to_have_text(m.group(1))
    redrawn(before)
    shot(view, "player_4_run_to_160ms")
    press("one event")                          # the next event is after 160 ms
    m2 = at(f"event {int(m.group(1)) + 1}/{n} ")
    assert float(m2.group(3)) > 160, m2.group(0)
