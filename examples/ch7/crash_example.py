"""crash_example: handler init variants and crashing handlers; mirrors the book's ch7 `crash_example` (f1).

    init('normal') -> ('ok', [])    added
    init('return') -> 'error'       not added, add_handler returns 'error'
    init('ok')     -> 'ok'          not added, add_handler returns 'ok' (!)
    init('crash')  -> exit('crash') add_handler returns ('EXIT', 'crash')
    handle_event('crash', _)  -> 1/0   the handler is removed, ERROR REPORT
    handle_event('return', _) -> 'error' (a bad return): removed, ERROR REPORT
"""
from otp_lite import erlang


def init(arg):
    if arg == "normal":
        return ("ok", [])
    if arg == "return":
        return "error"
    if arg == "ok":
        return "ok"
    if arg == "crash":
        erlang.exit("crash")
    raise ValueError(f"crash_example: no init clause for {arg!r}")


def terminate(_reason, _data):
    return "ok"


def handle_event(event, _data):
    if event == "crash":
        return 1 / 0
    if event == "return":
        return "error"
    raise ValueError(f"crash_example: no handle_event clause for {event!r}")
