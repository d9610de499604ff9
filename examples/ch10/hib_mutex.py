"""hib_mutex: the stage-3 mutex, hibernating between messages and answering ``get_modules``.

The book's ch10 section "Dynamic Modules and Hibernating", on a special process:

* every state ends with ``proc_lib.hibernate(state, args)``: the process waits
  for its next message with its stack thrown away (``process_info`` shows
  ``('erlang', 'hibernate', 3)``), then runs ``state(*args)`` from scratch.
  A hibernating process never returns, so no trampoline is needed here;
* it answers the release handler's ``(Label, From, 'get_modules')`` request with
  the modules it runs, as a special process must when its child spec says
  ``modules = 'dynamic'``: ``From ! {Tag, Modules}``, Erlang's reply by hand.

Everything else (start, system messages, trace lines, parent EXIT) is the
mutex of ``examples/ch10/mutex.py``, whose formatter and terminate it reuses.
"""
import sys as _pysys

from otp_lite import erlang, proc_lib
from otp_lite import sys as osys
from otp_lite.erlang import ANY

from .mutex import debug, terminate, system_code_change
from .mutex0 import wait, signal  # noqa: F401 - the client API is unchanged

MODULES = ["hib_mutex", "mutex"]       # what get_modules answers: this module and the one it borrows from


def start_link(name, dbg_opts=()):
    return proc_lib.start_link(init, (erlang.self(), name, list(dbg_opts)))


def init(parent, name, dbg_opts):
    erlang.register(name, erlang.self())
    erlang.process_flag("trap_exit", True)
    deb = osys.debug_options(dbg_opts)
    proc_lib.init_ack(("ok", erlang.self()))
    proc_lib.hibernate(free, [name, parent, deb])       # never returns


def free(name, parent, deb):
    msg = erlang.receive(("wait", ANY), ("system", ANY, ANY), (ANY, ANY, "get_modules"),
                         ("EXIT", parent, ANY))
    tag = msg[0]
    if tag == "wait":
        pid = msg[1]
        deb = osys.handle_debug(deb, debug, name, msg)
        erlang.send(pid, (erlang.self(), "ok"))
        proc_lib.hibernate(busy, [pid, name, parent, deb])
    elif tag == "system":
        system_continue(parent, *osys.handle_system_msg(msg[2], msg[1], parent, _this, deb, ("free", name)))
    elif tag == "EXIT":
        terminate(msg[2], name, deb)
    else:
        get_modules(msg[1])
        proc_lib.hibernate(free, [name, parent, deb])


def busy(pid, name, parent, deb):
    msg = erlang.receive(("signal", pid), ("system", ANY, ANY), (ANY, ANY, "get_modules"),
                         ("EXIT", parent, ANY))
    tag = msg[0]
    if tag == "signal":
        deb = osys.handle_debug(deb, debug, name, msg)
        proc_lib.hibernate(free, [name, parent, deb])
    elif tag == "system":
        system_continue(parent, *osys.handle_system_msg(msg[2], msg[1], parent, _this, deb, ("busy", name, pid)))
    elif tag == "EXIT":
        erlang.exit(pid, msg[2])
        terminate(msg[2], name, deb)
    else:
        get_modules(msg[1])
        proc_lib.hibernate(busy, [pid, name, parent, deb])


def get_modules(from_):
    """Reply to ``gen:call(Pid, Label, get_modules)``: ``From ! {Tag, Modules}``."""
    pid, tag = from_
    erlang.send(pid, (tag, MODULES))


# ----------------------------------------------------------------- system callbacks
def system_continue(parent, deb, misc):
    """Back into the state ``misc`` names, hibernating until the next message."""
    if misc[0] == "busy":
        proc_lib.hibernate(busy, [misc[2], misc[1], parent, deb])
    proc_lib.hibernate(free, [misc[1], parent, deb])


def system_terminate(reason, parent, deb, misc):
    if misc[0] == "busy":
        erlang.exit(misc[2], reason)
    terminate(reason, misc[1], deb)


_this = _pysys.modules[__name__]
__all__ = ["start_link", "wait", "signal", "system_code_change"]
