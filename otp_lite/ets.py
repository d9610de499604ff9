"""Term storage tables: mirrors OTP ``ets`` (OTP 25); book ch. 2 (hlr) and ch. 3.

=================================  ==========================================
Erlang                             otp_lite
=================================  ==========================================
``ets:new(Name, Opts)``            ``ets.new(name, ['set', 'named_table', ('keypos', 1)])``
``ets:insert(T, Obj | [Obj])``     ``ets.insert(t, obj_or_list)``
``ets:lookup(T, K)``               ``ets.lookup(t, k)`` -> list of tuples
``ets:match(T, {'$1', '_'})``      ``ets.match(t, ('$1', '_'))`` -> [[binding, ...], ...]
``ets:match_object(T, P)``         ``ets.match_object(t, p)`` (``'_'`` or ``ANY`` = wildcard)
``ets:select(T, MS)``              ``ets.select(t, [(head, guards, body)])``
=================================  ==========================================

A table belongs to the process that created it (its *owner*) and is deleted
when the owner ends, unless an ``('heir', pid, data)`` takes it over (the heir
then gets ``('ETS-TRANSFER', tab, old_owner, data)``, as after ``give_away``).
Access: ``'public'`` (anyone reads and writes), ``'protected'`` (default:
anyone reads, only the owner writes), ``'private'`` (only the owner).

Failure rule: as in OTP, every misuse raises ``ErlangError('badarg')`` (with
a sentence saying what was wrong): an unknown or deleted table, an access
violation, an object that is not a tuple long enough for ``keypos``, a missing
key in ``lookup_element``/``next``.  ``info`` of a deleted table is ``'undefined'``.

Types: ``set`` and ``duplicate_bag``/``bag`` iterate in insertion order (OTP's
order is its hash order: do not rely on either); ``ordered_set`` iterates in
Erlang term order (numbers < atoms < refs < pids < tuples < maps < lists).
Keys: a ``set`` or bag matches keys exactly (``=:=``: ``1`` and ``1.0``, or
``True`` and ``1``, are two keys, although Python calls them equal); an
``ordered_set`` compares them (``==``: ``1`` and ``1.0`` are one key).

Layout: this module is the API; ``_ets_table`` holds the tables (objects by
key, owner, access checks, term order) and ``_ets_match`` the pattern matcher
and the match-spec interpreter.

See also: otp_lite.erlang, the book's ``hlr`` module (chapter 2).
"""
from __future__ import annotations

from .kernel import state as _state
from .kernel.process import Pid
from .kernel.terms import ErlangError
from ._ets_match import candidates as _candidates, run_spec as _run_spec, truthy as _truthy, unify as _unify
from ._ets_table import Table, badarg as _badarg, find as _find, registry as _reg, table as _table  # noqa: F401

__all__ = ["new", "insert", "insert_new", "lookup", "lookup_element", "member",
           "delete", "delete_object", "delete_all_objects", "match", "match_object",
           "select", "select_delete", "tab2list", "info", "first", "next", "last",
           "prev", "update_counter", "give_away", "all", "whereis"]

_TYPES = ("set", "ordered_set", "bag", "duplicate_bag")
_ACCESS = ("public", "protected", "private")
EOT = "$end_of_table"


# ------------------------------------------------------------------ create / delete
def new(name, options=()):
    """Create a table owned by the caller; returns a tid, or ``name`` with ``'named_table'``."""
    if type(name) is not str:
        raise _badarg(f"ets.new: the name must be an atom (str), got {name!r}")
    if not isinstance(options, (list, tuple)):
        raise _badarg(f"ets.new: options must be a list, got {options!r}")
    type_, access, keypos, named, heir = "set", "protected", 1, False, None
    flags = {}
    for o in options:
        if o in _TYPES:
            type_ = o
        elif o in _ACCESS:
            access = o
        elif o == "named_table":
            named = True
        elif o == "compressed":
            flags["compressed"] = True
        elif type(o) is tuple and len(o) == 2 and o[0] == "keypos":
            if type(o[1]) is not int or o[1] < 1:
                raise _badarg(f"ets.new: keypos must be an integer >= 1, got {o[1]!r}")
            keypos = o[1]
        elif type(o) is tuple and len(o) == 2 and o[0] in ("read_concurrency", "write_concurrency",
                                                            "decentralized_counters"):
            flags[o[0]] = o[1]
        elif o == ("heir", "none"):
            heir = None
        elif type(o) is tuple and len(o) == 3 and o[0] == "heir" and type(o[1]) is Pid:
            heir = (o[1], o[2])
        else:
            raise _badarg(f"ets.new: unknown option {o!r}; known: {', '.join(_TYPES + _ACCESS)}, "
                          "'named_table', ('keypos', N), ('heir', pid, data)")
    reg = _reg()
    if named and name in reg.by_name:
        raise _badarg(f"ets.new: a named table {name!r} already exists")
    t = Table(name, type_, keypos, access, _state.rt.current, named, heir)
    t.rc = flags.get("read_concurrency", False)
    t.wc = flags.get("write_concurrency", False)
    t.compressed = flags.get("compressed", False)
    reg.add(t)
    return t.ref


