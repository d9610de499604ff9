"""simple_phone_sup: one transient phone_fsm per number; mirrors the book's ch8/otp `simple_phone_sup` (c6).

    start_link()        simple_one_for_one, intensity 10, period 3600; template 'ms'
                        (phone_fsm, 'start_link', []), transient, shutdown 2000
    attach_phone(ms)    ('ok', pid) | ('error', 'attached')   start_child with [ms]
    detach_phone(ms)    'ok' | ('error', 'detached')          terminate_child by pid
"""
import sys

from otp_lite import supervisor

from ..ch2 import hlr
from . import phone_fsm

NAME = "simple_phone_sup"


def start_link():
    return supervisor.start_link(("local", NAME), sys.modules[__name__], [])


def init(_args):
    return ("ok", ({"strategy": "simple_one_for_one", "intensity": 10, "period": 3600},
                   [("ms", (phone_fsm, "start_link", []), "transient", 2000, "worker", ["phone_fsm"])]))


def attach_phone(ms):
    if hlr.lookup_id(ms)[0] == "ok":
        return ("error", "attached")
    return supervisor.start_child(NAME, [ms])


def detach_phone(ms):
    r = hlr.lookup_id(ms)
    if r[0] == "ok":
        return supervisor.terminate_child(NAME, r[1])
    return ("error", "detached")
