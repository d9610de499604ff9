"""frequency: the frequency server raising overload events (lab 07, book ch. 7).

The server works; what it does not do yet is tell the world when it runs out
of frequencies (task 4).  Events go through the given ``freq_overload``:

    allocating the last free frequency     freq_overload.no_frequency()
    allocating when none is free           freq_overload.frequency_denied()
    deallocating when none was free        freq_overload.frequency_available()
"""
import sys

import freq_overload  # noqa: F401  (you will need it)
from otp_lite import erlang, gen_server


def start_link():
    return gen_server.start_link(("local", "frequency"), sys.modules[__name__], [], [])


def allocate():
    return gen_server.call("frequency", ("allocate", erlang.self()))


def deallocate(freq):
    return gen_server.cast("frequency", ("deallocate", freq))


def init(_args):
    return ("ok", ([10, 11, 12, 13, 14, 15], []))


def handle_call(request, _from, state):
    _allocate, pid = request
    state, reply = _allocate_one(state, pid)
    return ("reply", reply, state)


def handle_cast(msg, state):
    _deallocate, freq = msg
    return ("noreply", _deallocate_one(state, freq))


def handle_info(_msg, state):
    return ("noreply", state)


def terminate(_reason, _state):
    return "ok"


def _allocate_one(state, pid):
    free, allocated = state
    # TODO (student): raise frequency_denied / no_frequency at the right moments.
    if not free:
        return state, ("error", "no_frequency")
    return (free[1:], [(free[0], pid)] + allocated), ("ok", free[0])


def _deallocate_one(state, freq):
    free, allocated = state
    # TODO (student): raise frequency_available when none was free.
    return ([freq] + free, [a for a in allocated if a[0] != freq])
