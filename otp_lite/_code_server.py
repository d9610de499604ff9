"""code, part 2: the code server's state, the resolver, and who runs old code.

Holds :class:`Version` (one loaded version of a module: a namespace),
the per-runtime :class:`Server` (module name -> current and old version, the
code path), :func:`resolve` (installed into ``_gen`` so that every callback
call is a fully qualified call to the current version, with autoload on first
call), :func:`install` (make a namespace current), :func:`exec_file` (a fresh
module object for a ``.py`` file) and :func:`runs` (does a process execute a
version's code? answered from its greenlet's stack, as ``erlang:check_process_code``
answers from the Erlang stack).  ``otp_lite.code`` is the API over these.
"""
from __future__ import annotations

import dis
import hashlib
import importlib.util
import inspect
import os
import sys as _pysys
import types
import weakref

from . import _gen, erlang, runtime
from .kernel import state as _state

__all__ = ["Version", "Server", "server", "resolve", "install", "filename_of", "find",
           "exec_file", "runs", "old_users"]


# ================================================================ versions
class Version:
    """One loaded version of a module: its namespace, vsn and where it came from."""
    __slots__ = ("name", "ns", "vsn", "filename", "seq", "_codes", "digest")

    def __init__(self, name, ns, filename, seq):
        self.name, self.ns, self.filename, self.seq = name, ns, filename, seq
        self.vsn = vsn_of(ns)
        self._codes = None
        self.digest = file_digest(filename)   # for code.module_status: 'modified' when the file changes

    def __repr__(self):
        return f"<version {self.name} vsn={self.vsn!r} #{self.seq}>"

    def owns(self, frame):
        ns = self.ns
        if type(ns) is types.ModuleType:
            return frame.f_globals is ns.__dict__
        if self._codes is None:
            self._codes = codes_of(ns)
        return frame.f_code in self._codes

    def owns_code(self, code):
        if self._codes is None:
            self._codes = codes_of(self.ns)
        return code in self._codes


_DEFAULT_VSN = weakref.WeakKeyDictionary()     # a class's source does not change (a reload
                                                # makes a new class; a module reloads in place)


def vsn_of(ns):
    v = getattr(ns, "vsn", None)
    if v is not None and not callable(v):
        return v
    if isinstance(ns, type) and ns in _DEFAULT_VSN:
        return _DEFAULT_VSN[ns]
    try:                                        # Erlang's default vsn: an MD5 of the module
        src = inspect.getsource(ns)
    except (OSError, TypeError):                # no source: the names, which can change
        src = repr(sorted(k for k in vars(ns) if not k.startswith("__")))
        return int(hashlib.md5(src.encode()).hexdigest()[:16], 16)
    v = int(hashlib.md5(src.encode()).hexdigest()[:16], 16)
    if isinstance(ns, type):                    # inspect parses the whole file: once per class,
        _DEFAULT_VSN[ns] = v                    # not once per fresh runtime (explore makes many)
    return v


def codes_of(ns):
    """Every code object defined in a class namespace (methods, nested functions)."""
    out = set()
    prefix = getattr(ns, "__qualname__", "") + "."
    todo = []
    for v in vars(ns).values():
        f = getattr(v, "__func__", v)
        c = getattr(f, "__code__", None)
        if c is not None and getattr(f, "__qualname__", "").startswith(prefix):
            todo.append(c)
    while todo:
        c = todo.pop()
        if c in out:
            continue
        out.add(c)
        todo.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    return out


class Entry:
    __slots__ = ("name", "current", "old", "gone")

    def __init__(self, name):
        self.name, self.current, self.old = name, None, None
        self.gone = type(name, (), {"__doc__": f"module {name} (deleted: no current code)"})


class Server:
    def __init__(self, rt):
        self.rt = rt
        self.entries = {}          # name -> Entry
        self.by_id = {}            # id(ns) -> (ns, Entry | None); keeps ns alive
        self.path = []
        self.seq = 0


_srv = None


def server():
    global _srv
    rt = runtime.current()
    if _srv is None or _srv.rt is not rt:
        _srv = Server(rt)
    return _srv


@runtime.on_reset
def _on_reset(rt):
    global _srv
    _srv = Server(rt)


# ================================================================ the resolver
def resolve(mod):
    """Behaviours call this for every callback: the newest version of ``mod``'s module."""
    srv = _srv
    if srv is None or srv.rt is not _state.rt:
        srv = server()
    hit = srv.by_id.get(id(mod))
    if hit is not None and hit[0] is mod:
        e = hit[1]
        if e is None:
            return mod
        cur = e.current
        return cur.ns if cur is not None else e.gone
    return autoload(srv, mod)


