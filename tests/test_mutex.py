"""ch10 mutex, stages 0-3, against erlang_ref g2 (special process, sys, parent death)."""
import pytest

from otp_lite import erlang, logger, runtime, timer
from otp_lite import sys as osys
from otp_lite.erlang import ANY, Exit

from examples.ch10 import mutex, mutex0, mutex1, mutex2


def lines(capsys):
    return capsys.readouterr().out.splitlines()


def test_g2_trace_state_and_a_queued_client(capsys):
    me = erlang.self()
    ok, m = mutex.start_link("printer", ["trace"])
    runtime.run_until_idle()                            # the mutex runs on after init_ack
    assert ok == "ok" and lines(capsys) == ["mutex printer: init"]
    assert mutex.wait("printer") == "ok"
    assert lines(capsys) == [f"mutex printer: ('wait', {me!r})"]
    assert osys.get_state("printer") == ("busy", "printer", me)

    def client():
        print(f"client {erlang.self()!r} waiting")
        mutex.wait("printer")
        print(f"client {erlang.self()!r} got the mutex")
        mutex.signal("printer")
        erlang.send(me, "client_done")
    c = erlang.spawn(client)
    timer.sleep(200)
    assert erlang.process_info(m, "message_queue_len") == ("message_queue_len", 1)
    assert mutex.signal("printer") == "ok"
    assert erlang.receive("client_done", timeout=1000) == "client_done"
    assert lines(capsys) == [f"client {c!r} waiting",
                             f"mutex printer: ('signal', {me!r})",
                             f"mutex printer: ('wait', {c!r})",
                             f"client {c!r} got the mutex",
                             f"mutex printer: ('signal', {c!r})"]
    assert osys.get_state("printer") == ("free", "printer")
    assert osys.trace("printer", False) == "ok"
    status = ("status", m, ("module", "mutex"),
              [[("$initial_call", ("mutex", "init", 3)), ("$ancestors", [me])],
               "running", me, [], ("free", "printer")])
    assert osys.get_status("printer") == status
    osys.suspend("printer")
    assert osys.get_status("printer")[3][1] == "suspended"
    assert osys.resume("printer") == "ok"
    osys.statistics("printer", True)
    mutex.wait("printer")
    mutex.signal("printer")
    ok, stats = osys.statistics("printer", "get")
    assert dict(stats)["messages_in"] == 0 and dict(stats)["messages_out"] == 0
    assert lines(capsys) == []


def test_g2_parent_death_kills_holder_and_waiters(capsys):
    def parent():
        ok, _ = mutex.start_link("lock2", ["trace"])
        msg = erlang.receive(("die", ANY))
        erlang.exit(msg[1])
    par = erlang.spawn(parent)
    timer.sleep(10)
    m = erlang.whereis("lock2")
    holder = erlang.spawn(lambda: (mutex.wait("lock2"), erlang.receive()))
    timer.sleep(50)
    waiter = erlang.spawn(lambda: mutex.wait("lock2"))
    timer.sleep(50)
    mh, mw = erlang.monitor("process", holder), erlang.monitor("process", waiter)
    with logger.capture() as reps:
        erlang.send(par, ("die", "maintenance"))
        timer.sleep(200)
    assert lines(capsys) == ["mutex lock2: init", f"mutex lock2: ('wait', {holder!r})",
                             "mutex lock2: ('terminate', 'maintenance')"]
    assert [r["kind"] for r in reps] == ["crash_report"]
    text = "\n".join(reps[0]["text"])
    assert "initial call: mutex:init/3" in text and "exception exit: 'maintenance'" in text
    assert "trap_exit: true" in text
    assert erlang.receive(("DOWN", mh, ANY, ANY, ANY))[4] == "maintenance"
    assert erlang.receive(("DOWN", mw, ANY, ANY, ANY))[4] == "maintenance"
    assert erlang.whereis("lock2") == "undefined" and not erlang.is_process_alive(m)


def test_waiters_are_served_fifo():
    mutex.start_link("fifo")
    me = erlang.self()
    mutex.wait("fifo")
    order = []

    def client(i):
        mutex.wait("fifo")
        order.append(i)
        mutex.signal("fifo")
        erlang.send(me, ("done", i))
    for i in range(5):
        erlang.spawn(client, i)
        timer.sleep(1)
    mutex.signal("fifo")
    for _ in range(5):
        erlang.receive(("done", ANY))
    assert order == [0, 1, 2, 3, 4]


def test_sys_terminate_in_busy_kills_the_holder():
    ok, m = mutex.start_link("t")
    holder = erlang.spawn(lambda: (mutex.wait("t"), erlang.receive()))
    timer.sleep(10)
    ref = erlang.monitor("process", holder)
    erlang.unlink(m)
    with logger.capture():
        assert osys.terminate("t", "bye") == "ok"      # system_terminate/4
    assert erlang.receive(("DOWN", ref, ANY, ANY, ANY))[4] == "bye"
    assert erlang.whereis("t") == "undefined"


def test_stop_unregisters():
    ok, m = mutex.start_link("s")
    erlang.unlink(m)
    ref = erlang.monitor("process", m)
    with logger.capture():
        mutex.stop("s")
        assert erlang.receive(("DOWN", ref, ANY, ANY, ANY))[4] == "stopped"
    assert erlang.whereis("s") == "undefined"


def test_stage0_plain_process_ignores_system_messages():
    mutex0.start("m0")
    runtime.run_until_idle()          # spawn is asynchronous: stage 1 fixes this race with proc_lib
    mutex0.wait("m0")
    with pytest.raises(Exit) as e:
        osys.get_state("m0", 100)
    assert e.value.reason == ("timeout", ("sys", "get_state", ["m0", 100]))
    mutex0.signal("m0")
    mutex0.stop("m0")
    runtime.run_until_idle()
    assert erlang.whereis("m0") == "undefined"


def test_stage1_proc_lib_start_is_synchronous():
    me = erlang.self()
    ok, m = mutex1.start_link("m1")
    assert erlang.whereis("m1") is m                    # registered before start_link returned
    d = dict(erlang.process_info(m, "dictionary")[1])
    assert d["$ancestors"] == [me] and d["$initial_call"] == ("mutex1", "init", 3)
    mutex1.wait("m1")
    mutex1.signal("m1")
    mutex1.stop("m1")


def test_stage2_parent_death_kills_linked_holder_and_queue():
    def parent():
        mutex2.start_link("m2")
        erlang.receive("die")
        erlang.exit("gone")
    par = erlang.spawn(parent)
    timer.sleep(5)
    holder = erlang.spawn(lambda: (mutex2.wait("m2"), erlang.receive()))
    timer.sleep(5)
    waiters = [erlang.spawn(lambda: mutex2.wait("m2")) for _ in range(3)]
    timer.sleep(5)
    refs = [erlang.monitor("process", p) for p in [holder] + waiters]
    erlang.send(par, "die")
    got = [erlang.receive(("DOWN", r, ANY, ANY, ANY))[4] for r in refs]
    assert got == ["gone"] * 4
    assert erlang.whereis("m2") == "undefined"
