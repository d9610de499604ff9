"""The scheduler: FIFO run queue, reduction budget, seeded shuffle, spawn errors."""
import pytest

from otp_lite import erlang, runtime, timer
from otp_lite.erlang import ANY, ErlangError
from otp_lite.kernel.scheduler import BUDGET


def _stepper(log, tag, n):
    for i in range(n):
        log.append((tag, i))
        erlang.yield_()


def test_run_queue_is_fifo_by_default():
    log = []
    for tag in "abc":
        erlang.spawn(_stepper, log, tag, 3)
    runtime.run_until_idle()
    assert log == [(t, i) for i in range(3) for t in "abc"]


def test_spawn_returns_before_the_child_runs():
    log = []
    erlang.spawn(log.append, "child")
    log.append("parent")
    runtime.run_until_idle()
    assert log == ["parent", "child"]


def test_chatty_sender_cannot_starve_another_process():
    log = []

    def sink():
        erlang.receive("never")

    s = erlang.spawn(sink)

    def chatty():
        for i in range(5 * BUDGET):
            erlang.send(s, i)
            if i % 500 == 0:
                log.append(("chatty", i))

    def quiet():
        log.append(("quiet",))

    erlang.spawn(chatty)
    erlang.spawn(quiet)
    runtime.run_until_idle()
    pos = log.index(("quiet",))
    assert 0 < pos < len(log) - 1, "quiet ran only after chatty finished: no preemption"
    # it ran after about one budget of sends
    assert log[pos - 1][1] < 2 * BUDGET


def test_two_busy_processes_interleave():
    log = []

    def busy(tag):
        for i in range(4 * BUDGET):
            erlang.send(sink, i)
            if i % BUDGET == 0:
                log.append(tag)

    sink = erlang.spawn(lambda: erlang.receive("never"))
    erlang.spawn(busy, "a")
    erlang.spawn(busy, "b")
    runtime.run_until_idle()
    assert log[:4] == ["a", "b", "a", "b"]


def test_receive_loop_counts_reductions_too():
    log = []

    def reader():
        for _ in range(3 * BUDGET):
            erlang.send(erlang.self(), 1)
            erlang.receive()
        log.append(erlang.process_info(erlang.self(), "reductions")[1])
        erlang.receive("never")

    p = erlang.spawn(reader)
    erlang.spawn(log.append, "other")
    runtime.run_until_idle()
    assert log[0] == "other" and log[1] >= 6 * BUDGET
    erlang.exit(p, "kill")


def _scenario(seed):
    runtime.reset(seed=seed, shuffle=True)
    log = []
    for tag in "abcde":
        erlang.spawn(_stepper, log, tag, 6)
    runtime.run_until_idle()
    return log


def test_shuffle_is_deterministic_for_a_seed():
    assert _scenario(42) == _scenario(42)
    base = _scenario(1)
    assert any(_scenario(s) != base for s in range(2, 8))
    # the shuffle never loses or duplicates work
    assert sorted(base) == sorted((t, i) for t in "abcde" for i in range(6))


def test_spawn_non_callable_is_badarg_and_runtime_keeps_running():
    for bad in (5, "fun", None):
        with pytest.raises(ErlangError) as ei:
            erlang.spawn(bad)
        assert ei.value.reason == "badarg"
        with pytest.raises(ErlangError):
            erlang.spawn_link(bad)
        with pytest.raises(ErlangError):
            erlang.spawn_monitor(bad)
    p, r = erlang.spawn_monitor(lambda: None)
    assert erlang.receive() == ("DOWN", r, "process", p, "normal")


def test_wrong_arity_is_the_processes_exit_reason():
    from otp_lite import logger
    with logger.capture():
        p, r = erlang.spawn_monitor(lambda x: x)
        reason = erlang.receive(("DOWN", r, ANY, ANY, ANY))[4]
    assert reason[0][0] == "badarity" and isinstance(reason[0][1], TypeError)   # OTP: {badarity, ...}
    assert erlang.spawn(lambda: None)       # still working


def test_run_until_idle_from_a_process_is_refused():
    me = erlang.self()

    def body():
        try:
            runtime.run_until_idle()
        except RuntimeError as e:
            erlang.send(me, ("refused", "shell" in str(e)))

    erlang.spawn(body)
    assert erlang.receive() == ("refused", True)


def test_many_processes_cheaply():
    me = erlang.self()
    n = 3000
    for i in range(n):
        erlang.spawn(erlang.send, me, i)
    got = [erlang.receive() for _ in range(n)]
    assert got == list(range(n))
    timer.sleep(1)
    assert len(erlang.processes()) == 1
