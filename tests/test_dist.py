"""otp_lite.dist: nodes, remote spawn/send, links and monitors across nodes, the network model."""
import pytest

from otp_lite import erlang, dist, runtime, gen_server, timer, viz
from otp_lite.erlang import ANY, TIMEOUT, Exit, ErlangError


def echo():
    while True:
        m = erlang.receive()
        erlang.send(m[0], ("echo", erlang.node(), m[1]))


def idle():
    erlang.receive()


@pytest.fixture
def net():
    n = dist.start("shell@host0", latency=5)
    dist.start_node("bsc@host1")
    dist.start_node("client@host2")
    return n


def test_not_distributed_defaults():
    assert erlang.node() == "nonode@nohost" and erlang.nodes() == []
    assert repr(erlang.self()).startswith("<0.")
    erlang.monitor_node("x@y", True)
    assert erlang.receive() == ("nodedown", "x@y")
    assert erlang.disconnect_node("x@y") is False


def test_node_names_pids_and_nodes(net):
    assert erlang.node() == "shell@host0"
    assert dist.start_node("bsc@host1") == ("error", ("already_started", "bsc@host1"))
    with pytest.raises(ErlangError):
        dist.start_node("nohost")
    p = erlang.spawn("bsc@host1", idle)
    assert repr(p) == f"<1.{p.num}.0>" and erlang.node(p) == "bsc@host1"
    assert erlang.nodes() == ["bsc@host1"]          # connected on first contact
    q = erlang.spawn("client@host2", lambda: erlang.send(erlang.spawn(idle), erlang.node()))
    runtime.run_until_idle()
    assert repr(q).startswith("<2.") and erlang.nodes() == ["bsc@host1", "client@host2"]
    # nodes/1 as OTP: the simulated nodes are visible ones
    assert erlang.nodes("hidden") == [] and erlang.nodes("visible") == erlang.nodes()
    assert erlang.nodes(["this", "connected"]) == ["shell@host0", "bsc@host1", "client@host2"]
    with pytest.raises(ErlangError) as e:
        erlang.nodes("all")
    assert e.value.reason == "badarg"


def test_remote_send_pays_latency_both_ways(net):
    p = erlang.spawn("bsc@host1", echo)
    erlang.send(p, (erlang.self(), "hi"))
    assert erlang.receive() == ("echo", "bsc@host1", "hi")
    assert runtime.now() == 10


def test_per_node_registry_and_named_send(net):
    a = erlang.spawn("bsc@host1", echo)
    b = erlang.spawn("client@host2", echo)
    runtime.run_until_idle()
    erlang.spawn("bsc@host1", lambda: erlang.register("echo", a))
    erlang.spawn("client@host2", lambda: erlang.register("echo", b))   # same name, other node
    runtime.run_until_idle()
    assert erlang.whereis("echo") == "undefined"
    erlang.send(("echo", "client@host2"), (erlang.self(), 1))
    erlang.send(("echo", "bsc@host1"), (erlang.self(), 2))
    erlang.send(("nobody", "bsc@host1"), (erlang.self(), 3))           # dropped, no error
    erlang.send(("echo", "nosuch@host9"), (erlang.self(), 4))          # dropped, no error
    got = sorted([erlang.receive(), erlang.receive()])
    assert got == [("echo", "bsc@host1", 2), ("echo", "client@host2", 1)]
    assert erlang.receive(timeout=100) is TIMEOUT


def test_fifo_per_pair_with_jitter():
    dist.start("shell@host0", latency=5, jitter=20, seed=3)
    dist.start_node("n@h")
    p = erlang.spawn("n@h", lambda: [erlang.send(m[0], m[1]) for m in iter(erlang.receive, None)])
    for i in range(30):
        erlang.send(p, (erlang.self(), i))
    assert [erlang.receive() for _ in range(30)] == list(range(30))


def test_exit_signal_after_messages_on_same_pair(net):
    erlang.process_flag("trap_exit", True)
    me = erlang.self()

    def talker():
        for i in range(3):
            erlang.send(me, i)
        erlang.exit("bye")
    erlang.spawn_link("bsc@host1", talker)
    msgs = [erlang.receive() for _ in range(4)]
    assert msgs[:3] == [0, 1, 2] and msgs[3][0] == "EXIT" and msgs[3][2] == "bye"


def test_nodedown_noconnection_on_stop_node(net):
    erlang.process_flag("trap_exit", True)
    p = erlang.spawn_link("bsc@host1", idle)
    ref = erlang.monitor("process", p)
    erlang.monitor_node("bsc@host1", True)
    assert dist.stop_node("bsc@host1") == "ok"
    got = [erlang.receive() for _ in range(3)]
    assert ("EXIT", p, "noconnection") in got
    assert ("DOWN", ref, "process", p, "noconnection") in got
    assert ("nodedown", "bsc@host1") in got
    runtime.run_until_idle()
    assert not erlang.is_process_alive(p) and "bsc@host1" not in erlang.nodes()
    erlang.send(p, "lost")                                  # no error
    with pytest.raises(ErlangError):
        dist.stop_node("shell@host0")


