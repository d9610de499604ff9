"""Preemption: a process that computes past its time slice is suspended, as on the BEAM.

Essay
-----
The BEAM takes the CPU back from a process after a budget of reductions, so
one busy process cannot starve the others.  otp_lite counts reductions too
(sends, receives: ``scheduler.BUDGET``), but a pure-Python loop such as
``while True: pass`` does neither.  For those, a CPU-time timer takes over::

    SIGPROF every slice/TICKS of CPU          the handler (_on_tick)
    --------------------------------          ----------------------
    tick: is the same process still running   yes, for a slice since the tick
    since the last tick?  (its status is      that first saw it: arm a trace
    the _Seen marker the last tick left,      function on the nearest frame
    with the time it was first seen; any      where a switch is safe
    switch resets it to RUNNING)              (sys.settrace + f_trace_opcodes)

    the next instruction in that frame        the trace function (_on_event)
    ----------------------------------        ------------------------------
    disarm; Runtime.preempt(p): charge the    then switch to the hub, outside
    slice (BUDGET reductions; virtual time    of tracing (PyThreadState_Leave/
    moves by the slice), fire due timers,     EnterTracing around the switch,
    p to the back of the run queue            or tracing stays off for every
                                              other greenlet)

Nothing runs on the hot path: the timer costs one short handler call per
tick, and only while the interpreter uses CPU (``ITIMER_PROF`` is silent
while idle and leaves ``SIGALRM`` to the grader).  The switch never happens
inside the signal handler (it may run inside C code), and only where a
process could have blocked anyway: in the learner's code, or in a behaviour
(gen_server, supervisor...) between callbacks, never inside the kernel, ets,
a trace subscriber, the standard library or another package (a lock held
there would be re-entered by the next process).  The same trace hook
delivers interrupts (Ctrl-C, the grader's time limit) to the shell at a safe
point: the interrupted process goes back to the run queue and resumes later.

When preemption changes an interleaving: only when one process runs longer
than ``preempt_ms`` of CPU without sending, receiving or calling (a slice is
100 ms under the virtual clock, 10 ms under the real one).  The CPU counted
is the main thread's own (``time.thread_time``), less full garbage
collections: other threads, other programs on the machine and the collector
never use up a process's slice.  Ordinary cells
never do, so their output is the same on every run; a spinner's own progress
(how far its loop got) is the one thing that depends on the machine.  Under
the virtual clock time moves only when every process waits, or by one slice
each time a process is preempted: a spinner is charged for the CPU it takes,
so a 5-second timeout elsewhere fires after 50 of its slices.

Limits (as in any CPython tracer): code blocked inside C (``time.sleep``, a
C extension) is not preempted until it returns; neither is a process while a
debugger or coverage tool owns ``sys.settrace``.  A process that swallows the
kill (``except BaseException`` in a loop) is ended anyway at its next
preemption: the runtime reports it dead and never resumes it.

Prior art: the BEAM's reductions and ``+sbt``; gevent's and Go's (1.14)
signal-based async preemption; Python's own ``sys.setswitchinterval``.
"""
from __future__ import annotations

import atexit
import ctypes
import gc
import os
import signal
import site
import sys
import sysconfig
import threading
from time import thread_time as _cpu

from greenlet import getcurrent

from . import state

TICKS = 4              # timer ticks asked for per slice (Linux delivers CPU-timer ticks at its HZ: 4 ms at 250)
VIRTUAL_MS = 100       # default slice under the virtual clock (ordinary cells never reach it)
REAL_MS = 10           # default slice under the real clock and in live mode

_HAVE = (hasattr(signal, "SIGPROF") and hasattr(signal, "setitimer")
         and hasattr(ctypes.pythonapi, "PyThreadState_LeaveTracing"))
if _HAVE:
    _api = ctypes.pythonapi
    _api.PyThreadState_Get.restype = ctypes.c_void_p
    _api.PyThreadState_LeaveTracing.argtypes = [ctypes.c_void_p]
    _api.PyThreadState_LeaveTracing.restype = None
    _api.PyThreadState_EnterTracing.argtypes = [ctypes.c_void_p]
    _api.PyThreadState_EnterTracing.restype = None


class _Seen(str):
    """``'running'`` (as process_info reports it), seen running since ``t0`` (the main
    thread's CPU time at that tick, less full garbage collections: time the OS gave to
    other threads or processes, spent descheduled or collecting garbage is not the
    process's)."""


class _Preempted(str):
    """``'runnable'``, for a process waiting in the run queue after a preemption."""


PREEMPTED = _Preempted("runnable")


def plain_status(st):
    """The status as a plain ``str`` (the markers read ``'running'``, ``'runnable'``)."""
    return st if type(st) is str else str.__str__(st)


