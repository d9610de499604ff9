"""freq_counters: a handler counting identical events; mirrors the book's ch7 `counters` (f1/f2).

    gen_event                           callback
    add_handler(m, freq_counters, _)    init(_)                 -> ('ok', table)
    notify / sync_notify(m, ev)         handle_event(ev, t)     counts ev in an ETS table
    any other message to m              handle_info(_, t)       ignored
    get_counters(m)                     handle_call('get_counters', t) -> ('counters', [(ev, n)])
    delete_handler(m, freq_counters, _) terminate(_, t)         -> ('counters', [(ev, n)])
"""
import sys

from otp_lite import ets, gen_event
from otp_lite.erlang import ErlangError


def _me():
    return sys.modules[__name__]


def get_counters(m):
    return gen_event.call(m, _me(), "get_counters")


def init(_args):
    return ("ok", ets.new("freq_counters", []))


def terminate(_reason, table):
    counters = ets.tab2list(table)
    ets.delete(table)
    return ("counters", counters)


def handle_event(event, table):
    try:
        ets.update_counter(table, event, 1)
    except ErlangError:
        ets.insert(table, (event, 1))
    return ("ok", table)


def handle_call(request, table):
    # request == 'get_counters'
    return ("ok", ("counters", ets.tab2list(table)), table)


def handle_info(_msg, table):
    return ("ok", table)