def autoload(srv, mod):
    if isinstance(mod, (str, int, float, tuple, list, dict)) or mod is None:
        return mod
    name = _gen.module_name(mod)
    e = srv.entries.get(name)
    if e is None or (e.current is None and e.old is None):
        install(srv, name, mod, filename_of(mod))
        return mod
    srv.by_id[id(mod)] = (mod, None)            # name taken by another namespace: runs itself
    return mod


_gen.set_resolver(resolve)


def filename_of(ns):
    f = getattr(ns, "__file__", None)
    if f:
        return f
    m = _pysys.modules.get(getattr(ns, "__module__", None) or "")
    f = getattr(m, "__file__", None)
    return f if f else "in_memory"


def file_digest(filename):
    """md5 of a source file's bytes, or None (in memory, or not a file)."""
    try:
        with open(filename, "rb") as f:
            return hashlib.md5(f.read()).digest()
    except (OSError, TypeError, ValueError):
        return None


def install(srv, name, ns, filename):
    """Make ``ns`` the current version of ``name`` (the caller checked not_purged)."""
    e = srv.entries.get(name)
    if e is None:
        e = srv.entries[name] = Entry(name)
    srv.seq += 1
    v = Version(name, ns, filename, srv.seq)
    if e.current is not None:
        e.old = e.current
    e.current = v
    srv.by_id[id(ns)] = (ns, e)
    if srv.rt.trace is not None:
        runtime.emit("code_load", module=name, vsn=v.vsn)
    return v


# ================================================================ files on the code path
def find(name):
    for d in server().path:
        f = os.path.join(d, name + ".py")
        if os.path.isfile(f):
            return f
    return None


def package_of(directory):
    """The dotted package a directory is, if it lies under a ``sys.path`` root
    (regular or namespace packages), else ``None``."""
    roots = {os.path.abspath(p or ".") for p in _pysys.path}
    parts, d = [], os.path.abspath(directory)
    while d not in roots:
        base = os.path.basename(d)
        if not base.isidentifier():
            return None
        parts.append(base)
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent
    return ".".join(reversed(parts)) or None


def exec_file(name, path):
    """A fresh module object for ``path`` (never shared with ``import``)."""
    pkg = package_of(os.path.dirname(path))
    full = f"{pkg}.{name}" if pkg else name
    spec = importlib.util.spec_from_file_location(full, path)
    mod = importlib.util.module_from_spec(spec)
    saved = _pysys.modules.get(full)
    _pysys.modules[full] = mod                  # dataclasses etc. look themselves up here
    try:
        spec.loader.exec_module(mod)
    except Exception:                               # noqa: BLE001
        return None
    finally:
        if saved is None:
            _pysys.modules.pop(full, None)
        else:
            _pysys.modules[full] = saved
    return mod


# ================================================================ who runs old code
def frames(p):
    rt = _state.rt
    if p is rt.current:
        f = _pysys._getframe()
    else:
        g = p.g
        f = g.gr_frame if g is not None else None
    while f is not None:
        yield f
        f = f.f_back


def runs(p, v, cur):
    """Does process ``p`` execute code of version ``v`` (and not of ``cur``)?"""
    if not p.alive:
        return False
    if cur is not None and cur.ns is v.ns:
        return False
    if p.start is not None:                     # spawned, not yet run: look at the fun and args
        fun, args = p.start
        funs = [fun] + [a for a in args if callable(a)]
        for f in funs:
            c = getattr(f, "__code__", None)
            if c is not None and (getattr(f, "__globals__", None) is getattr(v.ns, "__dict__", 0)
                                  or (type(v.ns) is not types.ModuleType and v.owns_code(c))):
                return True
        return False
    callee = None
    for f in frames(p):
        if v.owns(f) and (cur is None or not cur.owns(f)) and not _last_call(f, callee):
            return True
        callee = f
    return False


TAIL_LOOP_CODE = None           # code.tail_loop.__code__, set by otp_lite.code
_returns_after = {}             # (code, lasti) -> does the frame return right after its call?


def _last_call(f, callee):
    """``return code.tail_loop(...)``: the frame only waits to hand back what the loop returns,
    Erlang's last call, which leaves no frame of the caller (an ``init`` that loops for ever
    does not keep its module's old code in use)."""
    if callee is None or callee.f_code is not TAIL_LOOP_CODE:
        return False
    key = (f.f_code, f.f_lasti)
    r = _returns_after.get(key)
    if r is None:
        r = next((i.opname == "RETURN_VALUE" for i in dis.get_instructions(f.f_code) if i.offset > f.f_lasti), False)
        _returns_after[key] = r
    return r


def old_users(e):
    return [p for p in erlang.processes() if runs(p, e.old, e.current)]
