"""Concuerror's own test programs, rewritten for otp_lite (bench/explore/ports, issue 26).

Every known bug is found within a budget counted in schedules (no timing), the
schedule replays the same failure, and the bug-free programs are explored
exhaustively (delay bound 2) with no false alarm.  The failures are OTP 25's
(tests/oracle_probes/x_bench_ports.erl forces them by hand in erl).  Ports that
need a choice point explore does not have yet are expected failures until it
has them (bench/explore/README.md: "needs").
"""
import inspect
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.explore.ports import BY_NAME, PORTS                      # noqa: E402
from bench.explore.ports.harness import concuerror_test             # noqa: E402
from otp_lite import erlang, explore, runtime                       # noqa: E402

BUGS = [p.name for p in PORTS if p.expected == "bug" and not p.needs]
NEEDS = [p.name for p in PORTS if p.needs]
CLEAN = [p.name for p in PORTS if p.expected == "no bug"]
BUDGET = 30         # delay-bounded DFS finds each within 23 schedules (keep_going: 23)


def test_the_ports_cover_concuerrors_kinds_of_race():
    assert len(PORTS) >= 12 and len(BUGS) >= 12 and len(CLEAN) >= 3
    kinds = " ".join(p.kind for p in PORTS)
    for kind in ("message order", "registry", "ets", "link", "monitor", "exit signal",
                 "deadlock", "timeout", "trap_exit"):
        assert kind in kinds, kind
    for p in PORTS:
        assert p.expected in ("bug", "no bug"), p
        assert p.concuerror_source.startswith("tests/suites/") and p.concuerror_source.endswith(".erl")
        assert p.function and p.module


def _opts(name):
    """A port's own explore options: with ``after_timeout``, the early timeout is one delay more."""
    at = BY_NAME[name].after_timeout
    return {"delays": 3, "after_timeout": at} if at else {"delays": 2}


@pytest.mark.parametrize("name", BUGS)
def test_exploration_finds_the_bug_within_budget(name):
    t = BY_NAME[name].test
    r = explore.run(t, strategy="dfs", runs=BUDGET, shrink=False, **_opts(name))
    assert r.found, f"{name}: {r}"
    assert r.runs <= BUDGET and r.distinct == r.runs
    again = explore.replay(t, r.schedule)           # (the schedule carries after_timeout)
    assert again.found and str(again.error) == str(r.error)


@pytest.mark.parametrize("name", CLEAN)
def test_a_bug_free_port_is_exhausted_without_false_alarm(name):
    r = explore.run(BY_NAME[name].test, strategy="dfs", delays=2, runs=300, shrink=False)
    assert not r.found, str(r)
    assert r.exhausted and r.distinct == r.runs, f"{name}: not exhausted in {r.runs}"


# partial-order reduction (explore.run's ``por``, once it has one) must keep every bug
# reachable and every bug-free port clean: a missed race here is an unsound reduction
HAS_POR = "por" in inspect.signature(explore.run).parameters


@pytest.mark.skipif(not HAS_POR, reason="explore.run has no partial-order reduction yet")
@pytest.mark.parametrize("name", BUGS)
def test_partial_order_reduction_keeps_every_bug(name):
    r = explore.run(BY_NAME[name].test, strategy="dfs", runs=BUDGET, shrink=False,
                    por=True, **_opts(name))
    assert r.found, f"{name}: POR {'exhausted' if r.exhausted else 'ran'} {r.runs} without it"


@pytest.mark.skipif(not HAS_POR, reason="explore.run has no partial-order reduction yet")
@pytest.mark.parametrize("name", CLEAN)
def test_partial_order_reduction_gives_no_false_alarm(name):
    full = explore.run(BY_NAME[name].test, strategy="dfs", delays=2, runs=300, shrink=False,
                       por=False)
    r = explore.run(BY_NAME[name].test, strategy="dfs", delays=2, runs=300, shrink=False, por=True)
    assert not r.found and r.exhausted and r.runs <= full.runs, str(r)


@pytest.mark.parametrize("name", NEEDS)
@pytest.mark.xfail(reason="needs a choice point explore does not have yet (Port.needs)", strict=False)
def test_a_port_that_needs_a_new_choice_point(name):
    r = explore.run(BY_NAME[name].test, strategy="dfs", runs=200, shrink=False, **_opts(name))
    assert r.found, f"{name} needs {BY_NAME[name].needs}"


@pytest.mark.parametrize("name, reason", [
    ("spawn_link_race", "'noproc'"),              # link/1 to an ended process
    ("spawn_register_race", "'badarg'"),          # send to a name not registered yet
    ("registered_send_1", "'badarg'"),
    ("is_process_alive_1", "'badarg'"),           # register of an ended pid
    ("link_receive_exit", "deadlock"),            # the normal signal came before the trap
    ("demonitor_parent_none", "never received"),  # demonitor before the exit: no 'DOWN'
])
def test_the_failures_are_otps(name, reason):
    r = explore.run(BY_NAME[name].test, strategy="dfs", delays=2, runs=BUDGET)
    assert r.found and reason in str(r.reason), str(r)


# ------------------------------------------------------------ the harness itself
def _plain(test):
    runtime.reset()
    try:
        test()
    finally:
        runtime.reset()


def test_the_harness_fails_on_an_abnormal_exit_of_any_process():
    def main():
        erlang.spawn(erlang.exit, "boom")
    with pytest.raises(AssertionError, match=r"<0\.82\.0> exited abnormally: 'boom'"):
        _plain(concuerror_test(main))


def test_the_harness_fails_on_a_process_left_blocked():
    def main():
        erlang.spawn(erlang.receive, "never")
    with pytest.raises(AssertionError, match=r"deadlock: <0\.82\.0> blocked"):
        _plain(concuerror_test(main))


def test_the_harness_treats_the_given_reasons_as_normal():
    def main():
        erlang.exit("die")
    _plain(concuerror_test(main, normal=("normal", "die")))
    with pytest.raises(AssertionError, match="exited abnormally: 'die'"):
        _plain(concuerror_test(main))


def test_the_harness_waits_for_timers():
    def main():
        erlang.receive(timeout=500)               # ends after 500 virtual ms: no deadlock
        erlang.spawn(erlang.exit, "late")
    with pytest.raises(AssertionError, match="'late'"):
        _plain(concuerror_test(main))


def test_the_setup_runs_in_the_shell_and_its_table_outlives_main():
    from otp_lite import ets

    def main(tab):
        ets.insert(tab, ("k", 1))

    def setup():
        return ets.new("table", ["public", "named_table"])

    seen = []
    t = concuerror_test(main, setup=setup)

    def test():
        t()
        seen.append(ets.lookup("table", "k"))
    _plain(test)
    assert seen == [[("k", 1)]]


def test_trigger_the_after_needs_its_option():
    """Without after_timeout the after never beats a runnable sender: no failure."""
    p = BY_NAME["trigger_the_after"]
    assert p.after_timeout == 1000 and not p.needs
    r = explore.run(p.test, strategy="dfs", delays=3, runs=300, shrink=False)
    assert not r.found and r.exhausted, str(r)
    r = explore.run(p.test, strategy="dfs", delays=3, runs=BUDGET, after_timeout=p.after_timeout)
    assert r.found and r.schedule.startswith("a1000:") and "'one'" in str(r.reason), str(r)
