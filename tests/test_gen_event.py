"""gen_event against real OTP 25 (probe p3 recorded while building it; f1/f2 are in test_examples_ch7)."""
import pytest

from otp_lite import erlang, gen_event, logger, runtime, sys as osys
from otp_lite.erlang import ANY, Exit, ErlangError

from otp_testkit import assert_empty_mailbox


class h:
    """Probe handler: records terminate calls in ``h.log``."""
    log = []

    def init(a):
        return ("error", "bad") if a == "bad" else ("ok", a)

    def handle_event(e, s):
        if e == "remove":
            return "remove_handler"
        if e == "swap":
            return ("swap_handler", "swapargs", s, (h, 2), "swapped_init")
        if e == "bad":
            return "bad_ret"
        h.log.append(("event", s, e))
        return ("ok", s)

    def handle_call(q, s):
        if q == "q":
            return ("ok", ("reply_of", s), s)
        if q == "remv":
            return ("remove_handler", "gone")
        return "foo"

    def handle_info(i, s):
        h.log.append(("info", s, i))
        return ("ok", s)

    def terminate(r, s):
        h.log.append(("term", r, s))
        return ("term_result", s)


@pytest.fixture(autouse=True)
def clear_log():
    h.log = []


def test_dead_manager_errors():
    with pytest.raises(Exit) as e:
        gen_event.add_handler("nosuch", h, "x")
    assert e.value.reason == "noproc"
    with pytest.raises(Exit) as e:
        gen_event.call("nosuch", h, "q")
    assert e.value.reason == ("noproc", ("gen_event", "call", ["nosuch", h, "q"]))
    for f in (lambda: gen_event.which_handlers("nosuch"), lambda: gen_event.delete_handler("nosuch", h, 1),
              lambda: gen_event.stop("nosuch"), lambda: gen_event.sync_notify("nosuch", 1)):
        with pytest.raises(Exit) as e:
            f()
        assert e.value.reason == "noproc"
    with pytest.raises(ErlangError) as e:
        gen_event.notify("nosuch", "x")
    assert e.value.reason == "badarg"


def test_add_call_remove_swap_as_otp():
    _, m = gen_event.start()
    assert gen_event.add_handler(m, h, "a") == "ok"
    assert gen_event.add_handler(m, h, "bad") == ("error", "bad")
    assert gen_event.add_handler(m, (h, 1), "b") == "ok"
    assert gen_event.which_handlers(m) == [(h, 1), h]
    assert gen_event.call(m, h, "q") == ("reply_of", "a")
    assert gen_event.call(m, (h, 1), "q") == ("reply_of", "b")
    assert gen_event.call(m, (h, 2), "q") == ("error", "bad_module")
    assert gen_event.call(m, h, "remv") == "gone"
    assert h.log == [("term", "remove_handler", "a")]
    with logger.capture() as reports:
        assert gen_event.call(m, (h, 1), "bad") == ("error", "foo")
    assert h.log[-1] == ("term", ("error", "foo"), "b")
    assert reports[0]["text"] == ["** gen_event handler ('h', 1) crashed.", f"** Was installed in {m!r}",
                                  "** Last event was: bad", "** When handler state == 'b'", "** Reason == foo"]
    assert gen_event.which_handlers(m) == []
    gen_event.add_handler(m, h, "c")
    gen_event.sync_notify(m, "remove")
    assert h.log[-1] == ("term", "remove_handler", "c") and gen_event.which_handlers(m) == []
    gen_event.add_handler(m, h, "d")
    gen_event.sync_notify(m, "swap")
    assert h.log[-1] == ("term", "swapargs", "d")
    assert gen_event.which_handlers(m) == [(h, 2)]
    assert gen_event.call(m, (h, 2), "q") == ("reply_of", ("swapped_init", ("term_result", "d")))
    # swapping out a handler that is not there: the new one gets ('error') as old state
    assert gen_event.swap_handler(m, ("nosuch", "sw"), ((h, 7), "x")) == "ok"
    assert gen_event.call(m, (h, 7), "q") == ("reply_of", ("x", "error"))
    gen_event.stop(m)


def test_sup_handlers_get_gen_event_exit():
    _, m = gen_event.start()
    me = erlang.self()
    assert gen_event.add_sup_handler(m, (h, 9), "f") == "ok"
    assert gen_event.swap_sup_handler(m, ((h, 9), "sw"), ((h, 10), "g")) == "ok"
    assert gen_event.which_handlers(m) == [(h, 10)]
    assert gen_event.delete_handler(m, (h, 10), "del") == ("term_result", ("g", ("term_result", "f")))
    assert erlang.receive(timeout=0) == ("gen_event_EXIT", (h, 9), ("swapped", (h, 10), me))
    assert erlang.receive(timeout=0) == ("gen_event_EXIT", (h, 10), "normal")
    gen_event.add_sup_handler(m, (h, 11), "f")
    gen_event.add_sup_handler(m, (h, 11), "f")            # OTP 25 does not refuse duplicates
    assert gen_event.which_handlers(m) == [(h, 11), (h, 11)]
    gen_event.stop(m)
    assert h.log[-2:] == [("term", "stop", "f"), ("term", "stop", "f")]
    assert erlang.receive(timeout=0) == ("gen_event_EXIT", (h, 11), "shutdown")
    assert erlang.receive(timeout=0) == ("gen_event_EXIT", (h, 11), "shutdown")
    assert_empty_mailbox()


