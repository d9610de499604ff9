"""Detection figures for otp_lite.explore: bench/explore/README.md's table.

    PYTHONPATH=. python bench/explore/run.py          # prints the Markdown table

For each classic race (the programs of tests/test_explore.py) and each
strategy: found or not, schedules run until the first failure (over seeds
0..9 for random and pct: median and worst; DFS is deterministic), the
preemptions of the shrunk schedule, and schedules per second; for each
fixed program: DFS to exhaustion (2 preemptions; 3 delays), with no false alarm.
Then the partial-order reduction's table: schedules DFS needs to exhaust each
bound on the bug-free programs and to find each bug, without and with POR, and
N processes that share nothing.
"""
from __future__ import annotations

import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))

from otp_lite import explore                      # noqa: E402
from test_explore import RACES, CORRECT, BEHAVIOUR_RACES, BEHAVIOUR_CORRECT  # noqa: E402
from test_explore_choices import independent  # noqa: E402

RUNS = 1000
SEEDS = range(10)


def rate(test, n=300):
    """Schedules per second: ``n`` random schedules of ``test``."""
    t = time.perf_counter()
    r = explore.run(test, strategy="random", runs=n, seed=0, shrink=False)
    return r.runs / (time.perf_counter() - t)


def main():
    rows = ["| program | bug | strategy | found | schedules to find (median / worst) "
            "| preemptions (shrunk) | schedules/s |",
            "|---|---|---|---|---|---|---|"]
    races = {**RACES, **BEHAVIOUR_RACES}
    fixes = {**CORRECT, **BEHAVIOUR_CORRECT}
    for name in sorted(races):
        t = races[name]
        fixed = {"whereis_register": "whereis_register", "ets_lost_update": "ets_update_counter",
                 "reply_vs_down": "reply_vs_down_flush",
                 "two_servers_deadlock": "gen_server_counter"}[name]
        per_s = rate(fixes[fixed])
        for strategy in ("random", "pct", "dfs", "dfs (delays 2)"):
            seeds = [0] if strategy.startswith("dfs") else SEEDS
            kw = {"strategy": "dfs", "delays": 2} if strategy == "dfs (delays 2)" else {"strategy": strategy}
            rs = [explore.run(t, runs=RUNS, seed=s, **kw) for s in seeds]
            found = sum(r.found for r in rs)
            ns = [r.runs for r in rs if r.found]
            pre = max(r.preemptions for r in rs if r.found) if ns else "-"
            if not ns:
                how = f"not within {RUNS}"
            else:
                how = f"{statistics.median(ns):g} / {max(ns)}" if len(rs) > 1 else f"{ns[0]}"
            rows.append(f"| {name} | yes | {strategy} | {found}/{len(rs)} | {how} | {pre} | {per_s:.0f} |")
    for name in sorted(fixes):
        for label, kw in (("dfs (preemptions 2)", {"preemptions": 2}), ("dfs (delays 3)", {"delays": 3})):
            t = time.perf_counter()
            r = explore.run(fixes[name], strategy="dfs", runs=5000, **kw)
            dt = time.perf_counter() - t
            verdict = "no false alarm" if not r.found else f"FALSE ALARM {r.schedule}"
            ex = "exhausted" if r.exhausted else "not exhausted"
            rows.append(f"| {name} | no | {label} | {verdict} | {r.runs} ({ex}) | - | {r.runs / dt:.0f} |")
    print("\n".join(rows))
    print()
    print("\n".join(por_table(races, fixes)))


def por_table(races, fixes):
    """DFS without and with partial-order reduction: schedules to exhaust / to find."""
    rows = ["| program | bug | DFS bound | without POR | with POR | fewer |",
            "|---|---|---|---|---|---|"]

    def cell(r, want_found):
        if want_found:
            return f"{r.runs} (found)" if r.found else f"not within {r.runs}"
        if r.found:
            return f"FALSE ALARM {r.schedule}"
        return f"{r.runs} ({'exhausted' if r.exhausted else 'not exhausted'})"

    cases = [(name, fixes[name], False) for name in sorted(fixes)]
    cases += [(name, races[name], True) for name in sorted(races)]
    cases += [(f"independent_{n} (n={n}, 4 ETS ops each)", independent(n), False) for n in (2, 3, 4)]
    for name, t, bug in cases:
        for label, kw in (("preemptions 2", {"preemptions": 2}), ("delays 3", {"delays": 3})):
            if bug and "delays" in kw:
                kw = {"delays": 2}
                label = "delays 2"
            limit = RUNS if bug else 20000
            a = explore.run(t, strategy="dfs", runs=limit, por=False, **kw)
            b = explore.run(t, strategy="dfs", runs=limit, por=True, **kw)
            ratio = f"{a.runs / b.runs:.0f}x" if b.runs else "-"
            rows.append(f"| {name} | {'yes' if bug else 'no'} | {label} | {cell(a, bug)} | "
                        f"{cell(b, bug)} | {ratio} |")
    return rows


if __name__ == "__main__":
    main()
