"""Round-trip latency over real distribution on 127.0.0.1: erl<->erl, and otp_lite<->erl when it exists.

    PYTHONPATH=. python bench/dist/run.py               # 10,000 round trips x 7 runs per row
    PYTHONPATH=. python bench/dist/run.py --quick       # 300 x 2: a smoke run, a few seconds
    PYTHONPATH=. python bench/dist/run.py --json bench/results/dist_latency.json

Rows (bench/dist/erl_to_erl.erl measures each the same way, in Erlang, on the sending node):
send_pid (a message to an echo pid and its reply), send_name (to ``{echo, Node}``),
send_1k (a 1 KiB binary each way), rpc_call (``rpc:call(Node, erlang, node, [])``),
erpc_call, local_pid (an echo on the same node: the floor).  A cell is the median of the
runs' mean round trip, and in brackets the median of single round trips, in microseconds
(the mean carries the scheduling tail of a busy machine; the single-trip median less so).

Columns: ``erl->erl`` (two erl nodes, one a `peer` of the other); ``otp_lite->erl``
(otp_lite sends, an erl node echoes: timed in Python); ``erl->otp_lite`` (the erl node
runs the same Erlang measurement against an echo on otp_lite's node).  The otp_lite
columns need otp_lite's real TCP distribution (issue 24); until it is importable they
say "n/a" and why.  Wall-clock figures on a shared machine: compare columns of one run.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.erl_node import (ErlEvalError, ErlNode, erl_available, ensure_epmd,  # noqa: E402
                            random_cookie, unique_name, _erl_env)

HERE = Path(__file__).resolve().parent
ROWS = ["send_pid", "send_name", "send_1k", "rpc_call", "erpc_call", "local_pid"]
RESULT = re.compile(r"^RESULT (\w+) (.*)$")


def compile_beam(out_dir):
    subprocess.run(["erlc", "-o", str(out_dir), str(HERE / "erl_to_erl.erl")], check=True,
                   timeout=120)


def parse_results(text):
    """{row: {runs, n, median_us, min_us, max_us, p50_us, p99_us}} from RESULT lines."""
    rows = {}
    for line in text.splitlines():
        m = RESULT.match(line.strip())
        if m:
            rows[m.group(1)] = {k: (int(v) if k in ("runs", "n") else float(v))
                                for k, v in (kv.split("=") for kv in m.group(2).split())}
    return rows


def parse_stats(erl_text):
    """The ~0tp text of erl_to_erl:measure/3's proplist -> a dict."""
    return {k: (int(v) if k in ("runs", "n") else float(v))
            for k, v in re.findall(r"\{(\w+),([-0-9.e]+)\}", erl_text)}


# ---- erl -> erl ---------------------------------------------------------------------------

