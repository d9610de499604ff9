"""Cases of OTP's lib/stdlib/test/gen_event_SUITE.erl, rewritten in Python (issue 23, item 9).

Each test names the SUITE case it ports.  The exact OTP 25 answers come from
tests/oracle_probes/ch23_f9.erl + ch23_f9_cb.erl (output in ch23_f9.out).
"""
import types

import pytest

from otp_lite import erlang, gen_event, logger, runtime, timer, sys as osys
from otp_lite.erlang import ANY, TIMEOUT, ErlangError, Exit


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


# ================================================================== more of gen_event_SUITE
def _dummy(name, fmt=False):
    """The SUITE's dummy_h / dummy1_h handlers, rewritten (the state is the test process)."""
    def init(arg):
        if arg == "make_error":
            return ("error", "my_error")
        if type(arg) is tuple and arg[1] == "error":             # swapped in for a handler not there
            return ("error", "non_existing")
        if type(arg) is tuple and arg[0] == "swap":             # after a swap: init({Args2, Res})
            return ("ok", arg[1][1])
        return ("ok", arg[0])

    def event(e, parent):
        if type(e) is tuple and e[0] in ("event", "info"):
            erlang.send(parent, (name, e))
            return ("ok", parent)
        if type(e) is tuple and e[0] in ("swap_event", "swap_info"):
            return ("swap_handler", "swap", parent, e[1], "swap")
        if e in ("delete_event", "delete_info"):
            return "remove_handler"
        if e in ("error_event", "error_info"):
            return ("return", "faulty")
        if e == "do_crash":
            raise Exit("crashed")
        return ("ok", parent)

    def handle_call(req, parent):
        if req == "hejsan":
            return ("ok", ("ok", "hejhopp"), parent)
        if type(req) is tuple and req[0] == "swap_call":
            return ("swap_handler", ("ok", "swapped"), "swap", parent, req[1], "swap")
        if req == "delete_call":
            return ("remove_handler", "ok")
        if req == "error_call":
            return ("return", "faulty")
        raise Exit("exit_call")

    def terminate(arg, parent):
        if arg == "return_hej":
            return "return_hej"
        if arg == "swap":
            return ("ok", parent)
        if arg == "remove_handler":
            erlang.send(parent, (name, "removed"))
        elif arg == ("error", ("return", "faulty")):
            erlang.send(parent, (name, "returned_error"))
        return "ok"
    extra = {"format_status": lambda opt, a: f"{name} handler state"} if fmt else {}
    return types.SimpleNamespace(__name__=name, init=init, handle_event=event, handle_info=event,
                                 handle_call=handle_call, terminate=terminate, **extra)


DUMMY_H = _dummy("dummy_h")
DUMMY1_H = _dummy("dummy1_h", fmt=True)


def _gone(msg, timeout=1000):
    m = erlang.receive(msg, timeout=timeout)
    assert m is not TIMEOUT, f"no {msg!r}"
    return m


class DummyVia:
    __name__ = "dummy_via"

    def __init__(self):
        self.names = {}

    def register_name(self, name, pid):
        if self.whereis_name(name) != "undefined":
            return "no"
        self.names[name] = pid
        return "yes"

    def unregister_name(self, name):
        self.names.pop(name, None)

    def whereis_name(self, name):
        p = self.names.get(name)
        return p if p is not None and erlang.is_process_alive(p) else "undefined"


