"""gen_server against reference/erlang_ref a3 (ch4 frequency), e1 (call semantics) and b3 (init returns).

Callback namespaces are small classes inline (OTP SUITE style); the book's
examples live in examples/ch4.  Facts not in the transcripts were probed on
OTP 25 (erl) and are marked "probed".
"""
import pytest

from otp_lite import erlang, gen_server, logger, runtime, timer
from otp_lite import sys as osys
from otp_lite.erlang import ANY, Exit, ErlangError

from examples.ch4 import frequency, timeout as tmo_mod, from_ as from_mod, ping


def assert_empty_mailbox():
    msgs = list(erlang.self().mbox)
    assert msgs == [], f"unexpected messages left in the shell mailbox: {msgs!r}"


def call_exit(*args, **kw):
    with pytest.raises(Exit) as e:
        gen_server.call(*args, **kw)
    return e.value.reason


# ======================================================== a3: ch4 frequency
def test_a3_frequency_session(capsys):
    me = erlang.self()
    ok, pid = frequency.start()                                       # 1>
    assert ok == "ok" and erlang.whereis("frequency") is pid
    assert [frequency.allocate() for _ in range(6)] == [("ok", f) for f in range(10, 16)]
    assert frequency.allocate() == ("error", "no_frequency")          # 8>
    assert frequency.deallocate(12) == "ok"                           # 9>
    assert frequency.deallocate(99) == "ok"                           # 10>
    assert osys.get_state("frequency") == (                           # 11>
        [99, 12], [(15, me), (14, me), (13, me), (11, me), (10, me)])
    assert frequency.allocate() == ("ok", 99)                         # 12>
    assert frequency.allocate() == ("ok", 12)
    st = osys.get_status("frequency")                                 # 14>
    assert st == ("status", pid, ("module", "gen_server"), [
        [("$initial_call", ("frequency", "init", 1)), ("$ancestors", [me])],
        "running", me, [],
        [("header", "Status for generic server frequency"),
         ("data", [("Status", "running"), ("Parent", me), ("Logged events", [])]),
         ("data", [("State", (("available", []),
                              ("allocated", [(12, me), (99, me), (15, me), (14, me),
                                             (13, me), (11, me), (10, me)])))])]])
    assert frequency.start() == ("error", ("already_started", pid))   # 15>
    assert frequency.stop() == "ok"                                   # 16>
    runtime.run_until_idle()
    assert not erlang.is_process_alive(pid)                           # 17>
    assert frequency.stop() == "ok"                                   # 18> cast never fails
    with pytest.raises(Exit) as e:                                    # 19>
        frequency.allocate()
    assert e.value.reason == ("noproc", ("gen_server", "call", ["frequency", ("allocate", me)]))
    assert capsys.readouterr().out == ""                              # a normal stop logs nothing
    assert_empty_mailbox()


def test_a3_unexpected_call_crashes_server_and_linked_shell():      # 21> - 26>
    ok, pid = frequency.start()
    old_shell = erlang.self()
    with logger.capture() as reports, pytest.raises(Exit) as e:
        gen_server.call("frequency", "bad_message")
    assert e.value.reason[0] == "function_clause"                     # the link signal kills the shell
    assert erlang.self() is not old_shell                             # 24> a new shell
    assert not erlang.is_process_alive(pid) and erlang.whereis("frequency") == "undefined"
    err, crash = reports
    assert err["kind"] == "error_report" and crash["kind"] == "crash_report"
    text = err["text"]
    assert text[0] == "** Generic server frequency terminating "
    assert text[1] == "** Last message in was 'bad_message'"           # the request, not the $gen_call
    assert text[2].startswith("** When Server state == ('data',")      # format_status('terminate', ...)
    assert "('available', [10, 11, 12, 13, 14, 15])" in "\n".join(text)
    assert text[text.index("** Reason for termination ==") + 1].startswith("** ('function_clause', [('frequency', 'handle_call',")
    assert f"** Client {old_shell!r} stacktrace" in text
    ctext = crash["text"]
    assert "    initial call: frequency:init/1" in ctext
    assert "    registered_name: frequency" in ctext
    assert "    exception error: 'function_clause'" in ctext
    assert any(l.startswith("      in function  frequency:handle_call (frequency.py, line") for l in ctext)
    assert f"    ancestors: [{old_shell!r}]" in ctext
    assert f"    links: [{old_shell!r}]" in ctext


