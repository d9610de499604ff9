"""frequency: the frequency server, its frequencies from the application env (reference solution, lab 09, book ch. 9).

    frequency.start_link()       ('ok', pid), registered as 'frequency'   (bsc_sup starts it)
    frequency.allocate()         ('ok', freq) | ('error', 'no_frequency')  (a call)
    frequency.deallocate(freq)   'ok'                                      (a cast)
    frequency.get_frequencies()  the frequencies to hand out: the 'frequencies' key of
                                 the bsc application's env, DEFAULT when there is none

The env is read once, in ``init``: changing it (``application.set_env``)
does not change a running server, but the next restart picks it up.
"""
import sys

from otp_lite import application, erlang, gen_server

DEFAULT = [10, 11, 12, 13, 14, 15]


def start_link():
    return gen_server.start_link(("local", "frequency"), sys.modules[__name__], [], [])


def allocate():
    return gen_server.call("frequency", ("allocate", erlang.self()))


def deallocate(freq):
    return gen_server.cast("frequency", ("deallocate", freq))


def get_frequencies():
    found = application.get_env("bsc", "frequencies")
    if found == "undefined":
        return DEFAULT
    return found[1]


def init(_args):
    return ("ok", (get_frequencies(), []))


def handle_call(request, _from, state):
    _allocate, pid = request
    free, allocated = state
    if not free:
        return ("reply", ("error", "no_frequency"), state)
    return ("reply", ("ok", free[0]), (free[1:], [(free[0], pid)] + allocated))


def handle_cast(msg, state):
    _deallocate, freq = msg
    free, allocated = state
    return ("noreply", ([freq] + free, [a for a in allocated if a[0] != freq]))


def handle_info(_msg, state):
    return ("noreply", state)


def terminate(_reason, _state):
    return "ok"
