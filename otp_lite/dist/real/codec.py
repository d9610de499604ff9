"""How pids and refs cross the wire: our own come back as the same objects, others as proxies.

The ETF codec (``otp_lite.dist.etf``) asks a ``Context`` what a pid or a ref is;
this one answers for a real node (``node.RealNetwork``): our Pids and Refs go
out with our node name and creation and decode back to the very same objects
(kept in weak maps, so a reply's tag matches ``receive`` by identity); a pid of
another node becomes that node's proxy; a pid of an older incarnation of ours
is a dead pid.  ``safe`` makes an exit reason that holds a Python object
sendable (the object's repr, as an atom).
"""
from __future__ import annotations

from ...kernel.process import Pid
from ...kernel.terms import Ref
from .. import etf


class BadFrame(ValueError):
    """A frame we cannot make sense of: the connection is closed."""


class Ctx(etf.Context):
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


def safe(term, depth=0):
    """An exit reason with no ETF form (a Python object in it) -> the same with reprs (as atoms)."""
    try:
        etf.encode(term)
        return term
    except etf.EtfError:
        pass
    if depth < 20 and type(term) in (tuple, list):
        out = [safe(x, depth + 1) for x in term]
        return tuple(out) if type(term) is tuple else out
    if type(term) is Pid or type(term) is Ref:
        return term
    return repr(term)[:255]
