"""The code server: mirrors OTP ``code`` (OTP 25); book ch. 12 (hot code loading).

=========================================  ==========================================
OTP                                        otp_lite.code
=========================================  ==========================================
``code:load_file(coffee)``                 ``load_file('coffee')`` (``coffee.py`` on the path)
``code:load_abs("dir/coffee")``            ``load_abs('dir/coffee')``
``code:load_binary(M, File, Bin)``         ``load_binary(name, filename, source_text)``
``c(coffee)`` in the shell                 ``load(namespace)``: a module, or a class from a cell
``code:soft_purge(M)`` / ``purge(M)``      ``soft_purge(name)`` / ``purge(name)``
``code:delete(M)``                         ``delete(name)``
``code:is_loaded(M)`` / ``which(M)``       ``is_loaded(name)`` / ``which(name)``
``erlang:check_process_code(P, M)``        ``check_process_code(pid, name)``
``M:module_info(attributes)``              ``module_info(name, 'attributes')``
``code:lib_dir(App)`` / ``priv_dir(App)``  ``lib_dir('app')`` / ``priv_dir('app')`` (book ch. 9)
``M:f(A)`` (fully qualified call)          ``module('M').f(a)`` or ``call('M', 'f', a)``
``fun M:f/1`` (external fun)               ``module('M').f`` (resolved at each call)
=========================================  ==========================================

How Erlang does it, and how this maps onto Python
-------------------------------------------------
A module in Erlang is a *name* with at most two versions of code: *current*
and *old*.  Loading makes current old and the new code current.  Loading a
third version while old code still exists depends on the loader, as in OTP 25
(tests/oracle_probes/ch12_loaders.erl): ``load_file``/``load_abs`` refuse with
``('error', 'not_purged')`` (erlang_ref h1; even when no process uses the old
code), while the shell's ``c(M)`` and ``code:load_binary`` -- here
:func:`load` and :func:`load_binary` -- *purge* first, killing every process
still running the old code, then load.  After ``delete``, with no current
code, loading is allowed.  A *local* call
(``loop(S)``) stays in the version it is in; a *fully qualified* call
(``?MODULE:loop(S)``) jumps to the current version.  Every behaviour calls its
callbacks fully qualified, so a gen_server picks up new code at its next
callback, and ``sys.change_code`` lets it transform its state first (h2).

Here a module is a name (``'coffee'``) and each version is a Python
*namespace*: a module object (from a file or an import) or a class used as a
namespace (a notebook cell).  Behaviours call callbacks through
``_gen.resolve(mod)``; this module installs the resolver, so any namespace
that was ever a version of ``'coffee'`` resolves to the *current* version of
``'coffee'``: that is the fully qualified call.  The first time a behaviour
calls into a namespace the code server does not know, and whose name is free,
it is loaded as that name's current version (Erlang's autoload on first
call).  A namespace whose name is already taken by another one stays outside
the code server and runs itself (two unrelated ``class cb`` in one test do
not replace each other).

"Which process runs old code" is answered as Erlang answers it: by looking at
the process's *stack*.  ``check_process_code`` walks the frames of the
process's greenlet; a frame whose function belongs to the old version (its
globals are that module's, or its code object is one of that class's
functions) means the process still executes old code.  A gen_server waiting in
its receive loop has only generic frames on its stack, so it does not hold the
callback module's old code (as in OTP); a plain process blocked in
``receive`` inside ``coffee.payment`` does.

Python has no last-call optimisation: a ``while`` loop in version 1 that calls
``module('coffee').loop(s)`` leaves version 1's frame on the stack, exactly
like a *non*-tail call in Erlang.  For Erlang's tail calls use
:func:`tail_loop`: each state function *returns* the next call
``(fun, *args)`` and the generic driver makes it.  ``(payment, t, p, 0)`` is a
local call (same version); ``(module('coffee').code_change, extra)`` is a
fully qualified one.

Failure rule: loading returns ``('error', 'nofile' | 'badfile' | 'not_purged')``
(``not_purged`` from ``load_file``/``load_abs`` only; it also logs OTP's ERROR REPORT); a fully qualified call to a
missing function raises ``ErlangError('undef')`` ("undefined function
coffee:open/0").  ``purge`` kills (reason ``killed``) every process that still
runs old code; ``soft_purge`` refuses (``False``) instead.

Funs a process *holds* (in its state, its mailbox) are not looked at, as in
OTP 25 (ERTS >= 9 checks only the code a process executes;
tests/oracle_probes/ch23_funpurge.erl): such a process is neither counted by
``check_process_code`` / ``soft_purge`` nor killed by ``purge``.  Where
otp_lite is not OTP: after the purge, OTP's call of such a fun raises
``('badfun', F)``; a Python closure keeps its old code alive and runs it
(making it fail would mean finding and patching every closure of the old
version, which Python gives no safe way to do).  Nor is the calling process
ever killed by its own ``purge``.

Layout: this module is the API; ``_code_server`` holds the versions, the
server's state, the resolver, file loading and the stack walk behind
``check_process_code``.

See also: otp_lite.sys (suspend/change_code/resume), otp_lite.release_handler.
"""
from __future__ import annotations

