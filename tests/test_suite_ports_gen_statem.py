"""Cases of OTP's lib/stdlib/test/gen_statem_SUITE.erl, rewritten in Python (issue 23, item 9).

Each test names the SUITE case it ports.  The exact OTP 25 answers come from
tests/oracle_probes/ch23_f9.erl + ch23_f9_cb.erl (output in ch23_f9.out).
"""
import types

import pytest

from otp_lite import erlang, gen_statem, global_, proc_lib, runtime
from otp_lite.erlang import ANY, TIMEOUT, ErlangError, Exit


@pytest.fixture(autouse=True)
def fresh():
    runtime.reset(seed=0)


def _handle_event(t, c, s, d):
    if type(t) is tuple and t[0] == "call":
        return ("keep_state_and_data", [("reply", t[1], (d, c))])
    return "keep_state_and_data"


CB = types.SimpleNamespace(__name__="gen_statem_SUITE", init=lambda d: ("ok", "idle", d),
                           callback_mode=lambda: "handle_event_function", handle_event=_handle_event)


def _down(pid):
    ref = erlang.monitor("process", pid)
    msg = erlang.receive(("DOWN", ref, ANY, pid, ANY), timeout=1000)
    return TIMEOUT if msg is TIMEOUT else msg[4]


# ------------------------------------------------------------------ stop group
def test_stop3_invalid_timeout_is_function_clause_and_the_machine_lives():
    # gen_statem_SUITE:stop3; ch23_f9.out sm_stop_bad_timeout: {function_clause,{gen,stop,[Pid,normal,invalid_timeout],_}},
    # sm_alive_after: true
    ok, p = gen_statem.start(CB, "d", [])
    with pytest.raises(ErlangError) as e:
        gen_statem.stop(p, "other_reason", "invalid_timeout")
    assert e.value.reason == "function_clause"
    assert erlang.is_process_alive(p)
    assert gen_statem.stop(p) == "ok"
    assert not erlang.is_process_alive(p)


def test_stop6_globally_registered_name():
    # gen_statem_SUITE:stop6
    ok, p = gen_statem.start(("global", "to_stop"), CB, "d", [])
    assert global_.whereis_name("to_stop") is p
    assert gen_statem.stop(("global", "to_stop")) == "ok"
    assert not erlang.is_process_alive(p)
    with pytest.raises(Exit) as e:
        gen_statem.stop(("global", "to_stop"))
    assert e.value.reason == "noproc"


# ------------------------------------------------------------------ a hand-built From
@pytest.mark.parametrize("tag", ["ref", "my_tag"])
def test_reply_action_to_a_hand_built_from(tag):
    # OTP 25 gen:reply/2: a From that is no alias gets To ! {Tag, Reply};
    # ch23_f9.out sm_handbuilt_ref / sm_handbuilt_atom: {got,{d,hello}}
    ok, p = gen_statem.start(CB, "d", [])
    tag = erlang.make_ref() if tag == "ref" else tag
    erlang.send(p, ("$gen_call", (erlang.self(), tag), "hello"))
    assert erlang.receive((tag, ANY), timeout=500) == (tag, ("d", "hello"))


def test_reply_function_to_a_hand_built_from():
    # ch23_f9.out sm_reply_direct: {got,direct}
    gen_statem.reply((erlang.self(), "tag2"), "direct")
    assert erlang.receive(("tag2", ANY), timeout=500) == ("tag2", "direct")


# ------------------------------------------------------------------ enter_loop
def test_enter_loop_global_name():
    # gen_statem_SUITE:enter_loop (enter_loop_global via global:register_name)
    me = erlang.self()

    def body():
        global_.register_name("sm_g", erlang.self())
        erlang.send(me, "go")
        gen_statem.enter_loop(CB, [], "idle", "d", ("global", "sm_g"))
    p = proc_lib.spawn(body)
    erlang.receive("go")
    assert gen_statem.call(("global", "sm_g"), "q") == ("d", "q")
    assert gen_statem.stop(p) == "ok"


@pytest.mark.parametrize("name, reason", [
    (("local", "f9_nope"), "process_not_registered"),              # ch23_f9.out sm_enter_not_local
    (("global", "f9_nope"), "process_not_registered_globally"),    # sm_enter_not_global
])
def test_enter_loop_not_registered(name, reason):
    # gen_statem_SUITE:enter_loop ({'EXIT', Pid, process_not_registered})
    p = proc_lib.spawn(lambda: gen_statem.enter_loop(CB, [], "idle", "d", name))
    assert _down(p) == reason


def test_enter_loop_not_started_by_proc_lib():
    # gen_statem_SUITE:enter_loop (enter_loop_not_proc_lib); ch23_f9.out sm_enter_not_proc_lib, and
    # sm_enter_not_proc_lib_named: gen_statem checks the parent first
    p = erlang.spawn(lambda: gen_statem.enter_loop(CB, [], "idle", "d"))
    assert _down(p) == "process_was_not_started_by_proc_lib"
    p = erlang.spawn(lambda: gen_statem.enter_loop(CB, [], "idle", "d", ("local", "f9_nope")))
    assert _down(p) == "process_was_not_started_by_proc_lib"
