"""Cases of OTP's lib/stdlib/test/gen_server_SUITE.erl, rewritten in Python (issue 23, item 9).

Each test names the SUITE case it ports.  Where the SUITE only asserts a shape
(``{'EXIT', _}``), the exact OTP 25 answer comes from a probe in
tests/oracle_probes/ (ch23_f9.erl + ch23_f9_cb.erl, output in ch23_f9.out).
"""
import types

import pytest

from otp_lite import erlang, gen_server, global_, logger, proc_lib, runtime, timer
from otp_lite import sys as osys
from otp_lite.erlang import ANY, TIMEOUT, ErlangError, Exit, Throw


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


# ================================================================== more of gen_server_SUITE
# The SUITE's own callback module, rewritten: one namespace answering as gen_server_SUITE does.
def _s_init(arg):
    if arg == []:
        return ("ok", [])
    if arg == "ignore":
        return "ignore"
    if arg == "stop":
        return ("stop", "stopped")
    if arg == "sleep":
        timer.sleep(1000)
        return ("ok", [])
    if arg == "hibernate":
        return ("ok", [], "hibernate")
    return ("ok", arg[1])                                   # ('state', S)


def _s_handle_call(req, from_, state):
    if req == "started_p":
        return ("reply", "ok", state)
    if type(req) is tuple and req[0] == "delayed_answer":
        return ("noreply", ("reply_to", from_), req[1])
    if type(req) is tuple and req[0] == "call_within":
        return ("reply", "ok", "call_within", req[1])
    if req == "next_call":
        return ("reply", "ok", []) if state == "call_within" else ("reply", False, state)
    if req == "badreturn":
        return "badreturn"
    if req == "hibernate":
        return ("reply", True, [], "hibernate")
    if type(req) is tuple and req[0] == "hibernate_noreply":
        erlang.send(req[1], "go")
        return ("noreply", from_, "hibernate")
    if req == "stop":
        return ("stop", "stopped", "ok", state)
    if req == "crash":
        raise Exit("crashed")
    if req == "exit_shutdown":
        raise Exit("shutdown")
    if req == "stop_shutdown":
        return ("stop", "shutdown", state)
    if req == "shutdown_reason":
        raise Exit(("shutdown", "reason"))
    if req == "stop_shutdown_reason":
        return ("stop", ("shutdown", "stop_reason"), state)
    return ("reply", req, state)                            # echo (call_with_huge_message_queue)


def _s_handle_cast(msg, state):
    if msg == "hibernate_now":
        return ("noreply", [], "hibernate")
    if msg == "hibernate_later":
        timer.send_after(1000, erlang.self(), "hibernate_now")
        return ("noreply", [])
    if msg[1] == "handle_cast":
        erlang.send(msg[0], (erlang.self(), "handled_cast"))
        return ("noreply", state)
    if msg[1] == "delayed_cast":
        return ("noreply", ("delayed_cast", msg[0]), msg[2])
    return ("stop", (msg[0], "stopped"), state)             # (From, 'stop')


def _s_handle_info(info, state):
    if info == "timeout" and state == "hibernate_me":
        return ("noreply", [], "hibernate")
    if info == "hibernate_now":
        return ("noreply", [], "hibernate")
    if info == "hibernate_later":
        return ("noreply", "hibernate_me", 1000)
    if info == "continue":
        gen_server.reply(state, True)
        return ("noreply", [])
    if info == "timeout" and type(state) is tuple and state[0] == "reply_to":
        gen_server.reply(state[1], "delayed")
        return ("noreply", [])
    if info == "timeout" and state == "call_within":
        return ("noreply", [])
    if info == "timeout" and type(state) is tuple and state[0] in ("delayed_cast", "delayed_info"):
        erlang.send(state[1], (erlang.self(), "delayed" if state[0] == "delayed_cast" else "delayed_info"))
        return ("noreply", [])
    if type(info) is tuple and info[1:] == ("handle_info",):
        erlang.send(info[0], (erlang.self(), "handled_info"))
        return ("noreply", [])
    if type(info) is tuple and len(info) == 3 and info[1] == "delayed_info":
        return ("noreply", ("delayed_info", info[0]), info[2])
    if type(info) is tuple and info[1:] == ("stop",):
        return ("stop", (info[0], "stopped_info"), state)
    return ("noreply", state)


