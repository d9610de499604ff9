"""Link and monitor races: a link to a process that may be gone, a 'DOWN' that may
or may not be there yet, a demonitor before or after it arrived.

Rewritten from Concuerror's tests (the file and function named in each ``Port``).
"""
from otp_lite import erlang
from otp_lite.erlang import ANY, TIMEOUT

from .harness import Port, concuerror_test


def _poll(*patterns):
    return erlang.receive(*patterns, timeout=0)


# sched_tests.erl, test_spawn_link_race: link to a process that may have ended:
# noproc, and the caller does not trap exits.
def spawn_link_race():
    pid = erlang.spawn(lambda: None)
    erlang.link(pid)


# monitor_missing_messages.erl: a 'DOWN' may already be in the mailbox.
def monitor_missing_messages():
    erlang.spawn_monitor(lambda: None)
    if _poll() is not TIMEOUT:
        erlang.throw("boo")


# demonitor_exhaustive.erl, parent_none: poll for the 'DOWN', demonitor, poll again;
# the assertion "received before or after" breaks when the demonitor comes before
# the child has ended (the 'DOWN' is never sent).
def demonitor_parent_none():
    pid, ref = erlang.spawn_monitor(lambda: None)
    down = ("DOWN", ref, "process", pid, ANY)
    before = _poll(down) is not TIMEOUT
    assert erlang.demonitor(ref) is True
    after = _poll(down) is not TIMEOUT
    assert not (before and after), "received both before and after"
    assert before or after, "the 'DOWN' was never received (demonitor before the exit)"


# monitor_demonitor.erl: demonitor without flush; when the 'DOWN' came first the
# process waits for a message nobody sends: a deadlock in some interleavings.
def monitor_demonitor():
    pid1 = erlang.spawn(erlang.receive, "ok")

    def watcher():
        erlang.send(pid1, "ok")
        ref = erlang.monitor("process", pid1)
        erlang.receive(("DOWN", ref, "process", pid1, "normal"))

    erlang.spawn(watcher)
    pid3 = erlang.spawn(erlang.receive, "ok")

    def demonitorer():
        ref = erlang.monitor("process", pid3)
        erlang.send(pid3, "ok")
        erlang.demonitor(ref)
        if _poll(("DOWN", ref, "process", pid3, "normal")) is not TIMEOUT:
            erlang.receive("deadlock")

    erlang.spawn(demonitorer)


# demonitor_flush.erl, test6: whatever the order, demonitor with flush leaves no
# 'DOWN' behind: no bug.
def demonitor_flush():
    me = erlang.self()

    def sender():
        erlang.send(me, "ok")
        erlang.send(me, "go")

    erlang.spawn(sender)
    pid, ref = erlang.spawn_monitor(lambda: None)
    erlang.receive("go")
    _poll(("DOWN", ref, "process", pid, ANY))
    erlang.demonitor(ref, flush=True)
    m = _poll("ok", ("DOWN", ref, "process", pid, ANY))
    assert m == "ok" or m is TIMEOUT, f"impossible: {m!r}"


PORTS = [
    Port("spawn_link_race", "tests/suites/basic_tests/src/sched_tests.erl", "test_spawn_link_race",
         "bug", concuerror_test(spawn_link_race), "link"),
    Port("monitor_missing_messages", "tests/suites/basic_tests/src/monitor_missing_messages.erl",
         "monitor_missing_messages", "bug", concuerror_test(monitor_missing_messages), "monitor"),
    Port("demonitor_parent_none", "tests/suites/basic_tests/src/demonitor_exhaustive.erl",
         "parent_none", "bug", concuerror_test(demonitor_parent_none), "monitor",
         note="pct (depth 3) misses it: its 2 change points fall among the 3 choice points of "
              "this program and one always lowers the test process before its demonitor; "
              "depth=1 finds it within 5 (seeds 0..4)"),
    Port("monitor_demonitor", "tests/suites/basic_tests/src/monitor_demonitor.erl",
         "monitor_demonitor", "bug", concuerror_test(monitor_demonitor), "monitor, deadlock"),
    Port("demonitor_flush", "tests/suites/basic_tests/src/demonitor_flush.erl", "test6",
         "no bug", concuerror_test(demonitor_flush), "monitor"),
]
