"""Preemption benchmark: what the CPU timer costs, and what a ticker sees beside spinners.

    python bench/preempt.py            # full run (~1 min)
    python bench/preempt.py --quick    # smoke run (a few seconds)
    python bench/preempt.py --readme   # also append the results to bench/README.md

1. **Cost** (issue 16 goal: within 2 %).  The same workload with preemption
   *off* (``preempt_ms=None``: no timer) and *armed* (``preempt_ms=10``, the
   real clock's slice, the most ticks: one SIGPROF every 2.5 ms of CPU),
   alternating in one process; a cell is the median over repeats of the
   within-pair ratio armed/off of the rate (1.00 = no cost).  Workloads:
   ping-pong between two processes, ``gen_server.call`` from a process and
   from the shell.  Nothing is preempted here (every process blocks within
   microseconds): this is the price of the timer and the tick handler alone.
   The handler's own cost per tick is also timed directly (a process and the
   shell calling it in a loop), which gives the cost as a fraction of CPU
   without the run-to-run noise of a shared machine.
2. **Latency** (goal: p99 below 2 slices x runnable processes).  Real clock,
   10 ms slices, N processes running ``while True: pass`` and one ticker
   that sleeps 20 ms in a loop; lateness = wall time it woke minus the time
   it asked for.  With N spinners ahead of it in the run queue, a woken
   ticker waits for each of them to use up its slice (round robin, as on
   one BEAM scheduler).
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from otp_lite import erlang, gen_server, runtime, timer   # noqa: E402
from otp_lite.kernel import preempt                        # noqa: E402

SLICE = 10


class counter:
    def init(n):
        return ("ok", n)

    def handle_call(req, _from, n):
        return ("reply", n + 1, n + 1)


# ---------------------------------------------------------------- cost
def w_pingpong(n):
    def pong():
        while True:
            m = erlang.receive()
            if m == "stop":
                return
            erlang.send(m, "pong")

    def ping(p, me):
        for _ in range(n):
            erlang.send(p, erlang.self())
            erlang.receive()
        erlang.send(p, "stop")
        erlang.send(me, "done")

    me = erlang.self()
    p = erlang.spawn(pong)
    t0 = time.perf_counter()
    erlang.spawn(ping, p, me)
    erlang.receive("done")
    return n / (time.perf_counter() - t0)


def w_call(n):
    _, srv = gen_server.start(counter, 0, [])
    me = erlang.self()

    def client():
        call = gen_server.call
        for _ in range(n):
            call(srv, "incr")
        erlang.send(me, "done")

    t0 = time.perf_counter()
    erlang.spawn(client)
    erlang.receive("done")
    return n / (time.perf_counter() - t0)


def w_call_shell(n):
    _, srv = gen_server.start(counter, 0, [])
    call = gen_server.call
    t0 = time.perf_counter()
    for _ in range(n):
        call(srv, "incr")
    return n / (time.perf_counter() - t0)


COST = {"pingpong": w_pingpong, "gen_server.call": w_call, "gen_server.call (shell)": w_call_shell}


def bench_cost(n, repeats, log):
    rows = []
    for name, fn in COST.items():
        ratios, off_rates, on_rates = [], [], []
        for r in range(repeats):
            pair = {}
            order = ("off", "armed") if r % 2 == 0 else ("armed", "off")
            for mode in order:
                rt = runtime.reset(clock="virtual", preempt_ms=None if mode == "off" else SLICE)
                pair[mode] = fn(n)
                assert rt.preemptions == 0
            ratios.append(pair["armed"] / pair["off"])
            off_rates.append(pair["off"])
            on_rates.append(pair["armed"])
            log(f"  {name} #{r}: off {pair['off']:,.0f}/s armed {pair['armed']:,.0f}/s")
        rows.append((name, statistics.median(off_rates), statistics.median(on_rates),
                     statistics.median(ratios), min(ratios), max(ratios)))
    runtime.reset()
    return rows


def bench_handler(n):
    """µs per call of the tick handler: in a running process (it marks the process)
    and while the shell runs (it returns at once)."""
    import signal
    runtime.reset(clock="virtual", preempt_ms=10 ** 9)    # the bookkeeping, never a preemption
    out = {}

    def loop(key):
        f = sys._getframe()
        tick = preempt._on_tick
        t0 = time.perf_counter()
        for _ in range(n):
            tick(signal.SIGPROF, f)
        out[key] = (time.perf_counter() - t0) / n * 1e6

    erlang.spawn(loop, "process")
    runtime.run_until_idle()
    loop("shell")
    runtime.reset()
    return out


# ---------------------------------------------------------------- latency
def spin():
    while True: pass                                 # noqa: E701


def bench_latency(spinners, samples, every=20):
    rt = runtime.reset(clock="real", preempt_ms=SLICE)
    me = erlang.self()
    late = []

    def ticker():
        for _ in range(samples):
            want = time.monotonic() + every / 1000
            timer.sleep(every)
            late.append((time.monotonic() - want) * 1000)
        erlang.send(me, "done")

    procs = [erlang.spawn(spin) for _ in range(spinners)]
    erlang.spawn(ticker)
    erlang.receive("done")
    for p in procs:
        erlang.exit(p, "kill")
    runtime.run_until_idle()
    n = rt.preemptions
    runtime.reset()
    late.sort()
    p99 = late[min(len(late) - 1, int(round(0.99 * (len(late) - 1))))]
    return {"spinners": spinners, "samples": len(late), "p50": statistics.median(late), "p99": p99,
            "max": late[-1], "goal": 2 * SLICE * (spinners + 1), "preemptions": n}


# ---------------------------------------------------------------- report
def machine():
    import greenlet
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; "
            f"CPython {platform.python_version()}, greenlet {greenlet.__version__}")


def report(cost, lat, n, repeats, handler):
    out = ["## Preemption (bench/preempt.py)", "", f"Machine: {machine()}.", "",
           f"### Cost of the armed timer ({SLICE} ms slices, one tick per {SLICE / preempt.TICKS:g} ms of CPU)", "",
           f"{n:,} operations per run, {repeats} alternating pairs; rate = operations per second (wall); "
           "ratio = armed / off within a pair, median (range). Goal: within 2 %.", "",
           "| workload | off | armed | armed / off | within 2 % |", "|---|---|---|---|---|"]
    for name, off, on, med, lo, hi in cost:
        out.append(f"| {name} | {off:,.0f}/s | {on:,.0f}/s | {med:.3f} ({lo:.3f}..{hi:.3f}) | "
                   f"{'yes' if med >= 0.98 else 'NO'} |")
    per_s = 1000 / (SLICE / preempt.TICKS)
    out += ["", f"The tick handler itself: {handler['process']:.2f} µs per tick while a process runs, "
            f"{handler['shell']:.2f} µs while the shell runs; at {per_s:.0f} ticks per second of CPU "
            f"(asked; Linux delivers at most its HZ) that is {handler['process'] * per_s / 1e4:.3f} % of the CPU."]
    out += ["", f"### A ticker beside spinners (real clock, {SLICE} ms slices, `timer.sleep(20)` in a loop)", "",
            "Lateness in ms (woke minus asked). Goal: p99 < 2 slices x runnable processes (spinners + ticker).", "",
            "| spinners | samples | p50 | p99 | max | goal | met | preemptions |", "|---|---|---|---|---|---|---|---|"]
    for r in lat:
        out.append(f"| {r['spinners']} | {r['samples']} | {r['p50']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | "
                   f"{r['goal']} | {'yes' if r['p99'] < r['goal'] else 'NO'} | {r['preemptions']} |")
    return "\n".join(out) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--readme", action="store_true", help="append the results to bench/README.md")
    a = ap.parse_args(argv)
    log = lambda s: print(s, file=sys.stderr, flush=True)     # noqa: E731
    n, repeats = (2_000, 2) if a.quick else (100_000, 15)
    cost = bench_cost(n, repeats, log)
    handler = bench_handler(1_000 if a.quick else 200_000)
    plan = [(1, 5), (10, 3)] if a.quick else [(1, 100), (10, 50), (100, 8)]
    lat = []
    for spinners, samples in plan:
        log(f"latency: {spinners} spinners")
        lat.append(bench_latency(spinners, samples))
    text = report(cost, lat, n, repeats, handler)
    print(text)
    if a.readme:
        with open(os.path.join(HERE, "README.md"), "a") as f:
            f.write("\n" + text)
    return cost, lat


if __name__ == "__main__":
    main()
