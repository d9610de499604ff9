"""phone_fsm: one controller per handset on gen_fsm; the book's ch6 exercise solution *as written* (j1).

States: ``idle``, ``calling``, ``connected``, ``receiving``.

    action(('outbound', ms), pid)   sync all-state event: 'ok' | ('error', 'invalid') | ('error', 'busy')
    action(a, pid)                  a in accept/reject/hangup: async event ('action', a)
    inbound/busy/accept/reject/hangup(peer)   async peer events carrying self()

The caller allocates a frequency when the callee accepts and frees it on hang-up.
Started with ``('debug', ['trace'])`` as the book does, so every event is traced.

Book bugs kept on purpose (the j1 transcript shows them):
  1. on ``no_frequency`` the caller rejects, but the callee is already in
     ``connected`` and ignores ``('reject', pid)``: it is stuck there;
  2. ``terminate/3`` has no clause for a callee in ``connected`` (2-tuple
     data): the function_clause crash skips ``hlr.detach()``.
"""
import sys

from otp_lite import erlang, gen_fsm
from otp_lite.erlang import ErlangError

from examples.ch2 import hlr
from examples.ch4 import frequency
from . import phone


def _me():
    return sys.modules[__name__]


def start_link(ms):
    return gen_fsm.start_link(_me(), ms, [("debug", ["trace"])])


def init(ms):
    erlang.process_flag("trap_exit", True)
    hlr.attach(ms)
    return ("ok", "idle", ms)


def terminate(_reason, state, data):
    if state == "idle":
        return hlr.detach()
    if state == "calling":
        hangup(data[1])
        return hlr.detach()
    if state == "connected" and type(data) is tuple and len(data) == 3:
        hangup(data[1])                        # we hang up, we initiated the call
        return hlr.detach()
    if state == "receiving":
        reject(data[1])
        return hlr.detach()
    raise ErlangError("function_clause", f"phone_fsm.terminate({_reason!r}, {state!r}, {data!r})")


# ---------------------------------------------------------------- API
def action(act, ms_id):
    if type(act) is tuple and act[0] == "outbound":
        return gen_fsm.sync_send_all_state_event(ms_id, act)
    return gen_fsm.send_event(ms_id, ("action", act))


def busy(to):    return gen_fsm.send_event(to, ("busy", erlang.self()))
def reject(to):  return gen_fsm.send_event(to, ("reject", erlang.self()))
def accept(to):  return gen_fsm.send_event(to, ("accept", erlang.self()))
def hangup(to):  return gen_fsm.send_event(to, ("hangup", erlang.self()))
def inbound(to): return gen_fsm.send_event(to, ("inbound", erlang.self()))


def _is(ev, tag):
    return type(ev) is tuple and len(ev) == 2 and ev[0] == tag


# ---------------------------------------------------------------- states
def idle(event, ms):
    if _is(event, "inbound"):
        phone.reply("inbound", event[1], ms)
        return ("next_state", "receiving", (ms, event[1]))
    print(f"{erlang.self()!r} in idle, ignored. State:{ms!r}, Event:{event!r}")
    return ("next_state", "idle", ms)


def calling(event, data):
    ms, other = data
    if event == ("action", "hangup"):
        hangup(other)
        return ("next_state", "idle", ms)
    if _is(event, "busy") and event[1] == other:
        phone.reply("busy", other, ms)
        return ("next_state", "idle", ms)
    if _is(event, "reject") and event[1] == other:
        phone.reply("rejected", other, ms)
        return ("next_state", "idle", ms)
    if _is(event, "accept") and event[1] == other:
        r = frequency.allocate()
        if r == ("error", "no_frequency"):
            reject(other)
            phone.reply("no_frequency", other, ms)
            return ("next_state", "idle", ms)
        phone.reply("connected", other, ms)
        return ("next_state", "connected", (ms, other, r[1]))
    if _is(event, "inbound"):
        busy(event[1])
        return ("next_state", "calling", data)
    print(f"In calling, ignored. State:{data!r}, Event:{event!r}")
    return ("next_state", "calling", data)


def connected(event, data):
    if _is(event, "inbound"):
        busy(event[1])
        return ("next_state", "connected", data)
    if event == ("action", "hangup"):
        hangup(data[1])
        if len(data) == 3:
            frequency.deallocate(data[2])
        return ("next_state", "idle", data[0])
    if _is(event, "hangup") and event[1] == data[1]:
        phone.reply("hangup", data[1], data[0])
        if len(data) == 3:
            frequency.deallocate(data[2])
        return ("next_state", "idle", data[0])
    print(f"In connected, ignored. State:{data!r}, Event:{event!r}")
    return ("next_state", "connected", data)


def receiving(event, data):
    ms, other = data
    if event == ("action", "accept"):
        accept(other)
        return ("next_state", "connected", (ms, other))
    if event == ("action", "reject"):
        reject(other)
        return ("next_state", "idle", ms)
    if _is(event, "hangup") and event[1] == other:
        phone.reply("hangup", other, ms)
        return ("next_state", "idle", ms)
    if _is(event, "inbound"):
        busy(event[1])
        return ("next_state", "receiving", data)
    print(f"In receiving, ignored. State:{data!r}, Event:{event!r}")
    return ("next_state", "receiving", data)


def handle_sync_event(event, _from, state, ms):
    # event == ('outbound', to_ms)
    if state == "idle":
        found = hlr.lookup_id(event[1])
        if found == ("error", "invalid"):
            print("ERROR, INVALID")
            phone.reply("invalid", event[1], ms)
            return ("reply", ("error", "invalid"), "idle", ms)
        phone.reply("outbound", event[1], ms)
        inbound(found[1])
        return ("reply", "ok", "calling", (ms, found[1]))
    return ("reply", ("error", "busy"), state, ms)