def test_a3_report_continuation_lines_are_indented():
    ok, pid = frequency.start()
    with logger.capture() as reports, pytest.raises(Exit):
        gen_server.call("frequency", "bad_message")
    text = reports[0]["text"]
    i = next(i for i, l in enumerate(text) if l.startswith("** When Server state == "))
    assert text[i + 1].startswith(" " * 25 + "[('State',")                # under the first character
    assert all(len(l) <= 80 for l in text)


# ======================================================== e1: call semantics
def test_e1_default_timeout_is_5000_and_late_reply_dropped():
    ok, p = gen_server.start(tmo_mod, [], [])
    assert gen_server.call(p, ("sleep", 1000)) == "ok"                # 2>
    t0 = runtime.now()
    assert call_exit(p, ("sleep", 6000)) == ("timeout", ("gen_server", "call", [p, ("sleep", 6000)]))
    assert runtime.now() - t0 == 5000                                 # 3> (5001 ms on the BEAM)
    timer.sleep(1500)                                                 # 4> the reply came and was dropped
    assert_empty_mailbox()
    assert call_exit(p, ("sleep", 500), 100) == ("timeout", ("gen_server", "call", [p, ("sleep", 500), 100]))
    timer.sleep(600)                                                  # 6>
    assert erlang.process_info(erlang.self(), "messages") == ("messages", [])
    assert gen_server.call(p, ("sleep", 10), "infinity") == "ok"      # 7>


def test_e1_uncaught_call_timeout_exits_the_shell():                 # 9> - 10>
    ok, p = gen_server.start(tmo_mod, [], [])
    old = erlang.self()
    assert call_exit(p, ("sleep", 5500))[0] == "timeout"
    timer.sleep(1000)                                                 # 11> nothing arrives
    assert_empty_mailbox()
    assert erlang.self() is old        # raised as Exit: the test (shell) decides; in a notebook it exits


def test_e1_server_killed_during_call_then_noproc():                 # 12> - 15>
    ok, p = gen_server.start(tmo_mod, [], [])

    def killer():
        timer.sleep(500)
        erlang.exit(p, "kill")
    erlang.spawn(killer)
    assert call_exit(p, ("sleep", 2000)) == ("killed", ("gen_server", "call", [p, ("sleep", 2000)]))
    assert call_exit(p, ("sleep", 1)) == ("noproc", ("gen_server", "call", [p, ("sleep", 1)]))
    assert call_exit("no_such_server", "hello") == ("noproc", ("gen_server", "call", ["no_such_server", "hello"]))
    assert call_exit(("global", "no_such_server"), "hello") == (
        "noproc", ("gen_server", "call", [("global", "no_such_server"), "hello"]))
    assert_empty_mailbox()


def test_e1_cast_always_ok():                                        # 16> 17>
    ok, p = gen_server.start(tmo_mod, [], [])
    assert gen_server.cast("no_such_server", "hello") == "ok"
    erlang.exit(p, "kill")
    runtime.run_until_idle()
    assert gen_server.cast(p, "hello") == "ok"


