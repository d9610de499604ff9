"""coffee: the plain-process coffee machine, registered as ``coffee``; the book's ch8/erlang `coffee`.

Same machine as ch. 6's plain ``coffee_fsm`` (its state functions are reused),
started with ``start_link()`` so that ``my_supervisor`` can restart it.  The
state lives only in the process: after a restart a half-paid drink is forgotten
(erlang_ref c6).
"""
from otp_lite import erlang

from ..ch6 import hw
from ..ch6.plain import coffee_fsm as _fsm

NAME = "coffee"


def start_link():
    return ("ok", erlang.spawn_link(init))


def init():
    erlang.register(NAME, erlang.self())
    hw.reboot()
    hw.display("Make Your Selection")
    state = (_fsm.selection,)
    while True:
        state = state[0](*state[1:])


def _send(msg):
    erlang.send(NAME, msg)
    return msg


def tea():         return _send(("selection", "tea", 100))
def espresso():    return _send(("selection", "espresso", 150))
def americano():   return _send(("selection", "americano", 100))
def cappuccino():  return _send(("selection", "cappuccino", 150))
def cup_removed(): return _send("cup_removed")
def pay(coin):     return _send(("pay", coin))
def cancel():      return _send("cancel")
