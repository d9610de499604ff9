"""supervisor: error terms for bad flags/specs/init (probed on OTP 25), start failures,
shutdown specs, failed restarts retried, auto_shutdown, reports, trace events, describe."""
import pytest

from otp_lite import runtime, erlang, gen_server, logger, supervisor, timer
from otp_lite.erlang import ANY, Exit
from test_supervisor import pchild, psup, LOG, events, sup_reports, start, stop_sup  # noqa: F401


@pytest.fixture(autouse=True)
def reps():
    LOG.clear()
    erlang.process_flag("trap_exit", True)
    with logger.capture() as r:
        yield r


class w:
    """Plain start functions, like the probe's psup:w/1 and psup:fail/1."""
    calls = []

    @staticmethod
    def start(id):
        return ("ok", erlang.spawn_link(lambda: erlang.receive("stop")))

    @staticmethod
    def fail(reason):
        return ("error", reason)

    @staticmethod
    def ignore():
        return "ignore"

    @staticmethod
    def flaky(pattern):
        """Fails on the calls whose number (from 1) is in ``pattern``."""
        w.calls.append(runtime.now())
        if len(w.calls) in pattern:
            return ("error", "flaky")
        return w.start(None)

    @staticmethod
    def crash():
        return 1 / 0


def W(id, **kw):
    return dict({"id": id, "start": (w, "start", [id])}, **kw)


def sl(flags, specs):
    return psup.start_link("a", flags, specs)


@pytest.mark.parametrize("flags,specs,err", [
    ({"strategy": "foo"}, [], ("supervisor_data", ("invalid_strategy", "foo"))),
    (["x"], [], ("supervisor_data", ("invalid_type", ["x"]))),
    ({"intensity": -1}, [], ("supervisor_data", ("invalid_intensity", -1))),
    ({"period": 0}, [], ("supervisor_data", ("invalid_period", 0))),
    ({"auto_shutdown": "sometimes"}, [], ("supervisor_data", ("invalid_auto_shutdown", "sometimes"))),
    ({}, [{"id": "x"}], ("start_spec", "missing_start")),
    ({}, [{"start": (w, "start", ["x"])}], ("start_spec", "missing_id")),
    ({}, [("x", (w, "start", ["x"]), "permanent", 5000, "worker")],
     ("start_spec", ("invalid_child_spec", ("x", (w, "start", ["x"]), "permanent", 5000, "worker")))),
    ({}, [W("x"), W("x")], ("start_spec", ("duplicate_child_name", "x"))),
    ({"strategy": "simple_one_for_one"}, [], ("bad_start_spec", [])),
    ({}, [W("x", significant=True, restart="transient")],
     ("start_spec", ("bad_combination", [("auto_shutdown", "never"), ("significant", True)]))),
    ({"auto_shutdown": "any_significant"}, [W("x", significant=True)],
     ("start_spec", ("bad_combination", [("restart", "permanent"), ("significant", True)]))),
    ({}, [W("x", shutdown=-1)], ("start_spec", ("invalid_shutdown", -1))),
    ({}, [W("x", modules=[1])], ("start_spec", ("invalid_module", 1))),
    ({}, [W("x", modules="foo")], ("start_spec", ("invalid_modules", "foo"))),
    ({}, [{"id": "x", "start": (w, "start")}], ("start_spec", ("invalid_mfa", (w, "start")))),
    ({}, [{"id": "x", "start": (w, "start", ("x",))}], ("start_spec", ("invalid_mfa", (w, "start", ("x",))))),
    ({}, [W("x", type="boss")], ("start_spec", ("invalid_child_type", "boss"))),
    ({}, [W("x", restart="sometimes")], ("start_spec", ("invalid_restart_type", "sometimes"))),
    ({"auto_shutdown": "any_significant"}, [W("x", significant="maybe", restart="transient")],
     ("start_spec", ("invalid_significant", "maybe"))),
])
def test_bad_flags_and_specs(flags, specs, err):
    assert sl(flags, specs) == ("error", err)


