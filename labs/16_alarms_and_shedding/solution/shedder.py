"""Lab 16, task 4: shed load at the edge while the overload alarm is set (reference).

    install(target)          add this handler to the 'alarm_handler' event manager
    request(target, req)     the gate, in the client: ('error', 'overload') at once while
                             shedding, else gen_server.call(target, req)

The handler turns the switch, the gauge ``'shedding.<target>'``, to 1 when the
alarm ``('overload', target)`` is set and to 0 when it is cleared; every other
event passes by.  The gate counts ``'requests.<target>'`` (all) and
``'shed.<target>'`` (refused).
"""
import sys

from otp_lite import gen_event, gen_server

import meter


def _me():
    return sys.modules[__name__]


def install(target):
    return gen_event.add_handler("alarm_handler", _me(), target)


def request(target, req, timeout=5000):
    meter.inc(f"requests.{target}")
    if meter.get(f"shedding.{target}") == 1:
        meter.inc(f"shed.{target}")
        return ("error", "overload")
    return gen_server.call(target, req, timeout)


# ------------------------------------------------------------ gen_event callbacks
def init(target):
    meter.gauge(f"shedding.{target}", 0)
    return ("ok", target)


def handle_event(event, target):
    match event:
        case ("set_alarm", (("overload", t), _descr)) if t == target:
            meter.gauge(f"shedding.{target}", 1)
        case ("clear_alarm", ("overload", t)) if t == target:
            meter.gauge(f"shedding.{target}", 0)
    return ("ok", target)


def handle_call(_request, target):
    return ("ok", ("error", "bad_query"), target)


def handle_info(_msg, target):
    return ("ok", target)


def terminate(_reason, _target):
    return "ok"
