"""Cases of OTP's lib/stdlib/test/gen_statem_SUITE.erl, rewritten in Python (issue 23, item 9).

Each test names the SUITE case it ports.  The exact OTP 25 answers come from
tests/oracle_probes/ch23_f9.erl + ch23_f9_cb.erl (output in ch23_f9.out).
"""
import types

import pytest

from otp_lite import erlang, gen_statem, global_, logger, proc_lib, runtime, timer
from otp_lite import sys as osys
from otp_lite.erlang import ANY, TIMEOUT, ErlangError, Exit, Throw


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


# ================================================================== more of gen_statem_SUITE
def _map_statem(machine, modes=()):
    """The SUITE's {map_statem, Machine, Modes}: a map from state to fun (init: a fun of no arguments)."""
    return types.SimpleNamespace(
        __name__="gen_statem_SUITE_handle_event", init=lambda _a: machine["init"](),
        callback_mode=lambda: ["handle_event_function", *modes] if modes else "handle_event_function",
        handle_event=lambda t, c, s, d: machine[s](t, c, d))


def _flush():
    out = []
    while True:
        m = erlang.receive(timeout=0)
        if m is TIMEOUT:
            return out
        out.append(m)


def test_stop_and_reply():
    # gen_statem_SUITE:stop_and_reply: the exact mailbox, replies before the EXIT
    erlang.process_flag("trap_exit", True)
    machine = {
        "init": lambda: ("ok", "start", "undefined"),
        "start": lambda t, c, d: ("next_state", "wait", ("reply", c[1], c[2])),
        "wait": lambda t, c, r1: ("stop_and_reply", c[1], [r1, ("reply", c[2], c[3])]),
    }
    ok, stm = gen_statem.start_link(_map_statem(machine), None, [])
    me = erlang.self()
    tag1, tag2 = erlang.make_ref(), erlang.make_ref()
    gen_statem.cast(stm, ("echo", (me, tag1), "reply1"))
    with logger.capture():
        gen_statem.cast(stm, ("stop_and_reply", "reason", (me, tag2), "reply2"))
        timer.sleep(10)
    assert _flush() == [(tag1, "reply1"), (tag2, "reply2"), ("EXIT", stm, "reason")]
    with pytest.raises(Exit) as e:
        gen_statem.call(stm, "hej")
    assert e.value.reason[0] == "noproc"
    assert _flush() == []


def test_event_order():
    # gen_statem_SUITE:event_order: next_event before postponed events, the 0 timeout cancelled
    erlang.process_flag("trap_exit", True)

    def start(t, c, d):
        if t == "cast":
            return ("keep_state_and_data", "postpone")
        pid, (t3, t4, t5) = c[1], c[2]
        return ("next_state", "buffer", [],
                [("next_event", "internal", ("reply", (pid, t3), "ok3")),
                 ("next_event", "internal", ("reply", (pid, t4), "ok4")),
                 ("timeout", 0, ("reply", (pid, t5), "ok5")),
                 ("reply", t[1], "ok")])

    def buffer(t, c, replies):
        if type(t) is tuple and t[0] == "call":
            return ("next_state", "stop", "undefined",
                    list(reversed(replies)) + [("reply", t[1], "ok"), ("next_event", "internal", ("stop", c[1]))])
        return ("keep_state", [c] + replies)

    machine = {"init": lambda: ("ok", "start", "undefined"), "start": start, "buffer": buffer,
               "stop": lambda t, c, d: c}
    ok, stm = gen_statem.start_link(_map_statem(machine), None, [])
    me = erlang.self()
    t1, t2, t3, t4, t5 = (erlang.make_ref() for _ in range(5))
    gen_statem.cast(stm, ("reply", (me, t1), "ok1"))
    gen_statem.cast(stm, ("reply", (me, t2), "ok2"))
    assert gen_statem.call(stm, ("buffer", me, [t3, t4, t5])) == "ok"
    with logger.capture():
        assert gen_statem.call(stm, ("stop", "reason")) == "ok"
        timer.sleep(10)
    assert _flush() == [(t3, "ok3"), (t4, "ok4"), (t1, "ok1"), (t2, "ok2"), ("EXIT", stm, "reason")]
    with pytest.raises(Exit) as e:
        gen_statem.call(stm, "hej")
    assert e.value.reason[0] == "noproc"


# The SUITE's own machine (handle_event_function flavour), rewritten.
def _m_init(arg):
    if arg == "ignore":
        return "ignore"
    if arg == "stop":
        return ("stop", "stopped")
    if arg == "sleep":
        timer.sleep(1000)
    if type(arg) is tuple and arg[0] == "data":
        return ("ok", "idle", arg[1])
    return ("ok", "idle", "data")


def _m_handle_event(t, c, s, d):
    if type(t) is tuple and t[0] == "call":
        frm = t[1]
        if c == "badreturn":
            return "badreturn"
        if type(c) is tuple and c[0] == "delayed_answer":
            timer.sleep(c[1])
            return ("keep_state_and_data", [("reply", frm, "delayed")])
        if c == "stop":
            return ("stop_and_reply", "normal", [("reply", frm, "stopped")])
        if type(c) is tuple and c[0] == "stop":
            return ("stop_and_reply", c[1], [("reply", frm, "stopped")])
        if c == "alive?":
            return ("keep_state_and_data", [("reply", frm, "yes")])
        return ("keep_state_and_data", [("reply", frm, ("ok", c))])
    return "keep_state_and_data"