def delete(tab, *key):
    """``delete(tab)`` deletes the table (owner only); ``delete(tab, key)`` its objects with key."""
    if not key:
        t = _table(tab, op="ets.delete/1")
        if t.owner is not _state.rt.current and t.access != "public":
            raise _badarg(f"ets.delete/1: only the owner {t.owner!r} may delete {tab!r}")
        _reg().drop(t)
        return True
    if len(key) != 1:
        raise ErlangError("undef", "ets.delete(tab) or ets.delete(tab, key): no such arity")
    t = _table(tab, write=True, op="ets.delete/2")
    t.remove_key(key[0])
    return True


def delete_all_objects(tab):
    _table(tab, write=True, op="ets.delete_all_objects").clear()
    return True


def delete_object(tab, obj):
    """Delete this exact object (all copies of it in a duplicate_bag)."""
    t = _table(tab, write=True, op="ets.delete_object")
    _check_obj(t, obj, "ets.delete_object")
    t.remove_object(obj)
    return True


# ------------------------------------------------------------------ insert / lookup
def _check_obj(t, obj, op):
    if type(obj) is not tuple or len(obj) < t.keypos:
        raise _badarg(f"{op}: {obj!r} is not a tuple with at least {t.keypos} element(s) (keypos)")


def _objs(t, x, op):
    objs = x if type(x) is list else [x]
    for o in objs:
        _check_obj(t, o, op)
    return objs


def insert(tab, obj_or_objs):
    """Insert a tuple or a list of tuples; in a set an object replaces one with the same key."""
    t = _table(tab, write=True, op="ets.insert")
    for o in _objs(t, obj_or_objs, "ets.insert"):
        t.put(o)
    return True


def insert_new(tab, obj_or_objs):
    """Like insert, but inserts nothing and returns False if any key is already there."""
    t = _table(tab, write=True, op="ets.insert_new")
    objs = _objs(t, obj_or_objs, "ets.insert_new")
    if any(t.has(o[t.keypos - 1]) for o in objs):
        return False
    for o in objs:
        t.put(o)
    return True


def lookup(tab, key):
    return _table(tab, op="ets.lookup").get(key)


def lookup_element(tab, key, pos):
    """Element ``pos`` (1-based) of the object with ``key`` (a list of them for bags)."""
    objs = lookup(tab, key)
    if not objs:
        raise _badarg(f"ets.lookup_element: no object with key {key!r} in {tab!r}")
    if type(pos) is not int or pos < 1 or any(len(o) < pos for o in objs):
        raise _badarg(f"ets.lookup_element: position {pos!r} is outside the object")
    t = _table(tab)
    if t.type in ("bag", "duplicate_bag"):
        return [o[pos - 1] for o in objs]
    return objs[0][pos - 1]


def member(tab, key):
    return _table(tab, op="ets.member").has(key)


def tab2list(tab):
    return _table(tab, op="ets.tab2list").objects()


# ------------------------------------------------------------------ traversal
def first(tab):
    return _table(tab, op="ets.first").end_key(1, EOT)


def last(tab):
    return _table(tab, op="ets.last").end_key(-1, EOT)


def next(tab, key):
    """The key after ``key``, or ``'$end_of_table'``."""
    return _step(tab, key, 1, "ets.next")


def prev(tab, key):
    return _step(tab, key, -1, "ets.prev")


def _step(tab, key, d, op):
    try:
        return _table(tab, op=op).step(key, d, EOT)
    except KeyError:
        raise _badarg(f"{op}: key {key!r} is not in {tab!r}") from None


# ------------------------------------------------------------------ matching
def match_object(tab, pattern):
    """Objects matching ``pattern`` (``'_'``/``ANY`` match anything, ``'$N'`` bind consistently)."""
    t = _table(tab, op="ets.match_object")
    return [o for o in _candidates(t, pattern) if _unify(pattern, o, {})]


def match(tab, pattern):
    """For each matching object, the values of ``'$1'``, ``'$2'`` ... in order: a list of lists."""
    t = _table(tab, op="ets.match")
    out = []
    for o in _candidates(t, pattern):
        b = {}
        if _unify(pattern, o, b):
            out.append([b[v] for v in sorted(b, key=lambda v: int(v[1:]))])
    return out


def select(tab, spec):
    """``ets:select/2`` with match specs ``[(head, guards, body)]``; body ``['$_']``, ``['$$']``, ``['$1']`` ..."""
    t = _table(tab, op="ets.select")
    return [r for _o, r in _run_spec(t, spec, "ets.select")]


