"""explore's ``after_timeout`` (issue 26): a receive with a short finite ``after`` may
time out while a sender is still runnable, as Concuerror's ``--after_timeout``.

In OTP the timeout is wall-clock: a receive waiting 100 ms for a message that
another process is about to send may still time out (the sender may not be
scheduled for 100 ms).  On the virtual clock it never does, so explore offers
that outcome only on request: ``after_timeout=N`` makes every receive whose
timeout is below N a choice point where it blocks (wait, or time out now);
timeouts of N or more behave as before, and without the option nothing changes.
OTP 25 shows both outcomes explored here (a receive and a gen_server call timing
out while their sender is alive and runnable): tests/oracle_probes/ch26_after_timeout.escript.
"""
import pytest

from otp_lite import erlang, explore
from otp_lite.erlang import TIMEOUT


def two_senders():
    shell = erlang.self()

    def receive_two():
        erlang.receive("one")
        erlang.send(shell, erlang.receive("two", timeout=100))

    pid = erlang.spawn(receive_two)
    erlang.spawn(erlang.send, pid, "two")
    erlang.spawn(erlang.send, pid, "one")
    if erlang.receive() is TIMEOUT:
        raise AssertionError("'two' came late")


def test_without_the_option_the_after_never_beats_a_runnable_sender():
    for kw in ({}, {"after_timeout": None}):
        r = explore.run(two_senders, strategy="dfs", delays=3, runs=300, shrink=False, **kw)
        assert not r.found and r.exhausted, str(r)


@pytest.mark.parametrize("por", [True, False])
def test_with_the_option_the_timeout_is_a_choice_and_replays(por):
    r = explore.run(two_senders, strategy="dfs", delays=3, runs=50, after_timeout=1000, por=por)
    assert r.found and "late" in str(r.reason), str(r)
    assert r.after_timeout == 1000
    assert any(c["kind"] == "after" and c["chosen"] == 0 for c in r.choices)
    assert any("times out" in line for line in r.explain())
    # the schedule string carries the option: it alone replays
    assert r.schedule.startswith("a1000:")
    again = explore.replay(two_senders, r.schedule)
    assert again.found and str(again.error) == str(r.error) and again.trace
    assert explore.replay(r).trace == again.trace      # and a Result replays itself
    assert any("after=0" in line for line in again.trace)   # timed out before the 100 ms
    assert explore.shrink(two_senders, r.schedule).startswith("a1000:")


def test_random_and_pct_take_the_option_too():
    for strategy in ("random", "pct"):
        r = explore.run(two_senders, strategy=strategy, runs=200, after_timeout=1000)
        assert r.found, f"{strategy}: {r}"


def test_a_timeout_at_or_above_the_option_waits_as_before():
    r = explore.run(two_senders, strategy="dfs", delays=3, runs=300, after_timeout=100)
    assert not r.found and r.exhausted, str(r)


def test_no_choice_when_a_message_already_matches_or_nobody_else_runs():
    def polite():
        me = erlang.self()
        erlang.send(me, "x")
        assert erlang.receive("x", timeout=10) == "x"        # matches now: no choice
        assert erlang.receive("y", timeout=10) is TIMEOUT    # nobody else runnable: no choice
    r = explore.run(polite, strategy="dfs", delays=2, runs=10, after_timeout=1000)
    assert not r.found and r.runs == 1
    assert not [c for c in explore.replay(polite, "a1000:").choices if c["kind"] == "after"]


def test_bad_after_timeout_is_a_clear_error():
    for bad in (0, -5, 1.5, "1000", True):
        with pytest.raises(ValueError, match="after_timeout"):
            explore.run(two_senders, after_timeout=bad)
    with pytest.raises(ValueError, match="after_timeout"):
        explore.replay(two_senders, "a1000:0", after_timeout=500)     # two different options
    with pytest.raises(ValueError, match="schedule"):
        explore.replay(two_senders, "a:81")


class _echo:
    def init(_args):
        return ("ok", None)

    def handle_call(req, _from, state):
        return ("reply", req, state)


def short_call():
    """gen_server.call with a 100 ms timeout: in OTP it may time out before the
    server runs (the caller then exits {timeout, ...})."""
    from otp_lite import gen_server
    _ok, pid = gen_server.start(_echo, [], [])
    assert gen_server.call(pid, "ping", 100) == "ping"


def test_a_call_with_a_short_timeout_may_time_out():
    assert not explore.run(short_call, strategy="dfs", delays=2, runs=100).found
    r = explore.run(short_call, strategy="dfs", delays=2, runs=100, after_timeout=1000)
    assert r.found and "timeout" in str(r.reason), str(r)
    assert explore.replay(short_call, r.schedule).found
    # a call at or above the option waits for its reply as before
    assert not explore.run(short_call, strategy="dfs", delays=2, runs=100, after_timeout=100).found


def test_replay_takes_the_option_as_an_argument_or_from_a_result():
    r = explore.run(two_senders, strategy="dfs", delays=3, runs=50, after_timeout=1000)
    plain = r.schedule.split(":", 1)[1]
    assert explore.replay(two_senders, plain, after_timeout=1000).found      # the same run
    assert not explore.replay(two_senders, plain).found      # without it: waits, no failure
    as_list = [int(x) for x in plain.split(".")]
    assert explore.replay(two_senders, as_list, after_timeout=1000).found
    assert explore.replay(two_senders, " " + r.schedule + " ").found
    clean = explore.run(two_senders, strategy="dfs", delays=1, runs=5)
    with pytest.raises(ValueError, match="replay.result"):
        explore.replay(clean)                                    # nothing found: no schedule