def test_e1_missing_handle_info_warns_missing_handle_cast_crashes():  # 18> - 22>
    ok, p2 = gen_server.start(("local", "tmo"), tmo_mod, [], [])
    with logger.capture() as reports:
        erlang.send("tmo", "unexpected_message")
        runtime.run_until_idle()
    assert [(r["level"], r["text"]) for r in reports] == [
        ("warning", ["** Undefined handle_info in timeout", "** Unhandled message: 'unexpected_message'"])]
    assert erlang.is_process_alive(p2)
    mref = erlang.monitor("process", p2)
    with logger.capture() as reports:
        assert gen_server.cast("tmo", "hello") == "ok"
        down = erlang.receive(("DOWN", mref, ANY, ANY, ANY))
    assert down[4] == ("undef", [("timeout", "handle_cast", ["hello", "undefined"])])
    err, crash = reports
    assert err["text"] == [
        "** Generic server tmo terminating ",
        "** Last message in was ('$gen_cast', 'hello')",
        "** When Server state == 'undefined'",
        "** Reason for termination ==",
        "** ('function not exported',",
        "    [('timeout', 'handle_cast', ['hello', 'undefined'])])"]
    assert "    exception error: undefined function timeout:handle_cast/2" in crash["text"]
    assert "    registered_name: tmo" in crash["text"]


def test_e1_reply_before_noreply(capsys):                            # 23> - 26>
    ok, f = gen_server.start_link(from_mod, 0, [])
    me = erlang.self()
    t0 = runtime.now()
    assert gen_server.call(f, ("add", 10)) == "ok"
    assert runtime.now() == t0                                        # released at once
    assert capsys.readouterr().out == ""
    assert gen_server.call(f, ("add", 5)) == "ok"                     # waits for the first add
    assert runtime.now() - t0 == 1000
    out = capsys.readouterr().out
    assert out.startswith(f"From:({me!r}, #Ref<") and out.endswith(", Sum:10\n")
    timer.sleep(2500)
    assert capsys.readouterr().out.endswith(", Sum:15\n")


def test_e1_ping_inactivity_timeout(capsys):                         # 27> - 30>
    t0 = runtime.now()
    assert gen_server.start(("local", "ping"), ping, [], [])[0] == "ok"
    timer.sleep(11000)
    assert capsys.readouterr().out == f"{(t0 + 5000) // 1000 % 60:2d}\n{(t0 + 10000) // 1000 % 60:2d}\n"
    assert gen_server.call("ping", "pause") == "paused"
    timer.sleep(20000)
    assert capsys.readouterr().out == ""
    assert gen_server.call("ping", "start") == "started"
    timer.sleep(6000)
    assert capsys.readouterr().out == f"{(runtime.now() - 1000) // 1000 % 60:2d}\n"


@pytest.mark.parametrize("probe", [tmo_mod, from_mod, ping])
def test_book_probes_lack_handle_cast(probe):
    arg = 0 if probe is from_mod else []
    ok, p = gen_server.start(probe, arg, [])
    mref = erlang.monitor("process", p)
    with logger.capture():
        gen_server.cast(p, "hello")
        down = erlang.receive(("DOWN", mref, ANY, ANY, ANY))
    assert down[4][0] == "undef" and down[4][1][0][:2] == (probe.__name__.rsplit(".", 1)[-1], "handle_cast")


def test_calling_self():
    class cs:
        def init(a):
            return ("ok", None)

        def handle_call(req, frm, s):
            try:
                gen_server.call(erlang.self(), "x")
            except Exit as e:
                return ("reply", e.reason, s)
    ok, p = gen_server.start(cs, [], [])
    assert gen_server.call(p, "go") == ("calling_self", ("gen_server", "call", [p, "x"]))


def test_server_stops_during_call_normal():                          # probed: {normal, {gen_server,call,...}}
    class st:
        def init(a):
            return ("ok", None)

        def handle_call(req, frm, s):
            if req == "stopme":
                return ("stop", "normal", s)
            return ("stop", "normal", "stopped_reply", s)
    ok, p = gen_server.start(st, [], [])
    assert call_exit(p, "stopme") == ("normal", ("gen_server", "call", [p, "stopme"]))
    ok, p = gen_server.start(st, [], [])
    with logger.capture() as reports:
        assert gen_server.call(p, "stop_with_reply") == "stopped_reply"
    assert reports == []
    assert_empty_mailbox()


