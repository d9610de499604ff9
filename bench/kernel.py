"""Kernel benchmarks: otp_lite against raw greenlet, asyncio and Pykka, side by side.

    python bench/kernel.py            # full run (a few minutes; ~9 GB RAM for 1M processes)
    python bench/kernel.py --quick    # smoke run, seconds
    make bench                        # installs the bench extra (pykka), then the full run

One process runs the throughput workloads (pingpong, spawn, ring, fanin) for
every implementation, interleaved.  Memory per idle process is measured in a
fresh subprocess per (implementation, N) so RSS numbers are clean.  Extra
sections: tracing off vs a no-trace build of the kernel (the same source with
every ``if tr is not None`` emit site stripped), and the cost of selective
receive against a deep mailbox.

otp_lite is driven only through its public API: ``runtime.reset`` (virtual
clock, tracing off), ``erlang.spawn / send / receive / self / yield_``.
The workload definitions are in bench/README.md; the peers in bench/peers.py.
"""
from __future__ import annotations

import argparse
import ast
import gc
import inspect
import json
import os
import statistics
import sys
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import _harness as H                                   # noqa: E402
from _harness import workload, now, order_hash        # noqa: E402
import peers                                           # noqa: E402,F401  (registers the peers)

from otp_lite import erlang, runtime                   # noqa: E402
from otp_lite.erlang import ANY                        # noqa: E402
from otp_lite.kernel import scheduler as _sched        # noqa: E402

IMPL = "otp_lite"
PEERS = ["greenlet", "asyncio", "pykka"]
WORKLOADS = ["pingpong", "spawn", "ring", "fanin"]
spawn, send, receive, self_, yield_ = (erlang.spawn, erlang.send, erlang.receive,
                                       erlang.self, erlang.yield_)


def fresh(kind="off"):
    """A fresh virtual runtime: tracing ``off`` (default), ``notrace`` build, or ``empty`` subscriber."""
    if kind == "notrace":
        # construct the subclass (swapping __class__ afterwards would defeat
        # CPython's attribute-access specialisation and slow it down)
        orig, runtime.Runtime = runtime.Runtime, notrace_runtime_class()
        try:
            rt = runtime.reset(clock="virtual")
        finally:
            runtime.Runtime = orig
    else:
        rt = runtime.reset(clock="virtual")
    if kind == "empty":
        runtime.subscribe(lambda ev: None)
    return rt


# ================================================================ workloads
def _pingpong(sz, count_only=None):
    out = {}
    shell = self_()
    check = sz.pingpong_check
    limit = count_only or sz.pingpong_max
    seconds = float("inf") if count_only else sz.pingpong_seconds

    def pong():
        while True:
            m = receive()
            if m is None:
                return
            send(m, "pong")

    def ping(pong_p):
        me = self_()
        count, t0 = 0, now()
        while True:
            for _ in range(check):
                send(pong_p, me)
                receive()
            count += check
            el = now() - t0
            if count >= limit or el >= seconds:
                break
        out.update(roundtrips=count, seconds=el, roundtrips_per_s=count / el)
        send(pong_p, None)
        send(shell, "done")

    spawn(ping, spawn(pong))
    receive()
    return out


@workload(IMPL, "pingpong")
def otp_pingpong(sz):
    fresh()
    return _pingpong(sz)


@workload(IMPL, "spawn")
def otp_spawn(sz):
    fresh()
    n = sz.spawn_n

    def waiter():
        receive()

    t0 = now()
    procs = [spawn(waiter) for _ in range(n)]
    runtime.run_until_idle()               # each runs until it blocks in receive
    t_spawn = now() - t0
    assert all(p.waiting for p in procs)
    t0 = now()
    for p in procs:
        send(p, "stop")
    runtime.run_until_idle()
    t_stop = now() - t0
    assert not any(p.alive for p in procs)
    return {"n": n, "spawn_s": t_spawn, "spawn_per_s": n / t_spawn, "stop_s": t_stop}


def _ring(sz):
    n, m = sz.ring_n, sz.ring_m
    out = {}
    shell = self_()

    def node():
        nxt = receive()
        while True:
            tok = receive()
            if tok == "stop":
                return
            if tok == 0:
                out["t1"] = now()
                send(out["driver"], "done")
            else:
                send(nxt, tok - 1)

    def driver():
        out["driver"] = self_()
        t0 = now()
        nodes = [spawn(node) for _ in range(n)]
        for i, p in enumerate(nodes):
            send(p, nodes[(i + 1) % n])
        yield_()                            # every node starts and blocks
        t1 = now()
        send(nodes[0], n * m)
        receive()
        out.update(spawn_s=t1 - t0, pass_s=out["t1"] - t1)
        for p in nodes:
            send(p, "stop")
        send(shell, "done")

    spawn(driver)
    receive()
    hops = n * m
    return {"hops": hops, "spawn_s": out["spawn_s"], "pass_s": out["pass_s"],
            "hops_per_s": hops / out["pass_s"]}