def _m_terminate(reason, s, d):
    if d == "crash_terminate":
        raise Exit(("crash", "terminate"))


def _m_code_change(old_vsn, s, d, extra):
    return ("ok", s, (old_vsn, d, extra))


def _m_format_status(opt, args):
    pdict, s, d = args
    return ("formatted", s, d) if opt == "terminate" else "format_status_called"


SM = types.SimpleNamespace(__name__="gen_statem_SUITE", init=_m_init, callback_mode=lambda: "handle_event_function",
                           handle_event=_m_handle_event, terminate=_m_terminate, code_change=_m_code_change,
                           format_status=_m_format_status)


class DummyVia:
    """The SUITE's dummy_via registry."""
    __name__ = "dummy_via"

    def __init__(self):
        self.names = {}

    def register_name(self, name, pid):
        if self.whereis_name(name) != "undefined":
            return "no"
        self.names[name] = pid
        return "yes"

    def unregister_name(self, name):
        self.names.pop(name, None)

    def whereis_name(self, name):
        p = self.names.get(name)
        return p if p is not None and erlang.is_process_alive(p) else "undefined"


def _stop_it(ref):
    assert gen_statem.call(ref, "stop") == "stopped"


def test_start4_to_start12():
    # gen_statem_SUITE:start4 (ignore), start5 (stop), start7-start12 (names)
    assert gen_statem.start(SM, "ignore", []) == "ignore"
    with logger.capture():
        assert gen_statem.start(SM, "stop", []) == ("error", "stopped")
    assert gen_statem.start(SM, "sleep", [("timeout", 5)]) == ("error", "timeout")      # start3
    via = DummyVia()
    for stm in (("global", "my_stm"), ("local", "my_stm"), ("via", via, "my_stm")):
        ok, pid = gen_statem.start_link(stm, SM, [], [])
        assert gen_statem.start_link(stm, SM, [], []) == ("error", ("already_started", pid))
        assert gen_statem.start(stm, SM, [], []) == ("error", ("already_started", pid))
        ref = stm[1] if stm[0] == "local" else stm
        assert gen_statem.call(ref, "hej") == ("ok", "hej")
        _stop_it(ref)
        erlang.receive(timeout=1)
    ok, pid2 = gen_statem.start(("global", "my_stm"), SM, [], [])     # start11: the name is free again
    _stop_it(pid2)
    erlang.receive(timeout=1)
    ok, pid3 = gen_statem.start(("global", "my_stm"), SM, [], [])
    _stop_it(("global", "my_stm"))


def test_stop1_stop2_stop4_stop5_stop7():
    # gen_statem_SUITE:stop1, stop2, stop4, stop5, stop7
    ok, p = gen_statem.start(SM, [], [])
    assert gen_statem.stop(p) == "ok" and not erlang.is_process_alive(p)
    with pytest.raises(Exit) as e:
        gen_statem.stop(p)
    assert e.value.reason == "noproc"
    ok, p = gen_statem.start(SM, [], [])
    assert gen_statem.stop(p, "other_reason", "infinity") == "ok" and not erlang.is_process_alive(p)
    via = DummyVia()
    for name, ref in ((("local", "to_stop"), "to_stop"), (("local", "to_stop"), ("to_stop", erlang.node())),
                      (("via", via, "to_stop"), ("via", via, "to_stop"))):
        ok, p = gen_statem.start(name, SM, [], [])
        assert gen_statem.stop(ref) == "ok" and not erlang.is_process_alive(p)
        with pytest.raises(Exit) as e:
            gen_statem.stop(ref)
        assert e.value.reason == "noproc"


def test_abnormal1_abnormal2_shutdown():
    # gen_statem_SUITE:abnormal1 (call timeout), abnormal2 (bad return value), shutdown
    gen_statem.start(("local", "abnormal1"), SM, [], [])
    assert gen_statem.call("abnormal1", ("delayed_answer", 1), 100) == "delayed"
    with pytest.raises(Exit) as e:
        gen_statem.call("abnormal1", ("delayed_answer", 1000), 10)
    assert e.value.reason[0] == "timeout"
    assert gen_statem.stop("abnormal1") == "ok"
    erlang.process_flag("trap_exit", True)
    ok, p = gen_statem.start_link(SM, [], [])
    with logger.capture():
        with pytest.raises(Exit) as e:
            gen_statem.call(p, "badreturn")
        # the 2016 SUITE says {bad_return_value,badreturn}; OTP 25 (tests/oracle_probes/ch23_f9_bad.out):
        # {{bad_return_from_state_function,badreturn},Stack} in the caller and in the EXIT
        assert e.value.reason[0][0] == ("bad_return_from_state_function", "badreturn")
        assert erlang.receive(("EXIT", p, ANY), timeout=5000)[2][0] == ("bad_return_from_state_function", "badreturn")
    ok, p0 = gen_statem.start_link(SM, [], [])
    with logger.capture() as logs:
        assert gen_statem.call(p0, ("stop", ("shutdown", "reason"))) == "stopped"
        assert erlang.receive(("EXIT", p0, ANY), timeout=5000)[2] == ("shutdown", "reason")
    assert logs == []
    with pytest.raises(Exit) as e:
        gen_statem.call(p0, "hej")
    assert e.value.reason[0] == "noproc"
    assert erlang.receive(timeout=500) is TIMEOUT


