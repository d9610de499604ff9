"""Find the race before the learner does: run a test under many schedules.

Essay
-----
``explore.run(test)`` calls ``test()`` (it spawns processes and asserts, as the
shell) once per schedule, each time in a fresh runtime, and stops at the first
schedule under which it raises (an ``AssertionError``, a ``Deadlock``, an
``ErlangError``...).  The answer is a :class:`Result`; its ``schedule`` is a
short string that :func:`replay` runs again exactly (same pids, same trace)::

    r = explore.run(test, strategy="pct", runs=200)
    r.found, r.schedule, r.runs        # True, '81.82', 7
    explore.replay(test, r.schedule)   # the same failure, every time

Choice points.  A process runs until its next *visible* operation: a send, a
``whereis``/``register``/``unregister``, an ETS access, a link, a monitor,
an exit signal, ``is_process_alive``, a ``receive`` that does not wait
(``timeout=0``), ``process_flag('trap_exit', V)`` when it changes the flag
(an exit signal may land on either side: a message, or nothing, or death).  There it offers the scheduler a choice: go on, or let
another runnable process run first (a *preemption*).  When a process blocks
or ends, the scheduler chooses among the runnable ones.  Everything between
two visible operations touches only the process's own state, so these are
all the interleavings that can differ (as in Concuerror).  A process's end is
a visible operation too when others see it (links, monitors) and it did one
since it was last scheduled: another process's message can then land between
its last send and its exit signal.  A ``receive`` that waits needs no point
of its own: if a message matches now, later
arrivals go behind it and cannot change which one it takes; if none does, it
blocks, and the scheduler decides who sends next.  Messages and exit signals
are delivered at the send, so per-pair order (a message then an exit signal
from one process, too: tests/oracle_probes/ch26_pair_order.escript), a
process's own order and every other guarantee of OTP hold in every schedule;
what varies is which process goes when, and so the arrival order of messages
and exit signals from different senders.

Timer ties.  When the virtual clock reaches an instant at which timers of two
or more owners are due (a ``receive ... after``, ``send_after``,
``start_timer``, gen_statem's timeouts, a message of ``otp_lite.dist`` in
flight, owned by its sender) and one of them delivers something, OTP fixes no
order: a timeout may beat a message due at the same time, two remote messages
may land either way, and what the first timer wakes may run before the next
fires.  That is a choice point (``kind`` ``'timer'``): ``0`` fires them all at
once, in the order they were set (the plain scheduler's way: a message beats
the timeout), a pid fires that owner's timers alone first (the others fire
when everything runnable has run, at the same instant).  And a timer due *now*
while processes still run (``send_after(0, ...)``, or the rest of a tie) may
fire between their steps, as on the BEAM (tests/oracle_probes/
ch26_pair_order.escript): before a visible operation, and before the
scheduler picks the next process, a choice (``kind`` ``'due'``) between going
on (the default) and ``0``, fire them now.  An instant with one owner, or only
receive timeouts, adds no choice, so programs without ties or 0 ms timers keep
their schedules.

Strategies.  ``'random'``: a uniformly random runnable process at every
choice point (PULSE's randomising scheduler).  ``'pct'``: probabilistic
concurrency testing (Burckhardt et al., ASPLOS 2010): each process gets a
random priority, the highest-priority runnable one runs, and at ``depth-1``
random steps the running process drops below all others; a bug of depth d is
found with probability at least 1/(n k^(d-1)) per run.  ``'dfs'``: every
schedule with at most ``preemptions`` preemptions (default 2), depth first,
no run repeated (CHESS's preemption bounding), or with ``delays=k`` every
schedule at most k delays away from the plain scheduler's (delay bounding:
choices where a process blocks count too); ``Result.exhausted`` says the
bound was covered.

A schedule is the list of processes chosen at the choice points, as pid
numbers (``'81.82.81'``; a timer, due, after or jitter choice takes the small
numbers its section names; with ``after_timeout`` the string starts ``'a<ms>:'``), up to the last choice that differs from the
default: go on with the running process, else the first in the run queue
(the plain scheduler's FIFO).  A choice that names a process not runnable
there takes the default, so any list is a valid schedule.  A failing schedule
is shrunk (``shrink=True``) as hypothesis shrinks an example: cut its tail,
then put single choices back to the default or remove them, keeping each
change under which the test still fails the same way (the same exception
class); then, if more than one preemption is left, a preemption-bounded DFS
with a smaller bound looks for a failing schedule with fewer.  Fewer
preemptions are easier to read.

Partial-order reduction (``dfs``, ``por=True``).  Each run records what every
step touched (``otp_lite/_explore_por.py``: mailboxes, processes, names, ETS
tables, timers); two steps of different processes that touch different
objects (or only read the same one) commute, and the search does not run
both orders: DPOR-lite (backtrack only where two steps conflict, Flanagan and
Godefroid, POPL 2005) with sleep sets (Godefroid 1996).  N processes that
share nothing cost one schedule instead of thousands, the bug-free
programs of bench/explore are exhausted with 3 to 65 times fewer schedules,
and a reduced DFS reaches every outcome the full one does
(tests/test_explore_choices.py).  A schedule found with POR is an ordinary
schedule: replay needs nothing else.

The hot path pays nothing when explore is not used: the hooks are instance
attributes of the exploring runtime (its ``rng``, ``send``, ``receive``,
``fire_due_timers``; under POR ``deliver``, ``spawn``, ``terminate``...)
and a ``rt.explore is not None`` test in the non-message operations.

Early timeouts (``after_timeout=N``, off by default).  In OTP a receive's
``after`` is wall-clock: a receiver waiting 100 ms for a message another
process is about to send may time out first (the sender may not be scheduled
for 100 ms).  On the virtual clock it never does.  With ``after_timeout=N``
(Concuerror's ``--after_timeout``: timeouts of N or more are taken as never
firing while anyone can still run), a ``receive`` whose timeout is below N and
that is about to block (nothing matches) while another process is runnable is
a choice point (``kind`` ``'after'``): go on waiting (the default, its pid) or
``0``, time out now, before the others run; the trace shows it as a
``receive_timeout`` with ``after=0`` at the virtual time it blocked.  A later
timeout needs no point of its own: what the receiver does after it is
interleaved with the others at its visible operations anyway.  Such a
schedule's string starts ``'a<N>:'`` (``'a1000:81.83.83.81.0'``), so the
string alone replays it with the option; ``replay(result)`` does too.
``gen_server.call``'s wait for its reply is such a receive too.

Distribution.  A message or exit signal between ``otp_lite.dist`` nodes is a
timer owned by its sender (ties above), and a link with jitter makes its delay
a choice (``kind`` ``'jitter'``): 0 the seeded draw of a plain run, 1 the
shortest delay, 2 the longest; per-pair order stays (the network never lets a
later message of a pair overtake an earlier one).

Not yet: jitter is explored at its two ends only (and loss not at all);
under a bound, POR may cut a schedule the bound would have kept (bounded POR
is not complete, Coons et al., OOPSLA 2013); shared state explore cannot
see (Python globals, ``pg``, ``global_``, application env, ``process_info``)
is in no footprint, so with POR a race on it alone can be missed
(``por=False`` runs every order); ``ets.new``, ``processes()`` and
``registered()`` are not choice points.  The process CPU-time preemption
is off while exploring (``preempt_ms=None``), so a busy loop without a
visible operation runs to its end.  After ``max_steps`` choice points in one
run the scheduler goes round-robin, so a process that spins on a visible
operation cannot starve the others forever.
"""
from __future__ import annotations

