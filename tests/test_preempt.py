"""Preemption: a process that computes for ever no longer freezes the system.

Every spinner here is the learner's one-liner ``while True: pass`` (it has no
line events, only opcode ones) or a close relative.  The runtimes use short
slices (5 ms of CPU) so that each test takes a fraction of a second; what is
asserted is on the virtual clock, which moves by one slice per preemption,
so the values do not depend on the machine.

What OTP 25 does with a spinner on one scheduler (tests/oracle_probes/preempt1.erl):
its status reads ``runnable``, its reductions grow, a ``receive ... after 100``
elsewhere takes ~101 ms, and ``exit(S, kill)`` gives ``DOWN ... killed``.
"""
import time

import pytest

from otp_lite import erlang, gen_server, runtime, supervisor, timer, ets
from otp_lite.erlang import ANY, TIMEOUT, Deadlock, Exit
from otp_lite.kernel import preempt

from otp_testkit import assert_empty_mailbox

SLICE = 5


@pytest.fixture
def rt():
    r = runtime.reset(clock="virtual", seed=0, preempt_ms=SLICE)
    yield r
    r.close()


def spin():
    while True: pass                              # noqa: E701 - exactly the learner's line


def spin_counting(box):
    while True:
        box[0] += 1


def stubborn(box):
    """Counts in box[0] for ever, swallowing every exception (a kill, a GreenletExit)."""
    while True:
        try:
            spin_counting(box)
        except BaseException:                     # noqa: BLE001 - the attack under test
            pass


def compute_then_send(dest, msg, seconds=0.03):
    """Computes for ``seconds`` of CPU (longer than a slice), then sends."""
    t0 = time.process_time()
    while time.process_time() - t0 < seconds:
        pass
    erlang.send(dest, msg)


def ticker(me, n, every):
    for i in range(n):
        timer.sleep(every)
        erlang.send(me, ("tick", i, runtime.now()))


# ------------------------------------------------------------- timers, receive
def test_a_spinner_does_not_stop_timers(rt):
    me = erlang.self()
    erlang.spawn(spin)
    erlang.spawn(ticker, me, 3, 100)
    ticks = [erlang.receive(("tick", ANY, ANY)) for _ in range(3)]
    # the spinner ran first (one slice, 5 ms), then the ticker started its sleeps
    assert ticks == [("tick", 0, 105), ("tick", 1, 205), ("tick", 2, 305)]
    assert rt.preemptions >= 60


def test_shell_receive_timeout_while_a_spinner_runs(rt):
    erlang.spawn(spin)
    assert erlang.receive(timeout=50) is TIMEOUT
    assert runtime.now() == 50                    # charged slice by slice: 10 x 5 ms
    assert erlang.receive(("nothing",), timeout=20) is TIMEOUT
    assert runtime.now() == 70


def test_another_process_receive_timeout_while_a_spinner_runs(rt):
    me = erlang.self()

    def waiter():
        erlang.send(me, ("waited", erlang.receive(timeout=30), runtime.now()))

    erlang.spawn(spin)
    erlang.spawn(waiter)
    assert erlang.receive() == ("waited", TIMEOUT, 35)


def test_two_spinners_both_progress(rt):
    a, b = [0], [0]
    erlang.spawn(spin_counting, a)
    erlang.spawn(spin_counting, b)
    erlang.spawn(spin)
    timer.sleep(100)
    assert a[0] > 0 and b[0] > 0
    assert rt.preemptions >= 20


def test_real_clock_ticker_keeps_time_with_spinners():
    rt = runtime.reset(clock="real", preempt_ms=SLICE)
    try:
        me = erlang.self()
        for _ in range(3):
            erlang.spawn(spin)
        t0 = time.monotonic()
        erlang.spawn(ticker, me, 4, 20)
        got = [erlang.receive(("tick", ANY, ANY), timeout=2000) for _ in range(4)]
        assert TIMEOUT not in got
        assert time.monotonic() - t0 < 1.5        # 80 ms of sleeps; generous bound
    finally:
        rt.close()


# ------------------------------------------------------------- behaviours
class SlowServer:
    @staticmethod
    def init(_):
        return ("ok", 0)

    @staticmethod
    def handle_call(req, _from, n):
        if req == "spin":
            spin()
        return ("reply", ("ok", n), n + 1)


def test_gen_server_call_times_out_while_the_server_spins(rt):
    _, pid = gen_server.start(SlowServer, [], [])
    t0 = runtime.now()          # (0, or one slice if starting took a slice of CPU: a cold import)
    with pytest.raises(Exit) as ei:
        gen_server.call(pid, "spin", 200)
    assert ei.value.reason == ("timeout", ("gen_server", "call", [pid, "spin", 200]))
    assert runtime.now() - t0 == 200
    assert erlang.process_info(pid, "status") in (("status", "runnable"), ("status", "running"))
    erlang.exit(pid, "kill")


