"""Registry races: a name used before it is registered, after it is gone, or taken twice.

Rewritten from Concuerror's tests (the file and function named in each
``Port``); the idea kept, every line written here for otp_lite.
"""
from otp_lite import erlang, gen_server

from .harness import Port, concuerror_test

SCHED = "tests/suites/basic_tests/src/sched_tests.erl"


# sched_tests.erl, test_spawn_register_race: the child sends to 'foo' before the
# parent has registered itself under that name -> badarg in the child, and the
# parent waits for ever.
def spawn_register_race():
    erlang.spawn(lambda: erlang.send("foo", "bar"))
    erlang.register("foo", erlang.self())
    erlang.receive("bar")


# sched_tests.erl, test_register_unregister: the name is gone before the child's send.
def register_unregister():
    erlang.register("foo", erlang.self())
    erlang.spawn(lambda: erlang.send("foo", "bar"))
    erlang.unregister("foo")
    erlang.receive("bar")


# registered_send_1.erl: the child tells its parent it is up, then registers;
# the parent sends to the name as soon as it hears.
def registered_send_1():
    parent = erlang.self()

    def child():
        erlang.send(parent, "ok")
        erlang.register("child", erlang.self())
        erlang.receive("ok")

    erlang.spawn(child)
    erlang.receive("ok")
    erlang.send("child", "ok")


# is_process_alive_1.erl: alive when asked, dead when registered -> badarg.
def is_process_alive_1():
    pid = erlang.spawn(lambda: None)
    if erlang.is_process_alive(pid):
        erlang.register("child", pid)


# sched_tests.erl, test_whereis: the child looks the name up after its owner
# (the test process) has ended, and the name went with it.
def whereis_after_exit():
    me = erlang.self()

    def child():
        name = erlang.receive()
        assert erlang.whereis(name) == me, f"whereis({name!r}) is {erlang.whereis(name)!r}"

    pid = erlang.spawn(child)
    erlang.register("foo", me)
    erlang.send(pid, "foo")


# advanced_tests/src/gen_server_bug.erl, test_register: a registered gen_server
# is stopped by a call and started again under the same name; the reply to
# 'stop' comes before the old server has ended and freed the name, so the
# second start can return {error, {already_started, Pid}}.
class stoppable:
    def init(_args):
        return ("ok", None)

    def handle_call(req, _from, state):
        if req == "stop":
            return ("stop", "normal", "ok", state)
        return ("reply", "ok", state)

    def handle_cast(_msg, state):
        return ("noreply", state)


def gen_server_restart():
    for _ in range(2):
        r = gen_server.start(("local", "gen_server_bug"), stoppable, [], [])
        assert r[0] == "ok", f"gen_server:start returned {r!r}"
        gen_server.call(r[1], "stop", "infinity")


# the same without the name (gen_server_bug.erl, test_without_register): no race.
def gen_server_restart_unnamed():
    for _ in range(2):
        r = gen_server.start(stoppable, [], [])
        assert r[0] == "ok", f"gen_server:start returned {r!r}"
        gen_server.call(r[1], "stop", "infinity")


PORTS = [
    Port("spawn_register_race", SCHED, "test_spawn_register_race", "bug",
         concuerror_test(spawn_register_race), "registry"),
    Port("register_unregister", SCHED, "test_register_unregister", "bug",
         concuerror_test(register_unregister), "registry"),
    Port("registered_send_1", "tests/suites/basic_tests/src/registered_send_1.erl",
         "registered_send_1", "bug", concuerror_test(registered_send_1), "registry"),
    Port("is_process_alive_1", "tests/suites/basic_tests/src/is_process_alive_1.erl",
         "is_process_alive_1", "bug", concuerror_test(is_process_alive_1), "registry"),
    Port("whereis_after_exit", SCHED, "test_whereis", "bug",
         concuerror_test(whereis_after_exit), "registry",
         note="the test process ends at once after its send (no choice point at an exit): "
              "the failing order is the only one"),
    Port("gen_server_restart", "tests/suites/advanced_tests/src/gen_server_bug.erl",
         "test_register", "bug", concuerror_test(gen_server_restart), "registry (gen_server)"),
    Port("gen_server_restart_unnamed", "tests/suites/advanced_tests/src/gen_server_bug.erl",
         "test_without_register", "no bug", concuerror_test(gen_server_restart_unnamed),
         "gen_server"),
]
