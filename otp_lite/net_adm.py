"""``net_adm``: mirrors OTP ``net_adm:ping/1`` (OTP 25); book ch. 13.

``ping(node)`` -> ``'pong'`` if ``node`` answers, else ``'pang'``.  On a real
cluster (``dist.start(name, real=True)``) it is OTP's own exchange: a
``gen:call`` of ``{is_auth, node()}`` to ``{net_kernel, Node}``, which sets up
the connection (epmd, handshake) first; a real Erlang node answers ``yes``.
On the simulated network it asks the network whether the node is reachable.
Failure rule: never raises for an unknown or dead node (``'pang'``); a node
name that is not a str is ``badarg``.
See also: otp_lite.dist, otp_lite.rpc.
"""
from __future__ import annotations

from . import erlang
from .erlang import ErlangError, Exit
from .kernel import state as _state

__all__ = ["ping"]


def ping(node):
    """``net_adm:ping(Node)`` -> ``'pong'`` | ``'pang'``."""
    if type(node) is not str:
        raise ErlangError("badarg", f"net_adm.ping takes a node name like 'peer@127.0.0.1', got {node!r}")
    rt = _state.rt
    net = rt.net if rt is not None else None
    if net is None:
        return "pang"
    if node == erlang.node():
        return "pong"
    if not net.wire:
        return "pong" if net.reachable(rt.current.node, node) else "pang"
    from . import _gen
    try:
        reply = _gen.call(("net_kernel", node), "$gen_call", ("is_auth", erlang.node()), "infinity",
                          ("net_adm", "ping", [node]))
    except Exit:
        reply = None
    if reply == "yes":
        return "pong"
    erlang.disconnect_node(node)
    return "pang"
