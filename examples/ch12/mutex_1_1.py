"""mutex vsn '1.1': the ch10 special process, now counting the locks it has granted (not in the book).

The state (``misc``) grows a counter: ``('free', name, grants)`` and
``('busy', name, pid, grants)``.  ``system_code_change`` converts 1.0's state
on the way up (old_vsn ``'1.0'``: the count starts at ``extra``, 0 if ``[]``)
and back on the way down (``('down', '1.0')``: the count is dropped).  Loaded
over ``examples.ch10.mutex`` as module ``mutex``, it takes over a running
mutex at its next system message, because the 1.0 loop continues through
``code.latest(...).system_continue``: Erlang's ``Mod:system_continue/3``.
"""
import sys as _pysys

from otp_lite import erlang, code
from otp_lite import sys as osys
from otp_lite.erlang import ANY

from examples.ch10.mutex import debug, stop, start_link  # noqa: F401 - unchanged (start_link starts 1.0's init)
from examples.ch10.mutex0 import wait, signal  # noqa: F401 - the client API is unchanged

vsn = "1.1"


def free(name, grants, parent, deb):
    msg = erlang.receive(("wait", ANY), ("system", ANY, ANY), "stop", ("EXIT", parent, ANY))
    if msg == "stop":
        return terminate("stopped", name, deb)
    if msg[0] == "wait":
        deb = osys.handle_debug(deb, debug, name, msg)
        erlang.send(msg[1], (erlang.self(), "ok"))
        return (busy, msg[1], name, grants + 1, parent, deb)
    if msg[0] == "system":
        deb, misc = osys.handle_system_msg(msg[2], msg[1], parent, _this, deb, ("free", name, grants))
        return code.latest(_this).system_continue(parent, deb, misc)
    return terminate(msg[2], name, deb)


def busy(pid, name, grants, parent, deb):
    msg = erlang.receive(("signal", pid), ("system", ANY, ANY), ("EXIT", parent, ANY))
    if msg[0] == "signal":
        deb = osys.handle_debug(deb, debug, name, msg)
        return (free, name, grants, parent, deb)
    if msg[0] == "system":
        deb, misc = osys.handle_system_msg(msg[2], msg[1], parent, _this, deb, ("busy", name, pid, grants))
        return code.latest(_this).system_continue(parent, deb, misc)
    erlang.exit(pid, msg[2])
    return terminate(msg[2], name, deb)


# ----------------------------------------------------------------- system callbacks
def system_continue(parent, deb, misc):
    if misc[0] == "busy":
        return (busy, misc[2], misc[1], misc[3], parent, deb)
    return (free, misc[1], misc[2], parent, deb)


def system_terminate(reason, parent, deb, misc):
    if misc[0] == "busy":
        erlang.exit(misc[2], reason)
    terminate(reason, misc[1], deb)


def system_code_change(misc, module, old_vsn, extra):
    if old_vsn == "1.0":                               # up: 1.0's state has no counter
        return ("ok", misc + (extra if type(extra) is int else 0,))
    if old_vsn == ("down", "1.0"):                     # down: 1.0 knows no counter
        return ("ok", misc[:-1])
    return ("ok", misc)


def terminate(reason, name, deb):
    erlang.unregister(name)
    osys.handle_debug(deb, debug, name, ("terminate", reason))
    while True:
        msg = erlang.receive(("wait", ANY), timeout=0)
        if msg is erlang.TIMEOUT:
            erlang.exit(reason)
        erlang.exit(msg[1], reason)


_this = _pysys.modules[__name__]
