"""application corner cases checked against real OTP 25 (probes tests/oracle_probes/app*.erl).

Run: ``erlc app1.erl app2.erl && erl -noshell -pa . -eval 'app1:run()' -s init stop``
(``app2:run()`` ends with the node going down).  Resources are loaded as
``{application, Name, [...]}`` terms, so no ``.app`` files are needed.
"""
import pytest

from otp_lite import application as A, erlang, gen_server, logger, supervisor, timer

CALLS = []


class app1:
    @staticmethod
    def start(typ, mode):
        if mode == "ok":
            return supervisor.start_link(app1, "sup")
        if mode == "st":
            return supervisor.start_link(app1, "sup") + ("mystate",)
        if mode == "crash":
            return 1 / 0
        return mode

    @staticmethod
    def start_phase(phase, typ, a):
        CALLS.append(("start_phase", phase, typ, a))
        if a == "crash":
            erlang.exit("phasecrash")
        return ("error", "nope") if a == "fail" else "weird" if a == "weird" else "ok"

    @staticmethod
    def prep_stop(s):
        CALLS.append(("prep_stop", s))
        return s

    @staticmethod
    def stop(s):
        CALLS.append(("stop", s))
        return "ok"

    @staticmethod
    def init(a):
        return ("ok", ({}, []))


def res(name, mode, extra=()):
    return ("application", name, [("description", name + " app"), ("vsn", "1.0"), ("modules", ["app1"]),
                                  ("registered", []), ("applications", ["kernel", "stdlib"]),
                                  ("env", [("k1", "v1"), ("k2", "v2")]), ("mod", (app1, mode))] + list(extra))


@pytest.fixture(autouse=True)
def reps():
    CALLS.clear()
    with logger.capture() as r:
        yield r


def kinds(reps):
    return [(r["kind"], r["data"].get("application")) for r in reps if r["kind"] in ("crash_report", "info_report")]


def names():
    return [a[0] for a in A.which_applications()]


def test_load_start_stop_return_values(reps):
    # app1.erl:
    #   which0: [{stdlib,"ERTS  CXC 138 10","4.2"},{kernel,"ERTS  CXC 138 10","8.5.3"}]
    #   start unknown: {error,{"no such file or directory","nosuch.app"}}
    #   stop unknown: {error,{not_started,nosuch}}   unload unknown: {error,{not_loaded,nosuch}}
    #   load again: {error,{already_loaded,{application,x1,[...]}}}   (the resource, as given)
    #   load by name again (app2.erl): {error,{already_loaded,z1}}
    #   start x1 again: {error,{already_started,x1}}   unload running: {error,{running,x1}}
    #   which: [{x1,"x1 app","1.0"},{stdlib,...},{kernel,...}]   stop x1: ok (prep_stop [], stop [])
    #   INFO REPORT  application: x1 / exited: stopped / type: temporary
    #   stop x1 again: {error,{not_started,x1}}   start bad type: {error,{invalid_restart_type,sometimes}}
    assert A.which_applications() == [("stdlib", "ERTS  CXC 138 10", "4.2"), ("kernel", "ERTS  CXC 138 10", "8.5.3")]
    assert A.start("nosuch") == ("error", ("no such file or directory", "nosuch.app"))
    assert A.stop("nosuch") == ("error", ("not_started", "nosuch"))
    assert A.unload("nosuch") == ("error", ("not_loaded", "nosuch"))
    r = res("x1", "ok")
    assert A.load(r) == "ok"
    assert A.load(r) == ("error", ("already_loaded", r))
    assert A.load("x1") == ("error", ("already_loaded", "x1"))
    assert A.start("x1") == "ok"
    assert A.start("x1") == ("error", ("already_started", "x1"))
    assert A.unload("x1") == ("error", ("running", "x1"))
    assert A.which_applications()[0] == ("x1", "x1 app", "1.0")
    assert A.stop("x1") == "ok"
    assert CALLS == [("prep_stop", []), ("stop", [])]
    assert [r["text"] for r in reps if r["kind"] == "info_report"] == [
        ["    application: x1", "    exited: 'stopped'", "    type: temporary"]]
    assert A.stop("x1") == ("error", ("not_started", "x1"))
    assert A.start("x1", "sometimes") == ("error", ("invalid_restart_type", "sometimes"))
    # start x2 (state): ok; stop x2 -> prep_stop mystate, stop mystate
    CALLS.clear()
    A.load(res("x2", "st"))
    assert A.start("x2") == "ok" and A.stop("x2") == "ok"
    assert CALLS == [("prep_stop", "mystate"), ("stop", "mystate")]


