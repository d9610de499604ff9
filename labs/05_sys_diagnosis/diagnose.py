"""diagnose: look inside a running server with ``sys`` only (lab 05, book ch. 5).

The frequency server in ``frequency.py`` leaks. Do not edit it: diagnose it
from the outside with ``sys``, as you would on a live node. README.md has the tasks.

    leaked_frequencies(server)    frequencies held by dead processes (sys.get_state)
    messages_in(server, fun)      messages the server received while fun() ran (sys.statistics)
    requests_during(server, fun)  what it received while fun() ran, in order (sys.log)
    repair(server)                free the leaked frequencies in place (sys.replace_state)
"""
from otp_lite import erlang  # noqa: F401  (you will need it)
from otp_lite import sys as osys  # noqa: F401


def leaked_frequencies(server):
    """The frequencies the server has allocated to processes that are no longer alive.

    Args:
        server: the server's registered name or pid, e.g. ``'frequency'``.

    Returns:
        a sorted list of frequencies, e.g. ``[10, 12]``; ``[]`` when nothing leaks.

    Example::

        >>> diagnose.leaked_frequencies('frequency')
        [10, 12]
    """
    # TODO (student): sys.get_state, then erlang.is_process_alive on each owner.
    pass


def messages_in(server, fun):
    # TODO (student): statistics on, fun(), read messages_in, statistics off again
    # (in a finally: also when fun() raises).
    pass


def requests_during(server, fun):
    # TODO (student): log on, fun(), read the ('in', msg) events, log off again (finally);
    # return the requests: a call's request, a cast's request, a plain message.
    pass


def repair(server):
    # TODO (student): sys.replace_state with a function that puts the leaked
    # frequencies back on the free list (at the end), deciding inside that
    # function what is leaked; return them, sorted.
    pass
