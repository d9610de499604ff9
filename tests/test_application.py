"""application vs erlang_ref i1 (the ch9 bsc application) + start types, phases, env, config."""
import pytest

from otp_lite import application, erlang, gen_event, logger, runtime, supervisor, timer
from otp_lite.erlang import ANY
from examples.ch7 import frequency
from examples.ch8 import simple_phone_sup
from examples.ch9 import bsc


@pytest.fixture(autouse=True)
def _tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with logger.capture() as reps:
        yield reps


def exited(reps):
    return [(r["data"]["application"], r["data"]["exited"], r["data"]["type"])
            for r in reps if r["kind"] == "info_report"]


def test_i1_bsc_application(_tmp):
    application.load_config(bsc.CONFIG)
    assert application.load(bsc.APP) == "ok"
    assert application.start("bsc") == ("error", ("not_started", "sasl"))
    assert application.ensure_all_started("bsc") == ("ok", ["sasl", "bsc"])
    assert application.which_applications() == [
        ("bsc", "Base Station Controller", "1.0"), ("sasl", "SASL  CXC 138 11", "4.2"),
        ("stdlib", "ERTS  CXC 138 10", "4.2"), ("kernel", "ERTS  CXC 138 10", "8.5.3")]
    assert application.get_env("bsc", "frequencies") == ("ok", [1, 2, 3, 4, 5, 6])
    assert application.get_all_env("bsc") == [("frequencies", [1, 2, 3, 4, 5, 6])]
    assert application.get_application(erlang.whereis("frequency")) == ("ok", "bsc")
    assert application.get_application() == "undefined"
    assert [k[0] for k in supervisor.which_children("bsc")] == ["simple_phone_sup", "frequency", "freq_overload"]
    assert [h.__name__.rsplit(".", 1)[-1] for h in gen_event.which_handlers("freq_overload")] == \
        ["freq_logger", "freq_counters", "freq_logger", "freq_counters"]
    assert frequency.allocate() == ("ok", 10)
    assert simple_phone_sup.attach_phone(1)[0] == "ok"
    assert application.stop("bsc") == "ok"
    assert exited(_tmp) == [("bsc", "stopped", "temporary")]
    assert [a[0] for a in application.which_applications()] == ["sasl", "stdlib", "kernel"]
    assert erlang.whereis("frequency") == "undefined"
    # a temporary application whose top supervisor dies stops alone
    assert application.start("bsc") == "ok"
    erlang.exit(erlang.whereis("bsc"), "kill")
    timer.sleep(500)
    assert exited(_tmp)[-1] == ("bsc", "killed", "temporary")
    assert [a[0] for a in application.which_applications()] == ["sasl", "stdlib", "kernel"]
    assert application.node_status() == "running"
    # a permanent one takes the node down
    assert application.start("bsc", "permanent") == "ok"
    erlang.exit(erlang.whereis("bsc"), "kill")
    timer.sleep(500)
    why = ("application_terminated", "bsc", "killed")
    assert application.node_status() == ("stopped", why)
    assert application.which_applications() == []
    crit = [r for r in _tmp if r["kind"] == "node_stopped"]
    assert crit[0]["text"] == ["Kernel pid terminated (application_controller) "
                               "(('application_terminated', 'bsc', 'killed'))"]
    # OTP 25 (probe app2.erl): the other applications are stopped (prep_stop, stop) without
    # "exited: stopped" reports; only the dying one is reported
    assert exited(_tmp)[-1] == ("bsc", "killed", "permanent")
    assert ("sasl", "stopped", "temporary") not in exited(_tmp)
    assert application.start("sasl") == ("error", ("node_stopped", why))


class app_cb:
    """A small application callback with start phases and prep_stop."""
    calls = []

    @staticmethod
    def start(typ, args):
        app_cb.calls.append(("start", typ, args))
        return supervisor.start_link(app_cb, "sup")

    @staticmethod
    def init(arg):
        return ("ok", ({}, [{"id": "w", "start": (app_cb, "worker", [])}]))

    @staticmethod
    def worker():
        return ("ok", erlang.spawn_link(lambda: erlang.receive("never")))

    @staticmethod
    def start_phase(phase, typ, args):
        app_cb.calls.append((phase, typ, args))
        return "ok"

    @staticmethod
    def prep_stop(st):
        app_cb.calls.append(("prep_stop", st))
        return st

    @staticmethod
    def stop(st):
        app_cb.calls.append(("stop", st))


