"""ets, part 2: the tables themselves (``otp_lite.ets`` is the API over them).

Holds :class:`Table` (one table: its objects by key, its type, owner, access),
the per-runtime :class:`Registry` of tables by tid and by name (a table dies
with its owner unless an heir takes it over), :func:`table` (find a table and
check the caller may read or write it: the ``badarg`` rules) and
:func:`term_order` (Erlang's term order, for ``ordered_set``).
"""
from __future__ import annotations

import bisect

from .kernel import state as _state
from .kernel.process import Pid
from .kernel.terms import ErlangError, Ref

__all__ = ["badarg", "term_order", "Table", "Registry", "registry", "find", "table"]


def badarg(msg):
    return ErlangError("badarg", msg)


# ------------------------------------------------------------------ term order
def term_order(t):
    """A sort key giving Erlang's term order (number < atom < ref < pid < tuple < map < list)."""
    tp = type(t)
    if tp is bool:
        return (1, str(t).lower())          # true/false are atoms in Erlang
    if tp is int or tp is float:
        return (0, t)
    if tp is str:
        return (1, t)
    if tp is Ref:
        return (2, t.n)
    if tp is Pid:
        return (4, t.num)
    if tp is tuple:
        return (5, len(t), tuple(term_order(x) for x in t))
    if tp is dict:
        items = sorted((term_order(k), term_order(v)) for k, v in t.items())
        return (6, len(t), tuple(items))
    if tp is list:
        return (7, tuple(term_order(x) for x in t))
    if tp is bytes:
        return (8, t)
    return (3, repr(t))                     # funs and other objects


# ------------------------------------------------------------------ tables
class Table:
    __slots__ = ("tid", "name", "named", "type", "keypos", "access", "owner", "heir",
                 "data", "_keys", "rc", "wc", "compressed")

    def __init__(self, name, type_, keypos, access, owner, named, heir):
        self.tid = Ref()
        self.name, self.type, self.keypos, self.access = name, type_, keypos, access
        self.owner, self.named, self.heir = owner, named, heir
        self.data = {}                      # key -> obj (set kinds) or [obj, ...] (bags)
        self._keys = [] if type_ == "ordered_set" else None   # sorted (order, key) pairs
        self.rc = self.wc = self.compressed = False

    @property
    def ref(self):
        return self.name if self.named else self.tid

    def objects(self):
        if self.type in ("bag", "duplicate_bag"):
            return [o for objs in self.data.values() for o in objs]
        if self._keys is not None:
            return [self.data[k] for _, k in self._keys]
        return list(self.data.values())

    def size(self):
        if self.type in ("bag", "duplicate_bag"):
            return sum(len(v) for v in self.data.values())
        return len(self.data)

    def keys(self):
        if self._keys is not None:
            return [k for _, k in self._keys]
        return list(self.data)

    # -- raw mutation (access already checked) --------------------------------
    def put(self, obj):
        k = obj[self.keypos - 1]
        if self.type == "set":
            self.data[k] = obj
        elif self.type == "ordered_set":
            if k not in self.data:
                bisect.insort(self._keys, (term_order(k), k), key=lambda e: e[0])
            self.data[k] = obj
        elif self.type == "bag":
            objs = self.data.setdefault(k, [])
            if obj not in objs:
                objs.append(obj)
        else:
            self.data.setdefault(k, []).append(obj)

    def remove_key(self, k):
        if k in self.data:
            del self.data[k]
            if self._keys is not None:
                i = bisect.bisect_left(self._keys, term_order(k), key=lambda e: e[0])
                del self._keys[i]

    def clear(self):
        self.data.clear()
        if self._keys is not None:
            self._keys.clear()


class Registry:
    def __init__(self, rt):
        self.by_tid = {}
        self.by_name = {}
        rt.exit_hooks.append(self.on_exit)

    def on_exit(self, p, reason):
        for t in [t for t in self.by_tid.values() if t.owner is p]:
            heir = t.heir
            if heir is not None and heir[0].alive and heir[0] is not p:
                t.owner = heir[0]
                t.heir = None
                _state.rt.deliver(heir[0], ("ETS-TRANSFER", t.ref, p, heir[1]), p)
            else:
                self.drop(t)

    def drop(self, t):
        self.by_tid.pop(t.tid, None)
        if t.named and self.by_name.get(t.name) is t:
            del self.by_name[t.name]
        t.clear()


def registry():
    rt = _state.rt
    if rt is None:
        from . import runtime
        rt = runtime.reset()
    reg = rt.__dict__.get("_ets")
    if reg is None:
        reg = rt._ets = Registry(rt)
    return reg


def find(tab, op, hint=" (a tid or the name of a named_table)"):
    """The table a tid or a name stands for, or ``None``; badarg if ``tab`` is neither."""
    if type(tab) is Ref:
        return registry().by_tid.get(tab)
    if type(tab) is str:
        return registry().by_name.get(tab)
    raise badarg(f"{op}: {tab!r} is not a table{hint}")


def table(tab, write=False, op="ets"):
    """The table ``tab`` if the caller may read it (and write it, with ``write``); else badarg."""
    t = find(tab, op)
    if t is None:
        raise badarg(f"{op}: the table {tab!r} does not exist (never created, deleted, or its owner died)")
    me = _state.rt.current
    if t.owner is not me:
        if t.access == "private":
            raise badarg(f"{op}: table {tab!r} is private to its owner {t.owner!r}")
        if write and t.access == "protected":
            raise badarg(f"{op}: table {tab!r} is protected: only its owner {t.owner!r} may write "
                         "(create it with 'public' to share writes)")
    return t
