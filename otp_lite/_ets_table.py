"""ets, part 2: the tables themselves (``otp_lite.ets`` is the API over them).

Holds :class:`Table` (one table: its objects by key, its type, owner, access),
the per-runtime :class:`Registry` of tables by tid and by name (a table dies
with its owner unless an heir takes it over), :func:`table` (find a table and
check the caller may read or write it: the ``badarg`` rules) and
:func:`term_order` (Erlang's term order, for ``ordered_set``).
"""
from __future__ import annotations

from sortedcontainers import SortedList

from .kernel import state as _state
from .kernel.process import Pid
from .kernel.terms import ErlangError, Ref

__all__ = ["badarg", "term_order", "exact_key", "same", "Table", "Registry", "registry", "find", "table"]


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


# ------------------------------------------------------------------ keys
_FLOAT, _BOOL, _LIST, _MAP = (object() for _ in range(4))    # tags no Erlang term can contain


def exact_key(t):
    """A dict key for ``t`` under which two terms are equal only if they match (``=:=``).

    Python's ``1 == 1.0 == True`` would merge keys that a ``set`` or ``bag``
    keeps apart (OTP 25 probe: ``{1,a}`` and ``{1.0,b}`` are two objects), so
    floats and booleans are tagged, also inside tuples; lists and maps become
    hashable.  Atoms (str), integers, refs and pids are their own key.
    XX: ``True`` is kept apart from ``'true'`` (as ``ets.match`` does), though
    in Erlang both are the atom ``true``.
    """
    tp = type(t)
    if tp is str or tp is int or tp is Ref or tp is Pid:
        return t
    if tp is float:
        return (_FLOAT, t)
    if tp is bool:
        return (_BOOL, t)
    if tp is tuple:
        return tuple(exact_key(x) for x in t)
    if tp is list:
        return (_LIST, tuple(exact_key(x) for x in t))
    if tp is dict:
        return (_MAP, frozenset((exact_key(k), exact_key(v)) for k, v in t.items()))
    return t


def same(a, b):
    """``a =:= b`` for objects (tuples): ``(k, 1)`` and ``(k, 1.0)`` differ."""
    return a == b and exact_key(a) == exact_key(b)


# ------------------------------------------------------------------ tables
_BAGS = ("bag", "duplicate_bag")