import inspect
import os
import types

from . import _gen, erlang, logger, runtime
from .erlang import ErlangError
from .kernel import state as _state
from . import _code_server
from ._code_server import (Version, exec_file as _exec_file, file_digest as _file_digest, filename_of as _filename_of, find as _find,
                           install as _install, old_users as _old_users, runs as _runs, server as _server)

__all__ = ["load", "load_file", "load_abs", "load_binary", "soft_purge", "purge", "delete",
           "is_loaded", "which", "all_loaded", "ensure_loaded", "module_info", "module_status",
           "check_process_code", "check_old_code", "get_path", "add_patha", "add_pathz",
           "del_path", "lib_dir", "priv_dir", "module", "call", "latest", "tail_loop", "current", "old", "Version"]


# ================================================================ loading
def _check_name(name):
    if type(name) is not str or not name:
        raise ErlangError("badarg", f"a module name is a non-empty str (an atom), got {name!r}")


def _entry(name):
    """The code server's entry for module ``name``; a name that is no atom: OTP 25's
    ``function_clause`` (``code:is_loaded(42)``, tests/oracle_probes/ch23_bad_input_bifs.out)."""
    if type(name) is not str:
        raise ErlangError("function_clause", f"a module name is an atom (str), got {name!r}")
    return _server().entries.get(name)


def _dir(directory):
    if type(directory) is not str:      # code:add_patha(42): function_clause, as OTP 25
        raise ErlangError("function_clause", f"a directory is a str, got {directory!r}")
    return directory


def _load(name, ns, filename, purge_first=False):
    srv = _server()
    e = srv.entries.get(name)
    if e is not None and e.old is not None and e.current is not None:
        if purge_first:                         # c(M), code:load_binary: purge, then load
            purge(name)
        else:                                   # code:load_file, load_abs
            logger.error([f"Loading of {filename} failed: not_purged"], kind="error_report")
            return ("error", "not_purged")
    _install(srv, name, ns, filename)
    return ("module", name)


def _badfile(filename):
    logger.error([f"Loading of {filename} failed: badfile"], kind="error_report")   # as OTP's code_server
    return ("error", "badfile")


def load(ns, name=None):
    """Load a namespace (a module object, or a class from a notebook cell) as the
    new current version of ``name`` (default: its own name).

    Like the shell's ``c(M)``: old code still in use is purged first (its
    processes are killed).  -> ``('module', name)``.
    """
    if isinstance(ns, (str, bytes)):
        raise ErlangError("badarg", "load() takes a namespace; for source text use load_binary(name, filename, source)")
    if not hasattr(ns, "__dict__"):
        raise ErlangError("badarg", f"load() takes a namespace (a module or a class), got {ns!r}")
    name = name or _gen.module_name(ns)
    _check_name(name)
    return _load(name, ns, _filename_of(ns), purge_first=True)


def load_binary(name, filename, binary):
    """``code:load_binary``: ``binary`` is Python source text (or a namespace).  As in
    OTP, old code still in use is purged first (its processes are killed)."""
    _check_name(name)
    if not isinstance(binary, (str, bytes)):
        return _load(name, binary, filename, purge_first=True)
    mod = types.ModuleType(name)
    mod.__file__ = filename
    try:
        exec(compile(binary, filename, "exec"), mod.__dict__)
    except Exception:                               # noqa: BLE001 - SyntaxError included
        return _badfile(filename)
    return _load(name, mod, filename, purge_first=True)


def load_abs(filename):
    """Load ``filename`` (``.py`` may be left out) as module ``basename``."""
    _dir(filename)
    path = filename if filename.endswith(".py") else filename + ".py"
    path = os.path.abspath(path)
    name = os.path.basename(path)[:-3]
    if not os.path.isfile(path):
        return ("error", "nofile")
    mod = _exec_file(name, path)
    if mod is None:
        return _badfile(path)
    return _load(name, mod, path)


