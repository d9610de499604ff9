"""Included applications, application_starter phases and code:lib_dir/priv_dir (book ch. 9),
each against OTP 25: tests/oracle_probes/ch09_apps.erl and its .out."""
import os

import pytest

from otp_lite import application, code, erlang, logger, runtime, supervisor
from examples.ch9 import top_app


@pytest.fixture(autouse=True)
def _reps():
    with logger.capture() as reps:
        yield reps


def _res(res, **changes):
    name, keys = res[1], dict(res[2])
    keys.update(changes)
    return ("application", name, list(keys.items()))


def test_code_lib_dir_and_priv_dir(tmp_path):
    for p in ("top_app-1.0/ebin", "top_app-1.0/priv", "inc_app-1.0/ebin", "plain/ebin"):
        os.makedirs(tmp_path / p)
    for p in ("top_app-1.0/ebin", "inc_app-1.0/ebin", "plain/ebin"):
        assert code.add_patha(str(tmp_path / p)) is True
    rel = lambda d: os.path.relpath(d, tmp_path)                        # noqa: E731
    # OTP: "lib/top_app-1.0", "lib/top_app-1.0/priv", "lib/inc_app-1.0/priv" (no priv dir there),
    #      lib_dir(top_app, ebin) "lib/top_app-1.0/ebin", {error,bad_name} twice
    assert rel(code.lib_dir("top_app")) == "top_app-1.0"
    assert rel(code.priv_dir("top_app")) == os.path.join("top_app-1.0", "priv")
    assert rel(code.priv_dir("inc_app")) == os.path.join("inc_app-1.0", "priv")
    assert rel(code.lib_dir("top_app", "ebin")) == os.path.join("top_app-1.0", "ebin")
    assert rel(code.lib_dir("plain")) == "plain"
    assert code.lib_dir("nosuch") == ("error", "bad_name")
    assert code.priv_dir("nosuch") == ("error", "bad_name")
    assert code.lib_dir(42) == ("error", "bad_name")


def test_included_application_is_loaded_not_started(capsys):
    application.load(top_app.INC_APP)
    assert application.load(top_app.TOP_APP) == "ok"
    assert application.start("top_app") == "ok"
    # OTP: start(normal, top), then the phases through both apps, each with its own arguments
    assert capsys.readouterr().out.splitlines() == [
        "start('normal', 'top')",
        "start_phase('init', 'normal', ['top'])", "start_phase('init', 'normal', ['inc'])",
        "start_phase('admin', 'normal', ['top'])",
        "start_phase('oper', 'normal', ['top'])", "start_phase('oper', 'normal', ['inc'])"]
    assert [a[0] for a in application.which_applications()] == ["top_app", "stdlib", "kernel"]
    assert sorted(a[0] for a in application.loaded_applications()) == ["inc_app", "kernel", "stdlib", "top_app"]
    for name in ("inc_worker", "inc_sup", "top_sup"):            # OTP: {ok,top_app} for all three
        assert application.get_application(erlang.whereis(name)) == ("ok", "top_app")
    assert [(c[0], c[2]) for c in supervisor.which_children("top_sup")] == [("inc_sup", "supervisor")]
    assert application.get_key("top_app", "included_applications") == ("ok", ["inc_app"])
    assert application.stop("top_app") == "ok"
    assert capsys.readouterr().out == "stop([])\n"
    assert erlang.whereis("top_sup") == "undefined" and erlang.whereis("inc_worker") == "undefined"
    assert application.unload("inc_app") == "ok" and application.unload("top_app") == "ok"


def test_included_phase_error_aborts_the_start(monkeypatch, capsys):
    # a phase of the included app failing: {error, {Reason, {Mod, start_phase, [Phase, normal, Args]}}}
    def bad(phase, typ, args):
        return ("error", "no") if args == ["inc"] else "ok"
    monkeypatch.setattr(top_app, "start_phase", bad)
    application.load(top_app.INC_APP)
    r = application.start(top_app.TOP_APP)
    assert r == ("error", ("no", ("top_app", "start_phase", ["init", "normal", ["inc"]])))
    runtime.run_until_idle()
    # OTP 25: the top supervisor is left running, unlinked, its tree intact, in no application
    top = erlang.whereis("top_sup")
    assert top.alive and erlang.process_info(top, "links") == ("links", [erlang.whereis("inc_sup")])
    assert application.get_application(top) == "undefined"
    assert application.which_applications()[0][0] == "stdlib"


def test_included_app_without_start_phases(capsys, _reps):
    # OTP: start(normal, top), start_phase(init, normal, [top]), a CRASH REPORT of the master,
    # {error,{start_phases_undefined,inc_app}}, an INFO REPORT exited: {start_phases_undefined,inc_app}
    application.load(_res(top_app.INC_APP, start_phases="undefined"))
    r = application.start(top_app.TOP_APP)
    assert r == ("error", ("start_phases_undefined", "inc_app"))
    assert capsys.readouterr().out.splitlines() == ["start('normal', 'top')", "start_phase('init', 'normal', ['top'])"]
    assert [x["kind"] for x in _reps] == ["crash_report", "info_report"]


def test_included_app_without_mod_is_skipped(capsys):
    # OTP: an included app with start_phases but no mod gets no phase calls, and top_app starts
    application.load(("application", "inc_app", [("start_phases", [("init", ["inc"])])]))
    assert application.start(top_app.TOP_APP) == "ok"
    assert capsys.readouterr().out.splitlines() == [
        "start('normal', 'top')", "start_phase('init', 'normal', ['top'])",
        "start_phase('admin', 'normal', ['top'])", "start_phase('oper', 'normal', ['top'])"]


def test_failed_start_phase_leaves_the_top_supervisor_running():
    # tests/oracle_probes/ch09_phase_fail.erl: {error,{no,{ch09_phase_fail,start_phase,[b,normal,[]]}}},
    # then the top supervisor: alive, {links,[]}, get_application -> undefined
    class phx:
        def start(typ, args):
            return supervisor.start_link(("local", "ch09_sup"), phx, [])

        def start_phase(phase, typ, args):
            return "ok" if phase == "a" else ("error", "no")

        def init(_):
            return ("ok", ({}, []))
    r = application.start({"name": "phx", "vsn": "1", "applications": ["kernel", "stdlib"], "mod": (phx, []),
                           "start_phases": [("a", []), ("b", [])]})
    assert r == ("error", ("no", ("phx", "start_phase", ["b", "normal", []])))
    runtime.run_until_idle()
    s = erlang.whereis("ch09_sup")
    assert s.alive and erlang.process_info(s, "links") == ("links", [])
    assert application.get_application(s) == "undefined"