def test_sys1_suspended_machine_does_not_answer():
    # gen_statem_SUITE:sys1
    ok, p = gen_statem.start(SM, [], [])
    st = osys.get_status(p)
    assert st[:3] == ("status", p, ("module", "gen_statem"))
    osys.suspend(p)
    me, tag = erlang.self(), erlang.make_ref()
    caller = erlang.spawn(lambda: erlang.send(me, (tag, gen_statem.call(p, "hej"))))
    assert erlang.receive((tag, ANY), timeout=3000) is TIMEOUT
    erlang.exit(caller, "ok")
    osys.resume(p)
    _stop_it(p)


def test_code_change():
    # gen_statem_SUITE:code_change
    ok, p = gen_statem.start(SM, [], [])
    assert osys.get_state(p) == ("idle", "data")
    osys.suspend(p)
    osys.change_code(p, SM, "old_vsn", "extra")
    osys.resume(p)
    assert osys.get_state(p) == ("idle", ("old_vsn", "data", "extra"))
    _stop_it(p)


def test_call_format_status():
    # gen_statem_SUITE:call_format_status (a pid, an atom, global and via names, str and term)
    via = DummyVia()
    ok, p = gen_statem.start(SM, [], [])
    st = osys.get_status(p)
    assert st[1] is p and st[3][1] == "running" and st[3][4][-1] == "format_status_called"
    _stop_it(p)
    for name in (("local", "gstm"), ("global", "CallFormatStatus"), ("global", ("name", "term")),
                 ("via", via, "CallFormatStatus"), ("via", via, ("name", "term"))):
        ok, p = gen_statem.start(name, SM, [], [])
        st = osys.get_status(name[1] if name[0] == "local" else name)
        assert st[1] is p and st[3][1] == "running" and st[3][4][-1] == "format_status_called"
        _stop_it(p)


def test_error_format_status_and_terminate_crash_format():
    # gen_statem_SUITE:error_format_status, terminate_crash_format: the report shows
    # format_status(terminate, ...), i.e. ('formatted', 'idle', Data)
    erlang.process_flag("trap_exit", True)
    ok, p = gen_statem.start(SM, ("data", "called format_status"), [])
    with logger.capture() as logs:
        with pytest.raises(Exit) as e:
            gen_statem.call(p, "badreturn")
        timer.sleep(10)
    assert e.value.reason[0][0] == ("bad_return_from_state_function", "badreturn")   # OTP 25: ch23_f9_bad.out
    text = "\n".join(logs[0]["text"])
    assert text.startswith("** State machine") and "('formatted', 'idle', 'called format_status')" in text
    ok, p = gen_statem.start(SM, ("data", "crash_terminate"), [])
    with logger.capture() as logs:
        _stop_it(p)                                   # stop_and_reply: the reply goes before terminate/3
        timer.sleep(10)
    text = "\n".join(logs[0]["text"])
    assert "('formatted', 'idle', 'crash_terminate')" in text and "('crash', 'terminate')" in text


def test_get_state_and_replace_state():
    # gen_statem_SUITE:get_state, replace_state
    state = erlang.self()
    ok, p = gen_statem.start(SM, ("data", state), [])
    assert osys.get_state(p) == ("idle", state) and osys.get_state(p, 5000) == ("idle", state)
    osys.suspend(p)
    assert osys.get_state(p, 5000) == ("idle", state)
    osys.resume(p)
    assert osys.replace_state(p, lambda sd: (sd[0], "replaced")) == ("idle", "replaced")
    assert osys.replace_state(p, lambda sd: ("state0", "replaced again"), 5000) == ("state0", "replaced again")

    def fail(_):
        raise ErlangError("fail")
    with pytest.raises(ErlangError) as e:
        osys.replace_state(p, fail)
    assert e.value.reason == ("callback_failed", ("gen_statem", "system_replace_state"), ("error", "fail"))
    assert osys.get_state(p) == ("state0", "replaced again")
    osys.suspend(p)
    assert osys.replace_state(p, lambda sd: (sd[0], sd[1] + " and again")) == ("state0", "replaced again and again")
    osys.resume(p)
    assert osys.get_state(p, 5000) == ("state0", "replaced again and again")


def _enter(reg1, reg2, via):
    def body():
        erlang.process_flag("trap_exit", True)
        me = erlang.self()
        if reg1 == "local":
            erlang.register("armitage", me)
        elif reg1 == "global":
            global_.register_name("armitage", me)
        elif reg1 == "via":
            via.register_name("armitage", me)
        proc_lib.init_ack(("ok", me))
        server = {"local": [("local", "armitage")], "global": [("global", "armitage")],
                  "via": [("via", via, "armitage")], "anon": []}[reg2]
        gen_statem.enter_loop(SM, [], "state0", [], *server)
    return proc_lib.start_link(body)[1]


