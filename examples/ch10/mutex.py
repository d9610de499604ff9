"""mutex: stage 3 -- a full special process, a good OTP citizen; the book's ch10 ``mutex``.

Everything a hand-written process needs, and nothing from a behaviour:

* started with ``proc_lib.start_link`` and acked with ``proc_lib.init_ack``;
* answers ``('system', From, Req)`` in both states with
  ``sys.handle_system_msg(req, from_, parent, mutex, deb, misc)``, where
  ``misc`` is ``('free', name)`` or ``('busy', name, pid)`` (that is what
  ``sys.get_state`` shows, erlang_ref g2).  Erlang's ``handle_system_msg``
  continues in ``Mod:system_continue/3``; ours returns ``(deb, misc)`` and the
  loop calls ``system_continue`` of the *current* version
  (``code.latest``), so a new version loaded meanwhile takes over (ch. 12);
* reports its events to ``sys.handle_debug`` with its own formatter, which
  prints ``mutex printer: ('wait', <0.81.0>)`` under ``sys.trace``;
* traps exits: the parent's EXIT (or ``sys.terminate``) kills the holder and
  every queued waiter with the parent's reason, then exits with it (a CRASH
  REPORT, as proc_lib does for any abnormal reason).
"""
import sys as _pysys

from otp_lite import erlang, code, proc_lib
from otp_lite import sys as osys
from otp_lite.erlang import ANY

from .mutex0 import wait, signal  # noqa: F401 - the client API is unchanged


def start_link(name, dbg_opts=()):
    return proc_lib.start_link(init, (erlang.self(), name, list(dbg_opts)))


def stop(name):
    erlang.send(name, "stop")


def init(parent, name, dbg_opts):
    erlang.register(name, erlang.self())
    erlang.process_flag("trap_exit", True)
    deb = osys.debug_options(dbg_opts)
    proc_lib.init_ack(("ok", erlang.self()))
    deb = osys.handle_debug(deb, debug, name, "init")
    return code.tail_loop(free, name, parent, deb)


def free(name, parent, deb):
    msg = erlang.receive(("wait", ANY), ("system", ANY, ANY), "stop", ("EXIT", parent, ANY))
    if msg == "stop":
        return terminate("stopped", name, deb)
    tag = msg[0]
    if tag == "wait":
        pid = msg[1]
        deb = osys.handle_debug(deb, debug, name, msg)
        erlang.send(pid, (erlang.self(), "ok"))
        return (busy, pid, name, parent, deb)
    if tag == "system":
        deb, misc = osys.handle_system_msg(msg[2], msg[1], parent, _this, deb, ("free", name))
        return code.latest(_this).system_continue(parent, deb, misc)     # Mod:system_continue, as OTP
    return terminate(msg[2], name, deb)


def busy(pid, name, parent, deb):
    msg = erlang.receive(("signal", pid), ("system", ANY, ANY), ("EXIT", parent, ANY))
    tag = msg[0]
    if tag == "signal":
        deb = osys.handle_debug(deb, debug, name, msg)
        return (free, name, parent, deb)
    if tag == "system":
        deb, misc = osys.handle_system_msg(msg[2], msg[1], parent, _this, deb, ("busy", name, pid))
        return code.latest(_this).system_continue(parent, deb, misc)
    erlang.exit(pid, msg[2])
    return terminate(msg[2], name, deb)


def debug(dev, event, name):
    """OTP's FormFunc(Dev, Event, State): one trace line per event."""
    print(f"mutex {name}: {event!r}" if type(event) is not str else f"mutex {name}: {event}", file=dev)


# ----------------------------------------------------------------- system callbacks
def system_continue(parent, deb, misc):
    """Back into the state ``misc`` names (returned as the next call)."""
    if misc[0] == "busy":
        return (busy, misc[2], misc[1], parent, deb)
    return (free, misc[1], parent, deb)


def system_terminate(reason, parent, deb, misc):
    if misc[0] == "busy":
        erlang.exit(misc[2], reason)
    terminate(reason, misc[1], deb)


def system_code_change(misc, module, old_vsn, extra):
    return ("ok", misc)


def terminate(reason, name, deb):
    erlang.unregister(name)
    osys.handle_debug(deb, debug, name, ("terminate", reason))
    while True:                                   # kill everybody still queued
        msg = erlang.receive(("wait", ANY), timeout=0)
        if msg is erlang.TIMEOUT:
            erlang.exit(reason)
        erlang.exit(msg[1], reason)


_this = _pysys.modules[__name__]
