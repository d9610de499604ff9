"""gen_statem corner cases checked against real OTP 25 (probes tests/oracle_probes/sm*.erl).

Each test quotes OTP's literal output; otp_lite prints terms the Python way.
"""
import pytest

from otp_lite import erlang, gen_statem, logger, timer
from otp_lite import sys as osys
from otp_lite.erlang import ANY, TIMEOUT, Exit

from otp_testkit import assert_empty_mailbox


def _logs():
    out = []
    while True:
        m = erlang.receive(("log", ANY), timeout=50)
        if m is TIMEOUT:
            return out
        out.append(m[1])


class sm2:
    """handle_event_function: ('set', actions) casts apply actions; every other event is logged."""
    def callback_mode():
        return "handle_event_function"

    def init(logto):
        return ("ok", "a", logto)

    def handle_event(t, c, s, logto):
        if t == "cast" and type(c) is tuple and c[0] == "set":
            return ("keep_state_and_data", c[1])
        if t == "cast" and type(c) is tuple and c[0] == "goto":
            return ("next_state", c[1], logto)
        erlang.send(logto, ("log", (t, c)))
        return "keep_state_and_data"


def _machine():
    _, q = gen_statem.start(sm2, erlang.self(), [])
    return q, (lambda acts: gen_statem.cast(q, ("set", acts)))


def test_only_the_last_action_per_timeout_kind_counts():
    q, s = _machine()
    # sm1.erl "generic timeout restarted": [..., {fired,{timeout,g},gt2,a}]
    s([(("timeout", "g"), 10, "gt"), (("timeout", "g"), 20, "gt2")]); timer.sleep(30)
    assert _logs() == [(("timeout", "g"), "gt2")]
    # sm1.erl "state_timeout cancel": [{set,[{state_timeout,10,st},{state_timeout,cancel}]}]  (nothing fires)
    s([("state_timeout", 10, "st"), ("state_timeout", "cancel")]); timer.sleep(20)
    assert _logs() == []
    # sm2.erl "cancel+set": [..., {state_timeout,st}]
    s([("state_timeout", "cancel"), ("state_timeout", 10, "st")]); timer.sleep(20)
    assert _logs() == [("state_timeout", "st")]
    # sm2.erl "set+update same list": [..., {state_timeout,upd}]  (once)
    s([("state_timeout", 10, "st"), ("state_timeout", "update", "upd")]); timer.sleep(20)
    assert _logs() == [("state_timeout", "upd")]
    # sm2.erl "event dup": [..., {timeout,e2}]
    s([("timeout", 10, "e1"), ("timeout", 20, "e2")]); timer.sleep(30)
    assert _logs() == [("timeout", "e2")]
    # sm2.erl "update not running": [..., {{timeout,h},upd}]
    s([(("timeout", "h"), "update", "upd")]); timer.sleep(20)
    assert _logs() == [(("timeout", "h"), "upd")]


def test_zero_timeouts_come_before_messages_not_yet_received():
    q, s = _machine()
    # sm1.erl "timeout 0 with queued event": [{set,[{timeout,0,zero}]},{fired,timeout,zero,a},poke]
    s([("timeout", 0, "zero")]); erlang.send(q, "poke"); timer.sleep(10)
    assert _logs() == [("timeout", "zero"), ("info", "poke")]
    # sm2.erl "zero order": [..., {state_timeout,s0},{{timeout,g},g0}]  (e0 dropped: events are queued)
    s([("state_timeout", 0, "s0"), (("timeout", "g"), 0, "g0"), ("timeout", 0, "e0")]); timer.sleep(10)
    assert _logs() == [("state_timeout", "s0"), (("timeout", "g"), "g0")]
    # sm2.erl "zero event + next_event": [..., {internal,n}]
    s([("timeout", 0, "z"), ("next_event", "internal", "n")]); timer.sleep(10)
    assert _logs() == [("internal", "n")]