def test_env_functions():
    # app1.erl: get_env: {ok,v1}  missing: undefined  get_env 3: dflt  unloaded: undefined
    #   get_all_env unloaded: []   set_env / unset_env / unset_env missing: ok
    #   get_all_env after unset: [{k2,v2},{k3,v3}]   (OTP's order is ets hash order; here insertion order)
    #   set_env unloaded: ok, get_env unloaded after set: {ok,before}
    #   app2.erl: set_env(z1,other,1), set_env(z1,k,before), load z1 with env [{k,fromapp}]:
    #     env after load: [{k,fromapp},{other,1}]   (the .app env wins, other keys stay)
    A.load(res("x1", "ok"))
    assert A.get_env("x1", "k1") == ("ok", "v1")
    assert A.get_env("x1", "nokey") == "undefined"
    assert A.get_env("x1", "nokey", "dflt") == "dflt"
    assert A.get_env("nosuch", "k1") == "undefined"
    assert A.get_all_env("nosuch") == []
    assert A.set_env("x1", "k3", "v3") == "ok"
    assert A.unset_env("x1", "k1") == "ok" and A.unset_env("x1", "nokey") == "ok"
    assert sorted(A.get_all_env("x1")) == [("k2", "v2"), ("k3", "v3")]
    assert A.set_env("z1", "other", 1) == "ok" and A.set_env("z1", "k", "before") == "ok"
    assert A.get_env("z1", "k") == ("ok", "before")
    A.load(("application", "z1", [("env", [("k", "fromapp")])]))
    assert sorted(A.get_all_env("z1")) == [("k", "fromapp"), ("other", 1)]
    # get_key vsn: {ok,"1.0"}  bad: undefined  unloaded: undefined
    # get_all_key: {ok,[{description,[]},{id,[]},{vsn,[]},{modules,[]},{maxP,infinity},{maxT,infinity},
    #   {registered,[]},{included_applications,[]},{optional_applications,[]},{applications,[]},
    #   {env,[...]},{mod,[]},{start_phases,undefined}]}
    assert A.get_key("x1", "vsn") == ("ok", "1.0")
    assert A.get_key("x1", "nokey") == "undefined" and A.get_key("nosuch", "vsn") == "undefined"
    keys = A.get_all_key("z1")[1]
    assert [k for k, _ in keys] == ["description", "id", "vsn", "modules", "maxP", "maxT", "registered",
                                    "included_applications", "optional_applications", "applications", "env",
                                    "mod", "start_phases"]
    assert dict(keys)["optional_applications"] == [] and dict(keys)["start_phases"] == "undefined"


def test_start_failures_crash_report_then_info(reps):
    # app1.erl: start error: {error,{bad,{app1,start,[normal,{error,bad}]}}}
    #   start crash: {error,{bad_return,{{app1,start,[normal,crash]},{'EXIT',{badarith,[...]}}}}}
    #   start weird: {error,{bad_return,{{app1,start,[normal,weird]},weird}}}
    #   start ignore: {error,{bad_return,{{app1,start,[normal,ignore]},ignore}}}
    # each: a CRASH REPORT of the master (initial call: application_master:init/4,
    #   exception exit: <reason>), then the INFO REPORT application / exited: <reason> / type: temporary
    A.load(res("x3", ("error", "bad")))
    assert A.start("x3") == ("error", ("bad", ("app1", "start", ["normal", ("error", "bad")])))
    for n, m in [("x5", "weird"), ("x6", "ignore")]:
        A.load(res(n, m))
        assert A.start(n) == ("error", ("bad_return", (("app1", "start", ["normal", m]), m)))
    A.load(res("x4", "crash"))
    r = A.start("x4")
    assert r[1][0] == "bad_return" and r[1][1][0] == ("app1", "start", ["normal", "crash"])
    assert r[1][1][1][0] == "EXIT" and r[1][1][1][1][0] == "badarith"
    assert kinds(reps) == [("crash_report", None), ("info_report", "x3"), ("crash_report", None),
                           ("info_report", "x5"), ("crash_report", None), ("info_report", "x6"),
                           ("crash_report", None), ("info_report", "x4")]
    crash = [r for r in reps if r["kind"] == "crash_report"][0]["text"]
    assert "    initial call: application_master:init/4" in crash
    assert names() == ["stdlib", "kernel"]


