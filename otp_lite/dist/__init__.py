"""otp_lite.dist: several named nodes in one runtime, and a network model between them.

Book ch. 13 (distributed Erlang).  ``net`` holds the nodes and the network
(latency, loss, partitions, per-pair order); the BIFs that take a node live in
``otp_lite.erlang`` (``spawn(node, fun)``, ``monitor_node``,
``disconnect_node``, ``node()``, ``nodes()``); ``otp_lite.rpc``,
``otp_lite.global_`` and ``otp_lite.pg`` build on it.  ``viz.timeline()`` draws
who talks to whom, and when (viz sits above dist: dist never imports it).
"""
from .net import Network, network, start, start_node, stop_node  # noqa: F401


def partition(side_a, side_b=None):
    """Cut the network between ``side_a`` and ``side_b`` (default: all the others)."""
    from .net import _net
    return _net().partition(side_a, side_b)


def heal():
    """Remove every cut (``Network.heal``)."""
    from .net import _net
    return _net().heal()


def set_link(a, b, latency=None, jitter=None, loss=None):
    """Latency/jitter (ms) and loss (0..1) between nodes ``a`` and ``b``."""
    from .net import _net
    return _net().set_link(a, b, latency, jitter, loss)
