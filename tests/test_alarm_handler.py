"""SASL alarm_handler (erlang_ref f2, 10> - 16>) and replacing it."""
import pytest

from otp_lite import alarm_handler, erlang, gen_event, logger
from otp_lite.erlang import ErlangError


def test_f2_alarms():
    me = erlang.self()
    assert alarm_handler.start()[0] == "ok"                                    # 10> application:start(sasl)
    with logger.capture() as reports:
        assert alarm_handler.set_alarm(("no_frequency", me)) == "ok"           # 11>
        assert alarm_handler.set_alarm(("disk_full", "/var")) == "ok"          # 12>
        assert alarm_handler.get_alarms() == [("disk_full", "/var"), ("no_frequency", me)]
        assert alarm_handler.clear_alarm("no_frequency") == "ok"               # 14>
        assert alarm_handler.get_alarms() == [("disk_full", "/var")]
    assert [r["text"] for r in reports] == [[f"    alarm_handler: ('set', ('no_frequency', {me!r}))"],
                                            ["    alarm_handler: ('set', ('disk_full', '/var'))"],
                                            ["    alarm_handler: ('clear', 'no_frequency')"]]
    assert gen_event.which_handlers("alarm_handler") == [alarm_handler]        # 16>


def test_not_started_is_badarg():
    with pytest.raises(ErlangError) as e:
        alarm_handler.set_alarm(("x", 1))
    assert e.value.reason == "badarg"


def test_replace_the_handler_keeping_alarms():
    class my_alarms:
        def init(args):
            new_args, (_name, alarms) = args
            return ("ok", {"seen": list(alarms), "tag": new_args})

        def handle_event(e, s):
            s["seen"].append(e)
            return ("ok", s)

        def handle_call(q, s):
            return ("ok", s, s)

    alarm_handler.start()
    with logger.capture():
        alarm_handler.set_alarm(("a", 1))
    assert gen_event.swap_handler("alarm_handler", (alarm_handler, "swap"), (my_alarms, "mine")) == "ok"
    alarm_handler.set_alarm(("b", 2))
    st = gen_event.call("alarm_handler", my_alarms, "get")
    assert st == {"seen": [("a", 1), ("set_alarm", ("b", 2))], "tag": "mine"}


def test_clear_alarm_removes_the_newest_with_that_id_only():
    # tests/oracle_probes/ge4.erl, OTP 25 (sasl's handler does lists:keydelete):
    #   get_alarms: [{a,again},{b,second},{a,"first"}]
    #   get_alarms after clear a: [{b,second},{a,"first"}]
    #   clear none: ok   get_alarms after weird (set_alarm(weird)): [weird,{b,second},{a,"first"}]
    #   INFO REPORTs: alarm_handler: {set,{a,"first"}} ... {clear,a} {clear,none} {set,weird}
    alarm_handler.start()
    with logger.capture() as reports:
        for a in [("a", "first"), ("b", "second"), ("a", "again")]:
            alarm_handler.set_alarm(a)
        assert alarm_handler.get_alarms() == [("a", "again"), ("b", "second"), ("a", "first")]
        assert alarm_handler.clear_alarm("a") == "ok"
        assert alarm_handler.get_alarms() == [("b", "second"), ("a", "first")]
        assert alarm_handler.clear_alarm("none") == "ok"
        alarm_handler.set_alarm("weird")
        assert alarm_handler.get_alarms() == ["weird", ("b", "second"), ("a", "first")]
    assert [r["text"][0] for r in reports][-3:] == ["    alarm_handler: ('clear', 'a')",
                                                   "    alarm_handler: ('clear', 'none')",
                                                   "    alarm_handler: ('set', 'weird')"]
