"""frequency: the frequency server as a callback module for ``server`` (lab 03, book ch. 3).

The client API is written for you; write the three callbacks.  The server
hands out the frequencies 10 to 15, head of the free list first.

State: up to you; the book uses ``(free, allocated)``: the list of free
frequencies and a list of ``(freq, pid)`` pairs.
"""
import sys

import server
from otp_lite import erlang


# ------------------------------------------------------------------ client API (given)
def start():
    return server.start("frequency", sys.modules[__name__], [])


def stop():
    return server.stop("frequency")


def allocate():
    return server.call("frequency", ("allocate", erlang.self()))


def deallocate(freq):
    return server.call("frequency", ("deallocate", freq, erlang.self()))


# ------------------------------------------------------------------ callbacks
def init(args):
    # TODO (student): the state of a fresh server (frequencies 10..15 free, none allocated).
    pass


def handle(msg, state):
    """Handle one request; return ``(new_state, reply)``.

    Args:
        msg: ``('allocate', pid)`` or ``('deallocate', freq, pid)``; ``pid``
            is the client that called (the client API above adds it).
        state: what ``init`` or the previous ``handle`` returned.

    Returns:
        ``(new_state, reply)`` where reply is

        * for allocate: ``('ok', freq)``, the head of the free list, or
          ``('error', 'no_frequency')`` when none is left;
        * for deallocate: ``'ok'`` (the frequency goes back to the *head*
          of the free list) or, task 4, ``('error', 'not_owner')`` /
          ``('error', 'not_allocated')``.

    Example::

        >>> s = init([])
        >>> s, reply = handle(('allocate', pid), s)
        >>> reply
        ('ok', 10)
    """
    # TODO (student)
    pass


def terminate(state):
    # TODO (student): called by stop; its result is stop's reply ('ok').
    pass
