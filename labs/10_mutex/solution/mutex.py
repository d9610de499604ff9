"""mutex: a semaphore as a special process (lab 10, book ch. 10) -- reference solution.

The mutex is neither a gen_server nor a gen_statem: it is a hand-written
process that behaves like one, because it is started with ``proc_lib``,
answers system messages with ``sys.handle_system_msg`` and reports its events
with ``sys.handle_debug``.  README.md has the tasks.

    start_link(name, dbg_opts)   ('ok', pid), registered name, linked to the caller
    wait(name) / signal(name)    given: the client API
    init(parent, name, dbg_opts) proc_lib init: register, trap exits, init_ack, loop
    free / busy                  the two states (each returns the next call)
    system_terminate, system_code_change, terminate
"""
import sys

from otp_lite import code, erlang, proc_lib
from otp_lite import sys as osys
from otp_lite.erlang import ANY


# ---------------------------------------------------------------- client API (given)
def wait(name):
    """Block until the mutex is ours; returns ``'ok'``."""
    erlang.send(name, ("wait", erlang.self()))
    mutex = erlang.whereis(name)
    erlang.receive((mutex, "ok"))
    return "ok"


def signal(name):
    """Give the mutex back; returns ``'ok'``."""
    erlang.send(name, ("signal", erlang.self()))
    return "ok"


# ---------------------------------------------------------------- start
def start_link(name, dbg_opts=()):
    return proc_lib.start_link(init, (erlang.self(), name, list(dbg_opts)))


def init(parent, name, dbg_opts):
    erlang.register(name, erlang.self())
    erlang.process_flag("trap_exit", True)
    deb = osys.debug_options(dbg_opts)
    proc_lib.init_ack(("ok", erlang.self()))
    deb = osys.handle_debug(deb, debug, name, "init")
    return code.tail_loop(free, name, parent, deb)


# ---------------------------------------------------------------- states
def free(name, parent, deb):
    msg = erlang.receive(("wait", ANY), ("system", ANY, ANY), ("EXIT", parent, ANY))
    if msg[0] == "wait":
        pid = msg[1]
        deb = osys.handle_debug(deb, debug, name, msg)
        ref = erlang.monitor("process", pid)       # a dead holder must not keep the mutex
        erlang.send(pid, (erlang.self(), "ok"))
        return (busy, pid, ref, name, parent, deb)
    if msg[0] == "system":
        deb, _misc = osys.handle_system_msg(msg[2], msg[1], parent, _THIS, deb, ("free", name))
        return (free, name, parent, deb)
    return terminate(msg[2], name, deb)


def busy(pid, ref, name, parent, deb):
    msg = erlang.receive(("signal", pid), ("DOWN", ref, "process", pid, ANY),
                         ("system", ANY, ANY), ("EXIT", parent, ANY))
    if msg[0] == "signal":
        erlang.demonitor(ref, ["flush"])
        deb = osys.handle_debug(deb, debug, name, msg)
        return (free, name, parent, deb)
    if msg[0] == "DOWN":
        deb = osys.handle_debug(deb, debug, name, ("DOWN", pid, msg[4]))
        return (free, name, parent, deb)
    if msg[0] == "system":
        deb, _misc = osys.handle_system_msg(msg[2], msg[1], parent, _THIS, deb, ("busy", name, pid))
        return (busy, pid, ref, name, parent, deb)
    erlang.exit(pid, msg[2])
    return terminate(msg[2], name, deb)


def debug(dev, event, name):
    """The trace formatter, OTP's ``FormFunc(Dev, Event, State)``."""
    text = event if type(event) is str else repr(event)
    print(f"mutex {name}: {text}", file=dev)


# ---------------------------------------------------------------- system callbacks
def system_continue(parent, deb, misc):
    """Erlang's continuation; here ``handle_system_msg`` returns and the loop goes on."""
    return (deb, misc)


def system_terminate(reason, parent, deb, misc):
    if misc[0] == "busy":
        erlang.exit(misc[2], reason)
    terminate(reason, misc[1], deb)


def system_code_change(misc, module, old_vsn, extra):
    return ("ok", misc)


def terminate(reason, name, deb):
    erlang.unregister(name)
    osys.handle_debug(deb, debug, name, ("terminate", reason))
    while True:                                   # every queued waiter goes down with us
        msg = erlang.receive(("wait", ANY), timeout=0)
        if msg is erlang.TIMEOUT:
            erlang.exit(reason)
        erlang.exit(msg[1], reason)


_THIS = sys.modules[__name__]