def test_unlinked_shell_killed_by_noconnection(net):
    erlang.spawn_link("bsc@host1", idle)
    with pytest.raises(Exit) as e:
        dist.stop_node("bsc@host1")
        erlang.receive(timeout=10)
    assert e.value.reason == "noconnection"


def test_spawn_to_unreachable_node():
    dist.start("shell@host0")
    erlang.process_flag("trap_exit", True)
    p = erlang.spawn_link("ghost@nowhere", idle)
    assert erlang.receive() == ("EXIT", p, "noconnection")
    p2, ref = erlang.spawn_monitor("ghost@nowhere", idle)
    assert erlang.receive() == ("DOWN", ref, "process", p2, "noconnection")
    ref2 = erlang.monitor("process", ("rex", "ghost@nowhere"))
    assert erlang.receive() == ("DOWN", ref2, "process", ("rex", "ghost@nowhere"), "noconnection")


def test_partition_shorter_than_tick_delays_messages(net):
    p = erlang.spawn("bsc@host1", echo)
    erlang.send(p, (erlang.self(), 0))
    erlang.receive()
    dist.partition(["shell@host0"], ["bsc@host1"])
    erlang.send(p, (erlang.self(), 1))
    assert erlang.receive(timeout=30_000) is TIMEOUT       # held by the cut (TCP retransmits)
    dist.heal()
    assert erlang.receive() == ("echo", "bsc@host1", 1)
    assert erlang.nodes() == ["bsc@host1"]


def test_partition_longer_than_tick_is_nodedown(net):
    erlang.process_flag("trap_exit", True)
    p = erlang.spawn_link("bsc@host1", echo)
    erlang.monitor_node("bsc@host1", True)
    dist.partition("shell@host0")
    erlang.send(p, (erlang.self(), 1))
    t0 = runtime.now()
    got = [erlang.receive(), erlang.receive()]
    assert sorted(got, key=repr) == sorted([("EXIT", p, "noconnection"), ("nodedown", "bsc@host1")], key=repr)
    assert runtime.now() - t0 == 60_000                        # net_ticktime
    runtime.run_until_idle()
    assert not erlang.is_process_alive(p)                      # its end of the link broke too
    dist.heal()
    q = erlang.spawn("bsc@host1", echo)                        # auto-reconnect: the node lived on
    erlang.send(q, (erlang.self(), 2))                         # (message 1 was lost)
    assert erlang.receive() == ("echo", "bsc@host1", 2)


def test_a_broken_connection_breaks_both_ends_of_a_link(net):
    """OTP: each side of a lost connection signals its own linked processes: noconnection on
    both ends, whichever pid sorts first (tests/oracle_probes/ch13_rpc_failures.out)."""
    me = erlang.self()

    def trapper(peer):
        erlang.process_flag("trap_exit", True)
        erlang.link(peer)
        erlang.send(me, "linked")
        erlang.send(me, (erlang.node(), erlang.receive()))

    a = erlang.spawn("bsc@host1", idle)                        # sorts before the trapper
    t = erlang.spawn("client@host2", trapper, a)
    erlang.receive("linked")
    dist.stop_node("bsc@host1")
    assert erlang.receive(timeout=1000) == ("client@host2", ("EXIT", a, "noconnection"))
    runtime.run_until_idle()
    assert not erlang.is_process_alive(t)                      # it took the EXIT and ended


def test_loss_is_seeded_and_counted():
    net = dist.start("shell@host0", latency=1, loss=0.5, seed=7)
    dist.start_node("n@h")
    p = erlang.spawn("n@h", lambda: [erlang.send(m[0], m[1]) for m in iter(erlang.receive, None)])
    for i in range(40):
        erlang.send(p, (erlang.self(), i))
    timer.sleep(100)
    got = []
    while (m := erlang.receive(timeout=0)) is not TIMEOUT:
        got.append(m)
    assert got == sorted(got) and 0 < len(got) < 40            # some lost, the rest in order
    st = net.stats
    assert st["lost"] > 0 and st["lost"] + st["delivered"] == st["sent"]


def test_disconnect_node(net):
    erlang.spawn("bsc@host1", idle)
    erlang.monitor_node("bsc@host1", True)
    assert erlang.disconnect_node("bsc@host1") is True
    assert erlang.receive() == ("nodedown", "bsc@host1") and erlang.nodes() == []
    assert erlang.disconnect_node("bsc@host1") is False


