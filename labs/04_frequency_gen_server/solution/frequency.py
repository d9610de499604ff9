"""frequency: the frequency server on gen_server (reference solution, lab 04, book ch. 4).

Mirrors the book's ``ch4/frequency.erl`` with two changes: ``deallocate``
is refused (silently: it is a cast) unless the caller owns the frequency,
and ``allocate`` takes a timeout and answers ``('error', 'timeout')``
instead of crashing its caller.

==========================  =======================================  ===========================
client API                  gen_server request                        reply
==========================  =======================================  ===========================
``start()``                 ``start_link(('local', 'frequency'))``   ``('ok', pid)``
``allocate(timeout=5000)``  call ``('allocate', pid)``                ``('ok', f)`` | ``('error', r)``
``deallocate(freq)``        cast ``('deallocate', freq, pid)``        ``'ok'`` (a cast)
``stop()``                  cast ``'stop'``                           ``'ok'`` (a cast)
==========================  =======================================  ===========================

State: ``(free, allocated)``: the free frequencies, head first, and
``(freq, pid)`` pairs, the newest first.
"""
import sys

from otp_lite import erlang, gen_server
from otp_lite.erlang import ErlangError, Exit


def _me():
    return sys.modules[__name__]


# ---------------------------------------------------------------- client API
def start():
    return gen_server.start_link(("local", "frequency"), _me(), [], [])


def stop():
    return gen_server.cast("frequency", "stop")


def allocate(timeout=5000):
    try:
        return gen_server.call("frequency", ("allocate", erlang.self()), timeout)
    except Exit as e:
        if type(e.reason) is tuple and e.reason[0] == "timeout":
            return ("error", "timeout")
        raise


def deallocate(freq):
    return gen_server.cast("frequency", ("deallocate", freq, erlang.self()))


# ---------------------------------------------------------------- callbacks
def init(_args):
    return ("ok", ([10, 11, 12, 13, 14, 15], []))


def handle_call(request, _from, state):
    match request:
        case ("allocate", pid):
            free, allocated = state
            if not free:
                return ("reply", ("error", "no_frequency"), state)
            return ("reply", ("ok", free[0]), (free[1:], [(free[0], pid)] + allocated))
    raise ErlangError("function_clause")


def handle_cast(msg, state):
    match msg:
        case ("deallocate", freq, pid):
            free, allocated = state
            if (freq, pid) not in allocated:          # not yours, or not allocated at all
                return ("noreply", state)
            allocated = [a for a in allocated if a != (freq, pid)]
            return ("noreply", ([freq] + free, allocated))
        case "stop":
            return ("stop", "normal", state)
    raise ErlangError("function_clause")


def handle_info(_msg, state):
    return ("noreply", state)


def terminate(_reason, _state):
    return "ok"


def format_status(_opt, status):
    _pdict, (free, allocated) = status
    return ("data", [("State", (("available", free), ("allocated", allocated)))])
