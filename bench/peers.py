"""Peer implementations of the kernel workloads: raw greenlet, asyncio, Pykka.

They mirror the stand-alone peer scripts (shared bench_peers: bench_greenlet,
bench_asyncio, bench_pykka) workload for workload, but return their metrics
as a dict so bench/kernel.py can run everything in one process, side by side.

* ``greenlet``: a ~40-line round-robin scheduler (below), deque mailboxes, no
  selective receive, timers, links or reduction budget: the physical limit of
  any greenlet kernel.
* ``asyncio``: one Task per actor, an ``asyncio.Queue`` as its mailbox.
* ``pykka``: ``pykka.ThreadingActor`` (a thread per actor) and ``tell()``;
  optional (``pip install -e '.[bench]'``, which ``make bench`` does).
"""
from __future__ import annotations

import asyncio
import threading
import time
from collections import deque

from greenlet import greenlet, getcurrent

from _harness import workload, now, order_hash, mem_kib

try:
    import pykka
except ImportError:             # the bench extra is not installed
    pykka = None


# ================================================================== greenlet
class _Proc:
    __slots__ = ("g", "mbox", "waiting", "args")


class GreenletSched:
    """Round-robin greenlet scheduler: FIFO run queue, deque mailboxes."""

    def __init__(self):
        self.runq = deque()
        self.current = None
        self.main = getcurrent()

    def spawn(self, fn, *args):
        p = _Proc()
        p.mbox, p.waiting, p.args = deque(), False, args
        p.g = greenlet(fn, parent=self.main)
        self.runq.append(p)
        return p

    def send(self, p, msg):
        p.mbox.append(msg)
        if p.waiting:
            p.waiting = False
            self.runq.append(p)

    def receive(self):
        p = self.current
        while not p.mbox:
            p.waiting = True
            self.main.switch()
        return p.mbox.popleft()

    def yield_(self):
        self.runq.append(self.current)
        self.main.switch()

    def run(self):
        runq = self.runq
        while runq:
            p = runq.popleft()
            self.current = p
            if p.args is not None:
                a, p.args = p.args, None
                p.g.switch(*a)
            else:
                p.g.switch()


@workload("greenlet", "pingpong")
def gl_pingpong(sz):
    S = GreenletSched()
    spawn, send, receive = S.spawn, S.send, S.receive
    out = {}

    def pong():
        while True:
            m = receive()
            if m is None:
                return
            send(m, "pong")

    def ping(pong_p):
        me = S.current
        count, t0 = 0, now()
        while True:
            for _ in range(sz.pingpong_check):
                send(pong_p, me)
                receive()
            count += sz.pingpong_check
            el = now() - t0
            if count >= sz.pingpong_max or el >= sz.pingpong_seconds:
                break
        out.update(roundtrips=count, seconds=el, roundtrips_per_s=count / el)
        send(pong_p, None)

    spawn(ping, spawn(pong))
    S.run()
    return out


@workload("greenlet", "spawn")
def gl_spawn(sz):
    S = GreenletSched()
    n = sz.spawn_n

    def waiter():
        S.receive()

    t0 = now()
    procs = [S.spawn(waiter) for _ in range(n)]
    S.run()
    t_spawn = now() - t0
    assert all(p.waiting for p in procs)
    t0 = now()
    for p in procs:
        S.send(p, "stop")
    S.run()
    t_stop = now() - t0
    assert all(p.g.dead for p in procs)
    return {"n": n, "spawn_s": t_spawn, "spawn_per_s": n / t_spawn, "stop_s": t_stop}


@workload("greenlet", "ring")
def gl_ring(sz):
    S = GreenletSched()
    n, m = sz.ring_n, sz.ring_m
    out = {}

    def node():
        nxt = S.receive()
        while True:
            tok = S.receive()
            if tok == "stop":
                return
            if tok == 0:
                out["t1"] = now()
                S.send(out["driver"], "done")
            else:
                S.send(nxt, tok - 1)

    def driver():
        out["driver"] = S.current
        t0 = now()
        nodes = [S.spawn(node) for _ in range(n)]
        for i, p in enumerate(nodes):
            S.send(p, nodes[(i + 1) % n])
        S.yield_()
        t1 = now()
        S.send(nodes[0], n * m)
        S.receive()
        out.update(spawn_s=t1 - t0, pass_s=out["t1"] - t1)
        for p in nodes:
            S.send(p, "stop")

    S.spawn(driver)
    S.run()
    hops = n * m
    return {"hops": hops, "spawn_s": out["spawn_s"], "pass_s": out["pass_s"],
            "hops_per_s": hops / out["pass_s"]}