def erl_to_erl(beam_dir, n, runs, timeout):
    name = unique_name("bench_a")
    cmd = ["erl", "-name", f"{name}@127.0.0.1", "-setcookie", random_cookie(), "-noshell",
           "-kernel", "inet_dist_use_interface", "{127,0,0,1}", "-pa", str(beam_dir),
           "-eval", f'erl_to_erl:main(["{n}", "{runs}"]), halt().']
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=_erl_env(),
                         stdin=subprocess.DEVNULL)
    if out.returncode != 0:
        raise SystemExit(f"erl_to_erl failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    info = next((line[5:] for line in out.stdout.splitlines() if line.startswith("INFO ")), "")
    return parse_results(out.stdout), info


# ---- otp_lite <-> erl (needs otp_lite's real distribution) --------------------------------

def _start_real_node(name, cookie):
    """Start otp_lite's node on real TCP, or raise ImportError saying why it cannot.

    The one place that knows the real-distribution API (issue 24, branch d-core): adapt it
    when that API lands.  The rest of this file uses only the public BIFs."""
    import inspect
    from otp_lite import dist, erlang, runtime
    start = getattr(dist, "start", None)
    params = inspect.signature(start).parameters if start else {}
    if "real" not in params:
        raise ImportError("otp_lite.dist.start has no real= (real TCP distribution not built yet)")
    runtime.reset(clock="real")
    net = start(name, real=True, cookie=cookie)
    dist.export("erlang", erlang)           # erl's rpc rows call erlang:node() on otp_lite's node
    return net


def otp_lite_columns(beam_dir, n, runs):
    """{'otp_lite->erl': rows, 'erl->otp_lite': rows}, or ({}, reason) when not available."""
    lab = unique_name("bench_lab")
    lab_node = f"{lab}@127.0.0.1"
    with ErlNode(unique_name("bench_peer"), extra_args=["-pa", str(beam_dir)]) as peer:
        try:
            _start_real_node(lab_node, peer.cookie)
        except ImportError as e:
            return {}, f"n/a ({e})"
        from otp_lite import erlang, rpc
        from otp_lite.erlang import ANY
        me = erlang.self()
        kib = bytes([7]) * 1024

        def on_erl(expr):                                   # erl evaluates, otp_lite keeps running
            pending = peer.submit(expr)
            while not pending.done():
                erlang.receive(lambda m: False, timeout=5)
            return pending.result(1)

        # the echo's pid reaches otp_lite over the wire, as a real remote pid
        erlang.register("bench_shell", me)
        on_erl(f"{{bench_shell, '{lab_node}'}} ! {{echo_pid, erl_to_erl:start_echo()}}")
        _, echo_pid = erlang.receive(("echo_pid", ANY), timeout=5000)

        def rt(dest, msg):
            erlang.send(dest, (me, msg))
            erlang.receive(("echo", msg), timeout=5000)

        def measure(fn, count):                              # as erl_to_erl:stats/3 does
            fn(); [fn() for _ in range(count // 10)]           # warm up
            means, singles = [], []
            for _ in range(runs):
                t0 = time.perf_counter_ns()
                for _ in range(count):
                    t = time.perf_counter_ns()
                    fn()
                    singles.append((time.perf_counter_ns() - t) / 1000)
                means.append((time.perf_counter_ns() - t0) / count / 1000)
            singles.sort()
            return {"runs": runs, "n": count, "median_us": statistics.median(means),
                    "min_us": min(means), "max_us": max(means),
                    "p50_us": singles[len(singles) // 2], "p99_us": singles[len(singles) * 99 // 100]}

        out = {"send_pid": measure(lambda: rt(echo_pid, "x"), n),
               "send_name": measure(lambda: rt(("echo", peer.node), "x"), n),
               "send_1k": measure(lambda: rt(("echo", peer.node), kib), n),
               "rpc_call": measure(lambda: rpc.call(peer.node, "erlang", "node", []), n // 5)}

        # erl -> otp_lite: an echo registered on otp_lite's node, the Erlang measure/3 on erl
        def echo():
            while True:
                frm, msg = erlang.receive((ANY, ANY))
                erlang.send(frm, ("echo", erlang.self() if msg == "whoami" else msg))
        erlang.register("echo", erlang.spawn(echo))
        lab_echo = f"{{echo, '{lab_node}'}}"
        back, failed = {}, []
        for row, expr in [
                ("send_pid", f"{lab_echo} ! {{self(), whoami}}, "
                             f"receive {{echo, P}} when is_pid(P) -> erl_to_erl:measure(P, {n}, {runs}) "
                             f"after 5000 -> error(no_pid) end"),
                ("send_name", f"erl_to_erl:measure({lab_echo}, {n}, {runs})"),
                ("send_1k", f"erl_to_erl:measure({lab_echo}, {n}, {runs}, binary:copy(<<7>>, 1024))"),
                ("rpc_call", f"erl_to_erl:measure_rpc('{lab_node}', {n // 5}, {runs})")]:
            try:
                back[row] = parse_stats(on_erl(expr))
            except ErlEvalError as e:                       # a row otp_lite cannot answer yet
                failed.append(f"erl->otp_lite {row}: {e.reason}")
        return {"otp_lite->erl": out, "erl->otp_lite": back}, "; ".join(failed)


# ---- table --------------------------------------------------------------------------------

def table(columns):
    names = list(columns)
    lines = ["| round trip, µs: median of the runs' means (p50 of single round trips) | "
             + " | ".join(names) + " |",
             "|---|" + "---:|" * len(names)]
    for row in ROWS:
        cells = []
        for c in names:
            r = columns[c].get(row)
            cells.append(f"{r['median_us']:.1f} ({r['p50_us']:.1f})" if r else "–")
        if any(c != "–" for c in cells):
            lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=10000, help="round trips per run (rpc rows: n/5)")
    ap.add_argument("-r", "--runs", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="n=300, 2 runs")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--erl-only", action="store_true", help="skip the otp_lite columns")
    args = ap.parse_args(argv)
    if args.quick:
        args.n, args.runs = 300, 2
    ok = erl_available()
    if not ok:
        print(f"skipped: {ok.reason}")
        return 0
    ensure_epmd()
    with tempfile.TemporaryDirectory(prefix="bench_dist_") as beam_dir:
        compile_beam(beam_dir)
        base, info = erl_to_erl(beam_dir, args.n, args.runs, timeout=60 + args.n * args.runs / 500)
        columns = {"erl->erl": base}
        note = ""
        if not args.erl_only:
            extra, note = otp_lite_columns(beam_dir, args.n, args.runs)
            columns.update(extra)
    print(f"# {info}; n={args.n} round trips x {args.runs} runs (rpc rows n/5); "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    print(table(columns))
    if note:
        print(f"\notp_lite columns: {note}")
    if args.json:
        Path(args.json).write_text(json.dumps({"info": info, "n": args.n, "runs": args.runs,
                                               "columns": columns, "note": note}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
