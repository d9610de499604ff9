"""Erlang terms in Python: refs, the ANY/TIMEOUT sentinels, exceptions and pattern matching.

Mapping (DESIGN.md principle 2): atoms are ``str``, tuples are tuples, lists are
lists, maps are dicts.  Pids are the process control blocks themselves
(:class:`otp_lite.kernel.process.Pid`); they print like ``<0.84.0>``.

Patterns used by ``receive`` (and ``ets.match_object``):

* ``ANY`` matches anything;
* a tuple/list matches a tuple/list of the same length element by element;
* a dict matches a dict that has at least those keys with matching values
  (as an Erlang map pattern ``#{k := V}`` does);
* a class (``int``, ``str``, ``Pid`` ...) matches its instances;
* any other callable is a predicate (one that raises does not match, like a guard);
* everything else compares with ``==``.
"""
from __future__ import annotations

import itertools
import weakref
import re

__all__ = ["ANY", "TIMEOUT", "Ref", "Exit", "ErlangError", "Throw", "match",
           "Deadlock", "NODE", "fmt_term"]

NODE = "nonode@nohost"


class _Sentinel:
    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return self._name

    def __reduce__(self):
        return self._name


ANY = _Sentinel("ANY")
"""Pattern wildcard: matches any term (Erlang's ``_``)."""

TIMEOUT = _Sentinel("TIMEOUT")
"""Returned by ``receive`` when its ``after`` clause fires."""


class Ref:
    """A unique reference, printed like Erlang's ``#Ref<0.0.0.N>``.

    Two refs are equal only if they are the same ref, so equality and hashing are
    object identity, done in C (a ``gen_server.call`` hashes its ref about 7 times;
    a Python ``__hash__`` cost 60 ns each).  ``Ref(n)`` with an explicit number (a
    recording read back from JSON) returns the one ref with that number, so the refs
    of a loaded recording still match each other.
    """
    __slots__ = ("n", "alias", "__weakref__")    # alias: set on a gen call's tag (otp_lite._gen.reply)
    _counter = itertools.count(1)
    _known = weakref.WeakValueDictionary()     # n -> the ref made by Ref(n)

    def __new__(cls, n=None):
        if n is None:
            r = object.__new__(cls)
            r.n = next(Ref._counter)
            return r
        r = Ref._known.get(n)
        if r is None:
            r = object.__new__(cls)
            r.n = n
            Ref._known[n] = r
        return r

    def __repr__(self):
        return f"#Ref<0.0.0.{self.n}>"

    def __lt__(self, other):
        return self.n < other.n


class Exit(Exception):
    """``exit(Reason)``: the process (or caller) exits with ``.reason``.

    Raised by :func:`otp_lite.erlang.exit` and by failed calls such as
    ``gen_server.call`` on a dead server.  Catch it like ``catch`` in Erlang::

        try:
            gen_server.call('frequency', 'allocate')
        except Exit as e:
            e.reason   # ('noproc', ('gen_server', 'call', ['frequency', 'allocate']))
    """

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason

    def __str__(self):
        return f"exit: {self.reason!r}"


class ErlangError(Exception):
    """``erlang:error(Reason)``: an error with an Erlang reason such as ``'badarg'``."""

    def __init__(self, reason, detail=None):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail

    def __str__(self):
        s = f"error: {self.reason!r}"
        return f"{s} ({self.detail})" if self.detail else s


class Throw(Exception):
    """``throw(Term)``; uncaught, the process exits ``(('nocatch', term), stack)``."""

    def __init__(self, value):
        super().__init__(value)
        self.value = value


class Deadlock(RuntimeError):
    """The shell is waiting, but no process can run and no timer is pending.

    Like gevent's ``LoopExit``: the receive would wait forever, so instead of
    hanging the notebook cell we raise.  Check which message you expected and
    who should have sent it (``erlang.process_info(pid)`` helps).
    """


def match(pat, term):
    """True if ``term`` matches the template ``pat`` (see module docstring)."""
    if pat is ANY:
        return True
    tp = type(pat)
    if tp is tuple or tp is list:
        if type(term) is not tp or len(term) != len(pat):
            return False
        for p, t in zip(pat, term):
            if p is ANY:
                continue
            if not match(p, t):
                return False
        return True
    if tp is dict:
        if type(term) is not dict:
            return False
        for k, p in pat.items():
            if k not in term or not match(p, term[k]):
                return False
        return True
    if tp is str or tp is int:
        return type(term) is tp and pat == term
    if tp is type:
        return isinstance(term, pat)
    if callable(pat) and not isinstance(pat, (Ref,)) and not _is_term_obj(pat):
        try:
            return bool(pat(term))
        except Exception:               # as an Erlang guard: an exception means no match
            return False
    return pat == term


