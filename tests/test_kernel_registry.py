"""Pids, refs, registered names and process_info (ch2_basics + OTP 25 probes)."""
import re

import pytest

from otp_lite import erlang, timer
from otp_lite.erlang import ErlangError, ANY

from otp_testkit import assert_empty_mailbox


def _idle():
    erlang.receive("stop")


def test_pids_and_refs_print_like_erlang():
    p = erlang.spawn(_idle)
    assert re.fullmatch(r"<0\.\d+\.0>", repr(p))
    assert str(p) == repr(p)
    r = erlang.make_ref()
    assert re.fullmatch(r"#Ref<0\.0\.0\.\d+>", repr(r))
    assert r != erlang.make_ref() and r == r
    assert erlang.is_pid(p) and not erlang.is_pid("p")


def test_pids_are_deterministic_after_reset():
    from otp_lite import runtime
    runtime.reset()
    a = [repr(erlang.self()), repr(erlang.spawn(_idle)), repr(erlang.make_ref())]
    runtime.reset()
    b = [repr(erlang.self()), repr(erlang.spawn(_idle)), repr(erlang.make_ref())]
    assert a == b


def test_register_whereis_registered_unregister():
    p = erlang.spawn(_idle)
    assert erlang.register("srv", p) is True
    assert erlang.whereis("srv") is p
    assert "srv" in erlang.registered()
    erlang.send("srv", "stop")
    timer.sleep(1)
    # a dead process loses its name
    assert erlang.whereis("srv") == "undefined"
    assert "srv" not in erlang.registered()


def test_register_badarg_cases():
    p = erlang.spawn(_idle)
    q = erlang.spawn(_idle)
    erlang.register("taken", p)
    with pytest.raises(ErlangError) as ei:
        erlang.register("taken", q)                    # name taken
    assert ei.value.reason == "badarg"
    with pytest.raises(ErlangError):
        erlang.register("other", p)                    # pid already has a name
    with pytest.raises(ErlangError):
        erlang.register("undefined", q)                # 'undefined' is not allowed
    with pytest.raises(ErlangError):
        erlang.register(42, q)                         # not an atom
    with pytest.raises(ErlangError):
        erlang.register("x", "not a pid")
    d = erlang.spawn(lambda: None)
    timer.sleep(1)
    with pytest.raises(ErlangError) as ei:
        erlang.register("dead", d)                     # dead pid
    assert ei.value.reason == "badarg"
    with pytest.raises(ErlangError) as ei:
        erlang.unregister("nobody")                    # unknown name
    assert ei.value.reason == "badarg"
    with pytest.raises(ErlangError):
        erlang.send("nobody", "hi")                    # unknown name in send
    assert erlang.whereis("nobody") == "undefined"
    # the runtime keeps working
    assert erlang.unregister("taken") is True
    assert erlang.register("taken", q) is True


def test_send_to_name_node_tuple_never_fails():
    p = erlang.spawn(lambda: erlang.send(me, erlang.receive()))
    me = erlang.self()
    erlang.register("n1", p)
    erlang.send(("n1", erlang.node()), "via_tuple")
    assert erlang.receive() == "via_tuple"
    assert erlang.send(("nobody", erlang.node()), "x") == "x"
    assert erlang.send(("n1", "other@host"), "x") == "x"


def test_process_info_items():
    me = erlang.self()

    def body():
        erlang.put("k", 1)
        erlang.send(me, "ready")
        erlang.receive("stop")

    p = erlang.spawn(body)
    erlang.receive("ready")
    erlang.send(p, "m1")
    timer.sleep(1)                      # p looks at m1, keeps it, and waits again
    assert erlang.process_info(p, "registered_name") == []
    erlang.register("infoproc", p)
    assert erlang.process_info(p, "registered_name") == ("registered_name", "infoproc")
    assert erlang.process_info(p, "message_queue_len") == ("message_queue_len", 1)
    assert erlang.process_info(p, "messages") == ("messages", ["m1"])
    assert erlang.process_info(p, "status") == ("status", "waiting")
    assert erlang.process_info(p, "dictionary") == ("dictionary", [("k", 1)])
    assert erlang.process_info(p, "trap_exit") == ("trap_exit", False)
    assert erlang.process_info(p, "initial_call")[1][1].endswith("body")
    assert erlang.process_info(p, "current_function")[1][1] == "body"
    erlang.link(p)
    r = erlang.monitor("process", p)
    assert erlang.process_info(p, "links") == ("links", [me])
    assert erlang.process_info(p, "monitored_by") == ("monitored_by", [me])
    assert erlang.process_info(me, "monitors") == ("monitors", [("process", p)])
    assert erlang.process_info(p, ["status", "trap_exit"]) == [("status", "waiting"), ("trap_exit", False)]
    full = dict(erlang.process_info(p))
    assert full["registered_name"] == "infoproc" and full["message_queue_len"] == 1
    assert erlang.process_info(p, "reductions")[1] >= 1
    with pytest.raises(ErlangError):
        erlang.process_info(p, "no_such_item")
    with pytest.raises(ErlangError):
        erlang.process_info("infoproc")
    erlang.unlink(p)
    erlang.demonitor(r)
    erlang.send(p, "stop")
    timer.sleep(1)
    assert erlang.process_info(p) == "undefined"
    assert erlang.process_info(p, "status") == "undefined"
    assert_empty_mailbox()


def test_process_info_without_name_omits_registered_name():
    p = erlang.spawn(_idle)
    assert "registered_name" not in dict(erlang.process_info(p))


def test_processes_and_is_process_alive():
    ps = [erlang.spawn(_idle) for _ in range(3)]
    all_ = erlang.processes()
    assert all_ == sorted(all_)
    assert erlang.self() in all_ and all(p in all_ for p in ps)
    for p in ps:
        erlang.send(p, "stop")
    timer.sleep(1)
    assert not any(erlang.is_process_alive(p) for p in ps)
    assert all(p not in erlang.processes() for p in ps)
    with pytest.raises(ErlangError):
        erlang.is_process_alive("x")


def test_process_dictionary():
    assert erlang.put("a", 1) == "undefined"
    assert erlang.put("a", 2) == 1
    assert erlang.get("a") == 2
    assert erlang.get("zz") == "undefined"
    assert erlang.get_keys() == ["a"]
    assert erlang.erase("a") == 2
    assert erlang.get() == []


def test_echo_from_ch2():
    """echo:go(): spawn, tagged request by pid, reply, stop."""
    out = []

    def loop():
        while True:
            m = erlang.receive()
            if m == "stop":
                return True
            frm, msg = m
            erlang.send(frm, (erlang.self(), msg))

    pid = erlang.spawn(loop)
    erlang.send(pid, (erlang.self(), "hello"))
    m = erlang.receive((pid, ANY))
    out.append(m[1])
    erlang.send(pid, "stop")
    timer.sleep(1)
    assert out == ["hello"] and not erlang.is_process_alive(pid)
