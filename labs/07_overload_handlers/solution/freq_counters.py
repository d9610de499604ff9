"""freq_counters: a gen_event handler counting identical events (reference solution, lab 07, book ch. 7).

    gen_event                              callback
    add_handler(m, freq_counters, args)    init(args)               -> ('ok', {})
    notify / sync_notify(m, ev)            handle_event(ev, counts) -> ('ok', counts + ev)
    a raw message to m                     handle_info(msg, counts) -> ('ok', counts)  (not counted)
    get_counters(m)                        handle_call('get_counters', counts)
                                             -> ('ok', ('counters', [(ev, n), ...]), counts)
    delete_handler(m, freq_counters, a)    terminate(a, counts)     -> ('counters', [(ev, n), ...])
"""
import sys

from otp_lite import gen_event


def get_counters(m):
    return gen_event.call(m, sys.modules[__name__], "get_counters")


def init(_args):
    return ("ok", {})


def handle_event(event, counts):
    return ("ok", {**counts, event: counts.get(event, 0) + 1})


def handle_info(_msg, counts):
    return ("ok", counts)


def handle_call(request, counts):
    if request == "get_counters":
        return ("ok", ("counters", list(counts.items())), counts)
    return ("ok", ("error", "unknown_request"), counts)


def terminate(_reason, counts):
    return ("counters", list(counts.items()))
