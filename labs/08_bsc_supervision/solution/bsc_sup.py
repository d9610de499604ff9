"""bsc_sup: the base station controller's top supervisor (reference solution, lab 08, book ch. 8).

    start_link()   rest_for_one, intensity 2, period 3600; registered 'bsc_sup'
                   children, in start order: freq_overload, frequency, simple_phone_sup
    init([])       also creates the HLR tables, owned by the supervisor process

rest_for_one: a child that dies takes down the children started after it,
which depend on it; then they are restarted, in start order.
"""
import sys

import freq_overload
import frequency
import hlr
import simple_phone_sup
from otp_lite import supervisor


def start_link():
    return supervisor.start_link(("local", "bsc_sup"), sys.modules[__name__], [])


def init(_args):
    hlr.new()
    flags = {"strategy": "rest_for_one", "intensity": 2, "period": 3600}
    children = [
        {"id": "freq_overload", "start": (freq_overload, "start_link", []), "restart": "permanent",
         "shutdown": 2000, "type": "worker", "modules": ["freq_overload"]},
        {"id": "frequency", "start": (frequency, "start_link", []), "restart": "permanent",
         "shutdown": 2000, "type": "worker", "modules": ["frequency"]},
        {"id": "simple_phone_sup", "start": (simple_phone_sup, "start_link", []),
         "restart": "permanent", "shutdown": "infinity", "type": "supervisor",
         "modules": ["simple_phone_sup"]},
    ]
    return ("ok", (flags, children))
