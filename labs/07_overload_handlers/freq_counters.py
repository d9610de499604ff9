"""freq_counters: a gen_event handler counting identical events (lab 07, book ch. 7).

Installed in an event manager, it counts how many times each event was
notified.  README.md has the tasks.

    gen_event                              callback
    add_handler(m, freq_counters, args)    init(args)               -> ('ok', state)
    notify / sync_notify(m, ev)            handle_event(ev, state)  -> ('ok', state)
    a raw message to m                     handle_info(msg, state)  -> ('ok', state)   (not counted)
    get_counters(m)                        handle_call('get_counters', state)
                                             -> ('ok', ('counters', [(ev, n), ...]), state)
    delete_handler(m, freq_counters, a)    terminate(a, state)      -> ('counters', [(ev, n), ...])
"""
import sys

from otp_lite import gen_event


def get_counters(m):
    """The counters of the freq_counters handler installed in manager ``m`` (given)."""
    return gen_event.call(m, sys.modules[__name__], "get_counters")


def init(args):
    """Start counting: the handler's first state.

    Args:
        args: the third argument of ``gen_event.add_handler`` (the checks pass ``()``).

    Returns:
        ``('ok', state)``: gen_event installs the handler with that state.
        Anything else is returned by ``add_handler`` and the handler is not added.

    Example::

        >>> gen_event.add_handler('freq_overload', freq_counters, ())
        'ok'
        >>> gen_event.sync_notify('freq_overload', 'hello')
        'ok'
        >>> freq_counters.get_counters('freq_overload')
        ('counters', [('hello', 1)])
    """
    # TODO (student): no ETS table with a fixed name: two managers may each install one.
    pass


def handle_event(event, state):
    # TODO (student): count one more `event`.
    pass


def handle_info(msg, state):
    # TODO (student): raw messages are not events: do not count them.
    pass


def handle_call(request, state):
    # TODO (student): 'get_counters' -> ('ok', ('counters', [(event, n), ...]), state).
    pass


def terminate(reason, state):
    # TODO (student): the value is what delete_handler returns: ('counters', [(event, n), ...]).
    pass
