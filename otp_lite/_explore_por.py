"""What a step touches: the footprints behind ``otp_lite.explore``'s partial-order reduction.

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
        touch(acc, ("e", t.tid.n) if t is not None else ANY, w or op.startswith("ets.delete"))
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
    """A process ends: itself, its name, the tables it owned (its links' and
    monitors' signals are recorded as they are delivered)."""
    touch(acc, ("a", p.num))
    if p.name is not None:
        touch(acc, ("n", p.name))
    reg = rt.__dict__.get("_ets")
    if reg is not None:
        for tid in (reg.by_owner.get(p) or ()):
            touch(acc, ("e", getattr(tid, "n", tid)))