import heapq
import random
import re
import time
from dataclasses import dataclass, field

import itertools

from greenlet import getcurrent

from . import runtime, logger
from . import _explore_por as _por
from .kernel import state as _state
from .kernel import timers as _timers
from .kernel.process import Pid
from .kernel.signals import Killed
from .kernel.terms import ErlangError, Exit, match

__all__ = ["run", "replay", "shrink", "Result", "STRATEGIES"]

STRATEGIES = ("random", "pct", "dfs")
MAX_STEPS = 5000


# ------------------------------------------------------------------ schedules
def _parse(schedule):
    """'81.82' / '<0.81.0> <0.82.0>' / [81, 82] -> [81, 82]."""
    return _parse_opts(schedule)[0]


def _parse_opts(schedule):
    """A schedule and the ``after_timeout`` it was found with: 'a1000:0.83' -> ([0, 83], 1000)."""
    if isinstance(schedule, str):
        m = re.match(r"\s*a(\d*):", schedule)
        if m:
            if not m.group(1) or int(m.group(1)) < 1:
                raise ValueError(f"a schedule found with after_timeout starts 'a<ms>:', like "
                                 f"'a1000:0.83', not {schedule!r}")
            return _parse_plain(schedule[m.end():]), int(m.group(1))
    return _parse_plain(schedule), None


def _parse_plain(schedule):
    if schedule is None:
        return []
    if isinstance(schedule, str):
        text = schedule.strip()
        if "<" in text:
            nums = re.findall(r"<\d+\.(\d+)\.\d+>", text)
        else:
            nums = [x for x in re.split(r"[.,\s]+", text) if x]
        if not all(x.isdigit() for x in nums) or (text and not nums):
            raise ValueError(f"a schedule is pid numbers separated by dots, like '81.82.81', "
                             f"not {schedule!r}")
        return [int(x) for x in nums]
    out = []
    for x in schedule:
        if type(x) is int:
            out.append(x)
        elif hasattr(x, "num"):
            out.append(x.num)
        else:
            raise ValueError(f"a schedule lists pid numbers, not {x!r}")
    return out


def _ms(t):
    return f"{t:g}" if type(t) is float else str(t)


def _fmt(choices, after_timeout=None):
    text = ".".join(str(c) for c in choices)
    return text if after_timeout is None else f"a{after_timeout}:{text}"


def _check_after(after_timeout):
    if after_timeout is not None and (type(after_timeout) is not int or after_timeout < 1):
        raise ValueError(f"after_timeout must be None (off) or an int of ms >= 1 (a receive "
                         f"whose timeout is below it may time out early), not {after_timeout!r}")
    return after_timeout


class _Step:
    """One choice point: the candidates (run-queue order; for a timer tie, 0 then the
    timers' owners), the one chosen, the default (the plain scheduler's choice), the
    process that offered it (or None).  ``kind``: 'run' or 'timer'.  Under POR: the
    footprint of the step (``fp``), its sleep set, the siblings done and to do."""
    __slots__ = ("cands", "chosen", "default", "yielder", "tried", "op", "kind", "t", "at",
                 "fp", "first", "sleep", "done", "backtrack")

    def __init__(self, cands, chosen, default, yielder, op=None, kind="run", t=0, at=None):
        self.cands = cands
        self.chosen = chosen
        self.default = default
        self.yielder = yielder
        self.tried = None
        self.op = op            # what the yielder was about to do ('send', 'ets.insert', ...)
        self.kind = kind
        self.t = t              # the virtual time (ms)
        self.at = at            # how many trace events came before it (replay's trace)
        self.fp = self.first = None     # POR: {pid: footprint} of the step; the chosen's first transition
        self.sleep = _EMPTY
        self.done = self.backtrack = None

    @property
    def preempts(self):
        return self.yielder is not None and self.chosen != self.yielder


