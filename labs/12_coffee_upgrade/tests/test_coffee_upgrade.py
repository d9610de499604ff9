"""Checks for lab 12: upgrading the coffee machine from 1.0 to 1.1 and back.

Tasks are the ``## N.`` headings of README.md.  Tasks 1-2 start your 1.1
machine on its own.  Task 3 starts the given 1.0 machine under its
supervisor and upgrades it by hand, as in erlang_ref h2: ``sys.suspend``,
events sent meanwhile wait in the mailbox, ``code.load`` of your module,
``sys.change_code(..., '1.0', ())``, ``sys.resume``.  Task 4 goes down from
your 1.1 (``('down', '1.0')`` runs in your module, *then* 1.0 is loaded).
Task 5 boots release 1.0 and lets the release handler run the relup made
from your appup.  The checks read the ``Display:``/``Machine:`` lines the
hardware stub prints, and ``sys.get_state``.
"""
import re

import pytest

from otp_lite import application, code, erlang, release, release_handler, runtime
from otp_lite import sys as osys
from otp_lite.erlang import Exit
from otp_lite.grade.labkit import require, expect, check, exits_of

# Import guard: a missing or misnamed function fails every check with one clear line.
coffee_fsm = require("coffee_fsm", "start_link", "tea", "espresso", "cappuccino", "pay", "cancel",
                     "cup_removed", "open", "close", "stop", "init", "selection", "payment", "remove",
                     "service", "terminate", "code_change")
coffee_appup = require("coffee_appup", "appup")
import coffee_1_0 as v10  # noqa: E402  (given: the release in the field)

SELECTION_DATA = ([], ())          # 1.0 uses [], the book's code_change {}: both are fine


# ---------------------------------------------------------------- helpers
def hw(capsys):
    """The hardware lines printed since last asked (a debug print glued in front is ignored)."""
    runtime.run_until_idle()
    return re.findall(r"(?:Display|Machine):.*", capsys.readouterr().out)


def fsm():
    """The current version of coffee_fsm (a fully qualified call: coffee_fsm:tea())."""
    return code.module("coffee_fsm")


def state():
    return guarded("sys.get_state('coffee_fsm')", osys.get_state, "coffee_fsm", 1000)


def vsn():
    info = code.module_info("coffee_fsm")
    return dict(info).get("vsn") if type(info) is list else info


def run(calls):
    for c in calls:
        getattr(fsm(), c[0])(*c[1:])


def start_11(capsys):
    """Your 1.1 machine on its own (no supervisor)."""
    r = coffee_fsm.start_link()
    if type(r) is not tuple or len(r) != 2 or r[0] != "ok" or not erlang.is_pid(r[1]):
        raise AssertionError(f"Called coffee_fsm.start_link(). Got {r!r}, expected ('ok', pid).")
    erlang.unlink(r[1])
    hw(capsys)
    return r[1]


def start_10(capsys, calls=()):
    """The given 1.0 machine under coffee_sup, driven by `calls`; returns its pid."""
    ok, sup = v10.coffee_sup.start_link()
    erlang.unlink(sup)
    run(calls)
    hw(capsys)
    return erlang.whereis("coffee_fsm")


def guarded(call, fun, *args):
    """fun(*args), a crash reported as a failed check rather than an error."""
    try:
        return fun(*args)
    except Exit as e:
        raise AssertionError(f"Called {call}. It exited with {e.reason!r} (did the machine crash?).") from None
    except Exception as e:                      # noqa: BLE001
        raise AssertionError(f"Called {call}. It raised {e!r}.") from None


def upgrade_by_hand(capsys, queued=()):
    """suspend, queue `queued`, load yours, change_code '1.0', resume -> (lines at change_code, lines after resume)."""
    expect("sys.suspend('coffee_fsm')", osys.suspend("coffee_fsm", 1000), "ok")
    run(queued)
    expect("code.load(coffee_fsm)  (your 1.1)", code.load(coffee_fsm), ("module", "coffee_fsm"))
    hw(capsys)
    expect("sys.change_code('coffee_fsm', 'coffee_fsm', '1.0', ())",
           osys.change_code("coffee_fsm", "coffee_fsm", "1.0", (), 1000), "ok")
    at_change = hw(capsys)
    expect("sys.resume('coffee_fsm')", osys.resume("coffee_fsm", 1000), "ok")
    return at_change, hw(capsys)


