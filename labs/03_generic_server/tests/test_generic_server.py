"""Checks for lab 03: the generic server and the frequency callback module.

Tasks are the ``## N.`` headings of README.md.  Task 1 checks ``server``
with a callback module of its own (``counter`` below); task 2 calls the
frequency callbacks directly, without a server; tasks 3 and 4 run the two
together.
"""
import pytest

from otp_lite import erlang, runtime
from otp_lite.erlang import ANY, ErlangError
from otp_lite.grade.labkit import require, expect, check, exits_of, sends_to_dead, explore

# Import guard: a missing or misnamed function fails every check with one clear line.
server = require("server", "start", "call", "stop")
frequency = require("frequency", "init", "handle", "terminate",
                    "start", "stop", "allocate", "deallocate")


class counter:
    """A tiny callback module for task 1: the state is a number.

    ('add', k) replies with the value *before* the addition, so that a server
    that takes handle's (new_state, reply) pair the other way round is seen.
    """

    def init(start):
        return start

    def handle(msg, n):
        if msg == "get":
            return n, n
        if msg == "crash":
            return n, 1 // 0
        _add, k = msg
        return n + k, n

    def terminate(n):
        return ("stopped", n)


def mailbox():
    return erlang.process_info(erlang.self(), "messages")[1]


def my_monitors():
    return erlang.process_info(erlang.self(), "monitors")[1]


def step(msg, state):
    """Call frequency.handle and check it returned a (new_state, reply) pair."""
    out = frequency.handle(msg, state)
    if type(out) is not tuple or len(out) != 2:
        raise AssertionError(f"Called frequency.handle({msg!r}, state). Got {out!r}, "
                             "expected a (new_state, reply) tuple.")
    return out


def some_pids(n):
    """n distinct (finished) pids to play clients in the pure-function checks."""
    return [erlang.spawn(lambda: None) for _ in range(n)]


