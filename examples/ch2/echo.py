"""echo: one process echoes back what it is sent; mirrors the book's ch2 `echo`.

Book ch. 2.  Erlang -> Python:

    echo:go()          go()           spawn, send (self(), 'hello'), print the echo, stop it
    echo:loop()        loop()         receive (From, Msg) -> From ! (self(), Msg); 'stop' -> end

The reply is tagged with the echo's own pid, so the caller's receive picks
exactly that reply even if other messages are waiting (selective receive).
"""
from otp_lite import erlang
from otp_lite.erlang import ANY


def go():
    """Start an echo, get one echo back, stop it.  Prints ``hello``, returns ``'stop'``."""
    pid = erlang.spawn(loop)
    erlang.send(pid, (erlang.self(), "hello"))
    _, msg = erlang.receive((pid, ANY))
    print(msg)
    return erlang.send(pid, "stop")      # Pid ! stop evaluates to stop


def loop():
    """Echo every ``(From, Msg)`` back as ``(self(), Msg)`` until ``'stop'``."""
    while True:
        msg = erlang.receive((ANY, ANY), "stop")
        if msg == "stop":
            return True
        frm, body = msg
        erlang.send(frm, (erlang.self(), body))
