"""gen_fsm facade: calls, replies, timeouts, reports (b1-b3 are in test_examples_ch6)."""
import pytest

from otp_lite import erlang, gen_fsm, logger, runtime, sys as osys, timer
from otp_lite.erlang import Exit

from otp_testkit import assert_empty_mailbox


class door:
    """locked --('code', ok)--> open --timeout 3000--> locked"""

    def init(code):
        return ("ok", "locked", code)

    def locked(event, *rest):
        if len(rest) == 2:                                  # sync: locked(event, from_, code)
            from_, code = rest
            if event == "status":
                return ("reply", "locked", "locked", code)
            if event == ("code", code):
                return ("reply", "opened", "open", code, 3000)
            if event == "slow":
                return ("next_state", "locked", code)       # never replies
            if event == "die":
                return ("stop", "normal", "bye", code)
            return ("reply", "wrong", "locked", code)
        return ("next_state", "locked", rest[0])

    def open(event, *rest):
        code = rest[-1]
        if event == "timeout":
            return ("next_state", "locked", code)
        if len(rest) == 2:
            return ("reply", "open", "open", code, 3000)
        return ("next_state", "open", code, 3000)

    def handle_event(event, sn, code):
        return ("stop", event, code)

    def terminate(reason, sn, code):
        erlang.send("watcher", ("terminated", reason, sn))


def test_sync_events_timeouts_and_stop():
    erlang.register("watcher", erlang.self())
    _, p = gen_fsm.start(door, 42, [])
    assert gen_fsm.sync_send_event(p, "status") == "locked"
    assert gen_fsm.sync_send_event(p, ("code", 42)) == "opened"
    timer.sleep(2000)
    assert gen_fsm.sync_send_event(p, "status") == "open"          # restarts the 3000 ms
    timer.sleep(2999)
    assert osys.get_state(p) == ("open", 42)                        # even a sys message restarts it
    timer.sleep(2999)
    assert osys.get_state(p)[0] == "open"
    timer.sleep(3001)
    assert osys.get_state(p) == ("locked", 42)
    with pytest.raises(Exit) as e:
        gen_fsm.sync_send_event(p, "slow", 100)
    assert e.value.reason == ("timeout", ("gen_fsm", "sync_send_event", [p, "slow", 100]))
    assert gen_fsm.sync_send_event(p, "die") == "bye"
    assert erlang.receive(("terminated", erlang.ANY, erlang.ANY)) == ("terminated", "normal", "locked")
    assert_empty_mailbox()


def test_all_state_event_stop_with_error_report():
    erlang.register("watcher", erlang.self())
    _, p = gen_fsm.start(("local", "door"), door, 1, [])
    with logger.capture() as reports:
        gen_fsm.send_all_state_event("door", "broken")
        runtime.run_until_idle()
    assert erlang.receive() == ("terminated", "broken", "locked")
    assert reports[0]["text"][:4] == ["** State machine door terminating ", "** Last event in was broken (for all states)",
                                      "** When State == locked", "**      Data  == 1"]
    assert [r["kind"] for r in reports] == ["error_report", "crash_report"]


def test_missing_handle_info_warns_and_survives_and_status():
    erlang.register("watcher", erlang.self())
    _, p = gen_fsm.start(door, 1, [])
    with logger.capture() as reports:
        erlang.send(p, "stray")
        runtime.run_until_idle()
    assert reports[0]["kind"] == "warning_report" and erlang.is_process_alive(p)
    st = osys.get_status(p)
    assert st[2] == ("module", "gen_fsm")
    assert st[3][4][0] == ("header", f"Status for state machine {p!r}")
    assert gen_fsm.stop(p) == "ok"
    assert erlang.receive() == ("terminated", "normal", "locked")
