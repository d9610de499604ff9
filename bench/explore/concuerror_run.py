"""Concuerror's own figures on the original Erlang programs the ports come from.

    CONCUERROR=/path/to/concuerror CONCUERROR_SRC=/path/to/Concuerror \\
        python bench/explore/concuerror_run.py      # writes concuerror_figures.json

Concuerror is not part of OTP Lab: build it from github.com/parapluu/Concuerror
(``rebar3 escriptize`` when hex.pm is reachable; here, without it, ``erlc`` of
``src/*.erl`` with getopt 1.0.1 compiled next to it: see README.md).  For each
port, two runs of the original test function (default options, optimal DPOR,
plus the port's ``concuerror_flags`` and the module's own forced options):

- stop at the first error: ``interleavings to the first error`` (Concuerror's
  ``--keep_going false``, its default), and its wall-clock seconds;
- ``--keep_going``: every interleaving DPOR explores, how many are errors,
  and the seconds.

Wall-clock seconds include Concuerror's start (the VM, instrumenting and loading
the module); ``startup_seconds`` is that start alone (a test with one
interleaving), so most of each figure is start-up, not exploration.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, ROOT)

from bench.explore.ports import PORTS          # noqa: E402

OUT = os.path.join(HERE, "concuerror_figures.json")
SUMMARY = re.compile(r"Summary: (\d+) errors, (\d+)/(\d+) interleavings explored")


def run_one(concuerror, src, port, keep_going, timeout=600):
    path = os.path.join(src, port.concuerror_source)
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.txt")
        cmd = [concuerror, "-f", path, "-m", port.module, "-t", port.function,
               "-o", report, "-q", *port.concuerror_flags]
        if keep_going:
            cmd += ["-k"]
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=tmp)
        secs = time.perf_counter() - t
        text = open(report).read() if os.path.exists(report) else ""
    m = SUMMARY.search(text) or SUMMARY.search(proc.stdout + proc.stderr)
    if m is None:
        return {"failed": (proc.stdout + proc.stderr)[-400:], "status": proc.returncode}
    errors, explored, planned = map(int, m.groups())
    return {"errors": errors, "explored": explored, "planned": planned,
            "seconds": round(secs, 2), "status": proc.returncode}


def main():
    concuerror = os.environ.get("CONCUERROR")
    src = os.environ.get("CONCUERROR_SRC")
    if not concuerror or not src:
        sys.exit("set CONCUERROR (the concuerror launcher) and CONCUERROR_SRC (its source tree)")
    commit = subprocess.run(["git", "-C", src, "rev-parse", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    otp = subprocess.run(["erl", "-noshell", "-eval",
                          "io:format(\"~s\", [erlang:system_info(otp_release)]), halt()."],
                         capture_output=True, text=True).stdout.strip()
    figures = {"concuerror_commit": commit, "otp_release": otp, "ports": {}}
    # Concuerror's start-up: a test with one interleaving and nothing to race
    # (sched_tests:test_spawn), median of three runs
    from types import SimpleNamespace
    trivial = SimpleNamespace(concuerror_source="tests/suites/basic_tests/src/sched_tests.erl",
                              module="sched_tests", function="test_spawn", concuerror_flags=())
    figures["startup_seconds"] = sorted(run_one(concuerror, src, trivial, False)["seconds"]
                                        for _ in range(3))[1]
    for port in PORTS:
        first = run_one(concuerror, src, port, keep_going=False)
        every = run_one(concuerror, src, port, keep_going=True)
        figures["ports"][port.name] = {
            "source": f"{port.concuerror_source}:{port.function}",
            "flags": list(port.concuerror_flags), "first": first, "all": every}
        print(port.name, first, every, flush=True)
    with open(OUT, "w") as f:
        json.dump(figures, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
