"""mutex2: stage 2 -- the mutex dies with its parent, and takes holder and waiters along.

It traps exits; an ``('EXIT', parent, reason)`` kills the holder (linked when
granted) and then every process still queued with ``('wait', pid)``, with the
parent's reason, before exiting with that reason itself.
"""
from otp_lite import erlang, code, proc_lib
from otp_lite.erlang import ANY

from .mutex0 import wait, signal, stop  # noqa: F401
from otp_lite import sys as osys


def start_link(name, dbg_opts=()):
    return proc_lib.start_link(init, (erlang.self(), name, list(dbg_opts)))


def init(parent, name, dbg_opts):
    erlang.register(name, erlang.self())
    erlang.process_flag("trap_exit", True)
    deb = osys.debug_options(dbg_opts)
    proc_lib.init_ack(("ok", erlang.self()))
    return code.tail_loop(free, name, parent, deb)


def free(name, parent, deb):
    msg = erlang.receive(("wait", ANY), "stop", ("EXIT", parent, ANY))
    if msg == "stop":
        return terminate("shutdown", name)
    if msg[0] == "EXIT":
        return terminate(msg[2], name)
    pid = msg[1]
    erlang.link(pid)
    erlang.send(pid, (erlang.self(), "ok"))
    return (busy, pid, name, parent, deb)


def busy(pid, name, parent, deb):
    msg = erlang.receive(("signal", pid), ("EXIT", parent, ANY))
    if msg[0] == "EXIT":
        erlang.exit(pid, msg[2])
        return terminate(msg[2], name)
    return (free, name, parent, deb)


def terminate(reason, name):
    erlang.unregister(name)
    while True:                                   # kill everybody still queued
        msg = erlang.receive(("wait", ANY), timeout=0)
        if msg is erlang.TIMEOUT:
            erlang.exit(reason)
        erlang.exit(msg[1], reason)
