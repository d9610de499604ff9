"""examples/ch15: servers behind pg on simulated nodes, a two-stage pipeline, backpressure."""
from otp_lite import dist, erlang, loadgen, metrics, pg, timer
from examples.ch15 import backpressure, blueprint, cluster, pipeline


def test_cast_call_and_credits():
    cast, call, credits = (backpressure.run(m, 100) for m in ("cast", "call", ("credits", 5)))
    assert cast == {"producer_done": 100, "consumer_done": 201, "max_queue": 50}
    assert call["max_queue"] == 0 and call["producer_done"] == 300
    assert credits["max_queue"] <= 5 and credits["consumer_done"] == 201
    assert erlang.receive(timeout=0) is erlang.TIMEOUT        # no credit left behind


def test_two_nodes_behind_pg_double_the_capacity():
    dist.start("shell@host0")
    one = loadgen.sweep(lambda: cluster.start(["a@h1"], 2), cluster.request, [450, 900], 1000)
    two = loadgen.sweep(lambda: cluster.start(["a@h1", "b@h2"], 2), cluster.request, [450, 900], 1000)
    assert len(pg.get_members("service")) == 2
    assert blueprint.capacity(one) < 500 < blueprint.capacity(two)
    assert blueprint.knee(one) == 900 and blueprint.knee(two) is None


def test_the_slow_stage_queues_and_is_busy():
    pipeline.start(front=1, store=1)
    erlang.spawn(lambda: loadgen.run(pipeline.request, 600, 1000, settle=1500))
    timer.sleep(1000)
    q = {n: erlang.process_info(erlang.whereis(n), "message_queue_len")[1] for n in ("front_1", "store_1")}
    assert q["front_1"] <= 2 and q["store_1"] > 100
    assert metrics.get("busy.store") >= 990 and metrics.get("busy.front") < 700
    timer.sleep(3000)
