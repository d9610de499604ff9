"""proc_lib.hibernate and 'dynamic' child modules (book ch. 10), against
tests/oracle_probes/ch10_dynamic.erl and its output (OTP 25)."""
from otp_lite import application, erlang, gen_event, logger, proc_lib, release_handler, runtime, supervisor
from otp_lite import sys as osys
from otp_lite.erlang import ANY

from examples.ch10 import hib_mutex


def _init(parent):
    proc_lib.init_ack(parent, ("ok", erlang.self()))
    proc_lib.hibernate(_loop, [0])


def _loop(n):
    msg = erlang.receive(("ping", ANY))
    if msg[1] == "crash":
        erlang.exit("boom")
    erlang.send(msg[1], ("pong", n + 1))
    proc_lib.hibernate(_loop, [n + 1])


def _info(p):
    runtime.run_until_idle()
    return erlang.process_info(p, ["current_function", "status", "message_queue_len"])


def test_hibernating_special_process_shows_erlang_hibernate_3():
    runtime.reset(seed=0)
    ok, h = proc_lib.start_link(_init, (erlang.self(),))
    hib = [("current_function", ("erlang", "hibernate", 3)), ("status", "waiting"), ("message_queue_len", 0)]
    assert _info(h) == hib
    erlang.send(h, ("ping", erlang.self()))
    assert erlang.receive(("pong", ANY)) == ("pong", 1)
    assert _info(h) == hib
    # the stack is thrown away each time: thousands of rounds, no RecursionError
    for _ in range(3000):
        erlang.send(h, ("ping", erlang.self()))
        erlang.receive(("pong", ANY))
    assert _info(h) == hib
    # proc_lib's dictionary is kept, as OTP's wake_up keeps it
    d = dict(erlang.process_info(h, "dictionary")[1])
    assert d["$initial_call"][1:] == ("_init", 1)


def test_a_queued_message_wakes_it_at_once_and_a_crash_after_waking_is_reported():
    runtime.reset(seed=0)
    ok, h = proc_lib.start_link(_init, (erlang.self(),))
    erlang.unlink(h)
    ref = erlang.monitor("process", h)
    with logger.capture() as reports:
        erlang.send(h, ("ping", "crash"))
        runtime.run_until_idle()
    assert erlang.receive(("DOWN", ref, ANY, ANY, ANY))[4] == "boom"
    assert [r["kind"] for r in reports] == ["crash_report"]


def test_hibernate_outside_proc_lib_waits_then_calls():
    runtime.reset(seed=0)
    got = []

    def body():
        got.append(proc_lib.hibernate(lambda: erlang.receive(), []))
    p = erlang.spawn(body)
    assert _info(p)[0] == ("current_function", ("erlang", "hibernate", 3))
    erlang.send(p, "hello")
    runtime.run_until_idle()
    assert got == ["hello"]


class _log_h:
    def init(a): return ("ok", a)
    def handle_event(e, s): return ("ok", s)


class _count_h:
    def init(a): return ("ok", 0)
    def handle_event(e, s): return ("ok", s + 1)


class _dyn_sup:
    def init(_):
        return ("ok", ({"strategy": "one_for_one"},
                       [{"id": "alarms", "start": (gen_event, "start_link", [("local", "alarms")]),
                         "modules": "dynamic"},
                        {"id": "lock", "start": (hib_mutex, "start_link", ["lock"]), "modules": "dynamic"}]))


class _dyn_app:
    def start(t, a): return supervisor.start_link(("local", "dyn_sup"), _dyn_sup, [])
    def stop(s): return "ok"


def test_release_handler_asks_dynamic_children_for_their_modules():
    runtime.reset(seed=0)
    application.load(("application", "dynapp", [("vsn", "1.0"), ("applications", ["kernel", "stdlib"]),
                                                ("mod", (_dyn_app, []))]))
    assert application.start("dynapp") == "ok"
    gen_event.add_handler("alarms", _log_h, [])
    gen_event.add_handler("alarms", (_count_h, 1), [])
    sup, mgr, lock = (erlang.whereis(n) for n in ("dyn_sup", "alarms", "lock"))
    assert ("alarms", mgr, "worker", "dynamic") in supervisor.which_children(sup)
    # OTP: gen:call(Mgr, self(), get_modules) -> {ok, [the handler modules, sorted, no duplicates]}
    assert release_handler.get_supervised_procs() == [
        (sup, "lock", lock, ["hib_mutex", "mutex"]),
        (sup, "alarms", mgr, ["_count_h", "_log_h"]),
        ("undefined", "undefined", sup, ["_dyn_sup"])]
    assert supervisor.get_callback_module(sup) == "_dyn_sup"     # OTP: the atom, via sys:get_status
    assert release_handler.procs_using("_count_h") == [mgr]
    assert release_handler.procs_using("_dyn_sup") == [sup]
    assert osys.get_state("lock") == ("free", "lock")       # hib_mutex still answers sys
    assert erlang.process_info(lock, "current_function") == ("current_function", ("erlang", "hibernate", 3))
