"""Checks for lab 06: the phone controllers on gen_statem.

Tasks are the ``## N.`` headings of README.md.  Every check starts an HLR, the
given frequency server and a few phone controllers (numbers 1, 2, 3), drives
them with ``phone_fsm.action``, lets everything settle
(``runtime.run_until_idle()``) and then looks at the controllers' states
(``sys.get_state``), the frequency server's state, the HLR, and what each
handset was told (``phone.reply`` puts ``'handset'`` events on the trace).
"""
import pytest

from otp_lite import erlang, gen_statem, runtime, sys as otp_sys
from otp_lite.erlang import Exit
from otp_lite.grade.labkit import require, expect, check, exits_of, sends_to_dead

# Import guard: a missing or misnamed function fails every check with one clear line.
phone_fsm = require("phone_fsm", "start_link", "stop", "action", "callback_mode", "init",
                    "terminate", "idle", "calling", "receiving", "connected",
                    "inbound", "busy", "accept", "reject", "hangup")
import frequency  # noqa: E402  (given)
import hlr  # noqa: E402  (given)

FREE = ([10, 11, 12, 13, 14, 15], [])


@pytest.fixture(autouse=True)
def network(fresh_runtime):
    """An HLR and a frequency server; the shell traps exits so a crashing phone cannot take it down."""
    erlang.process_flag("trap_exit", True)
    hlr.new()
    frequency.start()


def phones(*numbers):
    """Start a controller per number with phone_fsm.start_link, checking ('ok', pid)."""
    pids = []
    for ms in numbers:
        r = phone_fsm.start_link(ms)
        if type(r) is not tuple or len(r) != 2 or r[0] != "ok" or not erlang.is_pid(r[1]):
            raise AssertionError(f"Called phone_fsm.start_link({ms}). Got {r!r}, expected ('ok', pid).")
        pids.append(r[1])
    return pids


def settle():
    runtime.run_until_idle()


def state_of(pid):
    """The controller's state name, or '<dead: reason>'."""
    if not erlang.is_process_alive(pid):
        return "<dead>"
    try:
        return otp_sys.get_state(pid, 1000)[0]
    except Exit as e:
        return f"<dead: {e.reason!r}>"


def states(*pids):
    return [state_of(p) for p in pids]


def told(trace, ms):
    """What handset ms was told, in order: [(tag, other)]."""
    return [(e["tag"], e["other"]) for e in trace.of_kind("handset") if e["ms"] == ms]


def freqs():
    return otp_sys.get_state("frequency")


def act(a, pid):
    """phone_fsm.action(a, pid), then let everything settle; a crash is a failed check."""
    try:
        out = phone_fsm.action(a, pid)
    except Exit as e:
        raise AssertionError(f"Called phone_fsm.action({a!r}, pid). It exited with {e.reason!r} "
                             "(did the controller crash?).") from None
    settle()
    return out


def connect(caller, callee):
    """caller dials callee's number (callee is phone n = its index+1), callee accepts."""
    ok = act(("outbound", ms_of(callee)), caller)
    expect(f"phone_fsm.action(('outbound', {ms_of(callee)}), caller)", ok, "ok")
    act("accept", callee)
    check("the states of caller and callee after the callee accepted", states(caller, callee),
          ["connected", "connected"])



def ms_of(pid):
    return hlr.lookup_ms(pid)[1]


# ---------------------------------------------------------------- task 1: start, stop, HLR
@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_start_attaches_to_the_hlr():
    """start_link(ms) returns ('ok', pid); the controller is idle and attached to the HLR as ms"""
    p1, = phones(1)
    expect("hlr.lookup_id(1) after phone_fsm.start_link(1)", hlr.lookup_id(1), ("ok", p1))
    check("the state of the new controller", state_of(p1), "idle")
    check("that the controller is linked to the shell (start_link)",
          p1 in erlang.process_info(erlang.self(), "links")[1], True)


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_stop_detaches(trace):
    """stop(pid) returns 'ok'; the controller ends normally and leaves the HLR"""
    p1, = phones(1)
    expect("phone_fsm.stop(p1)", phone_fsm.stop(p1), "ok")
    settle()
    check("how the controller ended", exits_of(trace, p1), ["normal"])
    expect("hlr.lookup_id(1) after stop", hlr.lookup_id(1), ("error", "invalid"))
    expect("hlr.lookup_ms(p1) after stop", hlr.lookup_ms(p1), ("error", "invalid"))


