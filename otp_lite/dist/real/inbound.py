"""What a real node does with the control messages its peers send (``node.RealNetwork``).

erl_dist_protocol, "Protocol between Connected Nodes": each frame is
``<<112, Control/ETF, Message/ETF>>`` (pass-through: we announce no atom
cache).  A frame that does not decode, a control message we do not know or
with the wrong shape, a From that is not a pid of that peer: ``BadFrame``, and
the connection is closed (``RealNetwork.drain``).
"""
from __future__ import annotations

from ...kernel.process import Pid
from ...kernel.signals import add_link
from .. import etf
from .codec import BadFrame

SEND, SEND_SENDER, REG_SEND, LINK, UNLINK, UNLINK_ID, UNLINK_ID_ACK = 2, 22, 6, 1, 4, 35, 36
EXIT, EXIT2, PAYLOAD_EXIT, PAYLOAD_EXIT2 = 3, 8, 24, 26
MONITOR_P, DEMONITOR_P, MONITOR_P_EXIT, PAYLOAD_MONITOR_P_EXIT = 19, 20, 21, 28
GROUP_LEADER, NODE_LINK = 7, 5
SPAWN_REQUEST, SPAWN_REPLY = 29, 31
PASS_THROUGH = 112
NO_MSG = object()


class InboundMixin:
    """Mixed into RealNetwork: decoding a frame and acting on its control message."""

    def _frame(self, c, data):
        if data[0] != PASS_THROUGH:
            raise BadFrame(f"a frame starts with 112 (pass-through), got {data[0]}")
        ctrl, i = etf.decode_at(data, 1, self.ctx)
        msg = NO_MSG
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
        if msg is NO_MSG:
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
                add_link(to, frm)
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
        elif op == SPAWN_REPLY:
            self._spawn_reply(c, ctrl)
        elif op in (GROUP_LEADER, NODE_LINK, UNLINK_ID_ACK):
            pass
        else:
            raise BadFrame(f"unknown control message {op}")

    def _spawn_reply(self, c, ctrl):
        """``{31, ReqId, To, Flags, Result}`` for our ``spawn_request``: the monitor moves from
        the placeholder to the new process; an error (an atom) is a DOWN with that reason."""
        req, to, _flags, res = ctrl[1:5]
        placeholder = self.pending_spawns.pop(req, None)
        if placeholder is None or type(to) is not Pid:
            return
        w_obj = placeholder.watchers.pop(req, None) if placeholder.watchers else None
        if w_obj is None:
            return                                  # demonitored (the caller gave up) meanwhile
        if type(res) is Pid:
            self._peer_pid(c, res)
            if res.watchers is None:
                res.watchers = {}
            res.watchers[req] = (to, res)
            if to.monitors is not None:
                to.monitors[req] = res
        else:
            if to.monitors:
                to.monitors.pop(req, None)
            if to.alive:
                self.rt.deliver(to, ("DOWN", req, "process", placeholder, res), None)

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
            add_link(p, frm)
            flags |= 1
        if want_mon:
            p.watchers = {req: (frm, p)}
            if frm.monitors is None:
                frm.monitors = {}
            frm.monitors[req] = p
            flags |= 2
        self._send(c, (SPAWN_REPLY, req, frm, flags, p))
