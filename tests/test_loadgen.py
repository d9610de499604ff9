"""otp_lite.loadgen and otp_lite.metrics: deterministic load runs, capacity, guard, summaries."""
import sys
sys.path.insert(0, ".")

from otp_lite import erlang, loadgen, metrics, runtime
from examples.ch15 import service


def test_below_capacity_all_ok_and_deterministic():
    service.start(2)
    a = loadgen.run(service.request, 200, 1000, settle=500)
    service.start(2)
    b = loadgen.run(service.request, 200, 1000, settle=500)
    assert a.outcomes == b.outcomes and a.latency == b.latency
    assert set(a.outcomes) == {"ok"} and 170 <= a.throughput <= 230


def test_past_capacity_goodput_collapses_and_bucket_holds():
    service.start(2)
    over = loadgen.run(service.request, 900, 3000, settle=1500)
    assert over.outcomes.get("timeout", 0) > 0 and over.throughput < 400
    service.start(2)
    b = service.Bucket(400, 20)
    reg = loadgen.run(b.request, 900, 3000, settle=1500)
    assert reg.outcomes.get("rejected", 0) > 0 and reg.throughput > 380 and reg.latency["p99"] < 50


def test_guard_kills_a_flooded_process():
    p = erlang.spawn(lambda: erlang.receive(("never",)))
    loadgen.guard(p, 5)
    for i in range(10):
        erlang.send(p, i)
    erlang.receive(timeout=50)
    assert not p.alive and metrics.get("guard_kills") == 1


def test_metrics_kinds_and_summary():
    assert metrics.inc("reqs") == 1 and metrics.inc("reqs", 2) == 3
    metrics.gauge("queue", 7)
    for v in range(1, 101):
        metrics.observe("lat", v)
    s = metrics.get("lat")
    assert (s["n"], s["p50"], s["p99"], s["max"]) == (100, 50, 99, 100)
    assert metrics.snapshot()["queue"] == 7 and metrics.get("nothing") == "undefined"
    import pytest
    from otp_lite.erlang import ErlangError
    with pytest.raises(ErlangError):
        metrics.gauge("reqs", 1)
