"""Simulated distributed Erlang: named nodes in one runtime, and the network between them.

Mirrors OTP's distribution (``net_kernel``, ``erlang:spawn/4``, ``monitor_node/2``,
``disconnect_node/1``) (OTP 25); book ch. 13.

What is real, what is simulated
-------------------------------
Every node lives in the same Python runtime, on one virtual clock.  A node is a
tag on its processes (``pid.node``, printed as the N in ``<N.x.0>``) plus its
own registry.  Everything that crosses from one node to another -- a message,
an exit signal, a ``DOWN`` -- goes through this module instead of straight
into a mailbox:

==========================  ===================================================
real distributed Erlang     this model
==========================  ===================================================
one TCP connection a pair   ``connected`` pairs; set up on first contact
in-order delivery per pair  arrival = max(now + latency, last arrival on pair)
latency                     ``latency`` ms (+ seeded ``jitter``) per pair
TCP never loses a message   ``loss`` (default 0) is an *extra* knob: a lossy
                            transport, as UDP would be; Erlang does not do it
cable cut (partition)       messages are held (TCP retransmits); after
                            ``net_ticktime`` s without contact the connection
                            goes down: held messages are lost, links get
                            ``noconnection``, ``monitor_node`` -> ``nodedown``
heal before the tick        held messages arrive, in order, nothing else
node crash (``stop_node``)  its processes vanish; in-flight traffic is lost;
                            the others see ``noconnection`` / ``nodedown``
reconnection                only when somebody talks again (auto-connect)
==========================  ===================================================

Simplifications: a remote ``spawn`` and a ``link`` take effect at once (no
round trip); OTP detects a dead connection between 0.75 and 1.25 x
``net_ticktime``, we use exactly ``net_ticktime``; pids print with the node's
index in this runtime (in real Erlang the N depends on the node looking).

Failure rule: a message to a dead node, an unknown node or across a cut that
outlives the tick is dropped silently, as in Erlang; nothing raises.
See also: otp_lite.rpc, otp_lite.global_, otp_lite.pg, otp_lite.erlang.
"""
from __future__ import annotations

import random

from ..kernel import state as _state
from ..kernel.process import Node
from ..kernel.terms import ErlangError
from ..kernel.timers import FN

__all__ = ["Network", "start", "start_node", "stop_node", "network"]


def _pair(a, b):
    return (a, b) if a <= b else (b, a)


