"""Timers: mirrors OTP 25's ``timer`` module.

``timer.sleep(ms)`` suspends the caller; on the virtual clock it takes no wall
time.  ``send_after``/``cancel`` are the ``erlang`` BIFs with timer-module
return shapes (``('ok', tref)``); ``send_interval``/``apply_interval`` repeat
every ``ms`` until ``cancel``; ``exit_after``/``kill_after`` send an exit
signal later.  As in OTP, a bad time (a negative number, a float, not a
number) or a bad function is ``('error', 'badarg')``, never an exception;
``seconds('x')`` is ``badarith`` and ``tc(42)`` ``('badfun', 42)``, as there
(tests/oracle_probes/ch5_timer.erl, with its output).
"""
from __future__ import annotations

from . import erlang
from .erlang import _rt
from .kernel.process import Pid
from .kernel.terms import TIMEOUT, Ref
from .kernel.timers import CALL

__all__ = ["sleep", "send_after", "send_interval", "apply_after", "apply_interval", "cancel",
           "exit_after", "kill_after", "seconds", "minutes", "hours", "hms", "tc"]

BADARG = ("error", "badarg")


def _good_time(ms):
    return type(ms) is int and ms >= 0


def _good_dest(dest):
    return type(dest) is Pid or type(dest) is str


def sleep(ms):
    """Suspend the calling process for ``ms`` milliseconds (``'infinity'`` allowed)."""
    if not (_good_time(ms) or ms == "infinity"):
        raise erlang.ErlangError("timeout_value", f"timer.sleep({ms!r}): not a number of ms")
    rt = _rt()
    marker = object()
    # a receive that can never match: only the timeout ends it
    r = rt.receive((lambda m: m is marker,), ms)
    assert r is TIMEOUT
    return "ok"


_NONE = object()


def send_after(ms, dest, msg=_NONE):
    """``('ok', tref)``: send ``msg`` to ``dest`` after ``ms``; ``send_after(ms, msg)``: to the caller."""
    if msg is _NONE:
        dest, msg = erlang.self(), dest
    if not _good_time(ms) or not _good_dest(dest):
        return BADARG
    return ("ok", erlang.send_after(ms, dest, msg))


def send_interval(ms, dest, msg=_NONE):
    """``('ok', tref)``: send ``msg`` to ``dest`` every ``ms`` until ``cancel(tref)``
    (``send_interval(ms, msg)``: to the caller).  It stops by itself when ``dest`` is a
    pid that has died (OTP links the interval to it)."""
    if msg is _NONE:
        dest, msg = erlang.self(), dest
    if not _good_time(ms) or not _good_dest(dest):
        return BADARG
    rt = _rt()
    owner = rt.current

    def tick():
        if type(dest) is Pid and not dest.alive:
            return False                                # the interval dies with its destination
        to = _whereis(rt, owner, dest)
        if to is not None and to.alive:
            rt.deliver(to, msg, owner)
        return True

    return _interval(rt, owner, ms, tick)


def cancel(tref):
    """``('ok', 'cancel')``, also for a fired timer; ``('error', 'badarg')`` for a non-timer."""
    try:
        erlang.cancel_timer(tref)
    except erlang.ErlangError:
        return ("error", "badarg")
    return ("ok", "cancel")


def _apply(module, function, args):
    """``erlang:apply(M, F, A)`` in the process ``apply_after`` spawns: undef if there is no such function."""
    return erlang.apply(module, function, args)


def apply_after(ms, fun, *args):
    """Spawn ``fun(*args)`` after ``ms`` (as timer:apply_after does).

    The Erlang form ``apply_after(ms, module, 'function', [args])`` works too
    (``module`` a module, a namespace or its name): as in OTP, a function that
    does not exist makes the spawned process exit with ``undef``, never the
    caller or the scheduler.
    """
    start = _starter(fun, args)
    if start is None or not _good_time(ms):
        return BADARG
    rt = _rt()
    e = rt.add_timer(ms, CALL, start, (), owner=rt.current)
    return ("ok", e.ref)


