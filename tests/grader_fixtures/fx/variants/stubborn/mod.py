"""Fixture: loops that swallow every exception, so no time limit can raise into them."""
from otp_lite import erlang
from otp_lite.erlang import ANY


def ok():
    return "ok"


def spin():                 # in the caller: only the runner's whole-run limit stops this
    while True:
        try:
            while True:
                pass
        except BaseException:   # noqa: BLE001 - the attack under test
            pass


def spin_in_process():      # in a process: preemption suspends it, the check fails, it is killed
    me = erlang.self()

    def worker():
        while True:
            try:
                while True:
                    pass
            except BaseException:   # noqa: BLE001
                pass

    erlang.spawn(worker)
    return erlang.receive(("n", ANY))[1]


def hang():
    me = erlang.self()
    erlang.spawn(lambda: erlang.send(me, "three"))
    erlang.receive("three")
    return 3


def crash():
    me = erlang.self()
    erlang.spawn(lambda: erlang.send(me, 8 // 2))
    return erlang.receive()


def exit_():
    return 5


def block():
    return 6


def after():
    return "after"
