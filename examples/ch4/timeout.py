"""timeout: a server whose call sleeps; mirrors the book's ch4 `timeout` probe.

Book ch. 4 (reference run: reference/erlang_ref e1).

    gen_server.call(P, ('sleep', Ms))     sleeps Ms in the server, then replies 'ok'

With the default 5000 ms call timeout, ``('sleep', 6000)`` exits the caller
with ``('timeout', ('gen_server', 'call', [P, ('sleep', 6000)]))``; the late
reply is dropped (OTP >= 24).  As in the book there is no ``handle_cast`` and
no ``handle_info``: a cast crashes the server (``undef``), a plain message
only logs a warning.
"""
from otp_lite import timer
from otp_lite.erlang import ErlangError


def init(_args):
    return ("ok", "undefined")


def handle_call(request, _from, loop_data):
    match request:
        case ("sleep", ms):
            timer.sleep(ms)
            return ("reply", "ok", loop_data)
    raise ErlangError("function_clause")
