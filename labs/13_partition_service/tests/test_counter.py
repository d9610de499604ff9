"""Checks for lab 13: a counter service that survives a partition.  Tasks are the ``## N.`` headings of README.md.

Every check builds its own cluster on the virtual clock: the shell on ``shell@host0``, the
service on ``n1@host1`` and ``n2@host2`` (1 ms between any two nodes, OTP's 60 s tick).
"""
import pytest

from otp_lite import dist, erlang, global_, runtime, timer
from otp_lite.erlang import ANY
from otp_lite.grade.labkit import require, expect, check

# Import guard: a missing or misnamed function fails every check with one clear line.
counter = require("counter", "call", "apply_add", "become_primary", "become_standby", "merge",
                  "handle", "start_primary", "start_standby", "add")

N1, N2 = "n1@host1", "n2@host2"
TICK = 60_000


def nodes():
    dist.start("shell@host0")
    dist.start_node(N1)
    dist.start_node(N2)


def cluster(primary_node=N1, standby_node=N2):
    """A primary and its standby, settled; returns their pids."""
    nodes()
    p = counter.start_primary(primary_node)
    runtime.run_until_idle()
    s = counter.start_standby(standby_node, p)
    runtime.run_until_idle()
    return p, s


def read(tag="read"):
    """The service's total, as a client sees it: add 0 under a fresh request id."""
    return counter.add((tag, erlang.make_ref()), 0, 1000)


def where(node):
    """Who holds the global name, in ``node``'s view."""
    return _on(node, global_.whereis_name, counter.NAME)


def _on(node, fun, *args):
    """Run ``fun(*args)`` on ``node`` (a process there) and return what it returned."""
    me, tag = erlang.self(), erlang.make_ref()
    erlang.spawn(node, lambda: erlang.send(me, (tag, fun(*args))))
    return erlang.receive((tag, ANY), timeout=5000)[1]


def stop_and_settle(node):
    dist.stop_node(node)
    timer.sleep(100)


# ---------------------------------------------------------------- task 1
@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_call_answers_ok():
    """call() wraps the remote answer in ('ok', Value)"""
    nodes()
    expect(f"counter.call({N1!r}, 'erlang', 'node', [], 1000)",
           counter.call(N1, "erlang", "node", [], 1000), ("ok", N1))


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_call_to_a_stopped_node():
    """a node that is down gives ('error', 'nodedown')"""
    nodes()
    dist.stop_node(N1)
    expect(f"counter.call({N1!r}, 'erlang', 'node', [], 1000) after dist.stop_node({N1!r})",
           counter.call(N1, "erlang", "node", [], 1000), ("error", "nodedown"))


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_call_times_out_during_a_cut():
    """a cut shorter than the tick: ('error', 'timeout') after `timeout` ms, not a nodedown at 60 s"""
    nodes()
    counter.call(N1, "erlang", "node", [], 1000)            # connected
    dist.partition("shell@host0", N1)
    t0 = runtime.now()
    got = counter.call(N1, "erlang", "node", [], 1000)
    waited = round(runtime.now() - t0)
    expect(f"counter.call({N1!r}, 'erlang', 'node', [], 1000) during a cut", got, ("error", "timeout"))
    check("how long that call took (virtual ms; the timeout was 1000)", waited, 1000)


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_call_remote_exit_is_an_error():
    """a function that exits on the remote node gives ('error', ('EXIT', Reason))"""
    nodes()
    expect(f"counter.call({N1!r}, 'erlang', 'exit', ['bye'], 1000)",
           counter.call(N1, "erlang", "exit", ["bye"], 1000), ("error", ("EXIT", "bye")))


# ---------------------------------------------------------------- task 2
@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_apply_add_a_new_request():
    """apply_add adds n, logs (n, total) under the id and answers the new total"""
    state = {"total": 5, "log": {"r0": (5, 5)}}
    got = counter.apply_add(state, "r1", 3)
    expect("counter.apply_add({'total': 5, 'log': {'r0': (5, 5)}}, 'r1', 3)", got,
           (8, {"total": 8, "log": {"r0": (5, 5), "r1": (3, 8)}}))


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_apply_add_a_known_request():
    """a request id already in the log is not applied again: the first answer, the state unchanged"""
    state = {"total": 20, "log": {"r1": (3, 8), "r2": (12, 20)}}
    got = counter.apply_add(state, "r1", 3)
    expect("counter.apply_add({'total': 20, 'log': {'r1': (3, 8), 'r2': (12, 20)}}, 'r1', 3)", got,
           (8, {"total": 20, "log": {"r1": (3, 8), "r2": (12, 20)}}))


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_primary_answers_adds():
    """the primary holds the global name 'counter' and answers add() with the new total"""
    nodes()
    counter.start_primary(N1)
    runtime.run_until_idle()
    expect("counter.add('a', 5)", counter.add("a", 5), ("ok", 5))
    expect("counter.add('b', 7)", counter.add("b", 7), ("ok", 12))


# ---------------------------------------------------------------- task 3
@pytest.mark.task(taskno=3)
@pytest.mark.points(3)
def test_standby_takes_over_when_the_node_stops():
    """the primary's node stops: the standby holds the global name"""
    p, s = cluster()
    stop_and_settle(N1)
    check(f"global_.whereis_name('counter') after dist.stop_node({N1!r}) (the standby is {s})",
          global_.whereis_name("counter"), s)


