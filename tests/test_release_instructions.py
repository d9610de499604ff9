"""The release handler running every high-level instruction, and config_change/3 after an upgrade
(OTP 25: tests/oracle_probes/ch12_appup_instructions.erl, ch12_config_change.erl)."""
import types

from otp_lite.erlang import ANY
from otp_lite import application, code, erlang, release, release_handler, runtime
from otp_lite import sys as osys
from examples.ch12 import releases as R


def boot11():
    runtime.reset(seed=0)
    assert release.boot(R.REL_10) == "ok"
    assert release_handler.install_release(R.REL_11)[0] == "ok"


def test_up_to_1_2_adds_a_module_updates_with_deps_and_applies(capsys):
    boot11()
    code.module("coffee_fsm").tea()
    capsys.readouterr()
    assert release_handler.install_release(R.REL_12) == ("ok", "1.1", [])
    out = capsys.readouterr().out
    assert "code_change('1.1', payment, ('tea', 100, 0), ())." in out
    assert "Prices: tea 100" in out                                   # the apply
    assert out.index("code_change(") < out.index("Prices:") < out.index("config_change(")
    assert code.current("coffee_price").vsn == "1.2" and code.current("coffee_fsm").vsn == "1.2"
    assert osys.get_state("coffee_fsm") == ("payment", ("tea", 100, 0))


def test_config_change_gets_changed_new_removed_as_otp(capsys):
    boot11()
    release_handler.install_release(R.REL_12)
    application.set_env("coffee", "runtime_key", "y")                 # a set_env value is lost, as OTP
    capsys.readouterr()
    assert release_handler.install_release(R.REL_13)[0] == "ok"
    out = capsys.readouterr().out
    assert ("config_change([('prices', [('tea', 120), ('espresso', 150), ('americano', 100), ('cappuccino', 150)])], "
            "[('currency', 'EUR')], ['runtime_key'])") in out
    assert application.get_env("coffee", "runtime_key") == "undefined"
    capsys.readouterr()
    assert application.config_change(application.prep_config_change()) == "ok"    # nothing changed: not called
    assert capsys.readouterr().out == ""


def test_config_change_orders_as_otps_diff():
    runtime.reset(seed=0)
    seen = []

    class cb:
        @staticmethod
        def start(_t, _a):
            from otp_lite import supervisor
            return supervisor.start_link(cb, [])

        @staticmethod
        def init(_):
            return ("ok", (("one_for_one", 1, 1), []))

        @staticmethod
        def config_change(c, n, r):
            seen.append((c, n, r))
            return "ok"
    application.load(("application", "ccapp", [("vsn", "1.0"), ("mod", (cb, [])),
                                               ("env", [("brand", "Acme"), ("price", 100), ("old_key", "x")])]))
    application.set_env("ccapp", "price", 120)
    application.set_env("ccapp", "runtime_key", "y")
    assert application.start("ccapp") == "ok"
    before = application.prep_config_change()
    application._change_application_data(
        [("application", "ccapp", [("vsn", "1.1"), ("mod", (cb, [])),
                                   ("env", [("brand", "Acme"), ("price", 100), ("cups", 50)])])],
        [("ccapp", [("price", 150)])])
    assert sorted(application.get_all_env("ccapp")) == [("brand", "Acme"), ("cups", 50), ("price", 150)]
    assert application.config_change(before) == "ok"
    assert seen == [([("price", 150)], [("cups", 50)], ["runtime_key", "old_key"])]      # the probe's line


def test_down_to_1_1_restarts_the_application(capsys):
    boot11()
    release_handler.install_release(R.REL_12)
    old = erlang.whereis("coffee_fsm")
    assert release_handler.install_release(R.REL_11) == ("ok", "1.2", [])
    new = erlang.whereis("coffee_fsm")
    assert new != old and not old.alive
    assert code.current("coffee_price") is None and code.old("coffee_price") is None    # removed and purged
    assert code.current("coffee_fsm").vsn == "1.1"
    assert [a for a, _d, v in application.which_applications() if a == "coffee"] == ["coffee"]


def _app(vsn, mods, appup=None):
    return release.app(("application", "plain", [("vsn", vsn), ("modules", list(mods))]), mods, appup)


SRC = '''
vsn = "{v}"
from otp_lite import erlang
def loop(n):
    erlang.receive()
    return (loop, n)                    # local call: stays in this version
'''


def _mod(v):
    ns = types.ModuleType("m")
    exec(SRC.format(v=v), ns.__dict__)
    return ns


def test_prepurge_soft_refuses_while_old_code_runs_postpurge_brutal_kills_at_make_permanent():
    runtime.reset(seed=0)
    v1, v2, v3 = _mod("1"), _mod("2"), _mod("3")
    up = ("load_module", "m", "brutal_purge", "brutal_purge", [])
    a1 = _app("1", {"m": v1})
    a2 = _app("2", {"m": v2}, ("2", [("1", [up])], [("1", [up])]))
    a3 = _app("3", {"m": v3}, ("3", [("2", [("load_module", "m", "soft_purge", "soft_purge", [])])], [("2", [up])]))
    r1, r2, r3 = (release.release("p", v, [(a, "load")]) for v, a in (("1", a1), ("2", a2), ("3", a3)))
    assert release.boot(r1) == "ok"
    p = erlang.spawn(code.tail_loop, v1.loop, 0)
    assert release_handler.install_release(r2)[0] == "ok"
    assert code.check_process_code(p, "m") and p.alive           # PostPurge brutal: killed only at make_permanent
    # 2 -> 3 with PrePurge soft_purge: p still runs 1 (old code), so nothing happens
    assert release_handler.install_release(r3) == ("error", ("old_processes", "m"))
    assert p.alive and code.current("m") is not None and code.current("m").ns is v2
    assert application.get_key("plain", "vsn") == ("ok", "2")        # the app data is 2's again
    ref = erlang.monitor("process", p)
    assert release_handler.make_permanent("2") == "ok"
    assert erlang.receive(("DOWN", ref, "process", p, ANY), timeout=100)[4] == "killed"
    assert not code.check_old_code("m")
    assert release_handler.install_release(r3)[0] == "ok"
