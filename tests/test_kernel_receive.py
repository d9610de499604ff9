"""Mailboxes: selective receive, patterns, timeouts, per-pair FIFO, flush()."""
import pytest

from otp_lite import erlang, runtime, timer
from otp_lite.erlang import ANY, TIMEOUT, ErlangError, Pid

from otp_testkit import assert_empty_mailbox


def _fill(*msgs):
    me = erlang.self()
    for m in msgs:
        erlang.send(me, m)


def test_no_pattern_takes_oldest():
    _fill("a", "b")
    assert erlang.receive() == "a"
    assert erlang.receive() == "b"


def test_template_with_any_leaves_others_in_order():
    _fill(("x", 1), ("y", 2), ("x", 3), "z")
    assert erlang.receive(("y", ANY)) == ("y", 2)
    assert erlang.receive(("x", ANY)) == ("x", 1)
    assert erlang.process_info(erlang.self(), "messages")[1] == [("x", 3), "z"]
    erlang.flush()


def test_template_matches_length_and_type():
    _fill(("a", 1, 2), ["a", 1], ("a", 1))
    assert erlang.receive(("a", ANY)) == ("a", 1)          # not the 3-tuple, not the list
    assert erlang.receive(["a", ANY]) == ["a", 1]
    assert erlang.receive(("a", ANY, ANY)) == ("a", 1, 2)


def test_nested_templates_and_literals():
    _fill(("reply", ("ok", 5)), ("reply", ("error", "x")))
    assert erlang.receive(("reply", ("error", ANY))) == ("reply", ("error", "x"))
    assert erlang.receive(("reply", ("ok", ANY))) == ("reply", ("ok", 5))


def test_int_pattern_does_not_match_bool_or_float():
    _fill(True, 1.0, 1)
    assert erlang.receive(1) == 1
    erlang.flush()


def test_dict_pattern_is_a_map_pattern():
    _fill({"a": 1}, {"a": 2, "b": 3}, "x")
    assert erlang.receive({"b": ANY}) == {"a": 2, "b": 3}
    assert erlang.receive({"a": 1}) == {"a": 1}
    assert erlang.receive({}, timeout=0) is TIMEOUT       # {} only matches dicts
    erlang.flush()


def test_class_and_predicate_patterns():
    p = erlang.spawn(lambda: None)
    _fill("atom", 42, p, 7)
    assert erlang.receive(int) == 42
    assert erlang.receive(Pid) is p
    assert erlang.receive(lambda m: m == 7) == 7
    assert erlang.receive(str) == "atom"


def test_several_patterns_take_the_oldest_matching_any():
    _fill("a", ("b", 1), ("c", 2))
    assert erlang.receive(("c", ANY), ("b", ANY)) == ("b", 1)
    assert erlang.receive(("c", ANY), ("b", ANY)) == ("c", 2)
    assert erlang.receive() == "a"


def test_timeout_zero_polls():
    assert erlang.receive(timeout=0) is TIMEOUT
    _fill("x")
    assert erlang.receive("y", timeout=0) is TIMEOUT
    assert erlang.receive("x", timeout=0) == "x"
    assert runtime.now() == 0


def test_timeout_ms_and_infinity():
    assert erlang.receive("never", timeout=250) is TIMEOUT
    assert runtime.now() == 250
    me = erlang.self()
    erlang.spawn(lambda: (timer.sleep(1000), erlang.send(me, "late")))
    assert erlang.receive(timeout="infinity") == "late"
    assert runtime.now() == 1250
    erlang.spawn(lambda: (timer.sleep(10), erlang.send(me, "in_time")))
    assert erlang.receive(timeout=100) == "in_time"
    assert runtime.now() == 1260


def test_negative_or_bad_timeout_is_timeout_value():
    for bad in (-1, -0.5, "soon", [1]):
        with pytest.raises(ErlangError) as ei:
            erlang.receive("x", timeout=bad)
        assert ei.value.reason == "timeout_value"
    # the shell still works
    _fill("ok")
    assert erlang.receive() == "ok"


def test_bad_pattern_types():
    with pytest.raises(ErlangError):
        erlang.receive({1, 2}, timeout=0)
    with pytest.raises(ErlangError):
        erlang.receive(iter([1]), timeout=0)
    _fill(1)
    assert erlang.receive(1) == 1


def test_a_message_arriving_later_that_matches_is_taken():
    me = erlang.self()

    def sender():
        erlang.send(me, "noise1")
        timer.sleep(5)
        erlang.send(me, "noise2")
        erlang.send(me, ("wanted", 1))

    erlang.spawn(sender)
    assert erlang.receive(("wanted", ANY)) == ("wanted", 1)
    assert erlang.flush() == ["noise1", "noise2"]


def test_per_pair_fifo_with_many_senders():
    me = erlang.self()

    def sender(tag):
        for i in range(200):
            erlang.send(me, (tag, i))
            if i % 17 == 0:
                erlang.yield_()

    for tag in "abc":
        erlang.spawn(sender, tag)
    got = {t: [] for t in "abc"}
    for _ in range(600):
        t, i = erlang.receive()
        got[t].append(i)
    assert all(got[t] == list(range(200)) for t in "abc")


def test_per_pair_fifo_under_shuffle():
    runtime.reset(seed=7, shuffle=True)
    me = erlang.self()
    for tag in "ab":
        erlang.spawn(lambda tag=tag: [erlang.send(me, (tag, i)) for i in range(100)])
    msgs = [erlang.receive() for _ in range(200)]
    for tag in "ab":
        assert [i for t, i in msgs if t == tag] == list(range(100))


def test_flush_prints_and_empties(capsys):
    _fill("a", ("b", 1))
    assert erlang.flush() == ["a", ("b", 1)]
    assert capsys.readouterr().out == "Shell got 'a'\nShell got ('b', 1)\n"
    assert_empty_mailbox()
    assert erlang.flush() == []


def test_process_receive_timeout_after_clause():
    me = erlang.self()

    def waiter():
        r = erlang.receive("never", timeout=300)
        erlang.send(me, ("after", r is TIMEOUT, runtime.now()))

    erlang.spawn(waiter)
    assert erlang.receive() == ("after", True, 300)