class Network:
    """The network between the nodes of one runtime (``rt.net``)."""

    wire = False        # links and monitors are shared data here (dist.real: control messages)

    def __init__(self, rt, latency=1, jitter=0, loss=0.0, seed=None, net_ticktime=60):
        self.rt = rt
        self.rng = random.Random(rt.seed if seed is None else seed)
        self.default = (latency, jitter, loss)
        self.links = {}             # (a, b) sorted names -> (latency, jitter, loss)
        self.net_ticktime = net_ticktime
        self.nodes = {rt.node0.name: rt.node0}   # name -> Node (alive ones)
        self.index = {rt.node0.name: 0}          # name -> index (kept when a node dies)
        self.connected = set()      # sorted name pairs
        self.adj = {}               # name -> the names it is connected to (nodes_of in O(degree))
        self.cut = set()            # sorted name pairs that cannot talk
        self.cuts = 0               # counts cuts: a tick timer belongs to one cut
        self.cut_id = {}            # sorted pair -> id of its current cut
        self.held = {}              # (src, dst) -> [item] waiting for a heal
        self.last = {}              # (src, dst) -> last arrival time (per-pair FIFO)
        self.gen = {}               # sorted pair -> connection generation
        self.node_watchers = {}     # node name -> [watcher Pid] (monitor_node)
        self.log = []               # (t_send, t_arrive or None, src, dst, what, fate)
        self.on_connect = []        # callbacks (a, b): otp_lite.global_ merges here
        self.on_nodedown = []       # callbacks (node_name, down_name)
        self.stats = {"sent": 0, "delivered": 0, "held": 0, "lost": 0, "dropped": 0}

    # ------------------------------------------------------------ nodes
    def add_node(self, name):
        if type(name) is not str or "@" not in name:
            raise ErlangError("badarg", f"a node name looks like 'name@host', got {name!r}")
        if name in self.nodes:
            return ("error", ("already_started", name))
        idx = self.index.setdefault(name, len(self.index))
        self.nodes[name] = Node(idx, name, {})
        _boot(name)
        return ("ok", name)

    def node(self, name):
        return self.nodes.get(name)

    def nodes_of(self, node):
        """Connected nodes seen from ``node`` (a Node), sorted (``erlang:nodes/0``)."""
        return sorted(self.adj.get(node.name, ()))     # (was a scan of every pair: a join was O(N^3))

    def reachable(self, node, name):
        """Can ``node`` (a Node) talk to node ``name`` now? (connects if it can)."""
        return self._connect(node.name, name)

    def _connect(self, a, b):
        if a == b:
            return True
        if a not in self.nodes or b not in self.nodes:
            return False
        p = _pair(a, b)
        if p in self.connected:
            return True
        if p in self.cut:
            return False
        self.connected.add(p)
        self.adj.setdefault(a, set()).add(b)
        self.adj.setdefault(b, set()).add(a)
        self.gen[p] = self.gen.get(p, 0) + 1
        self.log.append((self.rt.now_ms(), None, a, b, "connect", "nodeup"))
        for fn in self.on_connect:
            fn(a, b)
        # OTP's default (connect_all): a new connection connects the two clusters fully
        for x, y in ((a, b), (b, a)):
            for c in self.nodes_of(self.nodes[y]):
                if c != x:
                    self._connect(x, c)
        return True

    # ------------------------------------------------------------ knobs
    def set_link(self, a, b, latency=None, jitter=None, loss=None):
        """Latency (ms), jitter (ms, seeded) and loss (0..1) between nodes ``a`` and ``b``."""
        lat, jit, los = self.links.get(_pair(a, b), self.default)
        self.links[_pair(a, b)] = (lat if latency is None else latency,
                                   jit if jitter is None else jitter,
                                   los if loss is None else loss)
        return "ok"

    def partition(self, side_a, side_b=None):
        """Cut every pair between ``side_a`` and ``side_b`` (default: every other node)."""
        side_a = [side_a] if type(side_a) is str else list(side_a)
        side_b = ([n for n in self.nodes if n not in side_a] if side_b is None
                  else [side_b] if type(side_b) is str else list(side_b))
        for a in side_a:
            for b in side_b:
                p = _pair(a, b)
                if a == b or p in self.cut:
                    continue
                self.cut.add(p)
                self.cuts += 1
                self.cut_id[p] = self.cuts
                self.log.append((self.rt.now_ms(), None, a, b, "partition", "cut"))
                if p in self.connected:
                    self.rt.add_timer(self.net_ticktime * 1000, FN, self._tick_timeout,
                                      (p, self.gen[p], self.cuts))
        return "ok"

    def heal(self):
        """Remove every cut; messages held by a cut younger than the tick arrive in order."""
        now = self.rt.now_ms()
        for p in sorted(self.cut):
            self.log.append((now, None, p[0], p[1], "heal", "heal"))
        self.cut.clear()
        held, self.held = self.held, {}
        for (src, dst), items in sorted(held.items()):
            for item in items:
                self._schedule(src, dst, item)
        return "ok"

    def _tick_timeout(self, p, gen, cut):
        if p in self.cut and p in self.connected and self.gen.get(p) == gen \
                and self.cut_id.get(p) == cut:
            self.disconnect(p[0], p[1], why="net_tick_timeout")

    # ------------------------------------------------------------ transport
    def route(self, sender, to, msg):
        """A message from ``sender`` to ``to`` on another node (kernel hook)."""
        self._transmit(sender.node.name, to.node.name, ("msg", sender, to, msg), msg)
        return msg

    def send_named(self, sender, name, node, msg):
        """``erlang:send({Name, Node}, Msg)`` to another node: resolved on arrival."""
        self._transmit(sender.node.name, node, ("named", sender, name, msg), msg)
        return msg

    def route_exit(self, frm, to, reason, direct):
        """An exit signal to another node (kernel hook): ordered with the messages."""
        self._transmit(frm.node.name, to.node.name, ("exit", frm, to, reason, direct),
                       ("EXIT", reason))

    def _transmit(self, src, dst, item, what):
        st = self.stats
        st["sent"] += 1
        now = self.rt.now_ms()
        if not self._connect(src, dst):       # dead/unknown node, or cut and not connected
            st["dropped"] += 1
            self.log.append((now, None, src, dst, what, "dropped"))
            return
        if _pair(src, dst) in self.cut:
            st["held"] += 1
            self.held.setdefault((src, dst), []).append((now, item, what))
            return
        self._schedule(src, dst, (now, item, what))

    def _schedule(self, src, dst, entry):
        t0, item, what = entry
        lat, jit, loss = self.links.get(_pair(src, dst), self.default)
        if loss and self.rng.random() < loss:
            self.stats["lost"] += 1
            self.log.append((t0, None, src, dst, what, "lost"))
            return
        now = self.rt.now_ms()
        t = now + lat + (self.rng.uniform(0, jit) if jit else 0)
        t = max(t, self.last.get((src, dst), 0))
        self.last[(src, dst)] = t
        rec = [t0, t, src, dst, what, "in flight"]
        self.log.append(rec)
        self.rt.add_timer(t - now, FN, self._arrive, (item, self.gen.get(_pair(src, dst)), rec))

    def _arrive(self, item, gen, rec):
        src, dst = rec[2], rec[3]
        if self.gen.get(_pair(src, dst)) != gen or dst not in self.nodes:
            rec[5] = "lost"                 # the connection broke while it was on the wire
            self.stats["lost"] += 1
            return
        rec[5] = "delivered"
        self.stats["delivered"] += 1
        rt = self.rt
        kind = item[0]
        if kind == "msg":
            _, sender, to, msg = item
            if to.alive:
                rt.deliver(to, msg, sender)
        elif kind == "named":
            _, sender, name, msg = item
            to = self.nodes[dst].names.get(name)
            if to is not None and to.alive:
                rt.deliver(to, msg, sender)
        elif kind == "exit":
            _, frm, to, reason, direct = item
            rt.exit_signal_here(to, frm, reason, direct)
        elif kind == "call":
            item[1](*item[2])

    def whereis(self, asker, name, node):
        """The pid registered as ``name`` on ``node``; None; or 'noconnection' (kernel hook)."""
        if not self._connect(asker.node.name, node):
            return "noconnection"
        return self.nodes[node].names.get(name)

    # ------------------------------------------------------------ failures
    def disconnect(self, a, b, why="disconnect"):
        """Take the connection a-b down (``erlang:disconnect_node``, or a tick timeout)."""
        p = _pair(a, b)
        if p not in self.connected:
            return False
        self.connected.discard(p)
        self.adj.get(p[0], set()).discard(p[1])
        self.adj.get(p[1], set()).discard(p[0])
        self.gen[p] = self.gen.get(p, 0) + 1
        now = self.rt.now_ms()
        for key in ((a, b), (b, a)):
            for (t0, _item, what) in self.held.pop(key, ()):    # held in the cut: never arrive
                self.stats["lost"] += 1
                self.log.append((t0, None, key[0], key[1], what, "lost"))
        self.log.append((now, None, a, b, why, "nodedown"))
        self._sever(a, b)
        self._nodedown(a, b)
        self._nodedown(b, a)
        return True

    def _sever(self, a, b):
        """Links and monitors between processes of nodes a and b fire with 'noconnection'."""
        rt = self.rt
        for q in sorted(rt.procs.values()):
            if q.node.name not in (a, b):
                continue
            other = b if q.node.name == a else a
            if q.links:
                for r in sorted(q.links):
                    if r.node.name == other:
                        q.links.discard(r)
                        if r.links:
                            r.links.discard(q)
                        rt.exit_signal_here(q, r, "noconnection")
                        rt.exit_signal_here(r, q, "noconnection")     # both ends: the link is gone
            if q.watchers:
                for ref, (w, obj) in list(q.watchers.items()):
                    if w.node.name == other:
                        del q.watchers[ref]
                        if w.monitors:
                            w.monitors.pop(ref, None)
                        if w.alive:
                            rt.deliver(w, ("DOWN", ref, "process", obj, "noconnection"), q)

    def _nodedown(self, here, down):
        ws = self.node_watchers.get(down)
        if ws:
            keep = []
            for w in ws:
                if w.node.name == here:
                    if w.alive:
                        self.rt.deliver(w, ("nodedown", down), None)
                else:
                    keep.append(w)
            self.node_watchers[down] = keep
        for fn in self.on_nodedown:
            fn(here, down)

    def stop_node(self, name):
        """The node crashes: its processes vanish, the others see it go down."""
        node = self.nodes.get(name)
        if node is None or node is self.rt.node0:
            raise ErlangError("badarg", f"stop_node: {name!r} is not a running node "
                              "(and the shell's node cannot be stopped)")
        for other in sorted(self.nodes):
            if other != name:
                if not self.disconnect(name, other, why="node stopped"):
                    self._sever(name, other)
        del self.nodes[name]
        self.log.append((self.rt.now_ms(), None, name, name, "stop", "node down"))
        for q in sorted(self.rt.procs.values()):
            if q.node is node and q.pending is None:
                q.pending = "killed"
                if q.waiting:
                    self.rt.wake(q)
        return "ok"

    def monitor_node(self, watcher, name, flag):
        if flag:
            if self._connect(watcher.node.name, name):
                self.node_watchers.setdefault(name, []).append(watcher)
            else:
                self.rt.deliver(watcher, ("nodedown", name), None)
        else:
            ws = self.node_watchers.get(name, [])
            while watcher in ws:
                ws.remove(watcher)
        return True

    def spawn(self, parent, name, fun, args, link=False, monitor=False):
        """``erlang:spawn(Node, Fun)`` (+ link / monitor)."""
        rt = self.rt
        if self._connect(parent.node.name, name):
            p, ref = rt.spawn(fun, args, link=link, monitor=monitor, parent=parent)
            p.node = self.nodes[name]
            return p, ref
        # unreachable: a pid that is already gone; links/monitors see 'noconnection'
        idx = self.index.setdefault(name, len(self.index))
        p = rt.new_pid()
        rt.procs.pop(p.num, None)
        p.node = Node(idx, name, {})
        p.alive, p.reason = False, "noconnection"
        ref = None
        if link:
            rt.exit_signal_here(parent, p, "noconnection")
        if monitor:
            from ..kernel.terms import Ref
            ref = Ref()
            rt.deliver(parent, ("DOWN", ref, "process", p, "noconnection"), None)
        return p, ref


