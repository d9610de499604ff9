"""Your own behaviours: the ``-callback`` declarations of Erlang, checked at start; book ch. 10.

==============================================  ==========================================
Erlang                                          otp_lite.behaviour
==============================================  ==========================================
``-callback init_request() -> ...``             ``define('tcp_wrapper', required=[``
``-callback get_request(D, L) -> ...``              ``('init_request', 0), ('get_request', 2),``
``-optional_callbacks([format_status/2])``          ...], optional=[('format_status', 2)])``
``-behaviour(tcp_wrapper).`` in the callback    ``behaviour = 'tcp_wrapper'`` in the namespace
  module (compiler warns on a missing callback)   (optional; :func:`check` reads it)
``tcp_wrapper:behaviour_info(callbacks)``       ``behaviour_info('tcp_wrapper', 'callbacks')``
==============================================  ==========================================

Erlang checks ``-behaviour`` only at *compile* time, and only with a warning
(``Warning: undefined callback function get_request/2 (behaviour
'tcp_wrapper')``, erlang_ref g3 shows the related "behaviour tcp_wrapper
undefined" warning); the missing function then fails at run time with
``undef`` deep inside the generic code.  Python has no compile step we own,
so the generic side of a behaviour calls :func:`check` in its ``start`` /
``start_link``, before spawning, and a learner gets the compiler's sentence
as an error, in the caller, at once.

A callback is a name, or ``(name, arity)``; with an arity the function must
accept that many positional arguments (``*args`` and defaults are fine).
The OTP behaviours of otp_lite are declared here too, so
``check(my_module, 'gen_server')`` tells you what your server lacks.

Failure rule: :func:`check` raises ``ErlangError(('undefined_callbacks',
behaviour, [(name, arity), ...]))``, its message listing every missing or
mis-sized callback; an unknown behaviour name raises ``('undefined_behaviour',
name)``.

See also: examples/ch10/tcp_wrapper.py (a whole behaviour on proc_lib + sys).
"""
from __future__ import annotations

import inspect

from . import _gen
from .erlang import ErlangError

__all__ = ["define", "lookup", "check", "missing", "behaviour_info", "Behaviour"]


class Behaviour:
    """A declared behaviour: its name and its required and optional callbacks."""
    __slots__ = ("name", "required", "optional")

    def __init__(self, name, required, optional):
        self.name = name
        self.required = [_norm(c) for c in required]
        self.optional = [_norm(c) for c in optional]

    def __repr__(self):
        return f"<behaviour {self.name}: {len(self.required)} callbacks, {len(self.optional)} optional>"

    def behaviour_info(self, what):
        if what == "callbacks":
            return [(n, a) for n, a in self.required + self.optional]
        if what == "optional_callbacks":
            return list(self.optional)
        raise ErlangError("function_clause", f"behaviour_info({what!r}): ask for 'callbacks' or 'optional_callbacks'")

    def missing(self, mod):
        """``[(name, arity, why)]`` for every required callback ``mod`` lacks or cannot take."""
        out = []
        for name, arity in self.required:
            f = getattr(mod, name, None)
            if f is None or not callable(f):
                out.append((name, arity, "undefined"))
            elif arity is not None and not _accepts(f, arity):
                out.append((name, arity, "arity"))
        for name, arity in self.optional:
            f = getattr(mod, name, None)
            if f is not None and callable(f) and arity is not None and not _accepts(f, arity):
                out.append((name, arity, "arity"))
        return out

    def check(self, mod):
        """Return ``mod`` if it implements this behaviour, else raise (see the module doc)."""
        bad = self.missing(mod)
        if not bad:
            return mod
        m = _gen.module_name(mod)
        lines = []
        for name, arity, why in bad:
            sig = f"{name}/{arity}" if arity is not None else name
            if why == "undefined":
                lines.append(f"undefined callback function {sig} (behaviour '{self.name}')")
            else:
                lines.append(f"callback {m}.{name} cannot be called with {arity} argument(s) "
                             f"(behaviour '{self.name}' calls it that way)")
        raise ErlangError(("undefined_callbacks", self.name, [(n, a) for n, a, _ in bad]),
                          f"{m} does not implement behaviour '{self.name}': " + "; ".join(lines)
                          + ". Define the missing functions in the callback namespace.")


def _norm(c):
    if isinstance(c, str):
        return (c, None)
    if type(c) is tuple and len(c) == 2 and isinstance(c[0], str) and (c[1] is None or type(c[1]) is int):
        return c
    raise ErlangError("badarg", f"a callback is 'name' or ('name', arity), got {c!r}")


def _accepts(f, n):
    try:
        sig = inspect.signature(f)
    except (TypeError, ValueError):
        return True
    try:
        sig.bind(*range(n))
        return True
    except TypeError:
        return False


_registry = {}


def define(name, required=(), optional=()):
    """Declare behaviour ``name``; returns the :class:`Behaviour` (redefining replaces it)."""
    if not isinstance(name, str) or not name:
        raise ErlangError("badarg", f"a behaviour name is a non-empty str, got {name!r}")
    b = Behaviour(name, required, optional)
    _registry[name] = b
    return b


def lookup(name):
    b = _registry.get(name) if isinstance(name, str) else name if isinstance(name, Behaviour) else None
    if b is None:
        raise ErlangError(("undefined_behaviour", name),
                          f"no behaviour {name!r} is defined; declare it with behaviour.define({name!r}, required=[...])")
    return b


def check(mod, behaviour=None):
    """Check ``mod`` against ``behaviour`` (a name or Behaviour; default: ``mod.behaviour``)."""
    if behaviour is None:
        behaviour = getattr(mod, "behaviour", None)
        if behaviour is None:
            raise ErlangError("badarg", f"{_gen.module_name(mod)} names no behaviour: pass one, or set behaviour = 'name' in it")
    return lookup(behaviour).check(mod)


def missing(mod, behaviour):
    return [(n, a) for n, a, _ in lookup(behaviour).missing(mod)]


def behaviour_info(behaviour, what="callbacks"):
    return lookup(behaviour).behaviour_info(what)


# The OTP behaviours of otp_lite (OTP 25's -callback lists, Python arities).
define("gen_server", [("init", 1), ("handle_call", 3), ("handle_cast", 2)],
       [("handle_info", 2), ("handle_continue", 2), ("terminate", 2), ("code_change", 3), ("format_status", 2)])
define("gen_statem", [("init", 1)],
       [("callback_mode", None), ("terminate", 3), ("code_change", 4), ("format_status", 2), ("handle_event", 4)])
define("gen_fsm", [("init", 1), ("handle_event", 3), ("handle_sync_event", 4), ("handle_info", 3),
                   ("terminate", 3), ("code_change", 4)], [("format_status", 2)])
define("gen_event", [("init", 1), ("handle_event", 2), ("handle_call", 2)],
       [("handle_info", 2), ("terminate", 2), ("code_change", 3), ("format_status", 2)])
define("supervisor", [("init", 1)])
define("application", [("start", 2), ("stop", 1)], [("prep_stop", 1), ("config_change", 3), ("start_phase", 3)])
