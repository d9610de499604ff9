"""What a step touches, and the search that uses it: ``otp_lite.explore``'s partial-order reduction.

Two steps of different processes *commute* when neither touches what the other
touches (or both only read it): running them in either order reaches the same
state, so a search that has run one order need not run the other.  A
footprint is a dict ``object -> written?`` filled while a step runs; the
objects are

* ``('m', n)``: the mailbox of process n (a send to it, a receive from it);
* ``('a', n)``: process n itself (its next step, its links and monitors, its
  liveness: an exit signal to it, ``is_process_alive``, ``link``, its end);
* ``('n', name)``: one registered name (``whereis`` reads it);
* ``('e', tid)``: one ETS table (a lookup reads it, an insert writes it);
  ``('en', name)``: a table name (``ets.new`` of a named table writes it, an
  access by name reads it);
* ``('t',)``: the timers (their order decides same-instant ties);
* ``('pids',)``: the pid counter (a spawn takes the next number);
* ``('net',)``: otp_lite.dist's network (a message to another node);
* ``'*'``: unknown: depends on everything (an operation explore cannot see into).

Book: chapter 3 (what a send and a receive touch).  Prior art: Godefroid's
sleep sets (1996), Flanagan and Godefroid's dynamic POR (POPL 2005); the
objects follow Concuerror's dependency relation for Erlang built-ins,
coarsened (a send and a receive on one mailbox always depend).
"""
from __future__ import annotations

from .kernel.process import Pid

ANY = "*"


def dependent(f, g):
    """Do two footprints conflict (an object both touch, at least one writing)?"""
    if f is None or g is None or ANY in f or ANY in g:
        return True
    if len(g) < len(f):
        f, g = g, f
    for k, w in f.items():
        w2 = g.get(k)
        if w2 is not None and (w or w2):
            return True
    return False


def dependent_any(f, fps):
    """Does footprint ``f`` conflict with any of ``fps`` ({pid: footprint}, a step's)?"""
    for g in fps.values():
        if dependent(f, g):
            return True
    return False


def touch(acc, obj, write=True):
    if write or obj not in acc:
        acc[obj] = write


def touch_op(rt, acc, op, obj, write):
    """A visible operation ``op`` on ``obj`` (what ``rt.explore(op, obj, write)`` passed)."""
    if obj is None:
        touch(acc, ANY)
        return
    if op == "whereis" or op == "unregister":
        touch(acc, ("n", obj), write and op == "unregister")
    elif op == "register":
        name, pid = obj
        touch(acc, ("n", name))
        if type(pid) is Pid:
            touch(acc, ("a", pid.num), False)
    elif op == "demonitor":
        me = rt.current
        touch(acc, ("m", me.num))
        t = me.monitors.get(obj) if me.monitors else None
        if t is not None:
            touch(acc, ("a", t.num))
    elif op.startswith("ets"):
        tab, w = obj
        try:
            from ._ets_table import find
            t = find(tab, op)
        except Exception:                   # noqa: BLE001 - a bad table: badarg follows
            t = None
        w = w or op.startswith("ets.delete")
        touch(acc, ("e", t.tid.n) if t is not None else ANY, w)
        if type(tab) is str:
            touch(acc, ("en", tab), False)
        if t is not None and t.named and op == "ets.delete/1":
            touch(acc, ("en", t.name))
    else:                                   # link, unlink, monitor, exit, is_process_alive
        target(rt, acc, obj, write)


def target(rt, acc, dest, write=True, mbox=False):
    """A pid, a name or (name, node) as the object of a link/monitor/exit (or a send: ``mbox``)."""
    if type(dest) is Pid:
        if dest.node is not rt.current.node:
            touch(acc, ("net",))
        else:
            touch(acc, ("m", dest.num) if mbox else ("a", dest.num), write)
        return
    if type(dest) is str:
        touch(acc, ("n", dest), False)
        p = rt.current.node.names.get(dest)
        if p is not None:
            touch(acc, ("m", p.num) if mbox else ("a", p.num), write)
        return
    if type(dest) is tuple and len(dest) == 2 and type(dest[0]) is str:
        if dest[1] != rt.current.node.name:
            touch(acc, ("net",))
            return
        return target(rt, acc, dest[0], write, mbox)
    touch(acc, ANY)


def on_exit(rt, acc, p):
    """A process ends: itself, the processes it monitors or links to, its name, the
    tables it owned (the signals it sends are recorded as they are delivered)."""
    touch(acc, ("a", p.num))
    for t in (p.monitors or {}).values():       # its monitors go: their targets' ends change
        touch(acc, ("a", t.num))
    for q in (p.links or ()):
        touch(acc, ("a", q.num))
    if p.name is not None:
        touch(acc, ("n", p.name))
    reg = rt.__dict__.get("_ets")
    if reg is not None:
        for tid, t in (reg.by_owner.get(p) or {}).items():
            touch(acc, ("e", getattr(tid, "n", tid)))
            if t.named:
                touch(acc, ("en", t.name))


