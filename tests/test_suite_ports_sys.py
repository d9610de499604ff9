"""Cases of OTP's lib/stdlib/test/sys_SUITE.erl, rewritten in Python (issue 23, item 9).

Each test names the SUITE case it ports (the SUITE's dummy server answers
``{req, N}`` with ``{ok, -N}`` and counts requests in its state).
"""
import types

import pytest

from otp_lite import erlang, gen_server, runtime, sys as osys
from otp_lite.erlang import Exit

SERVER = "sys_SUITE_server"


@pytest.fixture(autouse=True)
def fresh():
    runtime.reset(seed=0)


def _handle_call(req, from_, state):
    if req == "stop":
        return ("stop", "normal", "ok", state)
    return ("reply", ("ok", -req[1]), state + 1)


DUMMY = types.SimpleNamespace(__name__="sys_SUITE", init=lambda a: ("ok", 0), handle_call=_handle_call,
                              terminate=lambda r, s: "ok")


def _start():
    return gen_server.start_link(("local", SERVER), DUMMY, [], [])


def _public_call(n):
    return gen_server.call(SERVER, ("req", n), 1000)


def _stop():
    return gen_server.call(SERVER, "stop", 1000)


def test_log(capsys):
    # sys_SUITE:log
    _start()
    assert osys.log(SERVER, True) == "ok"
    assert _public_call(44) == ("ok", -44)
    assert osys.log(SERVER, False) == "ok"
    assert osys.log(SERVER, "print") == "ok"
    _stop()


def test_stats():
    # sys_SUITE:stats
    me = erlang.self()
    _start()
    assert osys.statistics(SERVER, True) == "ok"
    assert _public_call(44) == ("ok", -44)
    ok, stats = osys.statistics(SERVER, "get")
    # the 2014 SUITE reads {messages_out,0}; OTP 25's sys:stat/2 counts the reply ({out,Msg,To,State}): 1
    assert ("messages_in", 1) in stats and ("messages_out", 1) in stats
    assert osys.statistics(SERVER, False) == "ok"
    st = osys.get_status(SERVER)
    assert st[0] == "status" and st[3][1] == "running" and st[3][2] is me
    assert osys.statistics(SERVER, "get") == ("ok", "no_statistics")
    _stop()


def test_trace(capsys):
    # sys_SUITE:trace: exactly two *DBG* lines for one call
    _start()
    capsys.readouterr()
    osys.trace(SERVER, True)
    assert _public_call(44) == ("ok", -44)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("*DBG* sys_SUITE_server got call ('req', 44) from ")
    assert lines[1].startswith("*DBG* sys_SUITE_server sent ('ok', -44) to ")
    osys.trace(SERVER, False)
    _stop()


def test_suspend():
    # sys_SUITE:suspend
    _start()
    osys.suspend(SERVER, 1000)
    with pytest.raises(Exit):
        _public_call(48)
    assert osys.get_status(SERVER)[3][1] == "suspended"
    osys.suspend(SERVER, 1000)                         # doing it twice is no error
    with pytest.raises(Exit):
        _public_call(48)
    osys.resume(SERVER)
    assert osys.get_status(SERVER)[3][1] == "running"
    assert _public_call(48) == ("ok", -48)
    osys.resume(SERVER)                                # twice is no error
    assert _public_call(48) == ("ok", -48)
    _stop()


def test_install():
    # sys_SUITE:install: the spy matches only its first state, so the 'out' event that follows
    # the 'in' crashes it and it is removed; installing the same fun twice keeps one
    _start()
    master = erlang.self()

    def spy(func_state, event, proc_state):
        if func_state != "func_state":
            raise ValueError("function_clause")
        if type(event) is tuple and event[0] == "in" and type(event[1]) is tuple and event[1][0] == "$gen_call":
            req = event[1][2]
            msg = ("spy_got", ("request", req[1]), proc_state)
            erlang.send(master, msg)
            return msg
        return "ok"
    osys.install(SERVER, (spy, "func_state"))
    assert _public_call(1) == ("ok", -1)
    osys.no_debug(SERVER)
    assert _public_call(2) == ("ok", -2)
    osys.install(SERVER, (spy, "func_state"))
    osys.install(SERVER, (spy, "func_state"))
    assert _public_call(3) == ("ok", -3)
    osys.remove(SERVER, spy)
    assert _public_call(4) == ("ok", -4)
    msgs = []
    while True:
        m = erlang.receive(timeout=1)
        if m is erlang.TIMEOUT:
            break
        msgs.append(m)
    assert msgs == [("spy_got", ("request", 1), SERVER), ("spy_got", ("request", 3), SERVER)]
    _stop()
