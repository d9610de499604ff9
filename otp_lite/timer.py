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


def apply_after(ms, fun, *args):
    """Spawn ``fun(*args)`` after ``ms`` (as timer:apply_after does)."""
    rt = _rt()
    e = rt.add_timer(ms, CALL, lambda: erlang.spawn(fun, *args), (), owner=rt.current)
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
