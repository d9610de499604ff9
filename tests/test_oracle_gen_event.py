"""gen_event corner cases checked against real OTP 25 (probes tests/oracle_probes/ge*.erl)."""
from otp_lite import erlang, gen_event, timer
from otp_lite import sys as osys

from otp_testkit import assert_empty_mailbox


class ge2:
    def init(a):
        if type(a) is tuple and type(a[0]) is tuple and a[0][0] == "fail":
            return a[0][1]
        if type(a) is tuple and a[0] == ("crash",):
            return 1 / 0
        return ("ok", "s")

    def handle_event(e, s):
        return ("ok", s)

    def handle_call(r, s):
        return ("ok", "ok", s)

    def handle_info(i, s):
        return ("ok", s)

    def terminate(a, s):
        return ("terminated", a)


def test_swap_with_failing_init_returns_error_tuple():
    # ge2.erl: {error,no} -> {error,{error,no}} []
    #          weird -> {error,weird} []
    #          {ok,s,hibernate} -> ok [{ge2,1}]
    # ge1.erl "swap fail init": {error,{'EXIT',{badarg,[...]}}}   (init crashed)
    _, m = gen_event.start()
    for r, want in [(("error", "no"), ("error", ("error", "no"))), ("weird", ("error", "weird"))]:
        gen_event.add_handler(m, ge2, "x")
        assert gen_event.swap_handler(m, (ge2, "a"), ((ge2, 1), ("fail", r))) == want
        assert gen_event.which_handlers(m) == []
    gen_event.add_handler(m, ge2, "x")
    ret = gen_event.swap_handler(m, (ge2, "a"), ((ge2, 3), ("crash",)))
    assert ret[0] == "error" and ret[1][0] == "EXIT" and ret[1][1][0] == "badarith"
    gen_event.add_handler(m, ge2, "x")
    assert gen_event.swap_handler(m, (ge2, "a"), ((ge2, 1), ("fail", ("ok", "s", "hibernate")))) == "ok"
    assert gen_event.which_handlers(m) == [(ge2, 1)]
    # ge2.erl "swap_sup fail {error,{error,no}}" and the supervisor still hears of the swap:
    #   {messages,[{gen_event_EXIT,{ge2,5},{swapped,{ge2,6},<0.79.0>}}]}
    gen_event.add_sup_handler(m, (ge2, 5), "x")
    assert gen_event.swap_sup_handler(m, ((ge2, 5), "a"), ((ge2, 6), ("fail", ("error", "no")))) == \
        ("error", ("error", "no"))
    timer.sleep(10)
    assert erlang.receive(timeout=0) == ("gen_event_EXIT", (ge2, 5), ("swapped", (ge2, 6), erlang.self()))
    assert_empty_mailbox()


def test_dbg_lines_show_sync_notify_and_requests_as_raw_messages(capsys):
    # ge3.erl, OTP 25:
    #   *DBG* evm got event n1
    #   *DBG* evm got {<0.79.0>,{<0.79.0>,#Ref<...>},{sync_notify,n2}}
    #   *DBG* evm(ge3) got call c1
    #   *DBG* evm got i1
    #   *DBG* evm got {<0.79.0>,{<0.79.0>,#Ref<...>},which_handlers}
    _, m = gen_event.start(("local", "evm"))
    gen_event.add_handler(m, ge2, "x")
    osys.trace(m, True)
    gen_event.notify(m, "n1")
    assert gen_event.sync_notify(m, "n2") == "ok"
    gen_event.call(m, ge2, "c1")
    erlang.send(m, "i1")
    gen_event.which_handlers(m)
    timer.sleep(10)
    me = repr(erlang.self())
    lines = [l.split("#Ref")[0] for l in capsys.readouterr().out.splitlines()]
    assert lines == ["*DBG* evm got event 'n1'",
                     f"*DBG* evm got ({me}, ({me}, ",
                     "*DBG* evm(ge2) got call 'c1'",
                     "*DBG* evm got 'i1'",
                     f"*DBG* evm got ({me}, ({me}, "]