def test_start():
    # gen_event_SUITE:start
    erlang.process_flag("trap_exit", True)
    via = DummyVia()
    for starter in (gen_event.start, gen_event.start_link):
        ok, p = starter()
        assert gen_event.which_handlers(p) == [] and gen_event.stop(p) == "ok"
    for name, ref in ((("local", "my_dummy_name"), "my_dummy_name"),
                      (("global", "my_dummy_name"), ("global", "my_dummy_name")),
                      (("via", via, "my_dummy_name"), ("via", via, "my_dummy_name"))):
        ok, p = gen_event.start_link(name)
        assert gen_event.which_handlers(ref) == [] and gen_event.which_handlers(p) == []
        assert gen_event.start_link(name)[:2] == ("error", ("already_started", p))
        assert gen_event.start(name)[:2] == ("error", ("already_started", p))
        assert gen_event.stop(ref) == "ok"
        _gone(("EXIT", p, "normal"))
    ok, p6 = gen_event.start_link(("global", "my_dummy_name"))
    assert gen_event.stop(("global", "my_dummy_name"), "shutdown", 10000) == "ok"
    _gone(("EXIT", p6, "shutdown"))
    ok, p7 = gen_event.start_link(("via", via, "my_dummy_name"))
    erlang.exit(p7, "shutdown")
    _gone(("EXIT", p7, "shutdown"))


def test_add_handler():
    # gen_event_SUITE:add_handler
    me = erlang.self()
    gen_event.start(("local", "my_dummy_handler"))
    assert gen_event.add_handler("my_dummy_handler", DUMMY_H, "make_error") == ("error", "my_error")
    assert gen_event.which_handlers("my_dummy_handler") == []
    assert gen_event.add_handler("my_dummy_handler", DUMMY_H, [me]) == "ok"
    assert gen_event.add_handler("my_dummy_handler", (DUMMY_H, me), "make_error") == ("error", "my_error")
    assert gen_event.add_handler("my_dummy_handler", (DUMMY_H, me), [me]) == "ok"
    assert gen_event.which_handlers("my_dummy_handler") == [(DUMMY_H, me), DUMMY_H]
    assert gen_event.stop("my_dummy_handler") == "ok"


def test_add_sup_handler():
    # gen_event_SUITE:add_sup_handler
    me = erlang.self()
    ok, p = gen_event.start(("local", "my_dummy_handler"))
    assert gen_event.add_sup_handler("my_dummy_handler", DUMMY_H, "make_error") == ("error", "my_error")
    assert gen_event.add_sup_handler("my_dummy_handler", DUMMY_H, [me]) == "ok"
    assert gen_event.which_handlers("my_dummy_handler") == [DUMMY_H]
    erlang.exit(p, "sup_died")           # the manager does not trap exits: it dies
    timer.sleep(1000)
    ok, p = gen_event.start(("local", "my_dummy_handler"))
    assert gen_event.add_sup_handler("my_dummy_handler", DUMMY_H, [me]) == "ok"
    assert gen_event.add_sup_handler("my_dummy_handler", (DUMMY_H, me), [me]) == "ok"
    assert gen_event.which_handlers("my_dummy_handler") == [(DUMMY_H, me), DUMMY_H]
    assert gen_event.stop("my_dummy_handler") == "ok"
    _gone(("gen_event_EXIT", DUMMY_H, "shutdown"))
    _gone(("gen_event_EXIT", (DUMMY_H, me), "shutdown"))


def test_delete_handler():
    # gen_event_SUITE:delete_handler
    me = erlang.self()
    gen_event.start(("local", "h"))
    gen_event.add_handler("h", DUMMY_H, [me])
    assert gen_event.delete_handler("h", _dummy("duuuuuuuuumy"), []) == ("error", "module_not_found")
    assert gen_event.delete_handler("h", DUMMY_H, "return_hej") == "return_hej"
    assert gen_event.which_handlers("h") == []
    gen_event.add_handler("h", DUMMY_H, [me])
    assert gen_event.delete_handler("h", DUMMY_H, []) == "ok"
    gen_event.add_handler("h", (DUMMY_H, 1), [me])
    gen_event.add_handler("h", (DUMMY_H, 2), [me])
    assert gen_event.delete_handler("h", (DUMMY_H, 3), []) == ("error", "module_not_found")
    assert gen_event.delete_handler("h", (DUMMY_H, 1), "return_hej") == "return_hej"
    assert gen_event.delete_handler("h", (DUMMY_H, 2), "return_hej") == "return_hej"
    assert gen_event.which_handlers("h") == []
    assert gen_event.stop("h") == "ok"


