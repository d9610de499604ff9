"""supervisor vs erlang_ref c1 (strategies), c2 (defaults, intensity), c3 (restart types,
child API), c5 (simple_one_for_one).  pchild/psup are the transcripts' probe modules."""
import pytest

from otp_lite import runtime, erlang, gen_server, logger, supervisor, timer
from otp_lite import sys as osys
from otp_lite.erlang import ANY
from otp_testkit import assert_empty_mailbox

LOG = []


class pchild:
    """gen_server child: traps exits, logs init/terminate with the virtual time."""

    @staticmethod
    def spec(id, restart="permanent", shutdown=5000, opts=None):
        return {"id": id, "start": (pchild, "start_link", [id, opts or {}]),
                "restart": restart, "shutdown": shutdown}

    @staticmethod
    def start_link(id, opts, extra=None):
        if id == "anon":
            return gen_server.start_link(pchild, (extra, opts), [])
        return gen_server.start_link(("local", id), pchild, (id, opts), [])

    @staticmethod
    def stop(who, reason):
        return gen_server.cast(who, ("stop", reason))

    @staticmethod
    def init(a):
        id, opts = a
        if opts.get("trap", True):
            erlang.process_flag("trap_exit", True)
        if opts.get("fail"):
            return ("stop", opts["fail"])
        LOG.append((runtime.now(), id, "init"))
        return ("ok", a)

    @staticmethod
    def handle_call(req, from_, s):
        return ("reply", ("echo", req), s)

    @staticmethod
    def handle_cast(msg, s):
        return ("stop", msg[1], s)

    @staticmethod
    def terminate(reason, s):
        LOG.append((runtime.now(), s[0], "terminate", reason))
        ms = s[1].get("term_sleep", 0)
        if ms:
            timer.sleep(ms)
            LOG.append((runtime.now(), s[0], "finished"))


class psup:
    @staticmethod
    def start_link(name, flags, specs):
        return supervisor.start_link(("local", name), psup, (flags, specs))

    @staticmethod
    def init(a):
        return ("ok", a)


@pytest.fixture(autouse=True)
def _clear():
    LOG.clear()
    with logger.capture() as reps:
        yield reps


def events():
    out = [e[1:] for e in LOG]
    LOG.clear()
    return out


def sup_reports(reps):
    return [(r["data"]["errorContext"], r["data"]["reason"], dict(r["data"]["offender"])["id"])
            for r in reps if r["kind"] == "supervisor_report"]


def start(name, strategy, specs, intensity=10, period=60):
    ok, s = psup.start_link(name, {"strategy": strategy, "intensity": intensity, "period": period}, specs)
    assert ok == "ok"
    erlang.unlink(s)
    return s


def stop_sup(s):
    r = erlang.monitor("process", s)
    erlang.exit(s, "shutdown")
    return erlang.receive(("DOWN", r, "process", ANY, ANY))[4]


def wc(sup):
    return [(i, p if type(p) is str else erlang.whereis(i) is p, t, m) for i, p, t, m in supervisor.which_children(sup)]


# ---------------------------------------------------------------- c1
def test_c1_one_for_one(_clear):
    s = start("s1", "one_for_one", [pchild.spec(i) for i in "abc"])
    assert events() == [("a", "init"), ("b", "init"), ("c", "init")]
    kids = supervisor.which_children("s1")
    assert [k[0] for k in kids] == ["c", "b", "a"] and kids[0][2:] == ("worker", ["pchild"])
    old_b = erlang.whereis("b")
    erlang.exit(old_b, "kill")
    timer.sleep(100)
    assert events() == [("b", "init")]
    assert sup_reports(_clear) == [("child_terminated", "killed", "b")]
    off = dict(_clear[0]["data"]["offender"])
    assert off["pid"] is old_b and off["restart_type"] == "permanent" and off["significant"] is False
    assert _clear[0]["data"]["supervisor"] == ("local", "s1")
    assert "    errorContext: child_terminated" in _clear[0]["text"]
    assert stop_sup(s) == "shutdown"
    assert events() == [(x, "terminate", "shutdown") for x in "cba"]
    assert_empty_mailbox()


