"""Checks for lab 04: the frequency server on gen_server.

Tasks are the ``## N.`` headings of README.md.  The checks drive the server
through the client API and read its state with ``sys.get_state``
(``(free, allocated)``, as in the book).
"""
import pytest

from otp_lite import erlang, runtime, sys as otp_sys
from otp_lite.erlang import ANY, Exit
from otp_lite.grade.labkit import require, expect, check, exits_of

# Import guard: a missing or misnamed function fails every check with one clear line.
frequency = require("frequency", "start", "stop", "allocate", "deallocate", "init",
                    "handle_call", "handle_cast", "handle_info", "terminate", "format_status")

ALL = [10, 11, 12, 13, 14, 15]


def started():
    """frequency.start(), checked to return ('ok', pid); returns the pid."""
    r = frequency.start()
    if type(r) is not tuple or len(r) != 2 or r[0] != "ok" or not erlang.is_pid(r[1]):
        raise AssertionError(f"Called frequency.start(). Got {r!r}, expected ('ok', pid).")
    return r[1]


def state():
    return otp_sys.get_state("frequency")


def mailbox():
    return erlang.process_info(erlang.self(), "messages")[1]


def client():
    """A process that runs what the shell asks, in itself: ``ask(c, fun)`` -> fun's result."""
    def loop():
        while True:
            _, fun, frm = erlang.receive(("run", ANY, ANY))
            erlang.send(frm, ("ran", erlang.self(), fun()))
    return erlang.spawn(loop)


def ask(c, fun):
    erlang.send(c, ("run", fun, erlang.self()))
    return erlang.receive(("ran", c, ANY))[2]


def unordered(st):
    """The state with the free list sorted: for checks about *which* frequencies are free,
    so that the order (test_deallocate_puts_it_back_first) costs one check only."""
    if type(st) is tuple and len(st) == 2 and type(st[0]) is list:
        return (sorted(st[0]), st[1])
    return st


def timed(fun):
    t0 = erlang.monotonic_time("millisecond")
    out = fun()
    return out, erlang.monotonic_time("millisecond") - t0


# ---------------------------------------------------------------- task 1: allocate
@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_start_links_and_registers():
    """start() returns ('ok', pid): the server is registered as 'frequency' and linked to the caller"""
    pid = started()
    expect("erlang.whereis('frequency')", erlang.whereis("frequency"), pid)
    check("that the server is in the shell's links (start_link)",
          pid in erlang.process_info(erlang.self(), "links")[1], True)


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_allocate_until_none_left():
    """allocate() hands out 10, 11, ... 15, then ('error', 'no_frequency')"""
    started()
    got = [frequency.allocate() for _ in range(7)]
    expect("frequency.allocate() 7 times", got,
           [("ok", f) for f in ALL] + [("error", "no_frequency")])
    me = erlang.self()
    expect("sys.get_state('frequency') after that", state(),
           ([], [(f, me) for f in reversed(ALL)]))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_start_twice():
    """a second start() returns ('error', ('already_started', pid))"""
    pid = started()
    expect("frequency.start() a second time", frequency.start(), ("error", ("already_started", pid)))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_stray_messages_are_ignored():
    """a message that is neither call nor cast (handle_info) leaves the server running"""
    pid = started()
    erlang.send("frequency", "hello")
    erlang.send("frequency", ("allocate", erlang.self()))
    runtime.run_until_idle()
    check("that the server is alive after two stray messages", erlang.is_process_alive(pid), True)
    expect("frequency.allocate() after the stray messages", frequency.allocate(), ("ok", 10))


# ---------------------------------------------------------------- task 2: deallocate
@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_deallocate_is_a_cast():
    """deallocate returns 'ok' at once, even while the server is suspended (it does not wait)"""
    started()
    frequency.allocate()
    otp_sys.suspend("frequency")
    try:
        got, ms = timed(lambda: frequency.deallocate(10))
    except Exit as e:
        raise AssertionError(f"Called frequency.deallocate(10) on a suspended server. It raised "
                             f"Exit({e.reason!r}): it waited for a reply, a cast does not.") from None
    expect("frequency.deallocate(10) on a suspended server", got, "ok")
    check("the milliseconds deallocate waited", ms, 0)
    otp_sys.resume("frequency")
    expect("sys.get_state('frequency') after resume (free list sorted)", unordered(state()), (ALL, []))


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_deallocate_puts_it_back_first():
    """a deallocated frequency goes back to the head of the free list"""
    started()
    me = erlang.self()
    frequency.allocate()
    frequency.allocate()
    expect("frequency.deallocate(10) after allocating 10 and 11", frequency.deallocate(10), "ok")
    expect("sys.get_state('frequency') after that", state(), ([10, 12, 13, 14, 15], [(11, me)]))
    expect("frequency.allocate() next", frequency.allocate(), ("ok", 10))


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_only_the_owner_may_deallocate():
    """deallocating another process's frequency changes nothing; the owner can"""
    started()
    c = client()
    expect("frequency.allocate() in a client process", ask(c, frequency.allocate), ("ok", 10))
    expect("frequency.deallocate(10) from the shell", frequency.deallocate(10), "ok")
    expect("sys.get_state('frequency') after the shell tried to free the client's 10", state(),
           ([11, 12, 13, 14, 15], [(10, c)]))
    expect("frequency.deallocate(10) in the client", ask(c, lambda: frequency.deallocate(10)), "ok")
    expect("sys.get_state('frequency') after the client freed its 10 (free list sorted)",
           unordered(state()), (ALL, []))


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_cannot_deallocate_a_free_frequency():
    """deallocating a frequency nobody holds (10, or 99) changes nothing: no duplicates"""
    started()
    frequency.deallocate(10)
    frequency.deallocate(99)
    expect("sys.get_state('frequency') after deallocate(10) and deallocate(99) on a fresh server",
           state(), (ALL, []))


