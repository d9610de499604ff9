"""Links, monitors, trap_exit and exit signals: reference/erlang_ref/d1 ported test by test.

Each ``test_tNN_*`` replays the OTP 25 experiment ``plinks:tNN`` and asserts the
outcome the real shell printed (pids differ, shapes and reasons do not).
Helpers mirror the probe module: ``proc(trap)``, ``fate(p)``, ``mailbox(p)``,
``linked_pair(trap_a)``.
"""
import pytest

from otp_lite import erlang, logger, timer
from otp_lite.erlang import ANY, TIMEOUT, Exit, ErlangError, Deadlock

from otp_testkit import assert_empty_mailbox


# ----------------------------------------------------------------- probe helpers
def _drain():
    out = []
    while True:
        m = erlang.receive(timeout=0)
        if m is TIMEOUT:
            return out
        out.append(m)


def _loop():
    while True:
        m = erlang.receive(("link", ANY), ("exit_self", ANY), ("do", ANY), ("mailbox", ANY))
        tag = m[0]
        if tag == "link":
            erlang.link(m[1])
        elif tag == "exit_self":
            erlang.exit(m[1])
        elif tag == "do":
            m[1]()
        elif tag == "mailbox":
            erlang.send(m[1], ("mailbox", erlang.self(), _drain()))


def proc(trap):
    me = erlang.self()

    def body():
        erlang.process_flag("trap_exit", trap)
        erlang.send(me, ("ready", erlang.self()))
        _loop()

    p = erlang.spawn(body)
    erlang.receive(("ready", p))
    return p


def mailbox(p):
    erlang.send(p, ("mailbox", erlang.self()))
    m = erlang.receive(("mailbox", p, ANY), timeout=500)
    return "not_alive" if m is TIMEOUT else m[2]


def fate(p):
    r = erlang.monitor("process", p)
    m = erlang.receive(("DOWN", r, "process", p, ANY), timeout=300)
    if m is TIMEOUT:
        erlang.demonitor(r, ["flush"])
        return "alive"
    return ("dead", m[4])


def linked_pair(trap_a):
    a, b = proc(trap_a), proc(False)
    erlang.send(a, ("link", b))
    timer.sleep(20)
    return a, b


def zero():
    return 0


# ----------------------------------------------------------------- t01 .. t21
def test_t01_linked_exit_normal_nontrapping():
    a, b = linked_pair(False)
    erlang.send(b, ("exit_self", "normal"))
    timer.sleep(50)
    assert fate(a) == "alive"


def test_t02_linked_exit_abnormal_nontrapping():
    a, b = linked_pair(False)
    ma = erlang.monitor("process", a)
    erlang.send(b, ("exit_self", "boom"))
    m = erlang.receive(("DOWN", ma, "process", a, ANY), timeout=300)
    assert m[4] == "boom"


def test_t03_linked_exit_abnormal_trapping():
    a, b = linked_pair(True)
    erlang.send(b, ("exit_self", "boom"))
    timer.sleep(50)
    assert fate(a) == "alive"
    assert mailbox(a) == [("EXIT", b, "boom")]


def test_t04_linked_exit_normal_trapping():
    a, b = linked_pair(True)
    erlang.send(b, ("exit_self", "normal"))
    timer.sleep(50)
    assert fate(a) == "alive"
    assert mailbox(a) == [("EXIT", b, "normal")]


def test_t05_exit2_normal_to_nontrapping():
    a = proc(False)
    assert erlang.exit(a, "normal") is True
    timer.sleep(50)
    assert fate(a) == "alive"


def test_t06_exit2_normal_to_trapping():
    a = proc(True)
    erlang.exit(a, "normal")
    timer.sleep(50)
    assert fate(a) == "alive"
    assert mailbox(a) == [("EXIT", erlang.self(), "normal")]


def test_t07_exit2_foo():
    a, b = proc(False), proc(True)
    ma = erlang.monitor("process", a)
    erlang.exit(a, "foo")
    erlang.exit(b, "foo")
    timer.sleep(50)
    m = erlang.receive(("DOWN", ma, ANY, ANY, ANY), timeout=300)
    assert m[4] == "foo"
    assert fate(b) == "alive"
    assert mailbox(b) == [("EXIT", erlang.self(), "foo")]


