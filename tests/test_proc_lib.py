"""proc_lib: spawn/start with init_ack, ancestors and initial call, crash reports, stop."""
import pytest

from otp_lite import erlang, logger, proc_lib, runtime, timer
from otp_lite.erlang import ANY, Exit


def assert_empty_mailbox():
    msgs = list(erlang.self().mbox)
    assert msgs == [], f"unexpected messages left in the shell mailbox: {msgs!r}"


def worker(how="wait"):
    if how == "wait":
        erlang.receive("go")
    elif how == "error":
        erlang.receive("go")
        raise ValueError("bad")
    elif how == "exit":
        erlang.receive("go")
        erlang.exit(("custom", 1))
    elif how == "shutdown":
        erlang.receive("go")
        erlang.exit(("shutdown", "x"))


def test_spawn_link_dictionary_and_initial_call():
    me = erlang.self()
    p = proc_lib.spawn_link(worker)
    runtime.run_until_idle()
    d = erlang.process_info(p, "dictionary")[1]
    assert d == [("$initial_call", ("test_proc_lib", "worker", 0)), ("$ancestors", [me])]
    assert proc_lib.initial_call(p) == ("test_proc_lib", "worker", 0)
    assert proc_lib.translate_initial_call(p) == ("test_proc_lib", "worker", 0)
    assert erlang.process_info(p, "links")[1] == [me]
    erlang.send(p, "go")


def test_ancestors_chain_uses_registered_names():
    me = erlang.self()
    got = []

    def child():
        got.append(erlang.get("$ancestors"))

    def middle():
        erlang.register("mid", erlang.self())
        proc_lib.spawn(child)
        erlang.receive("go")
    m = proc_lib.spawn(middle)
    runtime.run_until_idle()
    assert got == [["mid", me]]
    erlang.send(m, "go")


@pytest.mark.parametrize("how,cls", [("error", "error"), ("exit", "exit")])
def test_crash_report_for_abnormal_exits(how, cls):
    p = proc_lib.spawn(worker, how)
    runtime.run_until_idle()
    with logger.capture() as reports:
        erlang.send(p, "go")
        runtime.run_until_idle()
    assert [r["kind"] for r in reports] == ["crash_report"]
    text = reports[0]["text"]
    assert text[0] == "  crasher:" and text[-1] == "  neighbours:"
    assert "    initial call: test_proc_lib:worker/1" in text
    assert f"    pid: {p!r}" in text
    assert any(l.startswith(f"    exception {cls}: ") for l in text)
    if how == "error":
        assert "    exception error: ValueError('bad')" in text
        assert any(l.startswith("      in function  test_proc_lib:worker (test_proc_lib.py, line") for l in text)
    assert reports[0]["level"] == "error" and reports[0]["data"]["pid"] is p


@pytest.mark.parametrize("how", ["wait", "shutdown"])
def test_no_report_for_clean_exits(how):
    p = proc_lib.spawn(worker, how)
    with logger.capture() as reports:
        erlang.send(p, "go")
        runtime.run_until_idle()
    assert reports == [] and not erlang.is_process_alive(p)


def test_plain_spawn_error_is_error_report_not_crash_report():
    def boom():
        raise ValueError("x")
    with logger.capture() as reports:
        erlang.spawn(boom)
        runtime.run_until_idle()
    assert [r["kind"] for r in reports] == ["error_report"]
    assert reports[0]["text"][0].startswith("Error in process ")


def acker(ret, then="wait"):
    proc_lib.init_ack(ret)
    if then == "exit":
        erlang.exit("after_ack")
    erlang.receive("stop")


def test_start_link_blocks_until_init_ack():
    me = erlang.self()
    assert proc_lib.start_link(acker, (("ok", "value"),)) == ("ok", "value")
    assert proc_lib.start(acker, ("plain",)) == "plain"
    ret, mref = proc_lib.start_monitor(acker, ("mon",))
    assert ret == "mon" and type(mref) is erlang.Ref
    assert_empty_mailbox()


def test_starter_sees_ack_before_child_exits():
    erlang.process_flag("trap_exit", True)
    assert proc_lib.start_link(acker, ("first", "exit")) == "first"
    msg = erlang.receive(("EXIT", ANY, ANY))
    assert msg[2] == "after_ack"


def test_start_timeout_kills_child():
    def slow():
        timer.sleep(3000)
        proc_lib.init_ack("late")
    t0 = runtime.now()
    assert proc_lib.start_link(slow, (), 1000) == ("error", "timeout")
    assert runtime.now() - t0 == 1000
    timer.sleep(3000)
    assert_empty_mailbox()                                   # the child was killed and its EXIT flushed
    assert proc_lib.start(slow, (), 500) == ("error", "timeout")


def test_child_dying_before_ack():
    def dies():
        erlang.exit("early")
    with logger.capture():
        assert proc_lib.start(dies) == ("error", "early")     # OTP >= 23 monitors the child
        ret, mref = proc_lib.start_monitor(dies)
        assert ret == ("error", "early")
        erlang.process_flag("trap_exit", True)
        assert proc_lib.start_link(dies) == ("error", "early")
    assert_empty_mailbox()


def test_child_dying_before_ack_kills_untrapping_linked_starter():
    def dies():
        erlang.exit("early")
    with logger.capture(), pytest.raises(Exit) as e:
        proc_lib.start_link(dies)
    assert e.value.reason == "early"


def special():
    proc_lib.init_ack(("ok", erlang.self()))
    from otp_lite import sys as osys
    deb = osys.debug_options([])
    while True:
        msg = erlang.receive()
        if msg[0] == "system":
            deb, _ = osys.handle_system_msg(msg[2], msg[1], None, Special, deb, None)


class Special:
    def system_terminate(reason, parent, deb, misc):
        print("bye", reason)
        if reason == "crash":
            raise ValueError("terminate crashed")


def test_stop(capsys):
    ok, p = proc_lib.start(special)
    assert proc_lib.stop(p) == "ok"
    assert capsys.readouterr().out == "bye normal\n"
    with pytest.raises(Exit) as e:
        proc_lib.stop(p)
    assert e.value.reason == "noproc"
    ok, p = proc_lib.start(special)
    with logger.capture(), pytest.raises(Exit) as e:
        proc_lib.stop(p, "crash")
    assert isinstance(e.value.reason[0], ValueError)
    q = erlang.spawn(erlang.receive, "never")
    with pytest.raises(Exit) as e:
        proc_lib.stop(q, "normal", 100)
    assert e.value.reason == "timeout"
    assert_empty_mailbox()
