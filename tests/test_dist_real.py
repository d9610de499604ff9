"""otp_lite as a node of a real Erlang cluster (issue 24): against a real ``erl -name`` on 127.0.0.1.

Skipped, with the reason and how to install Erlang, when ``erl`` is missing
(the ``erl`` fixture, tests/conftest.py).  Each test starts its own
``lab_<pid>_<hex>@127.0.0.1`` node on the real clock and stops it (epmd
forgets the name); the erl node is the module's ``erl_node`` (one start for the
file), or a ``make_erl_node`` one for a test that kills it or needs another
cookie (always stopped).
Expected values are what two erl nodes give each other:
tests/oracle_probes/ch13_real_dist.out.  Waits are bounded (a few seconds).
"""
import logging
import socket
import struct
import time

import pytest

from otp_lite import dist, erlang, net_adm, rpc, runtime, timer
from otp_lite.dist.real import handshake
from otp_lite.erlang import ANY, TIMEOUT

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def lab(erl_node):
    """Our node, with the cookie of the module's erl node (a fresh name per test)."""
    from tools.erl_node import unique_name
    runtime.reset(clock="real")
    net = dist.start(unique_name("lab") + "@127.0.0.1", real=True, cookie=erl_node.cookie)
    yield net
    dist.stop()


@pytest.fixture
def peer(lab, erl_node):
    """The module's erl node (one start for the file: ~2 s each), its variables forgotten."""
    erl_node.forget()
    return erl_node


def run_until(pred, timeout=5.0):
    """Run otp_lite's runtime (the shell sleeps) until ``pred()``; bounded."""
    end = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < end, "timed out"
        timer.sleep(5)


def result(pending, timeout=5.0):
    run_until(pending.done, timeout)
    return pending.result(0.1)


def test_net_adm_ping_from_erl_is_pong(lab, peer):
    assert result(peer.submit(f"net_adm:ping('{lab.name}').")) == "pong"
    assert erlang.nodes() == [] and erlang.nodes("hidden") == [peer.node]   # ch13_nb_hidden.out
    assert erlang.nodes(["this", "connected"]) == [lab.name, peer.node]
    assert peer.eval("nodes(hidden).") == f"['{lab.name}']"      # a hidden node (no global)
    assert peer.eval("nodes().") == "[]"


def test_ping_from_us_is_pong_and_pang_for_nobody(lab, peer):
    assert net_adm.ping(peer.node) == "pong"
    assert erlang.nodes("hidden") == [peer.node]
    assert net_adm.ping("nobody_here@127.0.0.1") == "pang"     # probe: ping a node nobody runs
    assert net_adm.ping("x@10.1.2.3") == "pang"                 # not loopback: never dialled


def _echo(peer):
    if rpc.call(peer.node, "erlang", "whereis", ["echo"]) == "undefined":
        peer.eval("register(echo, spawn(fun L() -> receive {F, M} -> F ! {echo, M}, L() end end)).")


def test_message_round_trip_both_ways(lab, peer):
    _echo(peer)
    me = erlang.self()
    erlang.send(("echo", peer.node), (me, "hello"))                       # REG_SEND
    assert erlang.receive(("echo", ANY), timeout=3000) == ("echo", "hello")
    echo = rpc.call(peer.node, "erlang", "whereis", ["echo"])
    assert erlang.node(echo) == peer.node
    erlang.send(echo, (me, {"k": [1, 2.5, b"bin", ("t",)]}))              # SEND_SENDER to a pid
    assert erlang.receive(("echo", ANY), timeout=3000) == ("echo", {"k": [1, 2.5, b"bin", ("t",)]})
    # erl -> us: to a registered name, then back to the erl process's pid
    erlang.register("tester", me)
    p = peer.submit(f"{{tester, '{lab.name}'}} ! {{hi, self()}}, receive R -> R after 3000 -> timeout end.")
    m = erlang.receive(("hi", ANY), timeout=3000)
    assert m != TIMEOUT and erlang.node(m[1]) == peer.node
    erlang.send(m[1], ("back", 42, "an_atom", [104, 105]))
    assert result(p) == '{back,42,an_atom,"hi"}'
    erlang.send(("nobody", peer.node), "dropped")           # probe: an unregistered name drops it


