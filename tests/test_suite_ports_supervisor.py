"""Cases of OTP's lib/stdlib/test/supervisor_SUITE.erl, rewritten in Python (issue 23, item 9).

Each test names the SUITE case it ports.  ``SUP`` is the SUITE's own callback
(``init(InitResult) -> InitResult``), ``supervisor_1`` its gen_server child.
"""
import types

import pytest

from otp_lite import erlang, gen_server, logger, runtime, supervisor, timer
from otp_lite.erlang import ANY, TIMEOUT, ErlangError


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
    return ("noreply", state)


def _c1_start_child(*args):
    if args == ("ignore",):
        return "ignore"
    return gen_server.start_link(SUPERVISOR_1, "normal", [])


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