def test_supervisor_death_removes_its_handlers_and_is_forwarded_as_info():
    _, m = gen_event.start(("local", "mgr"))
    gen_event.add_handler(m, h, "plain")

    def helper():
        gen_event.add_sup_handler("mgr", (h, "sup"), "s")
        erlang.receive("stop")
        erlang.exit("helper_gone")
    p = erlang.spawn(helper)
    runtime.run_until_idle()
    assert gen_event.which_handlers("mgr") == [(h, "sup"), h]
    erlang.send(p, "stop")
    runtime.run_until_idle()
    assert gen_event.which_handlers("mgr") == [h]
    assert ("term", ("stop", "helper_gone"), "s") in h.log
    assert h.log[-1] == ("info", "plain", ("EXIT", p, "helper_gone"))
    assert erlang.is_process_alive(m)


def test_crash_in_handler_keeps_manager_and_others():
    class boom:
        def init(a):
            return ("ok", a)

        def handle_event(e, s):
            raise ZeroDivisionError("x")

    _, m = gen_event.start()
    gen_event.add_handler(m, h, "ok")
    gen_event.add_sup_handler(m, boom, [])
    with logger.capture() as reports:
        assert gen_event.sync_notify(m, "ev") == "ok"
    assert gen_event.which_handlers(m) == [h]
    assert h.log == [("event", "ok", "ev")]
    assert reports[0]["text"][0] == "** gen_event handler boom crashed."
    msg = erlang.receive(timeout=0)
    assert msg[:2] == ("gen_event_EXIT", boom) and msg[2][0] == "EXIT"
    erlang.send(m, "raw")
    runtime.run_until_idle()
    assert h.log[-1] == ("info", "ok", "raw")


def test_init_variants_and_sys_state():
    class iv:
        def init(a):
            if a == "crash":
                erlang.exit("crash")
            return a

    _, m = gen_event.start()
    assert gen_event.add_handler(m, iv, "error") == "error"
    assert gen_event.add_handler(m, iv, "ok") == "ok"
    assert gen_event.add_handler(m, iv, "crash") == ("EXIT", "crash")
    assert gen_event.which_handlers(m) == []
    gen_event.add_handler(m, (h, 1), 5)
    assert osys.get_state(m) == [(h, 1, 5)]
    assert gen_event.start(("local", "x"))[0] == "ok"
    assert gen_event.start(("local", "x"))[0] == "error"


def test_stop_with_reason_handlers_get_stop():
    _, m = gen_event.start()
    gen_event.add_handler(m, h, "z")
    with logger.capture() as reports:
        assert gen_event.stop(m, "foo", "infinity") == "ok"
    assert h.log == [("term", "stop", "z")]
    assert [r["kind"] for r in reports] == ["crash_report"]
    assert not erlang.is_process_alive(m)


class ge4:
    """tests/oracle_probes/ge4.erl's handler: terminate tells the pid in its state."""
    def init(l):
        return ("ok", l)

    def handle_event(e, l):
        if e == "crash":
            erlang.exit("boom")
        return "remove_handler" if e == "remove" else ("ok", l)

    def handle_call(r, l):
        return ("ok", "ok", l)

    def handle_info(i, l):
        return ("ok", l)

    def terminate(a, l):
        if type(l) is erlang.Pid:
            erlang.send(l, ("terminate", a))
        return "ok"


def _flush():
    out = []
    while True:
        m = erlang.receive(timeout=20)
        if m is erlang.TIMEOUT:
            return out
        out.append(m)


