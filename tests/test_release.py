"""Releases (boot in dependency order, relup plans) and the release handler on the ch12 coffee app."""
import pytest

from otp_lite import application, code, erlang, logger, release, release_handler, runtime
from otp_lite import sys as osys

from examples.ch12 import releases as R, coffee_1_0 as v10


def out(capsys):
    runtime.run_until_idle()
    return capsys.readouterr().out.splitlines()


def test_relup_matches_the_books_relup_file():
    assert release.make_relup(R.REL_11, R.REL_10) == (
        "1.1",
        [("1.0", "", [("load_object_code", ("coffee", "1.1", ["coffee_fsm"])),
                      "point_of_no_return",
                      ("suspend", ["coffee_fsm"]),
                      ("load", ("coffee_fsm", "brutal_purge", "brutal_purge")),
                      ("code_change", "up", [("coffee_fsm", ())]),
                      ("resume", ["coffee_fsm"])])],
        [("1.0", "", [("load_object_code", ("coffee", "1.0", ["coffee_fsm"])),
                      "point_of_no_return",
                      ("suspend", ["coffee_fsm"]),
                      ("code_change", "down", [("coffee_fsm", ())]),
                      ("load", ("coffee_fsm", "brutal_purge", "brutal_purge")),
                      ("resume", ["coffee_fsm"])])])
    assert release.make_relup(R.REL_10, R.REL_11)[0] == "error"       # 1.0 has no appup


@pytest.fixture
def booted(capsys):
    assert release.boot(R.REL_10) == "ok"
    assert out(capsys) == ["Machine:Rebooted Hardware", "Display:Make Your Selection"]
    assert ("coffee", "Coffee machine", "1.0") in application.which_applications()
    return erlang.whereis("coffee_fsm")


def fsm():
    return code.module("coffee_fsm")


def test_upgrade_in_payment_and_downgrade_from_service(booted, capsys):
    fsm().tea(); fsm().pay(50)
    out(capsys)
    assert release_handler.procs_using("coffee_fsm") == [booted]
    assert release_handler.install_release(R.REL_11) == ("ok", "1.0", [])
    assert out(capsys) == ["code_change('1.0', payment, ('tea', 100, 50), ()).Machine:Returned 50 in change",
                           "Display:Make Your Selection"]
    assert erlang.whereis("coffee_fsm") is booted            # same process, new code
    assert code.module_info("coffee_fsm")[1] == ("vsn", ["1.1"])
    assert ("coffee", "Coffee machine", "1.1") in application.which_applications()
    assert [(v, s) for _n, v, _a, s in release_handler.which_releases()] == [("1.1", "current"), ("1.0", "permanent")]
    fsm().open()
    assert out(capsys) == ["Display:Open"]
    assert release_handler.install_release(R.REL_10) == ("ok", "1.1", [])
    assert out(capsys) == ["code_change(('down', '1.0'), service, (), ()).Machine:Rebooted Hardware",
                           "Display:Make Your Selection"]
    assert code.module_info("coffee_fsm")[1] == ("vsn", ["1.0"])
    assert osys.get_state("coffee_fsm") == ("selection", ())
    assert erlang.whereis("coffee_fsm") is booted


@pytest.mark.parametrize("setup,state", [([], "selection"),
                                         ([("tea",), ("pay", 100)], "remove")])
def test_upgrade_then_down_in_other_states(booted, capsys, setup, state):
    for call in setup:
        getattr(fsm(), call[0])(*call[1:])
    out(capsys)
    release_handler.install_release(R.REL_11)
    assert osys.get_state("coffee_fsm")[0] == state
    release_handler.install_release(R.REL_10)
    assert osys.get_state("coffee_fsm")[0] == state
    lines = out(capsys)
    assert lines[-1] == f"code_change('1.0', {state}, [], ()).code_change(('down', '1.0'), {state}, [], ())."


def test_messages_sent_during_the_upgrade_are_handled_after(booted, capsys):
    fsm().tea(); fsm().pay(50)
    out(capsys)
    calls = []
    real = osys.change_code

    def spy(p, m, v, e):
        fsm().pay(30)                     # arrives while the machine is suspended
        calls.append(v)
        return real(p, m, v, e)
    osys.change_code = spy
    try:
        release_handler.install_release(R.REL_11)
    finally:
        osys.change_code = real
    assert calls == ["1.0"]
    assert out(capsys)[-1] == "Machine:Returned 30 in change"


