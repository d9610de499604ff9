"""Exit-signal races and trap_exit: a link made, a flag set, a process ended one step
too early or too late.

Rewritten from Concuerror's tests (the file and function named in each ``Port``).
"""
from otp_lite import erlang
from otp_lite.erlang import ANY, TIMEOUT

from .harness import Port, concuerror_test

SCHED = "tests/suites/basic_tests/src/sched_tests.erl"


def _trap():
    erlang.process_flag("trap_exit", True)


# sched_tests.erl, test_trap_exit_timing: the child's 'EXIT' arrives while the
# parent still traps exits, before it turns trapping off.
def trap_exit_timing():
    _trap()
    pid = erlang.spawn_link(lambda: None)
    erlang.process_flag("trap_exit", False)
    m = erlang.receive(("EXIT", pid, "normal"), timeout=0)
    assert m is TIMEOUT, f"got {m!r}"


# process_flag_link.erl: a trapping process expects 'message' first, but the
# 'EXIT' of a process that linked to it and ended can come first.
def process_flag_link():
    me = erlang.self()
    _trap()
    erlang.spawn(erlang.send, me, "message")
    erlang.spawn(erlang.link, me)
    m1 = erlang.receive()
    erlang.receive()
    assert m1 == "message", f"first message {m1!r}"


# link_after.erl: P1 traps exits and polls its mailbox once; the test process links
# to it and ends: its 'EXIT' may be there when P1 polls.
def link_after():
    def p1():
        _trap()
        if erlang.receive(timeout=0) is not TIMEOUT:
            erlang.throw("untrapped")

    pid = erlang.spawn(p1)
    try:
        erlang.link(pid)
    except erlang.ErlangError:
        pass


# irrelevant_send.erl: two linked children end; the first 'EXIT' may be P2's.
def irrelevant_send():
    _trap()
    p1 = erlang.spawn_link(lambda: None)
    p2 = erlang.spawn_link(lambda: None)
    m = erlang.receive(("EXIT", p1, "normal"), ("EXIT", p2, "normal"))
    if m[1] == p2:
        erlang.throw("error")


# sched_tests.erl, test_link_receive_exit: the child traps exits and waits for the
# parent's 'EXIT'; when the parent links and ends before the child traps, the
# signal (normal) is ignored and the child waits for ever: a deadlock.
def link_receive_exit():
    def child():
        _trap()
        erlang.receive(("EXIT", ANY, "normal"))

    pid = erlang.spawn(child)
    erlang.link(pid)


# exit_kill.erl: a linked child ends with exit(kill); a trapping parent gets
# ('EXIT', child, 'kill') (kill as an exit reason is not the untrappable signal):
# no bug.
def exit_kill():
    _trap()
    child = erlang.spawn_link(erlang.exit, "kill")
    erlang.receive(("EXIT", child, "kill"))


# messed_deliveries.erl: two processes send exit(P, die) to a trapping process
# while it sends to a third that polls once: no bug.
def messed_deliveries():
    me = erlang.self()
    _trap()
    q = erlang.spawn(lambda: erlang.receive(timeout=0))
    erlang.spawn(erlang.exit, me, "die")
    erlang.spawn(erlang.exit, me, "die")
    erlang.send(q, "ok")


# signals_vs_messages.erl, test: an exit signal 'die', a message and a whereis race
# to the registered test process (die is treated as normal): no bug.
def signals_vs_messages():
    me = erlang.self()
    erlang.register("p", me)
    erlang.spawn(erlang.exit, me, "die")
    erlang.spawn(erlang.send, me, "ok")
    erlang.spawn(erlang.whereis, "p")
    erlang.receive("ok")


PORTS = [
    Port("trap_exit_timing", SCHED, "test_trap_exit_timing", "bug",
         concuerror_test(trap_exit_timing), "trap_exit"),
    Port("process_flag_link", "tests/suites/basic_tests/src/process_flag_link.erl",
         "process_flag_link", "bug", concuerror_test(process_flag_link), "trap_exit, exit signal"),
    Port("link_after", "tests/suites/basic_tests/src/link_after.erl", "link_after", "bug",
         concuerror_test(link_after), "link, exit signal"),
    Port("irrelevant_send", "tests/suites/basic_tests/src/irrelevant_send.erl", "irrelevant_send",
         "bug", concuerror_test(irrelevant_send), "exit signal"),
    Port("link_receive_exit", SCHED, "test_link_receive_exit", "bug",
         concuerror_test(link_receive_exit), "trap_exit, deadlock"),
    Port("exit_kill", "tests/suites/basic_tests/src/exit_kill.erl", "test", "no bug",
         concuerror_test(exit_kill, normal=("normal", "kill")), "exit signal"),
    Port("messed_deliveries", "tests/suites/basic_tests/src/messed_deliveries.erl", "test",
         "no bug", concuerror_test(messed_deliveries), "exit signal"),
    Port("signals_vs_messages", "tests/suites/basic_tests/src/signals_vs_messages.erl", "test",
         "no bug", concuerror_test(signals_vs_messages, normal=("normal", "die")), "exit signal"),
]
