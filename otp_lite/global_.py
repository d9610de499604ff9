"""A cluster-wide name registry: mirrors OTP `global` (OTP 25); book ch. 13.

==========================================  ======================================
Erlang                                      otp_lite (``global`` is a Python keyword)
==========================================  ======================================
``global:register_name(Name, Pid)``         ``global_.register_name(name, pid)`` -> 'yes' | 'no'
``global:register_name(N, P, Resolve)``     ``register_name(name, pid, resolve)``
``global:whereis_name(Name)``               ``global_.whereis_name(name)`` -> pid | 'undefined'
``global:send(Name, Msg)``                  ``global_.send(name, msg)`` -> pid
``global:unregister_name(Name)``            ``global_.unregister_name(name)``
``global:registered_names()``               ``global_.registered_names()``
==========================================  ======================================

The model: every node keeps its own replica of the name table, as OTP's
``global_name_server`` does.  Registering writes to the caller's node and every
node connected to it (OTP takes a cluster lock; here it is instant).  A name
disappears when its process dies, and from a node's table when the process's
node goes down *as seen from that node*.  So during a partition each side can
register the same name: split brain.  When the sides connect again the tables
are merged, and a clash is settled by the name's resolve function
(``random_exit_name``, the default: despite its name OTP 25 keeps the pid on
the node whose name sorts first and kills the other, so both sides agree;
``random_notify_name``: the same choice, the other is told
``('global_name_conflict', Name)``; ``notify_all_name``: unregister the name
and tell both pids ``('global_name_conflict', Name, OtherPid)``).

Failure rule: ``send`` to an unknown name exits the caller with
``('badarg', (name, msg))``, as OTP does; nothing else raises.
See also: otp_lite.dist, otp_lite.pg, otp_lite.rpc.
"""
from __future__ import annotations

from . import erlang
from .erlang import Exit, ErlangError, Pid
from .kernel import state as _state

__all__ = ["register_name", "unregister_name", "whereis_name", "send", "registered_names",
           "random_exit_name", "random_notify_name", "notify_all_name", "table"]


class _Global:
    def __init__(self, rt):
        self.rt = rt
        self.tables = {}            # node name -> {name: (pid, resolve)}
        self.names_of = {}          # pid -> names it may hold in some table (checked on use):
        net = rt.net                # an exit or a register looks at its own names, not at all
        if net is not None:
            net.on_connect.append(self.merge)
            net.on_nodedown.append(self.nodedown)
        rt.exit_hooks.append(self.died)

    def table(self, node):
        return self.tables.setdefault(node, {})

    def cluster(self, node):
        net = self.rt.net
        return [node] + (net.nodes_of(net.nodes[node]) if net is not None and node in net.nodes else [])

    def died(self, p, reason):
        names = self.names_of.pop(p, None)
        if names:
            for t in self.tables.values():
                for name in names:
                    e = t.get(name)
                    if e is not None and e[0] is p:
                        del t[name]

    def holds(self, t, pid):
        """Is ``pid`` registered under some name in table ``t``?"""
        return any(t.get(n, (None,))[0] is pid for n in self.names_of.get(pid, ()))

    def index(self, name, pid):
        self.names_of.setdefault(pid, set()).add(name)

    def reindex(self):
        self.names_of = {}
        for t in self.tables.values():
            for name, (pid, _) in t.items():
                self.index(name, pid)

    def nodedown(self, here, down):
        t = self.tables.get(here)
        if t:
            for name in [n for n, (q, _) in t.items() if q.node.name == down]:
                del t[name]

    def merge(self, a, b):
        ta, tb = self.table(a), self.table(b)
        merged = dict(ta)
        for name, (pid, res) in sorted(tb.items()):
            mine = merged.get(name)
            if mine is None or mine[0] is pid:
                merged[name] = (pid, res)
                continue
            keep = res(name, mine[0], pid)
            self.rt.net.log.append((self.rt.now_ms(), None, a, b, ("global_name_conflict", name),
                                    f"kept {keep!r}"))
            if type(keep) is Pid:
                merged[name] = (keep, res)
            else:
                merged.pop(name, None)
        for n in set(self.cluster(a)) | set(self.cluster(b)):
            self.tables[n] = dict(merged)
        self.reindex()                      # a connection: rare, O(names)


