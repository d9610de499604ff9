"""Checks for lab 08: the BSC supervision tree.

Tasks are the ``## N.`` headings of README.md.  Tasks 1-2 run
``simple_phone_sup`` on its own (the check creates the HLR); tasks 3-5 start
the whole tree with ``bsc_sup.start_link()``.  The shell traps exits, so a
supervisor that gives up does not take the check down.  Many checks read the
trace: ``exit`` events (who ended, with what reason, in which order) and the
supervisors' ``sup_child`` events (started | terminated | restarted ...).
"""
import pytest

from otp_lite import erlang, logger, runtime, supervisor, timer
from otp_lite.grade.labkit import require, expect, check, exits_of

# Import guard: a missing or misnamed function fails every check with one clear line.
simple_phone_sup = require("simple_phone_sup", "start_link", "init", "attach_phone", "detach_phone")
bsc_sup = require("bsc_sup", "start_link", "init")
import hlr  # noqa: E402  (given)
import phone_fsm  # noqa: E402  (given)

HOUR_MS = 3600 * 1000
TOP = ["freq_overload", "frequency", "simple_phone_sup"]


@pytest.fixture(autouse=True)
def shell_traps_exits(fresh_runtime):
    erlang.process_flag("trap_exit", True)


# ---------------------------------------------------------------- helpers
def init_of(mod, name):
    """mod.init([]) checked to be ('ok', (flags, specs)); returns (flags as a dict, specs as dicts)."""
    out = mod.init([])
    if (type(out) is not tuple or len(out) != 2 or out[0] != "ok" or type(out[1]) is not tuple
            or len(out[1]) != 2 or type(out[1][1]) is not list):
        raise AssertionError(f"Called {name}.init([]). Got {out!r}, expected ('ok', (sup_flags, [child_spec, ...])).")
    flags, specs = out[1]
    if type(flags) is tuple and len(flags) == 3:
        flags = dict(zip(("strategy", "intensity", "period"), flags))
    flags = {"strategy": "one_for_one", "intensity": 1, "period": 5, **flags}
    return flags, [spec(s) for s in specs]


def spec(s):
    """A child spec (map or 6-tuple) as a dict with OTP's defaults filled in."""
    if type(s) is tuple and len(s) == 6:
        s = dict(zip(("id", "start", "restart", "shutdown", "type", "modules"), s))
    if type(s) is not dict:
        raise AssertionError(f"Checked a child spec. Got {s!r}, expected a dict or a 6-tuple.")
    typ = s.get("type", "worker")
    return {"restart": "permanent", "type": typ,
            "shutdown": "infinity" if typ == "supervisor" else 5000, **s}


def started(mod, name):
    """mod.start_link() checked to be ('ok', pid); returns pid."""
    r = mod.start_link()
    if type(r) is not tuple or len(r) != 2 or r[0] != "ok" or not erlang.is_pid(r[1]):
        raise AssertionError(f"Called {name}.start_link(). Got {r!r}, expected ('ok', pid).")
    return r[1]


def phone_sup_alone():
    hlr.new()
    return started(simple_phone_sup, "simple_phone_sup")


def tree():
    return started(bsc_sup, "bsc_sup")


def attach(ms):
    r = simple_phone_sup.attach_phone(ms)
    if type(r) is not tuple or len(r) != 2 or r[0] != "ok" or not erlang.is_pid(r[1]):
        raise AssertionError(f"Called simple_phone_sup.attach_phone({ms}). Got {r!r}, expected ('ok', pid).")
    return r[1]


def phones():
    """The pids simple_phone_sup supervises now."""
    return sorted((c[1] for c in supervisor.which_children("simple_phone_sup")), key=repr)


def names():
    return {n: erlang.whereis(n) for n in ["bsc_sup"] + TOP}


def kill(name):
    erlang.exit(erlang.whereis(name), "kill")
    runtime.run_until_idle()


def sup_events(trace, sup, since=0):
    """[(event, id)] of supervisor sup after trace seq `since`; started/restarted both read 'start'."""
    out = []
    for e in trace.of_kind("sup_child"):
        if e["pid"] is sup and e["seq"] > since and e["event"] in ("started", "restarted", "terminated"):
            out.append(("start" if e["event"] != "terminated" else "stop", e["id"]))
    return out


