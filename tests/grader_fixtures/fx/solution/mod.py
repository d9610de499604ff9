"""Fixture: every function right."""
from otp_lite import erlang
from otp_lite.erlang import ANY


def ok():
    return "ok"


def spin():
    return 1


def spin_in_process():
    me = erlang.self()
    erlang.spawn(lambda: erlang.send(me, ("n", 2)))
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
