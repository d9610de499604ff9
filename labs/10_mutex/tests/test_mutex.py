"""Checks for lab 10: the mutex as a special process.

Tasks are the ``## N.`` headings of README.md.  Every check starts the mutex
with ``mutex.start_link(...)`` from the shell (the check), so the shell is its
parent, as in erlang_ref g2.  FIFO order is read from the trace: the
``(mutex, 'ok')`` messages the mutex sends, in the order it sends them.
"""
import pytest

from otp_lite import erlang, logger, proc_lib, runtime, timer
from otp_lite import sys as osys
from otp_lite.erlang import ANY, TIMEOUT
from otp_lite.grade.labkit import require, expect, check, exits_of, explore

# Import guard: a missing or misnamed function fails every check with one clear line.
mutex = require("mutex", "start_link", "wait", "signal", "init", "free", "busy",
                "system_terminate", "system_code_change", "terminate")


# ---------------------------------------------------------------- helpers
def started(name="printer", opts=()):
    """mutex.start_link(name, opts) checked to be ('ok', pid) with pid registered as name."""
    call = f"mutex.start_link({name!r}, {list(opts)!r})"
    r = mutex.start_link(name, list(opts))
    if type(r) is not tuple or len(r) != 2 or r[0] != "ok" or not erlang.is_pid(r[1]):
        raise AssertionError(f"Called {call}. Got {r!r}, expected ('ok', pid).")
    runtime.run_until_idle()                       # the mutex runs on after init_ack
    return r[1]


def lines(capsys):
    runtime.run_until_idle()
    return capsys.readouterr().out.splitlines()


def client(name, report_to, hold_until=None, signal=True):
    """Spawn a process that waits for the mutex, reports ('got', self), then signals (or holds).

    With ``signal=False`` it ends (reason normal) without signalling."""
    def body():
        mutex.wait(name)
        erlang.send(report_to, ("got", erlang.self()))
        if hold_until is not None:
            erlang.receive(hold_until)
        if signal:
            mutex.signal(name)
    return erlang.spawn(body)


def got(timeout=100):
    """The next ('got', pid) report, or None."""
    m = erlang.receive(("got", ANY), timeout=timeout)
    return None if m is TIMEOUT else m[1]


def parent_of_mutex(name, opts, me):
    """Spawn a parent that starts the mutex `name` and exits with R on ('die', R); -> (parent, mutex)."""
    def parent():
        r = mutex.start_link(name, opts)
        erlang.send(me, ("started", r))
        msg = erlang.receive(("die", ANY))
        erlang.exit(msg[1])
    par = erlang.spawn(parent)
    r = erlang.receive(("started", ANY), timeout=1000)
    if r is TIMEOUT or type(r[1]) is not tuple or len(r[1]) != 2 or r[1][0] != "ok":
        raise AssertionError(f"Called mutex.start_link({name!r}, {opts!r}) in a parent process. "
                             f"Got {None if r is TIMEOUT else r[1]!r}, expected ('ok', pid).")
    runtime.run_until_idle()
    return par, r[1][1]


def grants(trace, m):
    """The processes the mutex m sent ('ok') to, in order."""
    return [e["to"] for e in trace.of_kind("send") if e["frm"] is m and e["msg"] == (m, "ok")]


# ---------------------------------------------------------------- task 1: start
@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_start_link_registers_and_links():
    """start_link(name) returns ('ok', pid): registered under name, linked to the caller"""
    r = mutex.start_link("printer", [])
    if type(r) is not tuple or len(r) != 2 or r[0] != "ok" or not erlang.is_pid(r[1]):
        raise AssertionError(f"Called mutex.start_link('printer', []). Got {r!r}, expected ('ok', pid).")
    m = r[1]
    check("erlang.whereis('printer') as soon as start_link returned (register before init_ack)",
          erlang.whereis("printer"), m)
    runtime.run_until_idle()
    links = erlang.process_info(m, "links")
    check("that the mutex is linked to the process that started it",
          erlang.self() in (links[1] if type(links) is tuple else []), True)


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_started_with_proc_lib():
    """the mutex is a proc_lib process: '$initial_call' and '$ancestors' in its dictionary"""
    m = started()
    d = dict(erlang.process_info(m, "dictionary")[1])
    check("the mutex's '$initial_call'", d.get("$initial_call"), ("mutex", "init", 3))
    check("the mutex's '$ancestors'", d.get("$ancestors"), [erlang.self()])


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_traps_exits():
    """the mutex traps exits (it must hear about its parent's death)"""
    m = started()
    expect("erlang.process_info(mutex, 'trap_exit')", erlang.process_info(m, "trap_exit"),
           ("trap_exit", True))


