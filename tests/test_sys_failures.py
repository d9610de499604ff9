"""sys.change_code and sys.replace_state when the callback is missing or fails (issue 23, items 2-3).

OTP 25's answers: tests/oracle_probes/ch23_sys.erl (and ch23_sm.erl), with its output."""
import types

import pytest

from otp_lite import gen_server, gen_statem, runtime, sys as osys
from otp_lite.erlang import ErlangError


@pytest.fixture(autouse=True)
def fresh():
    runtime.reset(seed=0)


def _module(name, **funs):
    m = types.ModuleType(name)
    for k, v in funs.items():
        setattr(m, k, v)
    return m


NO_CC = _module("ch23_sys", init=lambda s: ("ok", s), handle_call=lambda r, f, s: ("reply", s, s),
                handle_cast=lambda m, s: ("noreply", s))


def test_change_code_without_code_change_is_undef_and_keeps_the_state():
    _, p = gen_server.start(NO_CC, 1, [])
    osys.suspend(p)
    # OTP: {error,{'EXIT',{undef,[{ch23_sys,code_change,["0",1,extra],[]}|_]}}}
    assert osys.change_code(p, "ch23_sys", "0", "extra") == \
        ("error", ("EXIT", ("undef", [("ch23_sys", "code_change", ["0", 1, "extra"])])))
    osys.resume(p)
    assert osys.get_state(p) == 1                       # OTP: state after: 1


def test_a_crashing_code_change_is_an_exit_tuple_not_a_python_object():
    def cc(old, state, extra):
        return 1 // 0
    mod = _module("ch23_cc", init=lambda s: ("ok", s), code_change=cc)
    _, p = gen_server.start(mod, 1, [])
    osys.suspend(p)
    r = osys.change_code(p, "ch23_cc", "0", "extra")
    assert r[0] == "error" and r[1][0] == "EXIT" and r[1][1][0] == "badarith"
    osys.resume(p)
    assert osys.get_state(p) == 1


def test_replace_state_with_a_failing_fun_raises_in_the_caller():
    _, p = gen_server.start(NO_CC, 1, [])
    with pytest.raises(ErlangError) as e:
        osys.replace_state(p, lambda s: 1 // 0)
    # OTP: {callback_failed,{gen_server,system_replace_state},{error,{badmatch,2}}}
    assert e.value.reason == ("callback_failed", ("gen_server", "system_replace_state"), ("error", "badarith"))
    assert osys.get_state(p) == 1
    assert osys.replace_state(p, lambda s: s + 1) == 2


def test_gen_statem_names_itself_and_has_no_default_code_change():
    sm = _module("ch23_sm", init=lambda a: ("ok", "idle", 0), callback_mode=lambda: "state_functions",
                 idle=lambda t, c, d: ("keep_state", d))
    _, q = gen_statem.start(sm, [], [])

    def boom(_):
        raise ErlangError("boom")
    with pytest.raises(ErlangError) as e:
        osys.replace_state(q, boom)
    assert e.value.reason == ("callback_failed", ("gen_statem", "system_replace_state"), ("error", "boom"))
    osys.suspend(q)
    assert osys.change_code(q, "ch23_sm", "0", "extra") == \
        ("error", ("EXIT", ("undef", [("ch23_sm", "code_change", ["0", "idle", 0, "extra"])])))