class Kv:
    def init(_):
        return ("ok", {})

    def handle_call(req, _from, s):
        if req[0] == "put":
            s = {**s, req[1]: req[2]}
            return ("reply", "ok", s)
        return ("reply", s.get(req[1]), s)


def test_gen_server_call_across_nodes(net):
    erlang.spawn("bsc@host1", lambda: gen_server.start(("local", "kv"), Kv, [], []))
    runtime.run_until_idle()
    assert gen_server.call(("kv", "bsc@host1"), ("put", "a", 1)) == "ok"
    assert gen_server.call(("kv", "bsc@host1"), ("get", "a")) == 1
    assert runtime.now() == 20
    with pytest.raises(Exit) as e:
        gen_server.call(("kv", "client@host2"), ("get", "a"))
    assert e.value.reason[0] == "noproc"
    dist.stop_node("bsc@host1")
    with pytest.raises(Exit) as e:
        gen_server.call(("kv", "bsc@host1"), ("get", "a"))
    assert e.value.reason[0] == ("nodedown", "bsc@host1")


def test_timeline_text_and_figure(net):
    p = erlang.spawn("bsc@host1", echo)
    erlang.send(p, (erlang.self(), "x"))
    erlang.receive()
    tl = viz.timeline()
    assert "shell@host0 -> bsc@host1 : {<0.80.0>,x}  [delivered]" in tl.text()
    assert tl.figure() is not None


def test_tick_counts_from_the_latest_cut(net):
    p = erlang.spawn("bsc@host1", echo)
    erlang.monitor_node("bsc@host1", True)
    dist.partition("shell@host0", "bsc@host1")
    timer.sleep(30_000)
    dist.heal()
    dist.partition("shell@host0", "bsc@host1")
    t0 = runtime.now()
    assert erlang.receive() == ("nodedown", "bsc@host1")
    assert runtime.now() - t0 == 60_000 and p.alive


def test_messages_held_in_a_cut_are_lost_when_the_connection_goes_down():
    # held traffic never arrives once the tick timeout takes the connection down: the log says so
    from otp_lite import dist, erlang, timer
    net = dist.start("a@h", latency=5)
    dist.start_node("b@h")
    rx = erlang.spawn("b@h", lambda: erlang.receive(timeout=200_000))
    erlang.send(rx, "hello")
    timer.sleep(10)
    dist.partition(["a@h"], ["b@h"])
    erlang.send(rx, "held")
    timer.sleep(70_000)                       # past net_ticktime: nodedown
    fates = [r[5] for r in net.log if r[4] == "held"]
    assert fates == ["lost"], net.log
    assert net.stats["lost"] >= 1
    assert "[lost]" in viz.timeline().text()


def test_timeline_ends_a_stopped_nodes_lane_and_keeps_labels_off_the_crosses(net):
    p = erlang.spawn("bsc@host1", echo)
    erlang.send(p, (erlang.self(), "x"))
    erlang.receive()
    timer.sleep(100)
    dist.stop_node("client@host2")
    timer.sleep(100)
    dist.partition("shell@host0", "bsc@host1")
    dist.set_link("shell@host0", "bsc@host1", loss=1.0)
    dist.heal()
    erlang.send(p, (erlang.self(), "lost"))       # loss=1: a cross in the middle of the pair
    t_stop = [r[0] for r in net_log() if r[4] == "stop"][0]
    fig = viz.timeline().figure()
    ax = fig.axes[0]
    lane = [ln for ln in ax.lines if list(ln.get_xdata()) == [2, 2]][0]
    assert max(lane.get_ydata()) == t_stop                 # client@host2's lifeline stops at its stop
    crosses = [(ln.get_xdata()[0], ln.get_ydata()[0]) for ln in ax.lines
               if ln.get_marker() in ("x", "X")]
    assert (2, t_stop) in crosses and any(x == 0.5 for x, _ in crosses)
    assert all(x != int(x) for x, _ in crosses if (x, _) != (2, t_stop))   # a lost x is never on a lane
    for t in ax.texts:                                      # cut, heal, nodedown: never on a cross
        tx, ty = t.xy
        if t.get_text() == "stopped":                       # beside its X: moved away in points
            assert t.xyann[0] >= 6 and t.get_ha() == "left"
            continue
        assert all(abs(tx - cx) > 0.15 for cx, cy in crosses if cy == ty), (t.get_text(), tx, ty)
    later = viz.timeline(since=t_stop + 1)                  # stopped before the window: not drawn
    assert later.nodes == ["shell@host0", "bsc@host1"]
    assert [t.get_text() for t in later.figure().axes[0].get_xticklabels()] == later.nodes


def net_log():
    from otp_lite.dist.net import _net
    return _net().log
