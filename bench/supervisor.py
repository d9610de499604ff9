"""Benchmark: a simple_one_for_one supervisor with 100,000 children.

    python bench/supervisor.py [N]

Phases (wall time, ``time.perf_counter``; memory = peak RSS of the process, ``ru_maxrss``):
  start    N x supervisor.start_child(sup, [i])  (each a gen_server worker)
  kill     every child killed with exit(pid, 'kill'); the supervisor restarts each
           (intensity N+1 per hour, so the storm is tolerated)
  shutdown the supervisor is stopped: all N children told to stop concurrently
Virtual clock, no tracing: the cost of otp_lite itself.
"""
from __future__ import annotations

import gc
import sys
import time
import resource

sys.path.insert(0, __file__.rsplit("/bench/", 1)[0])

from otp_lite import erlang, gen_server, logger, runtime, supervisor  # noqa: E402
from otp_lite.erlang import ANY  # noqa: E402


class worker:
    @staticmethod
    def start_link(i):
        return gen_server.start_link(worker, i, [])

    @staticmethod
    def init(i):
        return ("ok", i)


class ssup:
    @staticmethod
    def init(n):
        return ("ok", ({"strategy": "simple_one_for_one", "intensity": n + 1, "period": 3600},
                       [{"id": "w", "start": (worker, "start_link", []), "shutdown": 1000}]))


def _rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024     # kB on Linux


def run(n=100_000):
    with logger.capture():              # n child_terminated reports are collected, not printed
        return _run(n)


def _run(n):
    runtime.reset()
    gc.collect()
    out = {"n": n, "rss_before_MB": _rss()}
    t = time.perf_counter()
    ok, sup = supervisor.start_link(("local", "ssup"), ssup, n)
    erlang.unlink(sup)
    for i in range(n):
        supervisor.start_child(sup, [i])
    out["start_s"] = time.perf_counter() - t
    out["rss_after_start_MB"] = _rss()
    pids = [c[1] for c in supervisor.which_children(sup)]
    assert len(pids) == n
    t = time.perf_counter()
    for p in pids:
        erlang.exit(p, "kill")
    runtime.run_until_idle()                      # the restart storm runs to the end
    assert supervisor.count_children(sup)[1] == ("active", n)
    out["kill_restart_s"] = time.perf_counter() - t
    old = set(pids)
    assert not any(c[1] in old for c in supervisor.which_children(sup))
    t = time.perf_counter()
    ref = erlang.monitor("process", sup)
    erlang.exit(sup, "shutdown")
    erlang.receive(("DOWN", ref, "process", ANY, ANY))
    out["shutdown_s"] = time.perf_counter() - t
    out["rss_peak_MB"] = _rss()
    out["start_per_s"] = n / out["start_s"]
    out["restart_per_s"] = n / out["kill_restart_s"]
    runtime.current().close()
    return out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    r = run(n)
    for k, v in r.items():
        print(f"{k:20s} {v:,.2f}" if isinstance(v, float) else f"{k:20s} {v:,}")
