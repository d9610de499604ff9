"""phone_fsm: one controller per handset on gen_statem (reference solution, lab 06, book ch. 6).

The book's "Get Your Hands Dirty: The Phone Controllers" (ch6/exercise),
fixed: on ``no_frequency`` the caller hangs up on the callee (which is
already ``connected``), and ``terminate`` cleans up in every state: it
tells the peer, frees the frequency it holds, and detaches from the HLR.

States and data::

    idle        ms
    calling     (ms, callee)
    receiving   (ms, caller)
    connected   (ms, peer, freq)   freq is None on the callee's side

API: ``action(('outbound', ms), pid)`` is a call ('ok' | ('error', 'invalid')
| ('error', 'busy')); ``action(a, pid)`` for a in accept/reject/hangup is a
cast ``('action', a)``; the peer events ``inbound/busy/accept/reject/hangup(to)``
cast ``(tag, self())`` to the peer.
"""
import sys

import frequency
import hlr
import phone
from otp_lite import erlang, gen_statem


def _me():
    return sys.modules[__name__]


# ---------------------------------------------------------------- API
def start_link(ms):
    return gen_statem.start_link(_me(), ms, [])


def stop(pid):
    return gen_statem.stop(pid)


def action(act, pid):
    if type(act) is tuple and len(act) == 2 and act[0] == "outbound":
        return gen_statem.call(pid, act)
    return gen_statem.cast(pid, ("action", act))


def inbound(to): return gen_statem.cast(to, ("inbound", erlang.self()))
def busy(to): return gen_statem.cast(to, ("busy", erlang.self()))
def accept(to): return gen_statem.cast(to, ("accept", erlang.self()))
def reject(to): return gen_statem.cast(to, ("reject", erlang.self()))
def hangup(to): return gen_statem.cast(to, ("hangup", erlang.self()))


# ---------------------------------------------------------------- callbacks
def callback_mode():
    return "state_functions"


def init(ms):
    erlang.process_flag("trap_exit", True)          # so that terminate runs on shutdown
    hlr.attach(ms)
    return ("ok", "idle", ms)


def terminate(_reason, state, data):
    if state == "calling":
        hangup(data[1])
    elif state == "receiving":
        reject(data[1])
    elif state == "connected":
        _ms, peer, freq = data
        hangup(peer)
        if freq is not None:
            frequency.deallocate(freq)
    hlr.detach()


def _outbound(from_, to_ms, state, data):
    """('outbound', to_ms) in any state: only idle dials."""
    if state != "idle":
        return ("keep_state_and_data", [("reply", from_, ("error", "busy"))])
    ms = data
    found = hlr.lookup_id(to_ms)
    if found == ("error", "invalid"):
        phone.reply("invalid", to_ms, ms)
        return ("keep_state_and_data", [("reply", from_, ("error", "invalid"))])
    callee = found[1]
    phone.reply("outbound", to_ms, ms)
    inbound(callee)
    return ("next_state", "calling", (ms, callee), [("reply", from_, "ok")])


def _common(etype, content, state, data):
    """What every state does with a call, and with an inbound call when not idle."""
    if type(etype) is tuple and etype[0] == "call":
        if type(content) is tuple and len(content) == 2 and content[0] == "outbound":
            return _outbound(etype[1], content[1], state, data)
        return ("keep_state_and_data", [("reply", etype[1], ("error", "badarg"))])
    if etype == "cast" and _is(content, "inbound"):
        busy(content[1])
    return "keep_state_and_data"                     # anything else: ignored


def _is(event, tag, peer=None):
    return (type(event) is tuple and len(event) == 2 and event[0] == tag
            and (peer is None or event[1] == peer))


def idle(etype, content, ms):
    if etype == "cast" and _is(content, "inbound"):
        phone.reply("inbound", content[1], ms)
        return ("next_state", "receiving", (ms, content[1]))
    return _common(etype, content, "idle", ms)


def calling(etype, content, data):
    ms, callee = data
    if etype == "cast":
        if content == ("action", "hangup"):
            hangup(callee)
            return ("next_state", "idle", ms)
        if _is(content, "busy", callee):
            phone.reply("busy", callee, ms)
            return ("next_state", "idle", ms)
        if _is(content, "reject", callee):
            phone.reply("rejected", callee, ms)
            return ("next_state", "idle", ms)
        if _is(content, "accept", callee):
            got = frequency.allocate()
            if got == ("error", "no_frequency"):
                hangup(callee)                       # the callee is connected already
                phone.reply("no_frequency", callee, ms)
                return ("next_state", "idle", ms)
            phone.reply("connected", callee, ms)
            return ("next_state", "connected", (ms, callee, got[1]))
    return _common(etype, content, "calling", data)


def receiving(etype, content, data):
    ms, caller = data
    if etype == "cast":
        if content == ("action", "accept"):
            accept(caller)
            return ("next_state", "connected", (ms, caller, None))
        if content == ("action", "reject"):
            reject(caller)
            return ("next_state", "idle", ms)
        if _is(content, "hangup", caller):
            phone.reply("hangup", caller, ms)
            return ("next_state", "idle", ms)
    return _common(etype, content, "receiving", data)


def connected(etype, content, data):
    ms, peer, freq = data
    if etype == "cast":
        if content == ("action", "hangup"):
            hangup(peer)
        elif _is(content, "hangup", peer):
            phone.reply("hangup", peer, ms)
        else:
            return _common(etype, content, "connected", data)
        if freq is not None:
            frequency.deallocate(freq)
        return ("next_state", "idle", ms)
    return _common(etype, content, "connected", data)