class lab_math:
    def add(a, b):
        return a + b

    def boom():
        raise ZeroDivisionError("x")


def _rpc_shapes(lab, peer):
    """rpc.call's answers, as two erl nodes give them (probe ch13_real_dist.out)."""
    assert rpc.call(peer.node, "erlang", "node", []) == peer.node
    assert rpc.call(peer.node, "lists", "reverse", [[1, 2, 3]]) == [3, 2, 1]
    assert rpc.call(peer.node, "nomod", "nofun", [1]) == \
        ("badrpc", ("EXIT", ("undef", [("nomod", "nofun", [1], [])])))
    assert rpc.call(peer.node, "erlang", "exit", ["bye"]) == ("badrpc", ("EXIT", "bye"))
    assert rpc.call(peer.node, "erlang", "exit", ["normal"]) == ("badrpc", ("EXIT", "normal"))
    assert rpc.call(peer.node, "erlang", "error", ["boom"]) == \
        ("badrpc", ("EXIT", ("boom", [("erlang", "error", ["boom"], [])])))
    assert rpc.call(peer.node, "erlang", "throw", ["ball"]) == "ball"
    assert rpc.call(peer.node, "timer", "sleep", [1000], 100) == ("badrpc", "timeout")
    assert rpc.call("nobody_here@127.0.0.1", "erlang", "node", []) == ("badrpc", "nodedown")


def test_rpc_both_ways(lab, peer):
    _rpc_shapes(lab, peer)                          # by erpc (spawn_request), as OTP 25's rpc:call
    from otp_lite.dist.real import handshake
    c = lab.conns[peer.node]
    c.flags &= ~handshake.SPAWN                     # a peer without spawn_request: OTP's rex
    _rpc_shapes(lab, peer)
    c.flags |= handshake.SPAWN
    assert len(lab.pending_spawns) == 0
    with pytest.raises(erlang.ErlangError):
        rpc.call(peer.node, erlang, "node", [])             # a Python module is not an Erlang atom
    dist.export("lab_math", lab_math)
    assert result(peer.submit(f"rpc:call('{lab.name}', lab_math, add, [1, 2]).")) == "3"
    assert result(peer.submit(f"rpc:call('{lab.name}', nomod, nofun, [1]).")) == \
        "{badrpc,{'EXIT',{undef,[{nomod,nofun,[1],[]}]}}}"
    r = result(peer.submit(f"rpc:call('{lab.name}', lab_math, boom, []).")).strip()
    assert r.startswith("{badrpc,{'EXIT',{badarith,")