def last_seq(trace):
    return trace.events[-1]["seq"] if trace.events else 0


# ---------------------------------------------------------------- task 1: simple_phone_sup
@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_phone_sup_spec():
    """simple_phone_sup.init: simple_one_for_one 10/3600, transient phone_fsm.start_link, shutdown 2000"""
    flags, specs = init_of(simple_phone_sup, "simple_phone_sup")
    check("the sup flags of simple_phone_sup (strategy, intensity, period)",
          (flags["strategy"], flags["intensity"], flags["period"]), ("simple_one_for_one", 10, 3600))
    check("the number of child specs (a simple_one_for_one has one template)", len(specs), 1)
    s = specs[0]
    check("the template's (start, restart, shutdown, type)",
          (s.get("start"), s["restart"], s["shutdown"], s["type"]),
          ((phone_fsm, "start_link", []), "transient", 2000, "worker"))


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_attach_phone_starts_a_controller():
    """attach_phone(ms) starts a phone_fsm for ms under simple_phone_sup; ('error', 'attached') twice"""
    sup = phone_sup_alone()
    expect("erlang.whereis('simple_phone_sup')", erlang.whereis("simple_phone_sup"), sup)
    p1 = attach(1)
    expect("hlr.lookup_id(1) after attach_phone(1)", hlr.lookup_id(1), ("ok", p1))
    expect("simple_phone_sup.attach_phone(1) a second time", simple_phone_sup.attach_phone(1),
           ("error", "attached"))
    p2 = attach(2)
    expect("supervisor.which_children('simple_phone_sup')",
           sorted(supervisor.which_children("simple_phone_sup"), key=repr),
           sorted([("undefined", p1, "worker", ["phone_fsm"]),
                   ("undefined", p2, "worker", ["phone_fsm"])], key=repr))


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_detach_phone(trace):
    """detach_phone(ms) terminates the controller ('shutdown') and it is not restarted"""
    phone_sup_alone()
    p1 = attach(1)
    p2 = attach(2)
    expect("simple_phone_sup.detach_phone(1)", simple_phone_sup.detach_phone(1), "ok")
    runtime.run_until_idle()
    check("how phone 1 ended", exits_of(trace, p1), ["shutdown"])
    expect("hlr.lookup_id(1) after detach_phone(1)", hlr.lookup_id(1), ("error", "invalid"))
    expect("simple_phone_sup.detach_phone(1) a second time", simple_phone_sup.detach_phone(1),
           ("error", "detached"))
    check("the phones simple_phone_sup supervises", phones(), [p2])


@pytest.mark.task(taskno=1)
@pytest.mark.points(3)
def test_transient_phone_restarted_after_crash(trace):
    """transient: a phone that crashes is restarted with the same number"""
    phone_sup_alone()
    p1 = attach(1)
    with logger.capture():
        phone_fsm.crash(p1)
        runtime.run_until_idle()
    found = hlr.lookup_id(1)
    check("that hlr.lookup_id(1) finds a phone after the crash", found[0], "ok")
    check("that phone 1 is a new process", found[1] is not p1 and erlang.is_process_alive(found[1]), True)
    check("the phones simple_phone_sup supervises", phones(), [found[1]])
    expect("phone_fsm.number(new phone 1)", phone_fsm.number(found[1]), 1)


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_transient_phone_not_restarted_after_normal_stop(trace):
    """transient: a phone that stops normally is not restarted"""
    phone_sup_alone()
    p1 = attach(1)
    phone_fsm.stop(p1)
    runtime.run_until_idle()
    check("how phone 1 ended", exits_of(trace, p1), ["normal"])
    check("the phones simple_phone_sup supervises after a normal stop", phones(), [])
    expect("hlr.lookup_id(1)", hlr.lookup_id(1), ("error", "invalid"))


