"""Book ch. 6 examples against reference/erlang_ref b1, b2, b3, b4 and j1 (pids differ, shapes do not)."""
import types

import pytest

from otp_lite import erlang, gen_fsm, logger, runtime, sys as osys, timer
from otp_lite.erlang import Exit

from examples.ch6 import earth
from examples.ch6.plain import coffee_fsm as plain
from examples.ch6.otp import coffee_fsm, coffee_fsm_timeout, coffee_statem, test_fsm
from otp_testkit import assert_empty_mailbox


def out(capsys):
    runtime.run_until_idle()
    return capsys.readouterr().out.splitlines()


def test_earth_day_and_night():
    with runtime.Recorder() as rec:
        p = earth.start()
        for m in ("sunrise", "eclipse", "sunset"):     # sunrise waits in the mailbox for the night
            erlang.send(p, m)
        runtime.run_until_idle()
    moves = [(e["old"], e["new"]) for e in rec.events if e["kind"] == "state"]
    assert moves == [("day", "day"), ("day", "night"), ("night", "day")]
    assert erlang.process_info(p, "message_queue_len") == ("message_queue_len", 0)


def test_plain_coffee_machine(capsys):
    assert plain.start_link()[0] == "ok"
    assert out(capsys) == ["Machine:Rebooted Hardware", "Display:Make Your Selection"]
    plain.pay(20)
    plain.tea()
    plain.americano()                           # ignored in payment
    plain.pay(50)
    plain.pay(60)
    assert out(capsys) == ["Machine:Returned 20 in change", "Display:Please pay:100", "Display:Please pay:50",
                           "Display:Preparing Drink.", "Machine:Returned 10 in change", "Machine:Dropped Cup.",
                           "Machine:Preparing tea.", "Display:Remove Drink."]
    plain.cancel()
    plain.pay(5)
    plain.cup_removed()
    plain.espresso()
    plain.pay(100)
    plain.cancel()
    assert out(capsys) == ["Machine:Returned 5 in change", "Display:Make Your Selection", "Display:Please pay:150",
                           "Display:Please pay:50", "Display:Make Your Selection", "Machine:Returned 100 in change"]


# ------------------------------------------------------------------ b1
def test_b1_gen_fsm_event_sequences(capsys):
    assert coffee_fsm.start_link()[0] == "ok"                       # 1>
    assert out(capsys) == ["Machine:Rebooted Hardware", "Display:Make Your Selection"]
    assert coffee_fsm.tea() == "ok"                                  # 2> - 4>
    coffee_fsm.pay(50)
    coffee_fsm.pay(20)
    assert out(capsys) == ["Display:Please pay:100", "Display:Please pay:50", "Display:Please pay:30"]
    assert osys.get_state("coffee_fsm") == ("payment", ("tea", 100, 70))      # 5>
    coffee_fsm.pay(50)                                               # 6>
    assert out(capsys) == ["Display:Preparing Drink.", "Machine:Returned 20 in change", "Machine:Dropped Cup.",
                           "Machine:Preparing tea.", "Display:Remove Drink."]
    coffee_fsm.pay(10)                                               # 7> - 9>
    coffee_fsm.cancel()
    coffee_fsm.cup_removed()
    assert out(capsys) == ["Machine:Returned 10 in change", "Display:Make Your Selection"]
    coffee_fsm.pay(100)                                              # 10> - 14>
    coffee_fsm.cappuccino()
    coffee_fsm.pay(100)
    coffee_fsm.tea()
    coffee_fsm.cancel()
    assert out(capsys) == ["Machine:Returned 100 in change", "Display:Please pay:150", "Display:Please pay:50",
                           "Display:Make Your Selection", "Machine:Returned 100 in change"]
    assert osys.get_state("coffee_fsm") == ("selection", [])         # 15>
    coffee_fsm.americano()                                           # 16> - 19>
    coffee_fsm.pay(200)
    coffee_fsm.espresso()
    coffee_fsm.cup_removed()
    assert out(capsys) == ["Display:Please pay:150", "Display:Preparing Drink.", "Machine:Returned 50 in change",
                           "Machine:Dropped Cup.", "Machine:Preparing americano.", "Display:Remove Drink.",
                           "Display:Make Your Selection"]
    coffee_fsm.espresso()                                            # 20> - 22>
    coffee_fsm.pay(100)
    assert osys.get_state("coffee_fsm") == ("payment", ("espresso", 150, 100))
    out(capsys)
    assert coffee_fsm.stop() == "ok"                                 # fixed stop/0: refund, no crash
    assert out(capsys) == ["Machine:Returned 100 in change"]
    assert erlang.whereis("coffee_fsm") == "undefined"
    assert_empty_mailbox()


