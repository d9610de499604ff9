"""Checks for lab 14: exactly-once in effect over a lossy network.

Tasks are the ``## N.`` headings of README.md.  Task 1 calls ``handle``
directly (a pure function, no network).  Tasks 2-4 run on the simulated
network of ``otp_lite.dist``: the shell on ``shell@host0``, the replica on
``replica@host1``, 5 ms apart, on the virtual clock.  Message loss comes from
the network's seeded random generator (``dist.start(loss=..., seed=...)``), or
is switched on and off at chosen instants to lose exactly one request or one
reply.  The replica's state is read with the ``('inspect', pid)`` message
over a loss-free link.
"""
import pytest

from otp_lite import dist, erlang, runtime, timer
from otp_lite.erlang import ANY, TIMEOUT
from otp_lite.grade.labkit import require, expect, check

idem = require("idem", "handle", "start_replica", "call", "apply_op", "new_data", "new_state")

HERE, THERE = "shell@host0", "replica@host1"
FREQS = [10, 11, 12, 13, 14, 15, 16, 17]


# ---------------------------------------------------------------- helpers
def step(state, req_id, op, now):
    """handle(...) -> (result, state), with a shape guard."""
    call = f"idem.handle(state, {req_id!r}, {op!r}, {now})"
    got = idem.handle(state, req_id, op, now)
    ok = type(got) is tuple and len(got) == 2 and type(got[1]) is dict and "data" in got[1] and "seen" in got[1]
    if not ok:
        raise AssertionError(f"Called {call}. Got {got!r}, expected (result, {{'data': ..., 'seen': ...}}).")
    return got


def fresh():
    return idem.new_state(idem.new_data(FREQS))


def network(loss=0.0, seed=0):
    """The shell's node, the replica's node, and the replica on it."""
    dist.start(HERE, latency=5, loss=loss, seed=seed)
    dist.start_node(THERE)
    pid = idem.start_replica(THERE, FREQS)
    runtime.current().run_until_idle()
    return pid


def now():
    return erlang.monotonic_time("millisecond")


def at(t, fun, *args):
    """Run ``fun(*args)`` at virtual time ``t`` (ms), from a process of its own on this node."""
    def run():
        timer.sleep(max(0, t - now()))
        fun(*args)
    erlang.spawn(run)


def lossy(loss):
    dist.set_link(HERE, THERE, loss=loss)


def inspect():
    """The replica's state, read over a loss-free link."""
    lossy(0.0)
    erlang.send(("replica", THERE), ("inspect", erlang.self()))
    r = erlang.receive(("inspect", ANY), timeout=1000)
    if r is TIMEOUT:
        raise AssertionError("Sent ('inspect', self()) to ('replica', 'replica@host1'). Got no answer in 1 s, "
                             "expected ('inspect', state): is the replica registered as 'replica' and alive?")
    return r[1]


def call(op):
    return idem.call(THERE, op)