def _s_terminate(reason, state):
    if type(reason) is tuple and len(reason) == 2 and reason[1] in ("stopped", "stopped_info") \
            and type(reason[0]) is erlang.Pid:
        erlang.send(reason[0], (erlang.self(), reason[1]))
    elif state == "crash_terminate":
        raise Exit(("crash", "terminate"))


def _s_format_status(opt, pd_state):
    return ("formatted", pd_state[1]) if opt == "terminate" else "format_status_called"


SUITE = types.SimpleNamespace(__name__="gen_server_SUITE", init=_s_init, handle_call=_s_handle_call,
                              handle_cast=_s_handle_cast, handle_info=_s_handle_info,
                              terminate=_s_terminate, format_status=_s_format_status)


class DummyVia:
    """The SUITE's dummy_via: a ``{via, Mod, Name}`` registry of its own."""
    __name__ = "dummy_via"

    def __init__(self):
        self.names = {}

    def register_name(self, name, pid):
        if name in self.names and erlang.is_process_alive(self.names[name]):
            return "no"
        self.names[name] = pid
        return "yes"

    def unregister_name(self, name):
        self.names.pop(name, None)
        return "ok"

    def whereis_name(self, name):
        p = self.names.get(name)
        return p if p is not None and erlang.is_process_alive(p) else "undefined"

    def send(self, name, msg):
        erlang.send(self.whereis_name(name), msg)


def _exit_of(pid, timeout=5000):
    msg = erlang.receive(("EXIT", pid, ANY), timeout=timeout)
    return TIMEOUT if msg is TIMEOUT else msg[2]


def _noproc(ref, *args):
    with pytest.raises(Exit) as e:
        gen_server.call(ref, "started_p", *args)
    return e.value.reason[0]


def test_start_anonymous_timeout_ignore_stop_linked_local_via():
    # gen_server_SUITE:start (all but the global part, ported above)
    erlang.process_flag("trap_exit", True)
    ok, p0 = gen_server.start(SUITE, [], [])
    assert gen_server.call(p0, "started_p") == "ok"
    assert gen_server.call(p0, "stop") == "ok"
    erlang.receive(timeout=10)
    assert _noproc(p0, 1) == "noproc"
    ok, p00 = gen_server.start(SUITE, [], [("timeout", 1000)])
    assert gen_server.call(p00, "started_p") == "ok"
    assert gen_server.call(p00, "stop") == "ok"
    assert gen_server.start(SUITE, "sleep", [("timeout", 100)]) == ("error", "timeout")
    assert gen_server.start(SUITE, "ignore", []) == "ignore"
    assert gen_server.start(SUITE, "stop", []) == ("error", "stopped")
    ok, p1 = gen_server.start_link(SUITE, [], [])
    assert gen_server.call(p1, "stop") == "ok"
    assert _exit_of(p1) == "stopped"
    ok, p2 = gen_server.start(("local", "my_test_name"), SUITE, [], [])
    assert gen_server.call("my_test_name", "started_p") == "ok"
    assert gen_server.start(("local", "my_test_name"), SUITE, [], []) == ("error", ("already_started", p2))
    assert gen_server.call("my_test_name", "stop") == "ok"
    erlang.receive(timeout=10)
    assert _noproc(p2, 10) == "noproc"
    via = DummyVia()
    ok, p6 = gen_server.start(("via", via, "my_test_name"), SUITE, [], [])
    assert gen_server.call(("via", via, "my_test_name"), "started_p") == "ok"
    assert gen_server.start(("via", via, "my_test_name"), SUITE, [], []) == ("error", ("already_started", p6))
    assert gen_server.call(("via", via, "my_test_name"), "stop") == "ok"
    erlang.receive(timeout=1)
    assert _noproc(p6, 10) == "noproc"
    ok, p7 = gen_server.start_link(("global", "my_test_name"), SUITE, [], [])
    assert gen_server.start(("global", "my_test_name"), SUITE, [], []) == ("error", ("already_started", p7))
    assert gen_server.call(("global", "my_test_name"), "stop") == "ok"
    assert _exit_of(p7) == "stopped"
    assert erlang.receive(timeout=1) is TIMEOUT               # the SUITE: no unexpected message


