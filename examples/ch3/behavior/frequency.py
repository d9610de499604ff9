"""frequency: the specific half, a callback module; mirrors the book's ch3 `behavior/frequency`.

Book ch. 3 (reference run: reference/erlang_ref a2).

    client API           generic server call               callback
    start()              server.start('frequency', ...)   init(args)           -> (free, allocated)
    allocate()           server.call(..., ('allocate', self()))
                                                          handle(msg, state)   -> (state, reply)
    deallocate(freq)     server.call(..., ('deallocate', freq))
    stop()               server.stop('frequency')         terminate(state)     -> 'ok'

The client functions run in the *caller*, the callbacks in the *server*
process.  The module reaches the generic code through its ``server``
attribute; setting it to ``examples.ch3.call.server`` swaps in the safer
call without touching this file (as loading a new ``server`` module does in
the book).  Same unchecked ``deallocate`` as the process version.
"""
import sys

from otp_lite import erlang
from otp_lite.erlang import ErlangError

from . import server

NAME = "frequency"


def _me():
    return sys.modules[__name__]


# ---------------------------------------------------------------- client API
def start():
    return server.start(NAME, _me(), [])


def stop():
    return server.stop(NAME)


def allocate():
    return server.call(NAME, ("allocate", erlang.self()))


def deallocate(freq):
    return server.call(NAME, ("deallocate", freq))


# ---------------------------------------------------------------- callbacks
def init(_args):
    return (get_frequencies(), [])


def terminate(_frequencies):
    return "ok"


def handle(msg, frequencies):
    if msg[0] == "allocate":
        return _allocate(frequencies, msg[1])
    if msg[0] == "deallocate":
        return (_deallocate(frequencies, msg[1]), "ok")
    raise ErlangError("function_clause", f"no clause of frequency.handle matches {msg!r}")


def get_frequencies():
    return [10, 11, 12, 13, 14, 15]


def _allocate(frequencies, pid):
    free, allocated = frequencies
    if not free:
        return ((free, allocated), ("error", "no_frequency"))
    return ((free[1:], [(free[0], pid)] + allocated), ("ok", free[0]))


def _deallocate(frequencies, freq):
    free, allocated = frequencies
    for i, (f, _) in enumerate(allocated):
        if f == freq:                   # lists:keydelete: only the first match
            allocated = allocated[:i] + allocated[i + 1:]
            break
    return ([freq] + free, allocated)   # spot the bug: no owner check