# ---------------------------------------------------------------- task 1: server
@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_start_registers_the_server():
    """start(name, mod, args) spawns the server and registers it"""
    expect("server.start('counter', counter, 5)", server.start("counter", counter, 5), True)
    check("that erlang.whereis('counter') is a pid", erlang.is_pid(erlang.whereis("counter")), True)
    with pytest.raises(ErlangError):
        server.start("counter", counter, 5)     # the name is in use: register/2 fails (badarg)


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_call_returns_the_reply():
    """call passes the request to mod.handle and the new state on to the next call"""
    server.start("counter", counter, 5)
    expect("server.call('counter', ('add', 2)) (handle returns (new_state, reply) = (7, 5))",
           server.call("counter", ("add", 2)), 5)
    expect("server.call('counter', ('add', 3)) (handle returns (10, 7))",
           server.call("counter", ("add", 3)), 7)
    expect("server.call('counter', 'get')", server.call("counter", "get"), 10)


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_call_uses_a_monitor_and_cleans_up(trace):
    """call monitors the server, then removes the monitor and leaves no message behind"""
    server.start("counter", counter, 5)
    expect("server.call('counter', 'get')", server.call("counter", "get"), 5)
    me = erlang.self()
    monitors = [e for e in trace.of_kind("monitor") if e["pid"] is me]
    check("the monitors the caller set up during server.call", len(monitors), 1)
    check("the caller's monitors after server.call", my_monitors(), [])
    check("the caller's mailbox after server.call", mailbox(), [])


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_call_to_nobody_is_no_proc():
    """calling a name nobody registered returns ('error', 'no_proc')"""
    expect("server.call('nobody', 'get')", server.call("nobody", "get"), ("error", "no_proc"))
    check("the caller's mailbox afterwards", mailbox(), [])


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_call_to_a_crashing_server_is_no_proc():
    """a server that crashes while handling the request: ('error', 'no_proc')"""
    server.start("counter", counter, 5)
    expect("server.call('counter', 'crash') (handle divides by zero)",
           server.call("counter", "crash"), ("error", "no_proc"))
    check("the caller's mailbox afterwards", mailbox(), [])


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_stop(trace):
    """stop returns mod.terminate(state); the server ends normally and its name is free"""
    server.start("counter", counter, 5)
    pid = erlang.whereis("counter")
    check("that erlang.whereis('counter') is a pid", erlang.is_pid(pid), True)
    server.call("counter", ("add", 1))
    expect("server.stop('counter')", server.stop("counter"), ("stopped", 6))
    runtime.run_until_idle()
    check("how the server process ended", exits_of(trace, pid), ["normal"])
    expect("erlang.whereis('counter') after stop", erlang.whereis("counter"), "undefined")


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_call_after_stop_is_no_proc():
    """calling a stopped server returns ('error', 'no_proc')"""
    server.start("counter", counter, 5)
    server.stop("counter")
    expect("server.call('counter', 'get') after stop", server.call("counter", "get"),
           ("error", "no_proc"))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_call_flushes_the_down_of_a_server_that_dies_after_replying():
    """a server that replies and then dies leaves no 'DOWN' in the caller's mailbox (demonitor with flush)"""
    server.start("counter", counter, 5)
    runtime.run_until_idle()                    # the server waits for requests
    erlang.spawn(server.call, "counter", "crash")   # queued right behind the shell's request
    expect("server.call('counter', 'get') (the server crashes on the next request, right after replying)",
           server.call("counter", "get"), 5)
    check("the caller's mailbox after the reply (a 'DOWN' left there means demonitor without flush)",
          mailbox(), [])


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
@explore(runs=300, strategy="random", seed=0)
def test_call_leaves_no_down_under_any_schedule():
    """explored, 300 schedules: a server that crashes on the next request leaves no 'DOWN' behind, whatever the order"""
    server.start("counter", counter, 5)
    runtime.run_until_idle()                    # the server waits for requests
    erlang.spawn(server.call, "counter", "crash")   # races the shell's request
    got = server.call("counter", "get")
    check("server.call('counter', 'get') while another client makes the server crash (its reply, "
          "or ('error', 'no_proc') if the crash came first)", got in (5, ("error", "no_proc")), True)
    check("the caller's mailbox after server.call (a 'DOWN' left there: the server died between "
          "your check for it and the demonitor)", mailbox(), [])
    check("the caller's monitors after server.call", my_monitors(), [])


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_call_ignores_the_down_of_another_monitor():
    """a 'DOWN' of another monitor in the caller's mailbox is not the server's death"""
    server.start("counter", counter, 5)
    other = erlang.spawn(lambda: None)
    ref = erlang.monitor("process", other)
    runtime.run_until_idle()                    # its 'DOWN' is in the shell's mailbox now
    expect("server.call('counter', 'get') with another monitor's 'DOWN' in the caller's mailbox",
           server.call("counter", "get"), 5)
    check("the caller's mailbox afterwards (the other 'DOWN' is not call's to take)", mailbox(),
          [("DOWN", ref, "process", other, "normal")])


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_call_takes_only_its_own_reply():
    """call waits for the reply tagged with its own ref, not any ('reply', _, _)"""
    server.start("counter", counter, 5)
    stray = ("reply", erlang.make_ref(), "stale")
    erlang.send(erlang.self(), stray)
    expect("server.call('counter', 'get') with a stray ('reply', other_ref, 'stale') in the mailbox",
           server.call("counter", "get"), 5)
    check("the caller's mailbox afterwards (the stray reply is not call's to take)", mailbox(), [stray])


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_server_serves_many_requests():
    """the server loops: 3000 requests in a row (a recursive loop hits Python's recursion limit)"""
    server.start("counter", counter, 0)
    for _ in range(3000):
        server.call("counter", ("add", 1))
    expect("server.call('counter', 'get') after 3000 requests (a Python loop must be a while "
           "loop: a tail call loop(mod, state) is not free as in Erlang)",
           server.call("counter", "get"), 3000)


