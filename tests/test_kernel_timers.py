"""Timers and the virtual clock: send_after, cancel/read_timer, start_timer, timer.*."""
import pytest

from otp_lite import erlang, runtime, timer
from otp_lite.erlang import ANY, TIMEOUT, ErlangError, Ref

from otp_testkit import assert_empty_mailbox


def test_virtual_clock_starts_at_zero_and_jumps():
    assert runtime.now() == 0
    timer.sleep(10_000)
    assert runtime.now() == 10_000
    assert erlang.monotonic_time("millisecond") == 10_000
    assert erlang.monotonic_time("second") == 10
    assert erlang.monotonic_time("microsecond") == 10_000_000
    assert erlang.monotonic_time() == 10_000_000_000           # native = ns
    with pytest.raises(ErlangError):
        erlang.monotonic_time("fortnight")


def test_send_after_fires_in_time_order():
    me = erlang.self()
    for ms in (300, 100, 200, 100):
        erlang.send_after(ms, me, ms)
    got = [(erlang.receive(), runtime.now()) for _ in range(4)]
    assert got == [(100, 100), (100, 100), (200, 200), (300, 300)]


def test_cancel_timer_returns_remaining_or_false():
    t = erlang.send_after(1000, erlang.self(), "x")
    assert type(t) is Ref
    assert erlang.read_timer(t) == 1000
    assert erlang.cancel_timer(t) == 1000              # as OTP, immediately: 1000
    assert erlang.cancel_timer(t) is False
    t2 = erlang.send_after(1000, erlang.self(), "y")
    timer.sleep(400)
    assert erlang.cancel_timer(t2) == 600
    t3 = erlang.send_after(50, erlang.self(), "z")
    assert erlang.receive() == "z"
    assert erlang.cancel_timer(t3) is False
    assert erlang.read_timer(t3) is False
    assert erlang.cancel_timer(erlang.make_ref()) is False
    with pytest.raises(ErlangError):
        erlang.cancel_timer("not a ref")
    timer.sleep(2000)
    assert_empty_mailbox()


def test_start_timer_delivers_timeout_tuple():
    t = erlang.start_timer(10, erlang.self(), "hi")
    assert erlang.receive() == ("timeout", t, "hi")


def test_send_after_to_name_resolves_at_fire_time():
    me = erlang.self()
    erlang.send_after(10, "later", "ping")                # not registered yet: fine
    erlang.send_after(10, "nobody", "lost")               # dropped silently
    p = erlang.spawn(lambda: erlang.send(me, ("got", erlang.receive())))
    erlang.register("later", p)
    assert erlang.receive() == ("got", "ping")


def test_send_after_bad_time_is_badarg():
    for bad in (-1, "10", None):
        with pytest.raises(ErlangError) as ei:
            erlang.send_after(bad, erlang.self(), "x")
        assert ei.value.reason == "badarg"
    with pytest.raises(ErlangError):
        erlang.send_after(10, 42, "x")
    with pytest.raises(ErlangError):
        erlang.start_timer(-5, erlang.self(), "x")
    erlang.send_after(0, erlang.self(), "ok")
    assert erlang.receive() == "ok"


def test_timer_module():
    assert timer.sleep(100) == "ok"
    ok, tref = timer.send_after(50, "self_msg")
    assert ok == "ok"
    assert erlang.receive() == "self_msg"
    me = erlang.self()
    assert timer.apply_after(20, erlang.send, me, "applied")[0] == "ok"
    assert erlang.receive() == "applied"
    ok, t = timer.send_after(100, me, "never")
    assert timer.cancel(t) == ("ok", "cancel")
    assert (timer.seconds(2), timer.minutes(1), timer.hours(1)) == (2000, 60_000, 3_600_000)
    us, r = timer.tc(timer.sleep, 5)
    assert (us, r) == (5000, "ok")
    timer.sleep(200)
    assert_empty_mailbox()


def test_timers_in_processes_and_sleep_does_not_eat_messages():
    me = erlang.self()

    def napper():
        erlang.send(erlang.self(), "keep")
        timer.sleep(500)
        erlang.send(me, ("woke", runtime.now(), erlang.receive(timeout=0)))

    erlang.spawn(napper)
    assert erlang.receive() == ("woke", 500, "keep")


def test_receive_timeout_timer_is_cancelled_when_a_message_arrives():
    me = erlang.self()
    erlang.spawn(lambda: erlang.send(me, "quick"))
    assert erlang.receive(timeout=10_000) == "quick"
    runtime.run_until_idle()
    # no stale timeout wakes us later or moves the clock
    assert runtime.now() == 0
    assert erlang.receive(timeout=0) is TIMEOUT


def test_timer_of_dead_process_is_dropped():
    p = erlang.spawn(lambda: erlang.send_after(100, erlang.self(), "x"))
    timer.sleep(200)
    assert not erlang.is_process_alive(p)
