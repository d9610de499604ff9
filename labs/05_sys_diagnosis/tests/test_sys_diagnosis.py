"""Checks for lab 05: diagnosing a leaking frequency server with sys.

Tasks are the ``## N.`` headings of README.md.  Each check starts the given
(leaking) ``frequency`` server; "dead clients" are processes that allocate a
frequency and end without deallocating it.
"""
import pytest

from otp_lite import erlang, runtime
from otp_lite import sys as osys
from otp_lite.grade.labkit import require, expect, check

# Import guard: a missing or misnamed function fails every check with one clear line.
diagnose = require("diagnose", "leaked_frequencies", "messages_in", "requests_during", "repair")
import frequency  # noqa: E402  (given)


# ---------------------------------------------------------------- helpers
def server():
    ok, pid = frequency.start()
    return pid


def dead_client():
    """A process that allocates a frequency and exits without giving it back; returns the frequency."""
    me = erlang.self()
    erlang.spawn(lambda: erlang.send(me, ("freq", frequency.allocate())))
    r = erlang.receive(("freq", erlang.ANY))[1]
    runtime.run_until_idle()
    return r[1]


def live_client():
    """A process that allocates a frequency and stays alive; returns the frequency."""
    me = erlang.self()
    erlang.spawn(lambda: (erlang.send(me, ("freq", frequency.allocate())), erlang.receive("never")))
    return erlang.receive(("freq", erlang.ANY))[1][1]


# ---------------------------------------------------------------- task 1: get_state
@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_no_leak_while_clients_live():
    """leaked_frequencies: [] while every owner is alive"""
    server()
    frequency.allocate()
    live_client()
    expect("diagnose.leaked_frequencies('frequency')", diagnose.leaked_frequencies("frequency"), [])


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_dead_clients_leak():
    """leaked_frequencies: the frequencies of dead owners, sorted; live owners' are not leaked"""
    pid = server()
    mine = frequency.allocate()[1]              # 10, the shell's
    a = dead_client()                           # 11
    live_client()                               # 12
    frequency.deallocate(mine)                  # free: 13, 14, 15, 10
    for _ in range(3):
        frequency.allocate()                    # 13, 14, 15
    b = dead_client()                           # 10
    frequency.deallocate(13)
    c = dead_client()                           # 13: allocated 11, 10, 13, so neither order is sorted
    want = sorted([a, b, c])
    expect("diagnose.leaked_frequencies('frequency') (the dead got 11, 10, 13 in that order)",
           diagnose.leaked_frequencies("frequency"), want)
    expect("diagnose.leaked_frequencies(pid)", diagnose.leaked_frequencies(pid), want)


# ---------------------------------------------------------------- task 2: statistics
@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_messages_in_counts_calls_and_casts():
    """messages_in: 2 calls + 1 cast + 1 plain message = 4"""
    server()

    def work():
        frequency.allocate()
        frequency.allocate()
        frequency.deallocate(10)
        erlang.send("frequency", "hello")
    expect("diagnose.messages_in('frequency', work)  (2 calls, 1 cast, 1 message)",
           diagnose.messages_in("frequency", work), 4)


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_messages_in_leaves_statistics_off():
    """messages_in: 0 for a fun that sends nothing, and statistics are off again afterwards"""
    server()
    expect("diagnose.messages_in('frequency', lambda: None)", diagnose.messages_in("frequency", lambda: None), 0)
    expect("sys.statistics('frequency', 'get') afterwards", osys.statistics("frequency", "get"),
           ("ok", "no_statistics"))


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_messages_in_switches_statistics_off_when_fun_raises():
    """messages_in: a fun() that raises still leaves statistics off (try/finally)"""
    server()

    ran = []

    def boom():
        ran.append(frequency.allocate())
        raise RuntimeError("the operator's fun failed")
    try:
        diagnose.messages_in("frequency", boom)
    except Exception:
        pass                                    # raising it on is right; swallowing it is not checked
    check("that diagnose.messages_in('frequency', fun) called fun()", len(ran), 1)
    expect("sys.statistics('frequency', 'get') after messages_in with a fun that raised",
           osys.statistics("frequency", "get"), ("ok", "no_statistics"))


