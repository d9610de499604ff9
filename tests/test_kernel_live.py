"""Live mode: with the real clock inside a running asyncio loop (as in ipykernel),
processes and timers run between cells, and a busy process cannot freeze the loop.

The only test in the suite that uses wall time; it stays well under 0.5 s.
"""
import asyncio
import time

import pytest

from otp_lite import erlang, runtime, timer
from otp_lite.erlang import TIMEOUT


async def _until(cond, limit=0.3):
    t0 = time.monotonic()
    while not cond() and time.monotonic() - t0 < limit:
        await asyncio.sleep(0.005)
    return cond()


def test_live_mode_runs_processes_and_timers_between_cells():
    async def notebook():
        runtime.reset(clock="real")                 # in a running loop: live by itself
        assert runtime.is_live()
        me = erlang.self()
        log = []

        def ticker():
            for i in range(3):
                timer.sleep(10)
                log.append(i)

        erlang.spawn(ticker)                        # "cell 1" ends here: nobody calls the runtime
        assert log == []
        assert await _until(lambda: len(log) == 3)

        t0 = time.monotonic()
        erlang.send_after(30, me, "ding")           # fires on wall time, no cell running
        assert await _until(lambda: len(me.mbox) == 1)
        assert time.monotonic() - t0 >= 0.025
        assert erlang.receive(timeout=0) == "ding"

        def busy():
            while True:
                erlang.yield_()

        b = erlang.spawn(busy)
        t0 = time.monotonic()
        await asyncio.sleep(0.02)                   # the loop still gets its turns
        assert time.monotonic() - t0 < 0.15
        lv = runtime.live()                         # restart with explicit options
        assert await _until(lambda: lv.ticks >= 2)
        erlang.exit(b, "kill")
        assert await _until(lambda: not erlang.is_process_alive(b))
        runtime.live(False)
        assert not runtime.is_live()
        erlang.spawn(log.append, "not live")
        await asyncio.sleep(0.02)
        assert log[-1] == 2                         # nothing runs between cells any more
        runtime.run_until_idle()
        assert log[-1] == "not live"

    t0 = time.monotonic()
    asyncio.run(notebook())
    assert time.monotonic() - t0 < 0.5


def test_live_shell_death_is_reported_not_raised(capsys):
    async def notebook():
        runtime.reset(clock="real")
        old = erlang.self()
        erlang.spawn_link(lambda: erlang.exit("boom"))
        assert await _until(lambda: erlang.self() is not old, 0.2)
        assert erlang.receive(timeout=0) is TIMEOUT
        runtime.live(False)

    asyncio.run(notebook())
    assert "boom" in capsys.readouterr().out


def test_live_needs_real_clock_and_a_loop():
    with pytest.raises(ValueError):
        runtime.live()                              # the fixture's runtime is virtual
    runtime.reset(clock="real")                     # no running loop: not live
    assert not runtime.is_live()
    with pytest.raises(RuntimeError):
        runtime.live()
    runtime.live(False)
