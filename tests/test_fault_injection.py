"""Fault injection: 1,000 linked/monitored processes, random kills (fixed seed).

Every process dies exactly once, and every monitor and every link yields
exactly one DOWN / EXIT, with the same reason.
"""
import random
from collections import Counter

from otp_lite import erlang, runtime, timer
from otp_lite.erlang import ANY, TIMEOUT

N = 1000


def worker():
    while True:
        m = erlang.receive()
        if m[0] == "exit":                 # a worker kills another one
            erlang.exit(m[1], m[2])
        elif m[0] == "link":
            erlang.link(m[1])


def observer(report_to, n):
    """A second watcher: monitors every worker, reports the DOWNs it saw."""
    erlang.process_flag("trap_exit", True)
    seen = Counter()
    refs = {}
    for _ in range(n):
        _, pid = erlang.receive(("watch", ANY))
        refs[erlang.monitor("process", pid)] = pid
    erlang.send(report_to, "watching")
    while len(seen) < n or sum(seen.values()) < n:
        _, ref, _, pid, reason = erlang.receive(("DOWN", ANY, "process", ANY, ANY))
        assert refs[ref] is pid
        seen[pid] += 1
    erlang.send(report_to, ("observed", dict(seen)))


def _run(seed):
    runtime.reset(seed=seed, shuffle=True)
    rng = random.Random(seed)
    me = erlang.self()
    erlang.process_flag("trap_exit", True)
    obs = erlang.spawn(observer, me, N)
    pids, mrefs, linked = [], {}, set()
    for i in range(N):
        if i % 2:
            p = erlang.spawn_link(worker)
            linked.add(p)
        else:
            p = erlang.spawn(worker)
        mrefs[erlang.monitor("process", p)] = p
        if i % 3 == 0:
            erlang.monitor("process", p)                # a second monitor on some
        pids.append(p)
        erlang.send(obs, ("watch", p))
    assert erlang.receive("watching") == "watching"
    # chains of links between workers: a crash cascades
    for _ in range(N // 4):
        a, b = rng.sample(pids, 2)
        erlang.send(a, ("link", b))
    runtime.run_until_idle()
    reasons = ["kill", "boom", ("shutdown", "x"), "normal", "shutdown"]
    for _ in range(60):
        for _ in range(rng.randint(1, 15)):
            target = rng.choice(pids)
            reason = rng.choice(reasons)
            if rng.random() < 0.5:
                erlang.exit(target, reason)
            else:
                erlang.send(rng.choice(pids), ("exit", target, reason))
        timer.sleep(rng.randint(0, 3))
    for p in pids:                                      # finish off the survivors
        erlang.exit(p, "kill")
    runtime.run_until_idle()
    return pids, linked, obs


def test_every_down_and_exit_delivered_exactly_once():
    pids, linked, obs = _run(seed=1234)
    me = erlang.self()
    downs, exits = Counter(), Counter()
    down_reason, exit_reason = {}, {}
    observed = None
    while True:
        m = erlang.receive(timeout=0)
        if m is TIMEOUT:
            break
        if m[0] == "DOWN":
            downs[m[3]] += 1
            prev = down_reason.setdefault(m[3], m[4])
            assert prev == m[4], "two DOWNs for one pid with different reasons"
        elif m[0] == "EXIT":
            exits[m[1]] += 1
            exit_reason[m[1]] = m[2]
        elif m[0] == "observed":
            observed = m[1]
        else:
            raise AssertionError(f"unexpected message {m!r}")
    if observed is None:
        m = erlang.receive(("observed", ANY), timeout=10)
        observed = m[1]
    for i, p in enumerate(pids):
        assert not erlang.is_process_alive(p)
        assert downs[p] == (2 if i % 3 == 0 else 1), (p, downs[p])
        if p in linked:
            assert exits[p] == 1
            assert exit_reason[p] == down_reason[p]
        else:
            assert exits[p] == 0
    assert observed == {p: 1 for p in pids}
    assert set(erlang.processes()) <= {me, obs}
    # the runtime is still healthy afterwards
    p, r = erlang.spawn_monitor(lambda: None)
    assert erlang.receive(("DOWN", r, ANY, ANY, ANY))[4] == "normal"


def test_fault_injection_is_reproducible():
    def outcome(seed):
        pids, _, _ = _run(seed)
        reasons = {}
        while True:
            m = erlang.receive(("DOWN", ANY, ANY, ANY, ANY), timeout=0)
            if m is TIMEOUT:
                break
            reasons[m[3].num] = m[4]
        return reasons

    a = outcome(99)
    b = outcome(99)
    assert a == b
    assert len(set(map(repr, a.values()))) > 1          # the kills really varied
