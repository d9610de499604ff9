"""Chapter 16: preemptive support -- an alarm handler that acts.

``gen_event.add_handler('alarm_handler', shedder, 'overload')`` installs it
next to SASL's default handler.  When the alarm ``overload`` is set it turns
the frequency server's load-shedding switch on; when the alarm clears, off.
Every other alarm passes by.  The handler keeps a log of what it did
(``gen_event.call('alarm_handler', shedder, 'actions')``).
"""
from otp_lite import runtime

from . import frequency


def init(alarm_id):
    return ("ok", {"alarm": alarm_id, "actions": []})


def handle_event(event, st):
    match event:
        case ("set_alarm", (alarm_id, _descr)) if alarm_id == st["alarm"]:
            frequency.shed(True)
            st = dict(st, actions=st["actions"] + [(round(runtime.now()), "shed on")])
        case ("clear_alarm", alarm_id) if alarm_id == st["alarm"]:
            frequency.shed(False)
            st = dict(st, actions=st["actions"] + [(round(runtime.now()), "shed off")])
    return ("ok", st)


def handle_call(request, st):
    if request == "actions":
        return ("ok", list(st["actions"]), st)
    return ("ok", ("error", "bad_query"), st)


def handle_info(_msg, st):
    return ("ok", st)


def terminate(_reason, _st):
    return "ok"