@workload(IMPL, "ring")
def otp_ring(sz):
    fresh()
    return _ring(sz)


@workload(IMPL, "fanin")
def otp_fanin(sz):
    fresh()
    s, k = sz.fanin_senders, sz.fanin_msgs
    total = s * k
    out = {}
    shell = self_()

    def receiver(driver_p):
        seen = []
        for _ in range(total):
            sid, _i = receive()
            seen.append(sid)
        out["t1"] = now()
        out["hash"] = order_hash(seen)
        send(driver_p, "done")

    def sender(sid, recv_p):
        receive()                           # wait for 'go'
        for i in range(k):
            send(recv_p, (sid, i))

    def driver():
        r = spawn(receiver, self_())
        senders = [spawn(sender, i, r) for i in range(s)]
        yield_()
        t0 = now()
        for p in senders:
            send(p, "go")
        receive()
        out["el"] = out["t1"] - t0
        send(shell, "done")

    spawn(driver)
    receive()
    return {"msgs": total, "seconds": out["el"], "msgs_per_s": total / out["el"],
            "order_hash": out["hash"]}


# ================================================================ no-trace build
class _StripTrace(ast.NodeTransformer):
    """Drop ``tr = self.trace`` and every ``if tr/self.trace is not None:`` block."""

    stripped = 0

    @staticmethod
    def _is_trace(node):
        return ((isinstance(node, ast.Name) and node.id == "tr")
                or (isinstance(node, ast.Attribute) and node.attr == "trace"
                    and isinstance(node.value, ast.Name) and node.value.id == "self"))

    def visit_Assign(self, node):
        if (len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "tr" and self._is_trace(node.value)):
            return None
        return node

    def visit_If(self, node):
        self.generic_visit(node)
        t = node.test
        if (isinstance(t, ast.Compare) and self._is_trace(t.left) and len(t.ops) == 1
                and isinstance(t.ops[0], ast.IsNot) and isinstance(t.comparators[0], ast.Constant)
                and t.comparators[0].value is None):
            _StripTrace.stripped += 1
            return node.orelse or None
        if not node.body:
            node.body = [ast.Pass()]
        return node

    def generic_visit(self, node):
        super().generic_visit(node)
        if isinstance(getattr(node, "body", None), list) and not node.body:
            node.body = [ast.Pass()]        # a block left empty by the stripping
        return node


_NOTRACE = None


def notrace_runtime_class():
    """A Runtime subclass compiled from the kernel's own source minus the trace checks."""
    global _NOTRACE
    if _NOTRACE is not None:
        return _NOTRACE
    methods = {}
    for cls in _sched.Runtime.__mro__[:-1]:
        mod = sys.modules[cls.__module__]
        for name, fn in vars(cls).items():
            if name in methods or not inspect.isfunction(fn):
                continue
            src = textwrap.dedent(inspect.getsource(fn))
            if "trace" not in src or "super()" in src:
                continue
            tree = ast.parse(src)
            if not (tree.body and isinstance(tree.body[0], ast.FunctionDef) and tree.body[0].name == name):
                raise RuntimeError(f"{cls.__name__}.{name}: the source on disk no longer matches the "
                                   "imported kernel (edited while running?); rerun the bench")
            tree = _StripTrace().visit(tree)
            ast.fix_missing_locations(tree)
            ns = dict(mod.__dict__)
            exec(compile(tree, f"<notrace {cls.__name__}.{name}>", "exec"), ns)
            methods[name] = ns[name]
    _NOTRACE = type("NoTraceRuntime", (_sched.Runtime,), methods)
    _NOTRACE.stripped_sites = _StripTrace.stripped
    return _NOTRACE