# ---------------------------------------------------------------- task 2: callbacks
@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_allocate_in_order_until_none_left():
    """allocate hands out 10, 11, ... 15, then ('error', 'no_frequency')"""
    me = erlang.self()
    s = frequency.init([])
    replies = []
    for _ in range(7):
        s, r = step(("allocate", me), s)
        replies.append(r)
    want = [("ok", f) for f in range(10, 16)] + [("error", "no_frequency")]
    expect("frequency.handle(('allocate', pid), state) 7 times from frequency.init([])",
           replies, want)


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_deallocate_puts_it_back_first():
    """a deallocated frequency is the next one allocated"""
    me = erlang.self()
    s = frequency.init([])
    s, _ = step(("allocate", me), s)
    s, _ = step(("allocate", me), s)
    s, r = step(("deallocate", 10, me), s)
    expect("frequency.handle(('deallocate', 10, pid), state) after allocating 10 and 11", r, "ok")
    s, r = step(("allocate", me), s)
    expect("frequency.handle(('allocate', pid), state) after deallocating 10", r, ("ok", 10))


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_terminate_returns_ok():
    """terminate(state) returns 'ok'"""
    expect("frequency.terminate(frequency.init([]))", frequency.terminate(frequency.init([])), "ok")


# ---------------------------------------------------------------- task 3: together
@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_frequency_session(trace):
    """the book's shell session, through your server (transcript a2)"""
    expect("frequency.start()", frequency.start(), True)
    expect("frequency.allocate()", frequency.allocate(), ("ok", 10))
    expect("frequency.allocate() again", frequency.allocate(), ("ok", 11))
    expect("frequency.deallocate(10)", frequency.deallocate(10), "ok")
    expect("frequency.allocate() after deallocate(10)", frequency.allocate(), ("ok", 10))
    expect("frequency.stop()", frequency.stop(), "ok")
    expect("erlang.whereis('frequency') after stop", erlang.whereis("frequency"), "undefined")
    expect("frequency.allocate() after stop", frequency.allocate(), ("error", "no_proc"))
    check("the messages sent to processes that were already dead", sends_to_dead(trace), [])
    check("the shell's mailbox at the end", mailbox(), [])


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_one_server_many_clients():
    """clients in other processes share the same server"""
    frequency.start()
    shell = erlang.self()

    def client():
        erlang.send(shell, ("got", erlang.self(), frequency.allocate()))

    got = []
    for _ in range(3):
        c = erlang.spawn(client)
        got.append(erlang.receive(("got", c, ANY))[2])
    expect("frequency.allocate() in 3 client processes, one after the other", got,
           [("ok", 10), ("ok", 11), ("ok", 12)])
    expect("frequency.allocate() in the shell next", frequency.allocate(), ("ok", 13))
    frequency.stop()


# ---------------------------------------------------------------- task 4: owners only
@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_only_the_owner_may_deallocate():
    """deallocation by another process: ('error', 'not_owner'), and the frequency stays taken"""
    a, b = some_pids(2)
    s = frequency.init([])
    s, _ = step(("allocate", a), s)
    s, _ = step(("allocate", b), s)
    s, r = step(("deallocate", 10, b), s)
    expect("frequency.handle(('deallocate', 10, b), state) when a holds 10 and b holds 11", r,
           ("error", "not_owner"))
    s, r = step(("allocate", b), s)
    expect("frequency.handle(('allocate', b), state) after that (10 is still a's)", r, ("ok", 12))
    s, r = step(("deallocate", 10, a), s)
    expect("frequency.handle(('deallocate', 10, a), state) by the owner", r, "ok")


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_cannot_deallocate_a_free_frequency():
    """deallocating a free frequency: ('error', 'not_allocated'), no duplicate in the free list"""
    me = erlang.self()
    s = frequency.init([])
    s, r = step(("deallocate", 10, me), s)
    expect("frequency.handle(('deallocate', 10, pid), frequency.init([]))", r,
           ("error", "not_allocated"))
    replies = []
    for _ in range(7):
        s, r = step(("allocate", me), s)
        replies.append(r)
    expect("frequency.handle(('allocate', pid), state) 7 times after that", replies,
           [("ok", f) for f in range(10, 16)] + [("error", "no_frequency")])


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_owner_check_through_the_server():
    """end to end: the shell cannot free a client's frequency"""
    frequency.start()
    shell = erlang.self()

    def client():
        erlang.send(shell, ("got", erlang.self(), frequency.allocate()))
        erlang.receive("done")

    c = erlang.spawn(client)
    expect("frequency.allocate() in a client process", erlang.receive(("got", c, ANY))[2],
           ("ok", 10))
    expect("frequency.deallocate(10) from the shell", frequency.deallocate(10),
           ("error", "not_owner"))
    erlang.send(c, "done")
    frequency.stop()