RES = {"name": "demo", "vsn": "0.1", "description": "demo", "mod": (app_cb, ["a"]),
       "env": [("k", 1)], "start_phases": [("init", []), ("admin", [1]), ("oper", [])],
       "registered": [], "applications": ["kernel", "stdlib"]}


def test_start_phases_env_keys_and_stop():
    app_cb.calls.clear()
    assert application.start(RES) == "ok"
    assert app_cb.calls == [("start", "normal", ["a"]), ("init", "normal", []), ("admin", "normal", [1]),
                            ("oper", "normal", [])]
    assert application.start("demo") == ("error", ("already_started", "demo"))
    assert application.get_key("demo", "vsn") == ("ok", "0.1")
    assert application.get_key("demo", "mod") == ("ok", (app_cb, ["a"]))
    assert application.get_key("demo", "nosuch") == "undefined"
    assert application.get_key("nosuch", "vsn") == "undefined"
    assert application.get_env("demo", "k") == ("ok", 1)
    assert application.get_env("demo", "x") == "undefined"
    assert application.get_env("demo", "x", 7) == 7
    assert application.set_env("demo", "x", 2) == "ok" and application.get_env("demo", "x") == ("ok", 2)
    application.set_env([("demo", [("y", 3)])])
    assert application.get_env("demo", "y") == ("ok", 3)
    assert application.unload("demo") == ("error", ("running", "demo"))
    assert application.stop("demo") == "ok"
    assert app_cb.calls[-2:] == [("prep_stop", []), ("stop", [])]
    assert application.stop("demo") == ("error", ("not_started", "demo"))
    assert application.unload("demo") == "ok"
    assert application.unload("demo") == ("error", ("not_loaded", "demo"))
    assert application.load(RES) == "ok" and application.load(RES) == ("error", ("already_loaded", RES))
    assert application.load("demo") == ("error", ("already_loaded", "demo"))   # app1.erl: as given


def test_start_errors(_tmp):
    class bad:
        start = staticmethod(lambda t, a: ("error", "boom"))

    class worse:
        start = staticmethod(lambda t, a: "what")
    assert application.start({"name": "b1", "mod": (bad, [])}) == ("error", ("boom", ("bad", "start", ["normal", []])))
    assert application.start({"name": "b2", "mod": (worse, [])}) == \
        ("error", ("bad_return", (("worse", "start", ["normal", []]), "what")))
    assert exited(_tmp)[0] == ("b1", ("boom", ("bad", "start", ["normal", []])), "temporary")
    assert application.start("nosuch") == ("error", ("no such file or directory", "nosuch.app"))
    assert application.ensure_all_started("nosuch") == ("error", ("nosuch", ("no such file or directory", "nosuch.app")))
    assert application.ensure_started("kernel") == "ok"
    # app1.erl "start bad type": {error,{invalid_restart_type,sometimes}}
    assert application.start("kernel", "forever") == ("error", ("invalid_restart_type", "forever"))


def test_transient_app_normal_exit_stays_local(_tmp):
    class t:
        @staticmethod
        def start(typ, a):
            return supervisor.start_link(t, [])

        @staticmethod
        def init(a):
            return ("ok", ({}, []))
    assert application.start({"name": "tr", "mod": (t, [])}, "transient") == "ok"
    sup = [p for p in erlang.processes() if application.get_application(p) == ("ok", "tr")
           and (p.label or "").startswith("supervisor")][0]
    erlang.exit(sup, "normal")          # a supervisor traps exits: normal from outside is a message
    timer.sleep(10)
    assert application.node_status() == "running"


def test_config_file(tmp_path):
    (tmp_path / "sys.config").write_text("[('cfgapp', [('port', 8080)])]")
    application.load_config(str(tmp_path / "sys.config"))
    application.load({"name": "cfgapp", "env": [("port", 80), ("host", "h")]})
    assert application.get_all_env("cfgapp") == [("port", 8080), ("host", "h")]


