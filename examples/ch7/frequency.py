"""frequency: the ch4 frequency gen_server raising overload events; mirrors the book's ch7 `frequency` (f2).

    allocating the last free frequency  -> freq_overload.no_frequency()
    allocating with none left           -> freq_overload.frequency_denied()
    deallocating while none were free   -> freq_overload.frequency_available()

The events are raised inside the server, so their pid is the server's.
"""
import sys

from otp_lite import gen_server

from . import freq_overload

NAME = "frequency"


def _me():
    return sys.modules[__name__]


def start_link():
    return gen_server.start_link(("local", NAME), _me(), [], [])


def stop():
    return gen_server.cast(NAME, "stop")


def allocate():
    from otp_lite import erlang
    return gen_server.call(NAME, ("allocate", erlang.self()))


def deallocate(freq):
    return gen_server.cast(NAME, ("deallocate", freq))


def init(_args):
    return ("ok", (get_frequencies(), []))


def get_frequencies():
    return [10, 11, 12, 13, 14, 15]


def handle_call(request, _from, frequencies):
    _, pid = request                      # ('allocate', pid)
    frequencies, reply = _allocate(frequencies, pid)
    return ("reply", reply, frequencies)


def handle_cast(msg, frequencies):
    if msg == "stop":
        return ("stop", "normal", frequencies)
    return ("noreply", _deallocate(frequencies, msg[1]))


def handle_info(_msg, frequencies):
    return ("noreply", frequencies)


def terminate(_reason, _frequencies):
    return "ok"


def format_status(_opt, status):
    _pdict, (available, allocated) = status
    return ("data", [("State", (("available", available), ("allocated", allocated)))])


def _allocate(frequencies, pid):
    free, allocated = frequencies
    if not free:
        freq_overload.frequency_denied()
        return (free, allocated), ("error", "no_frequency")
    res, rest = free[0], free[1:]
    if not rest:
        freq_overload.no_frequency()
    return (rest, [(res, pid)] + allocated), ("ok", res)


def _deallocate(frequencies, res):
    free, allocated = frequencies
    if not free:
        freq_overload.frequency_available()
    return ([res] + free, [(f, p) for f, p in allocated if f != res])
