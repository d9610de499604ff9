"""What the ch. 13 notebook's "Beside a real Erlang node" relies on, against OTP 25.

Expected values: tests/oracle_probes/ch13_nb_stop.out (a node that started
distribution at run time, as ``dist.start(..., real=True)`` does, then
``net_kernel:stop()``) and ch13_nb_hidden.out (a hidden node, as ours announces
itself).  Found while writing the notebook section (branch d-nb); three
of these were strict xfails when written (node() after stop, a second stop, a hidden node's
nodes()); ``otp_lite.dist.real`` now answers as OTP does.
"""
import pytest

from otp_lite import dist, erlang, net_adm, runtime

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def stopped(erl, erl_node):
    """Our node pinged the erl node, then left the cluster with dist.stop()."""
    from tools.erl_node import unique_name
    runtime.reset(clock="real")
    dist.start(unique_name("lab") + "@127.0.0.1", real=True, cookie=erl_node.cookie)
    assert net_adm.ping(erl_node.node) == "pong"
    assert dist.stop() == "ok"                                   # probe: net_kernel:stop(): ok
    yield erl_node
    dist.stop()


def test_after_stop_nothing_is_connected(stopped):
    assert erlang.nodes() == []                                  # probe: nodes(): []
    assert net_adm.ping(stopped.node) == "pang"                  # probe: ping when not alive: pang
    assert erlang.send(("echo", stopped.node), "m") == "m"       # probe: the send returns the message


def test_after_stop_the_node_is_nonode(stopped):
    assert erlang.node() == "nonode@nohost"                      # probe: node(): nonode@nohost


def test_stop_twice_is_not_found(stopped):
    assert dist.stop() == ("error", "not_found")                 # probe: net_kernel:stop() again


@pytest.fixture
def connected(erl, erl_node):
    """Our node (hidden, as dist.real announces it) and the erl node, after a ping."""
    from tools.erl_node import unique_name
    runtime.reset(clock="real")
    net = dist.start(unique_name("lab") + "@127.0.0.1", real=True, cookie=erl_node.cookie)
    assert net_adm.ping(erl_node.node) == "pong"
    yield net, erl_node
    dist.stop()


def test_erl_lists_our_hidden_node_in_nodes_hidden_only(connected):
    net, peer = connected
    assert peer.eval("{nodes(), nodes(hidden)}.") == f"{{[],['{net.name}']}}"   # probe: ch13_nb_hidden


def test_our_hidden_node_has_no_visible_nodes(connected):
    net, peer = connected
    assert erlang.nodes() == []                                  # probe: h: nodes(): []
