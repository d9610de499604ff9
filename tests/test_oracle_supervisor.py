"""supervisor corner cases checked against real OTP 25 (probes tests/oracle_probes/sup*.erl).

Run: ``erlc sup1.erl sup2.erl && erl -noshell -pa . -eval 'sup1:run()' -s init stop``
(and ``sup2:run()``).  Every test names the probe line and quotes what OTP printed.
"""
import pytest

from otp_lite import erlang, gen_server, logger, supervisor, timer
from otp_lite.erlang import ANY, Pid

from otp_testkit import assert_empty_mailbox

MODE = {}


def _loop():
    while True:
        m = erlang.receive()
        if type(m) is tuple and m[0] == "die":
            erlang.exit(m[1])


def _slow():
    erlang.process_flag("trap_exit", True)
    erlang.receive(("EXIT", ANY, ANY))
    erlang.receive()


def _other():
    erlang.process_flag("trap_exit", True)
    erlang.receive(("EXIT", ANY, ANY))
    erlang.exit("other_reason")


def _act(k, m):
    if m == "ok":
        return ("ok", erlang.spawn_link(_loop))
    if m == "info":
        return ("ok", erlang.spawn_link(_loop), "extra")
    if m == "ignore":
        return "ignore"
    if m == "crash":
        return 1 / 0
    if m == "exitx":
        erlang.exit("myexit")
    if m == "weird":
        return "weird"
    if m == "slow":
        return ("ok", erlang.spawn_link(_slow))
    if m == "other":
        return ("ok", erlang.spawn_link(_other))
    if m[0] == "error":
        return m
    if m[0] == "gate":                       # tell the shell, wait for 'go', then act
        erlang.send(m[1], ("gated", erlang.self()))
        erlang.receive("go")
        return _act(k, m[2])


class sup1:
    def init(a):
        return ("ok", a)

    def w(k, mode=None):
        return _act(k, MODE.get(k, "ok") if mode is None else mode)


@pytest.fixture(autouse=True)
def _fresh():
    MODE.clear()
    with logger.capture() as reps:
        yield reps


def sp(i, r="permanent"):
    return {"id": i, "start": (sup1, "w", [i]), "restart": r, "shutdown": 100}


def rec(i, mode):
    return ("child", "undefined", i, (sup1, "w", [i]), "permanent", False, 100, "worker", ["sup1"])


def kid(sup, i):
    return [c for c in supervisor.which_children(sup) if c[0] == i][0][1]


def sup_reports(reps):
    return [(r["data"]["errorContext"], r["data"]["reason"], dict(r["data"]["offender"]))
            for r in reps if r.get("kind") == "supervisor_report"]


