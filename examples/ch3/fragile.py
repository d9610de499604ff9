"""fragile: the ch. 3 frequency callbacks, except that the server dies right after each reply.

``handle`` queues a request no clause matches to the server itself, so the generic loop
replies to the caller first and crashes on the next message: the caller gets the reply
*and* a ``'DOWN'`` (notebook 03, "Message passing under the hood").
"""
from otp_lite import erlang

from .behavior import frequency


def init(args):
    return frequency.init(args)


def handle(msg, state):
    if msg != ("bogus",):
        erlang.send(erlang.self(), ("request", (erlang.make_ref(), erlang.self()), ("bogus",)))
    return frequency.handle(msg, state)


def terminate(state):
    return frequency.terminate(state)
