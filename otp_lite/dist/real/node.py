"""The real network: ``rt.net`` when this runtime is a node of a real Erlang cluster.

The kernel talks to ``rt.net`` through the same hooks as the simulated network
(``route``, ``send_named``, ``route_exit``, ``whereis``, ``monitor_node``,
``disconnect``, ``nodes_of``...), plus the wire hooks it calls only when
``wire`` is True (``link``, ``unlink``, ``monitor``, ``demonitor``,
``route_down``): a link or a monitor across a real connection is a control
message, not a shared data structure.

A process of another node is a *proxy*: a kernel ``Pid`` whose ``node`` is that
node (so ``erlang.send``, ``link``, ``monitor`` route it here, unchanged), kept
in ``proxies``; the same remote pid always decodes to the same proxy
(``codec.py``).  A ``(name, node)`` target gets a name proxy (``whereis``).
Control messages out are here (SEND_SENDER 22, REG_SEND 6, LINK 1,
UNLINK_ID 35, EXIT 3, EXIT2 8, MONITOR_P 19, DEMONITOR_P 20, MONITOR_P_EXIT 21);
what comes in is ``inbound.py``.

A bad frame (an unknown op, a malformed term) closes that connection with
a log line; the runtime goes on.  Connecting is synchronous and bounded
(epmd, TCP and the handshake each time out after ``CONNECT_TIMEOUT`` s): a
``send`` to an unreachable node costs at most that long once, then is dropped,
as Erlang drops it.
"""
from __future__ import annotations

import collections
import logging
import socket
import threading
import time
import weakref

from ...kernel.process import Node, Pid
from ...kernel.signals import add_link
from ...kernel.terms import ErlangError
from ...kernel.timers import FN
from .. import etf
from . import epmd, handshake
from .codec import BadFrame, Ctx, safe
from .connection import Connection
from .inbound import (InboundMixin, NO_MSG, PASS_THROUGH, SEND, SEND_SENDER, REG_SEND, LINK,
                      UNLINK, UNLINK_ID, EXIT, EXIT2, MONITOR_P, DEMONITOR_P, MONITOR_P_EXIT,
                      SPAWN_REQUEST)

log = logging.getLogger("otp_lite.dist.real")

LOOPBACK = ("127.0.0.1", "localhost")
CONNECT_TIMEOUT = 2.0
PUMP_MS = 200           # the runtime looks at its inbox at least this often (a busy runtime, live mode)


