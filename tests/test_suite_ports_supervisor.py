"""Cases of OTP's lib/stdlib/test/supervisor_SUITE.erl, rewritten in Python (issue 23, item 9).

Each test names the SUITE case it ports.  ``SUP`` is the SUITE's own callback
(``init(InitResult) -> InitResult``), ``supervisor_1`` its gen_server child.
"""
import types

import pytest

from otp_lite import erlang, gen_server, logger, runtime, supervisor, timer
from otp_lite.erlang import ANY, TIMEOUT, ErlangError, Exit


@pytest.fixture(autouse=True)
def fresh():
    runtime.reset(seed=0)


def _sup_init(init_result):
    if init_result == "fail":
        raise ErlangError(("badmatch", 2))
    return init_result


SUP = types.SimpleNamespace(__name__="supervisor_SUITE", init=_sup_init)


def _c1_init(arg):
    erlang.process_flag("trap_exit", True)
    return ("ok", {})


def _c1_info(msg, state):
    if type(msg) is tuple and msg[0] == "sleep":
        timer.sleep(msg[1])
        return ("noreply", state)
    if msg == "die":
        return ("stop", "died", state)
    if type(msg) is tuple and msg[0] == "stop_with":
        return ("stop", msg[1], state)
    return ("noreply", state)


def _c1_start_child(*args):
    if args == ("ignore",):
        return "ignore"
    r = gen_server.start_link(SUPERVISOR_1, "normal", [])
    if args == ("extra_return",):
        return r + ("extra_return",)
    return r


SUPERVISOR_1 = types.SimpleNamespace(__name__="supervisor_1", init=_c1_init, handle_info=_c1_info,
                                     handle_call=lambda r, f, s: ("reply", "ok", s),
                                     handle_cast=lambda m, s: ("noreply", s), start_child=_c1_start_child)


def start_link(init_result):
    return supervisor.start_link(("local", "sup_test"), SUP, init_result)


def _exit_reason(pid=None, timeout=5000):
    m = erlang.receive(("EXIT", pid if pid is not None else ANY, ANY), timeout=timeout)
    return TIMEOUT if m is TIMEOUT else m[2]


def _terminate(pid, reason):
    erlang.exit(pid, reason)
    assert _exit_reason(pid) == reason


def _counts(sup):
    c = dict(supervisor.count_children(sup))
    return [c["specs"], c["active"], c["supervisors"], c["workers"]]


def _child(id, args, restart="permanent", shutdown=1000, type_="worker"):
    return (id, (SUPERVISOR_1, "start_child", args), restart, shutdown, type_, [])


def test_sup_start_normal():
    # supervisor_SUITE:sup_start_normal
    erlang.process_flag("trap_exit", True)
    ok, pid = start_link(("ok", (("one_for_one", 2, 3600), [])))
    _terminate(pid, "shutdown")


def test_sup_start_ignore_init():
    # supervisor_SUITE:sup_start_ignore_init
    erlang.process_flag("trap_exit", True)
    assert start_link("ignore") == "ignore"
    assert _exit_reason() == "normal"


def test_sup_start_ignore_child():
    # supervisor_SUITE:sup_start_ignore_child
    erlang.process_flag("trap_exit", True)
    start_link(("ok", (("one_for_one", 2, 3600), [])))
    assert supervisor.start_child("sup_test", _child("child1", ["ignore"])) == ("ok", "undefined")
    ok, cpid2 = supervisor.start_child("sup_test", _child("child2", []))
    assert supervisor.which_children("sup_test") == [("child2", cpid2, "worker", []),
                                                      ("child1", "undefined", "worker", [])]
    assert _counts("sup_test") == [2, 1, 0, 2]


def test_sup_start_ignore_temporary_child():
    # supervisor_SUITE:sup_start_ignore_temporary_child: the ignored temporary spec is not kept
    erlang.process_flag("trap_exit", True)
    start_link(("ok", (("one_for_one", 2, 3600), [_child("child1", ["ignore"], "temporary"),
                                                   _child("child2", [], "temporary")])))
    [(cid, cpid2, kind, mods)] = supervisor.which_children("sup_test")
    assert (cid, kind, mods) == ("child2", "worker", []) and erlang.is_pid(cpid2)
    assert _counts("sup_test") == [1, 1, 0, 1]


