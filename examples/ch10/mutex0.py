"""mutex0: stage 0 of the book's ch10 mutex -- a plain process, no OTP at all.

States are two functions: ``free`` waits for ``('wait', pid)``, grants the
lock and becomes ``busy(pid)``; ``busy`` accepts only ``('signal', pid)`` from
the holder, so other waiters stay in the mailbox, oldest first (FIFO).
Nothing here answers system messages, so ``sys.get_state`` on it times out.
"""
from otp_lite import erlang, code


def start(name):
    """Spawn and register the mutex; returns its pid."""
    return erlang.spawn(init, name)


def stop(name):
    erlang.send(name, "stop")


def wait(name):
    """Block until the mutex is ours."""
    erlang.send(name, ("wait", erlang.self()))
    mutex = erlang.whereis(name)
    erlang.receive((mutex, "ok"))
    return "ok"


def signal(name):
    erlang.send(name, ("signal", erlang.self()))
    return "ok"


def init(name):
    erlang.register(name, erlang.self())
    return code.tail_loop(free)


def free():
    msg = erlang.receive(("wait", erlang.ANY), "stop")
    if msg == "stop":
        return "ok"
    pid = msg[1]
    erlang.send(pid, (erlang.self(), "ok"))
    return (busy, pid)


def busy(pid):
    erlang.receive(("signal", pid))
    return (free,)