def test_links_and_monitors_across_the_wire(lab, peer):
    erlang.process_flag("trap_exit", True)
    peer.eval("register(w, spawn(fun() -> receive {exit, R} -> exit(R) end end)).")
    w = rpc.call(peer.node, "erlang", "whereis", ["w"])
    erlang.link(w)
    ref = erlang.monitor("process", w)
    assert rpc.call(peer.node, "erlang", "process_info", [w, "links"]) == ("links", [erlang.self()])
    erlang.send(w, ("exit", "boom"))
    got = {erlang.receive(("EXIT", w, ANY), timeout=3000), erlang.receive(("DOWN", ref, ANY, ANY, ANY), timeout=3000)}
    assert got == {("EXIT", w, "boom"), ("DOWN", ref, "process", w, "boom")}
    # monitor by name of nothing: noproc, with the name (probe: monitor {nosuch, b})
    ref2 = erlang.monitor("process", ("nosuch", peer.node))
    assert erlang.receive(("DOWN", ref2, ANY, ANY, ANY), timeout=3000) == \
        ("DOWN", ref2, "process", ("nosuch", peer.node), "noproc")
    # erl monitors and links one of ours; it exits
    def victim():
        erlang.receive(("die", ANY))
        erlang.exit("gone")
    v = erlang.spawn(victim)
    p = peer.submit("catch unregister(t_link), register(t_link, self()), process_flag(trap_exit, true), "
                    "V = receive {victim, P} -> P after 3000 -> none end, "
                    "link(V), M = monitor(process, V), V ! {die, x}, "
                    "[receive {'EXIT', V, R1} -> R1 after 3000 -> no_exit end, "
                    " receive {'DOWN', M, process, V, R2} -> R2 after 3000 -> no_down end].")
    run_until(lambda: rpc.call(peer.node, "erlang", "whereis", ["t_link"]) != "undefined")
    erlang.send(("t_link", peer.node), ("victim", v))
    assert result(p) == "[gone,gone]"
    assert not erlang.is_process_alive(v)
    # erl links to one of ours and unlinks (UNLINK_ID, acknowledged): its exit does not reach erl
    def quitter():
        erlang.receive("quit")
        erlang.exit("bye")
    q = erlang.spawn(quitter)
    erlang.register("quitter", q)
    p = peer.submit("Q2 = receive {q, P2} -> P2 after 3000 -> none end, link(Q2), unlink(Q2), Q2 ! quit, "
                    "receive {'EXIT', Q2, R3} -> {exit, R3} after 500 -> no_exit end.")
    erlang.send(("t_link", peer.node), ("q", q))     # the same evaluator process as above
    assert result(p) == "no_exit"
    assert q.links is None or not q.links
    # unlink: the exit no longer arrives
    peer.eval("register(w2, spawn(fun() -> receive {exit, R} -> exit(R) end end)).")
    w2 = rpc.call(peer.node, "erlang", "whereis", ["w2"])
    erlang.link(w2)
    erlang.unlink(w2)
    erlang.send(w2, ("exit", "boom2"))
    assert erlang.receive(("EXIT", w2, ANY), timeout=300) is TIMEOUT
    # exit/2 across the wire (EXIT2), both ways; a remote pid is badarg for the local-only BIFs
    peer.eval("register(w3, spawn(fun() -> receive _ -> ok end end)).")
    w3 = rpc.call(peer.node, "erlang", "whereis", ["w3"])
    m3 = erlang.monitor("process", w3)
    erlang.exit(w3, "kill")
    assert erlang.receive(("DOWN", m3, ANY, ANY, ANY), timeout=3000) == ("DOWN", m3, "process", w3, "killed")
    for bif in (erlang.is_process_alive, erlang.process_info):
        with pytest.raises(erlang.ErlangError):
            bif(w3)
    def sleeper():
        erlang.receive()
    s = erlang.spawn(sleeper)
    erlang.register("sleeper", s)
    ms = erlang.monitor("process", s)
    dist.export("erlang", erlang)                 # otp_lite.erlang's BIFs, callable from erl
    try:
        p = peer.submit(f"exit(rpc:call('{lab.name}', erlang, whereis, [sleeper]), kill).")
        assert erlang.receive(("DOWN", ms, ANY, ANY, ANY), timeout=3000) == ("DOWN", ms, "process", s, "killed")
        assert result(p) == "true"
    finally:
        dist.real.unexport("erlang")


