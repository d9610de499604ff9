"""The book's ch8 supervisors (examples/ch8) against erlang_ref c6."""
import pytest

from otp_lite import erlang, logger, supervisor, timer, runtime
from examples.ch2 import hlr
from examples.ch7 import frequency
from examples.ch8 import my_supervisor, coffee, frequency_sup, bsc_sup, simple_phone_sup, phone_fsm


@pytest.fixture(autouse=True)
def _tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)              # freq_logger writes its 'log' file here
    with logger.capture() as reps:
        yield reps


def test_my_supervisor_coffee(capsys):
    ok, sup = my_supervisor.start("coffee_sup", [(coffee, "start_link", [])])
    runtime.run_until_idle()
    assert coffee.cappuccino() == ("selection", "cappuccino", 150)
    assert coffee.pay(100) == ("pay", 100)
    runtime.run_until_idle()
    old = erlang.whereis("coffee")
    erlang.exit(old, "kill")
    timer.sleep(100)
    new = erlang.whereis("coffee")
    assert new not in ("undefined", old)
    assert coffee.pay(100) == ("pay", 100)             # the half-paid drink is forgotten
    runtime.run_until_idle()
    assert coffee.cancel() == "cancel"
    assert my_supervisor.stop("coffee_sup") == "stop"
    timer.sleep(100)
    assert (erlang.whereis("coffee_sup"), erlang.whereis("coffee")) == ("undefined", "undefined")
    assert capsys.readouterr().out.splitlines() == [
        "Machine:Rebooted Hardware", "Display:Make Your Selection", "Display:Please pay:150",
        "Display:Please pay:50", "Machine:Rebooted Hardware", "Display:Make Your Selection",
        "Machine:Returned 100 in change"]


def test_frequency_sup_rest_for_one(_tmp):
    ok, fs = frequency_sup.start_link()
    erlang.unlink(fs)
    kids = supervisor.which_children("frequency_sup")
    assert [(k[0], k[2], k[3]) for k in kids] == [("frequency", "worker", ["frequency"]),
                                                  ("freq_overload", "worker", ["freq_overload"])]
    assert frequency.allocate() == ("ok", 10)
    erlang.exit(erlang.whereis("freq_overload"), "kill")
    timer.sleep(100)
    kids2 = supervisor.which_children("frequency_sup")
    assert kids2[0][1] is not kids[0][1] and kids2[1][1] is not kids[1][1]     # both restarted
    assert frequency.allocate() == ("ok", 10)                                   # state lost
    erlang.exit(erlang.whereis("frequency"), "kill")
    timer.sleep(100)
    kids3 = supervisor.which_children("frequency_sup")
    assert kids3[1][1] is kids2[1][1] and kids3[0][1] is not kids2[0][1]        # only frequency
    erlang.exit(erlang.whereis("frequency"), "kill")                            # 3rd within the hour
    timer.sleep(100)
    assert [erlang.whereis(n) for n in ("frequency_sup", "frequency", "freq_overload")] == ["undefined"] * 3
    sr = [(r["data"]["errorContext"], r["data"]["reason"], dict(r["data"]["offender"])["id"])
          for r in _tmp if r["kind"] == "supervisor_report"]
    assert sr == [("child_terminated", "killed", "freq_overload"), ("child_terminated", "killed", "frequency"),
                  ("child_terminated", "killed", "frequency"), ("shutdown", "reached_max_restart_intensity", "frequency")]
    assert dict(_tmp[-1]["data"]["offender"])["shutdown"] == 2000


def test_bsc_sup_and_simple_phone_sup():
    ok, bs = bsc_sup.start_link()
    erlang.unlink(bs)
    assert [k[0] for k in supervisor.which_children("bsc_sup")] == ["simple_phone_sup", "frequency", "freq_overload"]
    assert all(k[2] == "worker" for k in supervisor.which_children("bsc_sup"))
    ok, p1 = simple_phone_sup.attach_phone(1)
    ok, p2 = simple_phone_sup.attach_phone(2)
    assert simple_phone_sup.attach_phone(1) == ("error", "attached")
    assert supervisor.which_children("simple_phone_sup") == [("undefined", p1, "worker", ["phone_fsm"]),
                                                             ("undefined", p2, "worker", ["phone_fsm"])]
    assert hlr.lookup_id(1) == ("ok", p1)
    assert phone_fsm.action(("outbound", 2), p1) == "ok"
    assert phone_fsm.action("accept", p2) == "ok"
    timer.sleep(200)
    assert phone_fsm.action("hangup", p1) == "ok"
    timer.sleep(200)
    assert simple_phone_sup.detach_phone(2) == "ok"
    assert simple_phone_sup.detach_phone(2) == ("error", "detached")
    assert supervisor.which_children("simple_phone_sup") == [("undefined", p1, "worker", ["phone_fsm"])]
    assert supervisor.count_children("bsc_sup") == [("specs", 3), ("active", 3), ("supervisors", 0), ("workers", 3)]
