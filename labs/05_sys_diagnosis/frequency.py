"""frequency: a frequency server that leaks (given, do not edit; lab 05, book ch. 4-5).

A ``gen_server`` registered as ``'frequency'``, as in chapter 4:

    start()            ('ok', pid), linked to the caller; frequencies 10..15
    allocate()         call ('allocate', pid)  -> ('ok', freq) | ('error', 'no_frequency')
    deallocate(freq)   cast ('deallocate', freq) -> 'ok'
    stop()             cast 'stop'

State: ``(free, allocated)``: the free frequencies (the head is handed out
first) and a list of ``(freq, pid)`` pairs, newest first.

The bug you will diagnose: the server never watches its clients, so a
client that dies without calling ``deallocate`` keeps its frequency forever.
"""
import sys

from otp_lite import erlang, gen_server

FREQUENCIES = [10, 11, 12, 13, 14, 15]


def _me():
    return sys.modules[__name__]


def start():
    return gen_server.start_link(("local", "frequency"), _me(), [], [])


def stop():
    return gen_server.cast("frequency", "stop")


def allocate():
    return gen_server.call("frequency", ("allocate", erlang.self()))


def deallocate(freq):
    return gen_server.cast("frequency", ("deallocate", freq))


def init(_args):
    return ("ok", (list(FREQUENCIES), []))


def handle_call(request, _from, state):
    free, allocated = state
    if type(request) is tuple and request[0] == "allocate":
        if not free:
            return ("reply", ("error", "no_frequency"), state)
        freq, pid = free[0], request[1]
        return ("reply", ("ok", freq), (free[1:], [(freq, pid)] + allocated))
    return ("reply", ("error", "unknown_request"), state)


def handle_cast(request, state):
    free, allocated = state
    if request == "stop":
        return ("stop", "normal", state)
    if type(request) is tuple and request[0] == "deallocate":
        freq = request[1]
        if any(f == freq for f, _p in allocated):
            return ("noreply", (free + [freq], [(f, p) for f, p in allocated if f != freq]))
    return ("noreply", state)


def handle_info(_msg, state):
    return ("noreply", state)
