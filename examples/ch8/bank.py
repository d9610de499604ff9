"""bank: two accounts in a gen_server under a supervisor (not in the book; notebook 08's
"How does this compare?").

    start_link()                      the server, registered as 'bank'
    transfer(src, dst, amount, audit) take from src, call audit(src, dst, amount), give to dst
    balances()                        {account: balance}

``audit`` stands for any step between the two halves of an update that can
fail (a log write, a remote call).  If it raises, the server dies in the
middle of the update: the half-updated balances die with it, the caller's
call exits, and the supervisor starts the server again from ``init``.

``python_transfer`` is the same update on a shared dict, for the contrast
with try/except.
"""
import sys

from otp_lite import gen_server, supervisor

OPENING = {"alice": 100, "bob": 0}


def start_link():
    return gen_server.start_link(("local", "bank"), sys.modules[__name__], None, [])


def transfer(src, dst, amount, audit):
    return gen_server.call("bank", ("transfer", src, dst, amount, audit))


def balances():
    return gen_server.call("bank", "balances")


def init(_):
    return ("ok", dict(OPENING))


def handle_call(req, _from, accounts):
    if req == "balances":
        return ("reply", dict(accounts), accounts)
    _, src, dst, amount, audit = req
    accounts[src] -= amount
    audit(src, dst, amount)
    accounts[dst] += amount
    return ("reply", "ok", accounts)


def python_transfer(accounts, src, dst, amount, audit):
    accounts[src] -= amount
    audit(src, dst, amount)
    accounts[dst] += amount


class bank_sup:
    """one_for_one over the bank server."""
    @staticmethod
    def start_link():
        return supervisor.start_link(("local", "bank_sup"), bank_sup, [])

    @staticmethod
    def init(_):
        return ("ok", ({"strategy": "one_for_one", "intensity": 3, "period": 60},
                       [{"id": "bank", "start": (sys.modules[__name__], "start_link", [])}]))


def broken_audit(src, dst, amount):
    """An audit step that fails: the audit log is full."""
    raise OSError("audit log full")