_EMPTY = {}


class _Chooser:
    """Stands in for the runtime's ``rng`` under ``shuffle``: the hub calls
    ``randrange(len(runq))`` to pick the next process; this one moves its choice
    to the front of the run queue (the others keep their FIFO order) and answers 0."""

    def __init__(self, rt, policy, forced=(), max_steps=MAX_STEPS, por=None):
        self.rt = rt
        self.policy = policy            # fn(chooser, cands, default, yielder) -> pid num
        self.forced = list(forced)
        self.steps = []
        self.yielder = None
        self.op = None
        self.max_steps = max_steps
        self.por = por
        self.acc = {} if por is not None else None     # POR: {pid: footprint} of the running step
        self.cur = None                 # POR: the process chosen at the last step
        self.first = None               # POR: its first transition's footprint, once complete
        self.firing = False             # POR: timers firing in the hub (recorded as pid 0)
        self.pre = 0                    # the bound's cost so far (POR)
        self.blocked = None             # POR: the step where every choice slept
        self.rec = None                 # a trace Recorder (replay): marks where steps fall
        self.due = self.fire = None     # set by _install: timers due now? fire them
        self.acted = None               # the process that did a visible operation since the last choice
        self.after_timeout = None       # receives with a timeout below it may time out early

    def randrange(self, n):
        runq = self.rt.runq
        dead = [q for q in runq if not q.alive]
        if dead and len(dead) < len(runq):      # (all dead: the hub skips them itself)
            for q in dead:
                runq.remove(q)
        y, op = self.yielder, self.op
        self.yielder = self.op = None
        if len(runq) < 2:
            return 0
        cands = tuple(q.num for q in runq)
        if len(self.steps) >= self.max_steps:
            return 0                    # round-robin from now on
        ynum = y.num if y is not None and y.alive and y.num in cands else None
        default = ynum if ynum is not None else cands[0]
        if self.due is not None and self.due() and \
                self.choose((default, 0), default, ynum, op, kind="due") == 0:
            self.fire()                 # the timers due now fire before anyone runs on
            self.yielder, self.op = y, op
            return self.randrange(len(runq))
        c = self.choose(cands, default, ynum, op if ynum is not None else None)
        i = cands.index(c)
        if i:
            q = runq[i]
            del runq[i]
            runq.appendleft(q)
        return 0

    def choose(self, cands, default, ynum, op, kind="run"):
        """Record a choice point and answer the candidate to take."""
        self.acted = None
        steps = self.steps
        k = len(steps)
        por = self.por
        sleep = _EMPTY
        if self.acc is not None:
            if steps:
                prev = steps[-1]
                self._close(prev)
                if prev.kind == "run" and kind == "run":
                    sleep = _por.sleep_after(prev, por.path[k - 1] if k - 1 < len(por.path) else None)
            self.acc = {}
            self.first = None
        rt = self.rt
        s = _Step(cands, None, default, ynum, op, kind, rt.now_ms(),
                  len(self.rec.events) if self.rec is not None else None)
        s.sleep = sleep
        if k < len(self.forced):
            c = self.forced[k]
            if c not in cands:
                c = default
        elif self.acc is not None and kind == "run":
            c = default
            if c in sleep:
                c = None
                cost = por.cost
                for x in sorted(cands, key=lambda x: cost(s, x)):
                    if x not in sleep and self.pre + cost(s, x) <= por.bound:
                        c = x
                        break
                if c is None:           # every choice sleeps: this run is redundant
                    c = default
                    self.blocked = k
                    self.acc = None
        else:
            c = self.policy(self, cands, default, ynum)
        s.chosen = c
        steps.append(s)
        if self.acc is not None:
            self.pre += por.cost(s, c)
            self.cur = c
            if kind == "run":
                self.acc[c] = {("a", c): False}
        return c

    def _close(self, step):
        step.fp = self.acc
        step.first = self.first if self.first is not None else dict(self.acc.get(self.cur, _EMPTY))

    def fp(self):
        """The footprint the running process (0: the hub's timers) records into, or None."""
        acc = self.acc
        if acc is None:
            return None
        pid = 0 if self.firing else self.rt.current.num
        d = acc.get(pid)
        if d is None:
            if self.first is None and pid != self.cur:      # the chosen one blocked or ended
                self.first = dict(acc.get(self.cur, _EMPTY))
            d = acc[pid] = {}
        return d

    def boundary(self):
        """The chosen process reaches its next visible operation: its first transition ends."""
        if self.first is None and self.acc is not None and self.rt.current.num == self.cur:
            self.first = dict(self.acc.get(self.cur, _EMPTY))

    def finish(self):
        if self.acc is not None and self.steps:
            self._close(self.steps[-1])


def _owner(e):
    """Whose timer ``e`` is (a pid number, or None) and whether it delivers something."""
    k = e.kind
    if k == _timers.WAKE:
        p = e.dest
        return (p.num if p.alive and p.timer is e else None), False
    if k == _timers.FN:
        if getattr(e.dest, "__name__", "") == "_arrive":        # otp_lite.dist: a message in flight
            item = e.msg[0]
            if item[0] in ("msg", "named", "exit") and type(item[1]) is Pid:
                return item[1].num, True
        return None, False
    o = e.owner
    return (o.num if type(o) is Pid else None), True