# ---------------------------------------------------------------- task 3: stop
@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_stop(trace):
    """stop() returns 'ok'; the server ends normally and its name is free; a second stop() is 'ok'"""
    pid = started()
    frequency.allocate()
    expect("frequency.stop()", frequency.stop(), "ok")
    runtime.run_until_idle()
    check("how the server process ended", exits_of(trace, pid), ["normal"])
    expect("erlang.whereis('frequency') after stop", erlang.whereis("frequency"), "undefined")
    expect("frequency.stop() when no server runs", frequency.stop(), "ok")
    check("that the shell survived", erlang.is_process_alive(erlang.self()), True)


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_allocate_after_stop_exits_noproc():
    """allocate() after stop() exits the caller with ('noproc', ('gen_server', 'call', [...]))"""
    started()
    frequency.stop()
    runtime.run_until_idle()
    try:
        got = frequency.allocate()
    except Exit as e:
        got = e.reason
        ok = type(got) is tuple and len(got) == 2 and got[0] == "noproc" and got[1][:2] == ("gen_server", "call")
        check("the exit reason of frequency.allocate() after stop (expected ('noproc', ('gen_server', 'call', ...)))",
              ok, True)
        return
    raise AssertionError(f"Called frequency.allocate() after stop. Got {got!r}, expected it to "
                         "exit with ('noproc', ('gen_server', 'call', [...])), as gen_server.call does.")


# ---------------------------------------------------------------- task 4: timeouts
@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_allocate_with_a_timeout():
    """allocate(1000) on a suspended server: ('error', 'timeout') after 1000 ms"""
    started()
    otp_sys.suspend("frequency")
    got, ms = timed(lambda: frequency.allocate(1000))
    expect("frequency.allocate(1000) on a suspended server", got, ("error", "timeout"))
    check("the milliseconds allocate(1000) waited", ms, 1000)
    otp_sys.resume("frequency")


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_default_timeout_is_5000():
    """allocate() waits gen_server's default 5000 ms"""
    started()
    otp_sys.suspend("frequency")
    got, ms = timed(frequency.allocate)
    expect("frequency.allocate() on a suspended server", got, ("error", "timeout"))
    check("the milliseconds allocate() waited", ms, 5000)
    otp_sys.resume("frequency")


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_a_timed_out_call_still_runs():
    """the timed-out request is still served after resume (g1); the late reply never reaches the caller"""
    started()
    me = erlang.self()
    otp_sys.suspend("frequency")
    expect("frequency.allocate(1000) on a suspended server", frequency.allocate(1000),
           ("error", "timeout"))
    otp_sys.resume("frequency")
    runtime.run_until_idle()
    leaked, cleaned = ([11, 12, 13, 14, 15], [(10, me)]), (ALL, [])
    st = unordered(state())
    if st not in (leaked, cleaned):
        raise AssertionError(
            f"Checked sys.get_state('frequency') after resume. Got {st!r} (free list sorted), expected "
            f"{leaked!r} (the late request was served: the caller holds 10 it was never told about) "
            f"or {cleaned!r} (your client cleaned up after its timeout).")
    check("the shell's mailbox (the late reply is dropped)", mailbox(), [])
    head = state()[0][0]
    expect("frequency.allocate() next (the head of the free list)", frequency.allocate(), ("ok", head))


# ---------------------------------------------------------------- task 5: format_status
@pytest.mark.task(taskno=5)
@pytest.mark.points(2)
def test_get_status_labels_the_state():
    """sys.get_status shows the state as (('available', free), ('allocated', allocated)) (a3)"""
    started()
    me = erlang.self()
    frequency.allocate()
    status = otp_sys.get_status("frequency")
    data = status[3][-1][-1]
    expect("sys.get_status('frequency') (its last item) after one allocate", data,
           ("data", [("State", (("available", [11, 12, 13, 14, 15]), ("allocated", [(10, me)])))]))


@pytest.mark.task(taskno=5)
@pytest.mark.points(1)
def test_format_status_directly():
    """format_status('normal', [pdict, state]) returns ('data', [('State', labelled)]) (or that in a list)"""
    got = frequency.format_status("normal", [[], ([], [(10, "c")])])
    want = ("data", [("State", (("available", []), ("allocated", [(10, "c")])))])
    if got != [want]:          # OTP's gen_server splices a list into the status, so both forms show the same
        expect("frequency.format_status('normal', [[], ([], [(10, 'c')])])", got, want)
