"""coffee_fsm_timeout: the gen_fsm coffee machine with a 10 s payment timeout;
mirrors the book's ch6/otp `coffee_fsm_timeout` (erlang_ref b2).

Entering or staying in ``payment`` returns ``('next_state', 'payment', data, TIMEOUT)``.
If no message at all reaches the FSM for 10 s, ``payment('timeout', data)``
refunds and goes back to ``selection``.  Any message restarts the 10 s, even
``sys.get_state`` (gen_fsm waits in ``receive ... after``); an event answered
without a timeout cancels it.  The rest is ``coffee_fsm`` (stop/0 fixed too).
"""
import sys

from otp_lite import erlang, gen_fsm

from .. import hw
from . import coffee_fsm as _base

NAME = "coffee_fsm_timeout"
TIMEOUT = 10000


def _me():
    return sys.modules[__name__]


def start_link():
    return gen_fsm.start_link(("local", NAME), _me(), [], [])


init = _base.init


def tea():        return gen_fsm.send_event(NAME, ("selection", "tea", 100))
def espresso():   return gen_fsm.send_event(NAME, ("selection", "espresso", 150))
def americano():  return gen_fsm.send_event(NAME, ("selection", "americano", 150))
def cappuccino(): return gen_fsm.send_event(NAME, ("selection", "cappuccino", 150))
def pay(coin):    return gen_fsm.send_event(NAME, ("pay", coin))
def cancel():     return gen_fsm.send_event(NAME, "cancel")
def cup_removed(): return gen_fsm.send_event(NAME, "cup_removed")
def stop():       return gen_fsm.sync_send_all_state_event(NAME, "stop")


def selection(event, data):
    if type(event) is tuple and event[0] == "selection":
        _, type_, price = event
        hw.display("Please pay:{}", [price])
        return ("next_state", "payment", (type_, price, 0), TIMEOUT)
    if type(event) is tuple and event[0] == "pay":
        hw.return_change(event[1])
    return ("next_state", "selection", data)


def payment(event, data):
    type_, price, paid = data
    if type(event) is tuple and event[0] == "pay":
        new_paid = event[1] + paid
        if new_paid >= price:
            hw.display("Preparing Drink.")
            hw.return_change(new_paid - price)
            hw.drop_cup()
            hw.prepare(type_)
            hw.display("Remove Drink.")
            return ("next_state", "remove", [])
        hw.display("Please pay:{}", [price - new_paid])
        return ("next_state", "payment", (type_, price, new_paid), TIMEOUT)
    if event in ("cancel", "timeout"):
        hw.display("Make Your Selection")
        hw.return_change(paid)
        return ("next_state", "selection", [])
    return ("next_state", "payment", data, TIMEOUT)


remove = _base.remove
handle_event = _base.handle_event
handle_sync_event = _base.handle_sync_event
terminate = _base.terminate