class _Jitter:
    """Stands in for ``otp_lite.dist``'s network rng while exploring: a jittered
    delay is a choice point (``kind`` ``'jitter'``): 0 the seeded draw (the plain
    run's), 1 the shortest delay the jitter allows, 2 the longest.  Per-pair order
    stays: the network never lets a later message of a pair arrive first."""

    def __init__(self, rng, chooser):
        self.rng = rng
        self.chooser = chooser

    def uniform(self, a, b):
        x = self.rng.uniform(a, b)          # drawn as in a plain run, so the rng stays in step
        ch = self.chooser
        if not b > a or len(ch.steps) >= ch.max_steps:
            return x
        acted = ch.acted
        c = ch.choose((0, 1, 2), 0, None, "jitter", kind="jitter")
        ch.acted = acted                    # (mid-operation: the sender's step goes on)
        return x if c == 0 else (a if c == 1 else b)

    def __getattr__(self, name):
        return getattr(self.rng, name)


def _install(rt, chooser):
    """Make ``rt`` an exploring runtime: choice points before visible operations,
    at same-instant timer ties, and (under POR) footprints of every step."""
    rt.rng = chooser
    rt.shuffle = True
    Runtime = type(rt)

    def point(op=None):
        p = rt.current
        if p is None or not p.alive or p.pending is not None or getcurrent() is not p.g:
            return                      # the hub, a timer callback, a dying process: no point
        if due_now() and chooser.choose((p.num, 0), p.num, p.num, op, kind="due") == 0:
            fire_due_timers()           # a timer due now fires before p goes on (OTP: either)
            if not p.alive or p.pending is not None:
                return
        runq = rt.runq
        for q in runq:
            if q is not p and q.alive:
                break
        else:
            return                      # nobody else can run: nothing to choose
        chooser.yielder = p
        chooser.op = op
        rt.yield_now(p)

    def net_hook():
        net = rt.net
        if net is not None and type(net.rng) is not _Jitter:
            net.rng = _Jitter(net.rng, chooser)

    def explore_point(op=None, obj=None, write=True):
        if rt.net is not None:
            net_hook()
        if chooser.acc is not None:
            chooser.boundary()
        point(op)
        chooser.acted = rt.current
        acc = chooser.fp()
        if acc is not None:
            _por.touch_op(rt, acc, op, obj, write)

    def send(dest, msg):
        if rt.net is not None:
            net_hook()
        if chooser.acc is not None:
            chooser.boundary()
        point("send")
        chooser.acted = rt.current
        acc = chooser.fp()
        if acc is not None:
            _por.target(rt, acc, dest, True, mbox=True)
        return Runtime.send(rt, dest, msg)

    def early(timeout, since, takes):
        """``after_timeout``: a receive about to block with a timeout below it may time
        out now, before anyone else runs (kind 'after': the pid waits, 0 times out).
        ``takes(m)``: would the receive take message m (then it does not block)."""
        at = chooser.after_timeout
        if at is None or type(timeout) is not int or not 0 < timeout < at:
            return False
        p = rt.current
        if p is None or not p.alive or p.pending is not None or getcurrent() is not p.g \
                or len(chooser.steps) >= chooser.max_steps:
            return False
        mbox = p.mbox
        for m in itertools.islice(mbox, since if since <= len(mbox) else len(mbox), None):
            if takes(m):
                return False            # it takes this one: no choice
        if not any(q is not p and q.alive for q in rt.runq):
            return False                # nobody else runs: the timer decides, as before
        acted = chooser.acted
        c = chooser.choose((p.num, 0), p.num, p.num, "receive after", kind="after")
        chooser.acted = acted
        if chooser.acc is not None:
            chooser.cur = p.num
        return c == 0

    def wait(kernel_receive, what, timeout, since, takes):
        """A receive (``kernel_receive`` is the Runtime's ``receive`` or ``receive_reply``):
        one that does not wait is a choice point, one about to block may time out early
        (``after_timeout``; ``takes(m)``: would it take m), and under POR it touches its
        own mailbox in the step it starts in and the step it returns in."""
        if timeout == 0:
            if chooser.acc is not None:
                chooser.boundary()
            point("receive")
        elif chooser.after_timeout is not None and early(timeout, since, takes):
            timeout = 0                 # it times out now (the kernel's own timeout path)
        acc = chooser.fp()
        if acc is None:
            return kernel_receive(rt, what, timeout, since)
        me = rt.current.num
        acc[("m", me)] = True
        m = kernel_receive(rt, what, timeout, since)
        acc = chooser.fp()              # (the step it returns in)
        if acc is not None:
            acc[("m", me)] = True
        return m

    def receive(patterns, timeout, since=0):
        return wait(Runtime.receive, patterns, timeout, since,
                    lambda m: not patterns or any(match(pat, m) for pat in patterns))

    def receive_reply(tag, timeout, mark=0):
        return wait(Runtime.receive_reply, tag, timeout, mark, lambda m: (   # gen_server.call's wait
            type(m) is tuple and ((len(m) == 2 and m[0] is tag) or
                                  (len(m) == 5 and m[1] is tag and m[0] == "DOWN"))))

    def due_now():
        """A live timer due by now while processes still run (set with 0 ms, or left
        by a timer tie): OTP may fire it between their steps."""
        if chooser.firing or len(chooser.steps) >= chooser.max_steps:
            return False
        heap = rt.timers
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
        if not heap:
            return False
        now = rt.now_ms()
        if heap[0][0] > now:
            return False
        for x in heap:
            if x[0] <= now and not x[2].cancelled:
                e = x[2]
                if e.kind != _timers.WAKE or (e.dest.alive and e.dest.timer is e):
                    return True
        return False

    def fire_due_timers():
        """Timers due at one instant: if two or more owners have one there and one of
        them delivers something, OTP may fire them in any order, and what a first one
        wakes may run before the next fires.  Choice: 0, all at once in order (the
        plain scheduler), or one owner's timers alone first."""
        chooser.firing = True
        try:
            return _fire_due_timers()
        finally:
            chooser.firing = False

    def _fire_due_timers():
        heap = rt.timers
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
        if not heap or heap[0][0] > rt.now_ms() or len(chooser.steps) >= chooser.max_steps:
            return Runtime.fire_due_timers(rt)
        now = rt.now_ms()
        due = sorted(x for x in heap if x[0] <= now and not x[2].cancelled)
        owners = []
        delivers = False
        for x in due:
            o, d = _owner(x[2])
            delivers = delivers or d
            if o is not None and o not in owners:
                owners.append(o)
        if not delivers or len(owners) < 2:
            return Runtime.fire_due_timers(rt)
        c = chooser.choose((0, *owners), 0, None, "timer", kind="timer")
        if c == 0:
            return Runtime.fire_due_timers(rt)
        later = [x for x in due if _owner(x[2])[0] != c]
        keep = set(id(x) for x in later)
        heap[:] = [x for x in heap if id(x) not in keep]
        heapq.heapify(heap)
        Runtime.fire_due_timers(rt)
        for x in later:
            heapq.heappush(heap, x)
        return True

    def terminate(p, reason):
        """A process that did a visible operation and now ends where others see it
        (links, monitors): its end is a visible operation of its own, so another
        process's message can land between its last send and its exit signal."""
        if chooser.acted is p and (p.links or p.watchers) and p is not rt.shell and p.alive:
            if chooser.acc is not None:
                chooser.boundary()
            try:
                point("exit")
            except Killed:
                pass                    # killed while ending: it ends with its own reason
        acc = chooser.fp()
        if acc is not None and p.alive:
            _por.on_exit(rt, acc, p)
        return Runtime.terminate(rt, p, reason)

    rt.explore = explore_point
    rt.terminate = terminate
    rt.send = send
    rt.receive = receive
    rt.receive_reply = receive_reply
    rt.fire_due_timers = fire_due_timers
    chooser.due, chooser.fire = due_now, fire_due_timers
    if chooser.acc is not None:
        _install_por(rt, chooser, Runtime)


