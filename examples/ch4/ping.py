"""ping: server-side inactivity timeouts; mirrors the book's ch4 `ping` probe.

Book ch. 4 (reference run: reference/erlang_ref e1).

    init                        -> ('ok', 'undefined', 5000): 'timeout' after 5 s of silence
    call 'start'                -> ('reply', 'started', S, 5000): ticking again
    call 'pause'                -> ('reply', 'paused', S): no timeout, silent
    handle_info('timeout', S)   prints the clock's seconds (2 columns), re-arms 5000

Any message resets the 5 s countdown, since the timeout means "nothing
arrived for 5 s".  Printed seconds come from the runtime clock (virtual by
default), so a notebook shows the same numbers on every run.  No
``handle_cast``: a cast crashes it with ``undef``.
"""
from otp_lite import runtime
from otp_lite.erlang import ErlangError

TIMEOUT = 5000


def init(_args):
    return ("ok", "undefined", TIMEOUT)     # the book's state is the atom undefined


def handle_call(request, _from, loop_data):
    if request == "start":
        return ("reply", "started", loop_data, TIMEOUT)
    if request == "pause":
        return ("reply", "paused", loop_data)
    raise ErlangError("function_clause")


def handle_info(msg, loop_data):
    if msg == "timeout":
        sec = int(runtime.now() // 1000) % 60
        print(f"{sec:2d}")
        return ("noreply", loop_data, TIMEOUT)
    raise ErlangError("function_clause")