def test_cut_gives_nodedown_on_both_sides(lab, peer):
    erlang.process_flag("trap_exit", True)
    assert net_adm.ping(peer.node) == "pong"
    erlang.monitor_node(peer.node, True)
    peer.eval("register(w_cut, spawn(fun() -> receive _ -> ok end end)).")
    w = rpc.call(peer.node, "erlang", "whereis", ["w_cut"])
    erlang.link(w)
    ref = erlang.monitor("process", w)
    p = peer.submit(f"monitor_node('{lab.name}', true), "
                    "receive {nodedown, N} -> {got, N} after 5000 -> timeout end.")
    timer.sleep(100)
    assert erlang.disconnect_node(peer.node) is True
    msgs = sorted([erlang.receive(timeout=2000) for _ in range(3)], key=repr)
    assert msgs == sorted([("nodedown", peer.node), ("EXIT", w, "noconnection"),
                           ("DOWN", ref, "process", w, "noconnection")], key=repr)
    assert result(p) == f"{{got,'{lab.name}'}}"
    assert erlang.nodes("connected") == []
    # the other way: erl cuts, we see nodedown
    assert net_adm.ping(peer.node) == "pong"
    erlang.monitor_node(peer.node, True)
    peer.submit(f"erlang:disconnect_node('{lab.name}').")
    assert erlang.receive(("nodedown", ANY), timeout=3000) == ("nodedown", peer.node)


def test_wrong_cookie_is_pang_both_ways_with_a_log_line(lab, make_erl_node, caplog):
    other = make_erl_node(cookie="NOTTHESAME")
    with caplog.at_level(logging.WARNING, logger="otp_lite.dist.real"):
        assert result(other.submit(f"net_adm:ping('{lab.name}').")) == "pang"
        assert net_adm.ping(other.node) == "pang"
    text = caplog.text
    assert "different cookie" in text
    other.wait_output("rejected")


def _fake_node(lab):
    """A raw socket that did the handshake as fake_...@127.0.0.1: bytes under our control."""
    from otp_lite.dist.real import epmd
    port = epmd.port_please(lab.alive)
    n = len(lab.conns)
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    handshake.initiate(s, "fake_%d@127.0.0.1" % id(s), lab.name, lab.cookie, 1)
    run_until(lambda: len(lab.conns) == n + 1)
    return s


def _closed(s):
    s.settimeout(3)
    try:
        while s.recv(100):
            pass
        return True
    except socket.timeout:
        return False
    except OSError:
        return True


def _packet(*terms):
    from otp_lite.dist import etf
    data = b"p" + b"".join(etf.encode(t) for t in terms)
    return struct.pack(">I", len(data)) + data


@pytest.mark.parametrize("bad", [
    _packet((1, "not_a_pid", "nor_this")),       # LINK between two atoms
    _packet((22, "a", "b")),                      # SEND_SENDER without its message
    _packet((6, "a", "", "rex"), "m", "extra"),   # a third term after the message
    _packet("not_a_tuple"),
    b"\0\0\0\x05p\x83h\x01a",                      # a frame that ends inside the control message
    b"\0\0\0\x06p\x83h\x01ac",                     # a control message {99}: unknown
    b"\0\0\0\x02q\x00",                            # not a pass-through frame
    b"\xff\xff\xff\xf0",                           # a packet of 4 GB announced
    b"\0\0\x01\x00p\x83",                          # truncated: the peer closes mid-packet
])
def test_bad_wire_input_closes_that_connection_only(lab, peer, caplog, bad):
    assert net_adm.ping(peer.node) == "pong"
    with caplog.at_level(logging.WARNING, logger="otp_lite.dist.real"):
        s = _fake_node(lab)
        s.sendall(bad)
        if bad.startswith(b"\0\0\x01"):
            s.shutdown(socket.SHUT_WR)
        run_until(lambda: len(lab.conns) == 1)          # the fake one is gone, the peer stays
        assert _closed(s)
        s.close()
    assert "closing the connection" in caplog.text or "in the middle of a packet" in caplog.text
    assert net_adm.ping(peer.node) == "pong"            # the runtime and the other connection live
    assert list(lab.conns) == [peer.node]


def test_bad_handshake_is_refused_and_logged(lab, caplog):
    from otp_lite.dist.real import epmd
    port = epmd.port_please(lab.alive)
    with caplog.at_level(logging.WARNING, logger="otp_lite.dist.real"):
        for junk in (b"\x00\x03abc", b"\xff\xff", b"\x00\x10N\x00"):
            s = socket.create_connection(("127.0.0.1", port), timeout=3)
            s.sendall(junk)
            s.shutdown(socket.SHUT_WR)
            assert _closed(s)
            s.close()
        run_until(lambda: caplog.text.count("refused an incoming connection") >= 3)
    assert lab.conns == {}