@pytest.mark.task(taskno=3)
@pytest.mark.points(3)
def test_standby_takes_over_when_the_primary_dies():
    """the primary process is killed, its node lives on: the standby holds the global name"""
    p, s = cluster()
    erlang.exit(p, "kill")
    timer.sleep(100)
    check(f"global_.whereis_name('counter') after erlang.exit(primary, 'kill') (the standby is {s})",
          global_.whereis_name("counter"), s)


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_new_primary_has_the_total():
    """the standby kept a copy: after the takeover the total goes on from where it was"""
    cluster()
    counter.add("a", 5)
    counter.add("b", 7)
    stop_and_settle(N1)
    expect("counter.add('c', 1) after the primary's node stopped (5 and 7 were added before)",
           counter.add("c", 1), ("ok", 13))


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_retry_after_a_failover_is_not_applied_twice():
    """a request retried at the new primary gets its first answer, and is not added again"""
    cluster()
    counter.add("a", 5)
    counter.add("b", 7)
    stop_and_settle(N1)
    expect("counter.add('b', 7) again, after the failover", counter.add("b", 7), ("ok", 12))
    expect("counter.add('z', 0) then", counter.add("z", 0), ("ok", 12))


# ---------------------------------------------------------------- task 4
def split_brain(primary_node=N1, standby_node=N2):
    """The story of task 4, on the virtual clock; returns (primary, standby) after the heal.

    Before the cut: r1 (+1) and r2 (+2).  At the cut, r5 (+1000) is on the wire: the primary
    applies it, its answer and its replica are lost, the client times out.  After the tick the
    standby takes over; the client retries r5 there and adds r4 (+100); a client on the
    primary's side adds r3 (+10).  Then the network heals and the shell talks to the primary's
    node again.  Every request applied once: 1 + 2 + 1000 + 100 + 10 = 1113.
    """
    p, s = cluster(primary_node, standby_node)
    me = erlang.self()
    counter.add("r1", 1)
    counter.add("r2", 2)

    def far_client():                             # on the primary's side of the cut
        timer.sleep(TICK + 10_000)
        erlang.send(me, ("far", counter.add("r3", 10)))

    erlang.spawn(primary_node, far_client)
    erlang.spawn(lambda: erlang.send(me, ("r5", counter.add("r5", 1000, 1000))))
    runtime.run_until_idle()                      # r5 is on the wire
    dist.partition([primary_node], ["shell@host0", standby_node])
    erlang.receive(("r5", ANY))                   # ('error', 'timeout')
    timer.sleep(TICK)                             # the standby has taken over
    counter.add("r5", 1000)                       # the retry
    counter.add("r4", 100)
    timer.sleep(20_000)                           # r3 is added on the other side
    dist.heal()
    _on(primary_node, erlang.node)                # a message: the sides connect, global merges
    timer.sleep(100)
    return p, s


@pytest.mark.task(taskno=4)
@pytest.mark.points(3)
def test_after_the_heal_one_name():
    """after the heal both sides see one 'counter': the pid on the node whose name sorts first"""
    p, s = split_brain()
    check(f"global_.whereis_name('counter') on shell@host0 after the heal (primary {p} on {N1}, "
          f"standby {s} on {N2})", global_.whereis_name("counter"), p)
    check(f"global_.whereis_name('counter') on {N2} after the heal", where(N2), p)


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_after_the_heal_nobody_was_killed():
    """both primaries live on after the heal (global's default resolve would kill one)"""
    p, s = split_brain()
    check(f"that global_.whereis_name('counter') is primary {p} or standby {s} after the heal",
          global_.whereis_name("counter") in (p, s), True)
    check(f"which of primary {p} and standby {s} are alive after the heal",
          (p.alive, s.alive), (True, True))


@pytest.mark.task(taskno=4)
@pytest.mark.points(3)
def test_after_the_heal_every_request_counts_once():
    """the loser hands its log to the winner: every request of both sides counted once (1113)"""
    split_brain()
    expect("counter.add('z', 0) after the heal (r1 +1, r2 +2, r3 +10, r4 +100, r5 +1000, "
           "r5 applied on both sides)", counter.add("z", 0), ("ok", 1113))


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_after_the_heal_the_loser_is_the_standby():
    """the loser watches the winner again: stop the winner's node and it takes over"""
    p, s = split_brain()
    stop_and_settle(N1)
    check(f"global_.whereis_name('counter') after the heal, then dist.stop_node({N1!r})",
          global_.whereis_name("counter"), s)


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_the_winner_is_chosen_by_node_name():
    """primary on n2, standby on n1: after the heal the one on n1 (first by name) keeps the name"""
    p, s = split_brain(primary_node=N2, standby_node=N1)
    check(f"global_.whereis_name('counter') after the heal (primary {p} on {N2}, standby {s} "
          f"on {N1}, which took over)", global_.whereis_name("counter"), s)


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_merge_applies_only_unknown_requests():
    """merge(state, log) applies the other log's requests that state has not applied"""
    state = {"total": 13, "log": {"r1": (1, 1), "r2": (2, 3), "r3": (10, 13)}}
    other = {"r1": (1, 1), "r2": (2, 3), "r4": (100, 103)}
    got = counter.merge(state, other)
    check("counter.merge(state, other)['total'] (state: r1 +1, r2 +2, r3 +10; other: r1, r2, r4 +100)",
          got["total"] if isinstance(got, dict) else got, 113)
    check("sorted(counter.merge(state, other)['log'])", sorted(got["log"]), ["r1", "r2", "r3", "r4"])