def test_dependencies_and_ensure_all_started():
    # app1.erl: start missing dep: {error,{not_started,x7}}
    #   ensure_all_started needy: {ok,[x7,needy]}   again: {ok,[]}   ensure_started needy: ok
    #   ensure_all_started missing dep: {error,{nosuchdep,{"no such file or directory","nosuchdep.app"}}}
    #   ensure_all_started chain (chain needs c1,c2; both need c3): {ok,[c3,c1,c2,chain]}
    #   which chain: [{chain,[],[]},{c2,[],[]},{c1,[],[]},{c3,[],[]},{needy,[],[]},{x7,"x7 app","1.0"},...]
    #   ensure_all_started failing dep: {error,{c4,{c4fail,{app1,start,[normal,{error,c4fail}]}}}}
    A.load(("application", "needy", [("applications", ["kernel", "stdlib", "x7"]), ("mod", (app1, "ok"))]))
    assert A.start("needy") == ("error", ("not_started", "x7"))
    A.load(res("x7", "ok"))
    assert A.ensure_all_started("needy") == ("ok", ["x7", "needy"])
    assert A.ensure_all_started("needy") == ("ok", [])
    assert A.ensure_started("needy") == "ok"
    A.load(("application", "needy2", [("applications", ["kernel", "nosuchdep"]), ("mod", (app1, "ok"))]))
    assert A.ensure_all_started("needy2") == \
        ("error", ("nosuchdep", ("no such file or directory", "nosuchdep.app")))
    A.load(("application", "chain", [("applications", ["kernel", "stdlib", "c1", "c2"]), ("mod", (app1, "ok"))]))
    A.load(("application", "c1", [("applications", ["c3"]), ("mod", (app1, "ok"))]))
    A.load(("application", "c2", [("applications", ["c3"])]))
    A.load(("application", "c3", [("mod", (app1, "ok"))]))
    assert A.ensure_all_started("chain") == ("ok", ["c3", "c1", "c2", "chain"])
    assert A.which_applications()[:6] == [("chain", "", ""), ("c2", "", ""), ("c1", "", ""), ("c3", "", ""),
                                          ("needy", "", ""), ("x7", "x7 app", "1.0")]
    A.load(("application", "bad", [("applications", ["kernel", "c4"]), ("mod", (app1, "ok"))]))
    A.load(("application", "c4", [("mod", (app1, ("error", "c4fail")))]))
    assert A.ensure_all_started("bad") == \
        ("error", ("c4", ("c4fail", ("app1", "start", ["normal", ("error", "c4fail")]))))
    # app2.erl: optional_applications [nope] (also in applications): optional missing: ok
    #   get_key optional: {ok,[nope]}
    A.load(("application", "z4", [("mod", (app1, "ok")), ("optional_applications", ["nope"]),
                                  ("applications", ["kernel", "nope"])]))
    assert A.start("z4") == "ok"
    assert A.get_key("z4", "optional_applications") == ("ok", ["nope"])