def test_sup_start_ignore_temporary_child_start_child():
    # supervisor_SUITE:sup_start_ignore_temporary_child_start_child
    erlang.process_flag("trap_exit", True)
    start_link(("ok", (("one_for_one", 2, 3600), [])))
    assert supervisor.start_child("sup_test", _child("child1", ["ignore"], "temporary")) == ("ok", "undefined")
    ok, cpid2 = supervisor.start_child("sup_test", _child("child2", [], "temporary"))
    assert supervisor.which_children("sup_test") == [("child2", cpid2, "worker", [])]
    assert _counts("sup_test") == [1, 1, 0, 1]


@pytest.mark.parametrize("restart", ["temporary", "permanent"])
def test_sup_start_ignore_child_start_child_simple(restart):
    # supervisor_SUITE:sup_start_ignore_temporary_child_start_child_simple and
    # sup_start_ignore_permanent_child_start_child_simple (+ its regression: a clean shutdown)
    erlang.process_flag("trap_exit", True)
    # the child's start function ignores when called with no extra argument, as the SUITE's
    # supervisor_1:start_child(ignore): here the extra [] picks it
    calls = []

    def start(*args):
        calls.append(args)
        return "ignore" if len(calls) == 1 else _c1_start_child()
    mod = types.SimpleNamespace(__name__="supervisor_1", start_child=start)
    ok, pid = start_link(("ok", (("simple_one_for_one", 2, 3600),
                                 [("child1", (mod, "start_child", []), restart, 1000, "worker", [])])))
    assert supervisor.start_child("sup_test", []) == ("ok", "undefined")
    ok, cpid2 = supervisor.start_child("sup_test", [])
    assert supervisor.which_children("sup_test") == [("undefined", cpid2, "worker", [])]
    assert _counts("sup_test") == [1, 1, 0, 1]
    erlang.exit(pid, "shutdown")
    assert _exit_reason(pid) == "shutdown"


def test_sup_start_error_return():
    # supervisor_SUITE:sup_start_error_return
    erlang.process_flag("trap_exit", True)
    with logger.capture():
        r = start_link("invalid")
    assert r == ("error", ("bad_return", ("supervisor_SUITE", "init", "invalid")))
    assert _exit_reason() == r[1]


def test_sup_start_fail():
    # supervisor_SUITE:sup_start_fail: init raising is {error, Term}, the EXIT carries Term
    erlang.process_flag("trap_exit", True)
    with logger.capture():
        r = start_link("fail")
    assert r[0] == "error" and r[1][0] == ("badmatch", 2)
    assert _exit_reason() == r[1]


def test_sup_start_map():
    # supervisor_SUITE:sup_start_map: defaults of a map child spec
    erlang.process_flag("trap_exit", True)
    c1 = {"id": "child1", "start": (SUPERVISOR_1, "start_child", [])}
    c2 = {"id": "child2", "start": (SUPERVISOR_1, "start_child", []), "shutdown": "brutal_kill"}
    c3 = {"id": "child3", "start": (SUPERVISOR_1, "start_child", []), "type": "supervisor"}
    ok, pid = start_link(("ok", ({}, [c1, c2, c3])))
    for cid, shutdown, kind in (("child1", 5000, "worker"), ("child2", "brutal_kill", "worker"),
                                ("child3", "infinity", "supervisor")):
        ok, spec = supervisor.get_childspec(pid, cid)
        assert ok == "ok"
        assert (spec["id"], spec["start"], spec["restart"], spec["shutdown"], spec["type"], spec["modules"]) == \
            (cid, (SUPERVISOR_1, "start_child", []), "permanent", shutdown, kind, ["supervisor_1"])
    assert supervisor.get_childspec(pid, "child4") == ("error", "not_found")
    _terminate(pid, "shutdown")


def test_sup_start_map_faulty_specs():
    # supervisor_SUITE:sup_start_map_faulty_specs
    erlang.process_flag("trap_exit", True)
    with logger.capture():
        assert start_link(("ok", ({}, [{"start": (SUPERVISOR_1, "start_child", [])}]))) == \
            ("error", ("start_spec", "missing_id"))
        assert start_link(("ok", ({}, [{"id": "child2"}]))) == ("error", ("start_spec", "missing_start"))
        ok, pid = start_link(("ok", ({}, [{"id": "child3", "start": (SUPERVISOR_1, "start_child", []),
                                            "silly_flag": True}])))
        _terminate(pid, "shutdown")
        assert start_link(("ok", ({}, ["child4"]))) == ("error", ("start_spec", ("invalid_child_spec", "child4")))