def test_enter_loop():
    # gen_statem_SUITE:enter_loop
    erlang.process_flag("trap_exit", True)
    via = DummyVia()

    def exit_of(p):
        m = erlang.receive(("EXIT", p, ANY), timeout=5000)
        return TIMEOUT if m is TIMEOUT else m[2]
    for reg1, reg2, reason in (("local", "local", None), ("anon", "local", "process_not_registered"),
                               ("global", "global", None), ("anon", "global", "process_not_registered_globally"),
                               ("anon", "anon", None)):
        p = _enter(reg1, reg2, via)
        if reason is None:
            assert gen_statem.call(p, "alive?") == "yes"
            assert gen_statem.call(p, "stop") == "stopped"
            assert exit_of(p) == "normal"
        else:
            assert exit_of(p) == reason
    p4 = erlang.spawn_link(lambda: gen_statem.enter_loop(SM, [], "state0", []))
    assert exit_of(p4) == "process_was_not_started_by_proc_lib"
    p5 = _enter("anon", "anon", via)                      # I am the parent: shutdown stops it
    assert gen_statem.call(p5, "alive?") == "yes"
    erlang.exit(p5, "shutdown")
    assert exit_of(p5) == "shutdown"
    erlang.register("armitage", erlang.self())
    assert exit_of(_enter("anon", "local", via)) == "process_not_registered"
    erlang.unregister("armitage")
    global_.register_name("armitage", erlang.self())
    assert exit_of(_enter("anon", "global", via)) == "process_not_registered_globally"
    global_.unregister_name("armitage")
    via.register_name("armitage", erlang.self())
    assert exit_of(_enter("anon", "via", via)) == ("process_not_registered_via", "dummy_via")
    assert _flush() == []


# ------------------------------------------------------------------ the SUITE's state_functions machine
def _common(t, c, state, data):
    call = type(t) is tuple and t[0] == "call"
    if call and c == "get_callback_mode":
        return ("keep_state_and_data", ("reply", t[1], "state_functions"))
    if call and c == "get":
        return ("keep_state", data, [("reply", t[1], ("state", state, data))])
    if call and c == "stop":
        return ("stop_and_reply", "normal", [("reply", t[1], "stopped")], data)
    if call and type(c) is tuple and c[0] == "stop":
        return ("stop_and_reply", c[1], ("reply", t[1], "stopped"), data)
    if call and c == "alive?":
        return ("keep_state", data, [("reply", t[1], "yes")])
    if t == "cast" and type(c) is tuple and c[0] == "alive?":
        erlang.send(c[1], "yes")
        return ("keep_state", data)
    return None


def _idle(t, c, data):
    if t == "cast" and type(c) is tuple and c[0] == "connect":
        erlang.send(c[1], "accept")
        return ("next_state", "wfor_conf", data, "infinity")       # a no-op timeout, to test the API
    if type(t) is tuple and c == "connect":
        gen_statem.reply(t[1], "accept")
        return ("next_state", "wfor_conf", data, "infinity")
    if type(t) is tuple and type(c) is tuple and c[0] == "timeout":
        return ("next_state", "timeout", (t[1], c[1]), ("timeout", c[1], "idle"))
    if t == "cast" and c == "next_event":
        return ("next_state", "next_events", ["a", "b", "c"],
                [("next_event", "internal", "a"), ("next_event", "internal", "b"), ("next_event", "internal", "c")])
    r = _common(t, c, "idle", data)
    if r is None:
        if type(t) is tuple:
            raise Throw(("keep_state", data, [("reply", t[1], "eh?")]))
        raise Throw(("stop", ("unexpected", "idle", t, c)))
    return r


def _timeout(t, c, data):
    if t == "timeout" and c == "idle":
        tref = erlang.start_timer(data[1], erlang.self(), "ok")
        return ("keep_state", (data[0], tref), 0)                   # an immediate timeout 0
    if t == "timeout" and c == 0:
        return ("next_state", "timeout2", data, [("timeout", 1, "should_be_cancelled"), "postpone"])
    return "keep_state_and_data"


def _timeout2(t, c, data):
    if t == "timeout" and c == 0:
        return "keep_state_and_data"
    if t == "timeout":
        return ("stop", c)
    if t == "info" and type(c) is tuple and c[0] == "timeout" and c[1] is data[1]:
        gen_statem.reply([("reply", data[0], c[2])])
        return ("next_state", "idle", "state")
    return ("keep_state_and_data", [])


def _wfor_conf(t, c, data):
    if type(t) is tuple and c == "confirm":
        return ("next_state", "connected", data, ("reply", t[1], "yes"))
    if t == "cast" and type(c) is tuple and c[0] == "ping":
        return ("keep_state_and_data", ["postpone"])
    if t == "cast" and c == "confirm":
        return ("next_state", "connected", data)
    r = _common(t, c, "wfor_conf", data)
    if r is None:
        if type(t) is tuple:
            return ("next_state", "idle", data, [("reply", t[1], "eh?")])
        raise Throw("keep_state_and_data")
    return r


def _connected(t, c, data):
    call = type(t) is tuple
    if call and type(c) is tuple and c[0] == "msg":
        return ("keep_state", data, ("reply", t[1], ("ack", c[1])))
    if t == "cast" and type(c) is tuple and c[0] == "msg":
        erlang.send(c[1], ("ack", c[2]))
        return ("keep_state", data)
    if call and c == "disconnect":
        return ("next_state", "idle", data, [("reply", t[1], "yes")])
    if t == "cast" and c == "disconnect":
        return ("next_state", "idle", data)
    if t == "cast" and type(c) is tuple and c[0] == "ping":
        erlang.send(c[1], ("pong", c[2]))
        return ("keep_state", data)
    r = _common(t, c, "connected", data)
    if r is None:
        return ("keep_state", data, [("reply", t[1], "eh?")]) if call else ("keep_state", data)
    return r


def _next_events(t, c, data):
    if t == "internal" and data and c == data[0]:
        return ("keep_state", data[1:])
    r = _common(t, c, "next_events", data)
    return ("keep_state", data) if r is None else r