def test_start_needs_the_real_clock_and_a_loopback_name():
    runtime.reset(clock="virtual")
    with pytest.raises(erlang.ErlangError):
        dist.start("lab@127.0.0.1", real=True, cookie="c")
    runtime.reset(clock="real")
    with pytest.raises(erlang.ErlangError):
        dist.start("lab@example.com", real=True, cookie="c")
    with pytest.raises(erlang.ErlangError):
        dist.start("lab@127.0.0.1", cookie="c")          # a cookie without real=True


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_atoms = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12).filter(
    lambda s: s not in ("true", "false"))
_scalars = (st.integers(min_value=-(1 << 200), max_value=1 << 200) | st.floats(allow_nan=False, allow_infinity=False)
            | _atoms | st.binary(max_size=16) | st.booleans())
_terms = st.recursive(_scalars, lambda kids: (st.lists(kids, max_size=4) | st.lists(kids, max_size=4).map(tuple)
                                               | st.dictionaries(_scalars, kids, max_size=3)), max_leaves=20)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(t=_terms)
def test_terms_round_trip_through_erl(lab, peer, t):
    """Property: any term goes to an erl process and comes back equal (erl decodes and re-encodes it)."""
    _echo(peer)
    erlang.send(("echo", peer.node), (erlang.self(), t))
    back = erlang.receive(("echo", ANY), timeout=3000)
    assert back == ("echo", t)
    if type(t) is float and t == 0.0:
        assert str(back[1]) == str(t)            # -0.0 stays -0.0


class lab_procs:
    def worker(to):
        erlang.send(to, ("from_python", erlang.node()))

    def crash():
        raise ValueError("no Erlang word for this")


def test_erl_spawns_an_exported_python_function_and_sees_it_die(lab, peer):
    dist.export("lab_procs", lab_procs)
    p = peer.submit(f"{{Pid, Ref}} = spawn_monitor('{lab.name}', lab_procs, worker, [self()]), "
                    "R = receive {from_python, N} -> N after 3000 -> none end, "
                    "D = receive {'DOWN', Ref, process, Pid, Why} -> Why after 3000 -> no_down end, {R, D}.")
    assert result(p) == f"{{'{lab.name}',normal}}"
    p = peer.submit(f"{{Pid2, Ref2}} = spawn_monitor('{lab.name}', nomod, nofun, []), "
                    "receive {'DOWN', Ref2, process, Pid2, {Why2, _}} -> Why2 after 3000 -> no_down end.")
    assert result(p) == "undef"
    # an exit reason holding a Python exception crosses as its repr (an atom)
    p = peer.submit(f"{{Pid3, Ref3}} = spawn_monitor('{lab.name}', lab_procs, crash, []), "
                    "receive {'DOWN', Ref3, process, Pid3, {Why3, _}} -> Why3 after 3000 -> no_down end.")
    assert result(p) == "'ValueError(\\'no Erlang word for this\\')'"


def test_a_killed_erl_node_is_nodedown(lab, make_erl_node):
    peer = make_erl_node(cookie=lab.cookie)
    erlang.process_flag("trap_exit", True)
    assert net_adm.ping(peer.node) == "pong"
    erlang.monitor_node(peer.node, True)
    ref = erlang.monitor("process", ("init", peer.node))
    peer.kill()
    got = sorted([erlang.receive(timeout=3000) for _ in range(2)], key=repr)
    assert got == sorted([("nodedown", peer.node), ("DOWN", ref, "process", ("init", peer.node), "noconnection")], key=repr)
    assert net_adm.ping(peer.node) == "pang"