# ---------------------------------------------------------------- 1. the replica's rule
@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_a_new_request_is_applied():
    """A request with a new id is applied: its result is returned and the data changes."""
    r, st = step(fresh(), "r1", ("incr", 5), 0)
    expect("idem.handle(<fresh>, 'r1', ('incr', 5), 0)[0]", r, 5)
    check("the counter after it", st["data"]["counter"], 5)


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_a_repeat_is_answered_from_memory():
    """The same id again: the first result is returned and nothing is applied again."""
    _r, st = step(fresh(), "r1", ("incr", 5), 0)
    r, st = step(st, "r1", ("incr", 5), 300)
    expect("idem.handle(state, 'r1', ('incr', 5), 300) (a repeat)", r, 5)
    check("the counter after the repeat", st["data"]["counter"], 5)


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_a_repeated_allocate_holds_one_frequency():
    """A repeated allocate gets the frequency of the first, and only one frequency is held."""
    r1, st = step(fresh(), "a1", ("allocate", "alice"), 0)
    r2, st = step(st, "a1", ("allocate", "alice"), 200)
    expect("idem.handle(state, 'a1', ('allocate', 'alice'), 200) (a repeat)", r2, r1)
    check("the held frequencies after a repeated allocate", st["data"]["held"], {10: "alice"})


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_two_requests_with_the_same_operation_both_apply():
    """Two requests are two ids, even with equal operations: both apply."""
    _r, st = step(fresh(), "r1", ("incr", 1), 0)
    r, st = step(st, "r2", ("incr", 1), 10)
    expect("idem.handle(state, 'r2', ('incr', 1), 10) after 'r1' did the same", r, 2)


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_a_result_is_kept_keep_ms():
    """A repeat just under KEEP_MS after the first is still answered from memory."""
    _r, st = step(fresh(), "r1", ("incr", 1), 1000)
    for t in range(1100, 1000 + idem.KEEP_MS, 500):
        _r, st = step(st, ("other", t), ("incr", 0), t)
    r, st = step(st, "r1", ("incr", 1), 1000 + idem.KEEP_MS - 1)
    expect(f"idem.handle(state, 'r1', ('incr', 1), {1000 + idem.KEEP_MS - 1}) (a repeat)", r, 1)
    check("the counter", st["data"]["counter"], 1)


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_the_table_forgets_old_results():
    """Results older than KEEP_MS are forgotten: the table stays small however long the replica runs."""
    st, every = fresh(), 100
    for i in range(600):
        _r, st = step(st, ("r", i), ("incr", 1), i * every)
    most = idem.KEEP_MS // every + 1
    if len(st["seen"]) > most:
        raise AssertionError(f"Checked len(state['seen']) after 600 requests, one every {every} ms. "
                             f"Got {len(st['seen'])}, expected at most {most} (the last KEEP_MS = {idem.KEEP_MS} ms).")


# ---------------------------------------------------------------- 2. the replica process
@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_the_replica_answers_a_request():
    """start_replica runs on the given node, registered as 'replica', and replies ('reply', id, result)."""
    pid = network()
    check("the node of idem.start_replica('replica@host1', FREQS)", getattr(pid, "node", None) and pid.node.name, THERE)
    erlang.send(("replica", THERE), ("request", "q1", erlang.self(), ("incr", 3)))
    r = erlang.receive(("reply", "q1", ANY), timeout=1000)
    expect("('request', 'q1', self(), ('incr', 3)) to ('replica', 'replica@host1')", r, ("reply", "q1", 3))


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_the_replica_answers_a_repeat_without_applying_it():
    """The same request sent twice gets two equal replies; the counter moved once."""
    network()
    for _ in range(2):
        erlang.send(("replica", THERE), ("request", "q1", erlang.self(), ("incr", 3)))
    replies = [erlang.receive(("reply", "q1", ANY), timeout=1000) for _ in range(2)]
    check("the replies to one request sent twice", replies, [("reply", "q1", 3), ("reply", "q1", 3)])
    check("the replica's counter", inspect()["data"]["counter"], 3)


