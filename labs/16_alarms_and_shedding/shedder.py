"""Lab 16, task 4: shed load at the edge while the overload alarm is set.

    install(target)          add this module as a handler of the 'alarm_handler' event manager
    request(target, req)     the gate, run by the client: ('error', 'overload') at once while
                             shedding, else gen_server.call(target, req)

The handler turns the switch, the gauge ``'shedding.<target>'``, to 1 when the
alarm ``('overload', target)`` is set and to 0 when it is cleared; every other
event passes by.  The gate counts ``'requests.<target>'`` (every request) and
``'shed.<target>'`` (the refused ones).
"""
import sys

from otp_lite import gen_event, gen_server  # noqa: F401

import meter  # noqa: F401


def _me():
    return sys.modules[__name__]


def install(target):
    return gen_event.add_handler("alarm_handler", _me(), target)


def request(target, req, timeout=5000):
    # TODO (student) task 4: count the request; while shedding.<target> is 1, count it as shed
    #                and return ('error', 'overload') without sending anything; otherwise
    #                return gen_server.call(target, req, timeout).
    pass


# ------------------------------------------------------------ gen_event callbacks
def init(target):
    # TODO (student) task 4: the handler's state (the target is all it needs).
    pass


def handle_event(event, target):
    # TODO (student) task 4: ('set_alarm', (('overload', target), descr)) -> gauge 1;
    #                ('clear_alarm', ('overload', target)) -> gauge 0; anything else: nothing.
    #                Always return ('ok', state).
    pass


def handle_call(_request, target):
    return ("ok", ("error", "bad_query"), target)


def handle_info(_msg, target):
    return ("ok", target)


def terminate(_reason, _target):
    return "ok"
