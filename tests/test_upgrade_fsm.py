"""ch12 gen_fsm coffee 1.0 <-> 1.1 by hand (suspend, load, change_code, resume), against erlang_ref h2."""
import pytest

from otp_lite import code, erlang, logger, runtime, supervisor, timer
from otp_lite import sys as osys
from otp_lite.erlang import ErlangError

from examples.ch12 import coffee_1_0 as v10, coffee_1_1 as v11


def out(capsys):
    runtime.run_until_idle()
    return capsys.readouterr().out.splitlines()


@pytest.fixture
def sup(capsys):
    ok, s = v10.coffee_sup.start_link()
    erlang.unlink(s)
    assert out(capsys) == ["Machine:Rebooted Hardware", "Display:Make Your Selection"]
    return s


def fsm():
    return code.module("coffee_fsm")


def test_h2_transcript(sup, capsys):
    assert code.module_info("coffee_fsm") == [("behaviour", ["gen_fsm"]), ("vsn", ["1.0"])]
    fsm().tea(); fsm().pay(50)
    assert out(capsys) == ["Display:Please pay:100", "Display:Please pay:50"]
    assert osys.get_state("coffee_fsm") == ("payment", ("tea", 100, 50))
    assert osys.suspend("coffee_fsm") == "ok"
    fsm().pay(30)                                        # waits in the mailbox
    assert out(capsys) == []
    assert code.load(v11.coffee_fsm) == ("module", "coffee_fsm")
    assert code.module_info("coffee_fsm") == [("behaviour", ["gen_fsm"]), ("vsn", ["1.1"])]
    assert osys.change_code("coffee_fsm", "coffee_fsm", "1.0", ()) == "ok"
    assert out(capsys) == ["code_change('1.0', payment, ('tea', 100, 50), ()).Machine:Returned 50 in change",
                           "Display:Make Your Selection"]
    assert osys.resume("coffee_fsm") == "ok"
    assert out(capsys) == ["Machine:Returned 30 in change"]
    assert osys.get_state("coffee_fsm") == ("selection", ())
    assert code.soft_purge("coffee_fsm") is True
    fsm().open()
    assert out(capsys) == ["Display:Open"]
    assert osys.get_state("coffee_fsm") == ("service", ())
    osys.suspend("coffee_fsm")
    assert osys.change_code("coffee_fsm", "coffee_fsm", ("down", "1.0"), ()) == "ok"
    assert out(capsys) == ["code_change(('down', '1.0'), service, (), ()).Machine:Rebooted Hardware",
                           "Display:Make Your Selection"]
    assert code.load(v10.coffee_fsm) == ("module", "coffee_fsm")
    assert osys.resume("coffee_fsm") == "ok"
    assert code.module_info("coffee_fsm")[1] == ("vsn", ["1.0"])
    assert osys.get_state("coffee_fsm") == ("selection", ())
    with pytest.raises(ErlangError) as e:
        fsm().open()
    assert e.value.detail == "undefined function coffee_fsm:open/0"
    fsm().cappuccino(); fsm().pay(100)
    assert out(capsys) == ["Display:Please pay:150", "Display:Please pay:50"]
    old = erlang.whereis("coffee_fsm")
    with logger.capture() as reps:
        assert fsm().stop() == "ok"
        timer.sleep(100)
    assert out(capsys) == ["Machine:Returned ('cappuccino', 150, 100) in change",
                           "Machine:Rebooted Hardware", "Display:Make Your Selection"]
    rep = [r for r in reps if r["kind"] == "supervisor_report"]
    assert len(rep) == 1 and "child_terminated" in "\n".join(rep[0]["text"])
    [(cid, pid, typ, mods)] = supervisor.which_children("coffee_sup")
    assert (cid, typ, mods) == ("coffee_fsm", "worker", ["coffee_fsm"]) and pid is not old


def test_change_code_needs_suspend(sup):
    code.load(v11.coffee_fsm)
    r = osys.change_code("coffee_fsm", "coffee_fsm", "1.0", ())
    assert r == ("error", ("unknown_system_msg", ("change_code", "coffee_fsm", "1.0", ())))


@pytest.mark.parametrize("state,expect_state,lines", [
    ("selection", ("selection", []), ["code_change('1.0', selection, [], ())."]),
    ("remove", ("remove", []), ["Display:Please pay:100", "Display:Preparing Drink.",
                                "Machine:Returned 0 in change", "Machine:Dropped Cup.",
                                "Machine:Preparing tea.", "Display:Remove Drink.",
                                "code_change('1.0', remove, [], ())."]),
])
def test_upgrade_keeps_other_states(sup, capsys, state, expect_state, lines):
    if state == "remove":
        fsm().tea(); fsm().pay(100)
    osys.suspend("coffee_fsm")
    code.load(v11.coffee_fsm)
    osys.change_code("coffee_fsm", "coffee_fsm", "1.0", ())
    osys.resume("coffee_fsm")
    assert out(capsys) == lines
    assert osys.get_state("coffee_fsm") == expect_state


def test_downgrade_from_payment_refunds(sup, capsys):
    osys.suspend("coffee_fsm"); code.load(v11.coffee_fsm)
    osys.change_code("coffee_fsm", "coffee_fsm", "1.0", ()); osys.resume("coffee_fsm")
    code.soft_purge("coffee_fsm")
    fsm().espresso(); fsm().pay(100)
    out(capsys)
    osys.suspend("coffee_fsm")
    osys.change_code("coffee_fsm", "coffee_fsm", ("down", "1.0"), ())
    code.load(v10.coffee_fsm)
    osys.resume("coffee_fsm")
    assert out(capsys) == ["code_change(('down', '1.0'), payment, ('espresso', 150, 100), ())."
                           "Machine:Returned 100 in change", "Display:Make Your Selection"]
    assert osys.get_state("coffee_fsm") == ("selection", ())