SF = types.SimpleNamespace(__name__="gen_statem_SUITE", init=_m_init, callback_mode=lambda: "state_functions",
                           idle=_idle, timeout=_timeout, timeout2=_timeout2, wfor_conf=_wfor_conf,
                           connected=_connected, next_events=_next_events)


def _wfor(msg):
    assert erlang.receive(msg, timeout=5000) is not TIMEOUT, f"no {msg!r}"


def _check_state(stm, state):
    assert gen_statem.call(stm, "get")[:2] == ("state", state)


def _do_func_test(stm):
    me = erlang.self()
    gen_statem.cast(stm, ("alive?", me))
    _wfor("yes")
    _check_state(stm, "idle")
    gen_statem.cast(stm, ("connect", me))
    _wfor("accept")
    _check_state(stm, "wfor_conf")
    tag = erlang.make_ref()
    gen_statem.cast(stm, ("ping", me, tag))                    # postponed until connected
    gen_statem.cast(stm, "confirm")
    _wfor(("pong", tag))
    _check_state(stm, "connected")
    for _ in range(3):
        r = erlang.make_ref()
        gen_statem.cast(stm, ("msg", me, r))
        _wfor(("ack", r))
    gen_statem.cast(stm, "disconnect")
    _check_state(stm, "idle")


def _do_sync_func_test(stm):
    me = erlang.self()
    assert gen_statem.call(stm, "alive?") == "yes"
    assert gen_statem.call(stm, "connect") == "accept"
    _check_state(stm, "wfor_conf")
    tag = erlang.make_ref()
    gen_statem.cast(stm, ("ping", me, tag))
    assert gen_statem.call(stm, "confirm") == "yes"
    _wfor(("pong", tag))
    for _ in range(3):
        r = erlang.make_ref()
        assert gen_statem.call(stm, ("msg", r)) == ("ack", r)
    assert gen_statem.call(stm, "disconnect") == "yes"
    _check_state(stm, "idle")
    # {timeout,200}: an event timeout 0 is cancelled by a postponed event, the timer answers
    assert gen_statem.call(stm, ("timeout", 200)) == "ok"
    assert gen_statem.call(stm, "alive?") == "yes"
    _check_state(stm, "idle")


@pytest.mark.parametrize("how", ["start1", "start2", "start6"])
def test_start1_start2_start6_func_tests(how):
    # gen_statem_SUITE:start1 (linked), start2 (stop with shutdown), start6: do_func_test and do_sync_func_test
    starter = gen_statem.start if how == "start2" else gen_statem.start_link
    ok, pid = starter(SF, [], [])
    _do_func_test(pid)
    _do_sync_func_test(pid)
    if how == "start2":
        assert gen_statem.call(pid, ("stop", "shutdown")) == "stopped"
    else:
        assert gen_statem.call(pid, "stop") == "stopped"
    with pytest.raises(Exit) as e:                              # check_stopped
        gen_statem.call(pid, "there_you_are")
    assert e.value.reason[1] == ("gen_statem", "call", [pid, "there_you_are", "infinity"])
    assert _flush() == []


def test_next_events():
    # gen_statem_SUITE:next_events: {next_event,T,C} actions run in order
    ok, pid = gen_statem.start(SF, [], [])
    assert gen_statem.cast(pid, "next_event") == "ok"
    assert gen_statem.call(pid, "get") == ("state", "next_events", [])
    assert gen_statem.stop(pid) == "ok" and not erlang.is_process_alive(pid)
    with pytest.raises(Exit) as e:
        gen_statem.stop(pid)
    assert e.value.reason == "noproc"


# ------------------------------------------------------------------ hibernate
def _hiber_idle(t, c, data):
    call = type(t) is tuple
    if call and c == "alive?":
        return ("keep_state", data, [("reply", t[1], "alive!")])
    if call and c == "hibernate_sync":
        return ("next_state", "hiber_wakeup", data, [("reply", t[1], "hibernating"), "hibernate"])
    if t == "info" and c == "hibernate_later":
        return ("keep_state", erlang.start_timer(1000, erlang.self(), "hibernate"))
    if t == "info" and c == "hibernate_now":
        return ("keep_state", data, ["hibernate"])
    if t == "info" and type(c) is tuple and c[0] == "timeout" and c[1] is data:
        return ("keep_state", [], ["hibernate"])
    if t == "cast" and c == "hibernate_async":
        return ("next_state", "hiber_wakeup", data, ["hibernate"])
    r = _common(t, c, "hiber_idle", data)
    return ("keep_state", data) if r is None else r


def _hiber_wakeup(t, c, data):
    call = type(t) is tuple
    if call and c == "wakeup_sync":
        return ("next_state", "hiber_idle", data, [("reply", t[1], "good_morning")])
    if call and c == "snooze_sync":
        return ("keep_state", data, [("reply", t[1], "please_just_five_more"), "hibernate"])
    if t == "cast" and c == "wakeup_async":
        return ("next_state", "hiber_idle", data)
    if t == "cast" and c == "snooze_async":
        return ("keep_state", data, ["hibernate"])
    r = _common(t, c, "hiber_wakeup", data)
    return ("keep_state", data) if r is None else r


def _hiber_init(arg):
    return ("ok", "hiber_idle", [], ["hibernate"]) if arg == "hiber_now" else ("ok", "hiber_idle", [])


