"""otp_lite.rpc vs OTP 25 probes: call results, badrpc shapes, timeout, multicall, cast."""
import pytest

from otp_lite import erlang, dist, rpc, runtime, timer
from otp_lite.erlang import ErlangError, TIMEOUT


@pytest.fixture(autouse=True)
def net():
    n = dist.start("shell@host0", latency=5)
    dist.start_node("bsc@host1")
    dist.start_node("client@host2")
    return n


def test_call_runs_on_the_remote_node_and_pays_a_round_trip():
    assert rpc.call("bsc@host1", "erlang", "node", []) == "bsc@host1"
    assert runtime.now() == 10
    assert rpc.call("shell@host0", erlang, "node", []) == "shell@host0"


def test_badrpc_shapes():
    assert rpc.call("nosuch@nohost", "erlang", "node", []) == ("badrpc", "nodedown")
    assert rpc.call("bsc@host1", "erlang", "exit", ["bar"]) == ("badrpc", ("EXIT", "bar"))
    r = rpc.call("bsc@host1", "erlang", "error", ["foo"])
    assert r[0] == "badrpc" and r[1][0] == "EXIT" and r[1][1][0] == "foo"
    assert rpc.call("bsc@host1", "erlang", "throw", ["baz"]) == "baz"
    assert rpc.call("bsc@host1", "timer", "sleep", [100], 10) == ("badrpc", "timeout")
    r = rpc.call("bsc@host1", "erlang", "no_such_fun", [])
    assert r[0] == "badrpc" and r[1][1][0] == "undef"


def test_late_reply_is_dropped():
    assert rpc.call("bsc@host1", "timer", "sleep", [100], 10) == ("badrpc", "timeout")
    timer.sleep(500)
    assert erlang.receive(timeout=0) is TIMEOUT


def test_bad_arguments():
    with pytest.raises(ErlangError):
        rpc.call("bsc@host1", "erlang", "node", ())
    with pytest.raises(ErlangError):
        rpc.call(42, "erlang", "node", [])


def test_multicall():
    assert rpc.multicall(["bsc@host1", "client@host2", "nosuch@nohost"], "erlang", "node", []) == \
        (["bsc@host1", "client@host2"], ["nosuch@nohost"])
    assert runtime.now() == 10                                   # in parallel
    good, bad = rpc.multicall("erlang", "node", [])
    assert good == ["shell@host0", "bsc@host1", "client@host2"] and bad == []


def test_multicall_timeout_marks_bad_node():
    dist.set_link("shell@host0", "client@host2", latency=500)
    assert rpc.multicall(["bsc@host1", "client@host2"], "erlang", "node", [], 100) == \
        (["bsc@host1"], ["client@host2"])


def test_cast_and_partition():
    me = erlang.self()
    assert rpc.cast("bsc@host1", "erlang", "send", [me, "hello"]) is True
    assert erlang.receive() == "hello"
    dist.partition("bsc@host1")
    assert rpc.call("bsc@host1", "erlang", "node", []) == ("badrpc", "nodedown")   # after the tick
    assert runtime.now() >= 60_000