class Table:
    """One table.  ``data`` maps a dict key to the object (``set``,
    ``ordered_set``) or to the list of objects (bags) with that key.

    The dict key is :func:`exact_key` for ``set`` and bags (keys match with
    ``=:=``) and :func:`term_order` for ``ordered_set``, whose keys compare
    with ``==`` (``1`` and ``1.0`` are one key, as in OTP); ``_keys`` is
    then those order keys in a ``SortedList`` (insert, delete, first, last
    and next in O(log n); a plain list's ``insort`` was O(n) per insert).

    ``set`` and bags walk their dict's order (insertion order).  ``ets.next``
    needs "the key after this one", which a dict cannot answer without
    listing every key; ``_order`` (made by the first ``first``/``next``/
    ``last``/``prev``, then kept up to date by every insert and delete) is
    the dict keys as a list with ``None`` where a key was deleted, and
    ``_pos`` each live key's index in it: a whole traversal is O(n), also
    when it deletes as it goes.  Holes are squeezed out when they outnumber
    the live keys.
    """
    __slots__ = ("tid", "name", "named", "type", "keypos", "access", "owner", "heir",
                 "data", "_keys", "_order", "_pos", "_holes", "_n", "rc", "wc", "compressed")

    def __init__(self, name, type_, keypos, access, owner, named, heir):
        self.tid = Ref()
        self.name, self.type, self.keypos, self.access = name, type_, keypos, access
        self.owner, self.named, self.heir = owner, named, heir
        self.data = {}                      # dict key -> obj (set kinds) or [obj, ...] (bags)
        self._keys = SortedList() if type_ == "ordered_set" else None   # sorted order keys
        self._order = self._pos = None      # set/bag traversal index (see the class docstring)
        self._holes = 0
        self._n = 0                         # objects in a bag (info size: O(1), as OTP)
        self.rc = self.wc = self.compressed = False

    @property
    def ref(self):
        return self.name if self.named else self.tid

    def dkey(self, key):
        """The dict key of an Erlang key (see the class docstring)."""
        return exact_key(key) if self._keys is None else term_order(key)

    def get(self, key):
        """The objects with ``key`` (a list, empty if none)."""
        v = self.data.get(self.dkey(key))
        if v is None:
            return []
        return list(v) if self.type in _BAGS else [v]

    def has(self, key):
        return self.dkey(key) in self.data

    def objects(self):
        if self.type in _BAGS:
            return [o for objs in self.data.values() for o in objs]
        if self._keys is not None:
            return [self.data[k] for k in self._keys]
        return list(self.data.values())

    def size(self):
        return self._n if self.type in _BAGS else len(self.data)

    def _key_at(self, dk):
        v = self.data[dk]
        return (v[0] if self.type in _BAGS else v)[self.keypos - 1]

    def keys(self):
        return [self._key_at(dk) for dk in (self._keys if self._keys is not None else self.data)]

    def end_key(self, d, end):
        """The first (``d`` = 1) or last (-1) key, or ``end``: O(1) (amortised)."""
        if not self.data:
            return end
        if self._keys is not None:
            return self._key_at(self._keys[0 if d > 0 else -1])
        order = self._index()
        i = 0 if d > 0 else len(order) - 1
        while order[i] is None:
            i += d
        return self._key_at(order[i])

    def _index(self):
        if self._order is None:
            self._order = list(self.data)
            self._pos = {dk: i for i, dk in enumerate(self._order)}
            self._holes = 0
        return self._order

    def _added(self, dk):
        """A new dict key (it went to the end of the dict's order)."""
        if self._order is not None:
            self._pos[dk] = len(self._order)
            self._order.append(dk)

    def _removed(self, dk):
        if self._order is not None:
            self._order[self._pos.pop(dk)] = None
            self._holes += 1
            if self._holes > len(self._pos) + 64:
                self._order = self._pos = None          # rebuilt (without holes) when next needed

    def step(self, key, d, end):
        """The key after (``d`` = 1) or before (-1) ``key``, or ``end``;
        ``KeyError`` if ``key`` is not in a set or bag (an ordered_set takes any key)."""
        if self._keys is not None:
            ok = term_order(key)
            if d > 0:
                i = self._keys.bisect_right(ok)
                return self._key_at(self._keys[i]) if i < len(self._keys) else end
            i = self._keys.bisect_left(ok) - 1
            return self._key_at(self._keys[i]) if i >= 0 else end
        dk = exact_key(key)
        if dk not in self.data:
            raise KeyError(key)
        order = self._index()
        i, n = self._pos[dk] + d, len(order)
        while 0 <= i < n and order[i] is None:
            i += d
        return self._key_at(order[i]) if 0 <= i < n else end

    # -- raw mutation (access already checked) --------------------------------
    def put(self, obj):
        dk = self.dkey(obj[self.keypos - 1])
        data = self.data
        if self.type == "set":
            if self._order is not None and dk not in data:
                self._added(dk)
            data[dk] = obj
        elif self.type == "ordered_set":
            if dk not in data:
                self._keys.add(dk)
            data[dk] = obj                  # the new object's key is the key now (OTP: first -> 1.0)
        else:
            objs = data.get(dk)
            if objs is None:
                objs = data[dk] = []
                self._added(dk)
            if self.type == "duplicate_bag" or not any(same(o, obj) for o in objs):
                objs.append(obj)
                self._n += 1

    def remove_key(self, k):
        dk = self.dkey(k)
        if dk in self.data:
            if self.type in _BAGS:
                self._n -= len(self.data[dk])
            del self.data[dk]
            if self._keys is not None:
                self._keys.remove(dk)
            else:
                self._removed(dk)

    def remove_object(self, obj):
        """Delete this exact object (all copies of it in a duplicate_bag)."""
        k = obj[self.keypos - 1]
        dk = self.dkey(k)
        if self.type in _BAGS:
            old = self.data.get(dk, [])
            objs = [o for o in old if not same(o, obj)]
            self._n -= len(old) - len(objs)
            if objs:
                self.data[dk] = objs
            elif dk in self.data:
                del self.data[dk]
                self._removed(dk)
        elif dk in self.data and same(self.data[dk], obj):
            self.remove_key(k)

    def clear(self):
        self.data.clear()
        if self._keys is not None:
            self._keys.clear()
        self._order = self._pos = None
        self._n = 0


class Registry:
    """The tables of one runtime: by tid, by name, and by owner (a process's exit
    looks at its own tables only, not at every table: O(its tables), was O(all))."""

    def __init__(self, rt):
        self.by_tid = {}
        self.by_name = {}
        self.by_owner = {}          # Pid -> {tid: Table}, in creation order
        rt.exit_hooks.append(self.on_exit)

    def add(self, t):
        self.by_tid[t.tid] = t
        if t.named:
            self.by_name[t.name] = t
        self.by_owner.setdefault(t.owner, {})[t.tid] = t

    def _disown(self, t):
        mine = self.by_owner.get(t.owner)
        if mine is not None:
            mine.pop(t.tid, None)
            if not mine:
                del self.by_owner[t.owner]

    def set_owner(self, t, pid):
        self._disown(t)
        t.owner = pid
        self.by_owner.setdefault(pid, {})[t.tid] = t

    def on_exit(self, p, reason):
        mine = self.by_owner.pop(p, None)
        if not mine:
            return
        for t in sorted(mine.values(), key=lambda t: t.tid.n):
            heir = t.heir
            if heir is not None and heir[0].alive and heir[0] is not p:
                self.set_owner(t, heir[0])
                t.heir = None
                _state.rt.deliver(heir[0], ("ETS-TRANSFER", t.ref, p, heir[1]), p)
            else:
                self.drop(t)

    def drop(self, t):
        self.by_tid.pop(t.tid, None)
        if t.named and self.by_name.get(t.name) is t:
            del self.by_name[t.name]
        self._disown(t)
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
    rt = _state.rt
    if rt is not None and rt.explore is not None:
        rt.explore(op, (tab, write))  # otp_lite.explore: a choice point before each table access
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