def test_tuple_forms_accepted():
    ok, s = sl(("one_for_all", 3, 10), [("x", (w, "start", ["x"]), "transient", "brutal_kill", "worker", "dynamic")])
    assert ok == "ok"
    assert supervisor.get_childspec(s, "x")[1]["modules"] == "dynamic"
    assert supervisor.describe(s)["strategy"] == "one_for_all"


def test_bad_init_return_and_ignore():
    class bad:
        init = staticmethod(lambda a: "foo")

    class ign:
        init = staticmethod(lambda a: "ignore")
    assert supervisor.start_link(bad, []) == ("error", ("bad_return", ("bad", "init", "foo")))
    assert supervisor.start_link(("local", "i"), ign, []) == "ignore"
    assert erlang.whereis("i") == "undefined"


def test_check_childspecs():
    assert supervisor.check_childspecs([W("x"), W("y")]) == "ok"
    assert supervisor.check_childspecs("foo") == ("error", ("badarg", "foo"))
    assert supervisor.check_childspecs([], "foo") == ("error", ("badarg", "foo"))
    assert supervisor.check_childspecs([W("x", significant=True, restart="temporary")], "any_significant") == "ok"
    assert supervisor.check_childspecs([W("x", shutdown="soon")]) == ("error", ("invalid_shutdown", "soon"))


def test_child_fails_to_start_at_init(reps):
    r = sl({}, [W("x"), {"id": "y", "start": (w, "fail", ["boom"])}, W("z")])
    assert r == ("error", ("shutdown", ("failed_to_start_child", "y", "boom")))
    rep = [x for x in reps if x["kind"] == "supervisor_report"]
    assert [(x["data"]["errorContext"], x["data"]["reason"]) for x in rep] == [("start_error", "boom")]
    assert dict(rep[0]["data"]["offender"])["pid"] == "undefined"
    r = sl({}, [{"id": "c", "start": (w, "crash", [])}])
    assert r[0] == "error" and r[1][1][:2] == ("failed_to_start_child", "c")
    assert r[1][1][2][0] == "EXIT" and r[1][1][2][1][0] == "badarith"


def test_start_child_errors_and_ignore():
    ok, s = sl({}, [W("x")])
    assert supervisor.start_child(s, {"id": "y"}) == ("error", "missing_start")
    e = supervisor.start_child(s, {"id": "y", "start": (w, "fail", ["boom"])})
    assert e == ("error", ("boom", ("child", "undefined", "y", (w, "fail", ["boom"]), "permanent", False, 5000,
                                    "worker", ["w"])))
    assert supervisor.start_child(s, {"id": "i", "start": (w, "ignore", [])}) == ("ok", "undefined")
    assert supervisor.which_children(s)[0] == ("i", "undefined", "worker", ["w"])
    assert supervisor.start_child(s, {"id": "t", "start": (w, "ignore", []), "restart": "temporary"}) == ("ok", "undefined")
    assert [c[0] for c in supervisor.which_children(s)] == ["i", "x"]
    with pytest.raises(Exit) as ei:
        supervisor.which_children("nosuch")
    assert ei.value.reason == ("noproc", ("gen_server", "call", ["nosuch", "which_children", "infinity"]))


# ---------------------------------------------------------------- shutdown specs
def test_shutdown_timeout_then_kill_and_shutdown_error(reps):
    ok, s = sl({}, [pchild.spec("slow", shutdown=1000, opts={"term_sleep": 5000})])
    t0 = runtime.now()
    assert supervisor.terminate_child(s, "slow") == "ok"
    assert runtime.now() - t0 == 1000
    rep = [x for x in reps if x["kind"] == "supervisor_report"]
    assert [(x["data"]["errorContext"], x["data"]["reason"]) for x in rep] == [("shutdown_error", "killed")]
    assert supervisor.which_children(s)[0][1] == "undefined"


