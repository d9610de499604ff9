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
    assert timer.apply_after(10, 42) == ("error", "badarg")       # OTP 25 (oracle_probes/ch5_timer.erl)


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


class Door:
    """A two-state gen_statem: 'open' prints, 'crash' raises; a state timeout reports."""
    @staticmethod
    def callback_mode():
        return "state_functions"

    @staticmethod
    def init(_):
        return ("ok", "closed", None)

    @staticmethod
    def closed(kind, ev, data):
        if ev == "open":
            print("the door opens")
            return ("next_state", "opened", data, [("state_timeout", 10, "close")])
        if ev == "crash":
            raise RuntimeError("the door broke")
        return ("keep_state_and_data",)

    @staticmethod
    def opened(kind, ev, data):
        if kind == "state_timeout":
            print("closing after the state timeout")
            return ("next_state", "closed", data)
        return ("keep_state_and_data",)


def _texts(out):
    return "".join(o.get("text", "") for o in out.outputs)


def test_widget_output_lands_under_the_widget(rt):
    """A button's print and its error report go to the widget's output area, not to
    JupyterLab's hidden Log Console; an exception is in the status line too."""
    pytest.importorskip("ipywidgets")
    from otp_lite import gen_statem, viz
    viz.record()
    _, pid = gen_statem.start(Door, [], [])
    lv = viz.fsm(pid).live({"open": lambda: gen_statem.cast(pid, "open"),
                            "boom": lambda: 1 / 0})
    lv.buttons[0].click()
    assert "the door opens" in _texts(lv.out)
    timer.sleep(20)                                  # the state timeout (printed in a cell: the cell)
    lv.buttons[1].click()
    assert "ZeroDivisionError" in _texts(lv.out)
    assert "ZeroDivisionError" in lv.status.value
    lv.close()
    viz.stop_recording()


def test_live_tick_output_lands_under_the_newest_view(capsys):
    """Between cells (a live tick), what processes print goes under the newest live view."""
    pytest.importorskip("ipywidgets")
    from otp_lite import gen_statem, viz

    async def notebook():
        runtime.reset(clock="real")
        viz.record()
        _, pid = gen_statem.start(Door, [], [])
        lv = viz.observer().live()
        gen_statem.cast(pid, "open")                 # prints in the next tick, then times out
        t0 = time.monotonic()
        while "closing after" not in _texts(lv.out) and time.monotonic() - t0 < 2:
            await asyncio.sleep(0.01)
        assert "the door opens" in _texts(lv.out) and "closing after" in _texts(lv.out)
        lv.close()
        viz.stop_recording()
        runtime.live(False)

    asyncio.run(notebook())