def test_which_count_and_start_child_returns():
    # sup1.erl, a:ok b:ignore c:info under {local,s1}:
    #   which: [{c,<0.81.0>,worker,[sup1]},{b,undefined,worker,[sup1]},{a,<0.80.0>,worker,[sup1]}]
    #   count: [{specs,3},{active,2},{supervisors,0},{workers,3}]
    MODE.update(b="ignore", c="info")
    _, sup = supervisor.start_link(("local", "s1"), sup1, ({"strategy": "one_for_one", "intensity": 3},
                                                          [sp("a"), sp("b"), sp("c")]))
    w = supervisor.which_children(sup)
    assert [(i, type(p) is Pid or p) for i, p, _, _ in w] == [("c", True), ("b", "undefined"), ("a", True)]
    assert w[0][2:] == ("worker", ["sup1"])
    assert supervisor.count_children(sup) == [("specs", 3), ("active", 2), ("supervisors", 0), ("workers", 3)]
    pa = kid(sup, "a")
    # start dup running: {error,{already_started,<0.80.0>}}   start dup undefined: {error,already_present}
    assert supervisor.start_child(sup, sp("a")) == ("error", ("already_started", pa))
    assert supervisor.start_child(sup, sp("b")) == ("error", "already_present")
    # start bad spec: {error,{invalid_restart_type,sometimes}}  bad spec2: {error,missing_id}
    # bad spec3: {error,{invalid_child_spec,{x,y}}}
    assert supervisor.start_child(sup, {"id": "x", "start": (sup1, "w", ["x"]), "restart": "sometimes"}) == \
        ("error", ("invalid_restart_type", "sometimes"))
    assert supervisor.start_child(sup, {"start": (sup1, "w", ["x"])}) == ("error", "missing_id")
    assert supervisor.start_child(sup, ("x", "y")) == ("error", ("invalid_child_spec", ("x", "y")))
    # start error: {error,{nope,{child,undefined,d,{sup1,w,[d]},permanent,false,100,worker,[sup1]}}}
    # start exit: {error,{{'EXIT',myexit},{child,...}}}  start weird: {error,{weird,{child,...}}}
    # start already_started: {error,{{already_started,<0.80.0>},{child,...}}}  (wrapped, unlike a dup id)
    # start crash: {error,{{'EXIT',{badarith,[...]}},{child,...}}}
    for mode, what in [(("error", "nope"), "nope"), ("exitx", ("EXIT", "myexit")), ("weird", "weird"),
                       (("error", ("already_started", pa)), ("already_started", pa))]:
        MODE["d"] = mode
        assert supervisor.start_child(sup, sp("d")) == ("error", (what, rec("d", mode)))
    MODE["d"] = "crash"
    r = supervisor.start_child(sup, sp("d"))
    assert r[0] == "error" and r[1][0][0] == "EXIT" and r[1][0][1][0] == "badarith"
    assert r[1][1] == rec("d", "crash")
    # start ignore: {ok,undefined}, and d is kept: which after ignore: [{d,undefined,worker,[sup1]},...]
    MODE["d"] = "ignore"
    assert supervisor.start_child(sup, sp("d")) == ("ok", "undefined")
    assert supervisor.which_children(sup)[0] == ("d", "undefined", "worker", ["sup1"])
    # start ignore temp: {ok,undefined} (not kept)   start info temp: {ok,<0.82.0>,extra}
    MODE["e"] = "ignore"
    assert supervisor.start_child(sup, sp("e", "temporary")) == ("ok", "undefined")
    MODE["e"] = "info"
    r = supervisor.start_child(sup, sp("e", "temporary"))
    assert r[0] == "ok" and type(r[1]) is Pid and r[2] == "extra"
    # getspec e: {ok,#{id => e,...,restart => temporary,...,start => {sup1,w,undefined},...}}
    # getspec a: {ok,#{id => a,modules => [sup1],restart => permanent,shutdown => 100,
    #                  significant => false,start => {sup1,w,[a]},type => worker}}
    # getspec pid: {error,not_found}   getspec nope: {error,not_found}
    assert supervisor.get_childspec(sup, "e")[1]["start"] == (sup1, "w", "undefined")
    assert supervisor.get_childspec(sup, "a") == ("ok", {
        "id": "a", "start": (sup1, "w", ["a"]), "restart": "permanent", "significant": False,
        "shutdown": 100, "type": "worker", "modules": ["sup1"]})
    assert supervisor.get_childspec(sup, pa) == ("error", "not_found")
    assert supervisor.get_childspec(sup, "nope") == ("error", "not_found")
    erlang.unlink(sup)
    erlang.exit(sup, "kill")


