"""SASL's alarm handler: mirrors OTP ``alarm_handler`` (OTP 25, sasl); book ch. 7.

=====================================  ==============================================
API                                    what happens
=====================================  ==============================================
``start()`` / ``start_link()``         the event manager ``'alarm_handler'`` with this
                                       namespace as its one handler (OTP does this in
                                       ``application:start(sasl)``)
``set_alarm((alarm_id, descr))``       ``notify(('set_alarm', alarm))``: kept, INFO report
``clear_alarm(alarm_id)``              ``notify(('clear_alarm', id))``: the newest alarm
                                       with that id goes (``lists:keydelete``), INFO report
``get_alarms()``                       ``[(alarm_id, descr)]``, newest first
=====================================  ==============================================

It is an ordinary gen_event handler, so it is *replaceable*: swap in your own
with ``gen_event.swap_handler('alarm_handler', (alarm_handler, 'swap'),
(my_handler, args))``; ``my_handler.init((args, ('alarm_handler', alarms)))``
receives the alarms raised so far.

Failure rule: as ``gen_event.notify`` -- with no manager running,
``set_alarm``/``clear_alarm`` are ``badarg`` and ``get_alarms`` exits ``noproc``.

See also: otp_lite.gen_event.
"""
from __future__ import annotations

import sys as _pysys

from . import gen_event, logger
from .erlang import ErlangError

__all__ = ["start", "start_link", "set_alarm", "clear_alarm", "get_alarms",
           "init", "handle_event", "handle_call", "handle_info", "terminate"]

NAME = "alarm_handler"


def _me():
    return _pysys.modules[__name__]


def _boot(starter):
    ret = starter(("local", NAME))
    if type(ret) is tuple and ret[0] == "ok":
        gen_event.add_handler(NAME, _me(), [])
    return ret


def start():
    """Start the ``'alarm_handler'`` manager with the default handler installed."""
    return _boot(gen_event.start)


def start_link():
    return _boot(gen_event.start_link)


def _notify(msg):
    try:
        return gen_event.notify(NAME, msg)
    except ErlangError as e:
        raise ErlangError("badarg", "no 'alarm_handler' event manager: start it with "
                                    "alarm_handler.start() (OTP: application:start(sasl))") from e


def set_alarm(alarm):
    """``set_alarm((alarm_id, description))`` -> ``'ok'``."""
    return _notify(("set_alarm", alarm))


def clear_alarm(alarm_id):
    return _notify(("clear_alarm", alarm_id))


def get_alarms():
    return gen_event.call(NAME, _me(), "get_alarms")


def peek_alarms():
    """otp_lite extra, for viewers: ``get_alarms()`` read without a message.

    ``None`` when no ``alarm_handler`` manager runs; ``[]`` when this handler
    was swapped out (``get_alarms`` would answer ``{error, bad_module}``).
    """
    handlers = gen_event.peek_handlers(NAME)
    if handlers is None:
        return None
    me = _me()
    return next((list(st) for hid, st in handlers if hid is me), [])


# ------------------------------------------------------------------ handler callbacks
def init(args):
    if type(args) is tuple and len(args) == 2 and type(args[1]) is tuple and args[1][:1] == ("alarm_handler",):
        return ("ok", list(args[1][1]))          # swapped in: keep the alarms
    return ("ok", [])


def handle_event(event, alarms):
    if type(event) is tuple and len(event) == 2 and event[0] == "set_alarm":
        _report(("set", event[1]))
        return ("ok", [event[1]] + alarms)
    if type(event) is tuple and len(event) == 2 and event[0] == "clear_alarm":
        _report(("clear", event[1]))
        for i, a in enumerate(alarms):          # lists:keydelete(Id, 1, Alarms): the first match only
            if type(a) is tuple and a and a[0] == event[1]:
                return ("ok", alarms[:i] + alarms[i + 1:])
        return ("ok", alarms)
    return ("ok", alarms)


def handle_info(_msg, alarms):
    return ("ok", alarms)


def handle_call(request, alarms):
    if request == "get_alarms":
        return ("ok", list(alarms), alarms)
    return ("ok", ("error", "bad_query"), alarms)


def terminate(reason, alarms):
    if reason == "swap":
        return ("alarm_handler", alarms)
    return "ok"


def _report(what):
    logger.log("notice", [f"    alarm_handler: {what!r}"], kind="info_report", alarm=what)