def test_shutdown_brutal_kill_and_infinity(reps):
    ok, s = sl({}, [pchild.spec("bk", shutdown="brutal_kill", opts={"term_sleep": 5000}),
                    pchild.spec("inf", shutdown="infinity", opts={"term_sleep": 7000})])
    LOG.clear()
    t0 = runtime.now()
    assert supervisor.terminate_child(s, "bk") == "ok"
    assert runtime.now() == t0 and LOG == []                   # killed: terminate never runs
    assert supervisor.terminate_child(s, "inf") == "ok"
    assert runtime.now() - t0 == 7000 and events()[-1] == ("inf", "finished")
    assert not [x for x in reps if x["kind"] == "supervisor_report"]


def test_child_not_trapping_exits_dies_with_shutdown():
    ok, s = sl({}, [pchild.spec("nt", opts={"trap": False})])
    LOG.clear()
    assert supervisor.terminate_child(s, "nt") == "ok"
    assert LOG == []                                          # no terminate/2 without trap_exit


# ---------------------------------------------------------------- restarts
def test_failed_restart_is_retried(reps):
    w.calls.clear()
    ok, s = sl({"intensity": 5, "period": 10}, [{"id": "f", "start": (w, "flaky", [{2, 3}])}])
    erlang.exit(supervisor.which_children(s)[0][1], "kill")
    timer.sleep(10)
    assert len(w.calls) == 4                                   # start, fail, fail, ok
    assert supervisor.which_children(s)[0][1] != "restarting"
    ctx = [(x["data"]["errorContext"], x["data"]["reason"]) for x in reps if x["kind"] == "supervisor_report"]
    assert ctx == [("child_terminated", "killed"), ("start_error", "flaky"), ("start_error", "flaky")]
    assert supervisor.describe(s)["restarts_in_period"] == 3   # every attempt counts


def test_failed_restarts_exhaust_intensity(reps):
    w.calls.clear()
    ok, s = sl({"intensity": 2, "period": 10}, [{"id": "f", "start": (w, "flaky", [set(range(2, 99))])}])
    ref = erlang.monitor("process", s)
    erlang.exit(supervisor.which_children(s)[0][1], "kill")
    assert erlang.receive(("DOWN", ref, "process", s, ANY))[4] == "shutdown"
    ctx = [x["data"]["errorContext"] for x in reps if x["kind"] == "supervisor_report"]
    assert ctx == ["child_terminated", "start_error", "start_error", "shutdown"]


def test_one_for_all_restart_failure_marks_restarting():
    w.calls.clear()
    ok, s = sl({"strategy": "rest_for_one", "intensity": 5}, [W("a"), {"id": "f", "start": (w, "flaky", [{2}])}, W("z")])
    erlang.exit(dict((c[0], c[1]) for c in supervisor.which_children(s))["f"], "kill")
    timer.sleep(1)
    kids = supervisor.which_children(s)
    assert [k[0] for k in kids] == ["z", "f", "a"] and all(type(k[1]) is not str for k in kids)


def test_simple_one_for_one_restart_retry_and_count(reps):
    w.calls.clear()
    ok, s = sl({"strategy": "simple_one_for_one", "intensity": 5}, [{"id": "t", "start": (w, "flaky", [{2}])}])
    ok, p = supervisor.start_child(s, [])
    erlang.exit(p, "kill")
    timer.sleep(1)
    assert supervisor.count_children(s) == [("specs", 1), ("active", 1), ("supervisors", 0), ("workers", 1)]
    assert len(w.calls) == 3


# ---------------------------------------------------------------- auto_shutdown
def test_auto_shutdown_any_significant():
    ok, s = sl({"auto_shutdown": "any_significant"},
               [pchild.spec("sig", "transient") | {"significant": True}, pchild.spec("other")])
    ref = erlang.monitor("process", s)
    pchild.stop("sig", "normal")
    assert erlang.receive(("DOWN", ref, "process", s, ANY))[4] == "shutdown"
    assert erlang.whereis("other") == "undefined"