@pytest.mark.parametrize("case, shutdown2, kind1, reason2", [
    ("sup_stop_infinity", "infinity", "supervisor", "shutdown"),
    ("sup_stop_timeout", 1000, "worker", "killed"),
    ("sup_stop_brutal_kill", "brutal_kill", "worker", "killed"),
])
def test_sup_stop(case, shutdown2, kind1, reason2):
    # supervisor_SUITE:sup_stop_infinity, sup_stop_timeout (child 2 sleeps through its 1000 ms), sup_stop_brutal_kill
    erlang.process_flag("trap_exit", True)
    ok, pid = start_link(("ok", (("one_for_one", 2, 3600), [])))
    ok, c1 = supervisor.start_child("sup_test", _child("child1", [], shutdown="infinity" if kind1 == "supervisor"
                                                        else 1000, type_=kind1))
    ok, c2 = supervisor.start_child("sup_test", _child("child2", [], shutdown=shutdown2))
    erlang.link(c1)
    erlang.link(c2)
    if case == "sup_stop_timeout":
        erlang.send(c2, ("sleep", 200000))
    _terminate(pid, "shutdown")
    assert _exit_reason(c1) == "shutdown"
    assert _exit_reason(c2) == reason2


def _child_exits(pid, reason):
    """The SUITE's terminate(SupPid, ChildPid, ChildId, Reason): the child ends with Reason."""
    ref = erlang.monitor("process", pid)
    erlang.send(pid, ("stop_with", reason))              # the child traps exits: it stops itself
    erlang.receive(("DOWN", ref, ANY, ANY, ANY))
    timer.sleep(10)


def test_extra_return():
    # supervisor_SUITE:extra_return: {ok, Pid, Info} is passed back by start_child and restart_child
    erlang.process_flag("trap_exit", True)
    child = _child("child1", ["extra_return"])
    start_link(("ok", (("one_for_one", 2, 3600), [child])))
    [(cid, cpid, kind, mods)] = supervisor.which_children("sup_test")
    erlang.link(cpid)
    assert supervisor.terminate_child("sup_test", "hej") == ("error", "not_found")
    assert supervisor.delete_child("sup_test", "hej") == ("error", "not_found")
    assert supervisor.restart_child("sup_test", "hej") == ("error", "not_found")
    assert supervisor.delete_child("sup_test", "child1") == ("error", "running")
    assert supervisor.restart_child("sup_test", "child1") == ("error", "running")
    assert _counts("sup_test") == [1, 1, 0, 1]
    assert supervisor.terminate_child("sup_test", "child1") == "ok"
    assert _exit_reason(cpid) == "shutdown"
    assert supervisor.which_children("sup_test") == [("child1", "undefined", "worker", [])]
    assert _counts("sup_test") == [1, 0, 0, 1]
    ok, cpid2, extra = supervisor.restart_child("sup_test", "child1")
    assert (ok, extra) == ("ok", "extra_return")
    assert supervisor.which_children("sup_test") == [("child1", cpid2, "worker", [])]
    assert supervisor.terminate_child("sup_test", "child1") == "ok"
    assert supervisor.terminate_child("sup_test", "child1") == "ok"
    assert supervisor.delete_child("sup_test", "child1") == "ok"
    assert supervisor.restart_child("sup_test", "child1") == ("error", "not_found")
    assert supervisor.which_children("sup_test") == [] and _counts("sup_test") == [0, 0, 0, 0]
    ok, cpid3, extra = supervisor.start_child("sup_test", child)
    assert extra == "extra_return" and _counts("sup_test") == [1, 1, 0, 1]