def _install_por(rt, chooser, Runtime):
    """Footprints of what the kernel does on a step's behalf (POR only)."""
    def deliver(p, msg, sender=None):
        acc = chooser.fp()
        if acc is not None:
            acc[("m", p.num)] = True
        return Runtime.deliver(rt, p, msg, sender)

    def exit_signal_here(q, frm, reason, direct=False):
        acc = chooser.fp()
        if acc is not None:
            acc[("m", q.num)] = acc[("a", q.num)] = True
        return Runtime.exit_signal_here(rt, q, frm, reason, direct)

    def spawn(*args, **kw):
        acc = chooser.fp()
        if acc is not None:
            acc[("pids",)] = True
        return Runtime.spawn(rt, *args, **kw)

    def add_timer(*args, **kw):
        acc = chooser.fp()
        if acc is not None:
            acc[("t",)] = True
        return Runtime.add_timer(rt, *args, **kw)

    def cancel_timer(ref):
        acc = chooser.fp()
        if acc is not None:
            acc[("t",)] = True
        return Runtime.cancel_timer(rt, ref)

    from ._ets_table import registry
    reg = registry()                    # (this runtime's; made now rather than at the first ets.new)

    def add_table(t):
        acc = chooser.fp()
        if acc is not None and t.named:
            acc[("en", t.name)] = True
        return type(reg).add(reg, t)

    class _Names(dict):                 # the table-name registry: a lookup reads the name
        __slots__ = ()

        def __contains__(self, name):
            acc = chooser.fp()
            if acc is not None and ("en", name) not in acc:
                acc[("en", name)] = False
            return dict.__contains__(self, name)

        def get(self, name, default=None):
            self.__contains__(name)
            return dict.get(self, name, default)

    reg.add = add_table
    reg.by_name = _Names(reg.by_name)
    rt.deliver = deliver
    rt.exit_signal_here = exit_signal_here
    rt.spawn = spawn
    rt.add_timer = add_timer
    rt.cancel_timer = cancel_timer


# ------------------------------------------------------------------ one run
class _Run:
    __slots__ = ("steps", "error", "trace", "events", "reports", "choices", "blocked")


def _check_shell():
    rt = _state.rt
    if rt is not None and not rt.closed and getcurrent() is not rt.main:
        raise RuntimeError("explore runs a test in fresh runtimes of its own: call it from the "
                           "shell (a notebook cell or a test), not from inside a process")


def _one(test, policy, forced, seed, trace=False, max_steps=MAX_STEPS, por=None,
         after_timeout=None):
    rt = runtime.reset(seed=seed, shuffle=True, preempt_ms=None)
    ch = _Chooser(rt, policy, forced, max_steps, por)
    ch.after_timeout = after_timeout
    _install(rt, ch)
    out = _Run()
    out.trace = out.events = None
    rec = None
    if trace:
        rec = ch.rec = runtime.Recorder(rt)
        runtime.subscribe(rec)
    err = None
    with logger.capture() as reports:
        try:
            test()
        except Exception as e:          # noqa: BLE001 - the failure we look for
            err = e
    if _state.rt is not rt:
        raise RuntimeError("the test called runtime.reset(): explore gives every run a fresh "
                           "runtime of its own (the one it schedules); remove the reset from the test")
    if rec is not None:
        runtime.unsubscribe(rec)
        out.trace = [_event_text(ev) for ev in rec.events]
        out.events = list(rec.events)
    ch.finish()
    out.blocked = ch.blocked
    out.steps = ch.steps
    out.error = err
    out.reports = list(reports)
    out.choices = [s.chosen for s in ch.steps]
    return out