# ---------------------------------------------------------------- task 2: phone intensity
@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_eleventh_crash_in_an_hour_stops_phone_sup(trace):
    """10 phone crashes in an hour are restarted; the 11th takes simple_phone_sup down ('shutdown')"""
    sup = phone_sup_alone()
    attach(1)
    with logger.capture() as reports:
        for i in range(10):
            phone_fsm.crash(hlr.lookup_id(1)[1])
            runtime.run_until_idle()
        check("that simple_phone_sup is alive after 10 crashes", erlang.is_process_alive(sup), True)
        phone_fsm.crash(hlr.lookup_id(1)[1])
        runtime.run_until_idle()
    check("how simple_phone_sup ended after the 11th crash", exits_of(trace, sup), ["shutdown"])
    check("that the supervisor logged reached_max_restart_intensity",
          "reached_max_restart_intensity" in repr(reports), True)


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_crashes_spread_over_time_are_fine():
    """10 crashes, more than an hour later 10 more: the period is a sliding window, the supervisor lives"""
    sup = phone_sup_alone()
    attach(1)
    with logger.capture():
        for i in range(20):
            if i == 10:
                timer.sleep(HOUR_MS + 1000)
            phone_fsm.crash(hlr.lookup_id(1)[1])
            runtime.run_until_idle()
    check("that simple_phone_sup is alive after 10 + 10 crashes an hour apart",
          erlang.is_process_alive(sup), True)
    check("the number of phones it supervises", len(phones()), 1)


# ---------------------------------------------------------------- task 3: bsc_sup
@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_bsc_sup_spec():
    """bsc_sup.init: rest_for_one 2/3600 over freq_overload, frequency, simple_phone_sup (in that order)"""
    flags, specs = init_of(bsc_sup, "bsc_sup")
    check("the sup flags of bsc_sup (strategy, intensity, period)",
          (flags["strategy"], flags["intensity"], flags["period"]), ("rest_for_one", 2, 3600))
    check("the child ids, in start order", [s.get("id") for s in specs], TOP)
    check("the restart types", [s["restart"] for s in specs], ["permanent"] * 3)


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_phone_sup_is_a_supervisor_child():
    """simple_phone_sup is declared a supervisor child: type 'supervisor', shutdown 'infinity'"""
    _flags, specs = init_of(bsc_sup, "bsc_sup")
    phone = [s for s in specs if s.get("id") == "simple_phone_sup"]
    check("the child specs with id 'simple_phone_sup'", len(phone), 1)
    check("its (type, shutdown)", (phone[0]["type"], phone[0]["shutdown"]), ("supervisor", "infinity"))
    workers = [s for s in specs if s.get("id") in ("freq_overload", "frequency")]
    check("the (type, shutdown) of freq_overload and frequency",
          [(s["type"], s["shutdown"]) for s in workers], [("worker", 2000), ("worker", 2000)])


@pytest.mark.task(taskno=3)
@pytest.mark.points(3)
def test_tree_starts_in_order(trace):
    """bsc_sup.start_link() registers 'bsc_sup' and starts freq_overload, frequency, simple_phone_sup in order"""
    sup = tree()
    expect("erlang.whereis('bsc_sup')", erlang.whereis("bsc_sup"), sup)
    check("the children bsc_sup started, in order", sup_events(trace, sup), [("start", i) for i in TOP])
    kids = supervisor.which_children("bsc_sup")
    check("the ids in supervisor.which_children('bsc_sup'), newest first (types are "
          "test_phone_sup_is_a_supervisor_child's business)",
          [k[0] for k in kids], ["simple_phone_sup", "frequency", "freq_overload"])
    check("that each child is registered under its id",
          all(erlang.whereis(k[0]) is k[1] for k in kids), True)


@pytest.mark.task(taskno=3)
@pytest.mark.points(3)
def test_hlr_belongs_to_the_tree():
    """bsc_sup.init creates the HLR: phones attach through the tree, and the tables outlive phone_sup restarts"""
    sup = tree()
    p1 = attach(1)
    expect("hlr.lookup_id(1)", hlr.lookup_id(1), ("ok", p1))
    from otp_lite import ets
    check("the owner of the HLR table 'msisdn2pid'", ets.info("msisdn2pid", "owner"), sup)
    kill("simple_phone_sup")
    expect("hlr.lookup_id(1) after simple_phone_sup was killed (its phones went with it)",
           hlr.lookup_id(1), ("error", "invalid"))
    p2 = attach(2)
    expect("hlr.lookup_id(2) after the restart", hlr.lookup_id(2), ("ok", p2))


