"""simple_phone_sup: one transient phone controller per number (reference solution, lab 08, book ch. 8).

    start_link()        simple_one_for_one, intensity 10, period 3600; registered 'simple_phone_sup'
    attach_phone(ms)    ('ok', pid) | ('error', 'attached')
    detach_phone(ms)    'ok' | ('error', 'detached')
"""
import sys

import hlr
import phone_fsm
from otp_lite import supervisor

NAME = "simple_phone_sup"


def start_link():
    return supervisor.start_link(("local", NAME), sys.modules[__name__], [])


def init(_args):
    flags = {"strategy": "simple_one_for_one", "intensity": 10, "period": 3600}
    phone = {"id": "ms", "start": (phone_fsm, "start_link", []), "restart": "transient",
             "shutdown": 2000, "type": "worker", "modules": ["phone_fsm"]}
    return ("ok", (flags, [phone]))


def attach_phone(ms):
    if hlr.lookup_id(ms)[0] == "ok":
        return ("error", "attached")
    return supervisor.start_child(NAME, [ms])          # phone_fsm.start_link(ms)


def detach_phone(ms):
    found = hlr.lookup_id(ms)
    if found[0] != "ok":
        return ("error", "detached")
    return supervisor.terminate_child(NAME, found[1])