def test_boot_order_and_start_types():
    started = []

    def mk(name, deps, typ_seen):
        class cb:
            def start(t, a):
                started.append((name, t))
                from otp_lite import supervisor
                return supervisor.start_link(cbsup, [])

            def stop(s): return "ok"

        class cbsup:
            def init(_): return ("ok", ({}, []))
        cb.__name__ = name + "_app"
        res = ("application", name, [("vsn", "1"), ("applications", ["kernel", "stdlib"] + deps), ("mod", (cb, []))])
        return release.app(res, {name + "_app": cb})

    a, b, c = mk("a", [], None), mk("b", ["a"], None), mk("c", ["b", "a"], None)
    rel = release.release("r", "1", [(c, "transient"), (b, "temporary"), a])
    assert release.boot_script(rel) == [
        ("load", ("a", ["a_app"])), ("load", ("b", ["b_app"])), ("load", ("c", ["c_app"])),
        ("config", []), ("start", ("a", "permanent")), ("start", ("b", "temporary")), ("start", ("c", "transient"))]
    assert release.boot(rel) == "ok"
    assert started == [("a", "normal"), ("b", "normal"), ("c", "normal")]
    assert release.boot_script(release.release("x", "1", [c])) == ("error", ("undefined_applications", ["a", "b"]))


def test_ch11_basestation_boots_with_its_config(capsys):
    from examples.ch11 import basestation
    script = release.boot_script(basestation.REL)
    assert [s for s in script if s[0] == "start"] == [("start", ("sasl", "permanent")), ("start", ("bsc", "permanent"))]
    with logger.capture():
        assert release.boot(basestation.REL) == "ok"
    assert application.get_env("bsc", "frequencies") == ("ok", [1, 2, 3, 4, 5, 6])
    assert [n for n, _d, _v in application.which_applications()][:2] == ["bsc", "sasl"]
    assert code.is_loaded("frequency")[0] == "file"


def test_appup_add_and_delete_module():
    v1 = release.app(("application", "t", [("vsn", "1")]), {"m1": type("m1", (), {})})
    m2 = type("m2", (), {"vsn": "x"})
    v2 = release.app(("application", "t", [("vsn", "2")]), {"m1": v1.modules["m1"], "m2": m2},
                     ("2", [("1", [("add_module", "m2")])], [("1", [("delete_module", "m2")])]))
    r1, r2 = release.release("t", "1", [v1]), release.release("t", "2", [v2])
    assert release.boot(r1) == "ok"
    assert release_handler.install_release(r2) == ("ok", "1", [])
    assert code.is_loaded("m2") is not False
    assert release_handler.install_release(r1) == ("ok", "2", [])
    assert code.is_loaded("m2") is False


def _plain(name, deps, vsn="1"):
    return release.app(("application", name, [("description", name), ("vsn", vsn),
                                              ("applications", ["kernel", "stdlib"] + deps)]), {})


def test_sasl_must_be_listed_like_any_other_application():
    """OTP 25 systools:make_script -> {error,systools_make,{undefined_applications,[sasl]}}; kernel/stdlib implicit."""
    foo = _plain("foo", ["sasl"])
    rel = release.release("foo", "1", [foo])
    assert release.boot_script(rel) == ("error", ("undefined_applications", ["sasl"]))
    assert release.boot(rel) == ("error", ("undefined_applications", ["sasl"]))
    assert code.is_loaded("foo") is False and "foo" not in [n for n, _d, _v in application.loaded_applications()]
    sasl = _plain("sasl", [], "4.2")
    assert release.boot(release.release("foo", "1", [foo, sasl])) == "ok"
    assert [n for n, _d, _v in application.which_applications()] == ["foo", "sasl", "stdlib", "kernel"]


def test_boot_loads_every_application_and_starts_all_but_load():
    """A boot script runs application:load for every app, so get_key answers for a 'load' app too."""
    db, admin = _plain("db", [], "2.1"), _plain("admin", ["db"], "0.3")
    rel = release.release("shop", "1", [(admin, "load"), db])
    assert release.boot_script(rel)[-1] == ("start", ("db", "permanent"))
    assert release.boot(rel) == "ok"
    assert application.get_key("admin", "vsn") == ("ok", "0.3")
    assert ("admin", "admin", "0.3") in application.loaded_applications()
    assert "admin" not in [n for n, _d, _v in application.which_applications()]
    assert application.start("admin") == "ok"                  # someone can start it later