def test_c1_one_for_all():
    s = start("s2", "one_for_all", [pchild.spec(i) for i in "abc"])
    events()
    erlang.exit(erlang.whereis("b"), "kill")
    timer.sleep(100)
    assert events() == [("c", "terminate", "shutdown"), ("a", "terminate", "shutdown"),
                        ("a", "init"), ("b", "init"), ("c", "init")]
    assert [k[0] for k in supervisor.which_children("s2")] == ["c", "b", "a"]
    assert stop_sup(s) == "shutdown"
    assert events() == [(x, "terminate", "shutdown") for x in "cba"]


def test_c1_rest_for_one(_clear):
    s = start("s3", "rest_for_one", [pchild.spec(i) for i in "abc"])
    events()
    erlang.exit(erlang.whereis("b"), "kill")
    timer.sleep(100)
    assert events() == [("c", "terminate", "shutdown"), ("b", "init"), ("c", "init")]
    erlang.exit(erlang.whereis("c"), "kill")
    timer.sleep(100)
    assert events() == [("c", "init")]
    erlang.exit(erlang.whereis("a"), "kill")
    timer.sleep(100)
    assert events() == [("c", "terminate", "shutdown"), ("b", "terminate", "shutdown"),
                        ("a", "init"), ("b", "init"), ("c", "init")]
    assert supervisor.count_children("s3") == [("specs", 3), ("active", 3), ("supervisors", 0), ("workers", 3)]
    assert [k[0] for k in supervisor.which_children("s3")] == ["c", "b", "a"]
    assert [r[2] for r in sup_reports(_clear)] == ["b", "c", "a"]
    assert stop_sup(s) == "shutdown"


def test_stop_order_each_with_own_budget():
    """Reverse start order, one at a time: total shutdown time is the sum [c1][c4]."""
    s = start("s4", "one_for_one", [pchild.spec(i, opts={"term_sleep": 300}) for i in "abc"])
    events()
    t0 = runtime.now()
    stop_sup(s)
    assert [(t - t0, e) for t, *e in LOG] == [
        (0, ["c", "terminate", "shutdown"]), (300, ["c", "finished"]),
        (300, ["b", "terminate", "shutdown"]), (600, ["b", "finished"]),
        (600, ["a", "terminate", "shutdown"]), (900, ["a", "finished"])]


# ---------------------------------------------------------------- c2
class Min:
    pass


def test_c2_defaults_and_intensity(_clear):
    def mn(i):
        return {"id": i, "start": (pchild, "start_link", [i, {}])}
    inner = {"id": "inner", "start": (psup, "start_link", ["inner", {}, []]), "type": "supervisor"}
    ok, s = psup.start_link("top", {}, [mn("a"), mn("b"), inner])
    erlang.unlink(s)
    st = osys.get_state("top")
    assert (st.strategy, st.intensity, st.period, st.ids) == ("one_for_one", 1, 5, ["inner", "b", "a"])
    assert supervisor.get_childspec("top", "a") == ("ok", {
        "id": "a", "start": (pchild, "start_link", ["a", {}]), "restart": "permanent",
        "significant": False, "shutdown": 5000, "type": "worker", "modules": ["pchild"]})
    assert supervisor.get_childspec("top", "inner")[1]["shutdown"] == "infinity"
    assert supervisor.get_childspec("top", "inner")[1]["modules"] == ["psup"]
    assert supervisor.check_childspecs([{"id": "x", "start": (pchild, "f", []), "restart": "sometimes"}]) == \
        ("error", ("invalid_restart_type", "sometimes"))
    timer.sleep(3600)
    erlang.exit(erlang.whereis("a"), "kill")          # 1 restart: tolerated
    timer.sleep(6400)
    erlang.exit(erlang.whereis("a"), "kill")          # > 5 s later: tolerated
    timer.sleep(7400)
    ref = erlang.monitor("process", s)
    erlang.exit(erlang.whereis("a"), "kill")
    timer.sleep(1000)
    erlang.exit(erlang.whereis("b"), "kill")          # 2nd within 5 s: too many
    assert erlang.receive(("DOWN", ref, "process", ANY, ANY), timeout=2000)[4] == "shutdown"
    assert sup_reports(_clear) == [("child_terminated", "killed", "a")] * 3 + [
        ("child_terminated", "killed", "b"), ("shutdown", "reached_max_restart_intensity", "b")]
    assert [erlang.whereis(n) for n in ("top", "a", "b", "inner")] == ["undefined"] * 4
    assert events()[-1] == ("a", "terminate", "shutdown")