def test_get_supervisor(_tmp):
    """OTP 26's application:get_supervisor/1: the root supervisor of a running app, else undefined."""
    application.load_config(bsc.CONFIG)
    assert application.get_supervisor("bsc") == "undefined"             # not started
    assert application.ensure_all_started(bsc.APP)[0] == "ok"
    assert application.get_supervisor("bsc") == ("ok", erlang.whereis("bsc"))
    assert application.get_supervisor(bsc.APP) == ("ok", erlang.whereis("bsc"))
    assert application.get_supervisor("sasl") == "undefined"            # no mod here
    assert application.get_supervisor("kernel") == "undefined"
    assert application.get_supervisor("nope") == "undefined"
    application.stop("bsc")
    assert application.get_supervisor("bsc") == "undefined"


def test_get_supervisor_forgets_a_dead_temporary_app(_tmp):
    application.load_config(bsc.CONFIG)
    application.ensure_all_started(bsc.APP)
    erlang.exit(erlang.whereis("bsc"), "kill")
    runtime.run_until_idle()
    assert application.get_supervisor("bsc") == "undefined"


def test_change_application_data_replaces_env_with_the_new_app_and_config():
    # OTP 25 (tests/oracle_probes/ch12_config_change.erl): the new .app env overlaid with the
    # new sys.config; a set_env value is lost
    res = ("application", "x", [("vsn", "1"), ("env", [("k", 1)])])
    application.load(res)
    application.set_env("x", "k", 2)
    application.set_env("x", "r", 3)
    assert application._change_application_data([("application", "x", [("vsn", "2"), ("env", [("k", 9), ("j", 0)])]),
                                                  ("application", "y", [("vsn", "1")])],
                                                 [("x", [("j", 5)])]) == "ok"
    assert application.get_key("x", "vsn") == ("ok", "2")
    assert application.get_all_env("x") == [("k", 9), ("j", 5)]
    assert application.get_key("y", "vsn") == "undefined"


def test_get_env_1_works_while_the_app_starts():
    """OTP's application_master registers itself before start/2: get_env/1 and get_application/0
    work in the init of the app's processes (the book's frequency server reads its env so)."""
    seen = []

    class cb:
        @staticmethod
        def start(typ, a):
            return supervisor.start_link(cb, [])

        @staticmethod
        def init(a):
            return ("ok", ({}, [{"id": "w", "start": (cb, "worker", [])}]))

        @staticmethod
        def worker():
            seen.append((application.get_env("k"), application.get_application()))
            return ("ok", erlang.spawn_link(lambda: erlang.receive("never")))

    assert application.start({"name": "envapp", "env": [("k", 1)], "mod": (cb, [])}) == "ok"
    assert seen == [(("ok", 1), ("ok", "envapp"))]
    assert application._ctl().starting == {}


class stray_cb:
    """An application whose start phase spawns a process outside the tree (erlang_ref: OTP 25
    application_master kills it at stop and when the tree dies; tests/oracle_probes/ch9_stray_procs)."""

    def start(_type, _args):
        return ("ok", erlang.spawn_link(stray_cb.loop))

    def loop():
        while True:
            erlang.receive()

    def start_phase(_phase, _type, _args):
        erlang.register("stray_helper", erlang.spawn(stray_cb.loop))
        return "ok"

    def stop(_state):
        raise ValueError("stop/1 crashes")          # OTP: catch Mod:stop(State), no report


STRAY = {"name": "stray", "vsn": "1", "applications": ["kernel", "stdlib"], "mod": (stray_cb, []),
         "start_phases": [("go", [])]}


def test_stop_kills_the_apps_stray_processes_and_catches_stop(_tmp):
    erlang.process_flag("trap_exit", True)
    assert application.start(STRAY) == "ok"
    helper = erlang.whereis("stray_helper")
    assert application.stop("stray") == "ok"
    runtime.run_until_idle()
    assert not erlang.is_process_alive(helper) and erlang.whereis("stray_helper") == "undefined"
    assert exited(_tmp) == [("stray", "stopped", "temporary")]
    assert [r for r in _tmp if r["kind"] == "crash_report"] == []


def test_a_dead_tree_takes_the_apps_stray_processes(_tmp):
    erlang.process_flag("trap_exit", True)
    assert application.start(STRAY) == "ok"
    helper = erlang.whereis("stray_helper")
    top = application.get_supervisor("stray")[1]
    erlang.exit(top, "kill")
    runtime.run_until_idle()
    assert not erlang.is_process_alive(helper)
    assert exited(_tmp)[-1] == ("stray", "killed", "temporary")
