"""Chapter 13: the frequency server (ch. 4) used from another node.

The server code does not change: a client on another node names it
``('frequency', Node)``, and every call crosses the (simulated) network.
"""
from otp_lite import erlang, gen_server, rpc
from examples.ch4 import frequency


def start_on(node):
    """Start the ch4 frequency server on ``node`` (through rpc) -> ``('ok', pid)``."""
    return rpc.call(node, frequency, "start", [])   # the rex worker exits normally: the link is harmless


def allocate(node):
    return gen_server.call(("frequency", node), ("allocate", erlang.self()))


def deallocate(node, freq):
    return gen_server.cast(("frequency", node), ("deallocate", freq))


def echo():
    """A process that answers ``(From, Msg)`` with ``('echo', node(), Msg)``."""
    while True:
        frm, msg = erlang.receive()
        erlang.send(frm, ("echo", erlang.node(), msg))
