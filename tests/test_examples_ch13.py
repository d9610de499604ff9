"""examples/ch13: node families with a retry, a real loopback TCP socket, gossip, a versioned protocol."""
from otp_lite import dist, erlang, pg, runtime, timer
from otp_lite.erlang import ANY
from examples.ch13 import api, peers, real_tcp as tcp, roles


def test_a_family_absorbs_a_crashed_member_mid_request():
    dist.start("shell@h0", latency=5)
    for node, role in {"fe@h1": "front_end", "l1@h2": "logic", "l2@h3": "logic", "db@h4": "service"}.items():
        dist.start_node(node)
        roles.start(node, role)
    runtime.run_until_idle()
    erlang.send(("front_end", "fe@h1"), ("request", erlang.self(), "fig"))
    timer.sleep(12)                                 # the request is at l1, which asks db
    dist.stop_node("l1@h2")
    assert erlang.receive(("reply", "fig", ANY, ANY)) == ("reply", "fig", 7, ("fe@h1", "l2@h3", "db@h4"))


def test_real_tcp_between_two_processes_on_loopback():
    me = erlang.self()

    def server():
        ok, lsock = tcp.listen(0)
        erlang.send(me, ("port", tcp.port(lsock)[1]))
        ok, sock = tcp.accept(lsock, 5000)
        got = b""
        while (r := tcp.recv(sock, 0, 5000))[0] == "ok":
            got += r[1]
            tcp.send(sock, r[1].upper())
        tcp.close(sock), tcp.close(lsock)
        erlang.send(me, ("server", got, r))

    erlang.spawn(server)
    _, port = erlang.receive(("port", ANY))
    ok, sock = tcp.connect("localhost", port)
    assert tcp.send(sock, b"abc") == "ok"
    back = b""
    while len(back) < 3:
        back += tcp.recv(sock, 0, 5000)[1]
    assert back == b"ABC"
    tcp.close(sock)
    assert erlang.receive(("server", ANY, ANY)) == ("server", b"abc", ("error", "closed"))
    assert tcp.connect("example.org", port) == ("error", "nxdomain")    # loopback only


def test_recv_times_out_in_virtual_ms():
    ok, lsock = tcp.listen(0)
    ok, sock = tcp.connect("127.0.0.1", tcp.port(lsock)[1])
    ok, peer = tcp.accept(lsock, 1000)
    t0 = runtime.now()
    assert tcp.recv(peer, 0, 50) == ("error", "timeout")
    assert runtime.now() - t0 == 50
    for s in (sock, peer, lsock):
        tcp.close(s)


def test_gossip_converges_and_a_versioned_server_answers_both_versions():
    dist.start("shell@h0", latency=5)
    ps = []
    for n in ("p1@h1", "p2@h2", "p3@h3"):
        dist.start_node(n)
        ps.append(peers.start(n))
    pg.start_link("peers")
    runtime.run_until_idle()
    erlang.send(ps[0], ("put", "k", "v"))
    timer.sleep(300)
    for p in ps:
        erlang.send(p, ("get", erlang.self(), "k"))
    assert sorted(erlang.receive(("got", ANY, "k", ANY))[3] for _ in ps) == ["v", "v", "v"]
    erlang.spawn("p2@h2", api.server_v2)
    timer.sleep(10)
    srv = ("price_api", "p2@h2")
    assert api.client_v1(srv, "apple") == ("price", "apple", 3)
    assert api.client_v2(srv, "apple", "SEK") == ("price", 2, "apple", 34.5, "SEK")
    erlang.send(srv, ("price", 3, erlang.self(), "apple"))
    assert erlang.receive(("error", ANY)) == ("error", ("unsupported_version", 3))
