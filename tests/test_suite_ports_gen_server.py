"""Cases of OTP's lib/stdlib/test/gen_server_SUITE.erl, rewritten in Python (issue 23, item 9).

Each test names the SUITE case it ports.  Where the SUITE only asserts a shape
(``{'EXIT', _}``), the exact OTP 25 answer comes from a probe in
tests/oracle_probes/ (ch23_f9.erl + ch23_f9_cb.erl, output in ch23_f9.out).
"""
import types

import pytest

from otp_lite import erlang, gen_server, global_, proc_lib, runtime
from otp_lite.erlang import ANY, TIMEOUT, ErlangError, Exit


@pytest.fixture(autouse=True)
def fresh():
    runtime.reset(seed=0)


def _cb(name="gen_server_SUITE", **extra):
    def handle_call(req, from_, s):
        if req == "started_p":
            return ("reply", "ok", s)
        if req == "stop":
            return ("stop", "stopped", "ok", s)
        return ("reply", s, s)
    ns = types.SimpleNamespace(__name__=name, init=lambda a: ("ok", a), handle_call=handle_call,
                               handle_cast=lambda m, s: ("noreply", s), **extra)
    return ns


CB = _cb()


def _down(pid):
    ref = erlang.monitor("process", pid)
    msg = erlang.receive(("DOWN", ref, ANY, pid, ANY), timeout=1000)
    return TIMEOUT if msg is TIMEOUT else msg[4]


# ------------------------------------------------------------------ start (global register)
def test_start_global_register_is_globals():
    # gen_server_SUITE:start, "global register"; ch23_f9.out global_whereis: true,
    # global_already: true, global_after_stop: undefined
    ok, p = gen_server.start(("global", "my_test_name"), CB, [], [])
    assert global_.whereis_name("my_test_name") is p
    assert gen_server.call(("global", "my_test_name"), "started_p") == "ok"
    assert gen_server.start(("global", "my_test_name"), CB, [], []) == ("error", ("already_started", p))
    assert gen_server.call(("global", "my_test_name"), "stop") == "ok"
    erlang.receive(timeout=1)                        # the SUITE's ct:sleep(1)
    assert global_.whereis_name("my_test_name") == "undefined"
    with pytest.raises(Exit) as e:
        gen_server.call(p, "started_p", 10)
    assert e.value.reason[0] == "noproc"


def test_start_global_name_taken_by_global_register_name():
    # a name taken with global:register_name is already_started for gen_server:start
    holder = erlang.spawn(lambda: erlang.receive())
    assert global_.register_name("taken", holder) == "yes"
    assert gen_server.start(("global", "taken"), CB, [], []) == ("error", ("already_started", holder))


# ------------------------------------------------------------------ stop group
def test_stop3_invalid_timeout_is_function_clause_and_the_server_lives():
    # gen_server_SUITE:stop3; ch23_f9.out gs_stop_bad_timeout: {function_clause,{gen,stop,[Pid,normal,invalid_timeout],_}},
    # gs_stop_neg_timeout the same for -1, gs_alive_after: true
    ok, p = gen_server.start(CB, [], [])
    for bad in ("invalid_timeout", -1):
        with pytest.raises(ErlangError) as e:
            gen_server.stop(p, "other_reason", bad)
        assert e.value.reason == "function_clause"
        assert erlang.is_process_alive(p)
    assert gen_server.stop(p) == "ok"
    assert not erlang.is_process_alive(p)


def test_stop3_invalid_timeout_is_checked_before_the_name():
    # ch23_f9.out sm_stop_noproc_bad_timeout: function_clause, not noproc (gen:stop/3's guard comes first)
    with pytest.raises(ErlangError) as e:
        gen_server.stop("no_such_server", "normal", "invalid_timeout")
    assert e.value.reason == "function_clause"


def test_stop6_globally_registered_name():
    # gen_server_SUITE:stop6
    ok, p = gen_server.start(("global", "to_stop"), CB, [], [])
    assert gen_server.stop(("global", "to_stop")) == "ok"
    assert not erlang.is_process_alive(p)
    with pytest.raises(Exit) as e:
        gen_server.stop(("global", "to_stop"))
    assert e.value.reason == "noproc"


# ------------------------------------------------------------------ spec_init (enter_loop)
def test_spec_init_global_enter_loop_under_global_register_name():
    # gen_server_SUITE:spec_init (spec_init_global); ch23_f9.out enter_loop_global_call: s2
    me = erlang.self()

    def body():
        assert global_.register_name("f9_g2", erlang.self()) == "yes"
        erlang.send(me, "go")
        gen_server.enter_loop(CB, [], "s2", ("global", "f9_g2"))
    p = proc_lib.spawn(body)
    erlang.receive("go")
    assert gen_server.call(("global", "f9_g2"), "get") == "s2"
    assert global_.whereis_name("f9_g2") is p


@pytest.mark.parametrize("name, reason", [
    (("local", "f9_nope"), "process_not_registered"),              # ch23_f9.out gs_enter_not_local
    (("global", "f9_nope"), "process_not_registered_globally"),    # gs_enter_not_global
])
def test_spec_init_not_registered_exit_reason_is_the_bare_atom(name, reason):
    # gen_server_SUITE:spec_init ({'EXIT', Pid, process_not_registered})
    p = proc_lib.spawn(lambda: gen_server.enter_loop(CB, [], "s", name))
    assert _down(p) == reason


def test_spec_init_not_proc_lib():
    # gen_server_SUITE:spec_init (spec_init_not_proc_lib); ch23_f9.out gs_enter_not_proc_lib
    p = erlang.spawn(lambda: gen_server.enter_loop(CB, [], "s"))
    assert _down(p) == "process_was_not_started_by_proc_lib"
    # gs_enter_not_proc_lib_named: gen_server checks the name first
    p = erlang.spawn(lambda: gen_server.enter_loop(CB, [], "s", ("local", "f9_nope")))
    assert _down(p) == "process_not_registered"


# ------------------------------------------------------------------ a hand-built From
def test_reply_to_a_hand_built_from():
    # gen:reply/2 sends {Tag, Reply} to any From that is not an alias; ch23_f9.out gs_handbuilt_ref, gs_reply_direct
    ok, p = gen_server.start(CB, "s", [])
    tag = erlang.make_ref()
    erlang.send(p, ("$gen_call", (erlang.self(), tag), "get"))
    assert erlang.receive((tag, ANY), timeout=500) == (tag, "s")
    gen_server.reply((erlang.self(), "tag3"), "direct")
    assert erlang.receive(("tag3", ANY), timeout=500) == ("tag3", "direct")


def test_a_late_reply_to_a_timed_out_call_is_still_dropped():
    # the alias rule stays (OTP >= 24: the call's tag is an alias, deactivated when the call ends)
    def handle_call(req, from_, s):
        erlang.send(erlang.self(), ("later", from_))
        return ("noreply", s)

    def handle_info(m, s):
        if type(m) is tuple:
            gen_server.reply(m[1], "late")
        return ("noreply", s)
    mod = types.SimpleNamespace(__name__="late", init=lambda a: ("ok", a),
                                handle_call=handle_call, handle_info=handle_info)
    ok, p = gen_server.start(mod, 0, [])
    with pytest.raises(Exit):
        gen_server.call(p, "x", 0)
    erlang.send(p, "tick")
    assert erlang.receive(timeout=50) is TIMEOUT
