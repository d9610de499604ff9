"""sys against reference/erlang_ref g1 (ch5 frequency) and g2 (a hand-written special process)."""
import pytest

from otp_lite import erlang, gen_server, logger, proc_lib, runtime, timer
from otp_lite import sys as osys
from otp_lite.erlang import ANY, Exit

from examples.ch5 import frequency, sys_tour


def assert_empty_mailbox():
    msgs = list(erlang.self().mbox)
    assert msgs == [], f"unexpected messages left in the shell mailbox: {msgs!r}"


@pytest.fixture
def freq():
    ok, pid = frequency.start()
    yield pid


def test_g1_trace_lines(freq, capsys):                                # 2> - 6>
    me = erlang.self()
    assert sys_tour.trace_session() == (("ok", 10), "ok")
    assert capsys.readouterr().out.splitlines() == [
        f"*DBG* frequency got call ('allocate', {me!r}) from {me!r}",
        f"*DBG* frequency sent ('ok', 10) to {me!r}, new state ([11, 12, 13, 14, 15],",
        f"{' ' * 56}[(10, {me!r})])",                                     # wrapped under its '('
        "*DBG* frequency got cast ('deallocate', 10)",
        "*DBG* frequency new state ([10, 11, 12, 13, 14, 15], [])",
        "*DBG* frequency got 'hello'",
        "*DBG* frequency new state ([10, 11, 12, 13, 14, 15], [])"]
    frequency.allocate()
    assert capsys.readouterr().out == ""                               # trace off


def test_g1_trace_wraps_long_state_under_itself(freq, capsys):
    osys.trace("frequency", True)
    for _ in range(4):
        frequency.allocate()
    lines = capsys.readouterr().out.splitlines()
    i = max(i for i, l in enumerate(lines) if "new state " in l)
    col = lines[i].index("new state ") + len("new state ")
    assert lines[i + 1].startswith(" " * (col + 1) + "[")
    assert all(len(l) <= 80 for l in lines)


def test_g1_log_get_and_print(freq, capsys):                          # 7> - 11>
    me = erlang.self()
    ok, events = sys_tour.log_session()
    assert ok == "ok"
    kinds = [e[0] for e in events]
    assert kinds == ["in", "out", "in", "out", "in", "noreply"]
    (_, call1), (_, r1, from1, s1) = events[0], events[1]
    assert call1[0] == "$gen_call" and call1[2] == ("allocate", me) and call1[1] == from1
    assert from1[0] is me and r1 == ("ok", 10) and s1 == ([11, 12, 13, 14, 15], [(10, me)])
    assert events[4] == ("in", ("$gen_cast", ("deallocate", 11)))
    assert events[5] == ("noreply", ([11, 12, 13, 14, 15], [(10, me)]))
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"*DBG* frequency got call ('allocate', {me!r}) from {me!r}"
    assert out[-2:] == ["*DBG* frequency got cast ('deallocate', 11)",
                        f"*DBG* frequency new state ([11, 12, 13, 14, 15], [(10, {me!r})])"]
    assert osys.log("frequency", "get") == ("ok", [])                  # log off


def test_g1_log_keeps_last_n(freq):
    osys.log("frequency", 3)
    for _ in range(3):
        frequency.allocate()
    ok, events = osys.log("frequency", "get")
    assert [e[0] for e in events] == ["out", "in", "out"]


def test_g1_statistics(freq):                                         # 12> - 16>
    (ok, stats), off = sys_tour.statistics_session()
    assert ok == "ok"
    assert [k for k, _ in stats] == ["start_time", "current_time", "reductions", "messages_in", "messages_out"]
    d = dict(stats)
    assert d["messages_in"] == 3 and d["messages_out"] == 2
    assert d["reductions"] > 0 and d["current_time"] >= d["start_time"]
    assert off == ("ok", "no_statistics")


def test_g1_get_replace_status(freq):                                 # 17> - 20>
    me = erlang.self()
    frequency.allocate(), frequency.allocate()
    assert osys.get_state("frequency") == ([12, 13, 14, 15], [(11, me), (10, me)])
    new = osys.replace_state("frequency", lambda s: (s[0] + [99], s[1]))
    assert new == ([12, 13, 14, 15, 99], [(11, me), (10, me)])
    assert osys.get_state("frequency") == new
    st = osys.get_status("frequency")
    assert st[3][4][2] == ("data", [("State", (("available", [12, 13, 14, 15, 99]),
                                               ("allocated", [(11, me), (10, me)])))])


