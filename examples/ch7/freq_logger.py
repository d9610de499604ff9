"""freq_logger: a handler printing numbered events; mirrors the book's ch7 `logger` (f1/f2).

    init('standard_io')            print to stdout, count from 1
    init(('file', path))           write to a file, count from 1
    init(bad)                      -> ('error', ('args', bad))   (the handler is not added)

Swap protocol (``gen_event.swap_handler(m, (freq_logger, 'swap'), (freq_logger, new))``):
``terminate('swap', (fd, count))`` returns ``(fd, count)``, and the new
instance's ``init((new, (fd, count)))`` carries the count on, closing the old
file (file -> stdout) or opening a new one (stdout -> file).  Other
``terminate`` reasons return ``('count', count)``.  No ``handle_call`` (as in
the book): ``gen_event.call`` on it crashes the handler (f1, 27>).

Lines look like the book's ``Id:1 Time:{10,8,13} Date:{2026,11,24}`` followed
by ``Event:...`` (or ``Unknown:...`` for other messages); time and date come
from the runtime clock, so they are the same on every virtual-clock run.
"""
import datetime

from otp_lite import runtime

STDIO = "standard_io"
EPOCH = datetime.datetime(2026, 1, 1)          # day 0 of the virtual clock


def init(args):
    if type(args) is tuple and len(args) == 2:
        new, old = args
        if new == STDIO and type(old) is tuple and len(old) == 2 and _is_file(old[0]):
            old[0].close()
            return ("ok", (STDIO, old[1]))
        if type(new) is str and new != STDIO and type(old) is tuple and len(old) == 2 and old[0] == STDIO:
            return ("ok", (open(new, "w"), old[1]))
        if new == "file" and type(old) is str:
            return ("ok", (open(old, "w"), 1))
    if args == STDIO:
        return ("ok", (STDIO, 1))
    return ("error", ("args", args))


def _is_file(fd):
    return hasattr(fd, "write")


def terminate(reason, state):
    fd, count = state
    if reason == "swap":
        return (fd, count)
    if _is_file(fd):
        fd.close()
    return ("count", count)


def handle_event(event, state):
    fd, count = state
    _print(fd, count, event, "Event")
    return ("ok", (fd, count + 1))


def handle_info(event, state):
    fd, count = state
    _print(fd, count, event, "Unknown")
    return ("ok", (fd, count + 1))


def _now():
    rt = runtime.current()
    if rt.clock == "real":
        return datetime.datetime.now()
    return EPOCH + datetime.timedelta(milliseconds=rt.now_ms())


def _print(fd, count, event, tag):
    t = _now()
    text = (f"Id:{count} Time:{{{t.hour},{t.minute},{t.second}}} Date:{{{t.year},{t.month},{t.day}}}\n"
            f"{tag}:{event!r}\n")
    if fd == STDIO:
        print(text, end="")
    else:
        fd.write(text)
        fd.flush()
