"""Shared fixtures: every test gets a fresh virtual-clock runtime (seed 0).

The test function itself is the shell process: it can ``receive``, and a
blocking call runs the scheduler until it returns.  A test that leaves
messages in the shell's mailbox is usually asserting too little: use
``assert_empty_mailbox()`` at the end (OTP SUITE style).
"""
import pytest

from otp_lite import runtime, erlang

# Fixture labs that tests/test_grader.py grades in subprocesses; never collected here.
collect_ignore = ["grader_fixtures"]


@pytest.fixture(autouse=True)
def rt():
    r = runtime.reset(clock="virtual", seed=0)
    yield r
    r.close()
    from otp_lite.kernel import state, live
    cur = state.rt
    if cur is not None and cur is not r:      # the test reset to a runtime of its own
        live.stop(cur)
        cur.close()


from otp_testkit import assert_empty_mailbox  # noqa: E402,F401  (old import path)


# ---- a real Erlang node (issue 24): tools/erl_node.py, skipped with the reason when erl is missing
import sys as _sys  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

_ROOT = str(_Path(__file__).resolve().parents[1])
if _ROOT not in _sys.path:          # tools/ is importable from the repository root, as in notebooks
    _sys.path.append(_ROOT)


@pytest.fixture(scope="session")
def erl():
    """Skip unless ``erl`` and ``epmd`` run here (the reason says how to install Erlang)."""
    from tools.erl_node import erl_available
    ok = erl_available()
    if not ok:
        pytest.skip(ok.reason)
    return ok


@pytest.fixture(scope="module")
def erl_node(erl):
    """One real ``erl`` node on 127.0.0.1 per test module, random name and cookie; always stopped."""
    from tools.erl_node import ErlNode, unique_name
    node = ErlNode(unique_name("peer"))
    yield node
    node.stop()


@pytest.fixture
def make_erl_node(erl):
    """Factory: ``make_erl_node(cookie=..., extra_args=[...])`` -> a started ErlNode, stopped after the test."""
    from tools.erl_node import ErlNode, unique_name
    nodes = []

    def make(prefix="peer", **kw):
        node = ErlNode(unique_name(prefix), **kw)
        nodes.append(node)
        return node
    yield make
    for node in nodes:
        node.stop()
