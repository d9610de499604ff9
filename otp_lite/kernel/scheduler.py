"""The runtime: one hub greenlet schedules every process on one OS thread.

Essay
-----
Each Erlang process is a greenlet whose parent is the *hub*.  A process runs
until it blocks (``receive`` with nothing matching) or has used its reduction
budget, then switches to the hub, which picks the next process from a FIFO
run queue.  The caller of ``runtime.reset()`` (a test, a notebook cell) is the
*shell* process: its greenlet is the main greenlet, so it can ``receive`` like
any other process; when it blocks, the hub runs everybody else until the shell
is woken again::

      main greenlet (shell)              hub greenlet             process greenlets
      ---------------------              ------------             -----------------
      receive() -- nothing --> hub.switch() --> pop runq --> g.switch() --> run ...
                                           <-- blocked / budget used ----
      <-- shell woken (message / timer) -- pop shell
      <-- IDLE (nothing runnable) -------  then the shell: advances the virtual
                                           clock, sleeps (real clock), or raises
                                           Deadlock (nothing can ever wake it)

Prior art: trio's run loop and MockClock autojump; gevent's hub and LoopExit;
the BEAM's reductions.  Book: chapters 2 and 3 (processes, message passing).

A process that computes past its time slice without sending or receiving
is preempted by a CPU-time timer (``kernel/preempt.py``): ``preempt`` below
puts it at the back of the run queue, the way the hub does after a budget.
"""
from __future__ import annotations

import itertools
from itertools import islice
import random
import sys
import traceback
from collections import deque
from time import monotonic as _monotonic

from greenlet import greenlet, getcurrent, GreenletExit

from .process import Pid, Node, RUNNABLE, RUNNING, WAITING
from .signals import SignalsMixin, Killed
from .terms import (ANY, TIMEOUT, Deadlock, ErlangError, Exit, Throw, match,
                    check_pattern, compile_patterns, compile_scanner, Ref)
from .timers import TimersMixin
from .pyerrors import python_reason
from . import preempt as _preempt
from . import state

_PKG_DIR = __file__.rsplit("/kernel/", 1)[0] + "/"
BUDGET = 2000          # reductions before a process yields to the others
COMPILE_AT = 32        # selective receive: compile the patterns to scan more messages than this
TAIL_AT = 32           # receive_reply: read more new messages than this from the tail, not by index
_IDLE = object()
INF = "infinity"
_ZOMBIES = []          # greenlets of processes that resisted a kill: never resumed, never collected


def stack_of(exc):
    """An Erlang-like stack: [(module, function, line), ...], innermost first."""
    out = []
    for fs in reversed(traceback.extract_tb(exc.__traceback__)):
        mod = fs.filename.rsplit("/", 1)[-1].removesuffix(".py")
        if fs.filename.startswith(_PKG_DIR):
            continue                    # otp_lite's own frames: keep stacks about user code
        if fs.name in ("throw", "error", "exit") and fs.filename.endswith("otp_lite/erlang.py"):
            continue                        # as OTP: erlang:throw/error are not on the stack
        out.append((mod, fs.name, fs.lineno))
    return out[:8]


def _newest(mbox, k):
    """The ``k`` newest messages, oldest first, read from the tail: O(k)."""
    new = list(islice(reversed(mbox), k))
    new.reverse()
    return new


def _unscanned(mbox, i, n):
    """``mbox[i:n]``, read from the nearer end.  ``mbox[i]`` walks a deque from its
    nearer end, and islice skips ``i``: a receive woken again with ``i`` in the back
    half reads what arrived from the tail, so each message is scanned once however
    often new ones arrive."""
    return _newest(mbox, n - i) if i and n - i < i else islice(mbox, i, n)