def test_start_phases_in_order_and_their_failures():
    # app1.erl: start_phase first normal a1 / start_phase second normal a2 / start phases: ok
    #   phase {error,nope}: {error,{nope,{app1,start_phase,[second,normal,fail]}}}  (third never runs)
    # app2.erl: phase weird: {error,{bad_return_value,{{app2,start_phase,[a,normal,weird]},weird}}}
    #   phase crash: {error,{bad_return_value,{{app2,start_phase,[a,normal,crash]},{'EXIT',phasecrash}}}}
    A.load(res("ph", "ok", [("start_phases", [("first", "a1"), ("second", "a2")])]))
    assert A.start("ph") == "ok"
    assert CALLS == [("start_phase", "first", "normal", "a1"), ("start_phase", "second", "normal", "a2")]
    CALLS.clear()
    A.load(res("phf", "ok", [("start_phases", [("first", "a1"), ("second", "fail"), ("third", "a3")])]))
    assert A.start("phf") == ("error", ("nope", ("app1", "start_phase", ["second", "normal", "fail"])))
    assert [c[1] for c in CALLS] == ["first", "second"]
    for n, a, bad in [("phw", "weird", "weird"), ("phc", "crash", ("EXIT", "phasecrash"))]:
        A.load(res(n, "ok", [("start_phases", [("a", a)])]))
        assert A.start(n) == ("error", ("bad_return_value", (("app1", "start_phase", ["a", "normal", a]), bad)))
    assert names() == ["ph", "stdlib", "kernel"]


def top(app):
    return A.get_supervisor(app)[1]


def test_apps_whose_top_supervisor_dies(reps):
    # app2.erl: tmp (temporary) top killed: CRASH REPORT (master, exception exit: killed), then
    #   INFO REPORT application: tmp / exited: killed / type: temporary; the node runs on
    # tr (transient) top stops normal: INFO exited: normal, type: transient; no crash report
    # tr2 (transient) top killed: prep_stop + stop callbacks of tr2, CRASH REPORT, INFO report of tr2;
    #   the other applications get prep_stop + stop, but no "exited: stopped" report; then
    #   Kernel pid terminated (application_controller) ({application_terminated,tr2,killed})
    perm = ("application", "perm", [("mod", (app1, "st"))])
    for r, t in [(res("tmp", "ok"), "temporary"), (res("tr", "ok"), "transient"), (res("tr2", "ok"), "transient"),
                 (perm, "permanent")]:
        A.load(r)
        assert A.start(r[1], t) == "ok"
    erlang.exit(top("tmp"), "kill")
    timer.sleep(50)
    assert names() == ["perm", "tr2", "tr", "stdlib", "kernel"]
    gen_server.stop(top("tr"), "normal", "infinity")
    timer.sleep(50)
    assert names() == ["perm", "tr2", "stdlib", "kernel"]
    assert kinds(reps) == [("crash_report", None), ("info_report", "tmp"), ("info_report", "tr")]
    assert [r["data"]["exited"] for r in reps if r["kind"] == "info_report"] == ["killed", "normal"]
    CALLS.clear()
    erlang.exit(top("tr2"), "kill")
    timer.sleep(50)
    assert CALLS == [("prep_stop", []), ("stop", []), ("prep_stop", "mystate"), ("stop", "mystate")]
    assert kinds(reps)[3:] == [("crash_report", None), ("info_report", "tr2")]
    assert [r["text"] for r in reps if r["kind"] == "node_stopped"] == [
        ["Kernel pid terminated (application_controller) (('application_terminated', 'tr2', 'killed'))"]]
    assert A.node_status() == ("stopped", ("application_terminated", "tr2", "killed"))
    assert A.which_applications() == []


def test_stop_of_a_permanent_app_is_just_a_stop(reps):
    # app1.erl: start permanent: ok / prep_stop mystate / stop mystate / stop permanent: ok
    #   INFO REPORT application: perm / exited: stopped / type: permanent; the node runs on
    A.load(res("perm", "st"))
    assert A.start("perm", "permanent") == "ok"
    assert A.stop("perm") == "ok"
    assert CALLS == [("prep_stop", "mystate"), ("stop", "mystate")]
    assert [r["text"] for r in reps if r["kind"] == "info_report"] == [
        ["    application: perm", "    exited: 'stopped'", "    type: permanent"]]
    assert A.node_status() == "running" and names() == ["stdlib", "kernel"]
