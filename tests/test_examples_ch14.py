"""examples/ch14: data strategies and failover on simulated nodes, under injected failures."""
import pytest

from otp_lite import dist, global_, runtime, timer, viz
from otp_lite.erlang import Exit
from examples.ch14 import board, dist_app, failover, freq_store, phone

N = ["n1@host1", "n2@host2", "n3@host3"]


@pytest.fixture
def net():
    n = dist.start("shell@host0", latency=5)
    for x in N:
        dist.start_node(x)
    return n


def held(node):
    return board.get(node).get("held")


# ---------------------------------------------------------------- share-nothing
def test_share_nothing_node_loss_loses_only_its_allocations(net):
    for i, n in enumerate(N):
        assert freq_store.start(n, [10 * (i + 1) + k for k in range(3)])[0] == "ok"
    assert [freq_store.allocate(n, p) for n, p in zip(N, ["alice", "bob", "carol"])] == \
        [("ok", 10), ("ok", 20), ("ok", 30)]
    dist.stop_node(N[1])
    with pytest.raises(Exit) as e:
        freq_store.allocate(N[1], "dave")
    assert e.value.reason[0] == ("nodedown", N[1])
    assert freq_store.allocate(N[0], "dave") == ("ok", 11)          # the others carry on
    assert freq_store.table(N[2]) == {"held": {30: "carol"}, "free": [31, 32]}
    text = board.holdings(N).text().splitlines()
    assert text[2] == "n2        no    DOWN                (lost: 20:bob)                  -"


# ---------------------------------------------------------------- share-everything
def start_everything(policy):
    for n in N:
        assert freq_store.start(n, [10, 11, 12, 13, 14], "everything", N, policy)[0] == "ok"


def test_share_everything_writes_reach_every_replica(net):
    start_everything("quorum")
    t0 = runtime.now()
    assert freq_store.allocate(N[0], "alice") == ("ok", 10)
    assert runtime.now() - t0 == 30          # shell->n1, n1->n2->n1, n1->n3->n1, n1->shell: 6 hops of 5 ms
    assert freq_store.allocate(N[2], "bob") == ("ok", 11)
    assert {n: held(n) for n in N} == {n: {10: "alice", 11: "bob"} for n in N}
    dist.stop_node(N[1])                    # one replica lost: nothing is lost
    assert freq_store.table(N[0]) == {"held": {10: "alice", 11: "bob"}, "free": [12, 13, 14]}
    assert freq_store.allocate(N[0], "carol") == ("ok", 12)   # 2 of 3: still a majority


def test_quorum_minority_refuses_majority_writes_sync_converges(net):
    start_everything("quorum")
    freq_store.allocate(N[0], "alice")
    bob = phone.at(N[0], 61_100, freq_store.allocate, N[0], "bob")
    carol = phone.at(N[1], 61_100, freq_store.allocate, N[1], "carol")
    dist.partition([N[0]])                  # n1 alone; the shell is with n2, n3
    timer.sleep(62_000)
    assert board.get(N[0])["role"] == "replica, sees 1/3"
    dist.heal()
    assert phone.result(bob) == ("error", "no_quorum")
    assert phone.result(carol) == ("ok", 11)
    assert freq_store.sync(N) == ("ok", [])
    assert {n: held(n) for n in N} == {n: {10: "alice", 11: "carol"} for n in N}
    assert board.get(N[0])["role"] == "replica, sees 3/3"


def test_available_both_sides_write_conflict_on_sync(net):
    start_everything("available")
    freq_store.allocate(N[0], "alice")
    bob = phone.at(N[0], 61_100, freq_store.allocate, N[0], "bob")
    carol = phone.at(N[1], 61_100, freq_store.allocate, N[1], "carol")
    dist.partition([N[0]])
    timer.sleep(62_000)
    assert held(N[0]) == {10: "alice", 11: "bob"} and held(N[2]) == {10: "alice", 11: "carol"}
    dist.heal()
    assert (phone.result(bob), phone.result(carol)) == (("ok", 11), ("ok", 11))
    assert freq_store.sync(N) == ("ok", [(11, "bob", "carol")])
    assert {n: held(n) for n in N} == {n: {10: "alice", 11: "bob"} for n in N}


