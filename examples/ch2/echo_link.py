"""echo_link: the echo started with spawn_link; mirrors the book's ch2 `echo_link`.

Book ch. 2.  Same as :mod:`echo`, but the caller is linked to the echo, so an
abnormal exit of either one kills the other (a ``'normal'`` exit does not).
As in the book, it reuses the echo's loop rather than defining its own.
"""
from otp_lite import erlang
from otp_lite.erlang import ANY

from .echo import loop


def go():
    """Like ``echo.go()`` with a link.  Prints ``hello``, returns ``'stop'``."""
    pid = erlang.spawn_link(loop)
    erlang.send(pid, (erlang.self(), "hello"))
    _, msg = erlang.receive((pid, ANY))
    print(msg)
    return erlang.send(pid, "stop")
