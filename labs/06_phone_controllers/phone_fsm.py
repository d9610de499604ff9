"""phone_fsm: one controller per handset on gen_statem (lab 06, book ch. 6).

The book's "Get Your Hands Dirty: The Phone Controllers".  Each handset has
a controller process; controllers talk to each other (peer events), to the
HLR (``hlr``), to the frequency server (``frequency``) and to their handset
(``phone.reply``).  Those three modules are given; README.md has the tasks
and the whole protocol.

States (``callback_mode()`` is ``'state_functions'``: one function per state)::

    idle  --outbound ok-->  calling  --accept (+ frequency)-->  connected
    idle  --inbound-->      receiving --action accept-->         connected

API::

    start_link(ms)                 ('ok', pid); the controller attaches ms in the HLR
    stop(pid)                      'ok'
    action(('outbound', ms), pid)  a call: 'ok' | ('error', 'invalid') | ('error', 'busy')
    action(a, pid)                 a in 'accept' | 'reject' | 'hangup': cast ('action', a)
    inbound/busy/accept/reject/hangup(to)   cast (tag, self()) to the peer ``to``
"""
import sys

import frequency  # noqa: F401  (given: allocate, deallocate)
import hlr  # noqa: F401        (given: attach, detach, lookup_id)
import phone  # noqa: F401      (given: reply(tag, other, ms))
from otp_lite import erlang, gen_statem  # noqa: F401  (you will need them)


def _me():
    """This module, to pass to gen_statem as the callback module."""
    return sys.modules[__name__]


# ---------------------------------------------------------------- API
def start_link(ms):
    # TODO (student): gen_statem.start_link(_me(), ms, []).
    pass


def stop(pid):
    # TODO (student): gen_statem.stop(pid).
    pass


def action(act, pid):
    """What the handset's user does: dial, accept, reject or hang up.

    Args:
        act: ``('outbound', ms)`` to dial number ``ms``, or ``'accept'``,
            ``'reject'`` or ``'hangup'``.
        pid: the controller of the handset the user holds.

    Returns:
        For ``('outbound', ms)`` the reply of a ``gen_statem.call``: ``'ok'``,
        ``('error', 'invalid')`` (nobody has number ms) or ``('error', 'busy')``
        (this phone is not idle).  For the others ``'ok'``: they are casts of
        ``('action', act)``, whose effect comes later.

    Example::

        >>> phone_fsm.action(('outbound', 2), p1)
        'ok'
        >>> phone_fsm.action('accept', p2)
        'ok'
    """
    # TODO (student)
    pass


# TODO (student): the peer events: each casts (tag, erlang.self()) to the controller `to`.
def inbound(to):
    pass


def busy(to):
    pass


def accept(to):
    pass


def reject(to):
    pass


def hangup(to):
    pass


# ---------------------------------------------------------------- callbacks
def callback_mode():
    # TODO (student)
    pass


def init(ms):
    # TODO (student): trap exits (task 6), attach ms in the HLR, start in 'idle' with data ms.
    pass


def terminate(reason, state, data):
    # TODO (student, task 6): tell the peer, free the frequency you hold, detach from the HLR.
    pass


# Each state function gets (event_type, content, data): event_type is 'cast' or ('call', from_).
def idle(event_type, content, data):
    # TODO (student)
    pass


def calling(event_type, content, data):
    # TODO (student)
    pass


def receiving(event_type, content, data):
    # TODO (student)
    pass


def connected(event_type, content, data):
    # TODO (student)
    pass