def test_stop1_stop2_stop4_stop5_stop7():
    # gen_server_SUITE:stop1, stop2, stop4, stop5, stop7 (stop3 and stop6 above; 8-10 need real nodes)
    ok, p = gen_server.start(SUITE, [], [])
    assert gen_server.stop(p) == "ok" and not erlang.is_process_alive(p)
    with pytest.raises(Exit) as e:
        gen_server.stop(p)
    assert e.value.reason == "noproc"                            # stop1: {'EXIT',noproc}
    ok, p = gen_server.start(SUITE, [], [])
    assert gen_server.stop(p, "other_reason", "infinity") == "ok"   # stop2
    assert not erlang.is_process_alive(p)
    for ref in ("to_stop", ("to_stop", erlang.node())):        # stop4, stop5
        ok, p = gen_server.start(("local", "to_stop"), SUITE, [], [])
        assert gen_server.stop(ref) == "ok" and not erlang.is_process_alive(p)
        with pytest.raises(Exit) as e:
            gen_server.stop(ref)
        assert e.value.reason == "noproc"
    via = DummyVia()                                            # stop7
    ok, p = gen_server.start(("via", via, "to_stop"), SUITE, [], [])
    assert gen_server.stop(("via", via, "to_stop")) == "ok" and not erlang.is_process_alive(p)
    with pytest.raises(Exit) as e:
        gen_server.stop(("via", via, "to_stop"))
    assert e.value.reason == "noproc"


def test_crash_exit_reasons():
    # gen_server_SUITE:crash (the exit reasons; the report checks are in test_gen_server)
    erlang.process_flag("trap_exit", True)
    cases = [([], "shutdown_reason", ("shutdown", "reason")),
             (("state", "state1"), "stop_shutdown_reason", ("shutdown", "stop_reason")),
             ([], "exit_shutdown", "shutdown"),
             (("state", "state3"), "stop_shutdown", "shutdown")]
    with logger.capture() as logs:
        for arg, req, reason in cases:
            ok, p = gen_server.start_link(SUITE, arg, [])
            with pytest.raises(Exit) as e:
                gen_server.call(p, req)
            assert e.value.reason[0] == reason
            assert _exit_of(p) == reason
    assert logs == []                                           # "should not generate a crash report"
    ok, p4 = gen_server.start(SUITE, ("state", "state4"), [])
    with logger.capture() as logs:
        with pytest.raises(Exit) as e:
            gen_server.call(p4, "crash")
        erlang.receive(timeout=10)
    assert e.value.reason[0] == "crashed"
    text = "\n".join("\n".join(r["text"]) for r in logs)
    assert "** Generic server" in text and "('formatted', 'state4')" in text


def test_call():
    # gen_server_SUITE:call
    erlang.process_flag("trap_exit", True)
    gen_server.start_link(("local", "my_test_name"), SUITE, [], [])
    assert gen_server.call("my_test_name", "started_p") == "ok"
    assert gen_server.call("my_test_name", ("delayed_answer", 1)) == "delayed"
    assert gen_server.call("my_test_name", ("call_within", 1000)) == "ok"
    timer.sleep(500)
    assert gen_server.call("my_test_name", "next_call") == "ok"
    assert gen_server.call("my_test_name", ("call_within", 1000)) == "ok"
    timer.sleep(1500)
    assert gen_server.call("my_test_name", "next_call") is False
    assert gen_server.call("my_test_name", ("delayed_answer", 1), 30) == "delayed"
    with pytest.raises(Exit) as e:
        gen_server.call("my_test_name", ("delayed_answer", 30), 1)
    assert e.value.reason[0] == "timeout"
    with logger.capture():
        with pytest.raises(Exit) as e:
            gen_server.call("my_test_name", "badreturn")
    assert e.value.reason[0] == ("bad_return_value", "badreturn")