@workload("greenlet", "fanin")
def gl_fanin(sz):
    S = GreenletSched()
    s, k = sz.fanin_senders, sz.fanin_msgs
    total = s * k
    out = {}

    def receiver(driver_p):
        seen = []
        for _ in range(total):
            sid, _i = S.receive()
            seen.append(sid)
        out["t1"] = now()
        out["hash"] = order_hash(seen)
        S.send(driver_p, "done")

    def sender(sid, recv_p):
        S.receive()
        for i in range(k):
            S.send(recv_p, (sid, i))

    def driver():
        r = S.spawn(receiver, S.current)
        senders = [S.spawn(sender, i, r) for i in range(s)]
        S.yield_()
        t0 = now()
        for p in senders:
            S.send(p, "go")
        S.receive()
        out["el"] = out["t1"] - t0

    S.spawn(driver)
    S.run()
    return {"msgs": total, "seconds": out["el"], "msgs_per_s": total / out["el"],
            "order_hash": out["hash"]}


def gl_idle(n):
    """Memory child: n idle greenlet processes, each blocked in receive."""
    S = GreenletSched()
    procs = [S.spawn(S.receive) for _ in range(n)]
    S.run()
    return procs


# ================================================================== asyncio
async def _aio_pingpong(sz):
    q_ping, q_pong = asyncio.Queue(), asyncio.Queue()
    out = {}

    async def pong():
        while True:
            m = await q_pong.get()
            if m is None:
                return
            q_ping.put_nowait("pong")

    async def ping():
        count, t0 = 0, now()
        while True:
            for _ in range(sz.pingpong_check):
                q_pong.put_nowait("ping")
                await q_ping.get()
            count += sz.pingpong_check
            el = now() - t0
            if count >= sz.pingpong_max or el >= sz.pingpong_seconds:
                break
        out.update(roundtrips=count, seconds=el, roundtrips_per_s=count / el)
        q_pong.put_nowait(None)

    await asyncio.gather(ping(), pong())
    return out


async def _aio_spawn(sz):
    n = sz.spawn_n
    started = 0

    async def waiter(q):
        nonlocal started
        started += 1
        await q.get()

    t0 = now()
    qs = [asyncio.Queue() for _ in range(n)]
    tasks = [asyncio.create_task(waiter(q)) for q in qs]
    while started < n:
        await asyncio.sleep(0)
    t_spawn = now() - t0
    t0 = now()
    for q in qs:
        q.put_nowait("stop")
    await asyncio.gather(*tasks)
    return {"n": n, "spawn_s": t_spawn, "spawn_per_s": n / t_spawn, "stop_s": now() - t0}


async def _aio_ring(sz):
    n, m = sz.ring_n, sz.ring_m
    done = asyncio.Queue()
    out = {}
    started = 0

    async def node(me, nxt):
        nonlocal started
        started += 1
        while True:
            tok = await me.get()
            if tok == "stop":
                return
            if tok == 0:
                out["t1"] = now()
                done.put_nowait("done")
            else:
                nxt.put_nowait(tok - 1)

    t0 = now()
    qs = [asyncio.Queue() for _ in range(n)]
    tasks = [asyncio.create_task(node(qs[i], qs[(i + 1) % n])) for i in range(n)]
    while started < n:
        await asyncio.sleep(0)
    t1 = now()
    qs[0].put_nowait(n * m)
    await done.get()
    for q in qs:
        q.put_nowait("stop")
    await asyncio.gather(*tasks)
    hops = n * m
    return {"hops": hops, "spawn_s": t1 - t0, "pass_s": out["t1"] - t1,
            "hops_per_s": hops / (out["t1"] - t1)}


async def _aio_fanin(sz):
    s, k = sz.fanin_senders, sz.fanin_msgs
    total = s * k
    rq = asyncio.Queue()
    out = {}
    started = 0

    async def receiver():
        seen = []
        for _ in range(total):
            sid, _i = await rq.get()
            seen.append(sid)
        out["t1"] = now()
        out["hash"] = order_hash(seen)

    async def sender(sid, me):
        nonlocal started
        started += 1
        await me.get()
        for i in range(k):
            rq.put_nowait((sid, i))

    rtask = asyncio.create_task(receiver())
    qs = [asyncio.Queue() for _ in range(s)]
    tasks = [asyncio.create_task(sender(i, q)) for i, q in enumerate(qs)]
    while started < s:
        await asyncio.sleep(0)
    t0 = now()
    for q in qs:
        q.put_nowait("go")
    await rtask
    await asyncio.gather(*tasks)
    el = out["t1"] - t0
    return {"msgs": total, "seconds": el, "msgs_per_s": total / el, "order_hash": out["hash"]}


workload("asyncio", "pingpong")(lambda sz: asyncio.run(_aio_pingpong(sz)))
workload("asyncio", "spawn")(lambda sz: asyncio.run(_aio_spawn(sz)))
workload("asyncio", "ring")(lambda sz: asyncio.run(_aio_ring(sz)))
workload("asyncio", "fanin")(lambda sz: asyncio.run(_aio_fanin(sz)))