def book_coffee_fsm():
    """The book's coffee_fsm as written: no handle_sync_event/4."""
    ns = types.SimpleNamespace(**{k: v for k, v in vars(coffee_fsm).items()
                                  if not k.startswith("__") and k != "handle_sync_event"})
    ns.__name__ = "coffee_fsm"
    return ns


def test_b1_book_as_written_stop_crashes_and_kills_the_linked_shell(capsys):
    shell = erlang.self()
    _, pid = gen_fsm.start_link(("local", "coffee_fsm"), book_coffee_fsm(), [], [])
    coffee_fsm.espresso()
    coffee_fsm.pay(100)
    out(capsys)
    with logger.capture() as reports:
        with pytest.raises(Exit) as e:                                # 24> catch coffee_fsm:stop().
            coffee_fsm.stop()
    assert e.value.reason[0] == "undef"
    assert e.value.reason[1][0][:2] == ("coffee_fsm", "handle_sync_event")
    assert out(capsys) == ["Machine:Returned 100 in change"]          # terminate/3 still ran
    assert [r["kind"] for r in reports] == ["error_report", "crash_report"]
    text = reports[0]["text"]
    assert text[0] == "** State machine coffee_fsm terminating "
    assert text[1] == f"** Last sync event in was stop (for all states) from {shell!r}"
    assert text[2:4] == ["** When State == payment", "**      Data  == ('espresso', 150, 100)"]
    assert "** ('function not exported'," in "\n".join(text)          # OTP's wording in the report
    assert text[-2] == f"** Client {shell!r} stacktrace"
    assert erlang.self() is not shell and not erlang.is_process_alive(shell)   # 25> a new shell
    assert erlang.whereis("coffee_fsm") == "undefined"                          # 26>
    assert not erlang.is_process_alive(pid)


# ------------------------------------------------------------------ b2
def test_b2_payment_timeout_restarted_by_any_message(capsys):
    coffee_fsm_timeout.start_link()
    coffee_fsm_timeout.cappuccino()                                   # 2>, 3>
    coffee_fsm_timeout.pay(50)
    assert out(capsys)[-2:] == ["Display:Please pay:150", "Display:Please pay:100"]
    timer.sleep(9999)
    assert out(capsys) == []
    timer.sleep(2)                                                    # 10 s after the last pay
    assert out(capsys) == ["Display:Make Your Selection", "Machine:Returned 50 in change"]
    assert osys.get_state("coffee_fsm_timeout") == ("selection", [])
    coffee_fsm_timeout.tea()                                          # 5> - 7>
    timer.sleep(5000)
    coffee_fsm_timeout.pay(20)
    timer.sleep(6000)
    assert out(capsys) == ["Display:Please pay:100", "Display:Please pay:80"]     # no refund yet
    timer.sleep(4001)
    assert out(capsys) == ["Display:Make Your Selection", "Machine:Returned 20 in change"]
    coffee_fsm_timeout.tea()                                          # 8> - 11>
    timer.sleep(6000)
    assert osys.get_state("coffee_fsm_timeout") == ("payment", ("tea", 100, 0))  # restarts the timer!
    timer.sleep(6000)                                                 # 12 s after tea: no refund
    assert out(capsys) == ["Display:Please pay:100"]
    timer.sleep(4001)
    assert out(capsys) == ["Display:Make Your Selection", "Machine:Returned 0 in change"]
    assert osys.get_state("coffee_fsm_timeout") == ("selection", [])
    coffee_fsm_timeout.stop()


