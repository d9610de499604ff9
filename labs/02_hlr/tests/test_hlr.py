"""Checks for lab 02: an HLR that forgets the dead.  Tasks are the ``## N.`` headings of README.md."""
import pytest

from otp_lite import erlang, runtime
from otp_lite.erlang import ANY
from otp_lite.grade.labkit import require, expect, check, exits_of

# Import guard: a missing or misnamed function fails every check with one clear line.
hlr = require("hlr", "new", "attach", "detach", "lookup_id", "lookup_ms")


def client(ms, how="wait"):
    """A process that attaches to ``ms``, tells the shell, then waits / ends / crashes."""
    shell = erlang.self()

    def body():
        got = hlr.attach(ms)
        erlang.send(shell, ("attached", erlang.self(), got))
        if how == "wait":
            erlang.receive("go")
        elif how == "crash":
            erlang.exit("boom")

    pid = erlang.spawn(body)
    ref = erlang.monitor("process", pid)
    erlang.receive(("attached", pid, ANY))     # what attach returns is test_attach_then_lookup_id's business
    return pid, ref


def wait_down(pid, ref):
    """Wait for ``pid`` to end, then let every signal it sent take effect; its exit reason."""
    reason = erlang.receive(("DOWN", ref, "process", pid, ANY))[4]
    runtime.run_until_idle()
    return reason


# ---------------------------------------------------------------- task 1
@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_attach_then_lookup_id():
    """attach(ms) maps the number to the calling process"""
    expect("hlr.new()", hlr.new(), "ok")
    expect("hlr.attach(12345)", hlr.attach(12345), True)
    expect("hlr.lookup_id(12345)", hlr.lookup_id(12345), ("ok", erlang.self()))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_lookup_ms():
    """lookup_ms(pid) finds the number of an attached process"""
    hlr.new()
    hlr.attach(12345)
    expect("hlr.lookup_ms(self())", hlr.lookup_ms(erlang.self()), ("ok", 12345))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_unknown_is_invalid():
    """unknown numbers and processes give ('error', 'invalid')"""
    hlr.new()
    expect("hlr.lookup_id(99999)", hlr.lookup_id(99999), ("error", "invalid"))
    expect("hlr.lookup_ms(self()) before any attach", hlr.lookup_ms(erlang.self()),
           ("error", "invalid"))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_detach():
    """detach() removes both entries"""
    hlr.new()
    hlr.attach(12345)
    expect("hlr.detach()", hlr.detach(), True)
    expect("hlr.lookup_id(12345) after detach()", hlr.lookup_id(12345), ("error", "invalid"))
    expect("hlr.lookup_ms(self()) after detach()", hlr.lookup_ms(erlang.self()),
           ("error", "invalid"))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_shared_between_processes():
    """what one process attaches, every process can look up"""
    hlr.new()
    pid, ref = client(555)
    expect("hlr.lookup_id(555) from the shell", hlr.lookup_id(555), ("ok", pid))
    expect(f"hlr.lookup_ms({pid!r}) from the shell", hlr.lookup_ms(pid), ("ok", 555))
    erlang.send(pid, "go")
    wait_down(pid, ref)


# ---------------------------------------------------------------- task 2
@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_normal_exit_cleans_up():
    """a process that ends is forgotten"""
    hlr.new()
    pid, ref = client(777, how="end")
    wait_down(pid, ref)
    expect(f"hlr.lookup_id(777) after {pid!r} ended", hlr.lookup_id(777), ("error", "invalid"))
    expect(f"hlr.lookup_ms({pid!r}) after it ended", hlr.lookup_ms(pid), ("error", "invalid"))


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_crash_cleans_up_and_hlr_survives(trace):
    """a process that crashes is forgotten, and the HLR keeps running"""
    hlr.new()
    server = erlang.whereis("hlr")
    check("that a process is registered as 'hlr' after hlr.new()", erlang.is_pid(server), True)
    pid, ref = client(888, how="crash")
    expect(f"the exit reason of {pid!r}", wait_down(pid, ref), "boom")
    check("the exits of the HLR process (it must survive a client's crash)",
           exits_of(trace, server), [])
    expect(f"hlr.lookup_id(888) after {pid!r} crashed", hlr.lookup_id(888), ("error", "invalid"))
    expect("erlang.whereis('hlr') after a client crashed", erlang.whereis("hlr"), server)


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_only_the_dead_are_forgotten():
    """when one of three clients dies, the other two stay attached"""
    hlr.new()
    a, ra = client(1)
    b, rb = client(2)
    c, rc = client(3)
    server = erlang.whereis("hlr")
    check("that a process is registered as 'hlr' after hlr.new()", erlang.is_pid(server), True)
    erlang.exit(b, "kill")
    wait_down(b, rb)
    check("that the HLR is still alive after a client was killed",
           erlang.is_process_alive(server), True)
    got = [hlr.lookup_id(1), hlr.lookup_id(2), hlr.lookup_id(3)]
    expect("[hlr.lookup_id(n) for n in (1, 2, 3)] after the 2nd client was killed", got,
           [("ok", a), ("error", "invalid"), ("ok", c)])
    for p, r in ((a, ra), (c, rc)):
        erlang.send(p, "go")
        wait_down(p, r)


# ---------------------------------------------------------------- task 3
@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_reattach_replaces_the_number():
    """attaching again moves the process to its new number"""
    hlr.new()
    hlr.attach(1)
    expect("hlr.attach(2) after hlr.attach(1)", hlr.attach(2), True)
    got = (hlr.lookup_id(1), hlr.lookup_id(2), hlr.lookup_ms(erlang.self()))
    expect("(hlr.lookup_id(1), hlr.lookup_id(2), hlr.lookup_ms(self()))", got,
           (("error", "invalid"), ("ok", erlang.self()), ("ok", 2)))


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_reattach_keeps_one_monitor():
    """attaching three times over, the HLR still watches the caller once (no monitor leaked per attach)"""
    hlr.new()
    server = erlang.whereis("hlr")
    check("that a process is registered as 'hlr' after hlr.new()", erlang.is_pid(server), True)
    for ms in (1, 2, 3):
        hlr.attach(ms)
    runtime.run_until_idle()
    me = erlang.self()
    watching = [t for (_k, t) in erlang.process_info(server, "monitors")[1] if t is me]
    check("how many monitors the HLR holds on the shell after attach(1), attach(2), attach(3) "
          "(a re-attach must reuse the monitor it has, not add one)", len(watching) <= 1, True)


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_detach_lets_go_of_the_process():
    """after detach() the HLR no longer monitors (or links to) the caller"""
    hlr.new()
    server = erlang.whereis("hlr")
    check("that a process is registered as 'hlr' after hlr.new()", erlang.is_pid(server), True)
    hlr.attach(42)
    hlr.detach()
    runtime.run_until_idle()                # let the HLR finish whatever detach() asked of it
    me = erlang.self()
    watching = [t for (_k, t) in erlang.process_info(server, "monitors")[1] if t is me]
    check("the HLR's monitors on the shell after detach()", watching, [])
    check("the HLR's links to the shell after detach()",
           me in erlang.process_info(server, "links")[1], False)
    check("the shell's mailbox after detach()", erlang.process_info(me, "messages")[1], [])
