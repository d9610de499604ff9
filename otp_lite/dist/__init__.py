"""otp_lite.dist: several named nodes in one runtime, and a network model between them.

Book ch. 13 (distributed Erlang).  ``net`` holds the nodes and the network
(latency, loss, partitions, per-pair order); the BIFs that take a node live in
``otp_lite.erlang`` (``spawn(node, fun)``, ``monitor_node``,
``disconnect_node``, ``node()``, ``nodes()``); ``otp_lite.rpc``,
``otp_lite.global_`` and ``otp_lite.pg`` build on it.  ``viz.timeline()`` draws
who talks to whom, and when (viz sits above dist: dist never imports it).

``start(name, real=True, cookie=...)`` makes the runtime a node of a *real*
Erlang cluster instead (``otp_lite.dist.real``: epmd, the handshake, TCP).
"""
from .net import Network, network, start_node, stop_node  # noqa: F401
from .net import start as _start_simulated


def start(name="shell@localhost", latency=1, jitter=0, loss=0.0, seed=None, net_ticktime=60,
          real=False, cookie=None):
    """Make the shell's node distributed (``erl -sname``/``-name``).

    Simulated (default): returns the :class:`Network`; ``latency``/``jitter`` in ms
    and ``loss`` (0..1) are its defaults for every pair of nodes.
    ``real=True``: join a real Erlang cluster on 127.0.0.1 (``net_kernel:start``):
    registers ``name`` with epmd, with ``cookie`` (``erl -setcookie``); needs
    ``runtime.reset(clock='real')``.  ``net_ticktime`` in seconds (OTP's: 60).
    """
    if real:
        from . import real as _real
        return _real.start(name, cookie=cookie, net_ticktime=net_ticktime)
    if cookie is not None:
        from ..kernel.terms import ErlangError
        raise ErlangError("badarg", "a cookie only means something with real=True "
                          "(the simulated network has no security)")
    return _start_simulated(name, latency, jitter, loss, seed, net_ticktime)


def stop():
    """A real node leaves its cluster (``net_kernel:stop()``): connections close, peers see nodedown."""
    from . import real as _real
    return _real.stop()


def export(name, namespace=None):
    """Let real Erlang nodes ``rpc:call`` into ``namespace`` as module ``name`` (see dist.real)."""
    from . import real as _real
    return _real.export(name, namespace)


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