def load_file(name):
    """Find ``name.py`` on the code path (:func:`add_patha`) and load it."""
    _check_name(name)
    f = _find(name)
    return load_abs(f) if f else ("error", "nofile")


def ensure_loaded(name):
    """``('module', name)`` if loaded (or loadable from the path), else ``('error', 'nofile')``."""
    e = _entry(name)
    if e is not None and e.current is not None:
        return ("module", name)
    return load_file(name)


def get_path():
    return list(_server().path)


def add_patha(directory):
    """Put ``directory`` first on the code path; ``True`` or ``('error', 'bad_directory')``."""
    if not os.path.isdir(_dir(directory)):
        return ("error", "bad_directory")
    p = _server().path
    d = os.path.abspath(directory)
    if d in p:
        p.remove(d)
    p.insert(0, d)
    return True


def add_pathz(directory):
    if not os.path.isdir(_dir(directory)):
        return ("error", "bad_directory")
    p = _server().path
    d = os.path.abspath(directory)
    if d not in p:
        p.append(d)
    return True


def del_path(directory):
    p = _server().path
    d = os.path.abspath(_dir(directory))
    if d in p:
        p.remove(d)
        return True
    return False


# ================================================================ application directories
def _app_name_of(directory):
    """OTP ``code_server:get_name/1``: ``.../name-vsn/ebin`` (or ``.../name-vsn``) -> ``'name'``."""
    d = directory[:-5] if os.path.basename(directory) == "ebin" else directory
    return os.path.basename(d).split("-", 1)[0], d


def lib_dir(name, subdir=None):
    """``code:lib_dir(Name)``: the directory of application ``name``, found as OTP finds it,
    from the first code-path entry ``.../name[-vsn]/ebin`` (or ``.../name[-vsn]``), without
    its ``ebin``; ``code:lib_dir(Name, SubDir)`` joins ``subdir`` to it.  Unknown (or not a
    str) -> ``('error', 'bad_name')``.  Only the code path counts here: OTP's own
    applications (kernel, stdlib...) have no directory in otp_lite."""
    if type(name) is not str:
        return ("error", "bad_name")
    for p in _server().path:
        n, d = _app_name_of(p)
        if n == name:
            return d if subdir is None else os.path.join(d, subdir)
    return ("error", "bad_name")


def priv_dir(name):
    """``code:priv_dir(Name)``: ``lib_dir(name) + '/priv'`` (whether or not it exists, as in
    OTP 25), or ``('error', 'bad_name')``."""
    d = lib_dir(name)
    return d if type(d) is tuple else os.path.join(d, "priv")


# ================================================================ old code
def check_process_code(pid, name):
    """``True`` if ``pid`` still executes the *old* code of module ``name``."""
    e = _entry(name)
    if e is None or e.old is None:
        return False
    return _runs(pid, e.old, e.current)


def check_old_code(name):
    """``True`` if module ``name`` has old code."""
    e = _entry(name)
    return e is not None and e.old is not None


def soft_purge(name):
    """Remove old code unless a process still runs it: ``True`` | ``False``."""
    e = _entry(name)
    if e is None or e.old is None:
        return True
    if _old_users(e):
        return False
    e.old = None
    return True


def purge(name):
    """Remove old code, killing the processes that run it.

    ``True`` if some process had to be killed, else ``False`` (as OTP).
    """
    e = _entry(name)
    if e is None or e.old is None:
        return False
    me = _state.rt.current
    victims = [p for p in _old_users(e) if p is not me]
    for p in victims:
        erlang.exit(p, "kill")
    e.old = None
    if victims and _state.rt.trace is not None:
        runtime.emit("code_purge", module=name, killed=victims)
    return bool(victims)


def delete(name):
    """Make the current code old (calls then fail ``undef``); ``False`` if old code
    must be purged first (with OTP's ERROR REPORT) or nothing is loaded."""
    e = _entry(name)
    if e is None or e.current is None:
        return False
    if e.old is not None:
        logger.error([f"Module {name} must be purged before deleting"], kind="error_report")
        return False
    e.old, e.current = e.current, None
    return True


# ================================================================ queries
def current(name):
    """The current :class:`Version` of ``name`` (or ``None``)."""
    e = _entry(name)
    return e.current if e is not None else None