def test_terminate_restart_delete_child_errors():
    # sup1.erl: terminate nope / terminate pid -> {error,not_found}; terminate a, a again,
    # b (undefined), e (temporary) -> ok; restart c running -> {error,running};
    # restart nope -> {error,not_found}; delete c running -> {error,running}; delete nope -> not_found;
    # restart a error -> {error,again}; crash -> {error,{'EXIT',{badarith,...}}};
    # ignore -> {ok,undefined}; info -> {ok,<0.83.0>,extra}; delete a running -> {error,running};
    # delete a (after terminate) -> ok; delete a again -> {error,not_found}
    MODE.update(b="ignore")
    _, sup = supervisor.start_link(sup1, ({"strategy": "one_for_one"},
                                          [sp("a"), sp("b"), sp("c"), sp("e", "temporary")]))
    pa = kid(sup, "a")
    assert supervisor.terminate_child(sup, "nope") == ("error", "not_found")
    assert supervisor.terminate_child(sup, pa) == ("error", "not_found")
    for i in ["a", "a", "b", "e"]:
        assert supervisor.terminate_child(sup, i) == "ok"
    assert [c[:2] for c in supervisor.which_children(sup)] == [
        ("c", kid(sup, "c")), ("b", "undefined"), ("a", "undefined")]
    assert supervisor.restart_child(sup, "c") == ("error", "running")
    assert supervisor.restart_child(sup, "nope") == ("error", "not_found")
    assert supervisor.delete_child(sup, "c") == ("error", "running")
    assert supervisor.delete_child(sup, "nope") == ("error", "not_found")
    MODE["a"] = ("error", "again")
    assert supervisor.restart_child(sup, "a") == ("error", "again")
    MODE["a"] = "crash"
    r = supervisor.restart_child(sup, "a")
    assert r[0] == "error" and r[1][0] == "EXIT" and r[1][1][0] == "badarith"
    MODE["a"] = "ignore"
    assert supervisor.restart_child(sup, "a") == ("ok", "undefined")
    MODE["a"] = "info"
    r = supervisor.restart_child(sup, "a")
    assert r[0] == "ok" and r[2] == "extra"
    assert supervisor.delete_child(sup, "a") == ("error", "running")
    supervisor.terminate_child(sup, "a")
    assert supervisor.delete_child(sup, "a") == "ok"
    assert supervisor.delete_child(sup, "a") == ("error", "not_found")
    assert supervisor.count_children(sup) == [("specs", 2), ("active", 1), ("supervisors", 0), ("workers", 2)]
    # sup1.erl: a permanent child whose restart returns ignore stays, pid undefined:
    #   which after c restart ignore: [...,{c,undefined,worker,[sup1]},...]  (one child_terminated report)
    MODE["c"] = "ignore"
    erlang.send(kid(sup, "c"), ("die", "boom"))
    timer.sleep(20)
    assert supervisor.which_children(sup)[0] == ("c", "undefined", "worker", ["sup1"])
    assert sup.alive
    erlang.unlink(sup)
    erlang.exit(sup, "kill")


def test_child_being_restarted_shows_restarting(_fresh):
    # sup1.erl: f crashes, its restart returns {error,later}; calls queued before the retry see:
    #   restarting 1: [{f,restarting,worker,[sup1]},...]
    #   restarting 2: [{specs,4},{active,0},{supervisors,0},{workers,4}]   (here: 2 specs)
    #   restarting 3: {error,restarting}  (restart_child)   restarting 4: {error,restarting} (delete_child)
    #   restarting 5: ok (terminate_child)   restarting 6: [{f,undefined,worker,[sup1]},...]
    # and the start_error report names the old pid:  offender: [{pid,<0.84.0>},{id,f},...]
    me = erlang.self()
    MODE.update(b="ignore")
    _, sup = supervisor.start_link(("local", "s1"), sup1, ({"strategy": "one_for_one", "intensity": 3},
                                                          [sp("b"), sp("f")]))
    old = kid(sup, "f")
    MODE["f"] = ("gate", me, ("error", "later"))
    erlang.send(old, ("die", "boom"))
    g = erlang.receive(("gated", ANY))[1]
    reqs = [gen_server.send_request(sup, r) for r in ["which_children", "count_children", ("restart_child", "f"),
                                                      ("delete_child", "f"), ("terminate_child", "f"),
                                                      "which_children"]]
    MODE["f"] = "ok"
    erlang.send(g, "go")
    got = [gen_server.wait_response(r)[1] for r in reqs]
    assert got == [[("f", "restarting", "worker", ["sup1"]), ("b", "undefined", "worker", ["sup1"])],
                   [("specs", 2), ("active", 0), ("supervisors", 0), ("workers", 2)],
                   ("error", "restarting"), ("error", "restarting"), "ok",
                   [("f", "undefined", "worker", ["sup1"]), ("b", "undefined", "worker", ["sup1"])]]
    timer.sleep(20)
    assert supervisor.which_children(sup)[0] == ("f", "undefined", "worker", ["sup1"])
    reps = sup_reports(_fresh)
    assert [(c, r) for c, r, _ in reps] == [("child_terminated", "boom"), ("start_error", "later")]
    assert reps[1][2]["pid"] is old and reps[1][2]["id"] == "f"
    erlang.unlink(sup)
    erlang.exit(sup, "kill")