def test_cast_info_abcast():
    # gen_server_SUITE:cast, info, abcast
    ok, p = gen_server.start(("local", "my_test_name"), SUITE, [], [])
    me = erlang.self()
    assert gen_server.cast("my_test_name", (me, "handle_cast")) == "ok"
    assert erlang.receive((p, "handled_cast"), timeout=1000) != TIMEOUT
    gen_server.cast("my_test_name", (me, "delayed_cast", 1))
    assert erlang.receive((p, "delayed"), timeout=1000) != TIMEOUT
    erlang.send(p, (me, "handle_info"))
    assert erlang.receive((p, "handled_info"), timeout=1000) != TIMEOUT
    erlang.send(p, (me, "delayed_info", 1))
    assert erlang.receive((p, "delayed_info"), timeout=1000) != TIMEOUT
    assert gen_server.abcast("my_test_name", (me, "handle_cast")) == "abcast"
    assert erlang.receive((p, "handled_cast"), timeout=1000) != TIMEOUT
    assert gen_server.abcast([erlang.node()], "my_test_name", (me, "delayed_cast", 1)) == "abcast"
    assert erlang.receive((p, "delayed"), timeout=1000) != TIMEOUT
    erlang.send(p, (me, "stop"))
    assert erlang.receive((p, "stopped_info"), timeout=1000) != TIMEOUT
    ok, p = gen_server.start(("local", "my_test_name"), SUITE, [], [])
    gen_server.cast("my_test_name", (me, "stop"))
    assert erlang.receive((p, "stopped"), timeout=1000) != TIMEOUT


def test_multicall():
    # gen_server_SUITE:multicall
    erlang.process_flag("trap_exit", True)
    ok, p = gen_server.start_link(("local", "my_test_name"), SUITE, [], [])
    node = erlang.node()
    assert gen_server.multi_call("my_test_name", ("delayed_answer", 1)) == ([(node, "delayed")], [])
    assert gen_server.multi_call([node], "my_test_name", ("call_within", 1000)) == ([(node, "ok")], [])
    timer.sleep(500)
    assert gen_server.multi_call([node], "my_test_name", "next_call") == ([(node, "ok")], [])
    gen_server.multi_call([node], "my_test_name", ("call_within", 1000))
    timer.sleep(1500)
    assert gen_server.multi_call([node], "my_test_name", "next_call") == ([(node, False)], [])
    assert gen_server.multi_call([node], "my_test_name", "stop") == ([(node, "ok")], [])
    assert _exit_of(p, 1000) == "stopped"


def _spec_init(kind, ok_name, via=None, timeout_given=True):
    """The SUITE's spec_init_local / _global / _via / _anonymous: register (or not), ack, enter_loop."""
    def body():
        erlang.process_flag("trap_exit", True)
        ok, name = ok_name if ok_name else ("ok", None)
        if ok == "ok" and kind == "local":
            erlang.register(name, erlang.self())
        elif ok == "ok" and kind == "global":
            global_.register_name(name, erlang.self())
        elif ok == "ok" and kind == "via":
            via.register_name(name, erlang.self())
        proc_lib.init_ack(("ok", erlang.self()))
        server = None if kind == "anonymous" else ("via", via, name) if kind == "via" else (kind, name)
        rest = ([server] if server else []) + (["infinity"] if timeout_given else [])
        gen_server.enter_loop(SUITE, [], (), *rest)
    return proc_lib.start_link(body)


def test_spec_init():
    # gen_server_SUITE:spec_init (the not_proc_lib case is ported above)
    erlang.process_flag("trap_exit", True)
    for kind, timeout_given in (("local", True), ("global", True), ("anonymous", True), ("anonymous", False),
                                ("local", False), ("global", False)):   # the last: OTP-10130
        ok, p = _spec_init(kind, ("ok", "my_server"), timeout_given=timeout_given)
        assert gen_server.call(p, "started_p") == "ok"
        assert gen_server.call(p, "stop") == "ok"
        assert _exit_of(p) == "stopped"
    ok, p = _spec_init("local", ("not_ok", "my_server"))
    assert _exit_of(p) == "process_not_registered"
    ok, p = _spec_init("global", ("not_ok", "my_server"))
    assert _exit_of(p) == "process_not_registered_globally"


def test_spec_init_local_registered_parent():
    # gen_server_SUITE:spec_init_local_registered_parent (OTP-4820): the parent is in $ancestors by name
    erlang.register("foobar", erlang.self())
    erlang.process_flag("trap_exit", True)
    ok, p = _spec_init("local", ("ok", "my_server"))
    gen_server.cast("my_server", (erlang.self(), "stop"))
    assert erlang.receive((p, "stopped"), timeout=1000) != TIMEOUT
    erlang.unregister("foobar")


def test_spec_init_global_registered_parent():
    # gen_server_SUITE:spec_init_global_registered_parent (OTP-4820)
    global_.register_name("foobar", erlang.self())
    erlang.process_flag("trap_exit", True)
    ok, p = _spec_init("global", ("ok", "my_server"))
    assert gen_server.call(p, "started_p") == "ok"
    gen_server.cast(p, (erlang.self(), "stop"))
    assert erlang.receive((p, "stopped"), timeout=1000) != TIMEOUT
    global_.unregister_name("foobar")