HIB = types.SimpleNamespace(__name__="gen_statem_SUITE", init=_hiber_init, callback_mode=lambda: "state_functions",
                            hiber_idle=_hiber_idle, hiber_wakeup=_hiber_wakeup)
HIBERNATE = ("erlang", "hibernate", 3)


def _current(pid):
    return erlang.process_info(pid, "current_function")[1]


def _in_hibernate(pid, want=True):
    for i in range(200):
        timer.sleep(1 if i == 0 else 10)
        if (_current(pid) == HIBERNATE) == want:
            return True
    return False


def test_hibernate():
    # gen_statem_SUITE:hibernate
    erlang.process_flag("trap_exit", True)
    ok, p0 = gen_statem.start_link(HIB, "hiber_now", [])
    assert _in_hibernate(p0)
    _stop_it(p0)
    assert erlang.receive(("EXIT", p0, ANY), timeout=5000)[2] == "normal"
    ok, p = gen_statem.start_link(HIB, "hiber", [])
    assert _current(p) != HIBERNATE
    for _ in range(2):
        assert gen_statem.call(p, "hibernate_sync") == "hibernating" and _in_hibernate(p)
        assert gen_statem.call(p, "wakeup_sync") == "good_morning" and _in_hibernate(p, False)
        assert gen_statem.call(p, "hibernate_sync") == "hibernating" and _in_hibernate(p)
        assert gen_statem.call(p, "snooze_sync") == "please_just_five_more" and _in_hibernate(p)
        assert gen_statem.call(p, "wakeup_sync") == "good_morning" and _in_hibernate(p, False)
        gen_statem.cast(p, "hibernate_async")
        assert _in_hibernate(p)
        gen_statem.cast(p, "wakeup_async")
        assert _in_hibernate(p, False)
        gen_statem.cast(p, "hibernate_async")
        assert _in_hibernate(p)
        gen_statem.cast(p, "snooze_async")
        assert _in_hibernate(p)
        gen_statem.cast(p, "wakeup_async")
        assert _in_hibernate(p, False)
        erlang.send(p, "hibernate_later")
        assert _current(p) != HIBERNATE
        assert _in_hibernate(p)
        assert gen_statem.call(p, "alive?") == "alive!" and _current(p) != HIBERNATE
        erlang.send(p, "hibernate_now")
        assert _in_hibernate(p)
        assert gen_statem.call(p, "alive?") == "alive!" and _current(p) != HIBERNATE
    assert gen_statem.call(p, "hibernate_sync") == "hibernating" and _in_hibernate(p)
    osys.suspend(p)
    assert _in_hibernate(p)
    osys.resume(p)
    assert _in_hibernate(p)
    timer.sleep(1000)
    assert _in_hibernate(p)
    assert gen_statem.call(p, "wakeup_sync") == "good_morning" and _in_hibernate(p, False)
    _stop_it(p)
    assert erlang.receive(("EXIT", p, ANY), timeout=5000)[2] == "normal"


# ------------------------------------------------------------------ newer gen_statem_SUITE cases
def test_event_types():
    # gen_statem_SUITE:event_types: every event type can be sent with {next_event, Type, _}
    erlang.process_flag("trap_exit", True)

    def start2(t, c, d):
        return ("next_state", "state1", "undefined",
                [("next_event", "internal", 1), ("next_event", "state_timeout", 2), ("next_event", "timeout", 3),
                 ("next_event", "info", 4), ("next_event", "cast", 5), ("next_event", ("timeout", 6), 6),
                 ("next_event", t, c)])

    def step(want_t, want_c, nxt):
        def f(t, c, d):
            assert (t, c) == (want_t, want_c)
            return ("next_state", nxt, "undefined")
        return f
    machine = {"init": lambda: ("ok", "start1", "undefined", [("next_event", "internal", 0)]),
               "start1": step("internal", 0, "start2"), "start2": start2,
               "state1": step("internal", 1, "state2"), "state2": step("state_timeout", 2, "state3"),
               "state3": step("timeout", 3, "state4"), "state4": step("info", 4, "state5"),
               "state5": step("cast", 5, "state6"), "state6": step(("timeout", 6), 6, "state7"),
               "state7": lambda t, c, d: ("stop_and_reply", "shutdown", [("reply", t[1], "stopped")])}
    ok, stm = gen_statem.start_link(_map_statem(machine), None, [])
    assert gen_statem.call(stm, "stop") == "stopped"
    assert erlang.receive(("EXIT", stm, ANY), timeout=500)[2] == "shutdown"
    with pytest.raises(Exit) as e:
        gen_statem.call(stm, "hej")
    assert e.value.reason[0] == "noproc"
    assert _flush() == []