def test_g1_suspend_resume(freq):                                     # 21> - 26>
    me = erlang.self()
    frequency.allocate(), frequency.allocate()
    osys.replace_state("frequency", lambda s: (s[0] + [99], s[1]))
    timed_out, before, after = sys_tour.suspend_session()
    assert timed_out == ("timeout", ("gen_server", "call", ["frequency", ("allocate", me), 1000]))
    assert before == ([12, 13, 14, 15, 99], [(11, me), (10, me)])     # nothing ran while suspended
    assert after == ([10, 13, 14, 15, 99], [(12, me), (11, me)])      # the timed-out call ran later
    assert_empty_mailbox()                                            # ... and its reply was dropped


def test_g1_status_while_suspended(freq):
    osys.suspend("frequency")
    assert osys.get_status("frequency")[3][1] == "suspended"
    assert osys.get_status("frequency")[3][4][1][1][0] == ("Status", "suspended")
    osys.resume("frequency")
    assert osys.get_status("frequency")[3][1] == "running"


def test_g1_install_and_no_debug(freq, capsys):                       # 27> - 30>
    me = erlang.self()
    osys.replace_state("frequency", lambda s: ([13, 14, 15, 99], [(12, me), (11, me)]))
    assert osys.install("frequency", (sys_tour.my_trace, 1)) == "ok"
    assert frequency.allocate() == ("ok", 13)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"my trace #1: ('in', ('$gen_call', ({me!r}, #Ref<")
    assert out[1].startswith("my trace #2: ('out', ('ok', 13), (")
    assert osys.no_debug("frequency") == "ok"
    assert frequency.allocate() == ("ok", 14)
    assert capsys.readouterr().out == ""


def test_install_done_removes_and_remove(freq):
    seen = []

    def once(acc, event, info):
        seen.append(event[0])
        return "done"

    def count(acc, event, info):
        seen.append(acc)
        return acc + 1
    osys.install("frequency", (once, None))
    osys.install("frequency", (count, 0))
    frequency.allocate()
    osys.remove("frequency", count)
    frequency.allocate()
    assert seen == ["in", 0, 1]


def test_g1_debug_start_option(capsys):                               # 32> - 34>
    me = erlang.self()
    ok, p = sys_tour.start_debugged()
    assert ok == "ok"
    assert frequency.allocate() == ("ok", 10)
    assert capsys.readouterr().out.splitlines()[0] == f"*DBG* frequency got call ('allocate', {me!r}) from {me!r}"
    ok, stats = osys.statistics("frequency", "get")
    assert dict(stats)["messages_in"] == 1 and dict(stats)["messages_out"] == 1


def test_bad_debug_option_is_badarg():
    with pytest.raises(erlang.ErlangError) as e:
        gen_server.start(frequency, [], [("debug", ["tarce"])])
    assert e.value.reason == "badarg"


def test_change_code(freq):
    calls = []

    class v2:
        def code_change(old, state, extra):
            calls.append((old, extra))
            return ("ok", (state[0], state[1], "v2"))
    ok, p = gen_server.start(("local", "cc"), v2, [], []) if False else (None, None)
    # change the namespace in place, as loading a new module version does
    frequency_mod = __import__("examples.ch4.frequency", fromlist=["x"])
    frequency_mod.code_change = v2.code_change
    try:
        osys.suspend("frequency")
        assert osys.change_code("frequency", frequency, "1", "extra") == "ok"
        osys.resume("frequency")
    finally:
        del frequency_mod.code_change
    assert calls == [("1", "extra")]
    assert osys.get_state("frequency")[2] == "v2"


def test_sys_errors_noproc_timeout():
    with pytest.raises(Exit) as e:
        osys.get_state("nonexist")
    assert e.value.reason == ("noproc", ("sys", "get_state", ["nonexist"]))
    p = erlang.spawn(erlang.receive, "never")                         # not a special process
    with pytest.raises(Exit) as e:
        osys.get_state(p, 100)
    assert e.value.reason == ("timeout", ("sys", "get_state", [p, 100]))