def downgrade_by_hand(capsys, queued=()):
    """suspend, queue, change_code ('down', '1.0') in yours, load 1.0, resume -> (lines at change_code, after resume)."""
    expect("sys.suspend('coffee_fsm')", osys.suspend("coffee_fsm", 1000), "ok")
    run(queued)
    hw(capsys)
    expect("sys.change_code('coffee_fsm', 'coffee_fsm', ('down', '1.0'), ())",
           osys.change_code("coffee_fsm", "coffee_fsm", ("down", "1.0"), (), 1000), "ok")
    at_change = hw(capsys)
    code.purge("coffee_fsm")
    expect("code.load(coffee_1_0.coffee_fsm)", code.load(v10.coffee_fsm), ("module", "coffee_fsm"))
    expect("sys.resume('coffee_fsm')", osys.resume("coffee_fsm", 1000), "ok")
    return at_change, hw(capsys)


def refund(lines, paid):
    """`lines` with a refund printed display-first (as 1.0's cancel does) put in the README's order.

    The README asks for both effects, not their order: [Display:Make Your Selection,
    Machine:Returned N in change] is as good as the other way round."""
    pair = ["Machine:Returned %s in change" % paid, "Display:Make Your Selection"]
    if lines[:2] == pair[::-1]:
        return pair + lines[2:]
    return lines


def check_selection(when):
    st = state()
    check(f"sys.get_state('coffee_fsm') {when}: the state name", st[0], "selection")
    check(f"sys.get_state('coffee_fsm') {when}: the data is [] (or the book's ())",
          st[1] in SELECTION_DATA, True)


# ---- releases
def appup():
    a = coffee_appup.appup()
    if (type(a) is not tuple or len(a) != 3 or type(a[1]) is not list or type(a[2]) is not list
            or not all(type(x) is tuple and len(x) == 2 and type(x[1]) is list for x in a[1] + a[2])):
        raise AssertionError(f"Called coffee_appup.appup(). Got {a!r}, expected "
                             "(vsn, [(up_from, [instruction, ...])], [(down_to, [instruction, ...])]).")
    return a


def releases():
    """(REL_10, REL_11): the given 1.0, and 1.1 with your coffee_fsm and your appup."""
    mods = {"coffee_app": v10.coffee_app, "coffee_sup": v10.coffee_sup, "coffee_fsm": coffee_fsm}
    app11 = ("application", "coffee",
             [("description", "Coffee machine"), ("vsn", "1.1"), ("modules", list(mods)),
              ("registered", ["coffee_sup", "coffee_fsm"]), ("applications", ["kernel", "stdlib"]),
              ("mod", (v10.coffee_app, []))])
    rel10 = release.release("coffee", "1.0", [(release.app_of(v10), "permanent")])
    rel11 = release.release("coffee", "1.1", [(release.app(app11, mods, appup()), "permanent")])
    return rel10, rel11


def boot_10(capsys, rel10):
    expect("release.boot(REL_10)", release.boot(rel10), "ok")
    hw(capsys)
    return erlang.whereis("coffee_fsm")


def install(rel, want):
    r = guarded(f"release_handler.install_release(REL_{rel.vsn.replace('.', '')})",
                release_handler.install_release, rel)
    expect(f"release_handler.install_release(REL_{rel.vsn.replace('.', '')})", r, want)


