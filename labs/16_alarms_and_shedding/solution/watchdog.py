"""Lab 16, tasks 2 and 3: a watchdog that samples a mailbox and raises an alarm (reference).

    start(target, high, low, every=10)   gen_server 'watchdog'
    stop()

Every ``every`` ms it reads how many messages wait in the mailbox of the
process registered as ``target`` (0 when none is), keeps it as the gauge
``'queue.<target>'``, and sets the alarm ``('overload', target)`` through
SASL's alarm_handler when more than ``high`` wait; it clears it when fewer
than ``low`` wait again.  Once each: between the two it changes nothing.
"""
import sys

from otp_lite import alarm_handler, erlang, gen_server

import meter

NAME = "watchdog"


def _me():
    return sys.modules[__name__]


def start(target, high, low, every=10):
    return gen_server.start(("local", NAME), _me(), (target, high, low, every), [])


def stop():
    return gen_server.stop(NAME)


def waiting(target):
    pid = erlang.whereis(target)
    info = erlang.process_info(pid, "message_queue_len") if pid != "undefined" else "undefined"
    return 0 if info == "undefined" else info[1]


def init(args):
    target, high, low, every = args
    erlang.send_after(every, erlang.self(), "tick")
    return ("ok", {"target": target, "high": high, "low": low, "every": every, "raised": False})


def handle_info(msg, st):
    if msg != "tick":
        return ("noreply", st)
    target = st["target"]
    n = waiting(target)
    meter.gauge(f"queue.{target}", n)
    if not st["raised"] and n > st["high"]:
        alarm_handler.set_alarm((("overload", target), n))
        st = dict(st, raised=True)
    elif st["raised"] and n < st["low"]:
        alarm_handler.clear_alarm(("overload", target))
        st = dict(st, raised=False)
    erlang.send_after(st["every"], erlang.self(), "tick")
    return ("noreply", st)


def handle_call(_request, _from, st):
    return ("reply", ("error", "unknown_call"), st)


def handle_cast(_msg, st):
    return ("noreply", st)


def terminate(_reason, _st):
    return "ok"
