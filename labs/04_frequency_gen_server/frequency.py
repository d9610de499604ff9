"""frequency: the frequency server on gen_server (lab 04, book ch. 4).

Chapter 4 rewrites chapter 3's frequency server on OTP's ``gen_server``.
This module is both the client API and the callback module, as the Erlang
module is.  README.md has the tasks.

==========================  =======================================  ===========================
client API                  gen_server request                        reply
==========================  =======================================  ===========================
``start()``                 ``start_link(('local', 'frequency'))``   ``('ok', pid)``
``allocate(timeout=5000)``  call ``('allocate', pid)``                ``('ok', f)`` | ``('error', r)``
``deallocate(freq)``        cast ``('deallocate', freq, pid)``        ``'ok'`` (a cast)
``stop()``                  cast ``'stop'``                           ``'ok'`` (a cast)
==========================  =======================================  ===========================

State: ``(free, allocated)``, as in the book: the list of free frequencies
(hand out the head first) and a list of ``(freq, pid)`` pairs, the newest
first.  The checks read it with ``sys.get_state('frequency')``.
"""
import sys

from otp_lite import erlang, gen_server  # noqa: F401  (you will need them)
from otp_lite.erlang import ErlangError, Exit  # noqa: F401


def _me():
    """This module, to pass to gen_server as the callback module."""
    return sys.modules[__name__]


# ---------------------------------------------------------------- client API
def start():
    """Start the frequency server, registered as ``'frequency'`` and linked to the caller.

    Args:
        none.

    Returns:
        ``('ok', pid)``, or ``('error', ('already_started', pid))`` when a
        server is already registered as ``'frequency'``: exactly what
        ``gen_server.start_link(('local', 'frequency'), _me(), [], [])`` returns.

    Example::

        >>> frequency.start()
        ('ok', <0.81.0>)
        >>> frequency.allocate()
        ('ok', 10)
    """
    # TODO (student)
    pass


def stop():
    # TODO (student): a cast; returns 'ok' (even when no server runs).
    pass


def allocate(timeout=5000):
    # TODO (student): a call with this timeout; ('error', 'timeout') if no reply in time (task 4).
    pass


def deallocate(freq):
    # TODO (student): a cast carrying the caller's pid; returns 'ok'.
    pass


# ---------------------------------------------------------------- callbacks
def init(args):
    # TODO (student): ('ok', state) with 10..15 free and nothing allocated.
    pass


def handle_call(request, from_, state):
    # TODO (student): ('allocate', pid) -> ('reply', reply, new_state).
    pass


def handle_cast(msg, state):
    # TODO (student): ('deallocate', freq, pid) (owner only) and 'stop'.
    pass


def handle_info(msg, state):
    # TODO (student): ignore stray messages: ('noreply', state).
    pass


def terminate(reason, state):
    # TODO (student)
    pass


def format_status(opt, status):
    # TODO (student): status is [pdict, state]; label the two lists (task 5).
    pass