class Worker:
    @staticmethod
    def start_link(kind):
        return gen_server.start_link(Worker, kind, [])

    @staticmethod
    def init(kind):
        if kind == "spinner":
            erlang.send(erlang.self(), "spin")
        return ("ok", kind)

    @staticmethod
    def handle_call(req, _from, s):
        return ("reply", s, s)

    @staticmethod
    def handle_info(msg, s):
        if msg == "spin":
            spin()
        return ("noreply", s)


class Sup:
    @staticmethod
    def init(_):
        return ("ok", ({"strategy": "one_for_one", "intensity": 5, "period": 10},
                       [{"id": "spinner", "start": (Worker, "start_link", ["spinner"])},
                        {"id": "w", "start": (Worker, "start_link", ["w"])}]))


def test_supervisor_restarts_a_child_while_a_sibling_spins(rt):
    _, sup = supervisor.start_link(Sup, [])
    kids = {c[0]: c[1] for c in supervisor.which_children(sup)}
    w = kids["w"]
    erlang.exit(w, "crash")
    timer.sleep(10)
    kids2 = {c[0]: c[1] for c in supervisor.which_children(sup)}
    assert kids2["w"] != w and erlang.is_process_alive(kids2["w"])
    assert gen_server.call(kids2["w"], "who") == "w"
    assert kids2["spinner"] == kids["spinner"]
    erlang.unlink(sup)
    erlang.exit(sup, "kill")


# ------------------------------------------------------------- kill, observe
def test_kill_a_spinner_from_the_shell(rt):
    s = erlang.spawn(spin)
    ref = erlang.monitor("process", s)
    timer.sleep(20)
    erlang.exit(s, "kill")
    assert erlang.receive() == ("DOWN", ref, "process", s, "killed")
    assert not erlang.is_process_alive(s)
    assert_empty_mailbox()


def test_kill_a_spinner_from_another_process(rt):
    s = erlang.spawn(spin)
    me = erlang.self()

    def killer():
        timer.sleep(20)
        erlang.exit(s, "kill")
        erlang.send(me, "done")

    ref = erlang.monitor("process", s)
    erlang.spawn(killer)
    assert erlang.receive("done") == "done"
    assert erlang.receive() == ("DOWN", ref, "process", s, "killed")


def test_a_linked_spinner_dies_with_its_partner(rt):
    me = erlang.self()

    def parent():
        erlang.spawn_link(spin)
        timer.sleep(10)
        erlang.exit("boom")

    p, ref = erlang.spawn_monitor(parent)
    assert erlang.receive() == ("DOWN", ref, "process", p, "boom")
    timer.sleep(10)
    assert [q for q in erlang.processes() if q is not me] == []


def test_reductions_grow_and_status_reads_running_or_runnable(rt):
    s = erlang.spawn(spin)
    timer.sleep(10)
    r1 = erlang.process_info(s, "reductions")[1]
    timer.sleep(50)
    r2 = erlang.process_info(s, "reductions")[1]
    assert r2 > r1 > 0
    st = erlang.process_info(s, "status")[1]
    assert st == "runnable" and type(st) is str
    erlang.exit(s, "kill")


def test_observer_lists_the_spinner(rt):
    from otp_lite import viz
    s = erlang.spawn(spin)
    timer.sleep(30)
    row = [r for r in viz.observer().rows if r["pid"] is s][0]
    assert row["status"] == "runnable" and row["reductions"] > 0
    erlang.exit(s, "kill")


def test_deadlock_is_not_fooled_by_a_spinner(rt):
    erlang.spawn(compute_then_send, erlang.self(), "late")
    assert erlang.receive() == "late"             # no false Deadlock while it computes
    s = erlang.spawn(spin)
    timer.sleep(10)
    erlang.exit(s, "kill")
    with pytest.raises(Deadlock):
        erlang.receive()


def test_a_spinner_that_swallows_the_kill_is_ended_anyway(rt):
    box = [0]

    s = erlang.spawn(stubborn, box)
    ref = erlang.monitor("process", s)
    timer.sleep(10)
    erlang.exit(s, "kill")
    assert erlang.receive() == ("DOWN", ref, "process", s, "killed")
    timer.sleep(10)
    n = box[0]
    timer.sleep(30)
    assert box[0] == n                            # it never runs again
    assert s not in erlang.processes()


