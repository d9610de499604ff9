"""gen_server corner cases checked against real OTP 25 (probe tests/oracle_probes/gs1.erl)."""
from otp_lite import erlang, gen_server, logger
from otp_lite.erlang import Exit

import pytest

from otp_testkit import assert_empty_mailbox


class gs1:
    def init(x):
        return ("ok", x)

    def handle_call(req, from_, s):
        if req == "noreply":
            return ("noreply", s)
        return ("reply", ("echo", req), s)

    def handle_cast(m, s):
        return ("noreply", s)


def _exit_of(f):
    with pytest.raises(Exit) as e:
        f()
    return e.value.reason


def test_call_with_explicit_default_timeout_shows_three_args():
    # gs1.erl "explicit5000": {exit,{timeout,{gen_server,call,[<0.80.0>,noreply,5000]}}}
    # gs1.erl "timeout0":     {exit,{timeout,{gen_server,call,[<0.80.0>,hi,0]}}}
    _, p = gen_server.start(gs1, [], [])
    assert _exit_of(lambda: gen_server.call(p, "noreply", 5000)) == \
        ("timeout", ("gen_server", "call", [p, "noreply", 5000]))
    assert _exit_of(lambda: gen_server.call(p, "hi", 0)) == ("timeout", ("gen_server", "call", [p, "hi", 0]))
    # call/2 keeps the two-element list (e1 transcript)
    assert _exit_of(lambda: gen_server.call(p, "noreply")) == ("timeout", ("gen_server", "call", [p, "noreply"]))
    assert gen_server.call(p, "hi", "infinity") == ("echo", "hi")
    assert_empty_mailbox()


def test_call_to_a_name_on_an_unknown_node():
    # gs1.erl "remote": {exit,{{nodedown,foo@bar},{gen_server,call,[{nosuch,foo@bar},hi]}}}
    # gs1.erl "remote local node": {exit,{noproc,{gen_server,call,[{nosuch,nonode@nohost},hi]}}}
    # gs1.erl "cast remote": {value,ok}
    assert _exit_of(lambda: gen_server.call(("nosuch", "foo@bar"), "hi")) == \
        (("nodedown", "foo@bar"), ("gen_server", "call", [("nosuch", "foo@bar"), "hi"]))
    node = erlang.node()
    assert _exit_of(lambda: gen_server.call(("nosuch", node), "hi")) == \
        ("noproc", ("gen_server", "call", [("nosuch", node), "hi"]))
    assert gen_server.cast(("nosuch", "foo@bar"), "hi") == "ok"


def test_multi_call_and_abcast_shapes():
    # gs1.erl "multi_call none":  {value,{[],[nonode@nohost]}}
    # gs1.erl "multi_call":       {value,{[{nonode@nohost,{echo,hi}}],[]}}
    # gs1.erl "multi_call nodes": {value,{[{nonode@nohost,{echo,hi}}],[foo@bar]}}
    # gs1.erl "abcast nodes":     {value,abcast}
    node = erlang.node()
    assert gen_server.multi_call("nosuch", "hi") == ([], [node])
    gen_server.start(("local", "reg"), gs1, [], [])
    assert gen_server.multi_call("reg", "hi") == ([(node, ("echo", "hi"))], [])
    assert gen_server.multi_call([node, "foo@bar"], "reg", "hi") == ([(node, ("echo", "hi"))], ["foo@bar"])
    assert gen_server.abcast([node, "foo@bar"], "reg", "hi") == "abcast"
    assert_empty_mailbox()


class gs2:
    def init(a):
        return ("ok", 0)

    def handle_call(r, f, s):
        if r == "cont":
            return ("reply", "ok", s, ("continue", "c"))
        if r == "stop":
            return ("stop", "normal", "bye", s)
        return ("reply", "ok", s)

    def handle_continue(c, s):
        return ("noreply", s)

    def terminate(r, s):
        print("terminate runs")


def test_dbg_lines_for_continue_and_stop_with_reply(capsys):
    # gs2.erl / gs3.erl, OTP 25:
    #   *DBG* gs2 got call cont from <0.79.0>
    #   *DBG* gs2 sent ok to <0.79.0>, new state 1
    #   *DBG* gs2 dbg  {continue,c}
    #   *DBG* gs2 new state 1
    #   *DBG* gs3 got call stop from <0.79.0>
    #   terminate runs
    #   *DBG* gs3 sent bye to <0.79.0>, new state 0
    _, p = gen_server.start(("local", "gs2"), gs2, [], [])
    from otp_lite import sys as osys
    osys.trace(p, True)
    assert gen_server.call(p, "cont") == "ok"
    assert gen_server.call(p, "stop") == "bye"
    me = repr(erlang.self())
    assert capsys.readouterr().out.splitlines() == [
        f"*DBG* gs2 got call 'cont' from {me}",
        f"*DBG* gs2 sent 'ok' to {me}, new state 0",
        "*DBG* gs2 dbg  ('continue', 'c')",
        "*DBG* gs2 new state 0",
        f"*DBG* gs2 got call 'stop' from {me}",
        "terminate runs",
        f"*DBG* gs2 sent 'bye' to {me}, new state 0"]


def test_call_with_a_bad_timeout_exits_with_function_clause():
    # gs1.erl "bad timeout" (OTP 25, stack abridged to its top frame):
    #   {exit,{{function_clause,[{gen,call,[<0.80.0>,'$gen_call',hi,-1],[{file,"gen.erl"},{line,215}]},...]},
    #          {gen_server,call,[<0.80.0>,hi,-1]}}}
    # gs1.erl "bad timeout2": the same with foo
    _, p = gen_server.start(gs1, [], [])
    for t in (-1, "foo"):
        assert _exit_of(lambda: gen_server.call(p, "hi", t)) == \
            (("function_clause", [("gen", "call", [p, "$gen_call", "hi", t])]), ("gen_server", "call", [p, "hi", t]))
    assert gen_server.call(p, "hi") == ("echo", "hi")
    assert_empty_mailbox()