def test_one_for_all_failed_restart_then_retry(_fresh):
    # sup2.erl (one_for_all x,y,z; x crashes, y's restart fails once):
    #   one_for_all failed restart which: [{z,undefined,..},{y,restarting,..},{x,<0.114.0>,..}]
    #   start_error report: offender [{pid,undefined},{id,y},...]
    #   one_for_all after retry: [{z,<0.117.0>,..},{y,<0.116.0>,..},{x,<0.115.0>,..}]  (x restarted again)
    me = erlang.self()
    MODE["y"] = "ok"
    _, s5 = supervisor.start_link(("local", "s5"), sup1, ({"strategy": "one_for_all", "intensity": 5}, [
        {"id": "x", "start": (sup1, "w", ["x", "ok"])}, {"id": "y", "start": (sup1, "w", ["y"])},
        {"id": "z", "start": (sup1, "w", ["z", "ok"])}]))
    MODE["y"] = ("gate", me, ("error", "later"))
    erlang.send(kid(s5, "x"), ("die", "boom"))
    g = erlang.receive(("gated", ANY))[1]
    r = gen_server.send_request(s5, "which_children")
    MODE["y"] = "ok"
    erlang.send(g, "go")
    w = gen_server.wait_response(r)[1]
    assert [(i, p if type(p) is str else "pid") for i, p, _, _ in w] == \
        [("z", "undefined"), ("y", "restarting"), ("x", "pid")]
    timer.sleep(10)
    w2 = supervisor.which_children(s5)
    assert all(type(p) is Pid for _, p, _, _ in w2) and w2[2][1] is not w[2][1]
    reps = sup_reports(_fresh)
    assert [(c, r) for c, r, _ in reps] == [("child_terminated", "boom"), ("start_error", "later")]
    assert reps[1][2]["pid"] == "undefined" and reps[1][2]["id"] == "y"
    erlang.unlink(s5)
    erlang.exit(s5, "kill")