# ----------------------------------------------------------- safe frames
_PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
# otp_lite's own code a process may be suspended in: the behaviours, whose
# state is the process's own (as on the BEAM).  Everything else in otp_lite
# (the kernel and BIFs, ets, code loading, global names, pg, metrics, the
# application controller's tables, logger, viz, the grader) changes state
# shared between processes in steps that must not interleave.
_SAFE_OTP = tuple(_PKG + m for m in (
    "gen_server.py", "gen_statem.py", "_statem_", "gen_fsm.py", "gen_event.py", "alarm_handler.py",
    "supervisor.py", "_sup_", "proc_lib.py", "_gen.py", "sys.py", "timer.py", "behaviour.py",
    "rpc.py", "loadgen.py"))


def _lib_dirs():
    dirs = set()
    paths = sysconfig.get_paths()
    for k in ("stdlib", "platstdlib", "purelib", "platlib"):
        if paths.get(k):
            dirs.add(os.path.abspath(paths[k]) + os.sep)
    try:
        dirs.update(os.path.abspath(d) + os.sep for d in site.getsitepackages())
    except AttributeError:          # some virtualenvs
        pass
    return tuple(sorted(dirs))


_LIBS = _lib_dirs()
_safe_file = {}


def _file_safe(fn):
    """May a process be suspended while this file's code runs (not only calls)?"""
    r = _safe_file.get(fn)
    if r is None:
        if fn.startswith("<frozen"):
            r = False
        elif fn.startswith(_PKG):
            r = fn.startswith(_SAFE_OTP)
        else:
            r = not fn.startswith(_LIBS)
        _safe_file[fn] = r
    return r


def _switch_point(frame):
    """The innermost frame of ``frame``'s stack at which a switch is safe, or None.

    Safe: that frame and every caller up to the process's root
    (``Runtime._proc_main``) is the learner's code or a behaviour.
    """
    cand = None
    f = frame
    while f is not None:            # (as deep as the recursion limit lets a stack grow)
        co = f.f_code
        if co is _PROC_MAIN:
            return cand
        if _file_safe(co.co_filename):
            if cand is None:
                cand = f
        else:
            cand = None
        f = f.f_back
    return None


_PROC_MAIN = None       # Runtime._proc_main.__code__, set by install()


# ----------------------------------------------------------- arming
class _Armed:
    __slots__ = ("rt", "p", "g", "mark", "frame", "why")


_armed = None            # the one armed request, or None


def _arm(rt, p, frame, mark, why):
    global _armed
    if sys.gettrace() not in (None, _on_call):
        return False                       # a debugger / coverage owns tracing: leave it alone
    f = _switch_point(frame)
    if f is None:
        return False
    if _armed is not None:
        _disarm()
    a = _Armed()
    a.rt, a.p, a.g, a.mark, a.frame, a.why = rt, p, p.g, mark, f, why
    _armed = a
    f.f_trace = _on_event
    f.f_trace_lines = True
    f.f_trace_opcodes = True               # `while True: pass` has no line events
    sys.settrace(_on_call)
    return True


def _disarm():
    global _armed
    a = _armed
    _armed = None
    sys.settrace(None)
    if a is not None:
        f = a.frame
        f.f_trace = None
        f.f_trace_opcodes = False


def _on_call(frame, event, arg):
    """The global trace function while armed: new frames are not traced."""
    if _armed is None:
        sys.settrace(None)
    return None


def _on_event(frame, event, arg):
    """The armed frame's trace function: the safe point is reached."""
    a = _armed
    if a is None or frame is not a.frame:
        frame.f_trace_opcodes = False
        return None
    p = a.p
    if getcurrent() is not a.g or not p.alive or (a.mark is not None and p.status is not a.mark):
        _disarm()                          # it switched out by itself meanwhile: nothing to do
        return None
    _disarm()
    rt = a.rt
    if rt.closed or state.rt is not rt:
        return None
    ts = _api.PyThreadState_Get()
    _api.PyThreadState_LeaveTracing(ts)    # the switch must not leave tracing off for the others
    try:
        if a.why is None:
            rt.preempt(p)
        else:
            rt.deliver_interrupt(p)
    finally:
        _api.PyThreadState_EnterTracing(ts)
    return None


# ----------------------------------------------------------- the tick
ticks = 0               # every tick so far (the observer's CPU shares divide by it)
_last = 0.0             # the main thread's CPU time at the previous tick
_gap = 0.0              # its CPU time between ticks (moving average; Linux rounds ticks up to its HZ)
_gap_cap = 0.0          # longer gaps are not the period


_gc_cpu = 0.0           # main-thread CPU spent in full garbage collections so far
_gc_t0 = None           # when the one under way started


def _on_gc(phase, info):
    """Full collections (which can take 100 ms in a big process) are nobody's slice."""
    global _gc_cpu, _gc_t0
    if info["generation"] != 2:
        return
    if phase == "start":
        _gc_t0 = _cpu()
    elif _gc_t0 is not None:
        _gc_cpu += _cpu() - _gc_t0
        _gc_t0 = None


