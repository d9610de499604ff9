"""Real browser: live mode.  With ``runtime.reset(clock='real')`` in JupyterLab,
processes keep running between cells, on wall-clock time.

The notebook starts a ticker process (``send_after(300, self(), 'tick')``
forever; each tick writes ``tick N`` into an ipywidgets label) and a starter
that, 300 ms after the cell, spawns and registers ``late``; a live process
table shows it.  Chromium waits until every cell has finished (the kernel is
idle, the ticker would make a cell that waited for the runtime never end),
then, without running any other cell, sees the label count up and ``late``
appear in the table.  The execution counts do not move meanwhile.
"""
import re
import time

import pytest

pytestmark = pytest.mark.browser

CELLS = [
    "runtime.reset(clock='real')\nrec = viz.record()",
    "import ipywidgets as w\n"
    "label = w.HTML('waiting')\nlabel.add_class('otp-ticker')\n"
    "def ticker(n):\n"
    "    while True:\n"
    "        erlang.receive()\n"
    "        n += 1\n"
    "        label.value = f'tick {n} at {runtime.now():.0f} ms'\n"
    "        erlang.send_after(300, erlang.self(), 'tick')\n"
    "def starter():\n"
    "    erlang.receive()\n"
    "    erlang.register('late', erlang.spawn(erlang.receive))\n"
    "erlang.send_after(300, erlang.spawn(ticker, 0), 'tick')\n"
    "erlang.send_after(300, erlang.spawn(starter), 'go')\n"
    "label",
    "obs = viz.observer().live()\nobs",
]

TICK = re.compile(r"tick (\d+) at (\d+) ms")


def _prompts(page):
    return [t.strip() for t in page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()]


def test_processes_run_between_cells(notebook, shot, cells_done):
    from playwright.sync_api import expect
    page = notebook("live_mode", CELLS)
    cells_done(page, len(CELLS) + 1)
    done = _prompts(page)
    label = page.locator(".otp-ticker")
    table = page.locator("pre.otp-observer")
    expect(table).to_be_visible(timeout=10_000)
    idle = page.get_by_role("button", name=re.compile(r"Python 3.*\| Idle"))

    seen = []                  # (tick number, runtime ms) while the kernel was idle
    deadline = time.monotonic() + 20
    while len(seen) < 3 or not seen or seen[-1][0] < seen[0][0] + 2:
        assert time.monotonic() < deadline, (seen, label.inner_text())
        m = TICK.search(label.inner_text())
        if m and idle.count() and (not seen or int(m.group(1)) > seen[-1][0]):
            seen.append((int(m.group(1)), int(m.group(2))))
        time.sleep(0.05)
    assert _prompts(page) == done, "no cell ran meanwhile"
    (n0, t0), (n1, t1) = seen[0], seen[-1]
    assert t1 - t0 >= 300 * (n1 - n0) - 5, seen           # ticks 300 ms apart on the runtime clock
    expect(table).to_contain_text("late", timeout=10_000)
    shot(page.locator(".jp-Notebook"), "live_mode_ticking")
    assert _prompts(page) == done