def bench_tracing(sz, log=print):
    """Tracing off vs the no-trace build (and an empty subscriber).

    Measured in CPU seconds of this process (``time.process_time``), not wall
    time: the comparison is within one single-threaded implementation, and CPU
    time is far less disturbed by other load on a shared machine.  The three
    variants run back to back in a rotating order, ``trace_reps`` times; each
    row is the median of the within-repeat ratios (rates are medians too).
    """
    import time
    cpu = time.process_time
    count = sz.trace_roundtrips
    rsz = H.Sizes(ring_n=sz.ring_n, ring_m=sz.ring_m)
    hops = rsz.ring_n * rsz.ring_m
    kinds = ("off", "notrace", "empty")
    rate = {}
    reps = sz.trace_reps
    for rep in range(reps):
        order = kinds[rep % 3:] + kinds[:rep % 3]
        for wl in ("pingpong", "ring"):
            for kind in order:
                fresh(kind)
                gc.collect()
                t0 = cpu()
                if wl == "pingpong":
                    _pingpong(sz, count_only=count)
                    work = count
                else:
                    _ring(rsz)
                    work = hops
                rate.setdefault((kind, wl), []).append(work / max(cpu() - t0, 1e-9))
    fresh()
    med = statistics.median
    rows = []
    for wl in ("pingpong", "ring"):
        off, nt, em = (rate[(k, wl)] for k in kinds)
        rows.append((wl, med(off), med(nt), med(em),
                     med(a / b for a, b in zip(off, nt)), med(a / b for a, b in zip(em, nt))))
    return rows, reps