def test_ticks_are_sent_and_a_silent_peer_times_out(erl, caplog):
    """net_ticktime 1 s: we tick every 0.25 s; a peer silent for over 1 s is cut (net_tick_timeout)."""
    from tools.erl_node import unique_name
    runtime.reset(clock="real")
    net = dist.start(unique_name("lab") + "@127.0.0.1", real=True, cookie="tick", net_ticktime=1)
    try:
        with caplog.at_level(logging.WARNING, logger="otp_lite.dist.real"):
            s = _fake_node(net)
            s.settimeout(2)
            assert s.recv(4) == b"\0\0\0\0"                 # a tick from us
            run_until(lambda: net.conns == {}, timeout=4)   # we never answered: cut
            assert _closed(s)
            s.close()
        assert "net_tick_timeout" in caplog.text
    finally:
        dist.stop()


def test_live_mode_answers_between_cells(lab, peer):
    """In a notebook (an asyncio loop, live mode) our node answers while no cell runs."""
    import asyncio

    async def cell():
        runtime.live(True, loop=asyncio.get_running_loop())
        lab.loop = asyncio.get_running_loop()
        seen = []

        def collector():
            while True:
                seen.append(erlang.receive())
        erlang.register("collector", erlang.spawn(collector))
        p = peer.submit(f"{{collector, '{lab.name}'}} ! {{hello, 1}}, ok.")
        end = time.monotonic() + 5
        while not seen and time.monotonic() < end:
            await asyncio.sleep(0.01)                       # the event loop runs, no cell does
        runtime.live(False)
        lab.loop = None
        return seen, p

    seen, p = asyncio.run(cell())
    assert seen == [("hello", 1)]
    assert p.result(1) == "ok"


class lab_counter:
    def init(n):
        return ("ok", n)

    def handle_call(req, from_, n):
        return ("reply", n + 1, n + 1)


def test_gen_server_calls_both_ways(lab, peer):
    from otp_lite import gen_server
    from otp_lite.erlang import Exit
    # ours -> an OTP gen_server (kernel_sup is a supervisor: a gen_server)
    counts = gen_server.call(("kernel_sup", peer.node), "count_children")
    assert type(counts) is list and ("specs", counts[0][1]) == counts[0]
    with pytest.raises(Exit) as e:
        gen_server.call(("nosuch", peer.node), "x", 1000)
    assert e.value.reason[0] == "noproc"
    # erl's gen_server:call (an alias tag, [alias | Ref]) -> our gen_server
    gen_server.start(("local", "lab_counter"), lab_counter, 999, [])
    p = peer.submit(f"[gen_server:call({{lab_counter, '{lab.name}'}}, inc), "
                    f"gen_server:call({{lab_counter, '{lab.name}'}}, inc)].")
    assert result(p) == "[1000,1001]"
    p = peer.submit(f"catch gen_server:call({{nosuch, '{lab.name}'}}, inc).")
    assert result(p).startswith("{'EXIT',{noproc,{gen_server,call,")


def test_the_ch13_tour_prints_what_the_notebook_shows(erl_node, capsys):
    from examples.ch13 import real_erl
    erl_node.forget()
    real_erl.demo(erl_node)
    assert capsys.readouterr().out.splitlines() == [
        "erl: net_adm:ping(otp_lite) -> pong",
        "otp_lite: net_adm.ping(erl) -> pong",
        "otp_lite got back: ('echo', 'hello')",
        "otp_lite got: ('hi', 'from_erl', '<an erl pid>')",
        "erl got: {thanks,42}",
        "otp_lite: rpc.call(erl, 'lists', 'reverse', [[1, 2, 3]]) -> [3, 2, 1]",
        "erl: rpc:call(otp_lite, lab_math, add, [1, 2]) -> 3",
        "otp_lite got: ('nodedown', \"<erl's node>\")",
        "erl got: nodedown",
    ]


