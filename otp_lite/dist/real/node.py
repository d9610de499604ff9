"""The real network: ``rt.net`` when this runtime is a node of a real Erlang cluster.

The kernel talks to ``rt.net`` through the same hooks as the simulated network
(``route``, ``send_named``, ``route_exit``, ``whereis``, ``monitor_node``,
``disconnect``, ``nodes_of``...), plus the wire hooks it calls only when
``wire`` is True (``link``, ``unlink``, ``monitor``, ``demonitor``,
``route_down``): a link or a monitor across a real connection is a control
message, not a shared data structure.

A process of another node is a *proxy*: a kernel ``Pid`` whose ``node`` is that
node (so ``erlang.send``, ``link``, ``monitor`` route it here, unchanged), kept
in ``proxies``; the same remote pid always decodes to the same proxy.  A
``(name, node)`` target gets a name proxy (``whereis``).  Control messages
(erl_dist_protocol, "Protocol between Connected Nodes") handled::

    in and out   SEND_SENDER 22, REG_SEND 6, LINK 1, UNLINK_ID 35 (+ ACK 36),
                 EXIT 3, EXIT2 8, MONITOR_P 19, DEMONITOR_P 20, MONITOR_P_EXIT 21
    in only      SEND 2, UNLINK 4, PAYLOAD_EXIT 24, PAYLOAD_EXIT2 26,
                 PAYLOAD_MONITOR_P_EXIT 28, SPAWN_REQUEST 29 (answered SPAWN_REPLY 31:
                 erpc:execute_call/4 and exported Python functions, see services.py);
                 GROUP_LEADER 7 and NODE_LINK 5 ignored

Anything else (an unknown op, a malformed frame) closes that connection with
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
from ...kernel.terms import ErlangError, Ref
from ...kernel.timers import FN
from .. import etf
from . import epmd, handshake
from .connection import Connection

log = logging.getLogger("otp_lite.dist.real")

LOOPBACK = ("127.0.0.1", "localhost")
CONNECT_TIMEOUT = 2.0
PUMP_MS = 200           # the runtime looks at its inbox at least this often (a busy runtime, live mode)
SEND, SEND_SENDER, REG_SEND, LINK, UNLINK, UNLINK_ID, UNLINK_ID_ACK = 2, 22, 6, 1, 4, 35, 36
EXIT, EXIT2, PAYLOAD_EXIT, PAYLOAD_EXIT2 = 3, 8, 24, 26
MONITOR_P, DEMONITOR_P, MONITOR_P_EXIT, PAYLOAD_MONITOR_P_EXIT = 19, 20, 21, 28
GROUP_LEADER, NODE_LINK = 7, 5
SPAWN_REQUEST, SPAWN_REPLY = 29, 31
PASS_THROUGH = 112
_NO_MSG = object()


class BadFrame(ValueError):
    """A frame we cannot make sense of: the connection is closed."""


class _Ctx(etf.Context):
    """Our pids and refs go out as ours and come back as the same objects."""

    def __init__(self, net):
        self.net = net

    def pid_out(self, p):
        if type(p) is Pid:
            net = self.net
            if p.node is net.rt.node0:
                net.sent_pids[p.num] = p
                return (net.name, p.num, 0, net.creation)
            key = net.proxy_key.get(p)
            if key is not None and key[0] == "pid":
                return (p.node.name,) + key[1:]
            raise etf.EtfError(f"{p!r} stands for a registered name, not a pid")
        return super().pid_out(p)

    def pid_in(self, node, id_, serial, creation):
        net = self.net
        if node == net.name:
            p = net.rt.procs.get(id_) or net.sent_pids.get(id_)
            if p is not None and creation == net.creation:
                return p
            p = Pid(id_)                    # an older incarnation's pid, or one never ours: dead
            p.node, p.alive, p.reason = net.rt.node0, False, "noproc"
            return p
        return net.proxy(node, id_, serial, creation)

    def ref_out(self, r):
        if type(r) is Ref:
            net = self.net
            net.sent_refs[r.n] = r
            return (net.name, net.creation, (r.n & 0x3FFFF, (r.n >> 18) & 0xFFFFFFFF, 0))
        return super().ref_out(r)

    def ref_in(self, node, creation, ids):
        net = self.net
        if node == net.name and creation == net.creation and len(ids) >= 2:
            r = net.sent_refs.get(ids[0] | (ids[1] << 18))
            if r is not None:
                return r
        return etf.RemoteRef(node, creation, tuple(ids))


def _safe(term, depth=0):
    """An exit reason with no ETF form (a Python object in it) -> the same with reprs (as atoms)."""
    try:
        etf.encode(term)
        return term
    except etf.EtfError:
        pass
    if depth < 20 and type(term) in (tuple, list):
        out = [_safe(x, depth + 1) for x in term]
        return tuple(out) if type(term) is tuple else out
    if type(term) is Pid or type(term) is Ref:
        return term
    return repr(term)[:255]


class RealNetwork:
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
        self.ctx = _Ctx(self)
        self.remote = {}                    # node name -> kernel Node of that node
        self.proxies = {}                   # (node, id, serial, creation) / (node, name) -> Pid
        self.proxy_key = {}                 # proxy Pid -> ('pid', id, serial, creation) | ('name', name)
        self.by_node = {}                   # node name -> [proxy Pid]
        self.sent_pids = weakref.WeakValueDictionary()    # our pids that went out, by number
        self.sent_refs = weakref.WeakValueDictionary()    # our refs that went out, by number
        self.node_watchers = {}             # node name -> [watcher Pid] (monitor_node)
        self.unlink_id = 0
        self.nodes = {name: rt.node0}       # the simulated network's view: only ourselves
        self.on_connect, self.on_nodedown, self.log = [], [], []
        self.stats = {"sent": 0, "delivered": 0, "dropped": 0, "bad_frames": 0}
        self.closed = False
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
        self.by_node.setdefault(node, []).append(p)
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
        for q in self.by_node.get(node, ()):
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
    def _send(self, c, ctrl, msg=_NO_MSG):
        enc = self.ctx
        data = bytes((PASS_THROUGH,)) + etf.encode(ctrl, enc)
        if msg is not _NO_MSG:
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
            self._send(c, ctrl[:-1] + (_safe(ctrl[-1]),))

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
        if p.links is None:
            p.links = set()
        if other in p.links:
            return True
        p.links.add(other)
        if other.links is None:
            other.links = set()
        other.links.add(p)
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
        c = self.conns.get(t.node.name)
        if c is not None and c.up:
            self._send(c, (DEMONITOR_P, p, self._to_proc(t), ref))

    # ------------------------------------------------------------ in
    def _frame(self, c, data):
        if data[0] != PASS_THROUGH:
            raise BadFrame(f"a frame starts with 112 (pass-through), got {data[0]}")
        ctrl, i = etf.decode_at(data, 1, self.ctx)
        msg = _NO_MSG
        if i < len(data):
            msg, j = etf.decode_at(data, i, self.ctx)
            if j != len(data):
                raise BadFrame(f"{len(data) - j} bytes after the message")
        if type(ctrl) is not tuple or not ctrl or type(ctrl[0]) is not int:
            raise BadFrame(f"a control message is a tuple starting with an integer, got {ctrl!r}")
        try:
            self._control(c, ctrl, msg)
        except (IndexError, TypeError, ValueError, AttributeError) as e:
            raise BadFrame(f"malformed control message {ctrl!r} ({e})") from None

    def _local(self, x):
        """A local process from a pid or a registered name; None if there is none."""
        rt = self.rt
        if type(x) is Pid:
            return x if x.node is rt.node0 and x.alive else None
        if type(x) is str:
            return rt.node0.names.get(x)
        raise BadFrame(f"expected a pid or a name, got {x!r}")

    def _peer_pid(self, c, x):
        """``x`` must be a process of the connection's peer (the From of a control message)."""
        if type(x) is not Pid or x.node.name != c.peer or self.proxy_key.get(x, ("name",))[0] != "pid":
            raise BadFrame(f"expected a pid of {c.peer}, got {x!r}")
        return x

    def _deliver(self, to, msg, sender):
        if msg is _NO_MSG:
            raise BadFrame("a send without a message")
        p = self._local(to)
        if p is not None and p.alive:
            self.stats["delivered"] += 1
            self.rt.deliver(p, msg, sender)

    def _control(self, c, ctrl, msg):
        op = ctrl[0]
        rt = self.rt
        if op == SEND_SENDER:
            self._deliver(ctrl[2], msg, self._peer_pid(c, ctrl[1]))
        elif op == SEND:
            self._deliver(ctrl[2], msg, None)
        elif op == REG_SEND:
            self._deliver(ctrl[3], msg, self._peer_pid(c, ctrl[1]))
        elif op == LINK:
            frm, to = self._peer_pid(c, ctrl[1]), self._local(ctrl[2])
            if to is None:
                self._send(c, (EXIT, ctrl[2], frm, "noproc"))
            else:
                if to.links is None:
                    to.links = set()
                to.links.add(frm)
                if frm.links is None:
                    frm.links = set()
                frm.links.add(to)
        elif op in (UNLINK, UNLINK_ID):
            frm, to = self._peer_pid(c, ctrl[-2]), self._local(ctrl[-1])
            if to is not None and to.links:
                to.links.discard(frm)
            if frm.links and to is not None:
                frm.links.discard(to)
            if op == UNLINK_ID:
                self._send(c, (UNLINK_ID_ACK, ctrl[1], ctrl[3], ctrl[2]))
        elif op in (EXIT, PAYLOAD_EXIT, EXIT2, PAYLOAD_EXIT2):
            frm, to = self._peer_pid(c, ctrl[1]), self._local(ctrl[2])
            reason = ctrl[3] if op in (EXIT, EXIT2) else msg
            if to is None:
                return
            if op in (EXIT, PAYLOAD_EXIT):
                if not (to.links and frm in to.links):
                    return                  # no link (any more): nothing to deliver
                to.links.discard(frm)
                if frm.links:
                    frm.links.discard(to)
                rt.exit_signal_here(to, frm, reason)
            else:
                rt.exit_signal_here(to, frm, reason, True)
        elif op == MONITOR_P:
            frm, target, ref = self._peer_pid(c, ctrl[1]), ctrl[2], ctrl[3]
            t = self._local(target)
            if t is None:
                self._send(c, (MONITOR_P_EXIT, target, frm, ref, "noproc"))
                return
            obj = (target, self.name) if type(target) is str else t
            if t.watchers is None:
                t.watchers = {}
            t.watchers[ref] = (frm, obj)
            if frm.monitors is None:
                frm.monitors = {}
            frm.monitors[ref] = t
        elif op == DEMONITOR_P:
            frm, ref = self._peer_pid(c, ctrl[1]), ctrl[3]
            t = frm.monitors.pop(ref, None) if frm.monitors else None
            if t is not None and t.watchers:
                t.watchers.pop(ref, None)
        elif op in (MONITOR_P_EXIT, PAYLOAD_MONITOR_P_EXIT):
            to, ref = ctrl[2], ctrl[3]
            reason = ctrl[4] if op == MONITOR_P_EXIT else msg
            t = to.monitors.pop(ref, None) if type(to) is Pid and to.monitors else None
            if t is None:
                return
            w_obj = t.watchers.pop(ref, None) if t.watchers else None
            if w_obj is not None and to.alive:
                rt.deliver(to, ("DOWN", ref, "process", w_obj[1], reason), t)
        elif op == SPAWN_REQUEST:
            self._spawn_request(c, ctrl, msg)
        elif op in (GROUP_LEADER, NODE_LINK, UNLINK_ID_ACK):
            pass
        else:
            raise BadFrame(f"unknown control message {op}")

    def _spawn_request(self, c, ctrl, args):
        """``erlang:spawn_request(Node, M, F, Args, Opts)`` from a peer: a process here."""
        from . import services
        req, frm, _gl, mfa, opts = ctrl[1:6]
        frm = self._peer_pid(c, frm)
        if type(args) is not list or type(mfa) is not tuple or len(mfa) != 3:
            raise BadFrame(f"SPAWN_REQUEST with {mfa!r} and {args!r}")
        opts = opts if type(opts) is list else []
        want_link = "link" in opts
        want_mon = "monitor" in opts or any(type(o) is tuple and o and o[0] == "monitor" for o in opts)
        rt = self.rt
        p, _ = rt.spawn(services.spawned, (mfa[0], mfa[1], args), parent=rt.shell,
                        mfa=(mfa[0], mfa[1], len(args)))
        flags = 0
        if want_link:
            p.links = {frm}
            if frm.links is None:
                frm.links = set()
            frm.links.add(p)
            flags |= 1
        if want_mon:
            p.watchers = {req: (frm, p)}
            if frm.monitors is None:
                frm.monitors = {}
            frm.monitors[req] = p
            flags |= 2
        self._send(c, (SPAWN_REPLY, req, frm, flags, p))

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
