"""Cases of OTP's lib/stdlib/test/gen_event_SUITE.erl, rewritten in Python (issue 23, item 9).

Each test names the SUITE case it ports.  The exact OTP 25 answers come from
tests/oracle_probes/ch23_f9.erl + ch23_f9_cb.erl (output in ch23_f9.out).
"""
import types

import pytest

from otp_lite import erlang, gen_event, runtime, sys as osys
from otp_lite.erlang import ErlangError


@pytest.fixture(autouse=True)
def fresh():
    runtime.reset(seed=0)


def _handler(name="dummy1_h", **extra):
    return types.SimpleNamespace(__name__=name, init=lambda a: ("ok", a),
                                 handle_event=lambda e, s: ("ok", s),
                                 handle_call=lambda r, s: ("ok", s, s), **extra)


def test_call_format_status():
    # gen_event_SUITE:call_format_status: sys:get_status shows each handler's format_status/2;
    # ch23_f9.out ge_status: {handler,ch23_f9_cb,false,{formatted,normal,hs},false}
    h = _handler(format_status=lambda opt, pd_state: ("formatted", opt, pd_state[1]))
    _, m = gen_event.start()
    assert gen_event.add_handler(m, h, "hs") == "ok"
    st = osys.get_status(m)
    assert st[3][4] == [("header", f"Status for event handler {m!r}"),
                        ("data", [("Status", "running"), ("Logged Events", []), ("Parent", m)]),
                        ("items", ("Installed handlers",
                                   [("handler", "dummy1_h", False, ("formatted", "normal", "hs"), False)]))]


def test_call_format_status_without_or_crashing_format_status_shows_the_state():
    # OTP 25 gen:format_status/4: no format_status, or one that crashes, leaves the state as it is
    _, m = gen_event.start()
    gen_event.add_handler(m, _handler("plain"), "s1")
    gen_event.add_handler(m, _handler("crashing", format_status=lambda o, a: 1 // 0), "s2")
    items = osys.get_status(m)[3][4][2][1][1]
    assert [(i[1], i[3]) for i in items] == [("crashing", "s2"), ("plain", "s1")]
    assert erlang.is_process_alive(m)


def test_stop_invalid_timeout():
    # gen_event:stop/3 is gen:stop/3: an invalid timeout is function_clause and the manager lives
    _, m = gen_event.start()
    with pytest.raises(ErlangError) as e:
        gen_event.stop(m, "normal", "invalid_timeout")
    assert e.value.reason == "function_clause"
    assert erlang.is_process_alive(m)
    assert gen_event.stop(m) == "ok"
