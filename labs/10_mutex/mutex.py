"""mutex: a semaphore as a special process (lab 10, book ch. 10).

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

from otp_lite import code, erlang, proc_lib  # noqa: F401  (you will need them)
from otp_lite import sys as osys  # noqa: F401
from otp_lite.erlang import ANY  # noqa: F401


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
    """Start the mutex, linked to the caller, and wait until it is ready.

    Args:
        name: the name to register the mutex under, e.g. ``'printer'``.
        dbg_opts: sys debug options, e.g. ``['trace']`` or ``['log']``.

    Returns:
        ``('ok', pid)`` once ``init`` has called ``proc_lib.init_ack``.

    Example::

        >>> mutex.start_link('printer', ['trace'])
        mutex printer: init
        ('ok', <0.83.0>)
    """
    # TODO (student): proc_lib.start_link(init, (parent, name, dbg_opts)); the parent is the caller.
    pass


def init(parent, name, dbg_opts):
    # TODO (student): register name, trap exits, osys.debug_options(dbg_opts),
    # proc_lib.init_ack(('ok', self)), report 'init' with osys.handle_debug,
    # then code.tail_loop(free, name, parent, deb).
    pass


# ---------------------------------------------------------------- states
def free(name, parent, deb):
    # TODO (student): receive ('wait', pid) | ('system', from, req) | ('EXIT', parent, reason).
    # wait: report it, watch the new holder, send it (self, 'ok'), return the next call (busy, ...).
    # system: osys.handle_system_msg(req, from, parent, _THIS, deb, ('free', name)) -> (deb, misc).
    pass


def busy(pid, ref, name, parent, deb):
    # TODO (student): receive ('signal', pid) | the holder's death | system | the parent's EXIT.
    # Only the holder's signal frees the mutex; other waits stay queued in the mailbox.
    pass


def debug(dev, event, name):
    """The trace formatter, OTP's ``FormFunc(Dev, Event, State)`` (given)."""
    text = event if type(event) is str else repr(event)
    print(f"mutex {name}: {text}", file=dev)


# ---------------------------------------------------------------- system callbacks
def system_continue(parent, deb, misc):
    """Erlang's continuation; here ``handle_system_msg`` returns and the loop goes on (given)."""
    return (deb, misc)


def system_terminate(reason, parent, deb, misc):
    # TODO (student): sys.terminate or a parent EXIT while suspended: kill the holder (if busy), terminate.
    pass


def system_code_change(misc, module, old_vsn, extra):
    # TODO (student): nothing to change: ('ok', misc).
    pass


def terminate(reason, name, deb):
    # TODO (student): unregister, report ('terminate', reason), kill every queued waiter
    # with reason, then exit with reason.
    pass


_THIS = sys.modules[__name__]