# ======================================================== b3: init returns
class initr:
    def init(arg):
        match arg:
            case "stop":
                return ("stop", "stopped")
            case "bad":
                return ("next_state", "selection", [])
            case "ignore":
                return "ignore"
            case ("sleep", ms):
                timer.sleep(ms)
                return ("ok", ms)
            case "exit":
                erlang.exit("boom")
            case "error":
                return 1 / 0
            case "throw":
                erlang.throw(("ok", "thrown"))
            case ("ok3", x):
                return ("ok", [], x)
        return ("ok", arg)

    def handle_call(req, frm, s):
        return ("reply", s, s)

    def handle_cast(msg, s):
        return ("noreply", s)

    def handle_info(msg, s):
        return ("noreply", s + [msg]) if isinstance(s, list) else ("noreply", s)

    def handle_continue(c, s):
        if c == "c1":
            return ("noreply", s + ["c1"], ("continue", "c2"))
        return ("noreply", s + [c])


def test_b3_init_stop_is_error_with_crash_report():
    with logger.capture() as reports:
        assert gen_server.start(initr, "stop", []) == ("error", "stopped")
        runtime.run_until_idle()
    assert [r["kind"] for r in reports] == ["crash_report"]
    assert "    exception exit: 'stopped'" in reports[0]["text"]
    assert "    initial call: initr:init/1" in reports[0]["text"]


def test_b3_bad_return_ignore_timeout():
    with logger.capture() as reports:
        assert gen_server.start(initr, "bad", []) == ("error", ("bad_return_value", ("next_state", "selection", [])))
        runtime.run_until_idle()
    assert [r["kind"] for r in reports] == ["crash_report"]
    assert gen_server.start(initr, "ignore", []) == "ignore"
    assert gen_server.start(initr, ("sleep", 3000), [("timeout", 1000)]) == ("error", "timeout")
    assert_empty_mailbox()


def test_b3_start_link_stop_kills_untrapping_caller_traps_otherwise():
    with logger.capture(), pytest.raises(Exit) as e:
        gen_server.start_link(initr, "stop", [])
        runtime.run_until_idle()
    assert e.value.reason == "stopped"
    erlang.process_flag("trap_exit", True)
    with logger.capture():
        assert gen_server.start_link(initr, "stop", []) == ("error", "stopped")
        assert gen_server.start_link(initr, "ignore", []) == "ignore"
        assert gen_server.start_link(initr, "bad", [])[0] == "error"
        runtime.run_until_idle()
    got = [erlang.receive(("EXIT", ANY, ANY))[2] for _ in range(3)]
    assert got == ["stopped", "normal", ("bad_return_value", ("next_state", "selection", []))]
    assert_empty_mailbox()


def test_init_exit_error_throw():                                    # probed
    with logger.capture() as reports:
        assert gen_server.start(initr, "exit", []) == ("error", "boom")
        r = gen_server.start(initr, "error", [])
        runtime.run_until_idle()
    assert r[0] == "error" and r[1][0] == "badarith" and r[1][1][0][:2] == ("test_gen_server", "init")
    assert [x["kind"] for x in reports] == ["crash_report", "crash_report"]
    assert "    exception error: an error occurred when evaluating an arithmetic expression" in reports[1]["text"]
    ok, p = gen_server.start(initr, "throw", [])                      # a thrown value is the return value
    assert ok == "ok" and osys.get_state(p) == "thrown"


def test_init_timeout_hibernate_continue():
    ok, p = gen_server.start(initr, ("ok3", 100), [])
    timer.sleep(150)
    assert osys.get_state(p) == ["timeout"]                         # 'timeout' to handle_info
    ok, p = gen_server.start(initr, ("ok3", "hibernate"), [("hibernate_after", 100)])
    assert osys.get_state(p) == []