# ---------------------------------------------------------------- task 2: dialling
@pytest.mark.task(taskno=2)
@pytest.mark.points(3)
def test_outbound_call(trace):
    """dialling a number: 'ok'; the caller is calling, the callee receiving; both handsets told"""
    p1, p2 = phones(1, 2)
    expect("phone_fsm.action(('outbound', 2), p1)", act(("outbound", 2), p1), "ok")
    check("the states of p1 and p2", states(p1, p2), ["calling", "receiving"])
    check("what handset 1 was told", told(trace, 1), [("outbound", 2)])
    check("what handset 2 was told", told(trace, 2), [("inbound", p1)])


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_invalid_number(trace):
    """dialling a number nobody has: ('error', 'invalid'), the caller stays idle"""
    p1, = phones(1)
    expect("phone_fsm.action(('outbound', 9), p1)", act(("outbound", 9), p1), ("error", "invalid"))
    check("the state of p1", state_of(p1), "idle")
    check("what handset 1 was told", told(trace, 1), [("invalid", 9)])


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_cannot_dial_when_not_idle():
    """a controller that is calling or receiving answers ('error', 'busy') to outbound"""
    p1, p2, _p3 = phones(1, 2, 3)
    act(("outbound", 2), p1)
    expect("phone_fsm.action(('outbound', 3), p1) while p1 is calling", act(("outbound", 3), p1),
           ("error", "busy"))
    expect("phone_fsm.action(('outbound', 3), p2) while p2 is receiving", act(("outbound", 3), p2),
           ("error", "busy"))
    check("the states of p1 and p2 afterwards", states(p1, p2), ["calling", "receiving"])


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_callee_busy(trace):
    """calling a phone that is receiving another call: the callee answers busy (j1, line 4)"""
    p1, p2, p3 = phones(1, 2, 3)
    act(("outbound", 2), p1)
    expect("phone_fsm.action(('outbound', 2), p3) while p2 is receiving p1's call",
           act(("outbound", 2), p3), "ok")
    check("the states of p1, p2, p3", states(p1, p2, p3), ["calling", "receiving", "idle"])
    check("what handset 3 was told", told(trace, 3), [("outbound", 2), ("busy", p2)])
    check("what handset 2 was told (p3's call is not announced)", told(trace, 2), [("inbound", p1)])


# ---------------------------------------------------------------- task 3: answering
@pytest.mark.task(taskno=3)
@pytest.mark.points(4)
def test_accept_connects_and_allocates(trace):
    """the callee accepts: both connected, the CALLER holds a frequency, its handset says connected"""
    p1, p2 = phones(1, 2)
    act(("outbound", 2), p1)
    act("accept", p2)
    check("the states of p1 and p2 after p2 accepted", states(p1, p2), ["connected", "connected"])
    expect("sys.get_state('frequency')", freqs(), ([11, 12, 13, 14, 15], [(10, p1)]))
    check("what handset 1 was told", told(trace, 1), [("outbound", 2), ("connected", p2)])


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_reject(trace):
    """the callee rejects: both idle, no frequency used, the caller's handset says rejected"""
    p1, _p2, p3 = phones(1, 2, 3)
    act(("outbound", 3), p1)
    act("reject", p3)
    check("the states of p1 and p3 after p3 rejected", states(p1, p3), ["idle", "idle"])
    expect("sys.get_state('frequency')", freqs(), FREE)
    check("what handset 1 was told", told(trace, 1), [("outbound", 3), ("rejected", p3)])


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_connected_phones_are_busy(trace):
    """calling a phone that is in a call: busy, and the call in progress goes on"""
    p1, p2, p3 = phones(1, 2, 3)
    connect(p1, p2)
    expect("phone_fsm.action(('outbound', 1), p3) while p1 talks to p2", act(("outbound", 1), p3), "ok")
    check("the states of p1, p2, p3", states(p1, p2, p3), ["connected", "connected", "idle"])
    check("what handset 3 was told", told(trace, 3), [("outbound", 1), ("busy", p1)])
    expect("phone_fsm.action(('outbound', 3), p2) while p2 talks to p1", act(("outbound", 3), p2),
           ("error", "busy"))