# ---------------------------------------------------------------- task 2: wait and signal
@pytest.mark.task(taskno=2)
@pytest.mark.points(3)
def test_second_waiter_blocks_until_signal():
    """wait returns 'ok'; a second waiter gets the mutex only after signal"""
    started()
    expect("mutex.wait('printer')", mutex.wait("printer"), "ok")
    c = client("printer", erlang.self())
    check("who got the mutex while the shell held it (within 100 ms)", got(), None)
    expect("mutex.signal('printer')", mutex.signal("printer"), "ok")
    check("who got the mutex after the shell's signal", got(), c)


@pytest.mark.task(taskno=2)
@pytest.mark.points(3)
def test_waiters_served_in_fifo_order(trace):
    """three queued waiters get the mutex in the order they asked (first come, first served)"""
    m = started()
    mutex.wait("printer")
    cs = []
    for _ in range(3):
        cs.append(client("printer", erlang.self()))
        timer.sleep(10)
    mutex.signal("printer")
    order = [got(), got(), got()]
    check("the order in which the waiters got the mutex", order, cs)
    check("the processes the mutex sent (mutex, 'ok') to, in order (from the trace)",
          grants(trace, m), [erlang.self()] + cs)


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_signal_from_a_non_holder_is_ignored():
    """a signal from a process that does not hold the mutex does not free it"""
    started()
    mutex.wait("printer")
    c = client("printer", erlang.self())
    timer.sleep(10)
    erlang.spawn(lambda: mutex.signal("printer"))   # a process that never waited
    check("who got the mutex after a stranger's signal (within 100 ms)", got(), None)
    mutex.signal("printer")
    check("who got the mutex after the holder's signal", got(), c)


# ---------------------------------------------------------------- task 3: system messages
@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_get_state_free_and_busy():
    """sys.get_state: ('free', name) when free, ('busy', name, holder) when taken"""
    started()
    expect("sys.get_state('printer') on a free mutex", osys.get_state("printer", 1000), ("free", "printer"))
    mutex.wait("printer")
    expect("sys.get_state('printer') after the shell's wait", osys.get_state("printer", 1000),
           ("busy", "printer", erlang.self()))
    mutex.signal("printer")
    expect("sys.get_state('printer') after the signal", osys.get_state("printer", 1000), ("free", "printer"))


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_system_message_while_busy_keeps_it_busy():
    """a sys request while busy is answered and the mutex stays busy: the next waiter still waits"""
    started()
    mutex.wait("printer")
    osys.get_state("printer", 1000)
    c = client("printer", erlang.self())
    check("who got the mutex after a sys.get_state while the shell held it (within 100 ms)", got(), None)
    mutex.signal("printer")
    check("who got the mutex after the shell's signal", got(), c)


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_suspend_and_resume():
    """sys.suspend: a wait is not served until sys.resume; get_status says suspended"""
    m = started()
    expect("sys.suspend('printer')", osys.suspend("printer", 1000), "ok")
    status = osys.get_status("printer", 1000)
    check("sys.get_status('printer') while suspended (the status)",
          (status[0], status[1], status[2], status[3][1], status[3][-1]),
          ("status", m, ("module", "mutex"), "suspended", ("free", "printer")))
    c = client("printer", erlang.self())
    check("who got the mutex while it was suspended (within 100 ms)", got(), None)
    expect("sys.resume('printer')", osys.resume("printer", 1000), "ok")
    check("who got the mutex after sys.resume", got(), c)


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_trace_prints_mutex_lines(capsys):
    """start_link(name, ['trace']) prints 'mutex printer: init', then one line per wait and signal"""
    started("printer", ["trace"])
    me = erlang.self()
    check("the lines printed by start_link('printer', ['trace'])", lines(capsys), ["mutex printer: init"])
    mutex.wait("printer")
    mutex.signal("printer")
    check("the lines printed by wait and signal", lines(capsys),
          [f"mutex printer: ('wait', {me!r})", f"mutex printer: ('signal', {me!r})"])
    expect("sys.trace('printer', False)", osys.trace("printer", False, 1000), "ok")
    mutex.wait("printer")
    mutex.signal("printer")
    check("the lines printed after sys.trace('printer', False)", lines(capsys), [])


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_sys_log_keeps_events():
    """sys.log('printer', True) then wait, signal: sys.log get returns both events"""
    started()
    me = erlang.self()
    expect("sys.log('printer', True)", osys.log("printer", True, 1000), "ok")
    mutex.wait("printer")
    mutex.signal("printer")
    runtime.run_until_idle()
    expect("sys.log('printer', 'get')", osys.log("printer", "get", 1000),
           ("ok", [("wait", me), ("signal", me)]))


