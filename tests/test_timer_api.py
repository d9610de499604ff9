"""timer: OTP 25's API, answers and bad input (tests/oracle_probes/ch5_timer.erl, with its output)."""
import pytest

from otp_lite import erlang, runtime, timer
from otp_lite.erlang import ANY, ErlangError


@pytest.fixture(autouse=True)
def fresh():
    runtime.reset(seed=0)


def _ticks(n):
    t0 = erlang.monotonic_time("millisecond")
    out = []
    for _ in range(n):
        m = erlang.receive()
        out.append((m if type(m) is str else m[0], erlang.monotonic_time("millisecond") - t0))
    return out


def test_send_interval_ticks_until_cancelled():
    # OTP: send_interval/3 ticks: [{tick,100},{tick,200},{tick,300}]; cancel: {ok,cancel}; after cancel: nothing
    ok, tref = timer.send_interval(100, erlang.self(), "tick")
    assert ok == "ok"
    assert _ticks(3) == [("tick", 100), ("tick", 200), ("tick", 300)]
    assert timer.cancel(tref) == ("ok", "cancel")
    timer.sleep(250)
    assert erlang.process_info(erlang.self(), "messages")[1] == []
    assert timer.cancel(tref) == ("ok", "cancel")          # OTP: cancel again: {ok,cancel}


def test_send_interval_2_and_apply_interval():
    ok, tref = timer.send_interval(100, "tock")               # to the caller
    assert _ticks(2) == [("tock", 100), ("tock", 200)]
    timer.cancel(tref)
    me = erlang.self()
    ok, tref = timer.apply_interval(100, lambda: erlang.send(me, ("applied", 0)))
    assert _ticks(2) == [("applied", 100), ("applied", 200)]
    assert timer.cancel(tref) == ("ok", "cancel")


def test_an_interval_stops_with_its_destination_and_apply_interval_with_its_caller():
    q = erlang.spawn(lambda: erlang.receive("stop"))
    ok, tref = timer.send_interval(100, q, "x")
    erlang.exit(q, "kill")
    timer.sleep(250)
    assert timer.cancel(tref) == ("ok", "cancel")             # OTP: {ok,cancel}
    me = erlang.self()
    setter = erlang.spawn(lambda: (timer.apply_interval(100, lambda: erlang.send(me, "applied")),
                                   erlang.receive("stop")))
    assert erlang.receive("applied") == "applied"
    erlang.exit(setter, "kill")
    timer.sleep(350)
    assert erlang.process_info(erlang.self(), "messages")[1] == []


@pytest.mark.parametrize("call", [
    lambda: timer.send_after(-1, erlang.self(), "x"), lambda: timer.send_after("x", erlang.self(), "x"),
    lambda: timer.send_after(1.5, erlang.self(), "x"), lambda: timer.send_interval(-1, erlang.self(), "x"),
    lambda: timer.apply_after("x", print), lambda: timer.apply_after(100, 42, "f", []),
    lambda: timer.apply_interval(100, 42), lambda: timer.exit_after(-5, erlang.self(), "r"),
    lambda: timer.cancel("nonsense"),
], ids=["send_after-neg", "send_after-atom", "send_after-float", "interval-neg", "apply_after-atom",
        "apply_after-42", "apply_interval-42", "exit_after-neg", "cancel-nonsense"])
def test_bad_input_is_error_badarg(call):
    assert call() == ("error", "badarg")


def test_conversions_and_tc():
    assert timer.hms(1, 2, 3) == 3723000                      # OTP: hms(1,2,3): 3723000
    assert timer.seconds(1.5) == 1500.0                       # OTP: 1.5e3
    with pytest.raises(ErlangError) as e:
        timer.seconds("x")
    assert e.value.reason == "badarith"
    with pytest.raises(ErlangError) as e:
        timer.tc(42)
    assert e.value.reason == ("badfun", 42)
    assert timer.tc("builtins", "sorted", [[2, 1]])[1] == [1, 2]
    with pytest.raises(ErlangError) as e:
        timer.sleep("x")
    assert e.value.reason == "timeout_value"


def test_exit_after_and_kill_after():
    r = erlang.spawn(lambda: erlang.receive("never"))
    mr = erlang.monitor("process", r)
    assert timer.exit_after(100, r, "bye")[0] == "ok"
    assert erlang.receive(("DOWN", mr, ANY, ANY, ANY))[4] == "bye"   # OTP: exit_after: DOWN bye

    def trapper():
        erlang.process_flag("trap_exit", True)
        erlang.receive("never")
    s = erlang.spawn(trapper)
    ms = erlang.monitor("process", s)
    timer.kill_after(100, s)
    assert erlang.receive(("DOWN", ms, ANY, ANY, ANY))[4] == "killed"  # OTP: kill_after: DOWN killed
