"""Helpers test modules import (kept out of conftest.py: a second conftest.py,
e.g. tests/browser/conftest.py, would shadow ``from conftest import ...``)."""
from otp_lite import erlang


def assert_empty_mailbox():
    """OTP SUITE style: a test ends with nothing unexpected left in the shell's mailbox."""
    msgs = list(erlang.self().mbox)
    assert msgs == [], f"unexpected messages left in the shell mailbox: {msgs!r}"