def test_escalation_up_the_tree(_clear):
    """An inner supervisor giving up is a crash of a child for the outer one."""
    inner = {"id": "inner", "type": "supervisor",
             "start": (psup, "start_link", ["inner", {"intensity": 0}, [pchild.spec("w")]])}
    s = start("outer", "one_for_one", [inner], intensity=1, period=5)
    erlang.exit(erlang.whereis("w"), "kill")
    timer.sleep(10)
    assert erlang.is_process_alive(s) and erlang.whereis("w") != "undefined"
    assert sup_reports(_clear) == [("child_terminated", "killed", "w"),
                                   ("shutdown", "reached_max_restart_intensity", "w"),
                                   ("child_terminated", "shutdown", "inner")]


# ---------------------------------------------------------------- c3
def test_c3_restart_types(_clear):
    s = start("sup", "one_for_one", [pchild.spec("p"), pchild.spec("t", "transient"),
                                     pchild.spec("tmp", "temporary")], intensity=100, period=1)
    events()
    for n in ("p", "t", "tmp"):
        pchild.stop(n, "normal")
    timer.sleep(200)
    assert sup_reports(_clear) == [("child_terminated", "normal", "p")]
    assert wc("sup") == [("t", "undefined", "worker", ["pchild"]), ("p", True, "worker", ["pchild"])]
    ok, t = supervisor.restart_child("sup", "t")
    assert ok == "ok" and erlang.whereis("t") is t
    assert supervisor.restart_child("sup", "t") == ("error", "running")
    assert supervisor.restart_child("sup", "tmp") == ("error", "not_found")
    assert supervisor.start_child("sup", pchild.spec("tmp", "temporary"))[0] == "ok"
    for reason in ("shutdown", ("shutdown", "maintenance")):
        pchild.stop("t", reason)
        timer.sleep(200)
        assert [k[:2] for k in wc("sup")] == [("tmp", True), ("t", "undefined"), ("p", True)]
        assert supervisor.restart_child("sup", "t")[0] == "ok"
    _clear.clear()
    pchild.stop("p", "shutdown")
    timer.sleep(200)
    assert sup_reports(_clear) == [("child_terminated", "shutdown", "p")]
    assert [k[1] for k in wc("sup")] == [True, True, True]
    _clear.clear()
    pchild.stop("t", "boom")
    timer.sleep(300)
    assert sup_reports(_clear) == [("child_terminated", "boom", "t")]
    assert [k[1] for k in wc("sup")] == [True, True, True]
    _clear.clear()
    pchild.stop("tmp", "boom")
    timer.sleep(300)
    assert sup_reports(_clear) == [("child_terminated", "boom", "tmp")]
    off = dict(_clear[-1]["data"]["offender"])
    assert off["mfargs"] == (pchild, "start_link", "undefined")      # OTP forgets temporary args
    assert [k[0] for k in wc("sup")] == ["t", "p"]
    assert supervisor.start_child("sup", pchild.spec("p")) == ("error", ("already_started", erlang.whereis("p")))
    assert supervisor.start_child("sup", pchild.spec("x"))[0] == "ok"
    assert supervisor.terminate_child("sup", "x") == "ok"
    assert supervisor.start_child("sup", pchild.spec("x")) == ("error", "already_present")
    assert supervisor.delete_child("sup", "p") == ("error", "running")
    assert supervisor.terminate_child("sup", "p") == "ok"
    assert supervisor.delete_child("sup", "p") == "ok"
    assert supervisor.terminate_child("sup", "nosuch") == ("error", "not_found")
    assert supervisor.restart_child("sup", "nosuch") == ("error", "not_found")
    assert supervisor.delete_child("sup", "nosuch") == ("error", "not_found")
    assert supervisor.get_childspec("sup", "nosuch") == ("error", "not_found")
    r = supervisor.start_child("sup", {"id": "bad", "start": (pchild, "no_such_fun", [])})
    assert r[0] == "error" and r[1][0] == ("EXIT", ("undef", [("pchild", "no_such_fun", [], [])]))
    assert r[1][1] == ("child", "undefined", "bad", (pchild, "no_such_fun", []), "permanent", False,
                       5000, "worker", ["pchild"])
    assert [k[:2] for k in wc("sup")] == [("x", "undefined"), ("t", True)]