def test_generic_timers():
    # gen_statem_SUITE:generic_timers: named timeouts, absolute time, infinity cancels, the order they fire
    erlang.process_flag("trap_exit", True)

    def start(t, c, d):
        return ("next_state", "state1", "undefined",
                [(("timeout", "a"), 1500, 1), ("state_timeout", 1500, 1), (("timeout", "b"), 1000, 1),
                 ("next_event", t, c)])

    def state1(t, c, d):
        at = erlang.monotonic_time("millisecond") + 500
        return ("next_state", "state2", "undefined",
                [(("timeout", "c"), at, 2, [("abs", True)]), (("timeout", "d"), 0, 2, [("abs", False)]),
                 ("timeout", 0, 2), (("timeout", "b"), "infinity", 2), (("timeout", "a"), 1000, (t, c))])

    def expect(want_t, want_c, nxt):
        def f(t, c, d):
            assert (t, c) == (want_t, want_c), (t, c)
            return ("next_state", nxt, "undefined")
        return f

    def state4(t, c, d):
        assert t == ("timeout", "a") and c[1] == "stop"
        return ("stop_and_reply", "shutdown", [("reply", c[0][1], "stopped")])
    machine = {"init": lambda: ("ok", "start", "undefined"), "start": start, "state1": state1,
               "state2": expect(("timeout", "d"), 2, "state3"), "state3": expect(("timeout", "c"), 2, "state4"),
               "state4": state4}
    ok, stm = gen_statem.start_link(_map_statem(machine), None, [])
    assert gen_statem.call(stm, "stop") == "stopped"
    assert erlang.receive(("EXIT", stm, ANY), timeout=500)[2] == "shutdown"
    assert _flush() == []


def test_state_enter():
    # gen_statem_SUITE:state_enter ("abusing the internal format of From": replies to {Self, N})
    erlang.process_flag("trap_exit", True)
    me = erlang.self()

    def start(t, c, n):
        if t == "enter":
            erlang.send(me, (n, "enter", "start", c))
            return ("keep_state", n + 1)
        if t == "internal":
            erlang.send(me, (n, "internal", "start", c))
            return ("keep_state", n + 1)
        if t == "timeout":
            return ("keep_state", n + 1, ("reply", (me, n), ("timeout", c)))
        if c == "repeat":
            return ("repeat_state", n + 1, [("reply", t[1], (n, "repeat", "start"))])
        if c == "echo":
            return ("next_state", "wait", n + 1, [("reply", t[1], (n, "echo", "start")), ("timeout", 0, n)])
        return ("stop_and_reply", c[1], [("reply", t[1], (n, "stop"))], n + 1)

    def wait(t, c, n):
        if t == "enter" and n < 5:
            return ("repeat_state", n + 1, [("reply", (me, n), ("enter", c)), ("timeout", 0, n),
                                            ("state_timeout", 0, n)])
        if t == "enter":
            erlang.send(me, (n, "enter", "wait", c))
            return ("keep_state", n + 1, [("timeout", 0, n), ("state_timeout", 0, n)])
        if t in ("timeout", "state_timeout"):
            return ("keep_state", n + 1, ("reply", (me, n), (t, c)))
        if c == "repeat":
            return ("repeat_state_and_data", [("reply", t[1], (n, "repeat", "wait")), ("timeout", 0, n)])
        return ("next_state", "start", n + 1, [("next_event", "internal", "wait"), ("reply", t[1], (n, "echo", "wait"))])
    machine = {"init": lambda: ("ok", "start", 1), "start": start, "wait": wait}
    ok, stm = gen_statem.start_link(_map_statem(machine, ["state_enter"]), None, [])
    timer.sleep(1)
    assert _flush() == [(1, "enter", "start", "start")]
    assert gen_statem.call(stm, "echo") == (2, "echo", "start")
    timer.sleep(1)
    assert _flush() == [(3, ("enter", "start")), (4, ("enter", "start")), (5, "enter", "wait", "start"),
                        (6, ("timeout", 5)), (7, ("state_timeout", 5))]
    assert osys.get_state(stm) == ("wait", 8)
    assert gen_statem.call(stm, "repeat") == (8, "repeat", "wait")
    timer.sleep(1)
    assert _flush() == [(8, "enter", "wait", "wait"), (9, ("timeout", 8)), (10, ("state_timeout", 8))]
    assert gen_statem.call(stm, "echo") == (11, "echo", "wait")
    timer.sleep(1)
    assert _flush() == [(12, "enter", "start", "wait"), (13, "internal", "start", "wait")]
    assert gen_statem.call(stm, "repeat") == (14, "repeat", "start")
    timer.sleep(1)
    assert _flush() == [(15, "enter", "start", "start")]
    with logger.capture():
        assert gen_statem.call(stm, ("stop", "bye")) == (16, "stop")
        timer.sleep(1)
    assert _flush() == [("EXIT", stm, "bye")]