# ---------------------------------------------------------------- task 4: hanging up
@pytest.mark.task(taskno=4)
@pytest.mark.points(3)
def test_callee_hangs_up(trace):
    """the callee hangs up: both idle, the frequency is free again, the caller's handset told"""
    p1, p2 = phones(1, 2)
    connect(p1, p2)
    act("hangup", p2)
    check("the states of p1 and p2 after p2 hung up", states(p1, p2), ["idle", "idle"])
    expect("sys.get_state('frequency')", freqs(), FREE)
    check("the last thing handset 1 was told", told(trace, 1)[-1:], [("hangup", p2)])


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_caller_hangs_up(trace):
    """the caller hangs up: both idle, the frequency is free again, the callee's handset told"""
    p1, p2 = phones(1, 2)
    connect(p1, p2)
    act("hangup", p1)
    check("the states of p1 and p2 after p1 hung up", states(p1, p2), ["idle", "idle"])
    expect("sys.get_state('frequency')", freqs(), FREE)
    check("the last thing handset 2 was told", told(trace, 2)[-1:], [("hangup", p1)])


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_hangup_while_calling(trace):
    """the caller hangs up before the callee answers: both idle, the callee's handset told"""
    p1, p2 = phones(1, 2)
    act(("outbound", 2), p1)
    act("hangup", p1)
    check("the states of p1 and p2", states(p1, p2), ["idle", "idle"])
    check("what handset 2 was told", told(trace, 2), [("inbound", p1), ("hangup", p1)])
    expect("sys.get_state('frequency')", freqs(), FREE)


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_stray_events_are_ignored():
    """events that make no sense in a state (accept when idle, a stranger's hangup) change nothing"""
    p1, p2, p3 = phones(1, 2, 3)
    act("accept", p3)
    act("hangup", p3)
    connect(p1, p2)
    gen_statem.cast(p1, ("hangup", p3))            # p3 is not p1's peer
    gen_statem.cast(p2, ("reject", p3))
    settle()
    check("the states of p1, p2, p3", states(p1, p2, p3), ["connected", "connected", "idle"])
    expect("sys.get_state('frequency')", freqs(), ([11, 12, 13, 14, 15], [(10, p1)]))


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_stray_events_while_calling(trace):
    """while calling, a busy, reject or accept from a phone that is not the callee changes nothing"""
    p1, _p2, p3 = phones(1, 2, 3)
    act(("outbound", 2), p1)
    for tag in ("busy", "reject", "accept"):
        gen_statem.cast(p1, (tag, p3))             # p3 is not the phone p1 is calling
    settle()
    check("the state of p1 after busy, reject and accept from p3, a phone it is not calling "
          "(ignore a peer event from anybody but your peer)", state_of(p1), "calling")
    check("what handset 1 was told", told(trace, 1), [("outbound", 2)])
    expect("sys.get_state('frequency')", freqs(), FREE)


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_a_call_frees_its_frequency_once():
    """after a call has ended, stopping both phones frees nothing more (the frequency is freed exactly once)"""
    p1, p2 = phones(1, 2)
    connect(p1, p2)
    act("hangup", p2)
    phone_fsm.stop(p1)
    phone_fsm.stop(p2)
    settle()
    check("the frequency server after p2 hung up and both phones stopped (a frequency freed twice "
          "is in the free list twice: forget it when the call ends)", freqs(), FREE)