# ---------------------------------------------------------------- 3. the client
@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_call_returns_the_result():
    """On a network that loses nothing, call returns the replica's result."""
    network()
    expect("idem.call('replica@host1', ('incr', 1))", call(("incr", 1)), 1)
    expect("idem.call('replica@host1', ('allocate', 'alice'))", call(("allocate", "alice")), ("ok", 10))


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_a_lost_request_is_sent_again():
    """The first request is lost: call sends it again after TIMEOUT_MS and returns the result."""
    network()
    lossy(1.0)                                   # the first request is lost ...
    at(idem.TIMEOUT_MS // 2, lossy, 0.0)         # ... and the network recovers before the retry
    expect("idem.call('replica@host1', ('incr', 1)) (first request lost)", call(("incr", 1)), 1)
    check("the replica's counter", inspect()["data"]["counter"], 1)


@pytest.mark.task(taskno=3)
@pytest.mark.points(3)
def test_a_lost_reply_does_not_apply_twice():
    """The reply is lost: the retry carries the same id, so the replica answers it without applying it again."""
    network()
    at(3, lossy, 1.0)                            # the request (sent at 0) arrives at 5 ms; its reply is lost
    at(7, lossy, 0.0)
    expect("idem.call('replica@host1', ('incr', 1)) (first reply lost)", call(("incr", 1)), 1)
    at(now() + 3, lossy, 1.0)
    at(now() + 7, lossy, 0.0)
    expect("idem.call('replica@host1', ('allocate', 'alice')) (first reply lost)", call(("allocate", "alice")), ("ok", 10))
    st = inspect()
    check("the replica's counter", st["data"]["counter"], 1)
    check("the replica's held frequencies", st["data"]["held"], {10: "alice"})


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_call_gives_up():
    """No replica at all: ('error', 'timeout') after ATTEMPTS sends, ATTEMPTS * TIMEOUT_MS ms."""
    network()
    dist.stop_node(THERE)
    t0 = now()
    expect("idem.call('replica@host1', ('incr', 1)) (node down)", call(("incr", 1)), ("error", "timeout"))
    check("the ms call waited", now() - t0, idem.ATTEMPTS * idem.TIMEOUT_MS)


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_a_late_reply_is_not_taken_for_the_next_call():
    """A slow reply to call 1 that arrives during call 2 is not call 2's answer: call 2 waits for its own id."""
    network()
    dist.set_link(HERE, THERE, latency=150)      # call 1: the reply comes at 300 ms, after the retry at 200
    expect("idem.call('replica@host1', ('incr', 1)) (slow link)", call(("incr", 1)), 1)
    dist.set_link(HERE, THERE, latency=5)        # the retry's reply arrives during call 2, just before its own
    expect("idem.call('replica@host1', ('incr', 1)) (the next call)", call(("incr", 1)), 2)


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_no_stray_reply_is_left_behind():
    """Late replies to earlier calls do not pile up in the caller's mailbox."""
    network()
    for _ in range(3):                           # a slow link: the reply comes after the retry went out,
        dist.set_link(HERE, THERE, latency=150)  # so the retry's reply arrives late, after call returned
        call(("incr", 1))
        dist.set_link(HERE, THERE, latency=5)
    timer.sleep(1000)                            # every late reply has arrived
    expect("idem.call('replica@host1', ('incr', 1)) (the fourth)", call(("incr", 1)), 4)
    left = []
    while True:
        m = erlang.receive(("reply", ANY, ANY), timeout=0)
        if m is TIMEOUT:
            break
        left.append(m)
    check("the replies left in the caller's mailbox after the next call", left, [])


# ---------------------------------------------------------------- 4. exactly once, in effect
@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_counting_over_a_lossy_network():
    """30 increments over a network that loses 30% of messages: results 1..30, counter 30."""
    network(loss=0.3, seed=7)
    got = [call(("incr", 1)) for _ in range(30)]
    lost = dist.network().stats["lost"]
    check("the results of 30 calls of ('incr', 1) with 30% loss", got, list(range(1, 31)))
    check("the replica's counter", inspect()["data"]["counter"], 30)
    assert lost > 0, "the network lost nothing: this check needs a lossy network"


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_allocating_over_a_lossy_network():
    """Six phones allocate with 30% loss: six different frequencies, each held once, none lost."""
    network(loss=0.3, seed=3)
    phones = ["p%d" % i for i in range(6)]
    got = [call(("allocate", p)) for p in phones]
    check("the answers of six allocates with 30% loss", got, [("ok", f) for f in FREQS[:6]])
    st = inspect()
    check("the replica's held frequencies", st["data"]["held"], dict(zip(FREQS[:6], phones)))
    check("the replica's free frequencies", st["data"]["free"], FREQS[6:])
