"""gen_statem against real OTP 25 (probes recorded while building it; b4 is in test_examples_ch6)."""
import types

import pytest

from otp_lite import erlang, gen_statem, logger, runtime, sys as osys, timer
from otp_lite.erlang import Exit, ErlangError

from otp_testkit import assert_empty_mailbox


def machine(fun, init=("ok", "a", "data"), enter=False, mode="handle_event_function", **extra):
    """A handle_event_function machine whose events go to ``fun(type, content, state, data)``."""
    log = []

    def handle_event(t, c, s, d):
        log.append((t if type(t) is not tuple or t[0] != "call" else "call", c, s))
        return fun(t, c, s, d)

    ns = types.SimpleNamespace(
        __name__="ps", init=lambda _a: init,
        callback_mode=lambda: [mode, "state_enter"] if enter else mode,
        handle_event=handle_event,
        terminate=lambda r, s, d: log.append(("TERM", r, s)), **extra)
    return ns, log


def keep(*_):
    return "keep_state_and_data"


def test_postponed_events_come_after_next_events_on_state_change():
    def f(t, c, s, d):
        if t == "enter":
            return "keep_state_and_data"
        if (t, c, s) in (("cast", "go", "a"), ("cast", "go2", "a")):
            return ("keep_state_and_data", ["postpone"])
        if (t, c) == ("cast", "switch"):
            return ("next_state", "b", d, [("next_event", "internal", "i1"), ("next_event", "internal", "i2")])
        return "keep_state_and_data"
    ns, log = machine(f, enter=True)
    _, p = gen_statem.start(ns, [], [])
    for m in ("go", "go2", "switch", "later"):
        gen_statem.cast(p, m)
    runtime.run_until_idle()
    assert log == [("enter", "a", "a"), ("cast", "go", "a"), ("cast", "go2", "a"), ("cast", "switch", "a"),
                   ("enter", "a", "b"), ("internal", "i1", "b"), ("internal", "i2", "b"),
                   ("cast", "go", "b"), ("cast", "go2", "b"), ("cast", "later", "b")]


def test_state_enter_may_not_change_state_or_postpone():
    ns, log = machine(lambda t, c, s, d: ("next_state", "b", d) if t == "enter" else keep(), enter=True)
    with logger.capture() as reports:
        ret = gen_statem.start(ns, [], [])
        runtime.run_until_idle()
    assert ret[0] == "ok" and not erlang.is_process_alive(ret[1])     # started, then died
    assert log[-1] == ("TERM", ("bad_state_enter_return_from_state_function", ("next_state", "b", "data")), "a")
    text = reports[0]["text"]
    assert text[1] == "** Last event = ('internal', 'init_state')"
    assert text[3].startswith("** Reason for termination = error:('bad_state_enter_return_from_state_function'")
    assert "** Callback mode = [handle_event_function,state_enter]" in text

    ns, log = machine(lambda t, c, s, d: ("keep_state_and_data", ["postpone"]) if t == "enter" else keep(), enter=True)
    with logger.capture():
        gen_statem.start(ns, [], [])
        runtime.run_until_idle()
    assert log[-1] == ("TERM", ("bad_state_enter_action_from_state_function", "postpone"), "a")


def test_crash_terminate_gets_bare_reason_and_call_to_dead_is_noproc():
    def f(t, c, s, d):
        if c == "boom":
            return 1 / 0
        if t[0] == "call":
            return ("keep_state_and_data", [("reply", t[1], "yes")])
        return keep()
    ns, log = machine(f)
    _, p = gen_statem.start(ns, [], [])
    assert gen_statem.call(p, "q") == "yes"
    with logger.capture() as reports:
        gen_statem.cast(p, "boom")
        runtime.run_until_idle()
    assert isinstance(log[-1][1], ZeroDivisionError) and log[-1][2] == "a"
    assert [r["kind"] for r in reports] == ["error_report", "crash_report"]
    text = reports[0]["text"]
    assert text[0] == f"** State machine {p!r} terminating"
    assert text[1] == "** Last event = ('cast', 'boom')"
    assert text[2] == "** When server state  = ('a', 'data')"
    assert text[3].startswith("** Reason for termination = error:ZeroDivisionError")
    assert text[4] == "** Callback modules = [ps]"
    with pytest.raises(Exit) as e:
        gen_statem.call(p, "q")
    assert e.value.reason == ("noproc", ("gen_statem", "call", [p, "q", "infinity"]))
    with pytest.raises(Exit) as e:
        gen_statem.call(p, "q", 1000)
    assert e.value.reason == ("noproc", ("gen_statem", "call", [p, "q", 1000]))