def old(name):
    e = _entry(name)
    return e.old if e is not None else None


def is_loaded(name):
    """``('file', filename)`` or ``False``."""
    v = current(name)
    return ("file", v.filename) if v is not None else False


def which(name):
    """Where the module's code comes from: a filename, ``'in_memory'`` or ``'non_existing'``."""
    v = current(name)
    if v is not None:
        return v.filename
    f = _find(name) if type(name) is str else None
    return f if f else "non_existing"


def all_loaded():
    return [(n, e.current.filename) for n, e in _server().entries.items() if e.current is not None]


def module_status(name):
    """``'not_loaded'`` | ``'loaded'`` | ``'modified'`` (the file changed since it was loaded)
    | ``'removed'`` (its file is gone), as OTP 25's ``code:module_status/1``."""
    v = current(name)
    if v is None:
        return "not_loaded"
    if v.digest is None:
        return "loaded"
    d = _file_digest(v.filename)
    return "removed" if d is None else "loaded" if d == v.digest else "modified"


def module_info(name, item="attributes"):
    """``M:module_info(attributes)``: ``[('vsn', [Vsn])]`` (plus behaviour, if declared)."""
    v = current(name)
    if v is None:
        raise ErlangError("undef", f"undefined function {name}:module_info/1")
    if item == "attributes":
        out = []
        b = getattr(v.ns, "behaviour", None)
        if isinstance(b, str):
            out.append(("behaviour", [b]))
        out.append(("vsn", [v.vsn]))
        return out
    if item == "module":
        return name
    if item == "exports":
        return sorted((k, _arity(f)) for k, f in vars(v.ns).items() if callable(f) and not k.startswith("_"))
    raise ErlangError("badarg", f"module_info item {item!r}: use 'attributes', 'module' or 'exports'")


def _arity(f):
    try:
        return len(inspect.signature(f).parameters)
    except (TypeError, ValueError):
        return 0


# ================================================================ fully qualified calls
class ExternalFun:
    """``fun M:F/A``: finds the current version of ``M`` each time it is called."""
    __slots__ = ("mod", "fun")

    def __init__(self, mod, fun):
        self.mod, self.fun = mod, fun

    def __call__(self, *args):
        return call(self.mod, self.fun, *args)

    def __repr__(self):
        return f"fun {self.mod}:{self.fun}"

    def __eq__(self, other):
        return type(other) is ExternalFun and (other.mod, other.fun) == (self.mod, self.fun)

    def __hash__(self):
        return hash((self.mod, self.fun))


class module:
    """A module by name: attribute access is a fully qualified call (``coffee:tea()``).

    ``module('coffee').tea()`` runs the current version's ``tea``; a function
    the current version lacks raises ``undef`` when called.
    """
    __slots__ = ("_name",)

    def __init__(self, name):
        _check_name(name)
        object.__setattr__(self, "_name", name)

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        v = current(self._name)
        if v is not None:
            val = getattr(v.ns, attr, None)
            if val is not None and not callable(val):
                return val
        return ExternalFun(self._name, attr)

    def __repr__(self):
        return f"module({self._name!r})"


def call(name, fun, *args):
    """``apply(M, F, Args)``: call ``fun`` in the current version of module ``name``."""
    _entry(name)
    if type(fun) is not str:
        raise ErlangError("badarg", f"a function name is an atom (str), got {fun!r}")
    v = current(name)
    if v is None and ensure_loaded(name)[0] == "module":
        v = current(name)
    f = getattr(v.ns, fun, None) if v is not None else None
    if f is None or not callable(f):
        raise ErlangError("undef", f"undefined function {name}:{fun}/{len(args)}")
    return f(*args)


def latest(ns):
    """The current version of the module that ``ns`` is a version of: Erlang's ``?MODULE:f()``
    written from inside the module (``ns`` itself until a newer version is loaded)."""
    return _gen.resolve(ns)


def tail_loop(fun, *args):
    """Run a process made of state functions, with Erlang's last-call optimisation.

    ``fun(*args)`` returns the next call as a tuple ``(fun2, *args2)``; the
    driver makes it once ``fun`` has returned, so no old frame stays on the
    stack.  Anything that is not such a tuple ends the loop and is returned.
    """
    step = (fun,) + args
    while type(step) is tuple and step and callable(step[0]):
        step = step[0](*step[1:])
    return step


_code_server.TAIL_LOOP_CODE = tail_loop.__code__