def test_child_adm():
    # supervisor_SUITE:child_adm
    erlang.process_flag("trap_exit", True)
    child = _child("child1", [])
    start_link(("ok", (("one_for_one", 2, 3600), [child])))
    [(_, cpid, _, _)] = supervisor.which_children("sup_test")
    erlang.link(cpid)
    assert supervisor.start_child("sup_test", child) == ("error", ("already_started", cpid))
    assert supervisor.terminate_child("sup_test", "hej") == ("error", "not_found")
    with pytest.raises(Exit) as e:
        supervisor.terminate_child("foo", "child1")
    assert e.value.reason[0] == "noproc" and e.value.reason[1][:2] == ("gen_server", "call")
    assert supervisor.terminate_child("sup_test", "child1") == "ok"
    assert _exit_reason(cpid) == "shutdown"
    assert supervisor.which_children("sup_test") == [("child1", "undefined", "worker", [])]
    assert supervisor.terminate_child("sup_test", "child1") == "ok"
    assert supervisor.start_child("sup_test", child) == ("error", "already_present")
    ok, cpid2 = supervisor.restart_child("sup_test", "child1")
    assert supervisor.which_children("sup_test") == [("child1", cpid2, "worker", [])]
    assert supervisor.restart_child("sup_test", "child1") == ("error", "running")
    assert supervisor.restart_child("sup_test", "child2") == ("error", "not_found")
    assert supervisor.delete_child("sup_test", "child1") == ("error", "running")
    assert supervisor.delete_child("sup_test", "hej") == ("error", "not_found")
    with pytest.raises(Exit):
        supervisor.delete_child("foo", "child1")
    assert supervisor.terminate_child("sup_test", "child1") == "ok"
    assert supervisor.delete_child("sup_test", "child1") == "ok"
    assert supervisor.restart_child("sup_test", "child1") == ("error", "not_found")
    assert supervisor.which_children("sup_test") == [] and _counts("sup_test") == [0, 0, 0, 0]
    with pytest.raises(Exit):
        supervisor.start_child("foo", child)
    ok, cpid3 = supervisor.start_child("sup_test", child)
    # terminate by pid is not allowed when not simple_one_for_one
    assert supervisor.terminate_child("sup_test", cpid3) == ("error", "not_found")
    assert supervisor.which_children("sup_test") == [("child1", cpid3, "worker", [])]
    for fn, req in ((supervisor.which_children, "which_children"), (supervisor.count_children, "count_children")):
        with pytest.raises(Exit) as e:
            fn("foo")
        assert e.value.reason == ("noproc", ("gen_server", "call", ["foo", req, "infinity"]))


def test_child_adm_simple():
    # supervisor_SUITE:child_adm_simple
    start_link(("ok", (("simple_one_for_one", 2, 3600), [_child("child", [])])))
    assert supervisor.which_children("sup_test") == [] and _counts("sup_test") == [1, 0, 0, 0]
    with pytest.raises(Exit):
        supervisor.start_child("foo", [])
    ok, c1 = supervisor.start_child("sup_test", [])
    assert supervisor.which_children("sup_test") == [("undefined", c1, "worker", [])]
    ok, c2 = supervisor.start_child("sup_test", [])
    children = supervisor.which_children("sup_test")
    assert len(children) == 2 and ("undefined", c1, "worker", []) in children \
        and ("undefined", c2, "worker", []) in children
    assert _counts("sup_test") == [1, 2, 0, 2]
    assert supervisor.terminate_child("sup_test", "child1") == ("error", "simple_one_for_one")
    assert supervisor.terminate_child("sup_test", c1) == "ok"
    assert _counts("sup_test") == [1, 1, 0, 1] and not erlang.is_process_alive(c1)
    assert supervisor.terminate_child("sup_test", c1) == "ok"          # a dead child: ok
    stranger = erlang.spawn_link(lambda: erlang.receive())
    assert supervisor.terminate_child("sup_test", stranger) == ("error", "not_found")
    assert erlang.is_process_alive(stranger)
    assert supervisor.restart_child("sup_test", "child1") == ("error", "simple_one_for_one")
    assert supervisor.delete_child("sup_test", "child1") == ("error", "simple_one_for_one")