def _clock():
    """The main thread's CPU time, less full garbage collections (the time a slice is made of)."""
    c = _cpu()
    g = _gc_cpu
    if _gc_t0 is not None:
        g += c - _gc_t0
    return c - g


def _on_tick(signum, frame):
    global ticks, _last, _gap
    ticks += 1
    now = _clock()
    d = now - _last
    _last = now
    if d < _gap_cap:
        _gap += (d - _gap) * 0.25
    rt = state.rt
    if rt is None or rt.closed:
        return
    p = rt.current
    if p is None or p is rt.shell:
        return
    g = p.g
    if g is None or getcurrent() is not g:
        return
    p.cpu += 1
    if rt.preempt_ms is None:
        return
    st = p.status
    if type(st) is not _Seen:
        m = _Seen("running")        # first seen now; it started within the last tick
        m.t0 = now
        p.status = m
        return
    # ran for (now - t0) + on average half a tick: a slice is up?
    if (now - st.t0 + _gap / 2) * 1000.0 >= rt.preempt_ms and (_armed is None or _armed.p is not p):
        _arm(rt, p, frame, st, None)


def request_interrupt(rt, exc, frame):
    """Deliver ``exc`` to the shell at the next safe point (called from a signal handler).

    Returns False when it cannot be deferred (the shell itself is running:
    raise it there).  A process that is running is suspended at its next
    safe point and resumes later; the hub, between processes, hands the
    exception to the shell at once.
    """
    g = getcurrent()
    if g is rt.main or rt.closed:
        return False
    rt.interrupt_pending = exc
    rt.wake_hub()
    p = rt.current
    if p is not None and p is not rt.shell and p.g is g:
        _arm(rt, p, frame, None, "interrupt")
    return True


# ----------------------------------------------------------- the timer
_timer_ms = None
_old_handler = None


def install(rt):
    """Arm the CPU-time timer for ``rt`` (its ``preempt_ms``); off when None or unsupported."""
    global _timer_ms, _old_handler, _PROC_MAIN, _gap, _gap_cap
    _PROC_MAIN = type(rt)._proc_main.__code__
    ms = rt.preempt_ms
    if not _HAVE or threading.current_thread() is not threading.main_thread():
        rt.preempt_ms = None
        ms = None
    if ms is None:
        uninstall()
        return
    tick = ms / TICKS / 1000.0
    if _timer_ms == ms:
        return
    if _timer_ms is None:
        _old_handler = signal.signal(signal.SIGPROF, _on_tick)
        signal.siginterrupt(signal.SIGPROF, False)   # restart interrupted system calls
    signal.setitimer(signal.ITIMER_PROF, tick, tick)
    if _on_gc not in gc.callbacks:
        gc.callbacks.append(_on_gc)
    _timer_ms = ms
    _gap, _gap_cap = tick, 10 * tick


def uninstall():
    """Stop the timer (and leave SIGPROF as it was)."""
    global _timer_ms, _old_handler
    if _timer_ms is None:
        return
    signal.setitimer(signal.ITIMER_PROF, 0, 0)
    if _on_gc in gc.callbacks:
        gc.callbacks.remove(_on_gc)
    try:
        signal.signal(signal.SIGPROF, _old_handler if _old_handler is not None else signal.SIG_DFL)
    except (TypeError, ValueError):
        pass
    _timer_ms = None
    _old_handler = None


def armed():
    """The slice the timer runs for (ms), or None."""
    return _timer_ms


@atexit.register
def _at_exit():
    # SIGPROF's default action ends the process: never leave the timer
    # running into interpreter shutdown.
    if _timer_ms is not None and threading.current_thread() is threading.main_thread():
        signal.setitimer(signal.ITIMER_PROF, 0, 0)


def suspended_in_tick(g):
    """Is greenlet ``g`` suspended by a preemption (inside this module's trace hook)?"""
    f = g.gr_frame
    while f is not None:
        if f.f_code is _on_event.__code__:
            return True
        f = f.f_back
    return False


# ----------------------------------------------------------- Ctrl-C
def on_sigint(signum, frame):
    """SIGINT: the shell gets ``KeyboardInterrupt``; a process it hit resumes later.

    Like ``signal.default_int_handler`` when the shell itself runs.  When a
    process runs (or the hub), the interrupt is delivered to the shell at
    the next safe point, and the interrupted process stays in the run
    queue: the Erlang shell's interrupt stops the shell's job, never the
    other processes.  A second Ctrl-C before the first is delivered (a
    process blocked in C, say) raises at once, wherever it lands.
    """
    rt = state.rt
    if rt is not None and not rt.closed and rt.interrupt_pending is None:
        if request_interrupt(rt, KeyboardInterrupt(), frame):
            return
    raise KeyboardInterrupt


def install_sigint():
    """Use :func:`on_sigint` where Python's default Ctrl-C handler is in place."""
    if threading.current_thread() is not threading.main_thread():
        return False
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, on_sigint)
    return signal.getsignal(signal.SIGINT) is on_sigint
