"""sys_tour: the chapter 5 shell session with ``sys`` on the frequency server, as functions.

Book ch. 5 (reference run: reference/erlang_ref g1).  Each step is one shell
line of the transcript; a notebook calls them one per cell.

    trace_session()       sys.trace on: *DBG* lines for a call, a cast and a plain message
    log_session()         sys.log: keep events, 'get' them, 'print' them
    statistics_session()  sys.statistics: messages_in 3, messages_out 2 for 2 calls + 1 cast
    suspend_session()     a call to a suspended server times out; queued casts run on resume
    start_debugged()      gen_server.start(..., [('debug', ['trace', 'statistics'])])
    my_trace              a debug function for sys.install: prints "my trace #N: Event"
"""
from otp_lite import erlang, gen_server
from otp_lite import sys as osys
from otp_lite.erlang import Exit

from examples.ch5 import frequency


def my_trace(acc, event, _proc_state):
    """A ``sys.install`` debug function: print the event, count it; the result is the new acc."""
    print(f"my trace #{acc}: {event!r}")
    return acc + 1


def trace_session():
    osys.trace("frequency", True)
    r1 = frequency.allocate()                  # got call ... / sent ... new state ...
    r2 = frequency.deallocate(r1[1])           # got cast ... / new state ...
    erlang.send("frequency", "hello")          # got hello / new state ...
    osys.get_state("frequency")                # (lets the server print before we switch trace off)
    osys.trace("frequency", False)
    return r1, r2


def log_session():
    osys.log("frequency", True)
    frequency.allocate(), frequency.allocate(), frequency.deallocate(11)
    events = osys.log("frequency", "get")
    osys.log("frequency", "print")
    osys.log("frequency", False)
    return events


def statistics_session():
    osys.statistics("frequency", True)
    frequency.allocate(), frequency.allocate(), frequency.deallocate(12)
    stats = osys.statistics("frequency", "get")
    osys.statistics("frequency", False)
    return stats, osys.statistics("frequency", "get")


def suspend_session():
    osys.suspend("frequency")
    try:
        gen_server.call("frequency", ("allocate", erlang.self()), 1000)
        timed_out = None
    except Exit as e:
        timed_out = e.reason
    frequency.deallocate(10)
    before = osys.get_state("frequency")
    osys.resume("frequency")
    return timed_out, before, osys.get_state("frequency")


def start_debugged():
    return gen_server.start(("local", "frequency"), frequency, [], [("debug", ["trace", "statistics"])])
