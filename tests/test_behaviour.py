"""Own behaviours (otp_lite.behaviour) and ch10's tcp_wrapper on mem_tcp, against erlang_ref g3."""
import pytest

from otp_lite import behaviour, erlang, gen_server, logger, runtime, timer
from otp_lite import sys as osys
from otp_lite.erlang import ANY, ErlangError

from examples.ch10 import mem_tcp, tcp_print, tcp_wrapper


def test_g3_tcp_print(capsys):
    ok, lst = tcp_wrapper.start_link(tcp_print, 11234)
    assert ok == "ok"
    tcp_wrapper.cast((127, 0, 0, 1), 11234, b"Hello Concurrent World")
    timer.sleep(1500)
    assert capsys.readouterr().out == "Receiving Data\n..\nHello Concurrent World\n"
    listener, mod = osys.get_state(lst)
    assert mod is tcp_print and repr(listener).startswith("#Port<0.")
    assert osys.trace(lst, True) == "ok"
    tcp_wrapper.cast((127, 0, 0, 1), 11234, b"Again")
    timer.sleep(1500)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Listener <0.") and out[0].endswith(">:init_request")
    assert out[1:] == ["Receiving Data", "..", "Again"]
    assert osys.trace(lst, False) == "ok"


def test_chunks_as_they_arrive(capsys):
    """Data that arrives while the request process reads comes in several chunks: one dot each."""
    got = []

    class collect:
        def init_request(): return ("ok", [])
        def get_request(data, buf): return ("ok", buf + [data])
        def stop_request(reason, buf): got.append((reason, buf))

    tcp_wrapper.start_link(collect, 1)
    ok, s = mem_tcp.connect("localhost", 1)
    timer.sleep(1100)
    for piece in (b"ab", b"c"):
        mem_tcp.send(s, piece)
        timer.sleep(10)
    mem_tcp.close(s)
    timer.sleep(10)
    assert got == [("closed", [b"ab", b"c"])]


def test_stop_from_get_request_closes_the_socket():
    got = []

    class first:
        def init_request(): return ("ok", None)
        def get_request(data, _): return ("stop", "enough", data)
        def stop_request(reason, data): got.append((reason, data))

    tcp_wrapper.start_link(first, 2)
    ok, s = mem_tcp.connect("localhost", 2)
    mem_tcp.send(s, b"x")
    timer.sleep(1100)
    assert got == [("enough", b"x")]
    assert mem_tcp.send(s, b"y") == ("error", "closed")


def test_missing_callback_is_a_clear_error_at_start():
    class half:
        def init_request(): return ("ok", [])
        def get_request(data): return ("ok", [])         # wrong arity

    with pytest.raises(ErlangError) as e:
        tcp_wrapper.start_link(half, 3)
    assert e.value.reason == ("undefined_callbacks", "tcp_wrapper", [("get_request", 2), ("stop_request", 2)])
    msg = str(e.value.detail)
    assert "undefined callback function stop_request/2 (behaviour 'tcp_wrapper')" in msg
    assert "half.get_request cannot be called with 2 argument(s)" in msg
    assert erlang.processes() == [erlang.self()]          # nothing was spawned


def test_define_check_info():
    b = behaviour.define("shop", required=["open", ("sell", 2)], optional=[("close", 1)])
    assert behaviour.behaviour_info("shop") == [("open", None), ("sell", 2), ("close", 1)]
    assert b.behaviour_info("optional_callbacks") == [("close", 1)]

    class s1:
        behaviour = "shop"
        def open(*a): return "ok"
        def sell(item, n=1): return "ok"
    assert behaviour.check(s1) is s1                     # behaviour named in the namespace

    class s2:
        def open(): pass
        def sell(a, b): pass
        def close(): pass                                # optional, but wrong arity
    assert behaviour.missing(s2, "shop") == [("close", 1)]
    with pytest.raises(ErlangError) as e:
        behaviour.check(s2, "nosuch")
    assert e.value.reason == ("undefined_behaviour", "nosuch")
    with pytest.raises(ErlangError):
        behaviour.define("bad", required=[("x", "two")])


def test_otp_behaviours_are_declared():
    class srv:
        def init(a): return ("ok", a)
        def handle_call(r, f, s): return ("reply", r, s)
    assert behaviour.missing(srv, "gen_server") == [("handle_cast", 2)]
    from examples.ch4 import frequency
    assert behaviour.check(frequency, "gen_server") is frequency


def test_mem_tcp_basics():
    ok, ls = mem_tcp.listen(7)
    assert mem_tcp.listen(7) == ("error", "eaddrinuse")
    assert mem_tcp.connect("h", 8) == ("error", "econnrefused")
    assert mem_tcp.accept(ls, 100) == ("error", "timeout")
    ok, c = mem_tcp.connect("h", 7)
    ok, s = mem_tcp.accept(ls, 0)
    mem_tcp.send(c, b"hi")
    mem_tcp.send(c, b"!")
    assert mem_tcp.recv(s, 0) == ("ok", b"hi!")
    assert mem_tcp.recv(s, 0, 50) == ("error", "timeout")
    p = erlang.spawn(lambda: None)
    assert mem_tcp.controlling_process(s, p) == "ok"
    assert mem_tcp.controlling_process(s, erlang.self()) == ("error", "not_owner")
    mem_tcp.close(c)
    assert mem_tcp.recv(s, 0) == ("error", "closed")
    assert erlang.self().mbox == [] or list(erlang.self().mbox) == []


def test_mem_tcp_sockets_close_with_their_owner():
    """As gen_tcp on OTP 25: a dead owner's ports close (connect -> econnrefused, peer -> closed)."""
    me = erlang.self()

    def listener():
        ok, ls = mem_tcp.listen(9)
        erlang.send(me, ("ls", ls))
        erlang.receive("die")

    owner = erlang.spawn(listener)
    ls = erlang.receive(("ls", ANY))[1]
    ok, pending = mem_tcp.connect("h", 9)                  # queued, never accepted
    erlang.send(owner, "die")
    runtime.run_until_idle()
    assert ls.closed
    assert mem_tcp.connect("h", 9) == ("error", "econnrefused")
    assert mem_tcp.recv(pending, 0, 100) == ("error", "closed")
    assert mem_tcp.listen(9)[0] == "ok"                      # the port is free again

    def client():
        ok, c = mem_tcp.connect("h", 9)
        erlang.send(me, "connected")
        erlang.receive("die")

    c = erlang.spawn(client)
    erlang.receive("connected")
    ok, s = mem_tcp.accept(_listen_socket(9), 0)
    erlang.send(c, "die")
    assert mem_tcp.recv(s, 0) == ("error", "closed")         # woken by the close, no timeout
    assert erlang.receive(timeout=0) is erlang.TIMEOUT


def _listen_socket(port):
    return mem_tcp._ports[port]


def test_mem_tcp_controlling_process_to_a_dead_pid_is_badarg():
    ok, ls = mem_tcp.listen(10)
    p = erlang.spawn(lambda: None)
    runtime.run_until_idle()
    assert mem_tcp.controlling_process(ls, p) == ("error", "badarg")
    assert ls.owner is erlang.self() and not ls.closed