def test_simple_one_for_one_shapes_and_errors():
    # sup2.erl, template tmpl transient shutdown 100:
    #   s1 which empty: []   s1 count empty: [{specs,1},{active,0},{supervisors,0},{workers,0}]
    #   s1 start ignore: {ok,undefined}   s1 start error: {error,bad}
    #   s1 start badarity: {error,{'EXIT',{undef,[{sup2,w,[k,ok,extra],[]},...]}}}
    #   s1 start spec (a map, not a list): {error,{'EXIT',{badarg,[{erlang,apply,[sup2,w,[k|#{...}]],..}]}}}
    #   s1 which raw: [{undefined,<0.80.0>,worker,[sup2]},{undefined,<0.81.0>,worker,[sup2]}]  (oldest first)
    #   s1 count: [{specs,1},{active,2},{supervisors,0},{workers,2}]
    #   s1 getspec pid / id: {ok,#{id => tmpl,...}}
    #   s1 terminate id / restart id / restart pid / delete id / delete pid: {error,simple_one_for_one}
    #   s1 terminate pid: ok   again: ok   s1 terminate self pid: {error,not_found}
    #   s1 which after normal exit: []
    spec = {"id": "tmpl", "start": (sup1, "w", ["k"]), "restart": "transient", "shutdown": 100}
    _, sup = supervisor.start_link(sup1, ({"strategy": "simple_one_for_one", "intensity": 10}, [spec]))
    assert supervisor.which_children(sup) == []
    assert supervisor.count_children(sup) == [("specs", 1), ("active", 0), ("supervisors", 0), ("workers", 0)]
    _, p1 = supervisor.start_child(sup, ["ok"])
    assert supervisor.start_child(sup, ["ignore"]) == ("ok", "undefined")
    assert supervisor.start_child(sup, [("error", "bad")]) == ("error", "bad")
    assert supervisor.start_child(sup, ["ok", "extra", "x"]) == \
        ("error", ("EXIT", ("undef", [("sup1", "w", ["k", "ok", "extra", "x"], [])])))
    r = supervisor.start_child(sup, spec)
    assert r[0] == "error" and r[1][0] == "EXIT" and r[1][1][0] == "badarg"
    _, p2 = supervisor.start_child(sup, ["ok"])
    assert supervisor.which_children(sup) == [("undefined", p1, "worker", ["sup1"]),
                                              ("undefined", p2, "worker", ["sup1"])]
    assert supervisor.count_children(sup) == [("specs", 1), ("active", 2), ("supervisors", 0), ("workers", 2)]
    want = ("ok", {"id": "tmpl", "start": (sup1, "w", ["k"]), "restart": "transient", "significant": False,
                   "shutdown": 100, "type": "worker", "modules": ["sup1"]})
    assert supervisor.get_childspec(sup, p1) == want == supervisor.get_childspec(sup, "tmpl")
    assert supervisor.terminate_child(sup, "tmpl") == ("error", "simple_one_for_one")
    for f in (supervisor.restart_child, supervisor.delete_child):
        assert f(sup, "tmpl") == f(sup, p1) == ("error", "simple_one_for_one")
    assert supervisor.terminate_child(sup, p1) == "ok"
    assert supervisor.terminate_child(sup, p1) == "ok"
    assert supervisor.terminate_child(sup, erlang.self()) == ("error", "not_found")
    erlang.send(p2, ("die", "normal"))
    timer.sleep(10)
    assert supervisor.which_children(sup) == []
    erlang.unlink(sup)
    erlang.exit(sup, "kill")


@pytest.mark.parametrize("strategy", ["one_for_one", "one_for_all", "rest_for_one"])
def test_each_restart_counts_once_whatever_the_strategy(strategy, _fresh):
    # sup2.erl, intensity 1, children a,b,c; crash a, then crash a again:
    #   one_for_one / one_for_all / rest_for_one after 1 crash, after 2: {true,[c,b,a],false,shutdown}
    # reports: child_terminated, child_terminated, then errorContext shutdown /
    #   reason reached_max_restart_intensity naming the second crashed pid
    erlang.process_flag("trap_exit", True)
    specs = [{"id": i, "start": (sup1, "w", [i, "ok"])} for i in "abc"]
    _, s = supervisor.start_link(sup1, ({"strategy": strategy, "intensity": 1, "period": 5}, specs))
    erlang.send(kid(s, "a"), ("die", "boom"))
    timer.sleep(10)
    assert s.alive and [c[0] for c in supervisor.which_children(s) if type(c[1]) is Pid] == ["c", "b", "a"]
    second = kid(s, "a")
    erlang.send(second, ("die", "boom"))
    timer.sleep(10)
    assert not s.alive and erlang.receive(("EXIT", s, ANY), timeout=0)[2] == "shutdown"
    reps = sup_reports(_fresh)
    assert [(c, r) for c, r, _ in reps] == [("child_terminated", "boom"), ("child_terminated", "boom"),
                                            ("shutdown", "reached_max_restart_intensity")]
    assert reps[2][2]["pid"] is second and reps[2][2]["shutdown"] == 5000
    assert_empty_mailbox()