def test_bad_return_bad_action_bad_init():
    def f(t, c, s, d):
        return ("foo",) if c == "bad" else ("keep_state_and_data", [("bogus", 1)])
    ns, log = machine(f)
    with logger.capture():
        _, p = gen_statem.start(ns, [], [])
        gen_statem.cast(p, "bad")
        runtime.run_until_idle()
        assert log[-1] == ("TERM", ("bad_return_from_state_function", ("foo",)), "a")
        _, p = gen_statem.start(ns, [], [])
        gen_statem.cast(p, "badact")
        runtime.run_until_idle()
        assert log[-1] == ("TERM", ("bad_action_from_state_function", ("bogus", 1)), "a")
        ns, _ = machine(keep, init=("foo",))
        assert gen_statem.start(ns, [], []) == ("error", ("bad_return_from_init", ("foo",)))
        ns, _ = machine(keep, init=("stop", "no"))
        assert gen_statem.start(ns, [], []) == ("error", "no")
        ns, _ = machine(keep, init="ignore")
        assert gen_statem.start(ns, [], []) == "ignore"


def test_timeouts_trace_in_otp_wording(capsys):
    def f(t, c, s, d):
        if t[0] == "call":
            return ("stop_and_reply", "normal", [("reply", t[1], "ok")])
        if c == "st":
            return ("next_state", "b", d, [("state_timeout", 1000, "st1"), (("timeout", "g"), 500, "gen1"),
                                            ("timeout", 2000, "ev")])
        if c == "zero":
            return ("keep_state_and_data", [("timeout", 0, "z")])
        if t == "state_timeout":
            return ("next_state", "c", d)
        return keep()
    ns, log = machine(f)
    _, p = gen_statem.start(ns, [], [])
    osys.trace(p, True)
    gen_statem.cast(p, "st")
    timer.sleep(1200)
    gen_statem.cast(p, "zero")
    timer.sleep(100)
    assert gen_statem.call(p, "stop") == "ok"
    runtime.run_until_idle()
    lines = [l.replace(repr(p), "P").replace(repr(erlang.self()), "SH")
             for l in capsys.readouterr().out.splitlines()]
    assert lines == [
        "*DBG* P receive cast st in state a",
        "*DBG* P consume cast st in state a => b",
        "*DBG* P start_timer ('timeout', 2000, 'ev', []) in state b",
        "*DBG* P start_timer (('timeout', 'g'), 500, 'gen1', []) in state b",
        "*DBG* P start_timer ('state_timeout', 1000, 'st1', []) in state b",
        "*DBG* P receive ('timeout', 'g') gen1 in state b",
        "*DBG* P consume ('timeout', 'g') gen1 in state b",
        "*DBG* P receive state_timeout st1 in state b",
        "*DBG* P consume state_timeout st1 in state b => c",
        "*DBG* P receive cast zero in state c",
        "*DBG* P consume cast zero in state c",
        "*DBG* P start_timer ('timeout', 0, 'z', []) in state c",
        "*DBG* P receive timeout z in state c",
        "*DBG* P consume timeout z in state c",
        "*DBG* P receive call stop from SH in state c",
        "*DBG* P send ok to SH",
        "*DBG* P terminate normal in state c"]
    # the 2000 ms event timeout was cancelled by the state_timeout event
    assert ("timeout", "ev", "b") not in log and ("timeout", "ev", "c") not in log
    assert_empty_mailbox()


class p2:
    """state_functions + state_enter, with an init state_timeout (probe p2)."""
    log = []

    def init(x):
        return ("ok", "a", x, [("state_timeout", 500, "st0")])

    def callback_mode():
        return ["state_functions", "state_enter"]

    def a(t, c, d):
        p2.log.append((t, c))
        if t == "enter":
            return "keep_state_and_data"
        if c == "stopme":
            return ("stop", ("shutdown", "foo"), d)
        if c == "stopbad":
            return ("stop", "bad_reason")
        if c == "go":
            return ("next_state", "nosuch", d)
        if c == "pp":
            return ("keep_state_and_data", "postpone")
        if c == "rep":
            return ("repeat_state", d + 1)
        if type(t) is tuple:
            return ("keep_state_and_data", ("reply", t[1], d))
        return "keep_state_and_data"

    def terminate(r, s, d):
        p2.log.append(("TERM", r, s, d))