def test_otp_5854_enter_loop_name_held_by_another_process():
    # gen_server_SUITE:otp_5854: the name is registered, but to another process (the caller)
    erlang.process_flag("trap_exit", True)
    via = DummyVia()
    erlang.register("armitage", erlang.self())
    ok, p1 = _spec_init("local", ("not_ok", "armitage"))
    assert _exit_of(p1, 1000) == "process_not_registered"
    erlang.unregister("armitage")
    global_.register_name("armitage", erlang.self())
    ok, p2 = _spec_init("global", ("not_ok", "armitage"))
    assert _exit_of(p2, 1000) == "process_not_registered_globally"
    global_.unregister_name("armitage")
    via.register_name("armitage", erlang.self())
    ok, p3 = _spec_init("via", ("not_ok", "armitage"), via=via)
    assert _exit_of(p3, 1000) == ("process_not_registered_via", "dummy_via")


def test_otp_7669_no_name_left_after_ignore_or_stop():
    # gen_server_SUITE:otp_7669
    erlang.process_flag("trap_exit", True)
    for _ in range(10):
        assert gen_server.start(("local", "gen_server_SUITE"), SUITE, "ignore", []) == "ignore"
        assert erlang.whereis("gen_server_SUITE") == "undefined"
        assert gen_server.start_link(("local", "gen_server_SUITE"), SUITE, "ignore", []) == "ignore"
        assert erlang.whereis("gen_server_SUITE") == "undefined"
        assert gen_server.start(("global", "gen_server_SUITE"), SUITE, "ignore", []) == "ignore"
        assert global_.whereis_name("gen_server_SUITE") == "undefined"
        assert gen_server.start_link(("global", "gen_server_SUITE"), SUITE, "ignore", []) == "ignore"
        assert global_.whereis_name("gen_server_SUITE") == "undefined"
    with logger.capture():
        assert gen_server.start(("local", "gen_server_SUITE"), SUITE, "stop", []) == ("error", "stopped")
        assert erlang.whereis("gen_server_SUITE") == "undefined"
        assert gen_server.start(("global", "gen_server_SUITE"), SUITE, "stop", []) == ("error", "stopped")
        assert global_.whereis_name("gen_server_SUITE") == "undefined"


def test_call_format_status():
    # gen_server_SUITE:call_format_status (names: an atom, a pid, a global str, a global term)
    erlang.process_flag("trap_exit", True)
    ok, p = gen_server.start_link(("local", "call_format_status"), SUITE, [], [])
    for ref, pid in (("call_format_status", p),):
        st = osys.get_status(ref)
        assert st[0:2] == ("status", pid) and st[3][1] == "running" and st[3][4][-1] == "format_status_called"
    assert osys.get_status("call_format_status", 5000)[3][4][-1] == "format_status_called"
    ok, p3 = gen_server.start_link(SUITE, [], [])
    assert osys.get_status(p3)[3][4][-1] == "format_status_called"
    ok, p4 = gen_server.start_link(("global", "CallFormatStatus"), SUITE, [], [])
    assert osys.get_status(p4)[3][4][-1] == "format_status_called"
    ok, p5 = gen_server.start_link(("global", ("name", "term")), SUITE, [], [])
    st = osys.get_status(("global", ("name", "term")))
    assert st[1] is p5 and st[3][4][-1] == "format_status_called"


def test_error_format_status_and_terminate_crash_format():
    # gen_server_SUITE:error_format_status and terminate_crash_format: the ERROR REPORT shows
    # format_status(terminate, ...)'s answer; a crashing terminate/2 is the exit reason
    erlang.process_flag("trap_exit", True)
    ok, p = gen_server.start_link(SUITE, ("state", "called format_status"), [])
    with logger.capture() as logs:
        with pytest.raises(Exit) as e:
            gen_server.call(p, "crash")
        assert _exit_of(p) == "crashed"
    assert e.value.reason[0] == "crashed"
    assert "('formatted', 'called format_status')" in "\n".join(logs[0]["text"])
    ok, p = gen_server.start_link(SUITE, ("state", "crash_terminate"), [])
    with logger.capture() as logs:
        gen_server.call(p, "stop")
        assert _exit_of(p) == ("crash", "terminate")
    text = "\n".join(logs[0]["text"])
    assert "('formatted', 'crash_terminate')" in text and "('crash', 'terminate')" in text


