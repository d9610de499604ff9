"""Concuerror's verdict for an otp_lite test: the ports' common harness.

Concuerror runs a test function as the first process of a fresh system and
calls an interleaving *erroneous* when a process exits abnormally (any
reason but ``normal``, or those given ``--treat_as_normal``) or when, at the
end, a process is still blocked in a ``receive`` nothing will ever satisfy
(a deadlock).  :func:`concuerror_test` gives ``otp_lite.explore`` the same
verdict: the shell spawns ``main`` (the Erlang test function, as a process
of its own, so its own exit is an event as in Concuerror: it unlinks,
unregisters, signals its links), waits until every process has ended or
blocks with no timer pending, and raises ``AssertionError`` naming the first
abnormal exit, else the processes left blocked.

``setup`` runs in the shell first (its result is passed to ``main``); the
ETS tests create their table there, so the table outlives ``main`` without
the ``receive after infinity`` the Erlang originals end with to keep theirs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from otp_lite import erlang, logger, runtime
from otp_lite.erlang import Deadlock


@dataclass(frozen=True)
class Port:
    """One of Concuerror's test programs, rewritten for otp_lite."""
    name: str
    concuerror_source: str          # path in github.com/parapluu/Concuerror
    function: str                   # the test function there (Concuerror's -t)
    expected: str                   # 'bug' or 'no bug'
    test: Callable[[], None]
    kind: str = ""                  # message order, registry, ets, monitor, exit signal, ...
    needs: str | None = None        # a choice point otp_lite.explore does not have yet
    after_timeout: int | None = None    # explore.run's after_timeout (Concuerror's --after_timeout)
    concuerror_flags: tuple = ()    # extra flags for Concuerror on the original
    note: str = ""

    @property
    def module(self):
        return self.concuerror_source.rsplit("/", 1)[-1][:-4]


def concuerror_test(main, *, normal=("normal",), setup=None):
    """A test function (no arguments) for ``explore.run``: run ``main`` as a process,
    fail as Concuerror does (abnormal exit, or deadlock at the end).

    ``normal``: the exit reasons that are not errors (Concuerror's
    ``--treat_as_normal``)."""
    def test():
        exits = []

        def watch(ev):
            if ev["kind"] == "exit":
                exits.append((ev["pid"], ev["reason"]))

        runtime.subscribe(watch)
        try:
            with logger.capture():
                args = () if setup is None else (setup(),)
                erlang.spawn(main, *args)
                _settle()
        finally:
            runtime.unsubscribe(watch)
        for pid, reason in exits:
            if reason not in normal:
                raise AssertionError(f"{pid!r} exited abnormally: {reason!r}")
        me = erlang.self()
        blocked = [p for p in erlang.processes() if p != me]
        if blocked:
            raise AssertionError(f"deadlock: {', '.join(map(repr, blocked))} blocked in receive "
                                 f"at the end")
    return test


def _settle():
    """Wait (in the shell) until every process has ended or waits with no timer pending."""
    try:
        erlang.receive(erlang.make_ref())       # nobody can send it: ends in Deadlock
    except Deadlock:
        pass