def test_state_timeout():
    # gen_statem_SUITE:state_timeout: state change cancels the event timeout, timeout 0s in order,
    # a pending state_timeout 0 cancels a timeout 0, internal events before external ones
    erlang.process_flag("trap_exit", True)

    def start(t, c, d):
        erlang.send(erlang.self(), "message_to_self")
        return ("next_state", "state1", (c[1], t[1]),
                [("timeout", c[1], 1), ("state_timeout", c[1], 1), ("next_event", "internal", 1)])

    def state1(t, c, d):
        assert (t, c) == ("internal", 1)
        return ("next_state", "state2", d, [("timeout", 0, 2), ("state_timeout", 0, 2), ("next_event", "internal", 2)])

    def state2(t, c, d):
        if (t, c) == ("internal", 2):
            return ("keep_state", ("ok", 2, d), [("timeout", 0, 3)])
        if (t, c) == ("state_timeout", 2) and d[:2] == ("ok", 2):
            return ("keep_state", ("ok", 3, d[2]), [("timeout", 0, 4), ("state_timeout", 0, 5)])
        if (t, c) == ("timeout", 4) and d[:2] == ("ok", 3):
            return ("keep_state", ("ok", 4, d[2]), [("state_timeout", 0, 6), ("timeout", 0, 7)])
        assert (t, c) == ("state_timeout", 6) and d[:2] == ("ok", 4), (t, c, d)
        time, frm = d[2]
        return ("next_state", "state3", 6, [("reply", frm, "ok"), ("state_timeout", time, 8)])

    def state3(t, c, d):
        if (t, c, d) == ("info", "message_to_self", 6):
            return ("keep_state", 7)
        if c == "check" and d == 7:
            return ("keep_state", t[1])
        assert (t, c) == ("state_timeout", 8)
        return ("stop_and_reply", "normal", ("reply", d, "ok"))
    machine = {"init": lambda: ("ok", "start", 0), "start": start, "state1": state1, "state2": state2,
               "state3": state3}
    ok, stm = gen_statem.start_link(_map_statem(machine), None, [])
    tref = erlang.start_timer(1000, erlang.self(), "kull")
    assert gen_statem.call(stm, ("go", 500)) == "ok"
    assert gen_statem.call(stm, "check") == "ok"
    assert erlang.receive(("timeout", tref, "kull"), timeout=0) is TIMEOUT      # not late
    assert erlang.receive(("timeout", tref, "kull"), timeout=1000) is not TIMEOUT
    assert erlang.receive(("EXIT", stm, ANY), timeout=500)[2] == "normal"
    assert _flush() == []


@pytest.mark.parametrize("req, cause, bad", [
    ("badaction", "bad_action_from_state_function", "badaction"),
    (("badtimeout", ("badtimeout", 4711, "ouch")), "bad_action_from_state_function", ("badtimeout", 4711, "ouch")),
])
def test_abnormal3_abnormal4_bad_actions(req, cause, bad):
    # gen_statem_SUITE:abnormal3 (a bad action), abnormal4 (a bad timeout action)
    erlang.process_flag("trap_exit", True)

    def idle(t, c, d):
        if c == "badaction":
            return ("keep_state_and_data", ["badaction"])
        return ("keep_state_and_data", [c[1]])
    machine = {"init": lambda: ("ok", "idle", "data"), "idle": idle}
    ok, p = gen_statem.start_link(_map_statem(machine), None, [])
    with logger.capture():
        with pytest.raises(Exit) as e:
            gen_statem.call(p, req)
        assert e.value.reason[0][0] == (cause, bad)
        assert erlang.receive(("EXIT", p, ANY), timeout=5000)[2][0] == (cause, bad)


@pytest.mark.parametrize("how", ["start", "start_link", "start_monitor"])
def test_loop_start_fail(how):
    # gen_statem_SUITE:loop_start_fail: init's {stop, R}, ignore, a bad return, a crash, a start timeout
    erlang.process_flag("trap_exit", True)

    def init(arg):
        kind = arg[0]
        if kind == "return":
            return arg[1]
        if kind == "crash":
            if arg[1] == "error":
                raise ErlangError(arg[2])
            raise Exit(arg[2])
        timer.sleep(arg[1])
        return ("ok", "idle", "data")
    mod = types.SimpleNamespace(__name__="gen_statem_SUITE", init=init, callback_mode=lambda: "handle_event_function",
                                handle_event=lambda *a: "keep_state_and_data")
    start = getattr(gen_statem, how)
    with logger.capture():
        for arg, opts, want in ((("return", ("stop", "failed_to_start")), [], ("error", "failed_to_start")),
                                (("return", "ignore"), [], "ignore"),
                                (("return", 4711), [], ("error", ("bad_return_from_init", 4711))),
                                (("crash", "error", "bailout"), [], ("error", "bailout")),
                                (("crash", "exit", "bailout"), [], ("error", "bailout")),
                                (("wait", 1000), [("timeout", 200)], ("error", "timeout"))):
            for _ in range(2):
                assert start(mod, arg, opts) == want, arg
    _flush()


@pytest.mark.parametrize("cast, actions, want", [
    ("go", [("timeout", 0, "a"), ("state_timeout", 0, "b")], [("timeout", "a"), ("state_timeout", "b")]),
    ("go", [("state_timeout", 0, "b"), ("timeout", 0, "a")], [("state_timeout", "b")]),
    ("go", [("state_timeout", 0, "b1"), ("timeout", 0, "a"), ("next_event", "internal", "x")],
     [("other", "internal", "x"), ("state_timeout", "b1")]),
    ("go_change", [("timeout", 0, "a"), ("state_timeout", 0, "b")], [("timeout", "a"), ("state_timeout", "b")]),
])
def test_zero_timeouts_as_otp_25(cast, actions, want):
    # tests/oracle_probes/ch23_f9_t0.erl + .out: timeout_first, state_timeout_first, with_next_event, on_state_change
    me = erlang.self()

    def handle_event(t, c, s, p):
        if t == "cast" and c[0] == "go":
            return ("keep_state_and_data", c[1])
        if t == "cast":
            return ("next_state", "s2", p, c[1])
        if t in ("timeout", "state_timeout"):
            erlang.send(p, (t, c))
        else:
            erlang.send(p, ("other", t, c))
        return "keep_state_and_data"
    mod = types.SimpleNamespace(__name__="ch23_f9_t0", init=lambda p: ("ok", "s", p),
                                callback_mode=lambda: "handle_event_function", handle_event=handle_event)
    ok, m = gen_statem.start(mod, me, [])
    gen_statem.cast(m, (cast, actions))
    timer.sleep(200)
    assert _flush() == want