def test_gen_fsm_trace_wording(capsys):
    coffee_fsm_timeout.start_link()
    out(capsys)
    osys.trace("coffee_fsm_timeout", True)
    coffee_fsm_timeout.tea()
    timer.sleep(10001)
    assert out(capsys) == ["*DBG* coffee_fsm_timeout got event ('selection', 'tea', 100) in state selection",
                           "Display:Please pay:100",
                           "*DBG* coffee_fsm_timeout switched to state payment",
                           "*DBG* coffee_fsm_timeout got timeout in state payment",
                           "Display:Make Your Selection",
                           "Machine:Returned 0 in change",
                           "*DBG* coffee_fsm_timeout switched to state selection"]


# ------------------------------------------------------------------ b3
def test_b3_init_return_values():
    with logger.capture() as reports:
        assert gen_fsm.start(test_fsm, 0, []) == ("error", "stopped")                               # 1>
        assert gen_fsm.start(test_fsm, 1, []) == ("error", ("bad_return_value", ("next_state", "selection", [])))
        assert gen_fsm.start(test_fsm, 500, []) == "ignore"                                          # 3>
        assert gen_fsm.start(test_fsm, 3000, [("timeout", 1000)]) == ("error", "timeout")           # 4>
    assert [r["kind"] for r in reports] == ["crash_report", "crash_report"]
    shell = erlang.self()
    with logger.capture():
        assert test_fsm.start_link(0, []) == ("error", "stopped")                                    # 6>
        with pytest.raises(Exit) as e:                                                               # the link kills the shell
            runtime.run_until_idle()
    assert e.value.reason == "stopped" and erlang.self() is not shell
    erlang.process_flag("trap_exit", True)                                                           # 7>
    with logger.capture():
        assert test_fsm.start_link(0, []) == ("error", "stopped")                                    # 9>
        assert test_fsm.start_link(500, []) == "ignore"                                              # 10>
        assert test_fsm.start_link(1, []) == ("error", ("bad_return_value", ("next_state", "selection", [])))
    runtime.run_until_idle()
    got = [m[2] for m in erlang.flush()]                                                             # 12>
    assert got == ["stopped", "normal", ("bad_return_value", ("next_state", "selection", []))]


def test_gen_fsm_api_errors():
    with pytest.raises(erlang.ErlangError):                          # Name ! Msg to an unknown name
        gen_fsm.send_event("nobody", "x")
    with pytest.raises(Exit) as e:
        gen_fsm.sync_send_event("nobody", "x")
    assert e.value.reason == ("noproc", ("gen_fsm", "sync_send_event", ["nobody", "x"]))
    ns = types.SimpleNamespace(**{k: v for k, v in vars(test_fsm).items() if not k.startswith("__")})
    ns.__name__ = "test_fsm"
    ns.init = lambda _a: ("ok", "state_name", 0)
    _, p = gen_fsm.start(ns, [], [])
    assert gen_fsm.sync_send_event(p, "x") == "ok"
    assert gen_fsm.sync_send_all_state_event(p, "x") == "ok"
    assert gen_fsm.send_all_state_event(p, "x") == "ok"
    assert osys.get_state(p) == ("state_name", 0)
    assert gen_fsm.stop(p) == "ok"