# ---------------------------------------------------------------- task 4: termination
@pytest.mark.task(taskno=4)
@pytest.mark.points(3)
def test_parent_death_kills_holder_and_waiters(trace):
    """the parent exits 'maintenance': holder, waiters and the mutex go down with that reason"""
    me = erlang.self()
    par, m = parent_of_mutex("lock2", [], me)
    holder = client("lock2", me, hold_until="never")
    check("who got the mutex first", got(), holder)
    waiter = client("lock2", me)
    timer.sleep(10)
    with logger.capture():
        erlang.send(par, ("die", "maintenance"))
        timer.sleep(100)
    check("how the mutex ended", exits_of(trace, m), ["maintenance"])
    check("how the holder ended", exits_of(trace, holder), ["maintenance"])
    check("how the queued waiter ended", exits_of(trace, waiter), ["maintenance"])
    expect("erlang.whereis('lock2') after the parent died", erlang.whereis("lock2"), "undefined")


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_sys_terminate(trace):
    """sys.terminate('printer', 'shutdown') returns 'ok'; the mutex and its holder exit 'shutdown'"""
    erlang.process_flag("trap_exit", True)          # the shell is the parent: survive the exit
    m = started()
    holder = client("printer", erlang.self(), hold_until="never")
    check("who got the mutex first", got(), holder)
    expect("sys.terminate('printer', 'shutdown')", osys.terminate("printer", "shutdown", 1000), "ok")
    runtime.run_until_idle()
    check("how the mutex ended", exits_of(trace, m), ["shutdown"])
    check("how the holder ended", exits_of(trace, holder), ["shutdown"])


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_parent_death_while_free(trace):
    """the parent exits while nobody holds the mutex: the mutex exits with the parent's reason"""
    par, m = parent_of_mutex("lock2", [], erlang.self())
    with logger.capture():
        erlang.send(par, ("die", "maintenance"))
        timer.sleep(100)
    check("how the free mutex ended after its parent exited 'maintenance'", exits_of(trace, m), ["maintenance"])


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_exit_of_another_linked_process_is_ignored(trace):
    """only the parent's EXIT stops the mutex: another linked process that dies leaves it running"""
    m = started()

    def stranger():
        erlang.link(m)
        erlang.exit("boom")
    erlang.spawn(stranger)
    runtime.run_until_idle()
    check("how the mutex ended after a linked process (not its parent) exited 'boom'", exits_of(trace, m), [])
    expect("mutex.wait('printer') after that", mutex.wait("printer"), "ok")


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_terminate_is_traced(capsys):
    """terminate reports ('terminate', reason): a traced mutex prints its last line (erlang_ref g2)"""
    erlang.process_flag("trap_exit", True)          # the shell is the parent: survive the exit
    started("printer", ["trace"])
    lines(capsys)
    osys.terminate("printer", "shutdown", 1000)
    check("the lines printed by sys.terminate('printer', 'shutdown') on a traced mutex", lines(capsys),
          ["mutex printer: ('terminate', 'shutdown')"])


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_sys_change_code():
    """sys.change_code on the suspended mutex returns 'ok' (system_code_change returns ('ok', misc))"""
    started()
    osys.suspend("printer", 1000)
    expect("sys.change_code('printer', 'mutex', '1', ()) while suspended",
           osys.change_code("printer", "mutex", "1", (), 1000), "ok")
    osys.resume("printer", 1000)
    expect("mutex.wait('printer') after the code change", mutex.wait("printer"), "ok")