def test_get_state_and_replace_state():
    # gen_server_SUITE:get_state, replace_state
    state = erlang.self()
    gen_server.start_link(("local", "get_state"), SUITE, ("state", state), [])
    assert osys.get_state("get_state") is state
    assert osys.get_state("get_state", 5000) is state
    ok, p = gen_server.start_link(SUITE, ("state", state), [])
    assert osys.suspend(p) == "ok"
    assert osys.get_state(p) is state
    assert osys.resume(p) == "ok"
    gen_server.start_link(("local", "replace_state"), SUITE, ("state", state), [])
    assert osys.replace_state("replace_state", lambda _: "replaced") == "replaced"
    assert osys.get_state("replace_state") == "replaced"
    ok, p = gen_server.start_link(SUITE, ("state", "replaced"), [])
    assert osys.replace_state(p, lambda s: s + " again", 5000) == "replaced again"

    def fail(_):
        raise Throw("fail")
    with pytest.raises(ErlangError) as e:
        osys.replace_state(p, fail)
    assert e.value.reason == ("callback_failed", ("gen_server", "system_replace_state"), ("throw", "fail"))
    assert osys.get_state(p, 5000) == "replaced again"
    osys.suspend(p)
    assert osys.replace_state(p, lambda s: s + " and again") == "replaced again and again"
    osys.resume(p)
    assert osys.get_state(p, 5000) == "replaced again and again"


def test_call_with_huge_message_queue_still_answers():
    # gen_server_SUITE:call_with_huge_message_queue (the answer, not the timing): a call's reply is
    # found behind a long queue of unrelated messages
    def echo():
        while True:
            m = erlang.receive(("$gen_call", (ANY, ANY), ANY))
            erlang.send(m[1][0], (m[1][1], m[2]))
    p = erlang.spawn(echo)
    for n in range(5000):
        erlang.send(erlang.self(), ("msg", n))
    for _ in range(100):
        assert gen_server.call(p, ("ultimate_answer", 42), "infinity") == ("ultimate_answer", 42)


# ------------------------------------------------------------------ the undef_* cases (newer gen_server_SUITE)
OC_SERVER = types.SimpleNamespace(__name__="oc_server", init=lambda a: ("ok", a) if a != "continue"
                                  else ("ok", a, ("continue", "go")))


@pytest.mark.parametrize("args, reason", [((), "normal"), ((("error", "test"), "infinity"), ("error", "test"))])
def test_undef_terminate1_and_2(args, reason):
    # gen_server_SUITE:undef_terminate1, undef_terminate2: no terminate/2, stop still works
    ok, p = gen_server.start(OC_SERVER, [], [])
    ref = erlang.monitor("process", p)
    with logger.capture():
        assert gen_server.stop(p, *args) == "ok"
    assert erlang.receive(("DOWN", ref, "process", p, ANY), timeout=5000)[4] == reason


def test_undef_init():
    # gen_server_SUITE:undef_init; OTP 25 (tests/oracle_probes/ch23_f9_undef.out):
    # {error,{undef,[{ch23_f9_noinit,init,[[]],[]}|_]}}; gen_statem answers {error,undef}
    from otp_lite import gen_statem
    no_init = types.SimpleNamespace(__name__="oc_init_server")
    with logger.capture():
        assert gen_server.start(no_init, [], []) == ("error", ("undef", [("oc_init_server", "init", [[]])]))
        erlang.process_flag("trap_exit", True)
        r = gen_server.start_link(no_init, [], [])
        assert r[0] == "error" and r[1][0] == "undef"
        assert gen_statem.start(no_init, [], []) == ("error", "undef")


def test_undef_code_change():
    # gen_server_SUITE:undef_code_change: {error,{'EXIT',{undef,[{oc_server,code_change,[_,_,_],_}|_]}}}, alive
    ok, p = gen_server.start(OC_SERVER, [], [])
    osys.suspend(p)
    osys.replace_state(p, lambda s: ("new", s))
    r = osys.change_code(p, "gen_server_SUITE", "old_vsn", [])
    osys.resume(p)
    assert r[0] == "error" and r[1][0] == "EXIT" and r[1][1][0] == "undef"
    assert r[1][1][1][0][:2] == ("oc_server", "code_change") and len(r[1][1][1][0][2]) == 3
    assert erlang.is_process_alive(p)