def test_continue_runs_before_messages_sent_in_init():               # probed: c1, c2, then from_init
    class c:
        def init(a):
            erlang.send(erlang.self(), "from_init")
            return ("ok", [], ("continue", "c1"))
        handle_continue = initr.handle_continue
        handle_info = initr.handle_info
    ok, p = gen_server.start(c, [], [])
    assert osys.get_state(p) == ["c1", "c2", "from_init"]


def test_already_started_and_named_variants():
    ok, p = gen_server.start(("local", "srv"), initr, 1, [])
    assert gen_server.start(("local", "srv"), initr, 2, []) == ("error", ("already_started", p))
    assert gen_server.start_link(("local", "srv"), initr, 2, []) == ("error", ("already_started", p))
    ok, (p2, mref) = gen_server.start_monitor(initr, 3, [])
    assert gen_server.call(p2, "get") == 3
    gen_server.stop(p2)
    assert erlang.receive(("DOWN", mref, "process", p2, ANY))[4] == "normal"
    ok, pg = gen_server.start(("global", "g"), initr, 4, [])
    assert gen_server.call(("global", "g"), "get") == 4
    assert gen_server.start(("global", "g"), initr, 5, []) == ("error", ("already_started", pg))
    assert_empty_mailbox()


# ======================================================== options and learner errors
def test_unknown_options_are_badarg():
    # OTP 25 ignores unknown options; otp_lite rejects them so a typo is caught (issue 4).
    for opts in ([("timout", 10)], ["debug"], ("timeout", 10)):
        with pytest.raises(ErlangError) as e:
            gen_server.start(initr, 1, opts)
        assert e.value.reason == "badarg"
    with pytest.raises(ErlangError):
        gen_server.start(("locl", "x"), initr, 1, [])
    assert gen_server.start(initr, 1, [("timeout", 100), ("debug", []), ("hibernate_after", 10),
                                       ("spawn_opt", [])])[0] == "ok"


@pytest.mark.parametrize("ret", ["ok", ("reply", 1), ("noreply",), ("reply", 1, 2, 3, 4), None])
def test_bad_return_value_from_handle_call(ret):
    class b:
        def init(a):
            return ("ok", "s")

        def handle_call(req, frm, s):
            return ret
    ok, p = gen_server.start(b, [], [])
    with logger.capture() as reports:
        assert call_exit(p, "x") == (("bad_return_value", ret), ("gen_server", "call", [p, "x"]))
    assert [r["kind"] for r in reports] == ["error_report", "crash_report"]


def test_bad_return_from_cast_and_info():
    class b:
        def init(a):
            return ("ok", "s")

        def handle_cast(m, s):
            return "oops"

        def handle_info(m, s):
            return ("reply", 1, s)
    for send in (lambda p: gen_server.cast(p, 1), lambda p: erlang.send(p, 1)):
        ok, p = gen_server.start(b, [], [])
        mref = erlang.monitor("process", p)
        with logger.capture():
            send(p)
            down = erlang.receive(("DOWN", mref, ANY, ANY, ANY))
        assert down[4][0] == "bad_return_value"


def test_callback_exit_and_throw():
    class x:
        def init(a):
            return ("ok", 0)

        def handle_call(req, frm, s):
            if req == "throw":
                erlang.throw(("reply", "thrown", s + 1))
            erlang.exit(("my", "reason"))
    ok, p = gen_server.start(x, [], [])
    assert gen_server.call(p, "throw") == "thrown"
    with logger.capture() as reports:
        assert call_exit(p, "exit")[0] == ("my", "reason")
    assert "    exception exit: ('my', 'reason')" in reports[1]["text"]


# ======================================================== terminate
class term:
    def init(a):
        if a == "trap":
            erlang.process_flag("trap_exit", True)
        return ("ok", a)

    def handle_call(req, frm, s):
        return ("reply", s, s)

    def handle_info(m, s):
        return ("noreply", s)

    def terminate(reason, s):
        print(f"terminate {reason!r} {s!r}")
        if s == "crash_term":
            erlang.exit("term_crashed")