def test_auto_shutdown_all_significant():
    ok, s = sl({"auto_shutdown": "all_significant"},
               [pchild.spec(i, "temporary") | {"significant": True} for i in ("s1", "s2")])
    ref = erlang.monitor("process", s)
    pchild.stop("s1", "normal")
    assert erlang.receive(("DOWN", ref, "process", s, ANY), timeout=100) is erlang.TIMEOUT
    pchild.stop("s2", "boom")
    assert erlang.receive(("DOWN", ref, "process", s, ANY))[4] == "shutdown"


# ---------------------------------------------------------------- reports, trace, describe
def test_progress_reports_only_at_info(reps):
    sl({}, [W("x")])
    assert not [r for r in reps if r["kind"] == "progress"]
    logger.set_level("info")
    try:
        psup.start_link("b", {}, [W("y")])
    finally:
        logger.set_level("notice")
    pr = [r for r in reps if r["kind"] == "progress"]
    assert len(pr) == 1 and pr[0]["data"]["supervisor"] == ("local", "b")
    assert pr[0]["text"][0] == "    supervisor: ('local', 'b')"
    assert pr[0]["text"][1].startswith("    started: [('pid', <0.")


def test_unexpected_message_logged(reps):
    ok, s = sl({}, [])
    erlang.send(s, "hello")
    timer.sleep(1)
    assert any("Supervisor received unexpected message: 'hello'" in r["text"][0] for r in reps)
    assert erlang.is_process_alive(s)


def test_trace_events_and_describe():
    rec = runtime.Recorder()
    runtime.subscribe(rec)
    ok, s = psup.start_link("tr", {"strategy": "one_for_one", "intensity": 3, "period": 7}, [W("a"), W("b")])
    a = supervisor.which_children(s)[1][1]
    erlang.exit(a, "kill")
    timer.sleep(1)
    supervisor.terminate_child(s, "b")
    supervisor.delete_child(s, "b")
    runtime.unsubscribe(rec)
    evs = [e for e in rec.events if e["kind"].startswith("sup_")]
    assert evs[0]["kind"] == "sup_start" and evs[0]["strategy"] == "one_for_one"
    assert (evs[0]["intensity"], evs[0]["period"], evs[0]["children"], evs[0]["name"]) == (3, 7, ["a", "b"], ("local", "tr"))
    seq = [(e["id"], e["event"]) for e in evs[1:]]
    assert seq == [("a", "started"), ("b", "started"), ("a", "terminated"), ("a", "restarting"),
                   ("a", "restarted"), ("b", "terminated"), ("b", "deleted")]
    d = supervisor.describe(s)
    assert (d["strategy"], d["intensity"], d["period"], d["restarts_in_period"]) == ("one_for_one", 3, 7, 1)
    assert d["children"] == [dict(id="a", pid=supervisor.which_children(s)[0][1], type="worker",
                                  restart="permanent", shutdown=5000, restarts=1)]


def test_sup_shutdown_event_on_intensity():
    rec = runtime.Recorder()
    runtime.subscribe(rec)
    ok, s = sl({"intensity": 0}, [W("a")])
    ref = erlang.monitor("process", s)
    erlang.exit(supervisor.which_children(s)[0][1], "kill")
    erlang.receive(("DOWN", ref, "process", s, ANY))
    runtime.unsubscribe(rec)
    sh = [e for e in rec.events if e["kind"] == "sup_shutdown"]
    assert len(sh) == 1 and sh[0]["reason"] == "reached_max_restart_intensity" and sh[0]["pid"] is s


def test_exit_storm_is_buffered_and_calls_interleave(reps):
    ok, s = sl({"strategy": "simple_one_for_one", "intensity": 1000}, [{"id": "w", "start": (w, "start", [])}])
    pids = [supervisor.start_child(s, [i])[1] for i in range(200)]
    for p in pids:
        erlang.exit(p, "kill")
    kids = supervisor.which_children(s)               # answered mid-storm, as OTP would
    assert len(kids) == 200
    runtime.run_until_idle()
    kids = supervisor.which_children(s)
    assert len(kids) == 200 and not set(k[1] for k in kids) & set(pids)
    assert sum(r["kind"] == "supervisor_report" for r in reps) == 200
