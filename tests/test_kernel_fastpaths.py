"""The kernel's fast paths keep the slow paths' semantics (bench/README.md, issue 4).

* compiled receive patterns answer exactly as ``match``;
* a long selective-receive scan (compiled) picks the same message;
* receive timeouts keep ``#Ref`` numbering and cancelled timers do not pile up;
* the direct hand-off between processes keeps FIFO scheduling order.
"""
from otp_lite import erlang, gen_server, runtime
from otp_lite.erlang import ANY, Pid
from otp_lite.kernel.scheduler import COMPILE_AT
from otp_lite.kernel.terms import Ref, compile_pattern, compile_patterns, match


def _is_even(x):
    return x % 2 == 0          # raises on non-numbers: no match, like a guard


PATTERNS = [ANY, "a", 1, 1.0, True, None, int, str, Pid, _is_even,
            ("a", ANY), ("a", 1), ("a", "1"), [1, ANY], (ANY, ANY, ANY), (),
            ("x", ("y", ANY), [ANY, 2]), ("p", _is_even), {"k": 1}, ("m", {"k": ANY}),
            ("t", int), (1.0, ANY), (True, ANY)]
TERMS = ["a", "b", 1, 2, 1.0, True, False, None, (), [], ("a", 1), ("a", "1"), ("a", 1.0),
         ("a", True), ["a", 1], [1, 2], (1, 2), (1, 2, 3), ("x", ("y", 0), [9, 2]),
         ("x", ("y", 0), (9, 2)), ("p", 4), ("p", 3), ("p", "s"), {"k": 1}, {"k": 1.0},
         {"j": 1}, ("m", {"k": 0}), ("m", {}), ("t", 5), ("t", "5"), (1, 0), (1.0, 0), (True, 0)]


def test_compiled_patterns_answer_as_match():
    for pat in PATTERNS:
        f = compile_pattern(pat)
        for t in TERMS:
            assert f(t) == match(pat, t), (pat, t)
    both = compile_patterns((("a", ANY), int))
    for t in TERMS:
        assert both(t) == (match(("a", ANY), t) or match(int, t)), t


def test_long_selective_scan_takes_the_oldest_match_and_keeps_the_rest():
    me = erlang.self()
    n = 3 * COMPILE_AT
    for i in range(n):
        erlang.send(me, ("junk", i))
    erlang.send(me, ("hit", 1))
    erlang.send(me, ("hit", 2))
    assert erlang.receive(("hit", ANY), ("other", ANY)) == ("hit", 1)
    assert erlang.receive(("hit", ANY)) == ("hit", 2)
    assert erlang.receive(("none", ANY), timeout=0) is erlang.TIMEOUT
    assert [erlang.receive() for _ in range(n)] == [("junk", i) for i in range(n)]


def test_long_scan_then_the_match_arrives():
    me = erlang.self()
    for i in range(2 * COMPILE_AT):
        erlang.send(me, ("junk", i))
    erlang.spawn(lambda: erlang.send(me, ("hit", "late")))
    assert erlang.receive(("hit", ANY), timeout=1000) == ("hit", "late")
    assert len(erlang.process_info(me, "messages")[1]) == 2 * COMPILE_AT
    for _ in range(2 * COMPILE_AT):
        erlang.receive()


class counter:
    def init(n):
        return ("ok", n)

    def handle_call(_req, _from, n):
        return ("reply", n + 1, n + 1)


def test_a_call_takes_two_ref_numbers_as_before():
    ok, srv = gen_server.start(counter, 0, [])
    r1 = erlang.make_ref()
    assert gen_server.call(srv, "incr") == 1
    r2 = erlang.make_ref()
    assert r2.n - r1.n == 3          # the monitor ref and the receive timeout's


def test_cancelled_call_timeouts_do_not_pile_up(rt):
    ok, srv = gen_server.start(counter, 0, [])
    for _ in range(20000):
        gen_server.call(srv, "incr")
    assert len(rt.timers) <= 2 * 4096 + 2


def test_timers_fire_in_order_after_a_sweep(rt):
    ok, srv = gen_server.start(counter, 0, [])
    me = erlang.self()
    for i in range(10):
        erlang.send_after(100, me, ("t", i))
    for _ in range(10000):               # sweeps the heap (cancelled receive timeouts)
        gen_server.call(srv, "incr")
    erlang.send_after(50, me, ("t", "first"))
    got = [erlang.receive(("t", ANY), timeout=1000)[1] for _ in range(11)]
    assert got == ["first"] + list(range(10))
    assert runtime.now() == 100


def test_hand_off_keeps_fifo_order():
    log = []

    def worker(name):
        for i in range(3):
            log.append((name, i))
            erlang.yield_()

    for name in "abc":
        erlang.spawn(worker, name)
    runtime.run_until_idle()
    assert log == [(n, i) for i in range(3) for n in "abc"]


def test_hand_off_with_messages_keeps_order():
    log = []
    me = erlang.self()

    def echo(name):
        while True:
            m = erlang.receive()
            if m == "stop":
                erlang.send(me, ("done", name))
                return
            log.append((name, m))

    a, b = erlang.spawn(echo, "a"), erlang.spawn(echo, "b")
    runtime.run_until_idle()
    for i in range(3):
        erlang.send(a, i)
        erlang.send(b, i)
    erlang.send(a, "stop")
    erlang.send(b, "stop")
    assert erlang.receive() == ("done", "a")
    assert erlang.receive() == ("done", "b")
    assert log == [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1), ("b", 2)]