def test_repeat_state_reenters_without_retrying_postponed(capsys):
    p2.log = []
    _, p = gen_statem.start(p2, 0, [("debug", ["trace"])])
    gen_statem.cast(p, "pp")
    gen_statem.cast(p, "rep")
    timer.sleep(600)
    with logger.capture() as reports:
        gen_statem.cast(p, "stopbad")
        runtime.run_until_idle()
    out = [l.replace(repr(p), "P") for l in capsys.readouterr().out.splitlines()]
    assert out == ["*DBG* P enter p2 in state a",
                   "*DBG* P consume internal init_state in state a",
                   "*DBG* P start_timer ('state_timeout', 500, 'st0', []) in state a",
                   "*DBG* P receive cast pp in state a",
                   "*DBG* P postpone cast pp in state a",
                   "*DBG* P receive cast rep in state a",
                   "*DBG* P consume cast rep in state a",
                   "*DBG* P receive state_timeout st0 in state a",
                   "*DBG* P consume state_timeout st0 in state a",
                   "*DBG* P receive cast stopbad in state a",
                   "*DBG* P terminate bad_reason in state a"]
    assert p2.log == [("enter", "a"), ("cast", "pp"), ("cast", "rep"), ("enter", "a"),
                      ("state_timeout", "st0"), ("cast", "stopbad"), ("TERM", "bad_reason", "a", 1)]
    text = reports[0]["text"]
    assert "** Reason for termination = exit:'bad_reason'" in text
    assert "** Postponed = [('cast', 'pp')]" in text


def test_clean_stop_no_report_undef_state_and_stop():
    with logger.capture() as reports:
        _, p = gen_statem.start(p2, 0, [])
        gen_statem.cast(p, "stopme")
        runtime.run_until_idle()
        assert reports == []
        _, p = gen_statem.start(p2, 0, [])
        gen_statem.cast(p, "go")
        runtime.run_until_idle()
        # OTP 25 (tests/oracle_probes/sm6.erl): terminate gets bare undef, the exit reason carries the stack
        assert reports[0]["text"][3] == "** Reason for termination = error:'undef'"
        assert "** Time-outs: (1, [('state_timeout', 'st0')])" in reports[0]["text"]
    _, p = gen_statem.start(p2, 0, [])
    assert gen_statem.call(p, "c", 100) == 0
    st = osys.get_status(p)
    assert st[2] == ("module", "gen_statem")
    specific = st[3][4]
    assert specific[0] == ("header", f"Status for state machine {p!r}")
    assert dict(specific[1][1])["Time-outs"] == (1, [("state_timeout", "st0")])
    assert specific[2] == ("data", [("State", ("a", 0))])
    assert gen_statem.stop(p) == "ok"
    assert p2.log[-1] == ("TERM", "normal", "a", 0)
    with pytest.raises(Exit) as e:
        gen_statem.stop(p)
    assert e.value.reason == "noproc"


def test_event_timeout_is_cancelled_by_any_event_state_timeout_only_by_state_change():
    def f(t, c, s, d):
        if c == "arm":
            return ("keep_state_and_data", [("timeout", 100, "ev"), ("state_timeout", 300, "st")])
        if c == "move":
            return ("next_state", "b", d)
        return keep()
    ns, log = machine(f)
    _, p = gen_statem.start(ns, [], [])
    gen_statem.cast(p, "arm")
    timer.sleep(50)
    gen_statem.cast(p, "poke")
    timer.sleep(400)
    assert ("timeout", "ev", "a") not in log and ("state_timeout", "st", "a") in log
    gen_statem.cast(p, "arm")
    gen_statem.cast(p, "move")
    timer.sleep(400)
    assert log.count(("state_timeout", "st", "a")) == 1 and ("state_timeout", "st", "b") not in log


def test_generic_timeouts_survive_state_changes_and_can_be_cancelled():
    def f(t, c, s, d):
        if c == "arm":
            return ("next_state", "b", d, [(("timeout", "x"), 100, "gx"), (("timeout", "y"), 100, "gy")])
        if c == "cancel":
            return ("next_state", "c", d, [(("timeout", "y"), "cancel")])
        return keep()
    ns, log = machine(f)
    _, p = gen_statem.start(ns, [], [])
    gen_statem.cast(p, "arm")
    gen_statem.cast(p, "cancel")
    timer.sleep(200)
    assert (("timeout", "x"), "gx", "c") in log
    assert not any(e[1] == "gy" for e in log)