def _event_text(ev):
    return " ".join(f"{k}={v!r}" for k, v in ev.items() if k != "t") + f" t={ev.get('t')!r}"


def _compact(steps):
    """The chosen pids up to the last choice that is not the default."""
    last = -1
    for i, s in enumerate(steps):
        if s.chosen != s.default:
            last = i
    return [s.chosen for s in steps[:last + 1]]


def _signature(err):
    return None if err is None else type(err)


def _reason(err):
    if isinstance(err, (ErlangError, Exit)):
        return err.reason
    return None if err is None else f"{type(err).__name__}: {err}"


# ------------------------------------------------------------------ strategies
def _random_policy(rng):
    def pick(ch, cands, default, yielder):
        return cands[rng.randrange(len(cands))]
    return pick


def _pct_policy(rng, depth, k):
    """PCT: random priorities (all above ``depth``), ``depth-1`` change points in 1..k."""
    prio = {}
    change = {}
    for i, step in enumerate(rng.sample(range(1, max(k, depth) + 1), depth - 1) if depth > 1 else ()):
        change[step] = depth - 1 - i         # the i-th change point lowers to depth-1-i (< depth)

    def pick(ch, cands, default, yielder):
        for c in cands:
            if c not in prio:
                prio[c] = depth + rng.random()
        n = len(ch.steps) + 1
        low = change.get(n)
        if low is not None:             # the process that ran step n drops below all others
            ran = yielder if yielder is not None else (ch.steps[-1].chosen if ch.steps else None)
            if ran is not None:
                prio[ran] = low + rng.random() * 0.5
        return max(cands, key=prio.__getitem__)
    return pick


def _default_policy(ch, cands, default, yielder):
    return default


@dataclass
class Result:
    """What :func:`run` found: ``found``, the failing ``schedule`` (a string for
    :func:`replay`), how many ``runs`` and ``distinct`` schedules, the
    ``strategy``, the failure (``error``, ``reason``) and the logger's
    ``reports`` of the failing run."""
    found: bool
    strategy: str
    runs: int
    distinct: int
    schedule: str | None = None
    preemptions: int | None = None
    error: BaseException | None = None
    reason: object = None
    seed: int = 0
    exhausted: bool = False
    elapsed: float = 0.0
    unshrunk: str | None = None
    reports: list = field(default_factory=list, repr=False)
    trace: list | None = field(default=None, repr=False)
    choices: list = field(default_factory=list, repr=False)
    events: list | None = field(default=None, repr=False)
    test: object = field(default=None, repr=False)
    after_timeout: int | None = None

    def explain(self):
        """The failing schedule in words: one line per choice that departs from the
        plain scheduler's.  ``choices`` holds every choice point, as dicts: ``step``,
        ``kind`` ('run': who runs next; 'timer': which owner's timers fire first at a
        tie, 0 all at once; 'due': 0 fires the timers due now; 'after': 0 times the
        receive out now, with ``after_timeout``), ``runnable`` (the
        candidates), ``chosen``, ``default``, ``op`` (what the preempted process was
        about to do), ``preemption``, ``t`` (virtual ms) and ``event`` (how many trace
        events came before it: where ``viz.sequence(result)`` draws it)."""
        lines = []
        for c in self.choices:
            if c["chosen"] == c["default"]:
                continue
            who = f"<0.{c['chosen']}.0>"
            if c.get("kind") == "jitter":
                lines.append(f"step {c['step']}: at {_ms(c['t'])} ms a message between nodes takes "
                             f"the {'shortest' if c['chosen'] == 1 else 'longest'} delay its "
                             f"link's jitter allows")
            elif c.get("kind") == "after":
                lines.append(f"step {c['step']}: at {_ms(c['t'])} ms <0.{c['default']}.0> times "
                             f"out in its receive at once (its after is below after_timeout) "
                             f"while others still run")
            elif c.get("kind") == "due":
                lines.append(f"step {c['step']}: at {_ms(c['t'])} ms the timers due then fire "
                             f"before <0.{c['default']}.0> goes on")
            elif c.get("kind") == "timer":
                others = ", ".join(f"<0.{n}.0>" for n in c["runnable"][1:] if n != c["chosen"])
                lines.append(f"step {c['step']}: at {_ms(c['t'])} ms the timer of {who} fires "
                             f"first, before those of {others} due then")
            elif c["preemption"]:
                lines.append(f"step {c['step']}: <0.{c['default']}.0> is preempted before "
                             f"{c['op']}; {who} runs")
            else:
                lines.append(f"step {c['step']}: {who} runs before <0.{c['default']}.0> "
                             f"(runnable: {', '.join(f'<0.{n}.0>' for n in c['runnable'])})")
        return lines

    @property
    def per_second(self):
        return self.runs / self.elapsed if self.elapsed > 0 else float("inf")

    def __str__(self):
        if not self.found:
            how = "every schedule within the bound" if self.exhausted else f"{self.runs} schedules"
            return (f"explore ({self.strategy}): no failure in {how} "
                    f"({self.distinct} distinct)")
        return (f"explore ({self.strategy}): failure after {self.runs} schedules "
                f"({self.distinct} distinct): {self.reason}\n"
                f"  schedule {self.schedule!r} ({self.preemptions} preemption(s)); "
                f"explore.replay(test, {self.schedule!r}) shows it again")