def test_t08_exit2_kill_to_trapping_and_its_links():
    a, lt, ln = proc(True), proc(True), proc(False)
    erlang.send(a, ("link", lt))
    erlang.send(a, ("link", ln))
    timer.sleep(20)
    ma = erlang.monitor("process", a)
    mn = erlang.monitor("process", ln)
    erlang.exit(a, "kill")
    ra = erlang.receive(("DOWN", ma, ANY, ANY, ANY), timeout=300)[4]
    rn = erlang.receive(("DOWN", mn, ANY, ANY, ANY), timeout=300)[4]
    assert ra == "killed"
    assert mailbox(lt) == [("EXIT", a, "killed")]
    assert rn == "killed"


def test_t09_process_exits_with_reason_kill_itself():
    a, lt, ln = proc(False), proc(True), proc(False)
    erlang.send(a, ("link", lt))
    erlang.send(a, ("link", ln))
    timer.sleep(20)
    mn = erlang.monitor("process", ln)
    ma = erlang.monitor("process", a)
    erlang.send(a, ("exit_self", "kill"))
    ra = erlang.receive(("DOWN", ma, ANY, ANY, ANY), timeout=300)[4]
    rn = erlang.receive(("DOWN", mn, ANY, ANY, ANY), timeout=300)[4]
    # a process that exits with reason kill sends an ordinary, trappable 'kill'
    assert ra == "kill"
    assert mailbox(lt) == [("EXIT", a, "kill")]
    assert rn == "kill"


def test_t10_exit_self_normal_via_exit2():
    a = proc(False)
    erlang.send(a, ("do", lambda: erlang.exit(erlang.self(), "normal")))
    assert fate(a) == ("dead", "normal")


def test_t11_monitor_nonexistent_pid():
    p = erlang.spawn(lambda: "ok")
    timer.sleep(20)
    r = erlang.monitor("process", p)
    m = erlang.receive(timeout=100)
    assert m == ("DOWN", r, "process", p, "noproc")


def test_t12_monitor_unregistered_name():
    r = erlang.monitor("process", "no_such_name")
    m = erlang.receive(timeout=100)
    assert m == ("DOWN", r, "process", ("no_such_name", "nonode@nohost"), "noproc")


def _boom():
    erlang.exit("boom")


def _shutdown_tuple():
    erlang.exit(("shutdown", "x"))


def _kill_self():
    erlang.exit(erlang.self(), "kill")


def _throw():
    erlang.throw("oops")


def _badarith():
    return 1 / zero()


def test_t13_down_reasons():
    funs = [("returns", lambda: "ok"), ("exit_boom", _boom),
            ("exit_shutdown_tuple", _shutdown_tuple), ("killed", _kill_self),
            ("throw", _throw), ("badarith", _badarith)]
    out = {}
    with logger.capture() as reports:
        for label, f in funs:
            p, r = erlang.spawn_monitor(f)
            m = erlang.receive(("DOWN", r, "process", p, ANY))
            out[label] = m[4]
    assert out["returns"] == "normal"
    assert out["exit_boom"] == "boom"
    assert out["exit_shutdown_tuple"] == ("shutdown", "x")
    assert out["killed"] == "killed"
    nocatch, stack = out["throw"]
    assert nocatch == ("nocatch", "oops")
    assert stack[0][1] == "_throw"           # innermost frame first, as OTP
    exc, stack = out["badarith"]
    assert exc == "badarith"            # OTP: {badarith, Stack}
    assert stack[0][1] == "_badarith"
    # OTP logs an error report for throw and error, not for exit(...)
    assert [r["kind"] for r in reports] == ["error_report", "error_report"]
    assert reports[0]["text"][0].startswith("Error in process <0.")
    assert reports[0]["text"][0].endswith("with exit value:")


