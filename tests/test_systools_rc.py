"""High-level appup instructions -> relup, against OTP 25's systools_rc (tests/oracle_probes/ch12_appup_instructions.erl)."""
import pytest

from otp_lite import _systools_rc, release

BP = "brutal_purge"
MODS = ["coffee_fsm", "coffee_sup", "coffee_app"]
NEW = release.app(("application", "coffee", [("vsn", "1.1")]), {m: None for m in MODS + ["hw"]})
OLD = release.app(("application", "coffee", [("vsn", "1.0")]), {m: None for m in MODS + ["old_hw"]})
LOC = ("load_object_code", ("coffee", "1.1", ["hw"]))


def tr(instrs, mode="up"):
    return _systools_rc.translate_scripts(mode, [instrs], [NEW], [OLD])


@pytest.mark.parametrize("instrs, low", [
    ([("update", "coffee_fsm", ("advanced", ()))],
     [("load_object_code", ("coffee", "1.1", ["coffee_fsm"])), "point_of_no_return", ("suspend", ["coffee_fsm"]),
      ("load", ("coffee_fsm", BP, BP)), ("code_change", "up", [("coffee_fsm", ())]), ("resume", ["coffee_fsm"])]),
    ([("update", "coffee_fsm")],
     [("load_object_code", ("coffee", "1.1", ["coffee_fsm"])), "point_of_no_return", ("suspend", ["coffee_fsm"]),
      ("load", ("coffee_fsm", BP, BP)), ("resume", ["coffee_fsm"])]),
    ([("update", "coffee_fsm", ("advanced", ()), "soft_purge", "soft_purge", [])],
     [("load_object_code", ("coffee", "1.1", ["coffee_fsm"])), "point_of_no_return", ("suspend", ["coffee_fsm"]),
      ("load", ("coffee_fsm", "soft_purge", "soft_purge")), ("code_change", "up", [("coffee_fsm", ())]),
      ("resume", ["coffee_fsm"])]),
    ([("update", "coffee_sup", "supervisor")],
     [("load_object_code", ("coffee", "1.1", ["coffee_sup"])), "point_of_no_return", ("suspend", ["coffee_sup"]),
      ("load", ("coffee_sup", BP, BP)), ("code_change", "up", [("coffee_sup", [])]), ("resume", ["coffee_sup"])]),
    ([("load_module", "hw")], [LOC, "point_of_no_return", ("load", ("hw", BP, BP))]),
    ([("add_module", "hw")], [LOC, "point_of_no_return", ("load", ("hw", BP, BP))]),
    ([("delete_module", "old_hw")], ["point_of_no_return", ("remove", ("old_hw", BP, BP)), ("purge", ["old_hw"])]),
    ([("apply", ("io", "format", ["upgraded~n"]))], ["point_of_no_return", ("apply", ("io", "format", ["upgraded~n"]))]),
    ([("restart_application", "coffee")],
     [("load_object_code", ("coffee", "1.1", MODS + ["hw"])), "point_of_no_return",
      ("apply", ("application", "stop", ["coffee"]))] + [("remove", (m, BP, BP)) for m in MODS + ["old_hw"]]
     + [("purge", MODS + ["old_hw"])] + [("load", (m, BP, BP)) for m in MODS + ["hw"]]
     + [("apply", ("application", "start", ["coffee", "permanent"]))]),
    ([("update", "coffee_fsm", ("advanced", ()), ["hw"]), ("load_module", "hw")],
     [("load_object_code", ("coffee", "1.1", ["coffee_fsm", "hw"])), "point_of_no_return", ("suspend", ["coffee_fsm"]),
      ("load", ("hw", BP, BP)), ("load", ("coffee_fsm", BP, BP)), ("code_change", "up", [("coffee_fsm", ())]),
      ("resume", ["coffee_fsm"])]),
    ([("load_module", "hw", ["coffee_app"]), ("update", "coffee_fsm", ("advanced", "x"), ["hw"]),
      ("load_module", "coffee_app")],
     [("load_object_code", ("coffee", "1.1", ["coffee_fsm", "hw", "coffee_app"])), "point_of_no_return",
      ("suspend", ["coffee_fsm"]), ("load", ("coffee_app", BP, BP)), ("load", ("hw", BP, BP)),
      ("load", ("coffee_fsm", BP, BP)), ("code_change", "up", [("coffee_fsm", "x")]), ("resume", ["coffee_fsm"])]),
    (["restart_new_emulator", ("load_module", "hw")],
     ["restart_new_emulator", LOC, "point_of_no_return", ("load", ("hw", BP, BP))]),
    ([("load_module", "hw"), "restart_emulator"], [LOC, "point_of_no_return", ("load", ("hw", BP, BP)), "restart_emulator"]),
])
def test_up_as_otp_25(instrs, low):
    assert tr(instrs) == ("ok", low)


