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
    a = dead_client()
    live_client()
    b = dead_client()
    frequency.allocate()
    expect("diagnose.leaked_frequencies('frequency')", diagnose.leaked_frequencies("frequency"), sorted([a, b]))
    expect("diagnose.leaked_frequencies(pid)", diagnose.leaked_frequencies(pid), sorted([a, b]))


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
    expect("frequency.allocate() after repair", frequency.allocate(), ("ok", leaked[0]))