# ------------------------------------------------------------- safety
def test_never_preempted_inside_ets(rt):
    t = ets.new("q", ["ordered_set", "public"])

    def churn(base):
        i = 0
        while True:
            ets.insert(t, (base + i % 50, i))
            ets.delete(t, base + (i + 25) % 50)
            i += 1

    erlang.spawn(churn, 0)
    erlang.spawn(churn, 1000)
    timer.sleep(60)
    assert rt.preemptions >= 10
    keys = [o[0] for o in ets.tab2list(t)]
    assert keys == sorted(set(keys))


def test_switch_point_skips_kernel_and_library_frames():
    import sys as _sys
    from otp_lite.kernel import scheduler
    preempt._PROC_MAIN = scheduler.Runtime._proc_main.__code__
    assert preempt._file_safe(__file__)
    assert not preempt._file_safe(scheduler.__file__)
    assert not preempt._file_safe(ets.__file__)
    assert not preempt._file_safe(time.__file__ if hasattr(time, "__file__") else _sys.modules["os"].__file__)
    assert preempt._file_safe(gen_server.__file__)
    assert preempt._switch_point(_sys._getframe()) is None      # not inside a process


def test_preempt_off_leaves_long_computations_alone():
    rt = runtime.reset(preempt_ms=None)
    try:
        assert preempt.armed() is None
        erlang.spawn(compute_then_send, erlang.self(), "done")
        assert erlang.receive() == "done"
        assert rt.preemptions == 0 and runtime.now() == 0
    finally:
        rt.close()


def test_default_slices():
    r = runtime.reset()
    assert r.preempt_ms == preempt.VIRTUAL_MS and preempt.armed() == preempt.VIRTUAL_MS
    r = runtime.reset(clock="real")
    assert r.preempt_ms == preempt.REAL_MS
    r.close()
    with pytest.raises(ValueError, match="preempt_ms"):
        runtime.reset(preempt_ms=0)
    with pytest.raises(ValueError, match="preempt_ms"):
        runtime.reset(preempt_ms="fast")


def test_trace_shows_preemptions(rt):
    rec = runtime.Recorder().start()
    s = erlang.spawn(spin)
    timer.sleep(20)
    rec.stop()
    kinds = [e["kind"] for e in rec.events if e.get("pid") is s]
    assert "preempt" in kinds
    erlang.exit(s, "kill")


# ------------------------------------------------------------- Ctrl-C
def _interrupted_mid_computation(me, log):
    import signal
    log.append("before")
    signal.raise_signal(signal.SIGINT)            # Ctrl-C lands in this process
    log.append("after")
    erlang.send(me, "finished")


def test_ctrl_c_in_a_process_interrupts_the_shell_and_the_process_resumes(rt):
    assert preempt.install_sigint()
    me = erlang.self()
    log = []
    p = erlang.spawn(_interrupted_mid_computation, me, log)
    with pytest.raises(KeyboardInterrupt):
        erlang.receive()
    assert erlang.self() is me and me.alive       # the shell keeps its pid
    assert log == ["before"]                      # suspended where it was
    assert erlang.is_process_alive(p)
    assert erlang.receive() == "finished"         # it resumes when the shell waits again
    assert log == ["before", "after"]
    assert erlang.receive(timeout=100) is TIMEOUT  # receive timeouts still work
    assert runtime.now() == 100


def test_ctrl_c_while_the_shell_runs_is_a_plain_keyboard_interrupt(rt):
    import signal
    assert preempt.install_sigint()
    with pytest.raises(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)
    assert rt.interrupt_pending is None


def test_ctrl_c_between_processes_reaches_the_shell(rt):
    """The signal lands in the hub (here: a timer callback): the shell gets it, nothing dies."""
    from greenlet import getcurrent
    from otp_lite.kernel.timers import CALL
    me = erlang.self()
    where = []

    def hub_side():
        where.append(getcurrent() is rt.hub)
        preempt.request_interrupt(rt, KeyboardInterrupt(), None)

    rt.add_timer(20, CALL, hub_side, ())
    with pytest.raises(KeyboardInterrupt):
        erlang.receive()
    assert where == [True]
    assert erlang.self() is me
    assert rt.interrupt_pending is None and rt.slice_end is None
    assert erlang.receive(timeout=10) is TIMEOUT


