"""otp_lite as a node of a real Erlang cluster: the distribution protocol over TCP.

Mirrors ``net_kernel`` / ``erl -name`` (OTP 25, ERTS ``erl_dist_protocol``);
book ch. 13.  Opt-in and real-clock only: the simulated network
(``otp_lite.dist.net``) stays the default, deterministic and unchanged.

    from otp_lite import runtime, dist, erlang, rpc, net_adm
    runtime.reset(clock='real')
    dist.start('lab@127.0.0.1', real=True, cookie='secret')   # epmd must be running
    net_adm.ping('peer@127.0.0.1')                 # 'pong' (an `erl -name peer@127.0.0.1`)
    erlang.send(('shell', 'peer@127.0.0.1'), 'hello')
    rpc.call('peer@127.0.0.1', 'erlang', 'node', [])   # OTP 25's way: erpc (spawn_request)
    dist.export('lab_math', lab_math)              # rpc:call('lab@127.0.0.1', lab_math, add, [1,2])

Essay
-----
What crosses the wire is exactly OTP's: epmd registration (``epmd.py``), the
version-6 handshake with the cookie's MD5 challenge (``handshake.py``),
4-byte-length packets with ticks (``connection.py``), and control messages in
the External Term Format (``node.py`` out, ``inbound.py`` in, ``codec.py`` for
pids and refs, ``..etf``); ``services.py`` runs our net_kernel, rex, and the
processes Erlang nodes spawn here (erpc).  A remote process is a kernel Pid
tagged with its node (a *proxy*), so the BIFs route it here and every
behaviour (``gen_server.call(('name', node), ...)``) works unchanged.

Threads: an acceptor, a ticker, and one reader per connection only move bytes
into an inbox; the runtime thread decodes and acts, when it is idle (its
``idle_wait`` waits on the wire instead of sleeping) and every ``PUMP_MS``.
In live mode (JupyterLab) a reader also kicks the event loop.

otp_lite is a *hidden* node (``erl -hidden``): an erl node lists it in
``nodes(hidden)``, not ``nodes()``, and its ``global`` leaves it alone (we do
not run global; a visible node that does not answer global's sync would make
``global:sync()`` wait for ever).

Simplifications (XX): one connection attempt per send/monitor, synchronous
(bounded by ``CONNECT_TIMEOUT``); no atom cache, fragments, exit payloads or
aliases (the peer then does without them); ``spawn_request`` only for rpc
(erpc) and exported Python functions; a Python function cannot be spawned on
an Erlang node; ``global`` is not synchronised with real nodes; loopback only.
Failure rule: bad bytes from the wire close that connection with a log line
(logger ``otp_lite.dist.real``), never the runtime.
"""
from __future__ import annotations

import secrets

from ...kernel import state as _state
from ...kernel.terms import ErlangError
from .node import RealNetwork
from .services import export, unexport, EXPORTS  # noqa: F401
from .epmd import EpmdError  # noqa: F401

__all__ = ["start", "stop", "export", "unexport", "network"]


def start(name, cookie=None, net_ticktime=60):
    """Make this runtime the node ``name`` (``'lab@127.0.0.1'``) of a real cluster.

    Registers with epmd and listens on 127.0.0.1.  ``cookie``: the shared secret
    (default: a random one, so only nodes you tell it to can connect).  Returns
    the :class:`RealNetwork` (``rt.net``).
    """
    from ... import runtime
    rt = runtime.current()
    if rt.virtual:
        raise ErlangError("badarg", "a real Erlang node needs the real clock: "
                          "runtime.reset(clock='real') first")
    if rt.net is not None:
        raise ErlangError("badarg", "this runtime is already distributed (runtime.reset() for a fresh one)")
    if type(name) is not str or name.count("@") != 1 or not name.split("@")[0]:
        raise ErlangError("badarg", f"a node name looks like 'name@127.0.0.1', got {name!r}")
    if name.split("@")[1] not in ("127.0.0.1", "localhost"):
        raise ErlangError("badarg", f"otp_lite listens on loopback only: use 'name@127.0.0.1', not {name!r}")
    if cookie is None:
        cookie = secrets.token_hex(10)
    if type(cookie) is not str or not cookie:
        raise ErlangError("badarg", f"the cookie is a non-empty str (an atom), got {cookie!r}")
    net = RealNetwork(rt, name, cookie, net_ticktime)
    net.start()
    _live_nets.add(net)
    old_name = net.old_name = rt.node0.name
    rt.node0.name = name
    rt.net = net
    rt.idle_wait = net.idle_wait
    try:
        _boot(rt, net)
    except BaseException:
        stop()
        rt.node0.name = old_name
        raise
    return net


def _boot(rt, net):
    from . import services
    import asyncio
    for fun, name in ((services.net_kernel, "net_kernel"), (services.rex, "rex")):
        p, _ = rt.spawn(fun, (), parent=rt.shell, mfa=(name, "loop", 0))
        p.label = name
        rt.register(name, p)
    try:
        net.loop = asyncio.get_running_loop()
    except RuntimeError:
        net.loop = None


def network():
    rt = _state.rt
    net = rt.net if rt is not None else None
    return net if getattr(net, "wire", False) else None


def stop():
    """Close every connection (peers see ``nodedown``), unregister from epmd."""
    rt = _state.rt
    net = network()
    if net is None or net.closed:                       # net_kernel:stop() when not alive
        return ("error", "not_found")                   # (tests/oracle_probes/ch13_nb_stop.out)
    net.stop()
    rt.idle_wait = None
    rt.node0.name = net.old_name                        # node() is nonode@nohost again
    return "ok"


def _on_reset(rt):
    """A new runtime: the old one's node (if any) closes its sockets."""
    for net in list(_live_nets):
        if net.rt is not rt:
            net.stop()
            _live_nets.discard(net)


_live_nets = set()


def _install():
    import atexit
    from ... import runtime
    runtime.on_reset(_on_reset)
    atexit.register(lambda: [n.stop() for n in list(_live_nets)])


_install()
