"""coffee vsn 1.1: the hot patch; the book's ch12/erlang/patches ``coffee``.

Adds a ``service`` state (``open()`` / ``close()``), and a ``code_change``
that refunds a customer caught in ``payment`` and sends the machine back to
``selection``; any other state is a function, which it simply calls.  Two
quirks of the book kept on purpose (erlang_ref h1): ``close`` reboots the
machine but stays in ``service``; and an upgrade in ``selection``/``remove``
calls back the *1.0* function it was handed, so that process keeps running
old code until its next fully qualified call.
"""
from otp_lite import code, erlang
from otp_lite.erlang import ANY

from ....ch6 import hw

vsn = 1.1
MODULE = code.module("coffee")


def start_link():
    return ("ok", erlang.spawn_link(code.tail_loop, MODULE.init))


def init():
    erlang.register("coffee", erlang.self())
    hw.reboot()
    hw.display("Make Your Selection")
    return (selection,)


# ---------------------------------------------------------------- client functions
def _send(msg):
    erlang.send("coffee", msg)
    return msg


def tea():         return _send(("selection", "tea", 100))
def espresso():    return _send(("selection", "espresso", 150))
def americano():   return _send(("selection", "americano", 100))
def cappuccino():  return _send(("selection", "cappuccino", 150))
def cup_removed(): return _send("cup_removed")
def pay(coin):     return _send(("pay", coin))
def cancel():      return _send("cancel")
def open():        return _send("open")
def close():       return _send("close")


# ---------------------------------------------------------------- states
def selection():
    msg = erlang.receive()
    if type(msg) is tuple and msg[0] == "selection":
        hw.display("Please pay:{}", [msg[2]])
        return (payment, msg[1], msg[2], 0)
    if type(msg) is tuple and msg[0] == "pay":
        hw.return_change(msg[1])
    elif type(msg) is tuple and msg[0] == "upgrade":
        return (MODULE.code_change, selection, msg[1])        # fully qualified
    elif msg == "open":
        hw.display("Open")
        return (service,)
    return (selection,)


def payment(type_, price, paid):
    msg = erlang.receive()
    if type(msg) is tuple and msg[0] == "pay":
        coin = msg[1]
        if coin + paid >= price:
            hw.display("Preparing Drink.")
            hw.return_change(coin + paid - price)
            hw.drop_cup()
            hw.prepare(type_)
            hw.display("Remove Drink.")
            return (remove,)
        hw.display("Please pay:{}", [price - (coin + paid)])
        return (payment, type_, price, coin + paid)
    if msg == "cancel":
        hw.display("Make Your Selection")
        hw.return_change(paid)
        return (selection,)
    if type(msg) is tuple and msg[0] == "upgrade":
        return (MODULE.code_change, ("payment", type_, price, paid), msg[1])
    return (payment, type_, price, paid)


def remove():
    msg = erlang.receive()
    if msg == "cup_removed":
        hw.display("Make Your Selection")
        return (selection,)
    if type(msg) is tuple and msg[0] == "pay":
        hw.return_change(msg[1])
    elif type(msg) is tuple and msg[0] == "upgrade":
        return (MODULE.code_change, remove, msg[1])
    return (remove,)


def service():
    msg = erlang.receive()
    if msg == "close":
        hw.reboot()
        hw.display("Make Your Selection")
        return (service,)                                       # the book's bug: stays in service
    if type(msg) is tuple and msg[0] == "pay":
        hw.return_change(msg[1])
    return (service,)


def code_change(state, extra):
    """Run, fully qualified, by a 1.0 process that got ``('upgrade', extra)``."""
    if type(state) is tuple and state[0] == "payment":
        hw.return_change(state[3])
        hw.display("Make Your Selection")
        return (selection,)
    return (state,)