# ---------------------------------------------------------------- task 3: log
@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_requests_during():
    """requests_during: the call's, the cast's request and a plain message, in order; log off afterwards"""
    server()
    me = erlang.self()

    def work():
        frequency.allocate()
        frequency.deallocate(10)
        erlang.send("frequency", "hello")
    expect("diagnose.requests_during('frequency', work)", diagnose.requests_during("frequency", work),
           [("allocate", me), ("deallocate", 10), "hello"])
    expect("sys.log('frequency', 'get') afterwards", osys.log("frequency", "get"), ("ok", []))


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_requests_during_switches_the_log_off_when_fun_raises():
    """requests_during: a fun() that raises still leaves the log off (try/finally)"""
    server()

    ran = []

    def boom():
        ran.append(frequency.allocate())
        raise RuntimeError("the operator's fun failed")
    try:
        diagnose.requests_during("frequency", boom)
    except Exception:
        pass
    check("that diagnose.requests_during('frequency', fun) called fun()", len(ran), 1)
    frequency.allocate()
    expect("sys.log('frequency', 'get') after requests_during with a fun that raised (and one more call)",
           osys.log("frequency", "get"), ("ok", []))


# ---------------------------------------------------------------- task 4: replace_state
@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_repair_frees_the_leaked():
    """repair: returns the leaked frequencies; they are free again, live allocations are kept"""
    pid = server()
    a = dead_client()
    c = live_client()
    b = dead_client()
    expect("diagnose.repair('frequency')", diagnose.repair("frequency"), sorted([a, b]))
    free, allocated = osys.get_state("frequency")
    check("the allocated list after repair", [f for f, _p in allocated], [c])
    check("the free list after repair (leaked ones at the end)", free[-2:] == [a, b] or free[-2:] == [b, a], True)
    check("that the server is the same process", erlang.whereis("frequency"), pid)
    expect("diagnose.leaked_frequencies('frequency') after repair", diagnose.leaked_frequencies("frequency"), [])


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_repaired_frequencies_can_be_allocated_again():
    """repair: when every frequency leaked, allocate works again afterwards"""
    server()
    leaked = [dead_client() for _ in frequency.FREQUENCIES]
    expect("frequency.allocate() with every frequency leaked", frequency.allocate(), ("error", "no_frequency"))
    expect("diagnose.repair('frequency')", diagnose.repair("frequency"), sorted(leaked))
    got = frequency.allocate()
    check("frequency.allocate() after repair (any of the repaired frequencies, in whatever order "
          "they went back to free)", type(got) is tuple and got[0] == "ok" and got[1] in leaked, True)



@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_repair_decides_inside_the_fun():
    """repair: a frequency freed and re-allocated to a live client meanwhile stays that client's"""
    server()
    leaked = [dead_client() for _ in frequency.FREQUENCIES]     # every frequency leaked, none free
    me = erlang.self()

    def operator_colleague():
        # runs as soon as repair first waits for the server: frees a leaked frequency by hand
        # and allocates (it gets that one), then stays alive
        frequency.deallocate(leaked[0])
        erlang.send(me, ("colleague", erlang.self(), frequency.allocate()))
        erlang.receive("never")

    erlang.spawn(operator_colleague)
    diagnose.repair("frequency")
    _, colleague, (ok, f) = erlang.receive(("colleague", erlang.ANY, erlang.ANY))
    runtime.run_until_idle()
    free, allocated = osys.get_state("frequency")
    check("the frequencies still held by dead clients after diagnose.repair('frequency')",
          [g for g, p in allocated if not erlang.is_process_alive(p)], [])
    check(f"the server's state after repair, where a live client got {f} while repair ran "
          "(repair must decide inside its fun, from the state it is given)",
          ((f, colleague) in allocated, f in free), (True, False))
    check("every frequency once, in free or allocated, after repair",
          sorted(free + [g for g, _p in allocated]), list(frequency.FREQUENCIES))
