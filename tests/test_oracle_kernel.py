"""Kernel corner cases checked against real OTP 25 (probes in tests/oracle_probes/).

Every test names the probe line it came from and quotes what OTP printed.
"""
import pytest

from otp_lite import erlang, timer
from otp_lite.erlang import ANY, TIMEOUT, ErlangError

from otp_testkit import assert_empty_mailbox


def _drain():
    out = []
    while True:
        m = erlang.receive(timeout=0)
        if m is TIMEOUT:
            return out
        out.append(m)


def _idle():
    erlang.receive()


def test_monitor_self_is_a_noop():
    # k1.erl "monitor self": {true,{monitors,[]},{monitored_by,[<0.9.0>]}}  (only the -eval process)
    # k1.erl "demonitor self": {false,[]}
    me = erlang.self()
    ref = erlang.monitor("process", me)
    assert type(ref) is erlang.Ref
    assert erlang.process_info(me, "monitors") == ("monitors", [])
    assert erlang.process_info(me, "monitored_by") == ("monitored_by", [])
    assert erlang.demonitor(ref, ["info"]) is False
    assert_empty_mailbox()


def test_demonitor_someone_elses_ref_and_bad_option():
    # k1.erl "demonitor other ref": {true,false,false}
    # k1.erl "bad demonitor opt": {error,badarg}
    q = erlang.spawn(_idle)
    me = erlang.self()

    def watcher():
        erlang.send(me, ("ref", erlang.monitor("process", q)))
        erlang.receive()
    erlang.spawn(watcher)
    r = erlang.receive(("ref", ANY))[1]
    assert (erlang.demonitor(r), erlang.demonitor(r, ["info"]),
            erlang.demonitor(erlang.make_ref(), ["info", "flush"])) == (True, False, False)
    with pytest.raises(ErlangError) as e:
        erlang.demonitor(erlang.make_ref(), ["bogus"])
    assert e.value.reason == "badarg"
    assert_empty_mailbox()


def test_process_info_1_keys_in_otp_order():
    # k1.erl "pi keys": [current_function,initial_call,status,message_queue_len,links,
    #   dictionary,trap_exit,error_handler,priority,group_leader,total_heap_size,heap_size,
    #   stack_size,reductions,garbage_collection,suspending]
    # k1.erl "pi keys reg": [registered_name,current_function,...]
    # (otp_lite leaves out the heap/GC sizes, which mean nothing for a greenlet)
    q = erlang.spawn(_idle)
    keys = [k for k, _ in erlang.process_info(q)]
    assert keys == ["current_function", "initial_call", "status", "message_queue_len", "links",
                    "dictionary", "trap_exit", "error_handler", "priority", "group_leader",
                    "reductions", "suspending"]
    erlang.register("qq", q)
    info = erlang.process_info(q)
    assert info[0] == ("registered_name", "qq")
    assert "messages" not in dict(info)
    assert dict(info)["priority"] == "normal" and dict(info)["suspending"] == []
    # k1.erl "pi list reg": [{registered_name,qq}]; "pi list empty": {value,[]}
    assert erlang.process_info(q, ["registered_name"]) == [("registered_name", "qq")]
    assert erlang.process_info(q, []) == []


def test_cancel_timer_after_destination_died_is_false():
    # t1.erl "cancel after dest died": {false,false}
    d = erlang.spawn(_idle)
    t = erlang.send_after(1000, d, "hi")
    erlang.exit(d, "kill")
    timer.sleep(1)
    assert (erlang.cancel_timer(t), erlang.read_timer(t)) == (False, False)


def test_timer_to_a_name_registered_before_it_fires():
    # t1.erl "registered before fire": c2   (a timer to an atom resolves the name when it fires)
    me = erlang.self()
    p = erlang.spawn(lambda: erlang.send(me, ("got", erlang.receive())))
    erlang.send_after(10, "later2", "c2")
    erlang.register("later2", p)
    assert erlang.receive(("got", ANY), timeout=50) == ("got", "c2")
    # t1.erl "send_after unregistered name": ok  (no error, message lost)
    erlang.send_after(10, "nobody", "c1")
    timer.sleep(20)
    assert_empty_mailbox()


def test_timer_cancel_bad_argument_returns_error_tuple():
    # t1.erl "timer:cancel bad": {value,{error,badarg}}
    # t1.erl "timer:cancel" / "timer:cancel again": {value,{ok,cancel}} both times
    assert timer.cancel("foo") == ("error", "badarg")
    _, tr = timer.send_after(100, "hello2")
    assert timer.cancel(tr) == ("ok", "cancel")
    assert timer.cancel(tr) == ("ok", "cancel")
    timer.sleep(200)
    assert_empty_mailbox()


def test_equal_deadlines_fire_in_creation_order():
    # t1.erl "equal order": [1,2,3,4,5]; "deadline order": [x10,x20]
    me = erlang.self()
    for n in [1, 2, 3, 4, 5]:
        erlang.send_after(10, me, n)
    timer.sleep(20)
    assert _drain() == [1, 2, 3, 4, 5]
    erlang.send_after(20, me, "x20")
    erlang.send_after(10, me, "x10")
    timer.sleep(30)
    assert _drain() == ["x10", "x20"]


def test_every_process_has_a_group_leader():
    # sm8.erl "gl":         {group_leader,<0.65.0>}   (erl -noshell, OTP 25)
    # sm8.erl "gl spawned": {group_leader,<0.65.0>}   (spawn inherits it)
    me = erlang.self()
    gl = erlang.group_leader()
    assert erlang.process_info(me, "group_leader") == ("group_leader", gl) and repr(gl) == "<0.65.0>"
    p = erlang.spawn(lambda: erlang.receive())
    assert erlang.process_info(p, "group_leader") == ("group_leader", gl)
    assert erlang.is_process_alive(gl) and repr(me) == "<0.80.0>"     # the shell keeps its number
    erlang.send(gl, ("io_request", me, "ra", ("put_chars", "unicode", "hi")))   # the io protocol's ack
    assert erlang.receive(timeout=1000) == ("io_reply", "ra", "ok")