# ------------------------------------------------------------------ b4
def test_b4_gen_statem_state_timeout_vs_event_timeout(capsys):
    coffee_statem.start_link("state")                                 # 1>
    coffee_statem.tea()
    coffee_statem.pay(30)
    coffee_statem.poke()                                              # ignored: state_timeout survives
    timer.sleep(6000)
    assert osys.get_state("coffee_statem") == ("payment", {"tmode": "state", "type": "tea", "price": 100, "paid": 30})
    timer.sleep(4001)
    assert out(capsys)[-4:] == ["Display:Please pay:70", "state_timeout fired in payment",
                                "Display:Make Your Selection", "Machine:Returned 30 in change"]
    assert osys.get_state("coffee_statem") == ("selection", {"tmode": "state"})
    coffee_statem.espresso()                                          # 7> - 10>
    timer.sleep(6000)
    coffee_statem.pay(50)
    timer.sleep(6000)                                                 # 12 s after espresso: pay re-armed it
    assert out(capsys) == ["Display:Please pay:150", "Display:Please pay:100"]
    timer.sleep(4001)
    assert out(capsys) == ["state_timeout fired in payment", "Display:Make Your Selection",
                           "Machine:Returned 50 in change"]
    assert coffee_statem.stop() == "ok"
    coffee_statem.start_link("event")                                 # 11>
    coffee_statem.tea()
    coffee_statem.poke()                                              # cancels the event timeout for good
    timer.sleep(6000)
    assert osys.get_state("coffee_statem")[0] == "payment"
    timer.sleep(6000)
    out(capsys)
    coffee_statem.cancel()                                            # 16>
    assert out(capsys) == ["Display:Make Your Selection", "Machine:Returned 0 in change"]
    coffee_statem.tea()                                               # 17> - 19>
    timer.sleep(6000)
    osys.get_state("coffee_statem")                                   # does not restart it (unlike gen_fsm)
    timer.sleep(4001)
    assert out(capsys) == ["Display:Please pay:100", "timeout fired in payment",
                           "Display:Make Your Selection", "Machine:Returned 0 in change"]
    shell = erlang.self()
    osys.trace("coffee_statem", True)                                 # 20> - 23>
    coffee_statem.cappuccino()
    coffee_statem.pay(100)
    assert coffee_statem.stop() == "ok"
    assert out(capsys) == [
        "*DBG* coffee_statem receive cast ('selection', 'cappuccino', 150) in state selection",
        "Display:Please pay:150",
        "*DBG* coffee_statem consume cast ('selection', 'cappuccino', 150) in state selection => payment",
        "*DBG* coffee_statem start_timer ('timeout', 10000, 'refund', []) in state payment",
        "*DBG* coffee_statem receive cast ('pay', 100) in state payment",
        "Display:Please pay:50",
        "*DBG* coffee_statem consume cast ('pay', 100) in state payment",
        "*DBG* coffee_statem start_timer ('timeout', 10000, 'refund', []) in state payment",
        f"*DBG* coffee_statem receive call stop from {shell!r} in state payment",
        f"*DBG* coffee_statem send ok to {shell!r}",
        "Machine:Returned 100 in change",
        "*DBG* coffee_statem terminate normal in state payment"]
    assert_empty_mailbox()


def test_coffee_statem_declares_its_graph():
    from otp_lite import gen_statem
    g = gen_statem.state_graph(coffee_statem)
    assert g["declared"] and g["states"] == ["selection", "payment", "remove"]


