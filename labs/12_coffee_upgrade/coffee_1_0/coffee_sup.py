"""coffee_sup: one_for_one 5/10 over coffee_fsm (given; book ch12 ``coffee_sup``).

The child spec lists ``modules: ['coffee_fsm']``: that is how the release
handler finds the processes to suspend when ``coffee_fsm`` is upgraded.
"""
import sys

from otp_lite import supervisor

from . import coffee_fsm

vsn = "1.0"


def start_link():
    return supervisor.start_link(("local", "coffee_sup"), sys.modules[__name__], [])


def init(_):
    child = {"id": "coffee_fsm", "start": (coffee_fsm, "start_link", []), "restart": "permanent",
             "shutdown": 5000, "type": "worker", "modules": ["coffee_fsm"]}
    return ("ok", ({"strategy": "one_for_one", "intensity": 5, "period": 10}, [child]))
