"""Fixture: the learner's file: ok, exit_, block and after are right; the rest misbehave."""
from otp_lite import erlang
from otp_lite.erlang import ANY


def ok():
    return "ok"


def spin():                 # an endless loop in the caller (the shell)
    n = 0
    while True:
        n += 1


def spin_in_process():      # an endless loop in a process, while the caller waits
    me = erlang.self()

    def worker():
        n = 0
        while n >= 0:
            n += 1
        erlang.send(me, ("n", n))

    erlang.spawn(worker)
    return erlang.receive(("n", ANY))[1]


def hang():                 # waits for a message nobody sends
    return erlang.receive("three")


def crash():                # the worker crashes; the caller learns it from the monitor
    me = erlang.self()
    pid, ref = erlang.spawn_monitor(lambda: erlang.send(me, 8 // 0))
    m = erlang.receive(int, ("DOWN", ref, "process", pid, ANY))
    return m if type(m) is int else ("error", "crashed")


def exit_():
    return 5


def block():
    return 6


def after():
    return "after"
