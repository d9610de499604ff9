"""test_fsm: what init/1 returns does to gen_fsm start/start_link; mirrors the book's ch6/otp `test_fsm` (b3).

``init(0)`` -> ``('stop', 'stopped')``; ``init(1)`` -> a bad return;
otherwise sleep ``timer_ms`` then ``'ignore'`` (so a ``('timeout', T)`` start
option shorter than that gives ``('error', 'timeout')``).
"""
import sys

from otp_lite import gen_fsm, timer


def _me():
    return sys.modules[__name__]


def start_link(timer_ms, options):
    return gen_fsm.start_link(_me(), timer_ms, options)


def start(timer_ms, options):
    return gen_fsm.start(_me(), timer_ms, options)


def init(timer_ms):
    if timer_ms == 0:
        return ("stop", "stopped")
    if timer_ms == 1:
        return ("next_state", "selection", [])
    timer.sleep(timer_ms)
    return "ignore"


def state_name(event, *rest):
    if len(rest) == 2:                 # state_name(event, from_, data)
        return ("reply", "ok", "state_name", rest[1])
    return ("next_state", "state_name", rest[0])


def handle_event(event, state_name, data):
    return ("next_state", state_name, data)


def handle_sync_event(event, from_, state_name, data):
    return ("reply", "ok", state_name, data)


def handle_info(info, state_name, data):
    return ("next_state", state_name, data)


def terminate(reason, state_name, data):
    return "ok"


def code_change(old_vsn, state_name, data, extra):
    return ("ok", state_name, data)
