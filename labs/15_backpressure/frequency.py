"""Lab 15: a frequency service that survives a load spike.

Every ``'work'`` call costs SERVICE_MS of (virtual) time: the server's capacity is
1000 / SERVICE_MS requests per second.  Past that, this naive server's mailbox
grows until the memory guard kills it.  Your job (README.md): shed load when too
many requests wait, and raise / clear an alarm through ``alarm_handler``.
"""
import sys

from otp_lite import erlang, gen_server, timer, alarm_handler  # noqa: F401  (alarm_handler: task 2)

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
    """How many messages wait in the calling process's mailbox.

    Returns:
        an int: ``process_info(self(), message_queue_len)``.
    Example:
        inside handle_call, ``queue_len() > HIGH`` means "overloaded".
    """
    return erlang.process_info(erlang.self(), "message_queue_len")[1]


def handle_call(request, _from, state):
    # TODO (student) task 1: when more than HIGH requests wait, reply ('error', 'overload')
    #                at once, without doing the work.
    # TODO (student) task 2: set the alarm (ALARM, waiting) when shedding starts, and clear
    #                it when fewer than LOW wait again; keep the flag in the state.
    timer.sleep(SERVICE_MS)
    return ("reply", "ok", state)


def handle_info(_msg, state):
    return ("noreply", state)