def _boot(name):
    """Start a node's kernel processes (rex, for rpc)."""
    from .. import rpc
    rpc._start_rex(name)


# ------------------------------------------------------------ module API
def network():
    """The current runtime's network (None before :func:`start`)."""
    rt = _state.rt
    return rt.net if rt is not None else None


def start(name="shell@localhost", latency=1, jitter=0, loss=0.0, seed=None, net_ticktime=60):
    """Make the shell's node distributed (``erl -sname``) and return the network.

    ``latency``/``jitter`` in ms and ``loss`` (0..1) are the defaults for every
    pair of nodes; ``net_ticktime`` in seconds (OTP's default: 60).
    """
    from .. import runtime
    rt = runtime.current()
    if rt.net is not None:
        raise ErlangError("badarg", "the network is already started (runtime.reset() for a fresh one)")
    if type(name) is not str or "@" not in name:
        raise ErlangError("badarg", f"a node name looks like 'name@host', got {name!r}")
    rt.node0.name = name
    rt.net = Network(rt, latency, jitter, loss, seed, net_ticktime)
    _boot(name)
    return rt.net


def start_node(name):
    """Start another node (``peer:start`` / ``slave:start``) -> ``('ok', name)``."""
    net = network() or start()
    return net.add_node(name)


def stop_node(name):
    """Crash node ``name``: its processes vanish, the others see ``nodedown``."""
    return _net().stop_node(name)


def _net():
    net = network()
    if net is None:
        raise ErlangError("badarg", "no network: call otp_lite.dist.start() first")
    return net
