"""coffee vsn 1.0: the plain coffee machine, ready for a hot patch; the book's ch12/erlang ``coffee``.

The ch. 6/8 machine plus one message, ``('upgrade', extra)``, understood in
every state: it makes the *fully qualified* call ``coffee:code_change(State,
Extra)`` -- ``code.module('coffee').code_change`` here -- which runs the newest
loaded version of this module.  Everything else is a local call and stays in
the version it is in (erlang_ref h1).

States are functions that *return* the next call; :func:`otp_lite.code.tail_loop`
makes it, so no old frame stays on the stack (Erlang's last-call optimisation).

Load it from the code path and start it the way the book's shell does::

    code.add_patha('examples/ch12/erlang')
    coffee = code.module('coffee')
    coffee.start_link()
"""
from otp_lite import code, erlang
from otp_lite.erlang import ANY

from ...ch6 import hw

vsn = 1.0
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


def code_change(state, extra):
    """Called (fully qualified) in the *new* version; 1.0's own version just carries on."""
    if type(state) is tuple and state[0] == "payment":
        return (payment,) + state[1:]
    return (state,)