# ---------------------------------------------------------------- task 5: holder death
@pytest.mark.task(taskno=5)
@pytest.mark.points(2)
def test_dead_holder_frees_the_mutex_for_the_next_waiter():
    """the holder dies without signal (killed, or it just ends): the next waiter gets the mutex"""
    started()
    holder = client("printer", erlang.self(), hold_until="never")
    check("who got the mutex first", got(), holder)
    w1 = client("printer", erlang.self(), hold_until="go", signal=False)
    timer.sleep(10)
    w2 = client("printer", erlang.self())
    timer.sleep(10)
    erlang.exit(holder, "kill")
    check("who got the mutex after the holder was killed", got(), w1)
    erlang.send(w1, "go")                           # w1 ends (reason normal) without signalling
    check("who got the mutex after its holder ended normally without signalling", got(), w2)


@pytest.mark.task(taskno=5)
@pytest.mark.points(1)
def test_dead_holder_nobody_waiting_leaves_it_free():
    """the holder dies and nobody waits: the mutex is free again"""
    started()
    holder = client("printer", erlang.self(), hold_until="never")
    check("who got the mutex first", got(), holder)
    erlang.exit(holder, "kill")
    runtime.run_until_idle()
    expect("sys.get_state('printer') after the holder died", osys.get_state("printer", 1000),
           ("free", "printer"))


@pytest.mark.task(taskno=5)
@pytest.mark.points(1)
def test_waiter_that_died_in_the_queue_is_skipped(trace):
    """a waiter that died while queued is skipped: the one behind it gets the mutex"""
    m = started()
    mutex.wait("printer")
    dead = client("printer", erlang.self())
    timer.sleep(10)
    alive = client("printer", erlang.self())
    timer.sleep(10)
    erlang.exit(dead, "kill")
    runtime.run_until_idle()
    mutex.signal("printer")
    check("who got the mutex after the shell's signal", got(), alive)


@pytest.mark.task(taskno=5)
@pytest.mark.points(1)
def test_signal_leaves_no_monitor_behind():
    """signal demonitors the holder (with flush): no monitor and no stale DOWN left in the mutex"""
    m = started()

    def holder():
        mutex.wait("printer")
        mutex.signal("printer")                     # and ends at once
    erlang.spawn(holder)
    runtime.run_until_idle()
    expect("sys.get_state('printer') after a holder signalled and ended", osys.get_state("printer", 1000),
           ("free", "printer"))
    check("the monitors the mutex still holds (erlang.process_info(mutex, 'monitors'))",
          erlang.process_info(m, "monitors"), ("monitors", []))
    check("the messages left in the mutex's mailbox (a DOWN not flushed)",
          erlang.process_info(m, "messages"), ("messages", []))


@pytest.mark.task(taskno=5)
@pytest.mark.points(1)
@explore(runs=300, strategy="random", seed=0)
def test_two_clients_under_any_schedule():
    """explored, 300 schedules: two clients take turns, each signals and ends; one holder at a time, nothing left behind"""
    m = started()
    me = erlang.self()

    def worker():
        mutex.wait("printer")
        erlang.send(me, ("in", erlang.self()))
        erlang.send(me, ("out", erlang.self()))
        mutex.signal("printer")
        erlang.send(me, ("done", erlang.self()))    # and ends: its DOWN races the signal
    for _ in range(2):
        erlang.spawn(worker)
    seen = []
    for _ in range(6):
        msg = erlang.receive((ANY, ANY), timeout=1000)
        if msg is TIMEOUT:
            break
        seen.append(msg)
    turns = [m for m in seen if m[0] in ("in", "out")]
    first = turns[0][1] if turns else None
    check("the reports of two clients A and B holding the mutex (one holder at a time: each 'in' "
          "followed by the same client's 'out')",
          [(k, "A" if p is first else "B") for k, p in turns],
          [("in", "A"), ("out", "A"), ("in", "B"), ("out", "B")])
    runtime.run_until_idle()
    expect("sys.get_state('printer') after both clients signalled and ended",
           osys.get_state("printer", 1000), ("free", "printer"))
    check("the monitors the mutex still holds (erlang.process_info(mutex, 'monitors'))",
          erlang.process_info(m, "monitors"), ("monitors", []))
    check("the messages left in the mutex's mailbox (a 'DOWN' of a holder that died between your "
          "steps on signal)", erlang.process_info(m, "messages"), ("messages", []))