def test_cast_big_messages_and_what_cannot_cross(lab, peer):
    _echo(peer)
    me = erlang.self()
    erlang.register("caster", me)
    assert rpc.cast(peer.node, "erlang", "send", [("caster", lab.name), "cast_arrived"]) is True
    assert erlang.receive("cast_arrived", timeout=3000) == "cast_arrived"
    big = bytes(range(256)) * 4096                                  # 1 MiB: no fragments needed
    erlang.send(("echo", peer.node), (me, big))
    assert erlang.receive(("echo", ANY), timeout=5000) == ("echo", big)
    with pytest.raises(erlang.ErlangError) as e:
        erlang.send(("echo", peer.node), (me, object()))           # no Erlang form: badarg here
    assert e.value.reason == "badarg"
    with pytest.raises(erlang.ErlangError) as e:
        erlang.spawn(peer.node, lambda: None)                      # Python cannot run on BEAM
    assert e.value.reason == "notsup"
    assert net_adm.ping(peer.node) == "pong"                        # the connection is fine


def test_erl_global_does_not_wait_for_us(lab, peer):
    """We are hidden: erl's global:sync() and register_name return (a visible node that does
    not run global would make them wait for ever)."""
    assert net_adm.ping(peer.node) == "pong"
    assert result(peer.submit("global:sync().")) == "ok"
    assert result(peer.submit("global:register_name(lab_test_name, self()).")) == "yes"
    assert result(peer.submit("global:unregister_name(lab_test_name).")) == "ok"


def test_epmd_errors_are_clear_and_leave_the_runtime_undistributed(erl, monkeypatch):
    from tools.erl_node import unique_name
    from otp_lite.dist.real import EpmdError, epmd
    runtime.reset(clock="real")
    name = unique_name("lab") + "@127.0.0.1"
    net = dist.start(name, real=True, cookie="c")
    runtime.reset(clock="real")                         # a new runtime: the old node leaves epmd
    assert net.closed                                   # epmd forgets the name when it sees the
    deadline = time.monotonic() + 5                     # close of the ALIVE2 connection: soon, not
    while epmd.port_please(name.split("@")[0]) is not None and time.monotonic() < deadline:
        time.sleep(0.02)                                # at once (flaky under load otherwise)
    assert epmd.port_please(name.split("@")[0]) is None
    net = dist.start(name, real=True, cookie="c")       # so the name is free again
    try:
        runtime_rt = runtime.current()
        from otp_lite.dist.real.node import RealNetwork
        with pytest.raises(EpmdError, match="already running"):
            RealNetwork(runtime_rt, name, "c").start()  # epmd refuses a name twice
    finally:
        dist.stop()
    runtime.reset(clock="real")
    monkeypatch.setenv("ERL_EPMD_PORT", "1")            # nobody listens there
    with pytest.raises(EpmdError, match="epmd -daemon"):
        dist.start(unique_name("lab") + "@127.0.0.1", real=True, cookie="c")
    assert runtime.current().net is None and erlang.node() == "nonode@nohost"


def test_proxies_do_not_pile_up(lab, peer):
    """Each rpc meets a new remote pid (the erpc process); proxies nobody holds go away."""
    import gc
    for _ in range(100):
        assert rpc.call(peer.node, "erlang", "node", []) == peer.node
    gc.collect()
    assert len(lab.proxies) < 20 and sum(len(s) for s in lab.by_node.values()) < 20
    assert lab.pending_spawns == {}


def test_simulation_knobs_say_notsup_and_the_timeline_shows_connections(lab, peer):
    from otp_lite import viz
    assert net_adm.ping(peer.node) == "pong"
    for knob in (lambda: dist.partition(peer.node), dist.heal, lambda: dist.set_link(lab.name, peer.node, 5),
                 lambda: dist.start_node("x@127.0.0.1"), lambda: dist.stop_node(peer.node)):
        with pytest.raises(erlang.ErlangError) as e:
            knob()
        assert e.value.reason == "notsup" and lab.cookie not in str(e.value)
    erlang.disconnect_node(peer.node)
    text = str(viz.timeline())
    assert f"{lab.name} -- {peer.node} : connect (nodeup)" in text
    assert f"{lab.name} -- {peer.node} : disconnect (nodedown)" in text