# ---------------------------------------------------------------- task 5: no frequency
@pytest.mark.task(taskno=5)
@pytest.mark.points(3)
def test_no_frequency_frees_the_callee(trace):
    """no frequency left when the callee accepts: BOTH phones end idle (the book strands the callee)"""
    p1, p2 = phones(1, 2)
    taken = [frequency.allocate() for _ in range(6)]
    check("that the shell took all six frequencies", taken, [("ok", f) for f in range(10, 16)])
    act(("outbound", 2), p1)
    act("accept", p2)
    check("the states of p1 and p2 after p2 accepted with no frequency free", states(p1, p2),
          ["idle", "idle"])
    check("what handset 1 was told", told(trace, 1), [("outbound", 2), ("no_frequency", p2)])
    me = erlang.self()
    expect("sys.get_state('frequency')", freqs(), ([], [(f, me) for f in range(15, 9, -1)]))


@pytest.mark.task(taskno=5)
@pytest.mark.points(2)
def test_after_no_frequency_both_can_call_again():
    """after a no_frequency, the callee can dial again and connect once a frequency is free"""
    p1, p2 = phones(1, 2)
    for _ in range(6):
        frequency.allocate()
    act(("outbound", 2), p1)
    act("accept", p2)
    frequency.deallocate(10)
    expect("phone_fsm.action(('outbound', 1), p2)", act(("outbound", 1), p2), "ok")
    act("accept", p1)
    check("the states of p1 and p2", states(p1, p2), ["connected", "connected"])
    expect("the frequency p2 holds", [f for f, pid in freqs()[1] if pid is p2], [10])


# ---------------------------------------------------------------- task 6: termination
@pytest.mark.task(taskno=6)
@pytest.mark.points(2)
def test_stop_the_caller_in_a_call(trace):
    """stopping the caller mid-call: the peer goes idle, the frequency is freed, the HLR forgets 1"""
    p1, p2 = phones(1, 2)
    connect(p1, p2)
    phone_fsm.stop(p1)
    settle()
    check("the state of p2 after p1 stopped", state_of(p2), "idle")
    expect("sys.get_state('frequency')", freqs(), FREE)
    expect("hlr.lookup_id(1)", hlr.lookup_id(1), ("error", "invalid"))
    check("the messages sent to dead processes", sends_to_dead(trace), [])


@pytest.mark.task(taskno=6)
@pytest.mark.points(2)
def test_stop_the_callee_in_a_call(trace):
    """stopping the callee mid-call: the caller goes idle and frees the frequency, the HLR forgets 2"""
    p1, p2 = phones(1, 2)
    connect(p1, p2)
    phone_fsm.stop(p2)
    settle()
    check("how p2 ended", exits_of(trace, p2), ["normal"])
    check("the state of p1 after p2 stopped", state_of(p1), "idle")
    expect("sys.get_state('frequency')", freqs(), FREE)
    expect("hlr.lookup_id(2)", hlr.lookup_id(2), ("error", "invalid"))


@pytest.mark.task(taskno=6)
@pytest.mark.points(1)
def test_stop_while_calling_or_receiving():
    """stopping a phone that is calling or receiving sends its peer back to idle"""
    p1, p2, p3 = phones(1, 2, 3)
    act(("outbound", 2), p1)
    phone_fsm.stop(p2)                             # receiving: the caller must not wait for ever
    settle()
    check("the state of p1 after the phone it was calling stopped", state_of(p1), "idle")
    act(("outbound", 1), p3)
    phone_fsm.stop(p3)                             # calling: the callee must not ring for ever
    settle()
    check("the state of p1 after the phone calling it stopped", state_of(p1), "idle")
    expect("hlr.lookup_id(2), hlr.lookup_id(3)", (hlr.lookup_id(2), hlr.lookup_id(3)),
           (("error", "invalid"), ("error", "invalid")))


@pytest.mark.task(taskno=6)
@pytest.mark.points(2)
def test_shutdown_by_the_parent(trace):
    """an exit('shutdown') from the parent still runs terminate (trap exits): peer idle, HLR clean"""
    p1, p2 = phones(1, 2)
    connect(p1, p2)
    erlang.exit(p2, "shutdown")
    settle()
    check("how p2 ended", exits_of(trace, p2), ["shutdown"])
    check("the state of p1", state_of(p1), "idle")
    expect("sys.get_state('frequency')", freqs(), FREE)
    expect("hlr.lookup_id(2) (terminate must detach)", hlr.lookup_id(2), ("error", "invalid"))
