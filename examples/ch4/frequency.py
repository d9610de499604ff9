"""frequency: the frequency allocator as a gen_server; mirrors the book's ch4 `frequency`.

Book ch. 4 (reference run: reference/erlang_ref a3; driven with ``sys`` in ch. 5, g1).
This module is both the client API and the callback namespace, as the Erlang
module is.

    client API          gen_server request                       reply
    start()             start_link(('local', 'frequency'), ...)  ('ok', Pid) | ('error', R)
    allocate()          call  ('allocate', Pid)                  ('ok', Freq) | ('error', 'no_frequency')
    deallocate(Freq)    cast  ('deallocate', Freq)               'ok' (always: it is a cast)
    stop()              cast  'stop'                             'ok' (always, even if not running)

The state is ``(free, allocated)``.  As in the book, deallocate trusts its
caller: freeing a frequency nobody holds (``deallocate(99)``) adds 99 to the
free list.  ``format_status`` labels the two lists for ``sys.get_status`` and
for error reports.  A request the server does not know
(``gen_server.call('frequency', 'bad_message')``) matches no clause: the
server crashes with ``function_clause`` and, linked to its starter, takes the
caller down too.
"""
import sys

from otp_lite import erlang, gen_server
from otp_lite.erlang import ErlangError


def _me():
    return sys.modules[__name__]


# ---------------------------------------------------------------- client API
def start():
    return gen_server.start_link(("local", "frequency"), _me(), [], [])


def stop():
    return gen_server.cast("frequency", "stop")


def allocate():
    return gen_server.call("frequency", ("allocate", erlang.self()))


def deallocate(frequency):
    return gen_server.cast("frequency", ("deallocate", frequency))


# ---------------------------------------------------------------- callbacks
def init(_args):
    return ("ok", (get_frequencies(), []))


def get_frequencies():
    """Dummy: the book replaces this with a call to the base station controller."""
    return [10, 11, 12, 13, 14, 15]


def handle_call(request, _from, frequencies):
    match request:
        case ("allocate", pid):
            frequencies, reply = _allocate(frequencies, pid)
            return ("reply", reply, frequencies)
    raise ErlangError("function_clause")        # no clause matches, as in Erlang


def handle_cast(msg, frequencies):
    match msg:
        case ("deallocate", freq):
            return ("noreply", _deallocate(frequencies, freq))
        case "stop":
            return ("stop", "normal", frequencies)
    raise ErlangError("function_clause")


def handle_info(_msg, frequencies):
    return ("noreply", frequencies)


def terminate(_reason, _frequencies):
    return "ok"


def format_status(_opt, status):
    _pdict, (available, allocated) = status
    return ("data", [("State", (("available", available), ("allocated", allocated)))])


# ---------------------------------------------------------------- internal
def _allocate(frequencies, pid):
    free, allocated = frequencies
    if not free:
        return (free, allocated), ("error", "no_frequency")
    return (free[1:], [(free[0], pid)] + allocated), ("ok", free[0])


def _deallocate(frequencies, freq):
    free, allocated = frequencies
    for i, (f, _pid) in enumerate(allocated):       # lists:keydelete(Freq, 1, Allocated)
        if f == freq:
            allocated = allocated[:i] + allocated[i + 1:]
            break
    return ([freq] + free, allocated)