# ------------------------------------------------------------------ the API
def run(test, strategy="random", runs=100, seed=0, depth=3, preemptions=2, delays=None,
        shrink=True, max_steps=MAX_STEPS, por=True, after_timeout=None):
    """Run ``test()`` under up to ``runs`` schedules; the first failure's :class:`Result`.

    ``strategy``: ``'random'``, ``'pct'`` (``depth``: the bug depth d, so d-1
    priority change points) or ``'dfs'`` (every schedule with at most
    ``preemptions`` preemptions, up to ``runs``; with ``delays=k`` instead, every
    schedule that departs from the plain scheduler's order by at most k delays:
    choices where a process blocks count too, which reaches deadlocks among
    behaviours sooner).  ``por`` (dfs): partial-order reduction, so two orders of
    steps that commute are not both run (``por=False``: every order).  ``seed``
    makes random and pct repeatable.  ``shrink``: make a failing schedule smaller first.
    ``after_timeout`` (ms, default None: off), as Concuerror's ``--after_timeout``:
    a ``receive`` whose timeout is below it may time out where it blocks while
    others still run (a choice, ``kind`` ``'after'``); its schedule string starts
    ``'a<ms>:'`` so that it replays with the option.
    Leaves a fresh default runtime behind.
    """
    if not callable(test):
        raise TypeError(f"explore.run needs a test function (no arguments), not {test!r}")
    _check_shell()
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, not {strategy!r}")
    if type(runs) is not int or runs < 1:
        raise ValueError(f"runs must be a positive int, not {runs!r}")
    if type(depth) is not int or depth < 1:
        raise ValueError(f"depth must be a positive int (the bug depth of PCT), not {depth!r}")
    if type(por) is not bool:
        raise ValueError(f"por must be True (partial-order reduction, dfs) or False, not {por!r}")
    at = _check_after(after_timeout)
    t0 = time.perf_counter()
    rng = random.Random(seed)
    seen = set()
    n = 0
    found = None
    exhausted = False
    try:
        if strategy == "dfs":
            if delays is not None:
                if type(delays) is not int or delays < 0:
                    raise ValueError(f"delays must be an int >= 0, not {delays!r}")
                found, n, exhausted = _dfs(test, runs, delays, seed, seen, max_steps, _cost_delay,
                                           por=por, after_timeout=at)
            else:
                if type(preemptions) is not int or preemptions < 0:
                    raise ValueError(f"preemptions must be an int >= 0, not {preemptions!r}")
                found, n, exhausted = _dfs(test, runs, preemptions, seed, seen, max_steps,
                                           por=por, after_timeout=at)
        else:
            k = None
            while n < runs:
                if strategy == "random":
                    policy = _random_policy(rng)
                else:
                    if k is None:       # PCT's k: the number of steps of a plain run
                        base = _one(test, _default_policy, (), seed, max_steps=max_steps,
                                    after_timeout=at)
                        k = max(1, len(base.steps))
                    policy = _pct_policy(rng, depth, k)
                r = _one(test, policy, (), seed, max_steps=max_steps, after_timeout=at)
                n += 1
                seen.add(tuple(r.choices))
                if r.error is not None:
                    found = r
                    break
        elapsed = time.perf_counter() - t0
        res = Result(found=found is not None, strategy=strategy, runs=n, distinct=len(seen),
                     seed=seed, exhausted=exhausted, elapsed=elapsed, test=test,
                     after_timeout=at)
        if found is not None:
            sched = _compact(found.steps)
            res.unshrunk = _fmt(sched, at)
            if shrink:
                found, sched = _shrink(test, found, seed, max_steps, after_timeout=at)
            _fill(res, found, sched)
        return res
    finally:
        runtime.reset()


def _fill(res, r, sched):
    res.schedule = _fmt(sched, res.after_timeout)
    res.preemptions = sum(1 for s in r.steps if s.preempts)
    res.error = r.error
    res.reason = _reason(r.error)
    res.reports = r.reports
    res.trace = r.trace
    res.events = r.events
    res.choices = [{"step": i, "runnable": s.cands, "chosen": s.chosen, "default": s.default,
                    "op": s.op, "preemption": s.preempts, "kind": s.kind, "t": s.t,
                    "event": s.at} for i, s in enumerate(r.steps)]


def _cost_preemption(s, c):
    return 1 if s.yielder is not None and c != s.yielder else 0


def _cost_delay(s, c):
    """Delay bounding (Emmi, Qadeer, Rakamaric, POPL 2011): skipping k processes
    ahead of ``c`` (the default first, then run-queue order) costs k delays."""
    if c == s.default:
        return 0
    return 1 + [x for x in s.cands if x != s.default].index(c)