class RealNetwork(InboundMixin):
    """``rt.net`` for a node that speaks the Erlang distribution protocol over TCP."""

    wire = True

    def __init__(self, rt, name, cookie, net_ticktime=60):
        self.rt = rt
        self.name = name
        self.cookie = cookie
        self.net_ticktime = net_ticktime
        self.alive, host = name.split("@", 1)
        self.creation = 0
        self.conns = {}                     # node name -> Connection (runtime thread only)
        self.inbox = collections.deque()    # filled by reader/accept threads, emptied here
        self.event = threading.Event()
        self.ctx = Ctx(self)
        self.remote = {}                    # node name -> kernel Node of that node
        # proxies are weak: one nobody holds (no link, monitor, variable) is made again if needed
        self.proxies = weakref.WeakValueDictionary()   # (node, id, serial, creation) / (node, name) -> Pid
        self.proxy_key = weakref.WeakKeyDictionary()   # proxy -> ('pid', id, serial, cr) | ('name', n) | ('spawning', ReqId)
        self.by_node = {}                   # node name -> WeakSet of its proxies
        self.sent_pids = weakref.WeakValueDictionary()    # our pids that went out, by number
        self.sent_refs = weakref.WeakValueDictionary()    # our refs that went out, by number
        self.node_watchers = {}             # node name -> [watcher Pid] (monitor_node)
        self.unlink_id = 0
        self.pending_spawns = {}            # our spawn_request's ReqId -> placeholder proxy
        self.nodes = {name: rt.node0}       # the simulated network's view: only ourselves
        self.on_connect, self.on_nodedown, self.log = [], [], []
        self.stats = {"sent": 0, "delivered": 0, "dropped": 0, "bad_frames": 0}
        self.closed = False
        self.hidden = True                  # announced as a hidden node: its connections are hidden
        self.loop = None                    # the asyncio loop of live mode, if any
        self.listener = self.epmd_sock = None
        self.threads = []

    # ------------------------------------------------------------ start / stop
    def start(self):
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", 0))
        ls.listen(16)
        self.listener = ls
        try:
            self.epmd_sock, self.creation = epmd.register(self.alive, ls.getsockname()[1])
        except BaseException:
            ls.close()
            raise
        for target, what in ((self._accept_loop, "acceptor"), (self._tick_loop, "ticker")):
            t = threading.Thread(target=target, name=f"otp_lite dist {what}", daemon=True)
            t.start()
            self.threads.append(t)
        self.rt.add_timer(PUMP_MS, FN, self._pump, ())
        return self

    def stop(self):
        """Close every connection (the peers see nodedown), the listener and epmd."""
        if self.closed:
            return
        for node in sorted(self.conns):
            self._nodedown(node, "net_kernel stopped")
        self.closed = True
        for s in (self.listener, self.epmd_sock):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass
        self.event.set()

    # ------------------------------------------------------------ threads
    def wake(self):
        """Called by the I/O threads: something is in the inbox."""
        self.event.set()
        loop = self.loop
        if loop is not None:
            try:
                loop.call_soon_threadsafe(self._live_kick)
            except RuntimeError:
                self.loop = None

    def _live_kick(self):
        from ...kernel import live
        self.drain()
        lv = live.get(self.rt)
        if lv is not None:
            lv.kick()

    def _accept_loop(self):
        while not self.closed:
            try:
                sock, addr = self.listener.accept()
            except OSError:
                return
            if addr[0] != "127.0.0.1":
                sock.close()
                continue
            threading.Thread(target=self._accept_one, args=(sock,), daemon=True,
                             name="otp_lite dist handshake").start()

    def _accept_one(self, sock):
        try:
            sock.settimeout(CONNECT_TIMEOUT)
            peer, flags, creation = handshake.accept(
                sock, self.name, self.cookie, self.creation,
                refuse=lambda n: "nok" if n in self.conns else None)
        except Exception as e:          # noqa: BLE001 - wrong cookie, bad bytes, a hang-up: refused
            log.warning("distribution: refused an incoming connection: %s", e)
            sock.close()
            return
        self.inbox.append(("up", Connection(sock, peer, flags, creation), None))
        self.wake()

    def _tick_loop(self):
        interval = self.net_ticktime / 4.0
        while not self.closed:
            time.sleep(min(interval, 0.5))
            now = time.monotonic()
            try:
                conns = list(self.conns.values())
            except RuntimeError:            # the runtime thread changed it meanwhile: next round
                continue
            for c in conns:
                if now - c.last_send >= interval:
                    c.tick()
                if now - c.last_recv > self.net_ticktime:
                    log.warning("distribution: nothing from %s for %s s; connection down "
                                "(net_tick_timeout)", c.peer, self.net_ticktime)
                    c.close()

    # ------------------------------------------------------------ the runtime side
    def idle_wait(self, delay):
        """The runtime has nothing to do for ``delay`` s: wait for the wire instead of sleeping."""
        if not self.inbox:
            self.event.wait(delay)
        self.event.clear()
        self.drain()

    def _pump(self):
        self.drain()
        if not self.closed:
            self.rt.add_timer(PUMP_MS, FN, self._pump, ())

    def drain(self):
        inbox = self.inbox
        while inbox:
            kind, conn, data = inbox.popleft()
            if kind == "frame":
                if self.conns.get(conn.peer) is conn:
                    try:
                        self._frame(conn, data)
                    except (BadFrame, etf.EtfError) as e:
                        self.stats["bad_frames"] += 1
                        log.warning("distribution: bad frame from %s (%s); closing the connection",
                                    conn.peer, e)
                        self._nodedown(conn.peer, "bad frame")
                    except Exception as e:          # noqa: BLE001 - our bug: that connection, not the runtime
                        log.error("distribution: internal error on a frame from %s (%r); closing "
                                  "the connection (please report this as an otp_lite bug)", conn.peer, e)
                        self._nodedown(conn.peer, "internal error")
            elif kind == "up":
                self._up(conn)
            elif kind == "down":
                if self.conns.get(conn.peer) is conn:
                    self._nodedown(conn.peer, data)

    # ------------------------------------------------------------ connections
    def proxy(self, node, id_, serial, creation):
        key = (node, id_, serial, creation)
        p = self.proxies.get(key)
        if p is None:
            p = self._new_proxy(node, id_, ("pid", id_, serial, creation), key)
        return p

    def name_proxy(self, node, name):
        key = (node, name)
        p = self.proxies.get(key)
        if p is None:
            p = self._new_proxy(node, 0, ("name", name), key)
            p.name = name
        return p

    def _new_proxy(self, node, num, info, key):
        nd = self.remote.get(node)
        if nd is None:
            nd = self.remote[node] = Node(len(self.remote) + 1, node, {})
        p = Pid(num)
        p.node = nd
        p.status = "remote"
        p.label = f"proxy of {node}"
        self.proxies[key] = p
        self.proxy_key[p] = info
        ws = self.by_node.get(node)
        if ws is None:
            ws = self.by_node[node] = weakref.WeakSet()
        ws.add(p)
        return p

    def conn(self, node):
        """The connection to ``node``, connecting now if there is none; None if unreachable."""
        c = self.conns.get(node)
        if c is not None and c.up:
            return c
        if self.closed or type(node) is not str or node == self.name or node.count("@") != 1:
            return None
        alive, host = node.split("@")
        if host not in LOOPBACK:
            log.warning("distribution: %s is not on this host; otp_lite only connects over "
                        "loopback (127.0.0.1)", node)
            return None
        sock = None
        try:
            port = epmd.port_please(alive, timeout=CONNECT_TIMEOUT)
            if port is None:
                log.info("distribution: epmd does not know %s", node)
                return None
            sock = socket.create_connection(("127.0.0.1", port), timeout=CONNECT_TIMEOUT)
            flags, creation = handshake.initiate(sock, self.name, node, self.cookie, self.creation)
        except (OSError, handshake.HandshakeError, UnicodeDecodeError) as e:
            log.warning("distribution: cannot connect to %s: %s", node, e)
            if sock is not None:
                sock.close()
            return None
        c = Connection(sock, node, flags, creation)
        self._up(c)
        return c

    def _up(self, c):
        old = self.conns.get(c.peer)
        if old is not None and old.up:
            c.close()                       # simultaneous connect: keep the first
            return
        self.conns[c.peer] = c
        c.start(self.inbox, self.wake)
        self.log.append((self.rt.now_ms(), None, self.name, c.peer, "connect", "nodeup"))
        log.info("distribution: connected to %s", c.peer)
        for fn in self.on_connect:
            fn(self.name, c.peer)

    def _nodedown(self, node, reason):
        c = self.conns.pop(node, None)
        if c is None:
            return False
        c.close()
        rt = self.rt
        self.log.append((rt.now_ms(), None, self.name, node, reason, "nodedown"))
        log.info("distribution: connection to %s down (%s)", node, reason)
        for q in sorted(self.by_node.get(node, ())):
            if q.links:
                links, q.links = q.links, None
                for l in sorted(links):
                    if l.links:
                        l.links.discard(q)
                    rt.exit_signal_here(l, q, "noconnection")
            if q.watchers:
                ws, q.watchers = q.watchers, None
                for ref, (w, obj) in ws.items():
                    if w.monitors:
                        w.monitors.pop(ref, None)
                    if w.alive:
                        rt.deliver(w, ("DOWN", ref, "process", obj, "noconnection"), None)
            if q.monitors:
                mons, q.monitors = q.monitors, None
                for ref, t in mons.items():
                    if t.watchers:
                        t.watchers.pop(ref, None)
        for w in self.node_watchers.pop(node, ()):
            if w.alive:
                rt.deliver(w, ("nodedown", node), None)
        for fn in self.on_nodedown:
            fn(self.name, node)
        return True

    # ------------------------------------------------------------ out
    def _send(self, c, ctrl, msg=NO_MSG):
        enc = self.ctx
        data = bytes((PASS_THROUGH,)) + etf.encode(ctrl, enc)
        if msg is not NO_MSG:
            data += etf.encode(msg, enc)
        self.stats["sent"] += 1
        return c.send(data)

    def route(self, sender, to, msg):
        """``to`` is a proxy: SEND_SENDER (REG_SEND for a name proxy) on its connection."""
        info = self.proxy_key.get(to)
        c = self.conn(to.node.name) if info is not None else None
        if c is None:
            self.stats["dropped"] += 1
            return msg
        if info[0] == "name":
            ctrl = (REG_SEND, sender, "", info[1])
        elif c.flags & handshake.SEND_SENDER:
            ctrl = (SEND_SENDER, sender, to)
        else:
            ctrl = (SEND, "", to)
        try:
            self._send(c, ctrl, msg)
        except etf.EtfError as e:
            raise ErlangError("badarg", f"this message cannot go to another node: {e}") from None
        return msg

    def send_named(self, sender, name, node, msg):
        return self.route(sender, self.name_proxy(node, name), msg)

    def _send_reason(self, c, ctrl):
        """A control message ending in an exit reason: one with no ETF form goes with reprs."""
        try:
            self._send(c, ctrl)
        except etf.EtfError:
            self._send(c, ctrl[:-1] + (safe(ctrl[-1]),))

    def route_exit(self, frm, to, reason, direct):
        c = self.conn(to.node.name)
        if c is not None and self.proxy_key.get(to, ("name",))[0] == "pid":
            self._send_reason(c, (EXIT2 if direct else EXIT, frm, to, reason))

    def route_down(self, p, w, ref, obj, reason):
        c = self.conns.get(w.node.name)
        if c is not None and c.up:
            frm = obj[0] if type(obj) is tuple else p
            self._send_reason(c, (MONITOR_P_EXIT, frm, w, ref, reason))

    def link(self, p, other):
        c = self.conn(other.node.name)
        if c is None:
            self.rt.exit_signal_here(p, other, "noconnection")
            return True
        if add_link(p, other):
            self._send(c, (LINK, p, other))
        return True

    def unlink(self, p, other):
        if p.links:
            p.links.discard(other)
        if other.links:
            other.links.discard(p)
        c = self.conns.get(other.node.name)
        if c is not None and c.up:
            if c.flags & handshake.UNLINK_ID:
                self.unlink_id += 1
                self._send(c, (UNLINK_ID, self.unlink_id, p, other))
            else:
                self._send(c, (UNLINK, p, other))
        return True

    def spawn_request(self, p, node, mod, fun, args):
        """``erlang:spawn_request(Node, M, F, A, [monitor])`` -> ReqId (also the monitor's ref).

        None when ``node`` does not take spawn requests (no DFLAG_SPAWN): use rex.  An
        unreachable node gives at once ``('DOWN', ReqId, process, _, noconnection)``.
        """
        from ...kernel.terms import Ref
        c = self.conn(node)
        req = Ref()
        placeholder = self._new_proxy(node, 0, ("spawning", req), ("spawning", node, req))
        if c is None:
            self.rt.deliver(p, ("DOWN", req, "process", placeholder, "noconnection"), None)
            return req
        if not c.flags & handshake.SPAWN:
            return None
        if p.monitors is None:
            p.monitors = {}
        p.monitors[req] = placeholder
        placeholder.watchers = {req: (p, placeholder)}
        self.pending_spawns[req] = placeholder
        self._send(c, (SPAWN_REQUEST, req, p, p.group_leader, (mod, fun, len(args)), ["monitor"]), args)
        return req

    def _to_proc(self, t):
        info = self.proxy_key.get(t)
        return info[1] if info is not None and info[0] == "name" else t

    def monitor(self, p, t, obj, ref):
        c = self.conn(t.node.name)
        if c is None:
            self.rt.deliver(p, ("DOWN", ref, "process", obj, "noconnection"), None)
            return ref
        if p.monitors is None:
            p.monitors = {}
        p.monitors[ref] = t
        if t.watchers is None:
            t.watchers = {}
        t.watchers[ref] = (p, obj)
        self._send(c, (MONITOR_P, p, self._to_proc(t), ref))
        return ref

    def demonitor(self, p, t, ref):
        if self.proxy_key.get(t, ("pid",))[0] == "spawning":
            self.pending_spawns.pop(ref, None)   # no pid yet: its MONITOR_P_EXIT will find no monitor
            return
        c = self.conns.get(t.node.name)
        if c is not None and c.up:
            self._send(c, (DEMONITOR_P, p, self._to_proc(t), ref))

    # ------------------------------------------------------------ the BIFs' hooks
    def whereis(self, asker, name, node):
        if node == self.name:
            return self.rt.node0.names.get(name)
        if self.conn(node) is None:
            return "noconnection"
        return self.name_proxy(node, name)

    def reachable(self, node, name):
        return name == self.name or self.conn(name) is not None

    def nodes_of(self, node):
        return sorted(n for n, c in self.conns.items() if c.up)

    def monitor_node(self, watcher, name, flag):
        if flag:
            if self.conn(name) is not None:
                self.node_watchers.setdefault(name, []).append(watcher)
            else:
                self.rt.deliver(watcher, ("nodedown", name), None)
        else:
            ws = self.node_watchers.get(name, [])
            while watcher in ws:
                ws.remove(watcher)
        return True

    def disconnect(self, a, b):
        other = b if a == self.name else a
        return self._nodedown(other, "disconnect")

    def spawn(self, parent, name, fun, args, link=False, monitor=False):
        raise ErlangError("notsup", f"a Python function cannot be spawned on the Erlang node {name!r}: "
                          "call an Erlang function there with rpc.call(node, module, function, args)")

    def stop_node(self, name):
        raise ErlangError("notsup", "stop a real node from its own shell (init:stop())")

    def add_node(self, name):
        raise ErlangError("notsup", f"start a real node yourself: erl -name {name} -setcookie <the cookie> "
                          "(or tools/erl_node.py's ErlNode); dist.start_node is for the simulated network")

    @property
    def index(self):
        """Node name -> the N in ``<N.x.0>`` (viz.timeline reads it, as on the simulated network)."""
        return {self.name: 0, **{n: nd.index for n, nd in self.remote.items()}}

    def _simulated_only(self, *_args):
        raise ErlangError("notsup", "partitions, latency and loss are knobs of the simulated network; "
                          "on a real one cut a connection with erlang.disconnect_node(node)")

    partition = heal = set_link = _simulated_only