def apply_interval(ms, fun, *args):
    """Spawn ``fun(*args)`` (or ``module.function(*args)``: the Erlang form) every ``ms``
    until ``cancel``; the interval ends when the process that set it up exits (OTP
    links it to the caller)."""
    start = _starter(fun, args)
    if start is None or not _good_time(ms):
        return BADARG
    rt = _rt()
    owner = rt.current

    def tick():
        if owner is not None and not owner.alive:
            return False                                # the interval dies with its caller
        start()
        return True

    return _interval(rt, owner, ms, tick)


def _interval(rt, owner, ms, tick):
    """Call ``tick()`` every ``ms`` (one timer ref for the whole interval, so ``cancel``
    stops it) until it returns False."""
    def fire():
        if tick():
            rt.add_timer(ms, CALL, fire, (), owner=owner, ref=tref)

    tref = Ref()
    rt.add_timer(ms, CALL, fire, (), owner=owner, ref=tref)
    return ("ok", tref)


def _whereis(rt, owner, dest):
    return dest if type(dest) is Pid else (owner.node if owner is not None else rt.node0).names.get(dest)


def _starter(fun, args):
    """What a timer calls to spawn the function, or None for a bad function (badarg)."""
    if len(args) == 2 and type(args[0]) is str and type(args[1]) is list and not callable(fun) \
            and (type(fun) is str or hasattr(fun, "__dict__")):
        mfa = (fun, args[0], args[1])
        return lambda: erlang.spawn(_apply, *mfa)                  # noqa: E731
    if callable(fun):
        return lambda: erlang.spawn(fun, *args)                    # noqa: E731
    return None


def exit_after(ms, target, reason=_NONE):
    """``('ok', tref)``: ``erlang.exit(target, reason)`` after ``ms``
    (``exit_after(ms, reason)``: the caller)."""
    if reason is _NONE:
        target, reason = erlang.self(), target
    if not _good_time(ms) or not _good_dest(target):
        return BADARG
    rt = _rt()
    owner = rt.current

    def fire():
        pid = _whereis(rt, owner, target)
        if pid is not None and pid.alive:
            rt.exit_signal(pid, owner, reason, direct=True)

    e = rt.add_timer(ms, CALL, fire, (), owner=owner)
    return ("ok", e.ref)


def kill_after(ms, target=_NONE):
    """``exit_after(ms, target, 'kill')`` (``kill_after(ms)``: the caller)."""
    if target is _NONE:
        target = erlang.self()
    return exit_after(ms, target, "kill")


def _times(n, k, what):
    if type(n) not in (int, float):
        raise erlang.ErlangError("badarith", f"timer.{what}({n!r}): not a number")
    return n * k


def seconds(n):
    return _times(n, 1000, "seconds")


def minutes(n):
    return _times(n, 60_000, "minutes")


def hours(n):
    return _times(n, 3_600_000, "hours")


def hms(h, m, s):
    """Milliseconds in ``h`` hours, ``m`` minutes and ``s`` seconds."""
    return hours(h) + minutes(m) + seconds(s)


def tc(fun, *args):
    """(elapsed microseconds on the runtime clock, result); ``tc(module, 'function', [args])``
    is the Erlang form.  A non-function is ``('badfun', fun)``, as in OTP."""
    if len(args) == 2 and type(args[0]) is str and type(args[1]) is list and not callable(fun):
        module, name, argv = fun, args[0], args[1]
        fun, args = (lambda: _apply(module, name, argv)), ()
    if not callable(fun):
        raise erlang.ErlangError(("badfun", fun), f"timer.tc({fun!r}): not a function")
    t0 = erlang.monotonic_time("microsecond")
    r = fun(*args)
    return (erlang.monotonic_time("microsecond") - t0, r)
