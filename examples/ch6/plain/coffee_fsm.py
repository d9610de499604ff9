"""coffee_fsm: the coffee machine as a plain process; mirrors the book's ch6/erlang `coffee_fsm`.

States are functions: ``selection()``, ``payment(type, price, paid)``,
``remove()``.  The client functions send raw messages to the registered
process.  Coins in ``selection`` and ``remove`` come straight back; a cancel in
``payment`` refunds what was paid; anything a state does not expect is dropped.
Prices: tea 100, espresso 150, americano 100, cappuccino 150 (as this file of the book).
"""
from otp_lite import erlang
from otp_lite.erlang import ANY

from .. import hw

NAME = "coffee_fsm"


def start_link():
    return ("ok", erlang.spawn_link(init))


def init():
    erlang.register(NAME, erlang.self())
    hw.reboot()
    hw.display("Make Your Selection")
    state = (selection,)
    while True:                       # each state returns the next (function, *args)
        state = state[0](*state[1:])


# ---------------------------------------------------------------- client API
def tea():        return _send(("selection", "tea", 100))
def espresso():   return _send(("selection", "espresso", 150))
def americano():  return _send(("selection", "americano", 100))
def cappuccino(): return _send(("selection", "cappuccino", 150))
def cup_removed(): return _send("cup_removed")
def pay(coin):    return _send(("pay", coin))
def cancel():     return _send("cancel")


def _send(msg):
    erlang.send(NAME, msg)
    return msg


# ---------------------------------------------------------------- states
def selection():
    msg = erlang.receive()
    if type(msg) is tuple and msg[0] == "selection":
        _, type_, price = msg
        hw.display("Please pay:{}", [price])
        return (payment, type_, price, 0)
    if type(msg) is tuple and msg[0] == "pay":
        hw.return_change(msg[1])
    return (selection,)                         # cancel and anything else


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
    return (payment, type_, price, paid)        # another selection: ignored


def remove():
    msg = erlang.receive()
    if msg == "cup_removed":
        hw.display("Make Your Selection")
        return (selection,)
    if type(msg) is tuple and msg[0] == "pay":
        hw.return_change(msg[1])
    return (remove,)
