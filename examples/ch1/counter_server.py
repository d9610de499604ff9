"""counter_server: the notebook's counter as a gen_server (a behaviour), under counter_sup.

    start_link()   gen_server.start_link(('local', 'counter_server'), ...) -> ('ok', Pid)
    incr()         call 'incr' -> the new count

The state is the count, starting at 0; a restarted server starts again at 0.
Notebook 01, "System design principles".  Not from the book's code: chapter 1 has none.
"""
import sys

from otp_lite import gen_server
from otp_lite.erlang import ErlangError


def _me():
    return sys.modules[__name__]


def start_link():
    return gen_server.start_link(("local", "counter_server"), _me(), 0, [])


def incr():
    return gen_server.call("counter_server", "incr")


def init(n):
    return ("ok", n)


def handle_call(request, _from, n):
    if request == "incr":
        return ("reply", n + 1, n + 1)
    raise ErlangError("function_clause")        # no clause matches, as in Erlang


def handle_cast(_msg, n):
    return ("noreply", n)
