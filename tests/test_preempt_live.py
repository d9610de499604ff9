"""Live mode with a runaway process: the kernel's loop stays responsive.

As in JupyterLab: a running asyncio loop, ``runtime.reset(clock='real')``
goes live, a learner spawns ``while True: pass``.  Timers keep firing, the
loop gets its turns (cells run, clicks arrive), the live observer lists the
spinner with its CPU share, and one click on *kill* ends it.  Wall-clock
bounds are generous; the whole test takes about a second.
"""
import asyncio
import re
import time

import pytest

from otp_lite import erlang, runtime, timer, viz

pytest.importorskip("ipywidgets")


def spin():
    while True: pass                              # noqa: E701


async def _until(cond, limit=3.0):
    t0 = time.monotonic()
    while not cond() and time.monotonic() - t0 < limit:
        await asyncio.sleep(0.01)
    return cond()


def test_runaway_in_live_mode():
    async def notebook():
        runtime.reset(clock="real")
        assert runtime.is_live()
        s = erlang.spawn(spin)
        erlang.register("runaway", s)
        log = []

        def ticker():
            while True:
                timer.sleep(20)
                log.append(runtime.now())

        erlang.spawn(ticker)
        # the loop gets its turns while the spinner runs: "cells run, clicks arrive"
        for _ in range(5):
            t0 = time.monotonic()
            await asyncio.sleep(0.01)
            assert time.monotonic() - t0 < 0.25
        assert await _until(lambda: len(log) >= 5)   # timers fire on wall time
        obs = viz.observer().live()

        def spinner_row():
            for line in obs.table.value.splitlines():
                if "runaway" in line:
                    return line
            return None

        def cpu():
            row = spinner_row()
            return int(row.split()[-1]) if row else -1

        assert await _until(lambda: cpu() >= 50, 6.0), obs.table.value
        assert re.search(r"runaway .* runnable|runaway .* running", spinner_row())
        obs.pick.value = s
        assert not obs.kill_b.disabled
        obs.kill_b.click()
        assert "exit(" in obs.status.value and "kill" in obs.status.value
        assert not erlang.is_process_alive(s)
        assert await _until(lambda: spinner_row() is None)
        n = len(log)
        assert await _until(lambda: len(log) >= n + 3)
        obs.close()
        runtime.live(False)

    t0 = time.monotonic()
    asyncio.run(notebook())
    assert time.monotonic() - t0 < 8