# ================================================================ selective receive
def bench_selective(sz):
    """µs (CPU) per selective receive when the match sits behind ``depth`` unmatched messages."""
    import time
    cpu = time.process_time
    rows = []
    for depth in sz.selective_depths:
        fresh()
        rounds = min(sz.selective_rounds, max(20, 2_000_000 // max(depth, 1)))
        out = {}
        shell = self_()

        def worker(driver_p):
            for _ in range(rounds):
                receive(("hit", ANY))
                send(driver_p, "ack")

        def driver():
            w = spawn(worker, self_())
            for i in range(depth):
                send(w, ("junk", i))
            t0 = cpu()
            for i in range(rounds):
                send(w, ("hit", i))
                receive()
            out["el"] = cpu() - t0
            send(shell, "done")

        spawn(driver)
        receive()
        rows.append((depth, rounds, out["el"] / rounds * 1e6))
    base = rows[0][2]
    return [(d, r, us, (us - base) * 1000 / d if d else None) for d, r, us in rows]


# ================================================================ memory (subprocess)
def mem_child(impl, n):
    """Run in a fresh interpreter: n idle processes, each blocked in receive."""
    gc.collect()
    rss0, _ = H.mem_kib()
    t0 = now()
    if impl == IMPL:
        fresh()

        def waiter():
            receive()

        keep = [spawn(waiter) for _ in range(n)]
        runtime.run_until_idle()
        assert all(p.waiting for p in keep)
        rss1, hwm1 = H.mem_kib()
    elif impl == "greenlet":
        keep = peers.gl_idle(n)
        rss1, hwm1 = H.mem_kib()
    elif impl == "asyncio":
        rss1, hwm1 = peers.aio_idle(n)
    elif impl == "pykka":
        keep = peers.pk_idle(n)
        rss1, hwm1 = H.mem_kib()
    else:
        raise SystemExit(f"unknown impl {impl}")
    el = now() - t0
    print(json.dumps({"impl": impl, "n": n, "spawn_s": el, "rss_mib": rss1 / 1024,
                      "peak_rss_mib": hwm1 / 1024, "kib_per_proc": (hwm1 - rss0) / n,
                      "rss_kib_per_proc": (rss1 - rss0) / n}), flush=True)
    os._exit(0)                             # skip tearing down n greenlets/threads


def bench_memory(sz, log=print):
    jobs = [(IMPL, n) for n in sz.mem_ns] + [("greenlet", sz.mem_peer_n), ("asyncio", sz.mem_peer_n)]
    if peers.pykka is not None:
        jobs.append(("pykka", sz.mem_thread_n))
    rows = []
    for impl, n in jobs:
        log(f"memory: {impl} n={n:,} (fresh subprocess)")
        rows.append(H.run_child(os.path.abspath(__file__), ["--mem-child", impl, n]) | {"impl": impl, "n": n})
    return rows


# ================================================================ report
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, one repeat: a smoke run")
    ap.add_argument("-r", "--repeats", type=int, help="repeats per (impl, workload); median shown")
    ap.add_argument("-w", "--workloads", nargs="+", default=WORKLOADS, choices=WORKLOADS)
    ap.add_argument("-i", "--impls", nargs="+", default=PEERS, choices=PEERS, help="peers to compare with")
    ap.add_argument("--skip", nargs="+", default=[], choices=["throughput", "memory", "tracing", "selective"])
    ap.add_argument("--mem-child", nargs=2, metavar=("IMPL", "N"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.mem_child:
        mem_child(a.mem_child[0], int(a.mem_child[1]))
        return
    sz = H.QUICK if a.quick else H.FULL
    if a.repeats:
        sz = H.Sizes(**{**sz.__dict__, "repeats": a.repeats})
    peers_ = [p for p in a.impls if p != "pykka" or peers.pykka is not None]
    if "pykka" in a.impls and peers.pykka is None:
        print("NOTE: pykka is not installed (pip install -e '.[bench]' or make bench); skipping it\n")
    log = lambda s: print(s, file=sys.stderr, flush=True)   # noqa: E731
    checks = []                             # (target, measured, ok)
    if "tracing" not in a.skip:
        notrace_runtime_class()             # compile now, while the source on disk matches
    print(f"# otp_lite kernel bench{' (--quick)' if a.quick else ''}\n\nMachine: {H.machine_facts()}\n")

    if "throughput" not in a.skip:
        res = H.run_matrix([IMPL] + peers_, a.workloads, sz, log)
        print("## Ratios (otp_lite / peer, headline metric, median over "
              f"{sz.repeats} repeats of the within-repeat ratio; >1 means otp_lite is faster)\n")
        print(H.ratio_table(res, IMPL, peers_, a.workloads))
        print("\n## Raw numbers\n")
        print(H.raw_table(res, [IMPL] + peers_, a.workloads))
        print()
        for peer, want in (("greenlet", 0.5), ("asyncio", 2.5), ("pykka", 30.0)):
            r = H.ratios(res, IMPL, peer, "pingpong")
            if r:
                m = statistics.median(r)
                checks.append((f"pingpong >= {want:g}x {peer}", f"{m:.2f}x", m >= want))

    if "memory" not in a.skip:
        rows = bench_memory(sz, log)
        print("## Memory per idle process (each blocked in receive; fresh subprocess each)\n")
        print("| impl | N | KiB/process (peak RSS growth / N) | peak RSS MiB | spawn+settle s |")
        print("|---|---|---|---|---|")
        for r in rows:
            if "error" in r:
                print(f"| {r['impl']} | {r['n']:,} | error: {r['error'].splitlines()[-1]} | | |")
            else:
                print(f"| {r['impl']} | {r['n']:,} | {r['kib_per_proc']:.2f} | {r['peak_rss_mib']:,.0f} "
                      f"| {r['spawn_s']:.2f} |")
                if r["impl"] == IMPL and r["n"] == max(sz.mem_ns):
                    checks.append((f"{r['n']:,} idle processes at <= 8 KiB each",
                                   f"{r['kib_per_proc']:.2f} KiB", r["kib_per_proc"] <= 8))
        print()

    if "tracing" not in a.skip:
        log("tracing: off vs no-trace build vs empty subscriber")
        rows, reps = bench_tracing(sz, log)
        print(f"## Tracing cost (CPU time, median of {reps} interleaved repeats; "
              f"no-trace build = the kernel's own source with its {notrace_runtime_class().stripped_sites} "
              "`if tr is not None` emit sites stripped)\n")
        print("| workload | tracing off | no-trace build | off / no-trace | empty subscriber | empty / no-trace |")
        print("|---|---|---|---|---|---|")
        for wl, off, nt, em, r_off, r_em in rows:
            print(f"| {wl} | {H.fmt(off)}/s | {H.fmt(nt)}/s | {r_off:.1%} | {H.fmt(em)}/s | {r_em:.1%} |")
            checks.append((f"{wl}: tracing off within 10% of no-trace build", f"{r_off:.1%}",
                           r_off >= 0.9))
        print()

    if "selective" not in a.skip:
        log("selective receive vs mailbox depth")
        rows = bench_selective(sz)
        print("## Selective receive with a deep mailbox\n")
        print("`receive(('hit', ANY))` while `depth` unmatched `('junk', i)` messages sit in front "
              "(one round trip per receive).\n")
        print("| depth | rounds | CPU µs per round trip | ns per skipped message |")
        print("|---|---|---|---|")
        for d, r, us, ns in rows:
            print(f"| {d:,} | {r:,} | {us:.2f} | {'-' if ns is None else f'{ns:.0f}'} |")
        print()

    if checks:
        print("## Targets (issue 3)\n")
        print("| target | measured | met |")
        print("|---|---|---|")
        for t, m, ok in checks:
            print(f"| {t} | {m} | {'yes' if ok else 'NO'} |")
        print()


if __name__ == "__main__":
    main()