@pytest.mark.parametrize("sup", [False, True])
def test_swap_handler_and_swap_sup_handler(sup):
    # gen_event_SUITE:swap_handler, swap_sup_handler
    me = erlang.self()
    gen_event.start(("local", "h"))
    (gen_event.add_sup_handler if sup else gen_event.add_handler)("h", DUMMY_H, [me])
    faulty = _dummy("faulty_h")
    swap = gen_event.swap_sup_handler if sup else gen_event.swap_handler
    # the 2014 SUITE reads {error, non_existing}; OTP 25's server_swap_handler wraps what the new
    # handler's init({Args2, error}) answered: {error, {error, non_existing}} with this dummy1_h
    assert swap("h", (faulty, "swap"), (DUMMY1_H, [])) == ("error", ("error", "non_existing"))
    assert gen_event.swap_handler("h", (DUMMY_H, "swap"), (DUMMY1_H, "swap")) == "ok"
    assert gen_event.which_handlers("h") == [DUMMY1_H]
    assert gen_event.delete_handler("h", DUMMY1_H, []) == "ok"
    if sup:
        _gone(("gen_event_EXIT", DUMMY1_H, "normal"))
    (gen_event.add_sup_handler if sup else gen_event.add_handler)("h", (DUMMY_H, 3), [me])
    assert swap("h", ((DUMMY_H, 3), "swap"), ((DUMMY1_H, 4), "swap")) == "ok"
    assert gen_event.which_handlers("h") == [(DUMMY1_H, 4)]
    assert gen_event.delete_handler("h", (DUMMY1_H, 4), []) == "ok"
    if sup:
        _gone(("gen_event_EXIT", (DUMMY1_H, 4), "normal"))
    assert gen_event.stop("h") == "ok"


@pytest.mark.parametrize("how", ["notify", "sync_notify", "info"])
def test_notify_sync_notify_info(how):
    # gen_event_SUITE:notify, sync_notify, info (the same script through three doors)
    me = erlang.self()
    ok, m = gen_event.start(("local", "h"))
    kind = "info" if how == "info" else "event"

    def send(e):
        if how == "info":
            e = {"swap_event": "swap_info", "delete_event": "delete_info", "error_event": "error_info"}.get(
                e if type(e) is str else e[0], e) if type(e) is str else \
                (("swap_info",) + e[1:] if e[0] == "swap_event" else e)
            erlang.send("h", e)
            return "ok"
        return getattr(gen_event, how)("h", e)
    ev = (kind, me)
    for h1, h2 in ((DUMMY_H, DUMMY1_H), ((DUMMY_H, 5), (DUMMY1_H, 9))):
        assert gen_event.add_handler("h", h1, [me]) == "ok"
        assert send(ev) == "ok"
        _gone(("dummy_h", ev))
        send(("swap_event", h2, "swap"))
        assert gen_event.which_handlers("h") == [h2]
        send(ev)
        _gone(("dummy1_h", ev))
        send("delete_event")
        _gone(("dummy1_h", "removed"))
        assert gen_event.which_handlers("h") == []
        gen_event.add_handler("h", h1, [me])
        send("error_event")
        _gone(("dummy_h", "returned_error"))
        assert gen_event.which_handlers("h") == []
    # supervised
    gen_event.add_sup_handler("h", DUMMY_H, [me])
    send(ev)
    _gone(("dummy_h", ev))
    with logger.capture():
        send("do_crash")
        assert _gone(("gen_event_EXIT", DUMMY_H, ANY))[2][0] == "EXIT"
    gen_event.add_sup_handler("h", DUMMY_H, [me])
    send(("swap_event", DUMMY1_H, "swap"))
    assert gen_event.which_handlers("h") == [DUMMY1_H]
    send("delete_event")
    _gone(("dummy1_h", "removed"))
    _gone(("gen_event_EXIT", DUMMY1_H, "normal"))
    gen_event.add_sup_handler("h", DUMMY_H, [me])
    with logger.capture():
        send("error_event")
    _gone(("dummy_h", "returned_error"))
    _gone(("gen_event_EXIT", DUMMY_H, ("return", "faulty")))
    assert gen_event.which_handlers("h") == []
    assert gen_event.stop("h") == "ok"