def test_same_deadline_timeouts_fire_in_reverse_action_order():
    # sm1.erl "three timeouts same time order": [..., {fired,{timeout,g},gt,a},{fired,state_timeout,st,a}]
    q, s = _machine()
    s([("timeout", 10, "ev"), ("state_timeout", 10, "st"), (("timeout", "g"), 10, "gt")]); timer.sleep(20)
    assert _logs() == [(("timeout", "g"), "gt"), ("state_timeout", "st")]


def test_dbg_lines_for_next_event_and_zero_timeouts(capsys):
    # sm7.erl, OTP 25:
    #   *DBG* <0.80.0> receive cast {set,[{timeout,0,e0},{state_timeout,0,s0},{next_event,internal,n}]} in state b
    #   *DBG* <0.80.0> receive internal n in state b
    #   *DBG* <0.80.0> consume cast {set,[...]} in state b
    #   *DBG* <0.80.0> start_timer {state_timeout,0,s0,[]} in state b
    #   *DBG* <0.80.0> start_timer {timeout,0,e0,[]} in state b
    #   *DBG* <0.80.0> consume internal n in state b
    #   *DBG* <0.80.0> receive state_timeout s0 in state b
    #   *DBG* <0.80.0> consume state_timeout s0 in state b
    q, s = _machine()
    gen_statem.cast(q, ("goto", "b"))
    timer.sleep(1)
    osys.trace(q, True)
    acts = [("timeout", 0, "e0"), ("state_timeout", 0, "s0"), ("next_event", "internal", "n")]
    s(acts)
    timer.sleep(10)
    _logs()
    lines = [l.replace(repr(q), "P") for l in capsys.readouterr().out.splitlines()]
    c = f"cast {('set', acts)!r}"
    assert lines == [
        f"*DBG* P receive {c} in state b",
        "*DBG* P receive internal n in state b",
        f"*DBG* P consume {c} in state b",
        "*DBG* P start_timer ('state_timeout', 0, 's0', []) in state b",
        "*DBG* P start_timer ('timeout', 0, 'e0', []) in state b",
        "*DBG* P consume internal n in state b",
        "*DBG* P receive state_timeout s0 in state b",
        "*DBG* P consume state_timeout s0 in state b"]


class sm5:
    def callback_mode():
        return "handle_event_function"

    def init(x):
        return ("ok", "a", x)

    def handle_event(t, c, s, d):
        if c == "badret":
            return "huh"
        return ("keep_state_and_data", [("bogus", 1)])


def test_bad_return_exits_with_reason_and_stack_and_error_class():
    # sm1.erl "bad return": {exit,{{{bad_return_from_state_function,huh},[...gen_statem frames...]},
    #                              {gen_statem,call,[<0.85.0>,badret,infinity]}}}
    # sm1.erl "bad action": {exit,{{{bad_action_from_state_function,{bogus,1}},[...]}, {gen_statem,call,...}}}
    # sm5.erl: "** Stacktrace =" in the ERROR REPORT, "exception error: {bad_return_from_state_function,huh}"
    with logger.capture() as reports:
        _, q = gen_statem.start(sm5, [], [])
        with pytest.raises(Exit) as e:
            gen_statem.call(q, "badret")
        assert e.value.reason == ((("bad_return_from_state_function", "huh"), []),
                                  ("gen_statem", "call", [q, "badret", "infinity"]))
        _, q2 = gen_statem.start(sm5, [], [])
        with pytest.raises(Exit) as e:
            gen_statem.call(q2, "act")
        assert e.value.reason[0] == (("bad_action_from_state_function", ("bogus", 1)), [])
    text = reports[0]["text"]
    assert text[3] == "** Reason for termination = error:('bad_return_from_state_function', 'huh')"
    assert text[6:8] == ["** Stacktrace =", "**  []"]
    crash = reports[1]["text"]
    assert "    exception error: ('bad_return_from_state_function', 'huh')" in crash


