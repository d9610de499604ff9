"""phone_fsm: a phone controller, reduced; stands in for the book's ch8/ch9 `phone_fsm` (gen_fsm).

Enough of the ch6 phone for the supervision examples (erlang_ref c6): a phone
attaches its number in the HLR when it starts, detaches it when it stops,
and can place, accept and hang up a call::

    idle --action(('outbound', ms))--> calling --('accept', other)--> connected
    idle --('inbound', other)--> receiving --action('accept')--> connected
    connected --action('hangup') / ('hangup', other)--> idle

The full exercise (busy, reject, timeouts) is chapter 6's.
"""
import sys

from otp_lite import erlang, gen_fsm

from ..ch2 import hlr


def start_link(ms):
    return gen_fsm.start_link(sys.modules[__name__], ms, [])


def action(event, pid):
    return gen_fsm.sync_send_all_state_event(pid, event)


def init(ms):
    erlang.process_flag("trap_exit", True)
    hlr.attach(ms)
    return ("ok", "idle", (ms, None))


def handle_sync_event(event, from_, state, data):
    ms, other = data
    if state == "idle" and type(event) is tuple and event[0] == "outbound":
        r = hlr.lookup_id(event[1])
        if r[0] == "error":
            return ("reply", ("error", "invalid"), "idle", data)
        gen_fsm.send_event(r[1], ("inbound", erlang.self()))
        return ("reply", "ok", "calling", (ms, r[1]))
    if state == "receiving" and event == "accept":
        gen_fsm.send_event(other, ("accept", erlang.self()))
        return ("reply", "ok", "connected", data)
    if state in ("connected", "calling") and event == "hangup":
        gen_fsm.send_event(other, ("hangup", erlang.self()))
        return ("reply", "ok", "idle", (ms, None))
    return ("reply", "ok", state, data)


def idle(event, data):
    if type(event) is tuple and event[0] == "inbound":
        return ("next_state", "receiving", (data[0], event[1]))
    return ("next_state", "idle", data)


def calling(event, data):
    if type(event) is tuple and event[0] == "accept":
        return ("next_state", "connected", data)
    if type(event) is tuple and event[0] == "hangup":
        return ("next_state", "idle", (data[0], None))
    return ("next_state", "calling", data)


def receiving(event, data):
    if type(event) is tuple and event[0] == "hangup":
        return ("next_state", "idle", (data[0], None))
    return ("next_state", "receiving", data)


def connected(event, data):
    if type(event) is tuple and event[0] == "hangup":
        return ("next_state", "idle", (data[0], None))
    return ("next_state", "connected", data)


def terminate(reason, state, data):
    hlr.detach()