def test_intensity_zero_gives_up_at_first_crash():
    # sup2.erl: intensity 0: {false,shutdown}
    erlang.process_flag("trap_exit", True)
    _, s = supervisor.start_link(sup1, ({"strategy": "one_for_one", "intensity": 0},
                                        [{"id": "a", "start": (sup1, "w", ["a", "ok"])}]))
    erlang.send(kid(s, "a"), ("die", "boom"))
    timer.sleep(10)
    assert (s.alive, erlang.receive(("EXIT", s, ANY), timeout=0)[2]) == (False, "shutdown")


def test_shutdown_of_slow_or_misbehaving_children(_fresh):
    # sup2.erl under {local,s4}: terminate slow -> ok after >= 100 ms, report
    #   errorContext: shutdown_error  reason: killed  offender: [{pid,..},{id,slow},...,{shutdown,100},..]
    # terminate other (exits other_reason on shutdown) -> ok, shutdown_error reason other_reason;
    # othertr (transient) the same; terminate brutal (brutal_kill, traps) -> ok, no report
    _, s4 = supervisor.start_link(("local", "s4"), sup1, ({"strategy": "one_for_one"}, [
        {"id": "slow", "start": (sup1, "w", ["slow", "slow"]), "shutdown": 100},
        {"id": "other", "start": (sup1, "w", ["other", "other"]), "shutdown": 100},
        {"id": "othertr", "start": (sup1, "w", ["other", "other"]), "shutdown": 100, "restart": "transient"},
        {"id": "brutal", "start": (sup1, "w", ["slow", "slow"]), "shutdown": "brutal_kill"}]))
    slow = kid(s4, "slow")
    t0 = erlang.monotonic_time("millisecond")
    assert supervisor.terminate_child(s4, "slow") == "ok"
    assert erlang.monotonic_time("millisecond") - t0 >= 100
    for i in ["other", "othertr", "brutal"]:
        assert supervisor.terminate_child(s4, i) == "ok"
    assert [c[1] for c in supervisor.which_children(s4)] == ["undefined"] * 4
    reps = sup_reports(_fresh)
    assert [(c, r, o["id"]) for c, r, o in reps] == [("shutdown_error", "killed", "slow"),
                                                     ("shutdown_error", "other_reason", "other"),
                                                     ("shutdown_error", "other_reason", "othertr")]
    assert reps[0][2]["pid"] is slow
    text = [r for r in _fresh if r.get("kind") == "supervisor_report"][0]["text"]
    assert text[:3] == ["    supervisor: ('local', 's4')", "    errorContext: shutdown_error",
                        "    reason: 'killed'"]
    assert text[3].startswith("    offender: [('pid', <") and text[4] == "               ('id', 'slow'),"
    erlang.unlink(s4)
    erlang.exit(s4, "kill")


