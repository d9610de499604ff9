"""Bad input gets a clear OTP-style error, and the runtime keeps running afterwards."""
import pytest

from otp_lite import erlang, logger, runtime, timer
from otp_lite.erlang import ANY, TIMEOUT, ErlangError


def still_works():
    me = erlang.self()
    p = erlang.spawn(lambda: erlang.send(me, ("pong", erlang.receive())))
    erlang.send(p, "ping")
    assert erlang.receive(("pong", ANY), timeout=100) == ("pong", "ping")


BAD_CALLS = [
    ("send to an int", lambda: erlang.send(42, "x"), "badarg"),
    ("send to a list", lambda: erlang.send(["a"], "x"), "badarg"),
    ("send to None", lambda: erlang.send(None, "x"), "badarg"),
    ("send to a 3-tuple", lambda: erlang.send(("a", "b", "c"), "x"), "badarg"),
    ("send to an unknown name", lambda: erlang.send("nobody", "x"), "badarg"),
    ("receive a set pattern", lambda: erlang.receive({1}, timeout=0), "badarg"),
    ("receive negative timeout", lambda: erlang.receive(timeout=-5), "timeout_value"),
    ("receive string timeout", lambda: erlang.receive(timeout="5"), "timeout_value"),
    ("spawn an int", lambda: erlang.spawn(3), "badarg"),
    ("link to a name", lambda: erlang.link("nobody"), "badarg"),
    ("unlink an int", lambda: erlang.unlink(1), "badarg"),
    ("monitor a port", lambda: erlang.monitor("port", erlang.self()), "badarg"),
    ("monitor an int", lambda: erlang.monitor("process", 5), "badarg"),
    ("demonitor a non-ref", lambda: erlang.demonitor("r"), "badarg"),
    ("exit to a name", lambda: erlang.exit("nobody", "kill"), "badarg"),
    ("exit to an int", lambda: erlang.exit(7, "kill"), "badarg"),
    ("unknown process flag", lambda: erlang.process_flag("bogus", True), "badarg"),
    ("trap_exit non-bool", lambda: erlang.process_flag("trap_exit", "yes"), "badarg"),
    ("register a list name", lambda: erlang.register(["n"], erlang.self()), "badarg"),
    ("unregister unknown", lambda: erlang.unregister("nobody"), "badarg"),
    ("whereis an int", lambda: erlang.whereis(5), "badarg"),
    ("send_after negative", lambda: erlang.send_after(-1, erlang.self(), "x"), "badarg"),
    ("cancel a non-ref", lambda: erlang.cancel_timer(5), "badarg"),
    ("process_info of a name", lambda: erlang.process_info("shell"), "badarg"),
    ("sleep negative", lambda: timer.sleep(-1), "timeout_value"),
]


@pytest.mark.parametrize("what,call,reason", BAD_CALLS, ids=[b[0] for b in BAD_CALLS])
def test_bad_input_in_the_shell(what, call, reason):
    with pytest.raises(ErlangError) as ei:
        call()
    assert ei.value.reason == reason
    assert ei.value.detail, "the error should say what was wrong"
    still_works()


def test_bad_input_in_a_process_is_its_exit_reason():
    with logger.capture() as reports:
        results = []
        for what, call, reason in BAD_CALLS:
            p, r = erlang.spawn_monitor(call)
            down = erlang.receive(("DOWN", r, "process", p, ANY))
            results.append(down[4][0])
    assert results == [b[2] for b in BAD_CALLS]
    assert len(reports) == len(BAD_CALLS)          # each an OTP-style error report
    still_works()


def test_a_raising_predicate_is_a_failing_guard():
    erlang.send(erlang.self(), 1)
    erlang.send(erlang.self(), ("x", 2))
    assert erlang.receive(lambda m: m[0] == "x") == ("x", 2)
    assert erlang.receive(timeout=0) == 1


def test_exit_with_wrong_arity_is_undef():
    # OTP 25: apply(erlang, exit, [a, b, c]) -> error:undef (tests/oracle_probes/ch23_bad_input_bifs.out)
    with pytest.raises(ErlangError) as e:
        erlang.exit()
    assert e.value.reason == "undef"
    still_works()


def test_runtime_survives_a_storm_of_crashes():
    with logger.capture():
        for i in range(200):
            erlang.spawn(lambda i=i: 1 / (i - i))
        runtime.run_until_idle()
    assert len(erlang.processes()) == 1
    still_works()
    assert erlang.receive(timeout=0) is TIMEOUT
