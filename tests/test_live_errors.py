"""Errors in callbacks the runtime runs itself are shown and survived (issue 18).

A timer callback that raises used to run inside the scheduler's own greenlet
and kill it: no more timers, restarts or messages, a kernel spinning at 100 %,
and nothing on screen.  Now it is an ERROR REPORT and everything else goes on.
"""
import asyncio
import math
import time

from otp_lite import erlang, runtime, timer
from otp_lite.erlang import ANY, TIMEOUT, ErlangError
from otp_lite.kernel.timers import CALL

import pytest


def test_apply_after_with_erlang_style_mfa_runs_it(rt):
    me = erlang.self()
    timer.apply_after(10, erlang, "send", [me, "mfa ran"])
    assert erlang.receive() == "mfa ran"
    assert runtime.now() == 10


def test_apply_after_an_undefined_function_is_undef_in_its_own_process(rt, capsys):
    timer.apply_after(10, "no_such_module", "fun", [])
    timer.apply_after(10, math, "no_such_fun", [1])
    assert erlang.receive(timeout=50) is TIMEOUT          # the shell, the scheduler: unharmed
    out = capsys.readouterr().out
    assert out.count("ERROR REPORT") == 2 and "'undef'" in out
    me = erlang.self()
    erlang.send_after(10, me, "timers still fire")
    assert erlang.receive() == "timers still fire"


def test_apply_after_a_non_function_is_badarg_at_once(rt):
    with pytest.raises(ErlangError) as ei:
        timer.apply_after(10, 42)
    assert ei.value.reason == "badarg"


def test_a_timer_callback_that_raises_is_reported_and_survived(rt, capsys):
    def boom():
        raise ValueError("boom in a callback")

    rt.add_timer(10, CALL, boom, ())
    me = erlang.self()
    erlang.send_after(20, me, "later")
    assert erlang.receive() == "later"
    assert not rt.hub.dead
    out = capsys.readouterr().out
    assert "Error in a timer callback" in out and "ValueError: boom in a callback" in out


def test_live_mode_survives_a_raising_timer(capsys):
    async def notebook():
        rt = runtime.reset(clock="real")
        assert runtime.is_live()
        rt.add_timer(5, CALL, lambda: 1 / 0, ())
        log = []

        def ticker():
            for _ in range(3):
                timer.sleep(10)
                log.append(runtime.now())

        erlang.spawn(ticker)
        t0 = time.monotonic()
        while len(log) < 3 and time.monotonic() - t0 < 2:
            await asyncio.sleep(0.01)
        assert len(log) == 3
        runtime.live(False)

    asyncio.run(notebook())
    assert "ZeroDivisionError" in capsys.readouterr().out
