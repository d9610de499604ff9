"""Concuerror's own test programs, rewritten for otp_lite.explore (issue 26).

Each module holds a few programs of one kind; each program is a ``Port``
(harness.py): its name, the Concuerror file and function it comes from, the
expected verdict ('bug' or 'no bug'), and the test function, which fails as
Concuerror does (an abnormal exit, or a deadlock at the end).
``bench/explore/concuerror.py`` measures them; ``tests/test_explore_ports.py``
checks them.
"""
from . import ets_races, exits, messages, monitors, registry, timeouts

PORTS = [*messages.PORTS, *registry.PORTS, *ets_races.PORTS, *monitors.PORTS, *exits.PORTS,
         *timeouts.PORTS]
BY_NAME = {p.name: p for p in PORTS}
assert len(BY_NAME) == len(PORTS), "two ports share a name"