# ---------------------------------------------------------------- task 4: rest_for_one
@pytest.mark.task(taskno=4)
@pytest.mark.points(3)
def test_frequency_crash_restarts_frequency_and_phone_sup():
    """frequency dies: frequency and simple_phone_sup are restarted, freq_overload is untouched"""
    tree()
    before = names()
    attach(1)
    with logger.capture():
        kill("frequency")
    after = names()
    check("which registered processes are new after frequency was killed",
          {n: after[n] is not before[n] for n in TOP},
          {"freq_overload": False, "frequency": True, "simple_phone_sup": True})
    check("that all three are alive", all(erlang.is_process_alive(after[n]) for n in TOP), True)
    check("the phones of the new simple_phone_sup (the old phones went with the old one)", phones(), [])


@pytest.mark.task(taskno=4)
@pytest.mark.points(3)
def test_rest_for_one_order_on_the_trace(trace):
    """after frequency crashes: simple_phone_sup stops first, then frequency restarts before simple_phone_sup"""
    sup = tree()
    mark = last_seq(trace)
    with logger.capture():
        kill("frequency")
    check("what bsc_sup did after frequency was killed, in order", sup_events(trace, sup, mark),
          [("stop", "frequency"), ("stop", "simple_phone_sup"),
           ("start", "frequency"), ("start", "simple_phone_sup")])


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_overload_crash_restarts_everything(trace):
    """freq_overload dies: all three children are restarted, in start order"""
    sup = tree()
    before = names()
    mark = last_seq(trace)
    with logger.capture():
        kill("freq_overload")
    after = names()
    check("which registered processes are new after freq_overload was killed",
          {n: after[n] is not before[n] for n in ["bsc_sup"] + TOP},
          {"bsc_sup": False, "freq_overload": True, "frequency": True, "simple_phone_sup": True})
    check("the children bsc_sup started after the kill, in order",
          [i for ev, i in sup_events(trace, sup, mark) if ev == "start"], TOP)


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_phone_sup_crash_restarts_only_it():
    """simple_phone_sup dies: only simple_phone_sup is restarted"""
    tree()
    before = names()
    with logger.capture():
        kill("simple_phone_sup")
    after = names()
    check("which registered processes are new after simple_phone_sup was killed",
          {n: after[n] is not before[n] for n in ["bsc_sup"] + TOP},
          {"bsc_sup": False, "freq_overload": False, "frequency": False, "simple_phone_sup": True})


# ---------------------------------------------------------------- task 5: escalation, shutdown
@pytest.mark.task(taskno=5)
@pytest.mark.points(2)
def test_third_crash_in_an_hour_takes_the_tree_down(trace):
    """3 frequency crashes within an hour: bsc_sup gives up ('shutdown') and the whole tree is gone"""
    sup = tree()
    with logger.capture():
        for _ in range(2):
            kill("frequency")
        check("that bsc_sup is alive after 2 restarts", erlang.is_process_alive(sup), True)
        kill("frequency")
    check("how bsc_sup ended", exits_of(trace, sup), ["shutdown"])
    check("the registered names after the third crash", names(), {n: "undefined" for n in ["bsc_sup"] + TOP})


@pytest.mark.task(taskno=5)
@pytest.mark.points(1)
def test_crashes_more_than_an_hour_apart(trace):
    """2 crashes, then more than an hour later 2 more: bsc_sup survives"""
    sup = tree()
    with logger.capture():
        kill("frequency")
        kill("frequency")
        timer.sleep(HOUR_MS + 1000)
        kill("frequency")
        kill("frequency")
    check("that bsc_sup is alive", erlang.is_process_alive(sup), True)


@pytest.mark.task(taskno=5)
@pytest.mark.points(3)
def test_shutdown_order_is_reverse_start_order(trace):
    """stopping bsc_sup stops the phones, then simple_phone_sup, frequency, freq_overload: reverse start order"""
    sup = tree()
    p1, p2 = attach(1), attach(2)
    who = {p1: "phone", p2: "phone", **{pid: n for n, pid in names().items()}}
    mark = last_seq(trace)
    erlang.exit(sup, "shutdown")
    runtime.run_until_idle()
    order = []
    for e in trace.of_kind("exit"):
        if e["seq"] > mark and e["pid"] in who:
            name = who[e["pid"]]
            if not order or order[-1] != name:
                order.append(name)
    check("the order in which the tree's processes ended", order,
          ["phone", "simple_phone_sup", "frequency", "freq_overload", "bsc_sup"])
    check("how the phones ended", exits_of(trace, p1) + exits_of(trace, p2), ["shutdown", "shutdown"])