# ------------------------------------------------------------------ the reduced search
class Por:
    """What the POR search tells one run: the DFS path so far (its nodes' explored
    siblings), the bound and its cost function."""
    __slots__ = ("path", "bound", "cost")

    def __init__(self, path, bound, cost):
        self.path, self.bound, self.cost = path, bound, cost


def sleep_after(prev, node):
    """The sleep set after step ``prev``: what slept before it and the siblings already
    explored there (``node.done``), less whatever conflicts with the step taken."""
    base = dict(prev.sleep)
    if node is not None and node.done:
        base.update(node.done)
    base.pop(prev.chosen, None)
    fp = prev.fp
    return {u: f for u, f in base.items() if not dependent_any(f, fp)}


def dfs(one, runs, bound, seen, cost):
    """The bounded DFS with partial-order reduction: DPOR-lite plus sleep sets.

    ``one(forced, ctx)`` runs the test once under the ``forced`` prefix (explore's
    ``_one``) and returns the run: its steps, error and ``blocked``.

    Each run records what every step touched (its footprint, above).
    Dynamic POR (Flanagan and Godefroid, POPL 2005), simplified: for each step j
    and each earlier step i of another process whose footprint conflicts with
    j's, the processes of j are added to i's *backtrack* set (all of i's runnable
    ones if none of them could run there), and the search branches at i only to
    those: two steps that touch different mailboxes, names and tables are never
    run in both orders.  Sleep sets (Godefroid 1996): a sibling already explored
    at a node stays asleep below the other branch until a conflicting step runs,
    and a run in which every runnable process sleeps is cut short as redundant.
    Timer ties branch to every candidate.  With a bound the reduction may cut a
    schedule the bound would have kept (bounded POR is not complete, Coons et
    al., OOPSLA 2013); the tests check that every known bug is still found.
    """
    path = []
    forced = []
    n = 0
    ctx = Por(path, bound, cost)
    while n < runs:
        r = one(forced, ctx)
        n += 1
        seen.add(tuple(r.choices))
        steps = r.steps
        limit = r.blocked if r.blocked is not None else len(steps)
        for i in range(min(len(path), limit)):
            path[i].fp, path[i].first, path[i].sleep = steps[i].fp, steps[i].first, steps[i].sleep
        del path[limit:]
        for s in steps[len(path):limit]:
            s.tried = {s.chosen}
            s.done = {}
            s.backtrack = set(s.cands) if s.kind != "run" else set()
            path.append(s)
        if r.error is not None:
            return r, n, False
        races(path, max(0, len(forced) - 1))
        pre = [0]
        for s in path:
            pre.append(pre[-1] + cost(s, s.chosen))
        while path:
            i = len(path) - 1
            s = path[i]
            nxt = None
            for c in sorted(s.backtrack, key=lambda c: (cost(s, c), s.cands.index(c))):
                if c in s.tried or c in s.sleep or c not in s.cands:
                    continue
                if pre[i] + cost(s, c) <= bound:
                    nxt = c
                    break
            if nxt is None:
                path.pop()
                continue
            s.done[s.chosen] = s.first
            s.tried.add(nxt)
            s.chosen = nxt
            break
        if not path:
            return None, n, True
        forced = [s.chosen for s in path]
    return None, n, False


def races(path, start):
    """DPOR-lite: for each step j from ``start`` and each earlier step i (or j itself)
    where different processes touched the same object: j's process joins i's backtrack
    set if it could run there, else every process runnable at i does (so too
    when the conflicting access in i was not the chosen process's own)."""
    dep = dependent
    for j in range(start, len(path)):
        sj = path[j]
        if sj.kind != "run" or not sj.fp:
            continue
        if len(sj.fp) > 1:              # a race inside one step: the chosen one blocked or
            items = list(sj.fp.items())     # ended, another ran on alone and touched the same
            for a, (p, fi) in enumerate(items):
                for q, fj in items[a + 1:]:
                    if dep(fi, fj):
                        for x in (p, q):
                            if x != sj.chosen:
                                if x in sj.cands:
                                    sj.backtrack.add(x)
                                else:
                                    sj.backtrack.update(sj.cands)
        for i in range(j):
            si = path[i]
            if si.kind != "run" or not si.fp or si.backtrack.issuperset(si.cands):
                continue
            for p, fi in si.fp.items():
                for q, fj in sj.fp.items():
                    if p == q or not dep(fi, fj):
                        continue
                    if p == si.chosen and q in si.cands:
                        si.backtrack.add(q)
                    else:
                        si.backtrack.update(si.cands)