def test_child_specs():
    # supervisor_SUITE:child_specs
    erlang.process_flag("trap_exit", True)
    ok, pid = start_link(("ok", (("one_for_one", 2, 3600), [])))
    assert supervisor.start_child("sup_test", "hej")[0] == "error"
    m = types.SimpleNamespace(__name__="m", f=lambda a: None)
    b1 = ("child", "mfa", "permanent", 1000, "worker", [])
    b2 = ("child", (m, "f", ["a"]), "prmanent", 1000, "worker", [])
    b3 = ("child", (m, "f", ["a"]), "permanent", -10, "worker", [])
    b4 = ("child", (m, "f", ["a"]), "permanent", 10, "wrker", [])
    b5 = ("child", (m, "f", ["a"]), "permanent", 1000, "worker", "dy")
    b6 = ("child", (m, "f", ["a"]), "permanent", 1000, "worker", [1, 2, 3])
    c1 = ("child", (m, "f", ["a"]), "permanent", "infinity", "supervisor", [])
    c2 = ("child", (m, "f", ["a"]), "permanent", 1000, "supervisor", [])
    c3 = ("child", (m, "f", ["a"]), "temporary", 1000, "worker", "dynamic")
    c4 = ("child", (m, "f", ["a"]), "transient", 1000, "worker", ["m"])
    c5 = ("child", (m, "f", ["a"]), "permanent", "infinity", "worker", ["m"])
    assert supervisor.start_child("sup_test", b1) == ("error", ("invalid_mfa", "mfa"))
    assert supervisor.start_child("sup_test", b2) == ("error", ("invalid_restart_type", "prmanent"))
    assert supervisor.start_child("sup_test", b3) == ("error", ("invalid_shutdown", -10))
    assert supervisor.start_child("sup_test", b4) == ("error", ("invalid_child_type", "wrker"))
    assert supervisor.start_child("sup_test", b5) == ("error", ("invalid_modules", "dy"))
    assert supervisor.check_childspecs(b1)[1][0] == "badarg"             # should be a list
    assert supervisor.check_childspecs([b1]) == ("error", ("invalid_mfa", "mfa"))
    assert supervisor.check_childspecs([b2]) == ("error", ("invalid_restart_type", "prmanent"))
    assert supervisor.check_childspecs([b3]) == ("error", ("invalid_shutdown", -10))
    assert supervisor.check_childspecs([b4]) == ("error", ("invalid_child_type", "wrker"))
    assert supervisor.check_childspecs([b5]) == ("error", ("invalid_modules", "dy"))
    assert supervisor.check_childspecs([b6]) == ("error", ("invalid_module", 1))
    for c in (c1, c2, c3, c4, c5):
        assert supervisor.check_childspecs([c]) == "ok"
    assert supervisor.check_childspecs([c1, c2]) == ("error", ("duplicate_child_name", "child"))
    _terminate(pid, "shutdown")
    with logger.capture():
        assert start_link(("ok", (("one_for_one", 2, 3600), [b1]))) == \
            ("error", ("start_spec", ("invalid_mfa", "mfa")))
        assert start_link(("ok", (("simple_one_for_one", 2, 3600), [b2]))) == \
            ("error", ("start_spec", ("invalid_restart_type", "prmanent")))
        assert start_link(("ok", (("simple_one_for_one", 2, 3600), []))) == ("error", ("bad_start_spec", []))
        assert start_link(("ok", (("simple_one_for_one", 2, 3600), [c1, c2]))) == \
            ("error", ("bad_start_spec", [c1, c2]))


def test_sup_flags():
    # supervisor_SUITE:sup_flags
    erlang.process_flag("trap_exit", True)
    with logger.capture():
        for flags, what in (((("none_for_one", 2, 3600)), "invalid_strategy"),
                            ({"strategy": "none_for_one"}, "invalid_strategy"),
                            (("one_for_one", "infinity", 3600), "invalid_intensity"),
                            ({"intensity": "infinity"}, "invalid_intensity"),
                            (("one_for_one", 2, 0), "invalid_period"),
                            ({"period": 0}, "invalid_period"),
                            (("one_for_one", 2, "infinity"), "invalid_period"),
                            ({"period": "infinity"}, "invalid_period"),
                            (("one_for_one", 2), "invalid_type")):
            r = start_link(("ok", (flags, [])))
            assert r[0] == "error" and r[1][0] == "supervisor_data" and r[1][1][0] == what, (flags, r)
    ok, pid = start_link(("ok", ({"silly_flag": True}, [])))       # unexpected flags are ignored
    _terminate(pid, "shutdown")


@pytest.mark.parametrize("restart, reason, restarted", [
    ("permanent", "normal", True), ("transient", "normal", False), ("temporary", "normal", None),
    ("permanent", "shutdown", True), ("permanent", ("shutdown", "some_info"), True),
    ("transient", "shutdown", False), ("transient", ("shutdown", "some_info"), False),
    ("temporary", "shutdown", None), ("temporary", ("shutdown", "some_info"), None),
    ("permanent", "abnormal", True), ("transient", "abnormal", True), ("temporary", "abnormal", None),
])
def test_restart_types(restart, reason, restarted):
    # supervisor_SUITE:permanent_normal, transient_normal, temporary_normal, permanent_shutdown,
    # transient_shutdown, temporary_shutdown, permanent_abnormal, transient_abnormal, temporary_abnormal
    ok, sup = start_link(("ok", (("one_for_one", 2, 3600), [])))
    ok, cpid1 = supervisor.start_child("sup_test", _child("child1", [], restart))
    with logger.capture():
        _child_exits(cpid1, reason)
    children = supervisor.which_children("sup_test")
    if restarted is None:                                   # temporary: forgotten
        assert children == [] and _counts("sup_test") == [0, 0, 0, 0]
    elif restarted:
        [(cid, pid, kind, mods)] = children
        assert erlang.is_pid(pid) and pid is not cpid1 and _counts("sup_test") == [1, 1, 0, 1]
    else:
        assert children == [("child1", "undefined", "worker", [])] and _counts("sup_test") == [1, 0, 0, 1]