def test_t14_link_to_dead_pid():
    d = erlang.spawn(lambda: "ok")
    timer.sleep(20)
    t = proc(True)
    erlang.send(t, ("do", lambda: erlang.link(d)))
    timer.sleep(50)

    def nontrapping():
        erlang.link(d)
        erlang.receive()

    with logger.capture() as reports:
        n, mn = erlang.spawn_monitor(nontrapping)
        rn = erlang.receive(("DOWN", mn, ANY, ANY, ANY), timeout=300)[4]
    assert mailbox(t) == [("EXIT", d, "noproc")]
    assert rn[0] == "noproc"
    assert isinstance(rn[1], list)
    assert len(reports) == 1 and repr(n) in reports[0]["text"][0]


def test_t15_demonitor_flush():
    p1 = erlang.spawn(lambda: "ok")
    r1 = erlang.monitor("process", p1)
    timer.sleep(20)
    assert erlang.demonitor(r1) is True
    p2 = erlang.spawn(lambda: "ok")
    r2 = erlang.monitor("process", p2)
    timer.sleep(20)
    assert erlang.demonitor(r2, ["flush"]) is True
    # plain demonitor leaves a DOWN that already arrived; flush removes it
    assert _drain() == [("DOWN", r1, "process", p1, "normal")]


def test_t16_double_monitor_vs_double_link():
    p = proc(False)
    r1 = erlang.monitor("process", p)
    r2 = erlang.monitor("process", p)
    erlang.exit(p, "boom")
    timer.sleep(20)
    downs = _drain()
    assert len(downs) == 2
    assert sorted(d[1].n for d in downs) == sorted([r1.n, r2.n])
    a, b = proc(True), proc(False)

    def link_link_unlink():
        erlang.link(b)
        erlang.link(b)
        erlang.unlink(b)

    erlang.send(a, ("do", link_link_unlink))
    timer.sleep(20)
    erlang.exit(b, "boom")
    timer.sleep(20)
    assert mailbox(a) == []                  # links are a set, not counted


def test_t17_trap_exit_flag_return():
    old = erlang.process_flag("trap_exit", True)
    old2 = erlang.process_flag("trap_exit", old)
    assert (old, old2) == (False, True)


def test_t18_fifo_and_selective_receive():
    me = erlang.self()

    def body():
        erlang.receive("go")
        first = erlang.receive(("n", 3))[1]
        rest = [erlang.receive(("n", ANY))[1] for _ in range(4)]
        big = [erlang.receive(("m", ANY))[1] for _ in range(10000)]
        erlang.send(me, ("result", first, rest, big == list(range(1, 10001))))

    p = erlang.spawn(body)
    for n in range(1, 6):
        erlang.send(p, ("n", n))
    for n in range(1, 10001):
        erlang.send(p, ("m", n))
    erlang.send(p, "go")
    assert erlang.receive(("result", ANY, ANY, ANY)) == ("result", 3, [1, 2, 4, 5], True)


def test_t19_unlinked_crash_logging():
    with logger.capture() as reports:
        erlang.spawn(lambda: erlang.exit("quiet_exit"))
        timer.sleep(50)
        p2 = erlang.spawn(lambda: erlang.throw("uncaught_throw"))
        timer.sleep(50)
        p3 = erlang.spawn(lambda: erlang.error("uncaught_error"))
        timer.sleep(50)
    assert len(reports) == 2
    assert reports[0]["data"]["pid"] is p2
    assert reports[0]["data"]["reason"][0] == ("nocatch", "uncaught_throw")
    assert reports[1]["data"]["pid"] is p3
    assert reports[1]["data"]["reason"][0] == "uncaught_error"


def test_t20_trapping_partner_sees_error_with_stack():
    a, b = linked_pair(True)
    with logger.capture() as reports:
        erlang.send(b, ("do", _badarith))
        timer.sleep(50)
    [m] = mailbox(a)
    assert m[0] == "EXIT" and m[1] is b
    exc, stack = m[2]
    assert exc == "badarith"            # OTP: {badarith, Stack}
    names = [f[1] for f in stack]
    assert names[0] == "_badarith" and "_loop" in names
    assert len(reports) == 1


def test_t21_send_to_dead_pid_and_unregistered_name():
    d = erlang.spawn(lambda: "ok")
    timer.sleep(20)
    assert erlang.send(d, "hello") == "hello"
    with pytest.raises(ErlangError) as ei:
        erlang.send("no_such_name", "hello")
    assert ei.value.reason == "badarg"
    assert_empty_mailbox()