class Runtime(SignalsMixin, TimersMixin):

    def __init__(self, clock="virtual", seed=0, shuffle=False, preempt_ms="auto"):
        self._init_timers(clock)
        if preempt_ms == "auto":
            preempt_ms = _preempt.VIRTUAL_MS if self.virtual else _preempt.REAL_MS
        elif preempt_ms is not None and (type(preempt_ms) not in (int, float) or not preempt_ms > 0):
            raise ValueError(f"preempt_ms must be a positive number of milliseconds, "
                             f"'auto' or None (off), not {preempt_ms!r}")
        self.preempt_ms = preempt_ms
        self.preemptions = 0            # how many times a process was preempted
        self.interrupt_pending = None   # an exception on its way to the shell (Ctrl-C, a time limit)
        self._live_end = None
        Ref._counter = itertools.count(1)     # refs print the same on every run
        self.seed = seed
        self.rng = random.Random(seed)
        self.shuffle = shuffle
        # otp_lite.explore sets these on its own runtimes: ``explore``, a function
        # called before each visible operation off the message hot path (whereis,
        # register, ets, links...); ``rng``, the hub's chooser under ``shuffle``;
        # and instance wrappers of send/receive.  None here: one attribute test.
        self.explore = None
        self.runq = deque()
        self.procs = {}
        self.names = {}
        self.next_num = 80
        from .terms import NODE
        self.node0 = Node(0, NODE, self.names)   # the local node; otp_lite.dist adds others
        self.net = None                          # otp_lite.dist's network, when nodes exist
        self.trace = None
        self.exit_hooks = []
        self.closed = False
        self.error_logger = None       # set by otp_lite.logger
        self.main = getcurrent()
        self.hub = greenlet(self._hub_loop, parent=self.main)
        self.shell = None
        self.current = None
        self.shell_exits = []
        self.aliases = set()           # live call tags: late replies to dead ones are dropped
        self.slice_end = None          # live mode: wall-clock end of the current tick (kernel/live.py)
        self.user = self._new_group_leader()
        self._new_shell()
        _preempt.install(self)

    # ------------------------------------------------------------------ pids
    def new_pid(self):
        p = Pid(self.next_num)
        p.node = self.node0
        self.next_num += 1
        self.procs[p.num] = p
        return p

    def _new_group_leader(self):
        """The shell's group leader (OTP: the io server every process inherits).

        <0.65.0> (OTP 25 gives ``erl -noshell`` that one), below the first
        numbered pid so the shell stays <0.80.0>; kept out of ``procs``
        (``processes()`` lists the lab's own processes) and started only when
        a message reaches it: an ``io_request`` is answered ``ok``.
        """
        p = Pid(65)
        p.node = self.node0
        p.start = (self._group_leader_loop, ())
        p.initial_call = ("group", "server", 3)
        p.label = "group_leader"
        p.status = WAITING
        p.waiting = 1
        return p

    def _group_leader_loop(self):
        while True:
            m = self.receive((), INF)
            if type(m) is tuple and len(m) == 4 and m[0] == "io_request":
                self.send(m[1], ("io_reply", m[2], "ok"))

    def _new_shell(self):
        p = self.new_pid()
        p.group_leader = self.user
        p.g = self.main
        p.status = RUNNING
        p.initial_call = ("shell", "eval", 0)
        p.label = "shell"
        self.shell = p
        self.current = p
        tr = self.trace
        if tr is not None:
            tr.emit("spawn", pid=p, parent=None, mfa=p.initial_call)
        return p

    def spawn(self, fun, args, link=False, monitor=False, parent=None, mfa=None):
        if not callable(fun):
            raise ErlangError("badarg", f"spawn needs a function, got {fun!r}")
        p = self.new_pid()
        p.start = (fun, args)
        if mfa is None:
            mfa = (getattr(fun, "__module__", "?"), getattr(fun, "__qualname__", repr(fun)), len(args))
        p.initial_call = mfa
        parent = parent if parent is not None else self.current
        p.group_leader = parent.group_leader if parent is not None else None
        if parent is not None:
            p.node = parent.node            # spawn/1 starts on the caller's node
        tr = self.trace
        if tr is not None:
            tr.emit("spawn", pid=p, parent=parent, mfa=mfa)
        ref = None
        if link:
            self.link(parent, p)
        if monitor:
            ref = self.monitor(parent, "process", p)
        self.runq.append(p)
        return p, ref

    # ------------------------------------------------------------ the hub
    def _hub_loop(self, *_):
        while True:
            try:
                self._hub_run()
            except KeyboardInterrupt as e:     # Ctrl-C raised between processes: the shell's
                self.current = self.shell
                self.main.throw(e)
            except Exception as e:             # noqa: BLE001 - never a dead scheduler
                # a bug between processes (a trace subscriber, an exit hook...):
                # reported, and the loop goes on with everything else
                self.callback_error("the scheduler, between processes", e)

    def callback_error(self, what, exc):
        """Code the runtime itself runs (a timer's callback, a live tick, the hub) raised:
        an ERROR REPORT through the logger (a traceback before logger is loaded); the
        runtime goes on."""
        log = self.error_logger
        if log is not None and hasattr(log, "callback_error"):
            log.callback_error(what, exc)
        else:
            traceback.print_exception(exc)

    def _hub_run(self):
        # ================= THE event loop =================
        runq = self.runq
        main = self.main
        shuffle = self.shuffle
        while True:
            while runq:
                if shuffle and len(runq) > 1:
                    i = self.rng.randrange(len(runq))
                    runq.rotate(-i)
                p = runq.popleft()
                if not p.alive:
                    continue
                self.current = p
                p.status = RUNNING
                g = p.g
                if g is None:
                    g = p.g = greenlet(self._proc_main, self.hub)
                    g.switch(p)
                else:
                    g.switch()
                if self.slice_end is not None and _monotonic() >= self.slice_end:
                    # live mode: this tick's time slice is used up; give the
                    # event loop (the notebook kernel) its turn, resume later.
                    # Or an interrupt waits for the shell (wake_hub).
                    if self.interrupt_pending is None:
                        self.fire_due_timers()
                    self._to_main()
            if self.fire_due_timers():
                continue
            self._to_main()

    def _to_main(self):
        """The hub hands over to the main greenlet: idle, or an interrupt for the shell."""
        self.current = self.shell
        exc = self.interrupt_pending
        if exc is None:
            return self.main.switch(_IDLE)
        self.main.throw(self.take_interrupt())

    # ------------------------------------------------- preemption, interrupts
    def preempt(self, p):
        """``p`` used its time slice without blocking: to the back of the run queue.

        Called by kernel/preempt.py in p's greenlet, at a point where p could
        have blocked.  The slice is charged as a budget of reductions (what
        the BEAM counts) and, under the virtual clock, as ``preempt_ms`` of
        time; timers due by now fire first, so what they wake runs before p.
        """
        if p.pending is not None:
            # the kill was raised and swallowed (except BaseException): the
            # process is dead to everybody else and never runs again
            self.terminate(p, p.pending)
            _ZOMBIES.append(p.g)
            p.g = None
            self.hub.switch()
            return                                  # not reached: nobody resumes a zombie
        p.reductions += p.reds + BUDGET
        p.reds = 0
        self.preemptions += 1
        if self.virtual:
            self._vnow += self.preempt_ms
        tr = self.trace
        if tr is not None:
            tr.emit("preempt", pid=p)
        self.fire_due_timers()
        p.status = _preempt.PREEMPTED
        runq = self.runq
        runq.append(p)
        shell = self.shell
        if not shell.waiting and shell.alive and all(q.status is _preempt.PREEMPTED for q in runq):
            # run_until_idle (a cell's end, a live tick, a click): all that is
            # left to run computes; the shell gets its turn, as on the BEAM
            self.current = shell
            self.main.switch(_IDLE)
        else:
            self.hub.switch()
        if p.pending is not None:
            self._die_now(p)

    def wake_hub(self):
        """Make the hub look at ``interrupt_pending`` after the current process (signal-safe)."""
        if self._live_end is None:
            self._live_end = (self.slice_end,)
        self.slice_end = float("-inf")

    def take_interrupt(self):
        """The pending interrupt, cleared (the hub's fast paths come back on)."""
        exc = self.interrupt_pending
        self.interrupt_pending = None
        if self._live_end is not None:
            self.slice_end = self._live_end[0]
            self._live_end = None
        return exc

    def deliver_interrupt(self, p):
        """In ``p``, at a safe point: the shell gets the interrupt; p resumes later, first in line."""
        if self.interrupt_pending is None:
            return
        exc = self.take_interrupt()
        p.status = RUNNABLE
        self.runq.appendleft(p)
        self.current = self.shell
        self.main.throw(exc)
        if p.pending is not None:
            self._die_now(p)

    def _proc_main(self, p):
        fun, args = p.start
        p.start = None
        reason = "normal"
        try:
            if p.pending is not None:
                raise Killed(p.pending)
            # A plain call keeps CPython 3.11+ in one C eval frame (fun(*args)
            # recurses in C), so each idle process saves a smaller C stack.
            n = len(args)
            if n == 0:
                fun()
            elif n == 1:
                fun(args[0])
            elif n == 2:
                fun(args[0], args[1])
            elif n == 3:
                fun(args[0], args[1], args[2])
            else:
                fun(*args)
        except Killed as k:
            reason = k.reason
        except Exit as e:
            reason = e.reason
        except GreenletExit:
            if self.closed or not p.alive:
                return
            reason = "killed"
        except BaseException as e:          # noqa: BLE001 - a crash is an exit reason
            reason = self.error_reason(e)
            self.log_process_error(p, reason, e)
            if isinstance(e, KeyboardInterrupt):
                # Ctrl-C raised inside this process (a second Ctrl-C, or no
                # otp_lite handler installed): it dies, the shell gets it
                self.terminate(p, reason)
                p.g = None
                self.current = self.shell
                self.main.throw(KeyboardInterrupt)
                return
        self.terminate(p, reason)
        p.g = None

    def error_reason(self, e):
        if isinstance(e, ErlangError):
            return (e.reason, stack_of(e))
        if isinstance(e, Throw):
            return (("nocatch", e.value), stack_of(e))
        if isinstance(e, Exit):
            return e.reason
        return (python_reason(e), stack_of(e))        # ZeroDivisionError -> 'badarith', ... (kernel/pyerrors.py)

    def log_process_error(self, p, reason, exc):
        """'Error in process ... with exit value' (error/throw class only, as OTP)."""
        if isinstance(exc, Exit) or getattr(p, "dict", None) and "$initial_call" in (p.dict or {}):
            return
        log = self.error_logger
        if log is not None:
            log.process_error(p, reason, exc)

    # --------------------------------------------------------- blocking
    def switch_out(self, p):
        """The process ``p`` blocks or yields: run the next one; returns when p is resumed.

        Direct hand-off: when the hub would simply pop the next runnable
        process and switch to it, do exactly that here, without the two
        greenlet switches through the hub (a message round trip between two
        processes goes from four switches to two).  Same process, same order,
        same bookkeeping as the hub loop (the shell, too, is resumed by a
        plain switch to the main greenlet).  Anything else (empty run queue:
        timers, idle; a process not started yet; shuffle; live mode's time
        slice) goes through the hub.  Returns what the switch returned (the
        shell looks for the hub's idle marker).
        """
        runq = self.runq
        if runq and self.slice_end is None and not self.shuffle:
            q = runq[0]
            g = q.g
            if g is not None and q.alive and q is not p:
                runq.popleft()
                self.current = q
                q.status = RUNNING
                return g.switch()
        return self.hub.switch()

    def block(self, p):
        """Switch away from the blocked/yielding process ``p`` until it is resumed."""
        if p is self.shell:
            self._shell_block(p)
        else:
            self.switch_out(p)
        if p.pending is not None:
            self._die_now(p)

    def _die_now(self, p):
        reason = p.pending
        if p is self.shell:
            self._shell_died(reason)
        raise Killed(reason)

    def _shell_block(self, p):
        while True:
            r = self.switch_out(p)
            if self.interrupt_pending is not None:
                raise self.take_interrupt()
            if r is not _IDLE:
                return                      # the shell was woken
            if p.pending is not None:
                return
            if not p.waiting:               # woken while the hub wound down
                return
            if not self.advance_to_next_timer():
                p.waiting = 0
                p.status = RUNNING
                raise Deadlock(
                    f"the shell {p!r} is waiting in receive, but every process is blocked "
                    "and no timer is pending, so nothing can ever arrive. Check that the "
                    "message you wait for is really sent (erlang.process_info(pid, 'messages') helps).")

    def _shell_died(self, reason):
        """An exit signal killed the shell: start a new one, as the Erlang shell does."""
        old = self.shell
        old.pending = None
        self.terminate(old, reason)
        self._new_shell()
        self.shell_exits.append((old, reason))
        raise Exit(reason)

    def run_until_idle(self):
        """Run every runnable process and every due timer; return when quiet.

        Quiet: every process waits, or all that is left to run are
        processes that used up their time slice (they compute; they run
        again as soon as the shell blocks, or at the next call).
        """
        if getcurrent() is not self.main:
            raise RuntimeError("run_until_idle() is for the shell (a notebook cell or a test), "
                               "not for code running inside a process")
        self.hub.switch()
        self.current = self.shell
        if self.interrupt_pending is not None:
            raise self.take_interrupt()
        if self.shell.pending is not None:
            self._shell_died(self.shell.pending)

    def yield_now(self, p):
        p.reds = 0
        if p is self.shell:
            # the shell yields by letting everybody else run once
            self.runq.append(p)
            p.waiting = 0
            self._shell_yield(p)
        else:
            self.runq.append(p)
            self.switch_out(p)
        if p.pending is not None:
            self._die_now(p)

    def _shell_yield(self, p):
        while True:
            r = self.hub.switch()
            if r is not _IDLE:
                return
            return

    # ---------------------------------------------------------- messages
    def send(self, dest, msg):
        if type(dest) is Pid:
            p = dest
        else:
            if type(dest) is tuple and self.net is not None and len(dest) == 2 \
                    and dest[1] != self.current.node.name:
                return self.net.send_named(self.current, dest[0], dest[1], msg)  # resolved on arrival
            p = self.resolve(dest, "send")
            if p is None:
                return msg
        sender = self.current
        if p.node is not sender.node:
            return self.net.route(sender, p, msg)      # another node: through the network
        if p.alive:
            p.mbox.append(msg)
            tr = self.trace
            if tr is not None:
                tr.emit("send", frm=sender, to=p, msg=msg)
            if p.waiting:
                p.waiting = 0
                p.status = "runnable"
                self.runq.append(p)
        elif self.trace is not None:
            self.trace.emit("send", frm=sender, to=p, msg=msg, dead=True)
        reds = sender.reds + 1
        sender.reds = reds
        if reds >= BUDGET:
            sender.reductions += reds
            self.yield_now(sender)
        return msg

    def resolve(self, dest, op):
        """A registered name or (name, node) -> Pid; badarg for an unknown name."""
        if type(dest) is str:
            p = self.current.node.names.get(dest)
            if p is None:
                raise ErlangError("badarg", f"{op}: no process is registered as {dest!r}")
            return p
        if type(dest) is tuple and len(dest) == 2 and type(dest[0]) is str and type(dest[1]) is str:
            node = self.current.node
            if dest[1] != node.name:
                return None                 # unknown node: dropped, as distribution does
            p = node.names.get(dest[0])
            if p is None:
                return None                 # {Name, Node} ! Msg never fails
            return p
        raise ErlangError("badarg", f"{op}: {dest!r} is not a pid, a registered name or (name, node)")

    def mailbox_mark(self):
        """The current process's mailbox length, to pass as ``since``/``mark`` to a
        receive that waits for a ref or pid made after now: nothing queued before it
        can match (OTP's receive marker), so the wait skips the backlog."""
        return len(self.current.mbox)

    def receive(self, patterns, timeout, since=0):
        # Deliberate copies (`duplicates` pairs them; do not merge): the two
        # fast paths below and receive_reply repeat the general loop's "take
        # the message, count a reduction, trace it" and "block until woken"
        # steps inline (self.block(p) unrolled), one Python call fewer per
        # message.  bench/kernel.py (ping-pong, ring: receive()) and
        # bench/gen_server.py (the server loop's receive((), T), the caller's
        # receive_reply) measure them; keep the copies in step by hand.
        p = self.current
        mbox = p.mbox
        if not patterns and mbox:
            msg = mbox.popleft()
            p.reds += 1
            tr = self.trace
            if tr is not None:
                tr.emit("receive", pid=p, msg=msg, index=0, left=len(mbox))
            return msg
        if not patterns and (timeout == INF or timeout is None):
            # Fast path (the common `receive()`): wait for the next message, no
            # timer and no scan; the same steps as the general loop below.
            p.timed_out = False
            try:
                while not mbox:
                    p.waiting = 1
                    p.status = WAITING
                    p.reductions += p.reds
                    p.reds = 0
                    if p is self.shell:
                        self._shell_block(p)
                    else:
                        self.switch_out(p)
                    if p.pending is not None:
                        self._die_now(p)
            except BaseException:
                p.waiting = 0
                if p.alive:
                    p.status = RUNNING
                raise
            p.waiting = 0
            if p.alive:
                p.status = RUNNING
            msg = mbox.popleft()
            p.reds += 1
            tr = self.trace
            if tr is not None:
                tr.emit("receive", pid=p, msg=msg, index=0, left=len(mbox))
            return msg
        if timeout is None or timeout == INF:
            timeout = INF
        elif type(timeout) is not int or timeout < 0:
            # OTP 25: `receive after 1.5` is timeout_value too (tests/oracle_probes/ch23_bad_input.out)
            raise ErlangError("timeout_value",
                              f"receive timeout must be a non-negative integer of ms or 'infinity', got {timeout!r}")
        for pat in patterns:
            check_pattern(pat)
        single = len(patterns) == 1
        pat0 = patterns[0] if single else None
        p.timed_out = False
        # ``since`` (kernel-internal, with patterns): the mailbox length when the ref or pid
        # the patterns wait for was made; nothing older can match (OTP's receive marker)
        i = since if since <= len(mbox) else len(mbox)
        timer = None
        test = scan = None
        try:
            while True:
                if patterns:
                    n = len(mbox)
                    if test is None and n - i > COMPILE_AT:
                        # a long scan: templates of literals become one loop, anything
                        # else compiled matchers (one call per message)
                        scan = compile_scanner(patterns)
                        test = scan or compile_patterns(patterns)
                    if scan is not None:
                        i = scan(_unscanned(mbox, i, n), i)  # calls no learner code: no mutation
                    elif test is not None:
                        try:
                            for m in _unscanned(mbox, i, n):
                                if test(m):
                                    break
                                i += 1
                        except RuntimeError:                 # a predicate made the mailbox change:
                            while i < n:                     # go on by index from where we are
                                if test(mbox[i]):
                                    break
                                i += 1
                    elif single:
                        while i < n:
                            if match(pat0, mbox[i]):
                                break
                            i += 1
                    else:
                        while i < n:
                            m = mbox[i]
                            for pat in patterns:
                                if match(pat, m):
                                    break
                            else:
                                i += 1
                                continue
                            break
                    if i < n:
                        m = mbox[i]
                        del mbox[i]
                        p.reds += 1
                        tr = self.trace
                        if tr is not None:
                            tr.emit("receive", pid=p, msg=m, index=i, left=len(mbox))
                        return m
                elif mbox:
                    m = mbox.popleft()
                    p.reds += 1
                    tr = self.trace
                    if tr is not None:
                        tr.emit("receive", pid=p, msg=m, index=0, left=len(mbox))
                    return m
                if p.timed_out or timeout == 0:
                    p.timed_out = False
                    tr = self.trace
                    if tr is not None:
                        tr.emit("receive_timeout", pid=p, after=timeout)
                    return TIMEOUT
                if timer is None and timeout != INF:
                    timer = p.timer = self.add_wake_timer(timeout, p)
                p.waiting = 1
                p.status = WAITING
                p.reductions += p.reds
                p.reds = 0
                self.block(p)
        finally:
            if timer is not None and p.timer is timer:
                timer.cancelled = True
                p.timer = None
            p.waiting = 0
            if p.alive and type(p.status) is str:   # (not the preemption tick's mark,
                p.status = RUNNING                  #  a 'running' str subclass)

    def wait_message(self, _patterns=(), _timeout=INF):
        """``erlang:hibernate``'s wait: block until the mailbox holds a message, take none.

        Its arguments are ``receive``'s and unused, so that ``_hibernate.hibernate``
        can call either (the frame ``process_info`` reports is that one).
        """
        p = self.current
        try:
            while not p.mbox:
                p.waiting = 1
                p.status = WAITING
                p.reductions += p.reds
                p.reds = 0
                self.block(p)
        finally:
            p.waiting = 0
            if p.alive and type(p.status) is str:
                p.status = RUNNING
        return "ok"

    def receive_reply(self, tag, timeout, mark=0):
        """``_gen.call``'s wait: the oldest ``(tag, Reply)`` or ``('DOWN', tag, _, _, _)``.

        Exactly ``receive((pred,), timeout)`` with that identity predicate
        (same reductions, trace events and timer), minus the pattern
        machinery: the hot half of every ``gen_server.call``.  ``timeout``
        is already checked by the caller (ms >= 0 or 'infinity').  A
        deliberate copy of receive's loop for bench/gen_server.py (see the
        comment at the top of receive).

        ``mark``: the mailbox's length when ``tag`` was made.  Nothing queued
        before can hold it, so the scan starts there (OTP's receive-marker
        optimisation: a call from a process with 100k queued messages costs
        what a call from an empty one does), and messages that arrive while it
        waits are scanned once each: a long run of them is read from the
        tail (``mbox[i]`` walks a deque from its nearer end).
        """
        p = self.current
        mbox = p.mbox
        p.timed_out = False
        i = mark if mark <= len(mbox) else len(mbox)
        timer = None
        try:
            while True:
                n = len(mbox)
                new = _newest(mbox, n - i) if n - i > TAIL_AT and i else None
                j = i
                while i < n:
                    m = mbox[i] if new is None else new[i - j]
                    if type(m) is tuple:
                        k = len(m)
                        if k == 2:
                            if m[0] is tag:
                                break
                        elif k == 5 and m[1] is tag and m[0] == "DOWN":
                            break
                    i += 1
                else:
                    if p.timed_out or timeout == 0:
                        p.timed_out = False
                        tr = self.trace
                        if tr is not None:
                            tr.emit("receive_timeout", pid=p, after=timeout)
                        return TIMEOUT
                    if timer is None and timeout != INF:
                        timer = p.timer = self.add_wake_timer(timeout, p)
                    p.waiting = 1
                    p.status = WAITING
                    p.reductions += p.reds
                    p.reds = 0
                    if p is self.shell:
                        self._shell_block(p)
                    else:
                        self.switch_out(p)
                    if p.pending is not None:
                        self._die_now(p)
                    continue
                del mbox[i]
                p.reds += 1
                tr = self.trace
                if tr is not None:
                    tr.emit("receive", pid=p, msg=m, index=i, left=len(mbox))
                return m
        finally:
            if timer is not None and p.timer is timer:
                timer.cancelled = True
                p.timer = None
            p.waiting = 0
            if p.alive and type(p.status) is str:   # (not the preemption tick's mark,
                p.status = RUNNING                  #  a 'running' str subclass)

    # ---------------------------------------------------------- registry
    def register(self, name, pid):
        if type(name) is not str or name == "undefined":
            raise ErlangError("badarg", f"register/2: the name must be an atom (str) other than 'undefined', got {name!r}")
        if type(pid) is not Pid:
            raise ErlangError("badarg", f"register/2: {pid!r} is not a pid")
        if not pid.alive:
            raise ErlangError("badarg", f"register/2: {pid!r} is not alive")
        names = pid.node.names              # each node has its own registry
        if name in names:
            raise ErlangError("badarg", f"register/2: the name {name!r} is already registered to {names[name]!r}")
        if pid.name is not None:
            raise ErlangError("badarg", f"register/2: {pid!r} is already registered as {pid.name!r}")
        names[name] = pid
        pid.name = name
        tr = self.trace
        if tr is not None:
            tr.emit("register", pid=pid, name=name)
        return True

    def unregister(self, name):
        p = self.current.node.names.pop(name, None)
        if p is None:
            raise ErlangError("badarg", f"unregister/1: no process is registered as {name!r}")
        p.name = None
        tr = self.trace
        if tr is not None:
            tr.emit("unregister", pid=p, name=name)
        return True

    # ---------------------------------------------------------- shutdown
    def close(self):
        self.closed = True
        for p in list(self.procs.values()):
            p.alive = False
        self.user.alive = False
        for p in list(self.runq):
            if p.g is not None and _preempt.suspended_in_tick(p.g):
                _ZOMBIES.append(p.g)    # preempted mid-loop: a GreenletExit could be swallowed
        self.procs.clear()
        self.runq.clear()
        self.timers.clear()
        if state.rt is self:
            state.rt = None


__all__ = ["Runtime", "Killed", "BUDGET", "stack_of", "ANY", "TIMEOUT"]