def test_sys_terminate(freq, capsys):
    assert osys.terminate("frequency", "normal") == "ok"             # 'shutdown' would kill the linked shell
    assert erlang.whereis("frequency") == "undefined"


# ======================================================== a hand-written special process (ch10 style)
class mutexlike:
    """A minimal special process: free/busy loop answering system messages itself."""

    def start_link(name, dbg):
        return proc_lib.start_link(mutexlike.init, (erlang.self(), name, dbg))

    def init(parent, name, dbg):
        erlang.register(name, erlang.self())
        deb = osys.debug_options(dbg)
        deb = osys.handle_debug(deb, mutexlike.debug, name, "init")
        proc_lib.init_ack(("ok", erlang.self()))
        state = ("free", name)
        while True:
            msg = erlang.receive()
            match msg:
                case ("system", frm, req):
                    deb, state = osys.handle_system_msg(req, frm, parent, mutexlike, deb, state)
                case ("wait", pid) if state[0] == "free":
                    deb = osys.handle_debug(deb, mutexlike.debug, name, msg)
                    erlang.send(pid, "ok")
                    state = ("busy", name, pid)
                case ("signal", pid) if state[0] == "busy":
                    deb = osys.handle_debug(deb, mutexlike.debug, name, msg)
                    state = ("free", name)

    def debug(dev, event, name):                         # OTP's FormFunc(Dev, Event, Name)
        print(f"mutex {name}: {event!r}", file=dev)

    def system_terminate(reason, parent, deb, state):
        print(f"terminating {reason!r}")


def test_g2_special_process_trace_state_status(capsys):
    me = erlang.self()
    ok, m = mutexlike.start_link("printer", ["trace"])
    erlang.send("printer", ("wait", me))
    assert erlang.receive("ok") == "ok"
    assert osys.get_state("printer") == ("busy", "printer", me)       # default system_get_state: Misc
    erlang.send("printer", ("signal", me))
    assert osys.get_state("printer") == ("free", "printer")
    assert capsys.readouterr().out.splitlines() == [
        "mutex printer: 'init'", f"mutex printer: ('wait', {me!r})", f"mutex printer: ('signal', {me!r})"]
    osys.trace("printer", False)
    st = osys.get_status("printer")
    assert st[0:3] == ("status", m, ("module", "mutexlike"))
    assert st[3][0] == [("$initial_call", ("test_sys", "init", 3)), ("$ancestors", [me])] or st[3][0][1] == ("$ancestors", [me])
    assert st[3][1:] == ["running", me, [], ("free", "printer")]
    osys.suspend("printer")
    assert osys.get_status("printer")[3][1] == "suspended"
    osys.resume("printer")
    osys.statistics("printer", True)
    ok, stats = osys.statistics("printer", "get")
    assert [k for k, _ in stats] == ["start_time", "current_time", "reductions", "messages_in", "messages_out"]
    assert osys.replace_state("printer", lambda s: ("free", "renamed")) == ("free", "renamed")


def test_g2_parent_exit_while_trapping_calls_system_terminate(capsys):
    me = erlang.self()

    def parent():
        mutexlike.start_link("lock2", [])
        erlang.send(me, "started")
        erlang.receive()
    par = erlang.spawn(parent)
    erlang.receive("started")
    m = erlang.whereis("lock2")
    mref = erlang.monitor("process", m)
    erlang.exit(par, "maintenance")
    runtime.run_until_idle()
    # not trapping: killed by the signal, no terminate
    assert erlang.receive(("DOWN", mref, ANY, ANY, ANY))[4] == "maintenance"


def test_log_true_n_keeps_the_last_n_events():
    # sys:log(P, {true, N}) keeps the last N events, as OTP does
    from otp_lite import gen_server, sys as osys

    class echo:
        def init(_):
            return ("ok", 0)

        def handle_call(req, from_, n):
            return ("reply", req, n + 1)

    _, p = gen_server.start(echo, [], [])
    assert osys.log(p, (True, 2)) == "ok"
    for i in range(3):
        gen_server.call(p, i)
    ok, events = osys.log(p, "get")
    assert ok == "ok" and len(events) == 2
    assert events[-1][0] == "out" and events[-1][1] == 2
