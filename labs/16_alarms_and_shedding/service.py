"""Lab 16: the service to protect (given; you do not edit it).

    start()     gen_server 'frequency'; every 'work' call costs SERVICE_MS of (virtual)
                time, so it can answer 1000 / SERVICE_MS = 500 requests per second
    work()      one request through the gate: shedder.request('frequency', 'work')

The server counts what it served in its state (``sys.get_state('frequency')``).
"""
import sys

from otp_lite import gen_server, timer

NAME = "frequency"
SERVICE_MS = 2


def _me():
    return sys.modules[__name__]


def start():
    return gen_server.start(("local", NAME), _me(), [], [])


def work(timeout=5000):
    import shedder
    return shedder.request(NAME, "work", timeout)


def init(_args):
    return ("ok", {"served": 0})


def handle_call(request, _from, state):
    if request == "work":
        timer.sleep(SERVICE_MS)
        return ("reply", "ok", {"served": state["served"] + 1})
    return ("reply", ("error", "unknown_call"), state)


def handle_info(_msg, state):
    return ("noreply", state)