def test_init_failures_and_check_childspecs(_fresh):
    # sup2.erl: init start fails: {error,{shutdown,{failed_to_start_child,b,nope}}}
    #   (+ start_error report, offender [{pid,undefined},{id,b},...])
    # init start ignore (only a temporary child returning ignore): {ok,<0.120.0>}
    erlang.process_flag("trap_exit", True)
    assert supervisor.start_link(sup1, ({}, [{"id": "a", "start": (sup1, "w", ["a", "ok"])},
                                             {"id": "b", "start": (sup1, "w", ["b", ("error", "nope")])}])) == \
        ("error", ("shutdown", ("failed_to_start_child", "b", "nope")))
    assert [(c, r, o["pid"]) for c, r, o in sup_reports(_fresh)] == [("start_error", "nope", "undefined")]
    r = supervisor.start_link(sup1, ({}, [{"id": "a", "start": (sup1, "w", ["a", "ignore"]),
                                           "restart": "temporary"}]))
    assert r[0] == "ok" and supervisor.which_children(r[1]) == []
    cc = supervisor.check_childspecs
    s = {"id": "a", "start": ("m", "f", [])}
    assert cc([s]) == "ok"
    assert cc([s, s]) == ("error", ("duplicate_child_name", "a"))
    assert cc([dict(s, shutdown=-1)]) == ("error", ("invalid_shutdown", -1))
    assert cc([dict(s, type="boss")]) == ("error", ("invalid_child_type", "boss"))
    assert cc([{"id": "a", "start": ("m", "f")}]) == ("error", ("invalid_mfa", ("m", "f")))
    assert cc([dict(s, modules="m")]) == ("error", ("invalid_modules", "m"))
    assert cc([("a", ("m", "f", []), "permanent", 5000, "worker", ["m"])]) == "ok"
    assert cc("notalist") == ("error", ("badarg", "notalist"))
    assert cc([{"id": "a"}]) == ("error", "missing_start")
    sig = dict(s, significant=True, restart="transient")
    assert cc([sig]) == "ok" and cc([sig], "any_significant") == "ok"
    assert cc([dict(s, significant=True)], "any_significant") == \
        ("error", ("bad_combination", [("restart", "permanent"), ("significant", True)]))
    assert cc([dict(s, foo="bar")]) == "ok"
    # getspec default: worker shutdown 5000, supervisor shutdown infinity;
    #   count [{specs,2},{active,2},{supervisors,1},{workers,1}]
    _, s6 = supervisor.start_link(sup1, ({}, [{"id": "a", "start": (sup1, "w", ["a", "ok"])},
                                              {"id": "s", "start": (sup1, "w", ["a", "ok"]), "type": "supervisor"}]))
    assert supervisor.get_childspec(s6, "a")[1]["shutdown"] == 5000
    assert supervisor.get_childspec(s6, "s")[1]["shutdown"] == "infinity"
    assert supervisor.count_children(s6) == [("specs", 2), ("active", 2), ("supervisors", 1), ("workers", 1)]
    erlang.exit(s6, "kill")
    erlang.receive(("EXIT", ANY, ANY), timeout=0)
    erlang.receive(("EXIT", ANY, ANY), timeout=0)


def test_sys_get_state_and_get_status():
    # sys1.erl, OTP 25:
    #   sup get_state: {state,{local,sup},one_for_one,{[a],#{a => {child,<0.81.0>,a,{sup1,w,[a]},
    #       permanent,false,5000,worker,[sup1]}}},undefined,2,7,[],0,never,sup1,{Flags,Specs}}
    #   sup get_status: [[{'$initial_call',{supervisor,sup1,1}},{'$ancestors',[<0.9.0>]}], running, ...,
    #       [{header,"Status for generic server sup"},{data,[{"Status",running},{"Parent",<0.9.0>},
    #        {"Logged events",[]}]},{data,[{"State",State}]},{supervisor,[{"Callback",sup1}]}]]
    #   sofo get_state: {state,{<0.82.0>,sup1},simple_one_for_one,...,{maps,#{<0.83.0> => [a]}},1,5,...}
    from otp_lite import sys as osys
    me = erlang.self()
    flags = {"strategy": "one_for_one", "intensity": 2, "period": 7}
    specs = [{"id": "a", "start": (sup1, "w", ["a"])}]
    _, s = supervisor.start_link(("local", "sup"), sup1, (flags, specs))
    st = osys.get_state(s)
    flat = " ".join(repr(st).split())
    assert flat.startswith("('state', ('local', 'sup'), 'one_for_one', (['a'], {'a': ('child', <")
    assert "'undefined', 2, 7, [], 0, 'never', sup1," in flat
    status = osys.get_status(s)
    pdict, _, parent, _, items = status[3]
    assert pdict[0] == ("$initial_call", ("supervisor", "sup1", 1)) and parent is me
    assert items[0] == ("header", "Status for generic server sup")
    assert items[1] == ("data", [("Status", "running"), ("Parent", me), ("Logged events", [])])
    assert items[2] == ("data", [("State", st)]) and items[3] == ("supervisor", [("Callback", "sup1")])
    _, s2 = supervisor.start_link(sup1, ({"strategy": "simple_one_for_one"},
                                         [{"id": "t", "start": (sup1, "w", [])}]))
    _, c = supervisor.start_child(s2, ["a"])
    assert f"('maps', {{{c!r}: ['a']}}), 1, 5, [], 0, 'never'" in " ".join(repr(osys.get_state(s2)).split())
    for p in (s, s2):
        erlang.unlink(p)
        erlang.exit(p, "kill")