# ------------------------------------------------------------------ j1
def test_j1_phone_controllers_book_as_written(capsys):
    from examples.ch2 import hlr
    from examples.ch4 import frequency
    from examples.ch6.phone import phone_fsm
    hlr.new()
    frequency.start()
    p1, p2, p3 = (phone_fsm.start_link(i)[1] for i in (1, 2, 3))
    sh = erlang.self()

    def step(f):
        f()
        timer.sleep(100)
        return [l.replace(repr(p1), "P1").replace(repr(p2), "P2").replace(repr(p3), "P3").replace(repr(sh), "SH")
                for l in capsys.readouterr().out.splitlines()]

    assert step(lambda: phone_fsm.action(("outbound", 2), p1)) == [                   # 3>
        "*DBG* P1 got sync_all_state_event ('outbound', 2) from SH in state idle",
        "  [handset ms=1] outbound 2",
        "*DBG* P1 sent ok to SH", "      and switched to state calling",
        "*DBG* P2 got event ('inbound', P1) in state idle",
        "  [handset ms=2] inbound P1",
        "*DBG* P2 switched to state receiving"]
    assert step(lambda: phone_fsm.action(("outbound", 2), p3))[-3:] == [              # 4> busy
        "*DBG* P3 got event ('busy', P2) in state calling", "  [handset ms=3] busy P2",
        "*DBG* P3 switched to state idle"]
    assert step(lambda: phone_fsm.action(("outbound", 9), p3))[1:3] == [              # 5> invalid
        "ERROR, INVALID", "  [handset ms=3] invalid 9"]
    step(lambda: phone_fsm.action("accept", p2))                                      # 6>
    assert (osys.get_state(p1), osys.get_state(p2), osys.get_state("frequency")) == (
        ("connected", (1, p2, 10)), ("connected", (2, p1)), ([11, 12, 13, 14, 15], [(10, p1)]))
    assert step(lambda: phone_fsm.action(("outbound", 3), p1))[1] == "*DBG* P1 sent ('error', 'busy') to SH"
    step(lambda: phone_fsm.action("hangup", p2))                                      # 9>
    assert (osys.get_state(p1), osys.get_state(p2), osys.get_state("frequency")) == (
        ("idle", 1), ("idle", 2), ([10, 11, 12, 13, 14, 15], []))
    step(lambda: phone_fsm.action(("outbound", 3), p1))                               # 11>, 12> reject
    assert step(lambda: phone_fsm.action("reject", p3))[-2:] == [
        "  [handset ms=1] rejected P3", "*DBG* P1 switched to state idle"]
    step(lambda: phone_fsm.action(("outbound", 2), p1))                               # 13>, 14> hang up while calling
    step(lambda: phone_fsm.action("hangup", p1))
    assert (osys.get_state(p1), osys.get_state(p2)) == (("idle", 1), ("idle", 2))
    assert [frequency.allocate() for _ in range(6)] == [("ok", f) for f in range(10, 16)]   # 16>
    step(lambda: phone_fsm.action(("outbound", 2), p1))                               # 17>
    assert step(lambda: phone_fsm.action("accept", p2)) == [                          # 18> bug 1
        "*DBG* P2 got event ('action', 'accept') in state receiving",
        "*DBG* P2 switched to state connected",
        "*DBG* P1 got event ('accept', P2) in state calling",
        "  [handset ms=1] no_frequency P2",
        "*DBG* P1 switched to state idle",
        "*DBG* P2 got event ('reject', P1) in state connected",
        "In connected, ignored. State:(2, P1), Event:('reject', P1)",
        "*DBG* P2 switched to state connected"]
    assert (osys.get_state(p1), osys.get_state(p2)) == (("idle", 1), ("connected", (2, p1)))  # stuck
    for f in range(10, 16):
        frequency.deallocate(f)
    step(lambda: phone_fsm.action(("outbound", 3), p2))                               # 20>
    assert step(lambda: phone_fsm.action("accept", p3))[1] == "P3 in idle, ignored. State:3, Event:('action', 'accept')"
    with logger.capture() as reports:                                                 # 22> bug 2
        erlang.unlink(p2)
        erlang.exit(p2, "shutdown")
        timer.sleep(100)
    text = reports[0]["text"]
    assert text[1] == f"** Last message in was ('EXIT', {sh!r}, 'shutdown')"
    assert text[2:4] == ["** When State == connected", f"**      Data  == (2, {p1!r})"]
    assert reports[0]["data"]["reason"][0] == "function_clause"
    assert (osys.get_state(p3), hlr.lookup_id(2), osys.get_state("frequency")) == (   # 23> never detached
        ("idle", 3), ("ok", p2), ([15, 14, 13, 12, 11, 10], []))