def _g():
    rt = _state.rt
    g = getattr(rt, "_global", None)
    if g is None:
        g = rt._global = _Global(rt)
    return g


def _here():
    return _state.rt.current.node.name


# ------------------------------------------------------------ resolve functions
def _minmax(fn, pid1, pid2):
    """OTP 25's ``global:minmax/2``: the pid on the node whose name sorts first, then the other.

    Nothing random, whatever the names of the resolve functions say: both sides of
    a healed partition must pick the same pid (tests/oracle_probes/ch13_global_conflict: OTP 25 kept the
    pid on ``a@vm`` and killed the one on ``b@vm``, whichever node connected).
    """
    if type(pid1) is not Pid or type(pid2) is not Pid:
        raise ErlangError("badarg", f"global_.{fn}(name, pid1, pid2) takes two pids, got {pid1!r}, {pid2!r}")
    return (pid1, pid2) if pid1.node.name < pid2.node.name else (pid2, pid1)


def random_exit_name(name, pid1, pid2):
    """OTP's default: keep the pid on the first node by name; kill the other (``kill``)."""
    keep, other = _minmax("random_exit_name", pid1, pid2)
    _state.rt.exit_signal_here(other, None, "kill", direct=True)
    return keep


def random_notify_name(name, pid1, pid2):
    """Keep the pid on the first node by name; send the other ``('global_name_conflict', name)``."""
    keep, other = _minmax("random_notify_name", pid1, pid2)
    _state.rt.deliver(other, ("global_name_conflict", name), None)
    return keep


def notify_all_name(name, pid1, pid2):
    """Unregister the name; send both ``('global_name_conflict', name, other_pid)``."""
    _minmax("notify_all_name", pid1, pid2)                   # (checks both are pids)
    rt = _state.rt
    rt.deliver(pid1, ("global_name_conflict", name, pid2), None)
    rt.deliver(pid2, ("global_name_conflict", name, pid1), None)
    return "none"


# ------------------------------------------------------------ API
def register_name(name, pid, resolve=random_exit_name):
    """'yes', or 'no' if the name (or the pid) is already registered in this node's view."""
    if type(pid) is not Pid:
        raise ErlangError("badarg", f"global:register_name/2 takes a pid, got {pid!r}")
    g = _g()
    here = _here()
    t = g.table(here)
    if name in t or not pid.alive or g.holds(t, pid):
        return "no"
    for n in g.cluster(here):
        g.table(n)[name] = (pid, resolve)
    g.index(name, pid)
    return "yes"


def _key(name):
    """``name`` if it can be a table key; None for a term Python cannot hash (a list...),
    which then names nobody."""
    try:
        hash(name)
    except TypeError:
        return None
    return name


def unregister_name(name):
    if _key(name) is None:
        return "ok"                  # OTP 25: global:unregister_name([1]) -> ok
    g = _g()
    for n in g.cluster(_here()):
        g.table(n).pop(name, None)
    return "ok"


def whereis_name(name):
    if _key(name) is None:
        return "undefined"           # OTP 25: global:whereis_name([1]) -> undefined
    e = _g().table(_here()).get(name)
    return e[0] if e is not None and e[0].alive else "undefined"


def send(name, msg):
    """Send to the globally registered ``name``; returns its pid."""
    pid = whereis_name(name)
    if pid == "undefined":
        raise Exit(("badarg", (name, msg)))
    erlang.send(pid, msg)
    return pid


def registered_names():
    return sorted(_g().table(_here()))


def table(node=None):
    """This (or ``node``'s) replica of the table: ``{name: pid}`` (for viz and tests)."""
    if node is not None and type(node) is not str:
        raise ErlangError("function_clause", f"global_.table(node): a node name is a str, got {node!r}")
    return {n: p for n, (p, _) in sorted(_g().table(node or _here()).items())}