# ---------------------------------------------------------------- task 1: the service state
@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_open_enters_service(capsys):
    """1.1: open() in selection displays 'Open' and enters service"""
    start_11(capsys)
    expect("coffee_fsm.open()", coffee_fsm.open(), "ok")
    check("the lines printed after open()", hw(capsys), ["Display:Open"])
    check("the state name after open()", state()[0], "service")


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_coins_in_service_are_returned(capsys):
    """1.1: a coin put in during service is returned; the machine stays in service"""
    start_11(capsys)
    coffee_fsm.open()
    coffee_fsm.pay(50)
    check("the lines printed after open(), pay(50)", hw(capsys), ["Display:Open", "Machine:Returned 50 in change"])
    check("the state name after open(), pay(50)", state()[0], "service")


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_close_reboots_into_selection(capsys):
    """1.1: close() reboots the hardware and goes back to selection"""
    start_11(capsys)
    coffee_fsm.open()
    hw(capsys)
    expect("coffee_fsm.close()", coffee_fsm.close(), "ok")
    check("the lines printed after close()", hw(capsys),
          ["Machine:Rebooted Hardware", "Display:Make Your Selection"])
    check_selection("after close()")
    coffee_fsm.tea()
    check("the lines printed by tea() after close()", hw(capsys), ["Display:Please pay:100"])


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_open_ignored_outside_selection(capsys):
    """1.1: open() during payment is ignored (nothing printed, payment kept)"""
    start_11(capsys)
    coffee_fsm.tea()
    coffee_fsm.pay(50)
    hw(capsys)
    expect("coffee_fsm.open() during payment", coffee_fsm.open(), "ok")
    check("the lines printed by open() during payment", hw(capsys), [])
    expect("sys.get_state('coffee_fsm') after open() during payment", state(), ("payment", ("tea", 100, 50)))


# ---------------------------------------------------------------- task 2: stop refunds the coins
@pytest.mark.task(taskno=2)
@pytest.mark.points(3)
def test_stop_in_payment_refunds_the_coins(capsys, trace):
    """1.1: stop() in payment returns the coins paid (1.0 'returned' its state tuple)"""
    pid = start_11(capsys)
    coffee_fsm.cappuccino()
    coffee_fsm.pay(100)
    hw(capsys)
    expect("coffee_fsm.stop() during payment", coffee_fsm.stop(), "ok")
    check("the lines printed by stop() after cappuccino(), pay(100)", hw(capsys),
          ["Machine:Returned 100 in change"])
    check("how the machine ended", exits_of(trace, pid), ["normal"])


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_stop_in_service(capsys, trace):
    """1.1: stop() in service replies 'ok' and the machine stops normally"""
    pid = start_11(capsys)
    coffee_fsm.open()
    check("the state name after open()", state()[0], "service")
    expect("coffee_fsm.stop() in service", coffee_fsm.stop(), "ok")
    runtime.run_until_idle()
    check("how the machine ended", exits_of(trace, pid), ["normal"])


# ---------------------------------------------------------------- task 3: upgrade by hand
@pytest.mark.task(taskno=3)
@pytest.mark.points(3)
def test_upgrade_in_selection(capsys):
    """up from 1.0 in selection: state kept, an event queued while suspended runs after resume"""
    pid = start_10(capsys)
    at_change, after = upgrade_by_hand(capsys, queued=[("tea",)])
    check("the lines printed by sys.change_code in selection", at_change, [])
    check("the lines printed after sys.resume (the queued tea())", after, ["Display:Please pay:100"])
    expect("sys.get_state('coffee_fsm') after the upgrade", state(), ("payment", ("tea", 100, 0)))
    check("that the machine is the same process", erlang.whereis("coffee_fsm"), pid)


