"""mutex1: stage 1 -- started with ``proc_lib`` (synchronous ``init_ack``), debug options parsed.

Now ``start_link`` returns only once the mutex is registered and ready, and
the process carries ``'$ancestors'``/``'$initial_call'``.  It still ignores
system messages and its parent's death: stages 2 and 3 fix that.
"""
from otp_lite import erlang, code, proc_lib
from otp_lite import sys as osys

from .mutex0 import wait, signal, stop  # noqa: F401 - the client API is unchanged


def start_link(name, dbg_opts=()):
    return proc_lib.start_link(init, (erlang.self(), name, list(dbg_opts)))


def init(parent, name, dbg_opts):
    erlang.register(name, erlang.self())
    erlang.process_flag("trap_exit", True)
    deb = osys.debug_options(dbg_opts)
    proc_lib.init_ack(("ok", erlang.self()))
    return code.tail_loop(free, name, parent, deb)


def free(name, parent, deb):
    msg = erlang.receive(("wait", erlang.ANY), "stop")
    if msg == "stop":
        return "ok"
    pid = msg[1]
    erlang.send(pid, (erlang.self(), "ok"))
    return (busy, pid, name, parent, deb)


def busy(pid, name, parent, deb):
    erlang.receive(("signal", pid))
    return (free, name, parent, deb)
