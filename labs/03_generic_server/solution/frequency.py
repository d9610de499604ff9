"""frequency: the frequency server as a callback module for ``server`` (reference solution).

Mirrors the book's ``ch3/behaviour/frequency.erl``, plus the extension:
only the process that allocated a frequency may deallocate it.

State: ``(free, allocated)``: the free frequencies (a list, handed out from
the head) and ``[(freq, pid), ...]``.
"""
import sys

import server
from otp_lite import erlang


# ------------------------------------------------------------------ client API (given)
def start():
    return server.start("frequency", sys.modules[__name__], [])


def stop():
    return server.stop("frequency")


def allocate():
    return server.call("frequency", ("allocate", erlang.self()))


def deallocate(freq):
    return server.call("frequency", ("deallocate", freq, erlang.self()))


# ------------------------------------------------------------------ callbacks
def init(_args):
    return (get_frequencies(), [])


def get_frequencies():
    return [10, 11, 12, 13, 14, 15]


def handle(msg, state):
    if msg[0] == "allocate":
        return _allocate(state, msg[1])
    if msg[0] == "deallocate":
        return _deallocate(state, msg[1], msg[2])
    return state, ("error", "unknown_request")


def terminate(_state):
    return "ok"


# ------------------------------------------------------------------ internal helpers
def _allocate(state, pid):
    free, allocated = state
    if not free:
        return state, ("error", "no_frequency")
    freq, rest = free[0], free[1:]
    return (rest, [(freq, pid)] + allocated), ("ok", freq)


def _deallocate(state, freq, pid):
    free, allocated = state
    if (freq, pid) in allocated:
        left = [a for a in allocated if a != (freq, pid)]
        return ([freq] + free, left), "ok"
    if any(f == freq for f, _ in allocated):
        return state, ("error", "not_owner")
    return state, ("error", "not_allocated")
