"""Timers: mirrors OTP ``timer`` (the parts the book uses).

``timer.sleep(ms)`` suspends the caller; on the virtual clock it takes no wall
time.  ``send_after``/``cancel`` are the ``erlang`` BIFs with timer-module
return shapes (``('ok', tref)``).
"""
from __future__ import annotations

from . import erlang
from .erlang import _rt
from .kernel.terms import TIMEOUT
from .kernel.timers import CALL

__all__ = ["sleep", "send_after", "cancel", "apply_after", "seconds", "minutes", "hours", "tc"]


def sleep(ms):
    """Suspend the calling process for ``ms`` milliseconds (``'infinity'`` allowed)."""
    rt = _rt()
    p = rt.current
    marker = object()
    # a receive that can never match: only the timeout ends it
    r = rt.receive((lambda m: m is marker,), ms)
    assert r is TIMEOUT
    return "ok"


def send_after(ms, dest, msg=None):
    if msg is None:
        dest, msg = erlang.self(), dest
    return ("ok", erlang.send_after(ms, dest, msg))


def cancel(tref):
    """``('ok', 'cancel')``, also for a fired timer; ``('error', 'badarg')`` for a non-timer."""
    try:
        erlang.cancel_timer(tref)
    except erlang.ErlangError:
        return ("error", "badarg")
    return ("ok", "cancel")


def _apply(module, function, args):
    """``erlang:apply(M, F, A)`` in the process ``apply_after`` spawns: undef if there is no such function."""
    import importlib
    mod = module
    if type(module) is str:
        try:
            mod = importlib.import_module(module)
        except ImportError:
            mod = None
    f = getattr(mod, function, None) if mod is not None and type(function) is str else None
    if not callable(f):
        raise erlang.ErlangError("undef", f"{module}:{function}/{len(args)} is not defined")
    return f(*args)


def apply_after(ms, fun, *args):
    """Spawn ``fun(*args)`` after ``ms`` (as timer:apply_after does).

    The Erlang form ``apply_after(ms, module, 'function', [args])`` works too
    (``module`` a module, a namespace or its name): as in OTP, a function that
    does not exist makes the spawned process exit with ``undef``, never the
    caller or the scheduler.
    """
    rt = _rt()
    if len(args) == 2 and type(args[0]) is str and type(args[1]) is list and not callable(fun):
        mfa = (fun, args[0], args[1])
        start = lambda: erlang.spawn(_apply, *mfa)                 # noqa: E731
    elif callable(fun):
        start = lambda: erlang.spawn(fun, *args)                   # noqa: E731
    else:
        raise erlang.ErlangError("badarg", f"apply_after({ms!r}, {fun!r}, ...): expected a function, "
                                 "or a module, a function name and a list of arguments")
    e = rt.add_timer(ms, CALL, start, (), owner=rt.current)
    return ("ok", e.ref)


def seconds(n):
    return n * 1000


def minutes(n):
    return n * 60_000


def hours(n):
    return n * 3_600_000


def tc(fun, *args):
    """(elapsed microseconds on the runtime clock, result)."""
    t0 = erlang.monotonic_time("microsecond")
    r = fun(*args)
    return (erlang.monotonic_time("microsecond") - t0, r)