def _dfs(test, runs, bound, seed, seen, max_steps, cost=_cost_preemption, por=False,
         after_timeout=None):
    """Preemption- (or delay-) bounded depth-first search, stateless (every run from the start)."""
    if por:
        return _por.dfs(lambda forced, ctx: _one(test, _default_policy, forced, seed,
                                                 max_steps=max_steps, por=ctx,
                                                 after_timeout=after_timeout),
                        runs, bound, seen, cost)
    path = []                      # _Step nodes of the current branch, with .tried sets
    forced = []
    n = 0
    while n < runs:
        r = _one(test, _default_policy, forced, seed, max_steps=max_steps,
                 after_timeout=after_timeout)
        n += 1
        seen.add(tuple(r.choices))
        # the run repeats the forced prefix exactly (runs are deterministic); extend the path
        for s in r.steps[len(path):]:
            s.tried = {s.chosen}
            path.append(s)
        if r.error is not None:
            return r, n, False
        # backtrack: the deepest node with an untried choice within the bound
        pre = [0]
        for s in path:
            pre.append(pre[-1] + cost(s, s.chosen))
        while path:
            i = len(path) - 1
            s = path[i]
            nxt = None
            for c in sorted(s.cands, key=lambda c: cost(s, c)):
                if c in s.tried:
                    continue
                if pre[i] + cost(s, c) <= bound:
                    nxt = c
                    break
            if nxt is None:
                path.pop()
                continue
            s.tried.add(nxt)
            s.chosen = nxt
            break
        if not path:
            return None, n, True
        forced = [s.chosen for s in path]
    return None, n, False


def _shrink(test, found, seed, max_steps, budget=300, after_timeout=None):
    """Greedy: cut the schedule's tail, then set single choices back to the default;
    keep a change when the test still fails with the same kind of exception.  Then,
    if it still preempts more than once, a preemption-bounded DFS with bounds 0, 1, ...
    below that (what is left of ``budget`` runs) looks for one with fewer."""
    sig = _signature(found.error)
    best = found
    sched = _compact(best.steps)
    tries = 0

    def attempt(cand):
        nonlocal tries
        tries += 1
        r = _one(test, _default_policy, cand, seed, max_steps=max_steps,
                 after_timeout=after_timeout)
        return r if _signature(r.error) is sig else None

    def cost(r):
        return (sum(1 for s in r.steps if s.preempts), len(_compact(r.steps)))

    improved = True
    while improved and tries < budget:
        improved = False
        # 1. the shortest prefix that still fails
        nondef = [i for i, s in enumerate(best.steps[:len(sched)]) if s.chosen != s.default]
        for i in nondef:
            if tries >= budget:
                break
            r = attempt(sched[:i])
            if r is not None and cost(r) < cost(best):
                best, sched, improved = r, _compact(r.steps), True
                break
        if improved:
            continue
        # 2. one choice back to the default, or removed (the later ones move up), the others kept
        for i in nondef:
            for cand in (sched[:i] + [best.steps[i].default] + sched[i + 1:], sched[:i] + sched[i + 1:]):
                if tries >= budget:
                    break
                r = attempt(cand)
                if r is not None and cost(r) < cost(best):
                    best, sched, improved = r, _compact(r.steps), True
                    break
            if improved or tries >= budget:
                break
    pre = cost(best)[0]
    for bound in range(pre if pre > 1 else 0):
        if tries >= budget:
            break
        r, n, _ = _dfs(test, budget - tries, bound, seed, set(), max_steps,
                       after_timeout=after_timeout)
        tries += n
        if r is not None and _signature(r.error) is sig and cost(r) < cost(best):
            best, sched = r, _compact(r.steps)
            break
    return best, sched


def _options(schedule, after_timeout):
    forced, at = _parse_opts(schedule)
    _check_after(after_timeout)
    if after_timeout is not None and at is not None and at != after_timeout:
        raise ValueError(f"the schedule {schedule!r} was found with after_timeout={at}, "
                         f"not {after_timeout}")
    return forced, (at if at is not None else after_timeout)


def replay(test, schedule=None, seed=0, trace=True, max_steps=MAX_STEPS, after_timeout=None):
    """Run ``test()`` once under ``schedule`` (a string or list from :func:`run`).

    ``replay(result)`` replays a :class:`Result` (its test, schedule, seed and
    options).  A schedule that starts ``'a<ms>:'`` runs with that ``after_timeout``.
    Returns a :class:`Result` (``runs=1``) with the failure, if any, and the
    trace: one line per event, the same lines on every replay.
    """
    if isinstance(test, Result):
        res0 = test
        if res0.test is None or res0.schedule is None:
            raise ValueError("explore.replay(result) needs a result with a test and a schedule "
                             "(a failure found by explore.run)")
        test = res0.test
        schedule = res0.schedule if schedule is None else schedule
        seed = res0.seed if seed == 0 else seed
        after_timeout = res0.after_timeout if after_timeout is None else after_timeout
    if not callable(test):
        raise TypeError(f"explore.replay needs a test function (no arguments), not {test!r}")
    _check_shell()
    t0 = time.perf_counter()
    forced, at = _options(schedule, after_timeout)
    try:
        r = _one(test, _default_policy, forced, seed, trace=trace, max_steps=max_steps,
                 after_timeout=at)
        res = Result(found=r.error is not None, strategy="replay", runs=1, distinct=1, seed=seed,
                     elapsed=time.perf_counter() - t0, test=test, after_timeout=at)
        _fill(res, r, _compact(r.steps))
        return res
    finally:
        runtime.reset()


def shrink(test, schedule, seed=0, max_steps=MAX_STEPS, after_timeout=None):
    """A smaller schedule that fails as ``schedule`` does (the input if none is)."""
    _check_shell()
    forced, at = _options(schedule, after_timeout)
    try:
        r = _one(test, _default_policy, forced, seed, max_steps=max_steps, after_timeout=at)
        if r.error is None:
            raise ValueError(f"the test does not fail under {schedule!r}: nothing to shrink")
        best, sched = _shrink(test, r, seed, max_steps, after_timeout=at)
        return _fmt(sched, at)
    finally:
        runtime.reset()
