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