def test_oracle_ge4_order_duplicates_and_sup_handler_exits():
    # ge4.erl, OTP 25:
    #   which order: [{ge4,2},{ge4,b},ge4,{ge4,1}]   (newest first)
    #   add dup plain / add dup id / add_sup dup: ok   (no duplicate check)
    #   delete returns: ok   delete missing: {error,module_not_found}
    #   which: [{ge4,1},{ge4,1},ge4,{ge4,2},ge4,{ge4,1}]
    #   sup crash: [{terminate,{error,{'EXIT',boom}}},{gen_event_EXIT,{ge4,s1},{'EXIT',boom}},
    #               {gen_event_EXIT,{ge4,1},{'EXIT',boom}},{gen_event_EXIT,{ge4,2},{'EXIT',boom}}]
    #   sup remove_handler: [{terminate,remove_handler},{gen_event_EXIT,{ge4,s2},normal}]
    #   sup delete: [{terminate,myargs},{gen_event_EXIT,{ge4,s3},normal}]
    #   sup after stop: [{terminate,stop},{gen_event_EXIT,{ge4,s5},shutdown},
    #                    {terminate,stop},{gen_event_EXIT,{ge4,s4},shutdown}]
    #   supervisor died: [{terminate,{stop,bye}}]   which after supervisor died: []
    me = erlang.self()
    _, m = gen_event.start()
    for hid in [(ge4, 1), ge4, (ge4, "b")]:
        gen_event.add_handler(m, hid, "x")
    gen_event.add_sup_handler(m, (ge4, 2), "x")
    assert gen_event.which_handlers(m) == [(ge4, 2), (ge4, "b"), ge4, (ge4, 1)]
    assert gen_event.add_handler(m, ge4, "x") == gen_event.add_handler(m, (ge4, 1), "x") == "ok"
    assert gen_event.add_sup_handler(m, (ge4, 1), "x") == "ok"
    assert gen_event.delete_handler(m, (ge4, "b"), "bye") == "ok"
    assert gen_event.delete_handler(m, (ge4, "b"), "bye") == ("error", "module_not_found")
    assert gen_event.which_handlers(m) == [(ge4, 1), (ge4, 1), ge4, (ge4, 2), ge4, (ge4, 1)]
    with logger.capture():
        gen_event.add_sup_handler(m, (ge4, "s1"), me)
        gen_event.notify(m, "crash")
        assert _flush() == [("terminate", ("error", ("EXIT", "boom"))),
                            ("gen_event_EXIT", (ge4, "s1"), ("EXIT", "boom")),
                            ("gen_event_EXIT", (ge4, 1), ("EXIT", "boom")),
                            ("gen_event_EXIT", (ge4, 2), ("EXIT", "boom"))]
    gen_event.add_sup_handler(m, (ge4, "s2"), me)
    gen_event.notify(m, "remove")
    assert _flush() == [("terminate", "remove_handler"), ("gen_event_EXIT", (ge4, "s2"), "normal")]
    assert gen_event.which_handlers(m) == []
    gen_event.add_sup_handler(m, (ge4, "s3"), me)
    gen_event.delete_handler(m, (ge4, "s3"), "myargs")
    assert _flush() == [("terminate", "myargs"), ("gen_event_EXIT", (ge4, "s3"), "normal")]
    gen_event.add_sup_handler(m, (ge4, "s4"), me)
    gen_event.add_sup_handler(m, (ge4, "s5"), me)
    assert gen_event.stop(m) == "ok"
    assert _flush() == [("terminate", "stop"), ("gen_event_EXIT", (ge4, "s5"), "shutdown"),
                        ("terminate", "stop"), ("gen_event_EXIT", (ge4, "s4"), "shutdown")]
    _, m2 = gen_event.start()

    def sup():
        gen_event.add_sup_handler(m2, (ge4, "d"), me)
        erlang.receive("die")
        erlang.exit("bye")
    s = erlang.spawn(sup)
    erlang.receive(timeout=10)
    erlang.send(s, "die")
    assert _flush() == [("terminate", ("stop", "bye"))]
    assert gen_event.which_handlers(m2) == []
    assert_empty_mailbox()


def test_oracle_sys1_get_state_and_get_status():
    # tests/oracle_probes/sys1.erl, OTP 25 (manager evm, handlers sys1 (st1) then {sys1,2} (st2)):
    #   ge get_state: [{sys1,2,st2},{sys1,false,st1}]
    #   ge get_status: {status,<0.79.0>,{module,gen_event},[[{'$initial_call',{gen_event,init_it,6}},..],
    #     running,<0.79.0>,[],[{header,"Status for event handler evm"},
    #     {data,[{"Status",running},{"Logged Events",[]},{"Parent",<0.79.0>}]},
    #     {items,{"Installed handlers",[{handler,sys1,2,st2,false},{handler,sys1,false,st1,false}]}}]]}
    _, m = gen_event.start(("local", "evm"))
    gen_event.add_handler(m, ge4, "st1")
    gen_event.add_sup_handler(m, (ge4, 2), "st2")
    me = erlang.self()
    assert osys.get_state(m) == [(ge4, 2, "st2"), (ge4, False, "st1")]
    st = osys.get_status(m)
    assert st[:3] == ("status", m, ("module", "gen_event"))
    assert st[3][4] == [("header", "Status for event handler evm"),
                        ("data", [("Status", "running"), ("Logged Events", []), ("Parent", m)]),
                        ("items", ("Installed handlers", [("handler", "ge4", 2, "st2", me),
                                                          ("handler", "ge4", False, "st1", False)]))]
    gen_event.stop(m)
    erlang.receive(("gen_event_EXIT", ANY, ANY), timeout=0)
