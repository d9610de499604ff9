"""Bench harness: a registry of (impl, workload) functions, sizes, runs and tables.

A workload function takes a :class:`Sizes` and returns a dict of metrics; the
registry maps ``(impl, workload)`` to it::

    @workload("otp_lite", "pingpong")
    def pingpong(sz):
        ...
        return {"roundtrips": n, "seconds": el, "roundtrips_per_s": n / el}

Adding a workload (e.g. ``gen_server.call`` vs Pykka ``ask``) is: register one
function per implementation, and name its headline metric in ``PRIMARY``
(higher is better); :func:`run_matrix` and :func:`ratio_table` pick it up.

Timing is wall time (``time.perf_counter``).  Runs are interleaved (repeat 1
of every (impl, workload), then repeat 2 ...) and the table shows medians, so
slow drift on a shared machine spreads over every implementation.
"""
from __future__ import annotations

import array
import gc
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

now = time.perf_counter

REGISTRY: dict[tuple[str, str], callable] = {}
PRIMARY = {                         # workload -> headline metric (higher is better)
    "pingpong": "roundtrips_per_s",
    "spawn": "spawn_per_s",
    "ring": "hops_per_s",
    "fanin": "msgs_per_s",
}
SECONDARY = {                       # extra raw columns shown per workload
    "pingpong": ["roundtrips", "seconds"],
    "spawn": ["n", "spawn_s", "stop_s"],
    "ring": ["hops", "pass_s", "spawn_s"],
    "fanin": ["msgs", "seconds", "order_hash"],
}


def workload(impl, name):
    """Decorator: register ``fn(sizes) -> dict`` as ``name`` for ``impl``."""
    def deco(fn):
        REGISTRY[(impl, name)] = fn
        return fn
    return deco


@dataclass
class Sizes:
    """Workload sizes, shared by every implementation (see bench/README.md)."""
    pingpong_max: int = 1_000_000
    pingpong_seconds: float = 2.0
    pingpong_check: int = 1_000     # look at the clock every this many round trips
    spawn_n: int = 10_000           # thread-per-actor peers (Pykka) stop at ~10k
    ring_n: int = 1_000
    ring_m: int = 100
    fanin_senders: int = 1_000
    fanin_msgs: int = 100
    mem_ns: tuple = (100_000, 1_000_000)   # idle otp_lite processes, one subprocess each
    mem_peer_n: int = 100_000
    mem_thread_n: int = 10_000
    selective_depths: tuple = (0, 100, 1_000, 10_000)
    selective_rounds: int = 2_000
    trace_roundtrips: int = 200_000
    trace_reps: int = 9             # tracing section: best of this many, interleaved
    repeats: int = 3


FULL = Sizes()
QUICK = Sizes(pingpong_max=20_000, pingpong_seconds=0.5, spawn_n=1_000, ring_n=100, ring_m=20,
              fanin_senders=100, fanin_msgs=20, mem_ns=(10_000,), mem_peer_n=10_000,
              mem_thread_n=1_000, selective_depths=(0, 1_000), selective_rounds=200,
              trace_roundtrips=20_000, trace_reps=3, repeats=1)
TINY = Sizes(pingpong_max=200, pingpong_seconds=0.5, pingpong_check=100, spawn_n=50, ring_n=10,
             ring_m=5, fanin_senders=10, fanin_msgs=5, mem_ns=(100,), mem_peer_n=100,
             mem_thread_n=10, selective_depths=(0, 10), selective_rounds=10,
             trace_roundtrips=200, trace_reps=1, repeats=1)


# ------------------------------------------------------------------ helpers
def mem_kib():
    """(VmRSS, VmHWM) of this process in KiB, from /proc/self/status."""
    rss = hwm = 0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return rss, hwm


def order_hash(ids):
    """Short stable digest of the order in which a receiver saw senders."""
    return hashlib.md5(array.array("i", ids).tobytes()).hexdigest()[:12]


