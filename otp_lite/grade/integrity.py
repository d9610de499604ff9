"""Is the harness still the harness?  What learner code must not change, and whether it did.

Learner code runs in the same process as pytest and the grader's plugin, so
it *can* patch them: replace pytest's report class, the plugin's tables,
``labkit.expect`` or its ``__code__``, a builtin.  :func:`snapshot` keeps
the objects themselves (not ids, which a freed object hands on) of every
global and class attribute of the modules that decide a verdict, taken
before any learner code is imported; :func:`changed` lists what differs
now.  The plugin checks before every result it sends and reports a
difference as tampering (the run scores 0).

What this cannot see: writes through ``ctypes`` into memory, and a learner
who first replaces this module's own code (it is checked too, but by
itself).  The threat model is in labs/README.md.
"""
from __future__ import annotations

import builtins
import sys
import types

__all__ = ["WATCHED", "snapshot", "changed"]

WATCHED = (
    "_pytest.runner", "_pytest.reports", "_pytest.python", "_pytest.main", "_pytest.outcomes",
    "_pytest.nodes", "_pytest.fixtures", "_pytest.hookspec", "_pytest.config",
    "pluggy._callers", "pluggy._hooks", "pluggy._manager", "pluggy._result",
    "otp_lite.grade.plugin", "otp_lite.grade.labkit", "otp_lite.grade.messages",
    "otp_lite.grade.integrity", "otp_lite.grade.explored", "otp_lite.explore", "hmac", "hashlib", "json", "os", "traceback",
)
_SKIP = {"__builtins__", "__cached__", "__loader__", "__spec__", "__file__", "__doc__", "__warningregistry__"}


def _print(obj):
    """What must stay the same of one attribute: the object, and a function's code and defaults."""
    f = obj
    if isinstance(obj, (classmethod, staticmethod)):
        f = obj.__func__
    if isinstance(f, types.FunctionType):
        return (obj, f.__code__, f.__defaults__, f.__kwdefaults__)
    if isinstance(obj, property):
        return (obj, obj.fget, obj.fset)
    return (obj,)


def snapshot(extra=()):
    snap = {}
    for name in tuple(WATCHED) + tuple(extra):
        m = sys.modules.get(name)
        if m is None:
            continue
        snap[(name,)] = (m,)
        for k, v in list(vars(m).items()):
            if k in _SKIP:
                continue
            snap[(name, k)] = _print(v)
            if isinstance(v, type) and getattr(v, "__module__", None) == name:
                for ck, cv in list(vars(v).items()):
                    if ck not in ("__dict__", "__weakref__", "__doc__", "__abstractmethods__", "_abc_impl"):
                        snap[(name, k, ck)] = _print(cv)
    for k, v in vars(builtins).items():
        snap[("builtins", k)] = (v,)
    return snap


def _same(a, b):
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


def changed(before):
    """The dotted names whose object (or code) is not the one in ``before`` (new names too)."""
    names = tuple({k[0] for k in before if k[0] != "builtins"})
    now = snapshot(extra=names)
    out = []
    for k, v in before.items():
        w = now.get(k)
        if w is None or not _same(v, w):
            out.append(".".join(k))
    for k in now:
        if k not in before and (k[0] == "builtins" or k[0].startswith("otp_lite.grade")):
            out.append(".".join(k))
    return sorted(out)