def test_call():
    # gen_event_SUITE:call
    me = erlang.self()
    gen_event.start(("local", "h"))
    gen_event.add_handler("h", DUMMY_H, [me])
    gen_event.add_handler("h", (DUMMY_H, 1), [me])
    assert gen_event.which_handlers("h") == [(DUMMY_H, 1), DUMMY_H]
    with pytest.raises(Exit):
        gen_event.call("non_exist", DUMMY_H, "hejsan")
    bad_h = _dummy("bad_h")
    assert gen_event.call("h", bad_h, "hejsan") == ("error", "bad_module")
    assert gen_event.call("h", DUMMY_H, "hejsan") == ("ok", "hejhopp")
    assert gen_event.call("h", (DUMMY_H, 1), "hejsan") == ("ok", "hejhopp")
    assert gen_event.call("h", DUMMY_H, "hejsan", 10000) == ("ok", "hejhopp")
    with pytest.raises(Exit) as e:
        gen_event.call("h", DUMMY_H, "hejsan", 0)
    assert e.value.reason[0] == "timeout"
    assert gen_event.delete_handler("h", (DUMMY_H, 1), []) == "ok"
    assert gen_event.call("h", DUMMY_H, ("swap_call", DUMMY1_H, "swap")) == ("ok", "swapped")
    assert gen_event.which_handlers("h") == [DUMMY1_H]
    assert gen_event.call("h", DUMMY_H, "hejsan") == ("error", "bad_module")
    assert gen_event.call("h", DUMMY1_H, "delete_call") == "ok"
    _gone(("dummy1_h", "removed"))
    gen_event.add_handler("h", DUMMY_H, [me])
    with logger.capture():
        assert gen_event.call("h", DUMMY_H, "error_call") == ("error", ("return", "faulty"))
    _gone(("dummy_h", "returned_error"))
    gen_event.add_handler("h", DUMMY_H, [me])
    with logger.capture():
        r = gen_event.call("h", DUMMY_H, "exit_call")
    assert r[0] == "error" and r[1][0] == "EXIT"
    assert gen_event.which_handlers("h") == []
    gen_event.add_sup_handler("h", DUMMY_H, [me])
    with logger.capture():
        assert gen_event.call("h", DUMMY_H, "error_call") == ("error", ("return", "faulty"))
    _gone(("gen_event_EXIT", DUMMY_H, ("return", "faulty")))
    gen_event.add_sup_handler("h", DUMMY_H, [me])
    with logger.capture():
        gen_event.call("h", DUMMY_H, "exit_call")
    assert _gone(("gen_event_EXIT", DUMMY_H, ANY))[2][0] == "EXIT"
    assert gen_event.stop("h") == "ok"


def test_call_format_status_of_a_handler_and_anon():
    # gen_event_SUITE:call_format_status, call_format_status_anon
    me = erlang.self()
    ok, p = gen_event.start(("local", "h"))
    gen_event.add_handler("h", DUMMY1_H, [me])
    for st in (osys.get_status(p), osys.get_status(p, 5000)):
        assert st[1] is p and st[3][2] is p and st[3][3] == []
        items = dict(st[3][4])["items"]
        assert items[0] == "Installed handlers" and items[1][0][3] == "dummy1_h handler state"
    gen_event.stop(p)
    ok, p = gen_event.start()
    assert dict(osys.get_status(p)[3][4])["header"] == f"Status for event handler {p!r}"


def test_error_format_status():
    # gen_event_SUITE:error_format_status: the handler's crash report shows format_status(terminate, ...)
    me = erlang.self()
    ok, p = gen_event.start(("local", "h"))
    gen_event.add_sup_handler("h", DUMMY1_H, [me])
    with logger.capture() as logs:
        gen_event.notify("h", "do_crash")
        assert _gone(("gen_event_EXIT", DUMMY1_H, ANY), 5000)[2][0] == "EXIT"
    text = "\n".join(logs[0]["text"])
    assert "** gen_event handler dummy1_h crashed." in text and "dummy1_h handler state" in text
    gen_event.stop(p)