class sm6:
    def callback_mode():
        return "state_functions"

    def init(x):
        return ("ok", "a", x)

    def a(t, c, d):
        return ("next_state", "nowhere", d)

    def terminate(r, s, d):
        erlang.send(d, ("log", ("terminate", r, s)))


def test_missing_state_function_is_undef_with_stack():
    # sm6.erl run(go): terminate undef nowhere
    #   {undef,[{sm6,nowhere,[cast,again,<0.79.0>],[]}, {gen_statem,loop_state_callback,11,...}, ...]}
    me = erlang.self()
    with logger.capture():
        _, q = gen_statem.start(sm6, me, [])
        r = erlang.monitor("process", q)
        gen_statem.cast(q, "go")
        gen_statem.cast(q, "again")
        down = erlang.receive(("DOWN", r, ANY, ANY, ANY))
    assert _logs() == [("terminate", "undef", "nowhere")]
    assert down[4] == ("undef", [("sm6", "nowhere", ["cast", "again", me])])
    assert_empty_mailbox()


class _echo:
    def init(x):
        return ("ok", "idle", x)

    def callback_mode():
        return "state_functions"

    def idle(kind, msg, s):
        return ("keep_state", s, [("reply", kind[1], ("echo", msg))])


def test_call_takes_dirty_and_clean_timeouts():
    # sm8.erl "statem dirty": {value,{echo,hi}}  (also "statem dirty inf", "statem clean")
    # sm9.erl "statem dirty 0": {exit,{timeout,{gen_statem,call,[<0.80.0>,hi,{dirty_timeout,0}]}},...}
    # sm9.erl "statem -1":       {error,function_clause,{gen,call,[<0.80.0>,'$gen_call',hi,-1],...}}
    #         "statem foo", "statem dirty foo" and sm8 "statem dirty -1": function_clause too
    # sm9.erl "statem {foo,1}":  {error,badarg,{gen_statem,call,[<0.80.0>,hi,{foo,1}],...}}
    from otp_lite.erlang import ErlangError
    _, p = gen_statem.start(_echo, [], [])
    for t in (("dirty_timeout", 100), ("dirty_timeout", "infinity"), ("clean_timeout", 100)):
        assert gen_statem.call(p, "hi", t) == ("echo", "hi")
    for t in (-1, "foo", ("dirty_timeout", "foo"), ("dirty_timeout", -1)):
        with pytest.raises(ErlangError) as e:
            gen_statem.call(p, "hi", t)
        assert e.value.reason == "function_clause"
    with pytest.raises(ErlangError) as e:
        gen_statem.call(p, "hi", ("foo", 1))
    assert e.value.reason == "badarg"
    assert_empty_mailbox()


def test_gen_fsm_start_with_non_list_options_is_badarg():
    # sm8.erl "fsm opts atom":      {error,badarg}   gen_fsm:start(sm8, [], foo)
    # sm8.erl "fsm opts tuple":     {error,badarg}   gen_fsm:start(sm8, [], {debug, []})
    # sm8.erl "fsm name opts atom": {error,badarg}   gen_fsm:start({local, fz}, sm8, [], foo)
    # sm8.erl "fsm no mod": {value,{error,{undef,[{nosuchmod,init,[[]],[]},...]}}}  (no check in the caller)
    from otp_lite import gen_fsm
    from otp_lite.erlang import ErlangError
    for args in ((_echo, [], "foo"), (_echo, [], ("debug", [])), (("local", "fz"), _echo, [], "foo")):
        with pytest.raises(ErlangError) as e:
            gen_fsm.start(*args)
        assert e.value.reason == "badarg" and "must be a list" in e.value.detail
    assert erlang.whereis("fz") == "undefined"

    class no_init:
        pass
    r = gen_fsm.start(no_init, [], [])
    assert r[0] == "error"
