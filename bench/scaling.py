"""How the cost of an operation grows with a size n (issue 19): otp_lite next to BEAM.

    python bench/scaling.py [--max-seconds 10] [--quick] [workload ...]

For each workload and n in 1k, 4k, 16k, 64k, 256k, 1M (until one size takes more than
``--max-seconds`` or the workload's cap), the time per operation, the median of 3 timed
repetitions (setup not timed).  Writes bench/results/otp_lite_scaling.jsonl; if
``erl`` is installed, runs bench/beam/scaling.erl under ``erl +S 1`` into
bench/results/beam_scaling.jsonl (else says it skipped BEAM); draws both as
log-log curves into bench/results/scaling.png.  A flat line is O(1) per operation
(what every workload here should be); a line rising with slope 1 is O(n) per
operation, i.e. quadratic in total: the scaling test (tests/test_scaling.py)
fails on those by counting operations.

The workloads (the same in scaling.erl):
  call_backlog        gen_server.call from a process with n messages queued
  selective_rewake    a selective receive over n queued messages, woken per new message
  ets_set_traverse    ets first/next over a set of n rows (per step)
  ets_ordset_insert   an insert into an ordered_set of n rows
  ets_pq              first + delete + insert + last on an ordered_set of n rows
  exit_with_tables    a process exit among n processes that each own a table
  static_sup_exit     a child exit and restart under a supervisor of n static children
  pg_get_members      pg get_members of 100 members after n members died
  sup_tree_s1f1       viz.sup_tree text of a simple_one_for_one supervisor (per child; otp_lite only)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE)]

from otp_lite import erlang, ets, gen_server, logger, pg, runtime, supervisor, viz   # noqa: E402

SIZES = [1_000, 4_000, 16_000, 64_000, 256_000, 1_000_000]
RESULTS = os.path.join(HERE, "results")


def _timed(fn, reps=3):
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def _idle():
    erlang.receive()


class _Echo:
    def init(_):
        return ("ok", None)

    def handle_call(req, _from, st):
        return ("reply", req, st)


class _Work:
    def start_link():
        return ("ok", erlang.spawn_link(_idle))


class _Static:
    def init(n):
        return ("ok", ({"strategy": "one_for_one", "intensity": 10 ** 9, "period": 1},
                       [{"id": i, "start": (_Work, "start_link", [])} for i in range(n)]))


class _Dyn:
    def init(_):
        return ("ok", ({"strategy": "simple_one_for_one", "intensity": 10, "period": 1},
                       [{"id": "w", "start": (_Work, "start_link", []), "restart": "temporary"}]))


# ---------------------------------------------------------------- workloads: n -> (seconds per op, ops)
def call_backlog(n, ops=1000):
    runtime.reset(seed=0)
    _, srv = gen_server.start(_Echo, None, [])
    res = {}

    def caller():
        me = erlang.self()
        for i in range(n):
            erlang.send(me, ("noise", i))

        def calls():
            for _ in range(ops):
                gen_server.call(srv, "ping")
        res["t"] = _timed(calls)
    erlang.spawn(caller)
    runtime.run_until_idle()
    return res["t"] / ops, ops


def selective_rewake(n, ops=1000):
    runtime.reset(seed=0)
    out = {}

    def waiter():
        me = erlang.self()
        for i in range(n):
            erlang.send(me, ("old", i))
        out["ok"] = erlang.receive(lambda m: m == "wanted")
    w = erlang.spawn(waiter)
    runtime.run_until_idle()

    def arrivals():
        for i in range(ops):
            erlang.send(w, ("new", i))
            erlang.yield_()                 # the waiter wakes, scans what arrived, blocks again
    t = _timed(arrivals)
    erlang.send(w, "wanted")
    runtime.run_until_idle()
    assert out["ok"] == "wanted"
    return t / ops, ops


def ets_set_traverse(n):
    runtime.reset(seed=0)
    t = ets.new("t", ["set"])
    ets.insert(t, [(i, i) for i in range(n)])

    def walk():
        k = ets.first(t)
        while k != "$end_of_table":
            k = ets.next(t, k)
    return _timed(walk) / n, n


def ets_ordset_insert(n, ops=1000):
    runtime.reset(seed=0)
    rng = random.Random(1)
    t = ets.new("t", ["ordered_set"])
    ets.insert(t, [(rng.random(), i) for i in range(n)])
    batches = [[rng.random() for _ in range(ops)] for _ in range(3)]

    def ins():
        for k in batches.pop():
            ets.insert(t, (k, 0))
    return _timed(ins) / ops, ops


def ets_pq(n, ops=1000):
    runtime.reset(seed=0)
    t = ets.new("pq", ["ordered_set"])
    ets.insert(t, [(i, "job") for i in range(n)])

    def pq():
        for _ in range(ops):
            k = ets.first(t)
            ets.delete(t, k)
            ets.insert(t, (k + n, "job"))
            ets.last(t)
    return _timed(pq) / ops, ops


def exit_with_tables(n, ops=300):
    runtime.reset(seed=0)

    def own():
        ets.new("t", ["set"])
        erlang.receive()
    procs = [erlang.spawn(own) for _ in range(n)]
    runtime.run_until_idle()
    victims = iter(procs)

    def kill():
        for _ in range(ops):
            erlang.exit(next(victims), "kill")
        runtime.run_until_idle()
    return _timed(kill) / ops, ops


def static_sup_exit(n, ops=300):
    runtime.reset(seed=0)
    level = logger.get_level()
    logger.set_level("critical")            # no SUPERVISOR REPORT per kill (BEAM's side does the same)
    try:
        _, sup = supervisor.start_link(_Static, n)
        runtime.run_until_idle()
        kids = iter([pid for _, pid, _, _ in supervisor.which_children(sup)])

        def kill():
            for _ in range(ops):
                erlang.exit(next(kids), "kill")
                runtime.run_until_idle()
        return _timed(kill) / ops, ops
    finally:
        logger.set_level(level)             # (the level outlives runtime.reset, as in a notebook)


def pg_get_members(n, ops=1000):
    runtime.reset(seed=0)
    pg.start_link()
    pg.join("g", [erlang.spawn(_idle) for _ in range(100)])
    dead = [erlang.spawn(_idle) for _ in range(n)]
    pg.join("g", dead)
    for p in dead:
        erlang.exit(p, "kill")
    runtime.run_until_idle()

    def read():
        for _ in range(ops):
            pg.get_members("g")
    return _timed(read) / ops, ops


def sup_tree_s1f1(n):
    runtime.reset(seed=0)
    _, sup = supervisor.start_link(_Dyn, [])
    for _ in range(n):
        supervisor.start_child(sup, [])
    runtime.run_until_idle()
    return _timed(lambda: viz.sup_tree(sup, max_children=10 ** 7).text(), reps=1) / n, n


WORKLOADS = {  # name -> (function, cap on n)
    "call_backlog": (call_backlog, 1_000_000),
    "selective_rewake": (selective_rewake, 64_000),
    "ets_set_traverse": (ets_set_traverse, 1_000_000),
    "ets_ordset_insert": (ets_ordset_insert, 1_000_000),
    "ets_pq": (ets_pq, 1_000_000),
    "exit_with_tables": (exit_with_tables, 64_000),
    "static_sup_exit": (static_sup_exit, 32_000),
    "pg_get_members": (pg_get_members, 256_000),
    "sup_tree_s1f1": (sup_tree_s1f1, 64_000),
}


def run_otp_lite(names, max_seconds, sizes):
    rows = []
    for name in names:
        fn, cap = WORKLOADS[name]
        for n in sizes:
            if n > cap:
                break
            t0 = time.monotonic()
            per_op, ops = fn(n)
            took = time.monotonic() - t0
            row = {"impl": "otp_lite", "workload": name, "n": n, "us_per_op": round(per_op * 1e6, 4), "ops": ops}
            rows.append(row)
            print(json.dumps(row), flush=True)
            if took > max_seconds:
                break
    runtime.reset()
    return rows


def run_beam(names):
    erl = shutil.which("erl")
    if erl is None:
        print("BEAM: skipped (erl is not installed; apt-get install erlang-nox)", file=sys.stderr)
        return None
    beam = os.path.join(HERE, "beam")
    subprocess.run(["erlc", "scaling.erl"], cwd=beam, check=True)
    out = subprocess.run([erl, "+S", "1", "-noshell", "-pa", ".", "-run", "scaling", "main", *names,
                          "-s", "init", "stop"], cwd=beam, check=True, capture_output=True, text=True).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return rows


def draw(ours, beam, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    names = list(dict.fromkeys(r["workload"] for r in ours))
    cols = 3
    rws = (len(names) + cols - 1) // cols
    fig, axes = plt.subplots(rws, cols, figsize=(4.2 * cols, 3.1 * rws), squeeze=False)
    for ax, name in zip(axes.flat, names):
        ys = []
        for rows, label, style in [(ours, "otp_lite", "o-"), (beam or [], "BEAM (erl +S 1)", "s--")]:
            pts = sorted((r["n"], max(r["us_per_op"], 1e-3)) for r in rows if r["workload"] == name)
            if pts:
                ax.loglog([p[0] for p in pts], [p[1] for p in pts], style, label=label, markersize=4)
                ys += [p[1] for p in pts]
        first = min((r["n"], r["us_per_op"]) for r in ours if r["workload"] == name)
        xs = [first[0], max(r["n"] for r in ours if r["workload"] == name)]
        ax.loglog(xs, [first[1], first[1] * xs[1] / xs[0]], ":", color="grey", label="O(n) per op (quadratic)")
        lo = min(ys) / 10
        ax.set_ylim(lo, max(max(ys) * 10, lo * 1e4))      # at least 4 decades: noise looks like noise
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("n", fontsize=8)
        ax.set_ylabel("µs per operation", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(True, which="major", alpha=0.3)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.suptitle("cost per operation against size: flat is the goal (a slope of 1 here is quadratic in total)",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def _load(name):
    path = os.path.join(RESULTS, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return [r for r in map(json.loads, f) if r["workload"] != "_meta"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("workloads", nargs="*")
    ap.add_argument("--max-seconds", type=float, default=10.0)
    ap.add_argument("--quick", action="store_true", help="sizes 1k and 4k only (a smoke run)")
    ap.add_argument("--no-beam", action="store_true")
    ap.add_argument("--draw-only", action="store_true", help="redraw from bench/results/*.jsonl")
    a = ap.parse_args()
    if a.draw_only:
        ours, beam = _load("otp_lite_scaling.jsonl"), _load("beam_scaling.jsonl")
        draw(ours, beam, os.path.join(RESULTS, "scaling.png"))
        return
    names = a.workloads or list(WORKLOADS)
    sizes = SIZES[:2] if a.quick else SIZES
    os.makedirs(RESULTS, exist_ok=True)
    ours = run_otp_lite(names, a.max_seconds, sizes)
    with open(os.path.join(RESULTS, "otp_lite_scaling.jsonl"), "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in ours)
    beam = None
    if not a.no_beam:
        beam = run_beam([n for n in names if n != "sup_tree_s1f1"])
        if beam is not None:
            with open(os.path.join(RESULTS, "beam_scaling.jsonl"), "w") as f:
                f.writelines(json.dumps(r) + "\n" for r in beam)
    else:
        beam = _load("beam_scaling.jsonl")
    draw(ours, beam, os.path.join(RESULTS, "scaling.png"))
    print("wrote", os.path.join(RESULTS, "scaling.png"))


if __name__ == "__main__":
    main()