def test_get_state_and_replace_state():
    # gen_event_SUITE:get_state, replace_state
    me = erlang.self()
    ok, p = gen_event.start(("local", "h"))
    gen_event.add_handler("h", DUMMY1_H, [me])
    assert osys.get_state(p) == [(DUMMY1_H, False, me)]
    assert osys.get_state("h", 5000) == [(DUMMY1_H, False, me)]
    gen_event.add_handler("h", (DUMMY1_H, 1), [me])
    # OTP: the fun is applied to each handler's {Mod, Id, State}
    assert osys.replace_state("h", lambda h: (h[0], h[1], "new")) == \
        [(DUMMY1_H, 1, "new"), (DUMMY1_H, False, "new")]
    assert osys.get_state("h") == [(DUMMY1_H, 1, "new"), (DUMMY1_H, False, "new")]
    gen_event.stop(p)


# ------------------------------------------------------------------ hibernate
HIBERNATE = ("erlang", "hibernate", 3)


def _hib_handler():
    def init(arg):
        return ("ok", arg[0], "hibernate") if len(arg) == 2 and arg[1] == "hibernate" else ("ok", arg[0])

    def handle_event(e, s):
        return ("ok", s, "hibernate") if e == "hibernate" else ("ok", s)

    def handle_info(m, s):
        if m == "hibernate":
            return ("ok", s, "hibernate")
        return ("ok", s)

    def handle_call(r, s):
        if r == "hibernate":
            return ("ok", True, s, "hibernate")
        if r == "hibernate_later":
            timer.send_after(1000, erlang.self(), "hibernate")
            return ("ok", "later", s)
        return ("ok", None, s)
    return types.SimpleNamespace(__name__="dummy_h", init=init, handle_event=handle_event,
                                 handle_info=handle_info, handle_call=handle_call)


def _in_hibernate(pid, want=True):
    for i in range(200):
        timer.sleep(1 if i == 0 else 10)
        if (erlang.process_info(pid, "current_function")[1] == HIBERNATE) == want:
            return True
    return False


def test_hibernate():
    # gen_event_SUITE:hibernate (its single-handler part, and a handler whose init hibernates)
    h = _hib_handler()
    me = erlang.self()
    ok, p = gen_event.start(("local", "my_dummy_handler"))
    assert gen_event.add_handler("my_dummy_handler", h, [me]) == "ok"
    assert gen_event.call("my_dummy_handler", h, "hibernate") is True
    assert _in_hibernate(p)
    erlang.send(p, "wake")
    assert _in_hibernate(p, False)
    assert gen_event.call("my_dummy_handler", h, "hibernate_later") == "later"
    assert erlang.process_info(p, "current_function")[1] != HIBERNATE
    assert _in_hibernate(p)
    erlang.send(p, "wake")
    assert _in_hibernate(p, False)
    gen_event.notify("my_dummy_handler", "hibernate")
    assert _in_hibernate(p)
    gen_event.notify("my_dummy_handler", "wakeup")
    assert _in_hibernate(p, False)
    gen_event.notify("my_dummy_handler", "hibernate")
    assert _in_hibernate(p)
    gen_event.sync_notify("my_dummy_handler", "wakeup")
    assert erlang.process_info(p, "current_function")[1] != HIBERNATE
    assert gen_event.sync_notify("my_dummy_handler", "hibernate") == "ok"
    assert _in_hibernate(p)
    assert gen_event.stop("my_dummy_handler") == "ok"
    ok, p2 = gen_event.start(("local", "my_dummy_handler"))
    assert gen_event.add_handler("my_dummy_handler", h, [me, "hibernate"]) == "ok"
    assert _in_hibernate(p2)
    osys.suspend("my_dummy_handler")
    assert _in_hibernate(p2)
    osys.resume("my_dummy_handler")
    assert _in_hibernate(p2)
    erlang.send(p2, "wake")
    assert _in_hibernate(p2, False)
    assert gen_event.stop("my_dummy_handler") == "ok"