def test_down_runs_dynamic_code_change_before_the_load_and_static_after():
    assert tr([("update", "coffee_sup", "supervisor"), ("update", "coffee_fsm", ("advanced", ()))], "dn") == ("ok", [
        ("load_object_code", ("coffee", "1.1", ["coffee_sup", "coffee_fsm"])), "point_of_no_return",
        ("suspend", ["coffee_sup"]), ("load", ("coffee_sup", BP, BP)), ("code_change", "down", [("coffee_sup", [])]),
        ("resume", ["coffee_sup"]), ("suspend", ["coffee_fsm"]), ("code_change", "down", [("coffee_fsm", ())]),
        ("load", ("coffee_fsm", BP, BP)), ("resume", ["coffee_fsm"])])
    assert tr(["restart_new_emulator", ("load_module", "hw")], "dn") == (
        "ok", [LOC, "point_of_no_return", ("load", ("hw", BP, BP)), "restart_emulator"])


@pytest.mark.parametrize("instrs, err", [
    ([("update", "coffee_fsm", ("advanced", ()), ["hw"])], ("undef_module", "hw")),
    ([("load_module", "hw", "soft_purge", "soft_purge", ["coffee_fsm"])], ("undef_module", "coffee_fsm")),
    ([("load_module", "hw"), ("add_module", "hw")], ("muldef_module", "hw")),
    ([("remove_application", "coffee")], ("removed_application_present", "coffee")),
    ([("frobnicate", "hw")], ("bad_instruction", ("frobnicate", "hw"))),
])
def test_refused_as_otp_25(instrs, err):
    assert tr(instrs) == ("error", err)


def test_the_coffee_1_2_relup_matches_otp():
    from examples.ch12 import releases as R
    _v, [(_f, _, up)], [(_f2, _, down)] = release.make_relup(R.REL_12, R.REL_11)
    assert up == [("load_object_code", ("coffee", "1.2", ["coffee_fsm", "coffee_price", "coffee_app"])),
                  "point_of_no_return", ("suspend", ["coffee_fsm"]), ("load", ("coffee_price", BP, BP)),
                  ("load", ("coffee_fsm", BP, BP)), ("code_change", "up", [("coffee_fsm", ())]),
                  ("resume", ["coffee_fsm"]), ("load", ("coffee_app", "soft_purge", "soft_purge")),
                  ("apply", ("coffee_price", "announce", []))]
    mods = ["coffee_app", "coffee_sup", "coffee_fsm"]
    assert down == ([("load_object_code", ("coffee", "1.1", mods)), "point_of_no_return",
                     ("apply", ("application", "stop", ["coffee"]))]
                    + [("remove", (m, BP, BP)) for m in mods + ["coffee_price"]]
                    + [("purge", mods + ["coffee_price"])] + [("load", (m, BP, BP)) for m in mods]
                    + [("apply", ("application", "start", ["coffee", "permanent"]))])


def test_appup_gen_drafts_the_coffee_appups():
    from examples.ch12 import appup_gen, releases as R
    assert appup_gen.generate(R.COFFEE_10, R.COFFEE_11) == (
        "1.1", [("1.0", [("update", "coffee_fsm", ("advanced", []))])], [("1.0", [("update", "coffee_fsm", ("advanced", []))])])
    assert appup_gen.generate(R.COFFEE_11, R.COFFEE_12)[2] == [
        ("1.1", [("load_module", "coffee_app"), ("update", "coffee_fsm", ("advanced", [])), ("delete_module", "coffee_price")])]


def test_install_refuses_restart_new_emulator_before_doing_anything():
    from otp_lite import release_handler, runtime
    import types
    runtime.reset(seed=0)

    def lib(vsn, appup=None):
        return release.app(("application", "corelib", [("vsn", vsn)]), {"corelib": types.SimpleNamespace(vsn=vsn)}, appup)
    ap = ("2", [("1", [("load_module", "corelib"), "restart_new_emulator"])], [("1", [("load_module", "corelib")])])
    r1, r2 = release.release("c", "1", [(lib("1"), "load")]), release.release("c", "2", [(lib("2", ap), "load")])
    assert release.boot(r1) == "ok"
    assert release_handler.install_release(r2)[1][0] == "restart_new_emulator"
    assert release_handler.which_releases()[0][1] == "1"