def test_stop_runs_terminate(capsys):
    ok, p = gen_server.start(("local", "t"), term, "x", [])
    assert gen_server.stop("t", "shutdown", 1000) == "ok"
    assert capsys.readouterr().out == "terminate 'shutdown' 'x'\n"


def test_stop_errors_are_bare_reasons(capsys):                       # probed: exit noproc / term_crashed
    with pytest.raises(Exit) as e:
        gen_server.stop("nonexist")
    assert e.value.reason == "noproc"
    ok, p = gen_server.start(term, "crash_term", [])
    with logger.capture() as reports, pytest.raises(Exit) as e:
        gen_server.stop(p, "normal", "infinity")
    assert e.value.reason == "term_crashed"
    assert reports[0]["text"][1] == "** Last message in was []"
    with pytest.raises(Exit) as e:
        gen_server.stop(p)
    assert e.value.reason == "noproc"


def test_parent_exit_runs_terminate_only_when_trapping(capsys):      # probed
    me = erlang.self()

    def parent(arg):
        ok, c = gen_server.start_link(term, arg, [])
        erlang.send(me, ("child", c))
        erlang.receive()
    for arg, expect in (("trap", "terminate 'goodbye' 'trap'\n"), ("x", "")):
        par = erlang.spawn(parent, arg)
        _, c = erlang.receive(("child", ANY))
        with logger.capture() as reports:
            erlang.exit(par, "goodbye")
            runtime.run_until_idle()
        assert not erlang.is_process_alive(c)
        assert capsys.readouterr().out == expect
        if arg == "trap":
            assert reports[0]["text"][1] == f"** Last message in was ('EXIT', {par!r}, 'goodbye')"


def test_exit_from_non_parent_goes_to_handle_info(capsys):
    ok, p = gen_server.start(term, "trap", [])
    erlang.send(p, ("EXIT", erlang.self(), "fake"))
    runtime.run_until_idle()
    assert erlang.is_process_alive(p)


# ======================================================== multi_call / abcast / enter_loop / send_request
def test_multi_call_and_abcast_local_node():                         # probed
    ok, p = gen_server.start(("local", "srv"), initr, "x", [])
    assert gen_server.multi_call("srv", "get") == ([("nonode@nohost", "x")], [])
    assert gen_server.multi_call("nosrv", "get") == ([], ["nonode@nohost"])
    assert gen_server.multi_call(["nonode@nohost", "other@host"], "srv", "get") == (
        [("nonode@nohost", "x")], ["other@host"])
    assert gen_server.abcast("srv", "hi") == "abcast"
    assert gen_server.abcast(["nonode@nohost"], "srv", "hi") == "abcast"


def test_enter_loop():
    from otp_lite import proc_lib

    def starter():
        erlang.register("el", erlang.self())
        proc_lib.init_ack(("ok", erlang.self()))
        gen_server.enter_loop(initr, [], "entered", ("local", "el"))
    ok, p = proc_lib.start_link(starter)
    assert gen_server.call("el", "get") == "entered"
    gen_server.stop("el")


def test_send_request_wait_response():
    ok, p = gen_server.start(initr, "v", [])
    rid = gen_server.send_request(p, "get")
    assert gen_server.wait_response(rid, 1000) == ("reply", "v")


def test_bench_workloads_run_tiny():
    import importlib.util
    import os
    import sys
    here = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench")
    sys.path.insert(0, here)
    try:
        spec = importlib.util.spec_from_file_location("bench_gen_server", os.path.join(here, "gen_server.py"))
        m = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(m)
        import _harness as H
        for fn in (m.otp_call, m.otp_call_shell, m.otp_cast):
            r = fn(H.TINY)
            assert r["n"] > 0 and r["seconds"] > 0
    finally:
        sys.path.remove(here)
    runtime.reset()