def test_state_functions_mode_and_sys_state():
    class lamp:
        STATES = ["off", "on"]
        TRANSITIONS = [("off", "on", "push"), ("on", "off", "push")]

        def init(_):
            return ("ok", "off", 0)

        def callback_mode():
            return "state_functions"

        def off(t, c, n):
            return ("next_state", "on", n + 1) if c == "push" else "keep_state_and_data"

        def on(t, c, n):
            if type(t) is tuple:
                return ("keep_state_and_data", [("reply", t[1], n)])
            return ("next_state", "off", n) if c == "push" else "keep_state_and_data"

    with runtime.Recorder() as rec:
        _, p = gen_statem.start_link(("local", "lamp"), lamp, [], [])
        gen_statem.cast("lamp", "push")
        assert gen_statem.call("lamp", "count") == 1
        assert osys.get_state("lamp") == ("on", 1)
        osys.replace_state("lamp", lambda sd: ("off", 5))
        gen_statem.cast("lamp", "push")
        assert osys.get_state("lamp") == ("on", 6)
    states = [(e["old"], e["new"], e["event"]) for e in rec.events if e["kind"] == "state"]
    assert states[0] == (None, "off", ("internal", "init_state"))
    assert states[1] == ("off", "on", ("cast", "push"))
    assert states[2] == ("on", "on", ("call", "count"))
    g = gen_statem.state_graph(lamp)
    assert g == {"states": ["off", "on"], "transitions": lamp.TRANSITIONS, "declared": True}
    inferred = gen_statem.state_graph(types.SimpleNamespace(__name__="lamp"), rec.events)
    assert inferred["declared"] is False
    assert inferred["states"] == ["off", "on"]
    assert ("off", "on", "push") in inferred["transitions"]
    gen_statem.stop("lamp")


def test_state_graph_labels_timeouts_by_type_like_viz_fsm():
    """An inferred graph labels a timeout by its event type, anything else by its content (viz.fsm's rule)."""
    from otp_lite import viz

    def f(t, c, s, d):
        if (t, c) == ("cast", ("pay", 50)):
            return ("next_state", "b", d, [("state_timeout", 10, "refund")])
        if t == "state_timeout":
            return ("next_state", "c", d, [("timeout", 10, "idle")])
        if t == "timeout":
            return ("next_state", "d", d, [(("timeout", "guard"), 10, "late")])
        if type(t) is tuple and t[0] == "timeout":
            return ("next_state", "a", d)
        return keep()
    ns, log = machine(f)
    with runtime.Recorder() as rec:
        _, p = gen_statem.start(ns, [], [])
        gen_statem.cast(p, ("pay", 50))
        timer.sleep(100)
    assert [e[:2] for e in log] == [("cast", ("pay", 50)), ("state_timeout", "refund"), ("timeout", "idle"),
                                    (("timeout", "guard"), "late")]
    g = gen_statem.state_graph(ns, rec.events)
    assert g["transitions"] == [("a", "b", "pay"), ("b", "c", "state_timeout"), ("c", "d", "timeout"),
                                ("d", "a", "{timeout,guard}")]
    assert set(g["transitions"]) == set(viz.fsm(p, trace=rec).edges)
    gen_statem.stop(p)


def test_postpone_is_on_the_trace_bus():
    ns, _ = machine(lambda t, c, s, d: ("keep_state_and_data", "postpone") if c == "later" else keep())
    with runtime.Recorder() as rec:
        _, p = gen_statem.start(ns, [], [])
        gen_statem.cast(p, "later")
        runtime.run_until_idle()
    pp = [e for e in rec.events if e["kind"] == "postpone"]
    assert len(pp) == 1 and pp[0]["event"] == ("cast", "later") and pp[0]["pid"] is p


def test_bad_options_and_names():
    ns, _ = machine(keep)
    with pytest.raises(ErlangError):
        gen_statem.start(ns, [], [("bogus", 1)])
    with pytest.raises(ErlangError):
        gen_statem.start(("nonsense",), ns, [], [])
    _, p = gen_statem.start(("local", "m"), ns, [], [])
    assert gen_statem.start(("local", "m"), ns, [], []) == ("error", ("already_started", p))
    assert gen_statem.cast("nobody", "x") == "ok"
