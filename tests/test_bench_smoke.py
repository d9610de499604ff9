"""The kernel bench must not rot: run every otp_lite workload at a tiny size.

No timing assertions (wall-clock numbers are for bench/README.md); only that
each workload runs through the public API and reports its metrics.
"""
import os
import sys

import pytest

from otp_lite import runtime

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench")
sys.path.insert(0, BENCH)
import _harness as H      # noqa: E402
import kernel as K        # noqa: E402

sys.path.remove(BENCH)


@pytest.fixture(autouse=True)
def _fresh_after():
    yield
    runtime.reset()            # leave no bench runtime behind for the next test


@pytest.mark.parametrize("name", K.WORKLOADS)
def test_otp_lite_workload_runs(name):
    r = H.run_one(K.IMPL, name, H.TINY)
    assert r[H.PRIMARY[name]] > 0


def test_fanin_order_is_the_raw_greenlet_order():
    # same FIFO interleaving as the round-robin baseline: a reproducible hash
    ours = H.run_one(K.IMPL, "fanin", H.TINY)["order_hash"]
    assert ours == H.run_one("greenlet", "fanin", H.TINY)["order_hash"]


def test_peers_registered_for_every_workload():
    for name in K.WORKLOADS:
        assert ("greenlet", name) in H.REGISTRY and ("asyncio", name) in H.REGISTRY


def test_notrace_build_and_tracing_section():
    cls = K.notrace_runtime_class()
    assert cls.stripped_sites >= 10
    rows, _ = K.bench_tracing(H.TINY)
    assert [r[0] for r in rows] == ["pingpong", "ring"]


def test_notrace_build_emits_nothing():
    K.fresh("notrace")
    events = []
    runtime.subscribe(events.append)
    K._pingpong(H.TINY, count_only=100)
    assert events == []


def test_selective_receive_section():
    rows = K.bench_selective(H.TINY)
    assert [r[0] for r in rows] == list(H.TINY.selective_depths)


def test_memory_child_reports_kib_per_process():
    r = H.run_child(os.path.join(BENCH, "kernel.py"), ["--mem-child", "otp_lite", 200], timeout=60)
    assert r.get("n") == 200 and r["kib_per_proc"] > 0, r


def test_preempt_bench_quick():
    """bench/preempt.py --quick: both sections run and report (numbers are not asserted)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("bench_preempt", os.path.join(BENCH, "preempt.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    cost, lat = mod.main(["--quick"])
    assert [r[0] for r in cost] == list(mod.COST)
    assert [r["spinners"] for r in lat] == [1, 10] and all(r["preemptions"] > 0 for r in lat)


def test_every_scaling_workload_runs_at_a_tiny_size():
    """bench/scaling.py (issue 19): each workload at n = 400, no timing assertion."""
    import inspect
    sys.path.insert(0, BENCH)
    try:
        import scaling as S
    finally:
        sys.path.remove(BENCH)
    for name, (fn, _cap) in S.WORKLOADS.items():
        kw = {"ops": 50} if "ops" in inspect.signature(fn).parameters else {}
        per_op, ops = fn(400, **kw)
        assert per_op > 0 and ops > 0, name