def test_ctrl_c_at_a_spinner_then_kill_it(rt):
    import signal
    assert preempt.install_sigint()

    def spin_then_ctrl_c():
        t0 = time.process_time()
        while time.process_time() - t0 < 0.02:
            pass
        signal.raise_signal(signal.SIGINT)
        spin()

    s = erlang.spawn(spin_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        erlang.receive()
    ref = erlang.monitor("process", s)
    erlang.exit(s, "kill")
    assert erlang.receive() == ("DOWN", ref, "process", s, "killed")


# ------------------------------------------------------------- the shell's turn
def test_run_until_idle_returns_while_a_spinner_computes(rt):
    """A cell that spawns a spinner ends (the post-cell run_until_idle returns)."""
    s = erlang.spawn(spin)
    runtime.run_until_idle()
    assert erlang.process_info(s, "status") == ("status", "runnable")
    runtime.run_until_idle()
    assert rt.preemptions == 2
    me = erlang.self()
    erlang.spawn(erlang.send, me, "hi")
    runtime.run_until_idle()                      # the other process runs too
    assert erlang.receive(timeout=0) == "hi"
    erlang.exit(s, "kill")
    runtime.run_until_idle()
    assert not erlang.is_process_alive(s)


def test_a_deep_recursion_is_preempted(rt):
    """The safe frame is found however deep the stack is (here ~900 frames)."""
    def down(n):
        if n:
            return down(n - 1)
        spin()

    s = erlang.spawn(down, 900)
    timer.sleep(30)
    assert rt.preemptions >= 3
    erlang.exit(s, "kill")


def test_user_code_called_by_a_behaviour_or_timer_is_preempted(rt):
    """Frames of gen_server, timer.tc, ... may be suspended between callbacks; a spinner
    called from them is preempted like any other."""
    me = erlang.self()

    def via_tc():
        timer.tc(spin)

    erlang.spawn(via_tc)
    timer.sleep(30)
    assert rt.preemptions >= 3
    assert preempt._file_safe(timer.__file__) and not preempt._file_safe(erlang.__file__)
    from otp_lite import code, global_, pg
    assert not any(preempt._file_safe(m.__file__) for m in (code, global_, pg, ets))


def test_reset_while_spinners_are_preempted(rt):
    """Re-running a notebook: reset() with spinners (one of them stubborn) in the run
    queue returns, and collecting the old runtime never resumes them."""
    import gc

    erlang.spawn(spin)
    erlang.spawn(stubborn, [0])
    timer.sleep(20)
    new = runtime.reset(preempt_ms=SLICE)
    del rt
    gc.collect()
    assert erlang.receive(timeout=10) is TIMEOUT and new.preemptions == 0


def test_ctrl_c_with_python_default_handler_still_leaves_the_shell_consistent(rt):
    """Without otp_lite's handler (a second Ctrl-C, or a program that put Python's
    default back), KeyboardInterrupt is raised inside the process: it dies with that
    reason, and the shell still has its pid and working receive timeouts."""
    import signal
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        me = erlang.self()

        def victim():
            signal.raise_signal(signal.SIGINT)

        p, ref = erlang.spawn_monitor(victim)
        with pytest.raises(KeyboardInterrupt):
            erlang.receive(("never",))
        assert erlang.self() is me and rt.current is me
        down = erlang.receive(("DOWN", ref, "process", p, ANY))
        assert isinstance(down[4][0], KeyboardInterrupt)
        assert erlang.receive(timeout=100) is TIMEOUT and runtime.now() == 100
    finally:
        signal.signal(signal.SIGINT, old)


def test_keyboard_interrupt_raised_in_the_hub_does_not_kill_it(rt):
    from otp_lite.kernel.timers import CALL

    def in_hub():
        raise KeyboardInterrupt

    rt.add_timer(10, CALL, in_hub, ())
    with pytest.raises(KeyboardInterrupt):
        erlang.receive(("never",))
    assert not rt.hub.dead
    me = erlang.self()
    erlang.spawn(erlang.send, me, "hub alive")
    assert erlang.receive() == "hub alive"
    assert erlang.receive(timeout=5) is TIMEOUT


def test_a_full_garbage_collection_is_nobodys_slice():
    """A process that computes for less than a slice is not preempted because a full
    collection (here longer than the slice) ran during its turn: in a big process
    (a test suite), that made a virtual-clock run differ by one slice."""
    import gc
    junk = [[i] for i in range(1_500_000)]
    t0 = time.thread_time()
    gc.collect()
    slice_ms = max(5, int((time.thread_time() - t0) * 1000 / 3))     # the collection: ~3 slices
    rt = runtime.reset(preempt_ms=slice_ms)
    try:
        me = erlang.self()

        def brief():
            compute = slice_ms / 4000
            for _ in range(2):
                t = time.thread_time()
                while time.thread_time() - t < compute:
                    pass
                gc.collect()
            erlang.send(me, "done")

        for _ in range(3):
            erlang.spawn(brief)
            assert erlang.receive() == "done"
        assert rt.preemptions == 0 and runtime.now() == 0
    finally:
        rt.close()
        del junk
