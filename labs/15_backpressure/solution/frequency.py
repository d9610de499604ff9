"""Lab 15: a frequency service that survives a load spike (reference solution).

Every ``'work'`` call costs SERVICE_MS of (virtual) time: the server's capacity is
1000 / SERVICE_MS requests per second.  Past that, the naive server's mailbox grows
until the memory guard kills it.  This one sheds load and raises an alarm.
"""
import sys

from otp_lite import erlang, gen_server, timer, alarm_handler

SERVICE_MS = 2      # cost of one request
HIGH = 50           # shed load when more than HIGH requests wait
LOW = 10            # clear the alarm when fewer than LOW wait
ALARM = "frequency_overload"


def _me():
    return sys.modules[__name__]


def start():
    return gen_server.start(("local", "frequency"), _me(), [], [])


def request(timeout=1000):
    return gen_server.call("frequency", "work", timeout)


def init(_args):
    return ("ok", {"overloaded": False})


def queue_len():
    return erlang.process_info(erlang.self(), "message_queue_len")[1]


def handle_call(request, _from, state):
    waiting = queue_len()
    if waiting > HIGH:
        if not state["overloaded"]:
            alarm_handler.set_alarm((ALARM, waiting))
            state = {"overloaded": True}
        return ("reply", ("error", "overload"), state)        # cheap: no work done
    if state["overloaded"] and waiting < LOW:
        alarm_handler.clear_alarm(ALARM)
        state = {"overloaded": False}
    timer.sleep(SERVICE_MS)
    return ("reply", "ok", state)


def handle_info(_msg, state):
    return ("noreply", state)