# ---------------------------------------------------------------- c5
def test_c5_simple_one_for_one(_clear):
    tmpl = {"id": "phone", "start": (pchild, "start_link", ["anon", {"term_sleep": 300}]),
            "restart": "transient", "shutdown": 2000}
    s = start("ssup", "simple_one_for_one", [tmpl])
    assert supervisor.which_children("ssup") == []
    p1 = supervisor.start_child("ssup", ["ms1"])[1]
    p2 = supervisor.start_child("ssup", ["ms2"])[1]
    p3 = supervisor.start_child("ssup", ["ms3"])[1]
    assert supervisor.which_children("ssup") == [("undefined", p, "worker", ["pchild"]) for p in (p1, p2, p3)]
    assert supervisor.count_children("ssup") == [("specs", 1), ("active", 3), ("supervisors", 0), ("workers", 3)]
    r = supervisor.start_child("ssup", ["too", "many"])
    assert r == ("error", ("EXIT", ("undef", [("pchild", "start_link", ["anon", {"term_sleep": 300}, "too", "many"], [])])))
    events()
    assert supervisor.terminate_child("ssup", p2) == "ok"
    assert events() == [("ms2", "terminate", "shutdown"), ("ms2", "finished")]
    assert supervisor.terminate_child("ssup", p2) == "ok"            # a dead pid: already terminated
    assert supervisor.terminate_child("ssup", "ms1") == ("error", "simple_one_for_one")
    assert supervisor.terminate_child("ssup", erlang.self()) == ("error", "not_found")
    assert supervisor.restart_child("ssup", p1) == ("error", "simple_one_for_one")
    assert supervisor.delete_child("ssup", p1) == ("error", "simple_one_for_one")
    assert supervisor.get_childspec("ssup", p1)[1]["id"] == "phone"
    pchild.stop(p1, "crash")
    timer.sleep(600)
    kids = supervisor.which_children("ssup")
    assert len(kids) == 2 and kids[0][1] is p3 and kids[1][1] not in (p1, p2, p3)
    off = dict([r for r in _clear if r["kind"] == "supervisor_report"][-1]["data"]["offender"])
    assert off["mfargs"] == (pchild, "start_link", ["anon", {"term_sleep": 300}, "ms1"]) and off["id"] == "phone"
    pchild.stop(p3, "normal")                                           # transient + normal: gone
    timer.sleep(500)
    assert len(supervisor.which_children("ssup")) == 1
    supervisor.start_child("ssup", ["ms4"])
    supervisor.start_child("ssup", ["ms5"])
    events()
    t0 = runtime.now()
    assert stop_sup(s) == "shutdown"
    ev = [(t - t0, e[1]) for t, *e in LOG]
    assert ev == [(0, "terminate")] * 3 + [(300, "finished")] * 3      # concurrently


def test_simple_one_for_one_shutdown_timeout_kills(_clear):
    tmpl = {"id": "w", "start": (pchild, "start_link", ["anon", {"term_sleep": 5000}]), "shutdown": 100}
    s = start("ss", "simple_one_for_one", [tmpl])
    pids = [supervisor.start_child("ss", [f"m{i}"])[1] for i in range(3)]
    assert stop_sup(s) == "shutdown"
    reps = [r for r in _clear if r["kind"] == "supervisor_report"]
    assert len(reps) == 1 and reps[0]["data"]["errorContext"] == "shutdown_error"
    assert reps[0]["data"]["reason"] == "killed"
    assert dict(reps[0]["data"]["offender"])["nb_children"] == 3
    assert not any(erlang.is_process_alive(p) for p in pids)
