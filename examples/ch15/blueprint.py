"""Chapter 15: capacity from a sweep, and a system blueprint as a table.

``capacity(runs, p99_ms)`` is the highest throughput of a sweep whose p99
latency stayed within ``p99_ms`` and where nothing timed out: the load a node
carries while it still keeps its promise.  ``table(rows)`` prints one line per
node type.
"""


def capacity(runs, p99_ms=100):
    good = [r.throughput for r in runs
            if r.latency["n"] and r.latency["p99"] <= p99_ms and "timeout" not in r.outcomes]
    return max(good, default=0.0)


def knee(runs, p99_ms=100):
    """The first offered rate of the sweep past ``capacity``: where the promise breaks."""
    cap = capacity(runs, p99_ms)
    over = [r.rate for r in runs if r.rate > cap and not (r.latency["n"] and r.latency["p99"] <= p99_ms
                                                          and "timeout" not in r.outcomes)]
    return min(over, default=None)


HEAD = ("node type", "work", "capacity", "breaks at", "limit", "when exceeded")


def table(rows):
    """``rows``: tuples in HEAD's order; printed as aligned columns."""
    rows = [HEAD] + [tuple(str(c) for c in r) for r in rows]
    width = [max(len(r[i]) for r in rows) for i in range(len(HEAD) - 1)]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, width)) + "  " + r[-1])