def select_delete(tab, spec):
    """Delete the objects for which the spec's body is ``True``; returns how many."""
    t = _table(tab, write=True, op="ets.select_delete")
    doomed = [o for o, r in _run_spec(t, spec, "ets.select_delete") if _truthy(r)]
    for o in doomed:
        delete_object(tab, o)
    return len(doomed)


# ------------------------------------------------------------------ counters
def update_counter(tab, key, incr, default=None):
    """Add to an integer element (set/ordered_set): ``incr`` is N, ``(pos, n)``,
    ``(pos, n, threshold, setvalue)`` or a list of those (-> list of results).
    With ``default`` (an object), a missing key is first inserted as it."""
    t = _table(tab, write=True, op="ets.update_counter")
    if t.type not in ("set", "ordered_set"):
        raise _badarg(f"ets.update_counter: {tab!r} is a {t.type}; counters need a set or ordered_set")
    objs = t.get(key)
    obj = objs[0] if objs else None
    if obj is None:
        if default is None:
            raise _badarg(f"ets.update_counter: no object with key {key!r} (pass a default object)")
        _check_obj(t, default, "ets.update_counter")
        obj = default[:t.keypos - 1] + (key,) + default[t.keypos:]
    ops = incr if type(incr) is list else [incr]
    obj = list(obj)
    results = []
    for op in ops:
        if type(op) is int:
            op = (t.keypos + 1, op)
        if type(op) is not tuple or len(op) not in (2, 4) or type(op[0]) is not int:
            raise _badarg(f"ets.update_counter: bad increment {op!r}")
        pos, n = op[0], op[1]
        if pos == t.keypos or pos < 1 or pos > len(obj) or type(obj[pos - 1]) is not int or type(n) is not int:
            raise _badarg(f"ets.update_counter: element {pos} of {tuple(obj)!r} is not an integer counter")
        v = obj[pos - 1] + n
        if len(op) == 4:
            thr, setv = op[2], op[3]
            if (n >= 0 and v > thr) or (n < 0 and v < thr):
                v = setv
        obj[pos - 1] = v
        results.append(v)
    t.put(tuple(obj))
    return results if type(incr) is list else results[0]


# ------------------------------------------------------------------ ownership & info
def give_away(tab, pid, gift):
    """Make ``pid`` the owner; it receives ``('ETS-TRANSFER', tab, from_pid, gift)``."""
    t = _table(tab, op="ets.give_away")
    me = _state.rt.current
    if t.owner is not me:
        raise _badarg(f"ets.give_away: only the owner {t.owner!r} can give {tab!r} away")
    if type(pid) is not Pid or not pid.alive or pid is me:
        raise _badarg(f"ets.give_away: {pid!r} must be another live process")
    _reg().set_owner(t, pid)
    _state.rt.deliver(pid, ("ETS-TRANSFER", t.ref, me, gift), me)
    return True


_INFO = ("id", "decentralized_counters", "read_concurrency", "write_concurrency", "compressed",
         "memory", "owner", "heir", "name", "size", "node", "named_table", "type", "keypos",
         "protection")


def _info_item(t, item):
    if item == "id":
        return t.tid
    if item in ("decentralized_counters",):
        return False
    if item == "read_concurrency":
        return t.rc
    if item == "write_concurrency":
        return t.wc
    if item == "compressed":
        return t.compressed
    if item == "memory":
        return 300 + 8 * t.size()
    if item == "owner":
        return t.owner
    if item == "heir":
        return t.heir[0] if t.heir else "none"
    if item == "name":
        return t.name
    if item == "size":
        return t.size()
    if item == "node":
        return "nonode@nohost"
    if item == "named_table":
        return t.named
    if item == "type":
        return t.type
    if item == "keypos":
        return t.keypos
    if item == "protection":
        return t.access
    raise _badarg(f"ets.info: unknown item {item!r}; known: {', '.join(_INFO)}")


def info(tab, item=None):
    """``[(item, value), ...]`` (or one value with ``item``); ``'undefined'`` if no such table."""
    t = _find(tab, "ets.info", "")
    if t is None:
        if item is not None and item not in _INFO:
            raise _badarg(f"ets.info: unknown item {item!r}")
        return "undefined"
    if item is None:
        return [(i, _info_item(t, i)) for i in _INFO]
    return _info_item(t, item)


def all():  # noqa: A001 - ets:all/0
    """Every table: names for named tables, tids otherwise."""
    return [t.ref for t in _reg().by_tid.values()]


def whereis(name):
    """The tid of a named table, or ``'undefined'``; a name that is no atom: ``badarg`` (OTP 25)."""
    if type(name) is not str:
        raise _badarg(f"ets.whereis: {name!r} is not an atom")
    t = _reg().by_name.get(name)
    return t.tid if t is not None else "undefined"