def test_undef_handle_call_cast_continue():
    # gen_server_SUITE:undef_handle_call, undef_handle_cast, undef_handle_continue
    with logger.capture():
        ok, p = gen_server.start(OC_SERVER, [], [])
        with pytest.raises(Exit) as e:
            gen_server.call(p, "call_msg")
        (undef, [(m, f, _)]), (g, c, _) = e.value.reason
        assert (undef, m, f, g, c) == ("undef", "oc_server", "handle_call", "gen_server", "call")
        ok, p = gen_server.start(OC_SERVER, [], [])
        ref = erlang.monitor("process", p)
        gen_server.cast(p, "cast_msg")
        down = erlang.receive(("DOWN", ref, "process", p, ANY), timeout=5000)[4]
        assert down[0] == "undef" and down[1][0][:2] == ("oc_server", "handle_cast")
        ok, (p, ref) = gen_server.start_monitor(OC_SERVER, "continue", [])
        down = erlang.receive(("DOWN", ref, "process", p, ANY), timeout=5000)[4]
        assert down[0] == "undef" and down[1][0][:2] == ("oc_server", "handle_continue")


def test_undef_handle_info():
    # gen_server_SUITE:undef_handle_info: a warning, the server lives
    ok, p = gen_server.start(OC_SERVER, [], [])
    with logger.capture() as logs:
        erlang.send(p, "hej")
        timer.sleep(10)
    assert erlang.is_process_alive(p)
    assert logs[0]["text"][0] == "** Undefined handle_info in oc_server"
    assert logs[0]["text"][1] == "** Unhandled message: 'hej'"


HIBERNATE = ("erlang", "hibernate", 3)


def _current(pid):
    return erlang.process_info(pid, "current_function")[1]


def _is_in_hibernate(pid):
    for _ in range(200):
        timer.sleep(1 if _ == 0 else 10)
        if _current(pid) == HIBERNATE:
            return True
    return False


def test_hibernate():
    # gen_server_SUITE:hibernate
    erlang.process_flag("trap_exit", True)
    ok, p0 = gen_server.start_link(("local", "my_test_name_hibernate0"), SUITE, "hibernate", [])
    assert _is_in_hibernate(p0)
    assert gen_server.call("my_test_name_hibernate0", "stop") == "ok"
    assert _exit_of(p0) == "stopped"
    ok, p = gen_server.start_link(("local", "my_test_name_hibernate"), SUITE, [], [])
    name = "my_test_name_hibernate"
    assert gen_server.call(name, "started_p") == "ok"
    assert gen_server.call(name, "hibernate") is True
    assert _is_in_hibernate(p)
    parent = erlang.self()

    def peeker():
        erlang.receive("go")
        timer.sleep(1000)
        x = _current(p)
        erlang.send(p, "continue")
        erlang.send(parent, ("result", x))
    assert gen_server.call(name, ("hibernate_noreply", erlang.spawn_link(peeker))) is True
    gen_server.cast(name, "hibernate_later")
    assert _current(p) != HIBERNATE
    assert _is_in_hibernate(p)
    assert gen_server.call(name, "started_p") == "ok" and _current(p) != HIBERNATE
    gen_server.cast(name, "hibernate_now")
    assert _is_in_hibernate(p)
    assert gen_server.call(name, "started_p") == "ok" and _current(p) != HIBERNATE
    erlang.send(p, "hibernate_later")
    assert _current(p) != HIBERNATE
    assert _is_in_hibernate(p)
    assert gen_server.call(name, "started_p") == "ok"
    erlang.send(p, "hibernate_now")
    assert _is_in_hibernate(p)
    assert gen_server.call(name, "started_p") == "ok" and _current(p) != HIBERNATE
    assert erlang.receive(("result", ANY), timeout=5000)[1] == HIBERNATE
    assert gen_server.call(name, "hibernate") is True
    assert _is_in_hibernate(p)
    osys.suspend(name)
    assert _is_in_hibernate(p)
    osys.resume(name)
    assert _is_in_hibernate(p)
    assert gen_server.call(name, "started_p") == "ok" and _current(p) != HIBERNATE
    assert gen_server.call(name, "stop") == "ok"
    assert _exit_of(p) == "stopped"