def test_simple_one_for_one_shutdown_errors_grouped_by_reason(_fresh):
    # sup3.erl: four children (two trap and hang, one exits other_reason, one plain), shutdown 50,
    # supervisor stopped: sup exit: shutdown, then one report per reason, in term order:
    #   errorContext: shutdown_error  reason: killed        offender: [{nb_children,2},{id,t},...]
    #   errorContext: shutdown_error  reason: other_reason  offender: [{nb_children,1},{id,t},...]
    erlang.process_flag("trap_exit", True)
    _, s = supervisor.start_link(("local", "ss"), sup1, ({"strategy": "simple_one_for_one"},
                                                        [{"id": "t", "start": (sup1, "w", []), "shutdown": 50}]))
    for m in ["slow", "slow", "other", "ok"]:
        supervisor.start_child(s, ["k", m])
    erlang.exit(s, "shutdown")
    assert erlang.receive(("EXIT", s, ANY))[2] == "shutdown"
    assert [(c, r, o["nb_children"], o["id"]) for c, r, o in sup_reports(_fresh)] == [
        ("shutdown_error", "killed", 2, "t"), ("shutdown_error", "other_reason", 1, "t")]
    assert_empty_mailbox()


def test_simple_one_for_one_restart_returning_ignore_or_error():
    # sup3.erl: a child's restart returns ignore: OTP 25 keeps an 'undefined' entry:
    #   sofo after restart ignore: {[{undefined,undefined,worker,[sup1]}],
    #                               [{specs,1},{active,1},{supervisors,0},{workers,1}]}
    # another child's restart fails once (calls queued before the retry):
    #   sofo restarting which: [{undefined,undefined,worker,[sup1]},{undefined,restarting,worker,[sup1]}]
    #   sofo restarting count: [{specs,1},{active,1},{supervisors,0},{workers,2}]
    #   sofo terminate restarting pid: ok     sofo after: [{undefined,undefined,worker,[sup1]}]
    me = erlang.self()
    _, s2 = supervisor.start_link(("local", "ss2"), sup1, ({"strategy": "simple_one_for_one", "intensity": 5},
                                                          [{"id": "t", "start": (sup1, "w", [])}]))
    _, c1 = supervisor.start_child(s2, ["x"])
    MODE["x"] = "ignore"
    erlang.send(c1, ("die", "boom"))
    timer.sleep(20)
    assert supervisor.which_children(s2) == [("undefined", "undefined", "worker", ["sup1"])]
    assert supervisor.count_children(s2) == [("specs", 1), ("active", 1), ("supervisors", 0), ("workers", 1)]
    MODE["x"] = "ok"
    _, c2 = supervisor.start_child(s2, ["x"])
    MODE["x"] = ("gate", me, ("error", "later"))
    erlang.send(c2, ("die", "boom"))
    g = erlang.receive(("gated", ANY))[1]
    reqs = [gen_server.send_request(s2, r) for r in ["which_children", "count_children", ("terminate_child", c2)]]
    MODE["x"] = "ok"
    erlang.send(g, "go")
    assert [gen_server.wait_response(r)[1] for r in reqs] == [
        [("undefined", "undefined", "worker", ["sup1"]), ("undefined", "restarting", "worker", ["sup1"])],
        [("specs", 1), ("active", 1), ("supervisors", 0), ("workers", 2)], "ok"]
    timer.sleep(20)
    assert supervisor.which_children(s2) == [("undefined", "undefined", "worker", ["sup1"])]
    erlang.unlink(s2)
    erlang.exit(s2, "kill")