@pytest.mark.task(taskno=3)
@pytest.mark.points(4)
def test_upgrade_in_payment_refunds(capsys):
    """up from 1.0 in payment (50 paid): refund 50, back to selection; a coin queued meanwhile is returned"""
    start_10(capsys, [("tea",), ("pay", 50)])
    at_change, after = upgrade_by_hand(capsys, queued=[("pay", 30)])
    check("the lines printed by sys.change_code in payment (tea, 50 paid)", refund(at_change, 50),
          ["Machine:Returned 50 in change", "Display:Make Your Selection"])
    check("the lines printed after sys.resume (the queued pay(30), now in selection)", after,
          ["Machine:Returned 30 in change"])
    check_selection("after the upgrade in payment")


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_upgrade_in_remove(capsys):
    """up from 1.0 in remove: state kept; the queued cup_removed() runs after resume"""
    start_10(capsys, [("tea",), ("pay", 100)])
    expect("sys.get_state('coffee_fsm') before the upgrade", state(), ("remove", []))
    at_change, after = upgrade_by_hand(capsys, queued=[("cup_removed",)])
    check("the lines printed by sys.change_code in remove", at_change, [])
    check("the lines printed after sys.resume (the queued cup_removed())", after,
          ["Display:Make Your Selection"])
    check_selection("after cup_removed()")


@pytest.mark.task(taskno=3)
@pytest.mark.points(3)
def test_new_code_runs_after_upgrade(capsys):
    """after the upgrade the same process runs 1.1 (vsn '1.1'): open() and close() work"""
    pid = start_10(capsys)
    upgrade_by_hand(capsys)
    expect("code.module_info('coffee_fsm') vsn after loading yours (vsn = \"1.1\" at the top?)", vsn(), ["1.1"])
    check("that the upgraded machine is still the 1.0 process (not a restart)", erlang.whereis("coffee_fsm"), pid)
    fsm().open()
    check("the lines printed by open() after the upgrade", hw(capsys), ["Display:Open"])
    check("the state name after open()", state()[0], "service")
    fsm().close()
    check("the lines printed by close() after the upgrade", hw(capsys),
          ["Machine:Rebooted Hardware", "Display:Make Your Selection"])
    check_selection("after open(), close()")


# ---------------------------------------------------------------- task 4: downgrade by hand
@pytest.mark.task(taskno=4)
@pytest.mark.points(3)
def test_downgrade_from_service(capsys):
    """down to 1.0 in service: reboot into selection, then 1.0 runs the queued tea()"""
    pid = start_11(capsys)
    coffee_fsm.open()
    check("the state name after open()", state()[0], "service")
    at_change, after = downgrade_by_hand(capsys, queued=[("tea",)])
    check("the lines printed by sys.change_code(('down', '1.0')) in service", at_change,
          ["Machine:Rebooted Hardware", "Display:Make Your Selection"])
    check("the lines printed after sys.resume (the queued tea(), run by 1.0)", after, ["Display:Please pay:100"])
    expect("sys.get_state('coffee_fsm') after the downgrade", state(), ("payment", ("tea", 100, 0)))
    expect("code.module_info('coffee_fsm') vsn", vsn(), ["1.0"])
    check("that the machine is the same process", erlang.whereis("coffee_fsm"), pid)


@pytest.mark.task(taskno=4)
@pytest.mark.points(3)
def test_downgrade_from_payment_refunds(capsys):
    """down to 1.0 in payment (100 of 150 paid): refund 100, back to selection"""
    start_11(capsys)
    coffee_fsm.espresso()
    coffee_fsm.pay(100)
    expect("sys.get_state('coffee_fsm') before the downgrade", state(), ("payment", ("espresso", 150, 100)))
    at_change, after = downgrade_by_hand(capsys)
    check("the lines printed by sys.change_code(('down', '1.0')) in payment", refund(at_change, 100),
          ["Machine:Returned 100 in change", "Display:Make Your Selection"])
    check_selection("after the downgrade in payment")


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_downgrade_keeps_remove(capsys):
    """down to 1.0 in remove: state kept, nothing printed; 1.0 then handles cup_removed()"""
    start_11(capsys)
    coffee_fsm.tea()
    coffee_fsm.pay(100)
    hw(capsys)
    at_change, after = downgrade_by_hand(capsys)
    check("the lines printed by sys.change_code(('down', '1.0')) in remove", at_change, [])
    expect("sys.get_state('coffee_fsm') after the downgrade", state(), ("remove", []))
    fsm().cup_removed()
    check("the lines printed by cup_removed() after the downgrade", hw(capsys), ["Display:Make Your Selection"])


