"""counter_sup: a one_for_one supervisor with one worker, counter_server.

    start_link()   supervisor.start_link(('local', 'counter_sup'), counter_sup, []) -> ('ok', Pid)
    init([])       one_for_one, intensity 1, period 5 (OTP's defaults); the child
                   counter_server: permanent, shutdown 5000, worker

Notebook 01, "System design principles".
"""
import sys

from otp_lite import supervisor

from . import counter_server


def start_link():
    return supervisor.start_link(("local", "counter_sup"), sys.modules[__name__], [])


def init(_args):
    child = {"id": "counter_server", "start": (counter_server, "start_link", []),
             "restart": "permanent", "shutdown": 5000, "type": "worker",
             "modules": ["counter_server"]}
    return ("ok", ({"strategy": "one_for_one", "intensity": 1, "period": 5}, [child]))
