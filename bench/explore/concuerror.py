"""Detection figures for otp_lite.explore on Concuerror's own test programs.

    PYTHONPATH=. python bench/explore/concuerror.py     # prints the two Markdown tables

Every port of ``bench/explore/ports`` (Concuerror's tests rewritten for
otp_lite), with each strategy: for the programs with a bug, found or not and
the schedules run up to and including the first failing one (random and pct
over seeds 0..9: how many seeds found it, median / worst; DFS is
deterministic), at most 1,000; for the programs with none, DFS to exhaustion
(2 preemptions; 3 delays) and 300 random and 300 pct schedules, with no false
alarm.  Schedules per second: all the schedules this script ran for the
program (at least 300: more random ones when the bug is found at once) over
the time they took (shrinking off), on a loaded shared machine.
Concuerror's figures come from ``concuerror_figures.json``
(``concuerror_run.py``, run on the original Erlang programs).
"""
from __future__ import annotations

import inspect
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

from otp_lite import explore                     # noqa: E402
from bench.explore.ports import PORTS            # noqa: E402

RUNS = 1000
SEEDS = range(10)
EXHAUST = 5000
RATE_RUNS = 300
# explore with partial-order reduction (a ``por`` argument, on by default): the DFS
# columns run without it, and extra columns with it
POR = "por" in inspect.signature(explore.run).parameters
_OFF = {"por": False} if POR else {}
STRATEGIES = (("random", {"strategy": "random"}), ("pct", {"strategy": "pct"}),
              ("dfs", {"strategy": "dfs", "preemptions": 2, **_OFF}),
              ("dfs (delays 2)", {"strategy": "dfs", "delays": 2, **_OFF}),
              *((("dfs (delays 2, POR)", {"strategy": "dfs", "delays": 2, "por": True}),) if POR else ()))
EXHAUSTIVE = (("dfs (preemptions 2)", {"strategy": "dfs", "preemptions": 2, "runs": EXHAUST, **_OFF}),
              ("dfs (delays 3)", {"strategy": "dfs", "delays": 3, "runs": EXHAUST, **_OFF}),
              *((("dfs (delays 3, POR)", {"strategy": "dfs", "delays": 3, "runs": EXHAUST,
                                          "por": True}),) if POR else ()),
              ("random", {"strategy": "random", "runs": 300}),
              ("pct", {"strategy": "pct", "runs": 300}))


def concuerror_figures():
    path = os.path.join(HERE, "concuerror_figures.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def _concuerror_cell(fig, bug):
    if not fig:
        return "not run"
    first, every = fig["first"], fig["all"]
    if "errors" not in first or "errors" not in every:
        return "failed to run"
    crash = " (Concuerror crashed)" if first["status"] == 2 else ""
    if bug:
        if not first["errors"]:
            return f"not found in {every['explored']} ({every['seconds']:.1f} s)"
        return (f"found at {first['explored']} ({first['seconds']:.1f} s); "
                f"{every['errors']} of {every['explored']} erroneous{crash}")
    if every["errors"]:
        return f"FALSE ALARM: {every['errors']} of {every['explored']}"
    return f"{every['explored']}, no error ({every['seconds']:.1f} s)"


def measure(port):
    """One port, every strategy: (cells, schedules per second)."""
    total_runs, total_time, cells = 0, 0.0, {}
    bug = port.expected == "bug"
    opt = {"after_timeout": port.after_timeout} if port.after_timeout else {}
    if bug:
        for label, kw in STRATEGIES:
            seeds = [0] if kw["strategy"] == "dfs" else SEEDS
            rs = [explore.run(port.test, runs=RUNS, seed=s, shrink=False, **kw, **opt)
                  for s in seeds]
            total_runs += sum(r.runs for r in rs)
            total_time += sum(r.elapsed for r in rs)
            ns = [r.runs for r in rs if r.found]
            if not ns:
                ex = any(r.exhausted for r in rs)
                cells[label] = (f"no: bound exhausted in {rs[0].runs}" if ex
                                else f"no (not within {RUNS})")
            elif len(rs) > 1:
                cells[label] = f"{len(ns)}/{len(rs)}: {statistics.median(ns):g} / {max(ns)}"
            else:
                cells[label] = f"{ns[0]}"
    else:
        for label, kw in EXHAUSTIVE:
            r = explore.run(port.test, seed=0, shrink=False, **kw, **opt)
            total_runs += r.runs
            total_time += r.elapsed
            if r.found:
                cells[label] = f"FALSE ALARM after {r.runs}: {r.reason}"
            elif kw["strategy"] == "dfs":
                cells[label] = f"{r.runs} ({'exhausted' if r.exhausted else 'not exhausted'})"
            else:
                cells[label] = f"{r.runs}, none"
    # at least RATE_RUNS schedules for the rate: more random runs (seeds from 1000) if needed
    seed = 1000
    while total_runs < RATE_RUNS:
        r = explore.run(port.test, strategy="random", runs=RATE_RUNS - total_runs, seed=seed,
                        shrink=False, **opt)
        total_runs += r.runs
        total_time += r.elapsed
        seed += 1
    return cells, total_runs / total_time


def main():
    everything = concuerror_figures()
    figs = everything.get("ports", {})
    t0 = time.perf_counter()
    bug_cols = ["random (seeds found: median / worst)"] + [k for k, _ in STRATEGIES[1:]]
    cols = ["program (Concuerror test)", "kind", *bug_cols, "schedules/s", "Concuerror on the original",
            "note"]
    bugs = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    cols = ["program (Concuerror test)", "kind", *(k for k, _ in EXHAUSTIVE), "schedules/s",
            "Concuerror on the original", "note"]
    clean = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for port in PORTS:
        cells, rate = measure(port)
        src = f"`{port.module}:{port.function}`"
        name = f"{port.name} ({src})"
        conc = _concuerror_cell(figs.get(port.name), port.expected == "bug")
        note = "; ".join(x for x in (f"needs {port.needs}" if port.needs else "", port.note) if x)
        if port.expected == "bug":
            bugs.append(f"| {name} | {port.kind} | " + " | ".join(cells[k] for k, _ in STRATEGIES)
                        + f" | {rate:.0f} | {conc} | {note} |")
        else:
            clean.append(f"| {name} | {port.kind} | " + " | ".join(cells.values())
                         + f" | {rate:.0f} | {conc} | {note} |")
        print(f"{port.name}: done", file=sys.stderr, flush=True)
    print("\n".join(bugs))
    print()
    print("\n".join(clean))
    if everything:
        print(f"\nConcuerror {everything['concuerror_commit'][:7]} on OTP {everything['otp_release']}; "
              f"its start-up alone (one trivial interleaving): {everything['startup_seconds']:.1f} s.")
    print(f"\n({time.perf_counter() - t0:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