def test_store_bad_mode():
    with pytest.raises(ValueError):
        freq_store.start("n1@host1", [1], mode="something")


# ---------------------------------------------------------------- primary/backup
def start_pair():
    assert failover.start_backup(N[1], N[0], [10, 11, 12, 13])[0] == "ok"
    assert failover.start_primary(N[0], [10, 11, 12, 13], N[1])[0] == "ok"


def test_backup_takes_over_on_nodedown_with_replicated_state(net):
    start_pair()
    assert failover.allocate("alice") == ("ok", 10)
    assert failover.allocate("bob") == ("ok", 11)
    timer.sleep(10)                                    # the last replica cast lands
    assert held(N[1]) == {10: "alice", 11: "bob"}
    dist.stop_node(N[0])
    timer.sleep(10)
    assert board.get(N[1])["role"] == "primary e2"
    assert global_.whereis_name("frequency").node.name == N[1]
    assert failover.allocate("carol") == ("ok", 12)
    assert "n1@host1 stops (all its processes vanish)" in viz.timeline().text()


def test_async_replication_loses_the_last_write(net):
    start_pair()
    dist.set_link(N[0], N[1], latency=20)   # the backup is further away than the client
    failover.allocate("alice")
    dist.stop_node(N[0])                    # alice's replica cast was still on the wire
    timer.sleep(10)
    assert held(N[1]) == {} and failover.allocate("bob") == ("ok", 10)


def test_split_brain_resolved_by_globals_resolver(net):
    start_pair()
    failover.allocate("alice")
    bob = phone.at(N[0], 61_100, failover.allocate, "bob")
    carol = phone.at(N[2], 61_100, failover.allocate, "carol")
    dist.partition([N[0]])
    timer.sleep(62_000)
    assert global_.table(N[0])["frequency"].node.name == N[0]          # two primaries
    assert global_.table(N[2])["frequency"].node.name == N[1]
    assert [board.get(n)["role"] for n in N[:2]] == ["primary e1", "primary e2"]
    dist.heal()
    assert failover.ping(N[0], N[1]) == "pong"
    assert (phone.result(bob), phone.result(carol)) == (("ok", 11), ("ok", 11))
    timer.sleep(50)
    winner = global_.whereis_name("frequency")
    assert winner.node.name == N[1] and global_.table(N[0]) == {"frequency": winner}
    assert board.get(N[0])["role"] == "backup e2"
    assert board.get(N[1])["note"] == "revoked 11:bob"
    assert held(N[0]) == held(N[1]) == {10: "alice", 11: "carol"}
    assert failover.allocate("dave") == ("ok", 12)
    timer.sleep(10)
    assert held(N[0])[12] == "dave"                     # the loser is the new backup


# ---------------------------------------------------------------- distributed application
def test_dist_app_failover_and_takeover(net):
    dist_app.start(N)
    timer.sleep(100)
    assert dist_app.where() == N[0] and dist_app.allocate("alice") == ("ok", 10)
    dist.stop_node(N[0])
    timer.sleep(100)
    assert dist_app.where() == N[1]
    assert dist_app.allocate("bob") == ("ok", 10)       # failover: a fresh server
    dist.start_node(N[0])
    dist_app.start_controller(N[0], N)
    timer.sleep(100)
    assert dist_app.where() == N[0]
    assert dist_app.allocate("carol") == ("ok", 11)     # takeover: the state came along
    assert [(n, t) for _t, n, t in dist_app.history()] == [
        (N[0], "normal"), (N[1], ("failover", N[0])), (N[0], ("takeover", N[1]))]
    assert [board.get(n)["role"] for n in N] == ["app (takeover n2)", "standby", "standby"]


def test_holdings_figure_draws_a_cell_per_node_and_frequency(net):
    start_pair()
    failover.allocate("alice")
    timer.sleep(10)
    fig = board.holdings(N[:2]).figure()
    assert len(fig.axes[0].patches) == 2 * 4