def aio_idle(n):
    """Memory child: n idle tasks, each blocked in ``await queue.get()``."""
    async def main():
        started = 0

        async def waiter(q):
            nonlocal started
            started += 1
            await q.get()

        qs = [asyncio.Queue() for _ in range(n)]
        tasks = [asyncio.create_task(waiter(q)) for q in qs]
        while started < n:
            await asyncio.sleep(0)
        rss = mem_kib()
        for t in tasks:
            t.cancel()
        return rss
    return asyncio.run(main())


# ================================================================== Pykka
if pykka is not None:
    class _Pong(pykka.ThreadingActor):
        def on_receive(self, msg):
            if isinstance(msg, pykka.ActorRef):
                msg.tell("pong")

    class _Ping(pykka.ThreadingActor):
        def __init__(self, pong, sz, out, done):
            super().__init__()
            self.pong, self.sz, self.out, self.done = pong, sz, out, done
            self.count = 0
            self.t0 = None

        def on_receive(self, msg):
            if msg == "start":
                self.t0 = now()
                self.pong.tell(self.actor_ref)
                return
            self.count += 1
            sz = self.sz
            if self.count % sz.pingpong_check == 0:
                el = now() - self.t0
                if self.count >= sz.pingpong_max or el >= sz.pingpong_seconds:
                    self.out.update(roundtrips=self.count, seconds=el,
                                    roundtrips_per_s=self.count / el)
                    self.done.set()
                    return
            self.pong.tell(self.actor_ref)

    @workload("pykka", "pingpong")
    def pk_pingpong(sz):
        out, done = {}, threading.Event()
        pong = _Pong.start()
        ping = _Ping.start(pong, sz, out, done)
        ping.tell("start")
        done.wait()
        pykka.ActorRegistry.stop_all()
        return out

    class _Waiter(pykka.ThreadingActor):
        def __init__(self, started):
            super().__init__()
            self.started = started

        def on_start(self):
            self.started.append(1)

    def _pk_start_waiters(n):
        started = []
        refs = [_Waiter.start(started) for _ in range(n)]
        while len(started) < n:
            time.sleep(0.0005)
        return refs

    @workload("pykka", "spawn")
    def pk_spawn(sz):
        n = sz.spawn_n
        t0 = now()
        refs = _pk_start_waiters(n)
        t_spawn = now() - t0
        t0 = now()
        pykka.ActorRegistry.stop_all(block=True)
        t_stop = now() - t0
        assert not any(r.is_alive() for r in refs)
        return {"n": n, "spawn_s": t_spawn, "spawn_per_s": n / t_spawn, "stop_s": t_stop}

    class _Node(pykka.ThreadingActor):
        def __init__(self, out, done):
            super().__init__()
            self.nxt, self.out, self.done = None, out, done

        def on_receive(self, tok):
            if isinstance(tok, pykka.ActorRef):
                self.nxt = tok
            elif tok == 0:
                self.out["t1"] = now()
                self.done.set()
            else:
                self.nxt.tell(tok - 1)

    @workload("pykka", "ring")
    def pk_ring(sz):
        n, m = sz.ring_n, sz.ring_m
        out, done = {}, threading.Event()
        t0 = now()
        nodes = [_Node.start(out, done) for _ in range(n)]
        for i, r in enumerate(nodes):
            r.tell(nodes[(i + 1) % n])
        t1 = now()
        nodes[0].tell(n * m)
        done.wait()
        pykka.ActorRegistry.stop_all()
        hops = n * m
        return {"hops": hops, "spawn_s": t1 - t0, "pass_s": out["t1"] - t1,
                "hops_per_s": hops / (out["t1"] - t1)}

    class _Receiver(pykka.ThreadingActor):
        def __init__(self, total, out, done):
            super().__init__()
            self.total, self.out, self.done = total, out, done
            self.seen = []

        def on_receive(self, msg):
            self.seen.append(msg[0])
            if len(self.seen) == self.total:
                self.out["t1"] = now()
                self.out["hash"] = order_hash(self.seen)
                self.done.set()

    class _Sender(pykka.ThreadingActor):
        def __init__(self, sid, k, receiver):
            super().__init__()
            self.sid, self.k, self.receiver = sid, k, receiver

        def on_receive(self, msg):
            for i in range(self.k):
                self.receiver.tell((self.sid, i))

    @workload("pykka", "fanin")
    def pk_fanin(sz):
        s, k = sz.fanin_senders, sz.fanin_msgs
        total = s * k
        out, done = {}, threading.Event()
        r = _Receiver.start(total, out, done)
        senders = [_Sender.start(i, k, r) for i in range(s)]
        t0 = now()
        for ref in senders:
            ref.tell("go")
        done.wait()
        el = out["t1"] - t0
        pykka.ActorRegistry.stop_all()
        return {"msgs": total, "seconds": el, "msgs_per_s": total / el, "order_hash": out["hash"]}

    def pk_idle(n):
        """Memory child: n idle ThreadingActors (one OS thread each)."""
        return _pk_start_waiters(n)
