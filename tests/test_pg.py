"""otp_lite.pg and otp_lite.global_ over simulated nodes (OTP 25 return values)."""
import pytest

from otp_lite import erlang, dist, pg, global_, rpc, runtime, timer
from otp_lite.erlang import ErlangError, Exit


def idle():
    erlang.receive()


@pytest.fixture(autouse=True)
def net():
    n = dist.start("shell@host0", latency=5)
    dist.start_node("a@h1")
    dist.start_node("b@h2")
    return n


def on(node, fun, *args):
    """Run fun on node and return its result (through rpc)."""
    from otp_lite import rpc
    return rpc.call(node, None, fun, list(args))


def test_pg_local_api_matches_otp():
    assert pg.start_link()[0] == "ok"
    assert pg.start_link()[0] == "error"
    me = erlang.self()
    assert pg.join("g", me) == "ok"
    assert pg.get_members("g") == [me] and pg.which_groups() == ["g"]
    assert pg.leave("g", me) == "ok" and pg.leave("g", me) == "not_joined"
    with pytest.raises(ErlangError):
        pg.join("g", "notapid")
    with pytest.raises(ErlangError):
        pg.join("g", erlang.spawn("a@h1", idle))           # not local


def test_pg_views_follow_connections():
    for n in ("a@h1", "b@h2"):
        on(n, lambda: pg.start("pg") and "ok")
    pg.start_link()
    w1 = erlang.spawn("a@h1", idle)
    w2 = erlang.spawn("b@h2", idle)
    on("a@h1", pg.join, "workers", w1)
    on("b@h2", pg.join, "workers", w2)
    assert on("a@h1", pg.get_members, "workers") == [w1, w2]
    assert pg.get_members("workers") == [w1, w2]
    assert pg.get_local_members("workers") == []
    dist.partition("a@h1")
    timer.sleep(61_000)
    assert pg.get_members("workers") == [w2]                  # a@h1 is gone from our view
    erlang.exit(w2, "kill")                                   # the signal crosses the network
    timer.sleep(10)
    assert pg.get_members("workers") == []


def test_global_register_whereis_send():
    me = erlang.self()
    assert global_.register_name("foo", me) == "yes"
    assert global_.register_name("foo", me) == "no"
    assert global_.whereis_name("foo") is me and global_.whereis_name("nofoo") == "undefined"
    assert global_.send("foo", "hi") is me and erlang.receive() == "hi"
    with pytest.raises(Exit) as e:
        global_.send("nofoo", "hi")
    assert e.value.reason == ("badarg", ("nofoo", "hi"))
    assert global_.registered_names() == ["foo"]
    assert global_.unregister_name("foo") == "ok" and global_.registered_names() == []


def test_global_name_seen_from_connected_nodes_and_dies_with_process():
    p = erlang.spawn("a@h1", idle)
    assert on("a@h1", global_.register_name, "srv", p) == "yes"
    assert global_.whereis_name("srv") is p
    assert on("b@h2", global_.whereis_name, "srv") is p
    erlang.exit(p, "kill")
    timer.sleep(10)
    assert global_.whereis_name("srv") == "undefined"


def test_global_split_brain_and_merge():
    me = erlang.self()

    def candidate():
        timer.sleep(61_000)                                      # the cut is a nodedown by then
        erlang.send(me, global_.register_name("leader", erlang.self()))
        erlang.receive()

    on("b@h2", lambda: None)                                    # connect everybody
    pa = erlang.spawn("a@h1", candidate)
    pb = erlang.spawn("b@h2", candidate)
    runtime.run_until_idle()
    assert erlang.nodes() == ["a@h1", "b@h2"]
    dist.partition(["a@h1"], ["shell@host0", "b@h2"])
    assert erlang.receive() == "yes"                             # b@h2's side says yes
    timer.sleep(1000)
    assert global_.table("a@h1") == {"leader": pa}               # and a@h1 said yes too:
    assert global_.whereis_name("leader") is pb                  # split brain
    dist.heal()
    assert on("a@h1", global_.whereis_name, "leader") in (pa, pb)     # reconnect: merge
    runtime.run_until_idle()
    winner = global_.whereis_name("leader")
    loser = pb if winner is pa else pa
    assert winner.alive and not loser.alive                     # random_exit_name killed one
    assert on("a@h1", global_.whereis_name, "leader") is winner


@pytest.mark.parametrize("resolve", ["random_exit_name", "random_notify_name", "notify_all_name"])
@pytest.mark.parametrize("first", ["a@h1", "b@h2"])
def test_global_conflict_resolution_matches_otp(resolve, first):
    """OTP 25 (tests/oracle_probes/ch13_global_conflict.out): the "random" resolvers keep the pid
    on the node whose name sorts first, whichever side connects; notify_all_name drops the name."""
    me = erlang.self()

    def holder():
        timer.sleep(61_000)                                      # the cut is a node down by then
        erlang.send(me, global_.register_name("svc", erlang.self(), getattr(global_, resolve)))
        erlang.send(me, ("holder got", erlang.self(), erlang.receive()))

    on("b@h2", lambda: None)                                     # connect everybody
    pa, pb = erlang.spawn("a@h1", holder), erlang.spawn("b@h2", holder)
    runtime.run_until_idle()
    dist.partition(["a@h1"], ["shell@host0", "b@h2"])
    assert erlang.receive() == "yes"                             # b@h2's; a@h1's is lost in the cut
    assert global_.table("a@h1") == {"svc": pa} and global_.whereis_name("svc") is pb
    dist.heal()
    if first == "a@h1":
        on("a@h1", erlang.node)                                  # the shell's side connects
    else:
        on("b@h2", rpc.call, "a@h1", "erlang", "node", [])       # b@h2 connects first
    runtime.run_until_idle()
    if resolve == "notify_all_name":
        assert global_.whereis_name("svc") == "undefined"
        got = sorted([erlang.receive(), erlang.receive()])
        assert got == sorted([("holder got", pa, ("global_name_conflict", "svc", pb)),
                              ("holder got", pb, ("global_name_conflict", "svc", pa))])
        return
    assert global_.whereis_name("svc") is pa and on("b@h2", global_.whereis_name, "svc") is pa
    assert pa.alive
    if resolve == "random_exit_name":
        assert not pb.alive and pb.reason == "killed"
    else:
        assert erlang.receive() == ("holder got", pb, ("global_name_conflict", "svc"))
