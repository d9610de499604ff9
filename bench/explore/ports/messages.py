"""Message-order races: messages from different senders arrive in any order.

OTP guarantees order only per sender-receiver pair.  Rewritten from
Concuerror's tests (the file and function named in each ``Port``).
"""
from otp_lite import erlang

from .harness import Port, concuerror_test


# advanced_tests/src/send_order.erl, test1: five processes each send one number;
# the receiver expects them in the order they were spawned.  (The original draws
# the numbers with crypto:strong_rand_bytes; fixed numbers keep the idea.)
def send_order():
    numbers = [7, 3, 9, 1, 5]
    me = erlang.self()
    for i in numbers:
        erlang.spawn(erlang.send, me, i)
    got = [erlang.receive() for _ in numbers]
    assert got == numbers, f"received {got}"


# send_using_names.erl: one sender uses the pid, the other the registered name;
# either may arrive first.
def send_using_names():
    me = erlang.self()
    erlang.register("name", me)
    erlang.spawn(erlang.send, me, "msg1")
    erlang.spawn(erlang.send, "name", "msg2")
    got = [erlang.receive(), erlang.receive()]
    assert got == ["msg1", "msg2"], f"received {got}"


# dpor_tests/src/messages_2.erl: B polls for 'special' (after 0); if it is not there
# yet it waits for it and then takes the next message, expecting 'a', but C's 'c'
# may be queued before A's 'a'.
def messages_2():
    def b():
        if erlang.receive("special", timeout=0) == "special":
            erlang.receive("a")
            erlang.receive("c")
        else:
            erlang.receive("special")
            r = erlang.receive()
            assert r == "a", f"expected 'a', got {r!r}"
            erlang.receive()

    pid = erlang.spawn(b)
    erlang.spawn(erlang.send, pid, "c")
    erlang.send(pid, "a")
    erlang.send(pid, "special")


# dpor_tests/src/receive_order.erl, test3: selective receive takes a, b, c in that
# order whatever order they arrive in: no bug.
def receive_order():
    def p():
        erlang.receive("a")
        erlang.receive("b")
        c = erlang.receive()
        assert c == "c", c

    pid = erlang.spawn(p)
    erlang.spawn(erlang.send, pid, "b")

    def c_then_a():
        erlang.send(pid, "c")
        erlang.send(pid, "a")
    erlang.spawn(c_then_a)


# spawned_senders.erl: two senders, a receiver that takes both in any order: no bug.
def spawned_senders():
    def receive_two():
        got = {erlang.receive(), erlang.receive()}
        assert got == {"one", "two"}, got

    pid = erlang.spawn(receive_two)
    erlang.spawn(erlang.send, pid, "one")
    erlang.spawn(erlang.send, pid, "two")


PORTS = [
    Port("send_order", "tests/suites/advanced_tests/src/send_order.erl", "test1", "bug",
         concuerror_test(send_order), "message order",
         note="the original's crypto:strong_rand_bytes numbers fixed; Concuerror crashes on "
              "the original at its 2nd interleaving (crypto is a NIF it cannot replay), after "
              "reporting the error"),
    Port("send_using_names", "tests/suites/basic_tests/src/send_using_names.erl",
         "send_using_names", "bug", concuerror_test(send_using_names), "message order"),
    Port("messages_2", "tests/suites/dpor_tests/src/messages_2.erl", "test", "bug",
         concuerror_test(messages_2), "message order"),
    Port("receive_order", "tests/suites/dpor_tests/src/receive_order.erl", "test3", "no bug",
         concuerror_test(receive_order), "message order"),
    Port("spawned_senders", "tests/suites/basic_tests/src/spawned_senders.erl",
         "spawned_senders", "no bug", concuerror_test(spawned_senders), "message order"),
]
