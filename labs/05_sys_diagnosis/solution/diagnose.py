"""diagnose: look inside a running server with ``sys`` only (lab 05, book ch. 5) -- reference.

    leaked_frequencies(server)    frequencies held by dead processes (sys.get_state)
    messages_in(server, fun)      messages the server received while fun() ran (sys.statistics)
    requests_during(server, fun)  what it received while fun() ran, in order (sys.log)
    repair(server)                free the leaked frequencies in place (sys.replace_state)
"""
from otp_lite import erlang
from otp_lite import sys as osys


def _leaked(allocated):
    return sorted(f for f, pid in allocated if not erlang.is_process_alive(pid))


def leaked_frequencies(server):
    _free, allocated = osys.get_state(server)
    return _leaked(allocated)


def messages_in(server, fun):
    osys.statistics(server, True)
    try:
        fun()
        _ok, stats = osys.statistics(server, "get")
    finally:
        osys.statistics(server, False)
    return dict(stats)["messages_in"]


def requests_during(server, fun):
    osys.log(server, True)
    try:
        fun()
        _ok, events = osys.log(server, "get")
    finally:
        osys.log(server, False)
    out = []
    for ev in events:
        if type(ev) is tuple and ev[0] == "in":
            msg = ev[1]
            if type(msg) is tuple and msg and msg[0] == "$gen_call":
                out.append(msg[2])
            elif type(msg) is tuple and msg and msg[0] == "$gen_cast":
                out.append(msg[1])
            else:
                out.append(msg)
    return out


def repair(server):
    repaired = []

    def fix(state):
        free, allocated = state
        leaked = _leaked(allocated)
        repaired.extend(leaked)
        return (free + leaked, [(f, p) for f, p in allocated if f not in leaked])

    osys.replace_state(server, fix)
    return repaired