def compile_pattern(pat):
    """A function ``f`` with ``f(term) == match(pat, term)`` for every term, faster.

    Tuple/list templates and their ``ANY``/``str``/``int`` elements are
    checked inline (left to right, as :func:`match`); anything else
    (dicts, classes, predicates, other literals) defers to :func:`match`,
    so the answers are the same by construction.  ``receive`` compiles its
    patterns when it has a long mailbox to scan.
    """
    if pat is ANY:
        return _true
    tp = type(pat)
    if tp is str or tp is int:
        return lambda t: type(t) is tp and pat == t
    if tp is not tuple and tp is not list:
        return lambda t: match(pat, t)
    n = len(pat)
    parts = []
    for i, sub in enumerate(pat):
        if sub is ANY:
            continue
        st = type(sub)
        if st is str or st is int:
            parts.append((i, None, sub, st))
        else:
            parts.append((i, compile_pattern(sub), None, None))
    parts = tuple(parts)
    if all(f is None for _i, f, _v, _t in parts):
        lits = tuple((i, v, vt) for i, _f, v, vt in parts)

        def match_literals(t):
            if type(t) is not tp or len(t) != n:
                return False
            for i, v, vt in lits:
                x = t[i]
                if type(x) is not vt or x != v:
                    return False
            return True
        return match_literals

    def match_parts(t):
        if type(t) is not tp or len(t) != n:
            return False
        for i, f, v, vt in parts:
            x = t[i]
            if f is None:
                if type(x) is not vt or x != v:
                    return False
            elif not f(x):
                return False
        return True
    return match_parts


def compile_patterns(patterns):
    """``f(term)``: does ``term`` match any of ``patterns`` (in order)?"""
    if len(patterns) == 1:
        return compile_pattern(patterns[0])
    fs = tuple(compile_pattern(p) for p in patterns)

    def match_any(t):
        for f in fs:
            if f(t):
                return True
        return False
    return match_any


def compile_scanner(patterns):
    """``scan(messages, i) -> i + k``: the index of the first message matching any of
    ``patterns`` (``i`` counts from the first of ``messages``), or ``i + len`` if none;
    or None when a pattern is not a template of literals (``ANY``, atoms, integers).

    The whole loop is one generated Python function, so skipping a message is a few
    bytecodes and no call (a compiled test per message cost 140-148 ns a skip; this
    63-75 ns on the same machine).  The conditions are exactly :func:`compile_pattern`'s, in the same order.
    """
    conds, env = [], {}
    for pat in patterns:
        tp = type(pat)
        if tp is not tuple and tp is not list:
            return None
        k = len(pat)
        parts = [f"type(t) is T{len(conds)}", f"len(t) == {k}"]
        env[f"T{len(conds)}"] = tp
        for j, sub in enumerate(pat):
            if sub is ANY:
                continue
            st = type(sub)
            if st is not str and st is not int:
                return None
            v = f"V{len(env)}"
            env[v] = sub
            parts.append(f"t[{j}] == {v} and type(t[{j}]) is {'str' if st is str else 'int'}")
        conds.append("(" + " and ".join(parts) + ")")
    if not conds:
        return None
    fast = "".join(f", {k}={k}" for k in env)         # constants as locals (LOAD_FAST)
    src = (f"def scan(messages, i, type=type, len=len, str=str, int=int{fast}):\n"
           "    for t in messages:\n"
           f"        if {' or '.join(conds)}:\n"
           "            return i\n"
           "        i += 1\n"
           "    return i\n")
    key = (src, tuple((k, type(v), v) for k, v in env.items()))
    scan = _SCANNERS.get(key)
    if scan is None:                    # compiling costs ~100 us: once per pattern set
        if len(_SCANNERS) >= 512:
            _SCANNERS.clear()
        ns = dict(env)
        exec(compile(src, "<otp_lite receive scanner>", "exec"), ns)     # noqa: S102 - our own source
        scan = _SCANNERS[key] = ns["scan"]
    return scan


_SCANNERS = {}


def _true(_t):
    return True


def _is_term_obj(x):
    # Pids are callable-free objects; guard in case a term type defines __call__.
    return False


def check_pattern(pat):
    """Reject pattern values that can never mean what the learner intended."""
    if isinstance(pat, (set, frozenset)):
        raise ErlangError("badarg", f"a set is not a receive pattern: {pat!r}; use a tuple template or a predicate")
    if hasattr(pat, "__next__"):
        raise ErlangError("badarg", f"a generator/iterator is not a receive pattern: {pat!r}")


# ------------------------------------------------------------ printing terms
_ATOM = re.compile(r"^[a-z][A-Za-z0-9_@]*$")


def fmt_term(t, limit=60):
    """A term the way Erlang prints it: ``{allocate,<0.80.0>}``, cut to ``limit`` chars."""
    s = _fmt(t)
    if limit and len(s) > limit:
        s = s[: limit - 3] + "..."
    return s


def _fmt(t):
    tp = type(t)
    if tp is str:
        return t if _ATOM.match(t) else "'" + t.replace("'", "\\'") + "'"
    if tp is bool:
        return "true" if t else "false"
    if tp is tuple:
        return "{" + ",".join(_fmt(x) for x in t) + "}"
    if tp is list:
        return "[" + ",".join(_fmt(x) for x in t) + "]"
    if tp is dict:
        return "#{" + ",".join(f"{_fmt(k)} => {_fmt(v)}" for k, v in t.items()) + "}"
    if tp is float:
        return repr(t)
    return repr(t)
