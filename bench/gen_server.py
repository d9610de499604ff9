"""gen_server benchmark: ``gen_server.call`` round trips against Pykka ``ask``, side by side.

    python bench/gen_server.py            # full run (~20 s)
    python bench/gen_server.py --quick    # smoke run
    python bench/gen_server.py --readme   # also append the results to bench/README.md

Workloads (one server, one client, a request that increments a counter):

* ``gs_call``:  a client *process* calls ``gen_server.call(srv, 'incr')`` in a
  loop (pykka: a second thread calls ``ref.ask('incr')``);
* ``gs_call_shell``: the same from the shell (a test / notebook cell), which
  adds a switch through the main greenlet (pykka: the main thread asks);
* ``gs_cast``:  ``gen_server.cast`` N times then one call to drain
  (pykka: ``tell`` N times then one ``ask``).

The headline is round trips (or casts) per second; ratios are within-repeat
and the median of the repeats is shown, as in bench/kernel.py.  The issue 4
target is ``gs_call`` >= 10x Pykka.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import _harness as H                                   # noqa: E402
from _harness import workload, now                     # noqa: E402

from otp_lite import erlang, gen_server, runtime       # noqa: E402

try:
    import pykka
except ImportError:                                    # the bench extra is not installed
    pykka = None

IMPL = "otp_lite"
WORKLOADS = ["gs_call", "gs_call_shell", "gs_cast"]
for _w, _k in (("gs_call", "calls_per_s"), ("gs_call_shell", "calls_per_s"), ("gs_cast", "casts_per_s")):
    H.PRIMARY[_w] = _k
    H.SECONDARY[_w] = ["n", "seconds"]


class counter:
    """The server under test: a gen_server callback namespace."""

    def init(n):
        return ("ok", n)

    def handle_call(req, _from, n):
        return ("reply", n + 1, n + 1)

    def handle_cast(msg, n):
        return ("noreply", n + 1)


def _timed_calls(srv, sz):
    call = gen_server.call
    n, t0 = 0, now()
    deadline = t0 + sz.pingpong_seconds
    while n < sz.pingpong_max:
        for _ in range(sz.pingpong_check):
            call(srv, "incr")
        n += sz.pingpong_check
        if now() >= deadline:
            break
    return n, now() - t0


@workload(IMPL, "gs_call")
def otp_call(sz):
    runtime.reset(clock="virtual")
    ok, srv = gen_server.start(counter, 0, [])
    out = {}

    def client():
        out["n"], out["seconds"] = _timed_calls(srv, sz)
    erlang.spawn(client)
    runtime.run_until_idle()
    assert gen_server.call(srv, "incr") == out["n"] + 1
    return {"n": out["n"], "seconds": out["seconds"], "calls_per_s": out["n"] / out["seconds"]}


@workload(IMPL, "gs_call_shell")
def otp_call_shell(sz):
    runtime.reset(clock="virtual")
    ok, srv = gen_server.start(counter, 0, [])
    n, el = _timed_calls(srv, sz)
    return {"n": n, "seconds": el, "calls_per_s": n / el}


@workload(IMPL, "gs_cast")
def otp_cast(sz):
    runtime.reset(clock="virtual")
    ok, srv = gen_server.start(counter, 0, [])
    n = sz.pingpong_max // 4
    cast = gen_server.cast
    t0 = now()
    for _ in range(n):
        cast(srv, "incr")
    assert gen_server.call(srv, "incr", "infinity") == n + 1
    el = now() - t0
    return {"n": n, "seconds": el, "casts_per_s": n / el}


if pykka is not None:
    class PCounter(pykka.ThreadingActor):
        def __init__(self):
            super().__init__()
            self.n = 0

        def on_receive(self, message):
            self.n += 1
            return self.n

    def _pykka_calls(ref, sz):
        n, t0 = 0, now()
        deadline = t0 + sz.pingpong_seconds
        while n < sz.pingpong_max:
            for _ in range(sz.pingpong_check):
                ref.ask("incr")
            n += sz.pingpong_check
            if now() >= deadline:
                break
        return n, now() - t0

    @workload("pykka", "gs_call")
    def pykka_call(sz):
        ref = PCounter.start()
        out = {}
        th = threading.Thread(target=lambda: out.update(zip(("n", "seconds"), _pykka_calls(ref, sz))))
        th.start()
        th.join()
        ref.stop()
        return {"n": out["n"], "seconds": out["seconds"], "calls_per_s": out["n"] / out["seconds"]}

    @workload("pykka", "gs_call_shell")
    def pykka_call_main(sz):
        ref = PCounter.start()
        n, el = _pykka_calls(ref, sz)
        ref.stop()
        return {"n": n, "seconds": el, "calls_per_s": n / el}

    @workload("pykka", "gs_cast")
    def pykka_cast(sz):
        ref = PCounter.start()
        n = sz.pingpong_max // 4
        t0 = now()
        for _ in range(n):
            ref.tell("incr")
        assert ref.ask("incr") == n + 1
        el = now() - t0
        ref.stop()
        return {"n": n, "seconds": el, "casts_per_s": n / el}


def report(res, sz, peers):
    lines = ["## gen_server (bench/gen_server.py)", "",
             f"Machine: {H.machine_facts()}", "",
             "`gen_server.call` round trips (one client, one server) vs Pykka `ask`; casts vs `tell`. "
             f"Median of {sz.repeats} repeats of the within-repeat ratio; >1 means otp_lite is faster.", "",
             H.ratio_table(res, IMPL, peers, WORKLOADS), "",
             H.raw_table(res, [IMPL] + peers, WORKLOADS), ""]
    r = H.ratios(res, IMPL, "pykka", "gs_call") if "pykka" in peers else []
    if r:
        m = statistics.median(r)
        lines += ["| target (issue 4) | measured | met |", "|---|---|---|",
                  f"| gs_call >= 10x pykka ask | {m:.1f}x | {'yes' if m >= 10 else 'NO'} |", ""]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("-r", "--repeats", type=int)
    ap.add_argument("--readme", action="store_true", help="append the results to bench/README.md")
    a = ap.parse_args(argv)
    sz = H.QUICK if a.quick else H.Sizes(repeats=5)
    if a.repeats:
        sz = H.Sizes(**{**sz.__dict__, "repeats": a.repeats})
    peers = ["pykka"] if pykka is not None else []
    if not peers:
        print("NOTE: pykka is not installed (pip install -e '.[bench]'); otp_lite only\n")
    res = H.run_matrix([IMPL] + peers, WORKLOADS, sz, lambda s: print(s, file=sys.stderr, flush=True))
    text = report(res, sz, peers)
    print(text)
    if a.readme:
        with open(os.path.join(HERE, "README.md"), "a") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