# ---------------------------------------------------------------- task 5: the release handler
@pytest.mark.task(taskno=5)
@pytest.mark.points(2)
def test_appup_makes_the_relup():
    """coffee_appup: 1.1 from/to 1.0 by an advanced update of coffee_fsm; make_relup uses it both ways"""
    a = appup()
    expect("coffee_appup.appup()[0]", a[0], "1.1")
    check("the versions coffee 1.1 goes up from / down to", ([v for v, _ in a[1]], [v for v, _ in a[2]]),
          (["1.0"], ["1.0"]))
    for i, way in ((1, "up"), (2, "down")):
        instrs = a[i][0][1]
        ok = [x for x in instrs if type(x) is tuple and len(x) >= 3 and x[:2] == ("update", "coffee_fsm")
              and type(x[2]) is tuple and len(x[2]) == 2 and x[2][0] == "advanced"]
        check(f"that the {way} instructions update coffee_fsm with ('advanced', extra)", len(ok), 1)
    rel10, rel11 = releases()
    relup = guarded("release.make_relup(REL_11, REL_10)", release.make_relup, rel11, rel10)
    if type(relup) is not tuple or len(relup) != 3 or relup[0] == "error":
        raise AssertionError(f"Called release.make_relup(REL_11, REL_10). Got {relup!r}, expected a relup.")
    up, down = relup[1][0][2], relup[2][0][2]
    ops_up = [x if type(x) is str else x[0] for x in up]
    ops_down = [x if type(x) is str else x[0] for x in down]
    check("the relup's up script", ops_up,
          ["load_object_code", "point_of_no_return", "suspend", "load", "code_change", "resume"])
    check("the relup's down script (code_change before load)", ops_down,
          ["load_object_code", "point_of_no_return", "suspend", "code_change", "load", "resume"])


@pytest.mark.task(taskno=5)
@pytest.mark.points(3)
def test_install_release_up_in_payment(capsys):
    """install_release(REL_11) in payment: refund, selection, same process; a coin sent meanwhile is returned"""
    rel10, rel11 = releases()
    pid = boot_10(capsys, rel10)
    run([("tea",), ("pay", 50)])
    hw(capsys)
    real, seen = osys.change_code, []

    def spy(p, m, v, e, *rest):
        fsm().pay(30)                       # arrives while the machine is suspended
        seen.append(v)
        return real(p, m, v, e, *rest)
    osys.change_code = spy
    try:
        install(rel11, ("ok", "1.0", []))
    finally:
        osys.change_code = real
    check("the old_vsn the release handler passed to sys.change_code", seen, ["1.0"])
    check("the lines printed by the upgrade", refund(hw(capsys), 50),
          ["Machine:Returned 50 in change", "Display:Make Your Selection", "Machine:Returned 30 in change"])
    check_selection("after install_release(REL_11)")
    check("that the code of coffee_fsm is now your module (loaded by the release handler)",
          getattr(code.current("coffee_fsm"), "ns", None) is coffee_fsm, True)
    check("that the machine is the same process", erlang.whereis("coffee_fsm"), pid)
    check("that coffee 1.1 is running", ("coffee", "Coffee machine", "1.1") in application.which_applications(), True)


@pytest.mark.task(taskno=5)
@pytest.mark.points(3)
def test_install_release_down_from_service(capsys):
    """install_release(REL_10) from 1.1 in service: reboot into selection, 1.0 code, same process"""
    rel10, rel11 = releases()
    pid = boot_10(capsys, rel10)
    install(rel11, ("ok", "1.0", []))
    fsm().open()
    check("the lines printed by open() on 1.1", hw(capsys), ["Display:Open"])
    install(rel10, ("ok", "1.1", []))
    check("the lines printed by the downgrade from service", hw(capsys),
          ["Machine:Rebooted Hardware", "Display:Make Your Selection"])
    check_selection("after install_release(REL_10)")
    expect("code.module_info('coffee_fsm') vsn", vsn(), ["1.0"])
    check("that the machine is the same process", erlang.whereis("coffee_fsm"), pid)