# ----------------------------------------------------------------- more rules
def test_spawn_link_crash_kills_linked_nontrapping_process():
    def parent():
        erlang.spawn_link(lambda: erlang.exit("boom"))
        erlang.receive()

    p, r = erlang.spawn_monitor(parent)
    assert erlang.receive(("DOWN", r, ANY, p, ANY))[4] == "boom"


def test_spawn_monitor_returns_pid_and_ref():
    p, r = erlang.spawn_monitor(lambda: erlang.exit("x"))
    assert erlang.is_pid(p) and type(r) is erlang.Ref
    assert erlang.receive() == ("DOWN", r, "process", p, "x")


def test_monitor_by_name_reports_name_node():
    p = proc(False)
    erlang.register("reg1", p)
    r = erlang.monitor("process", "reg1")
    erlang.exit(p, "bye")
    assert erlang.receive() == ("DOWN", r, "process", ("reg1", "nonode@nohost"), "bye")


def test_demonitor_info_option():
    p = proc(False)
    r = erlang.monitor("process", p)
    assert erlang.demonitor(r, ["info"]) is True
    assert erlang.demonitor(r, ["info"]) is False
    erlang.exit(p, "kill")
    timer.sleep(1)
    assert_empty_mailbox()


def test_unlink_then_crash_does_not_propagate():
    a = proc(False)
    erlang.link(a)
    erlang.unlink(a)
    erlang.exit(a, "boom")
    timer.sleep(1)
    assert not erlang.is_process_alive(a)
    assert_empty_mailbox()


def test_shell_trapping_exit_gets_exit_message():
    erlang.process_flag("trap_exit", True)
    p = erlang.spawn_link(lambda: erlang.exit("boom"))
    assert erlang.receive() == ("EXIT", p, "boom")


def test_shell_dies_from_linked_crash_and_gets_a_new_pid():
    old = erlang.self()
    erlang.spawn_link(lambda: erlang.exit("boom"))
    with pytest.raises(Exit) as ei:
        erlang.receive(timeout=100)
    assert ei.value.reason == "boom"
    new = erlang.self()
    assert new is not old and erlang.is_process_alive(new)
    assert not erlang.is_process_alive(old)
    # the new shell works
    erlang.send(new, "hi")
    assert erlang.receive() == "hi"


def test_shell_killed_while_running_run_until_idle():
    from otp_lite import runtime
    old = erlang.self()
    erlang.spawn_link(lambda: erlang.exit("crash"))
    with pytest.raises(Exit):
        runtime.run_until_idle()
    assert erlang.self() is not old


def test_exit_kill_to_shell_gives_killed():
    me = erlang.self()
    erlang.process_flag("trap_exit", True)
    erlang.spawn(lambda: erlang.exit(me, "kill"))
    with pytest.raises(Exit) as ei:
        erlang.receive(timeout=10)
    assert ei.value.reason == "killed"


def test_deadlock_is_raised_not_a_hang():
    with pytest.raises(Deadlock):
        erlang.receive()
    # the runtime still works
    erlang.send(erlang.self(), 1)
    assert erlang.receive() == 1


def test_deadlock_while_other_process_is_blocked():
    p = erlang.spawn(lambda: erlang.receive("never"))
    with pytest.raises(Deadlock):
        erlang.receive(("reply", ANY))
    assert erlang.is_process_alive(p)


def test_except_exception_cannot_swallow_a_kill():
    def stubborn():
        while True:
            try:
                erlang.receive()
            except Exception:
                pass

    p, r = erlang.spawn_monitor(stubborn)
    timer.sleep(1)
    erlang.exit(p, "kill")
    assert erlang.receive() == ("DOWN", r, "process", p, "killed")


def test_exit_signal_to_dead_pid_is_ignored():
    p = erlang.spawn(lambda: None)
    timer.sleep(1)
    assert erlang.exit(p, "boom") is True


def test_link_to_self_is_a_noop():
    assert erlang.link(erlang.self()) is True
    assert erlang.process_info(erlang.self(), "links") == ("links", [])