def run_one(impl, name, sz):
    gc.collect()
    return REGISTRY[(impl, name)](sz)


def run_matrix(impls, workloads, sz, log=None):
    """{(impl, workload): [result dict per repeat]}, runs interleaved."""
    out = {}
    for rep in range(sz.repeats):
        for name in workloads:
            for impl in impls:
                if (impl, name) not in REGISTRY:
                    continue
                t0 = now()
                r = run_one(impl, name, sz)
                out.setdefault((impl, name), []).append(r)
                if log:
                    log(f"[rep {rep + 1}/{sz.repeats}] {impl:9s} {name:9s} "
                        f"{PRIMARY[name]}={fmt(r[PRIMARY[name]])}  ({now() - t0:.1f}s)")
    return out


def median_of(runs, key):
    vals = [r[key] for r in runs if key in r]
    if not vals:
        return None
    if isinstance(vals[0], str):
        return vals[0] if len(set(vals)) == 1 else "/".join(sorted(set(vals)))
    return statistics.median(vals)


def fmt(x):
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    if isinstance(x, int) and abs(x) >= 1000:
        return f"{x:,}"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"


def ratios(results, base, peer, name):
    """base/peer headline ratio per repeat (runs of one repeat ran back to back)."""
    key = PRIMARY[name]
    b, v = results.get((base, name), []), results.get((peer, name), [])
    return [x[key] / y[key] for x, y in zip(b, v) if y[key]]


def ratio_table(results, base, peers, workloads):
    """Markdown: base's headline metric divided by each peer's (>1 = base faster).

    Each cell is the median over repeats of the ratio *within* a repeat, so a
    burst of load on a shared machine, which slows every implementation of
    that repeat alike, cancels out; the range is shown in brackets.
    """
    lines = ["| workload | metric | " + " | ".join(f"{base} / {p}" for p in peers) + " |",
             "|---|---|" + "---|" * len(peers)]
    for name in workloads:
        cells = []
        for p in peers:
            r = ratios(results, base, p, name)
            if not r:
                cells.append("-")
            elif len(r) == 1:
                cells.append(f"{r[0]:.2f}x")
            else:
                cells.append(f"{statistics.median(r):.2f}x ({min(r):.2f}..{max(r):.2f})")
        lines.append(f"| {name} | {PRIMARY[name]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def raw_table(results, impls, workloads):
    lines = ["| workload | impl | runs | headline (median) | min .. max | other (median) |",
             "|---|---|---|---|---|---|"]
    for name in workloads:
        key = PRIMARY[name]
        for impl in impls:
            runs = results.get((impl, name))
            if not runs:
                continue
            vals = [r[key] for r in runs]
            other = ", ".join(f"{k}={fmt(median_of(runs, k))}" for k in SECONDARY[name]
                              if median_of(runs, k) is not None)
            lines.append(f"| {name} | {impl} | {len(runs)} | {key}={fmt(median_of(runs, key))} "
                         f"| {fmt(min(vals))} .. {fmt(max(vals))} | {other} |")
    return "\n".join(lines)


def machine_facts():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        mem = "?"
    from importlib import metadata
    vers = []
    for d in ("greenlet", "pykka"):
        try:
            vers.append(f"{d} {metadata.version(d)}")
        except metadata.PackageNotFoundError:
            vers.append(f"{d} (not installed)")
    return (f"{cpu}, {os.cpu_count()} CPUs, {mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()} ({platform.python_implementation()}); " + ", ".join(vers))


def run_child(script, args, timeout=900):
    """Run ``python script *args`` in a fresh process; parse its last JSON line."""
    p = subprocess.run([sys.executable, script, *map(str, args)], capture_output=True,
                       text=True, timeout=timeout)
    for line in reversed(p.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {"error": (p.stderr or p.stdout)[-800:].strip() or f"rc={p.returncode}"}
