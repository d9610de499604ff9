"""freq_logger: a gen_event handler writing numbered events (reference solution, lab 07, book ch. 7).

    init('standard_io')              print lines, count from 1               -> ('ok', (dest, 1))
    init(('file', path))             write lines to a new file at path        -> ('ok', (dest, 1))
    init(other)                      ('error', ('args', other)): not added
    handle_event(ev, s)              "Id:<n> Event:<ev!r>", n + 1
    handle_info(msg, s)              "Id:<n> Unknown:<msg!r>", n + 1
    terminate('swap', s)             (dest, n)       -> the new instance's init((new, (dest, n)))
    terminate(other, s)              ('count', n)    (closes the file)

Swapping (``gen_event.swap_handler(m, (freq_logger, 'swap'), (freq_logger, new))``,
``new`` a path or ``'standard_io'``) carries the count on; the old file is closed.
``dest`` is ``'standard_io'`` or an open file.
"""
STDIO = "standard_io"


def _open(target):
    return STDIO if target == STDIO else open(target, "w")


def _close(dest):
    if dest != STDIO:
        dest.close()


def init(args):
    if args == STDIO:
        return ("ok", (STDIO, 1))
    if type(args) is tuple and len(args) == 2:
        first, second = args
        if first == "file" and type(second) is str:
            return ("ok", (open(second, "w"), 1))
        if (first == STDIO or type(first) is str) and type(second) is tuple and len(second) == 2:
            old, count = second                      # after a swap: (new target, (old dest, count))
            _close(old)
            return ("ok", (_open(first), count))
    return ("error", ("args", args))


def _write(dest, line):
    if dest == STDIO:
        print(line)
    else:
        dest.write(line + "\n")
        dest.flush()


def handle_event(event, state):
    dest, n = state
    _write(dest, f"Id:{n} Event:{event!r}")
    return ("ok", (dest, n + 1))


def handle_info(msg, state):
    dest, n = state
    _write(dest, f"Id:{n} Unknown:{msg!r}")
    return ("ok", (dest, n + 1))


def terminate(reason, state):
    dest, n = state
    if reason == "swap":
        return (dest, n)
    _close(dest)
    return ("count", n)
