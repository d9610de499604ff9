"""coffee_fsm vsn '1.0': the gen_fsm coffee machine of the ``coffee`` application; book ch12/coffee-1.0.

States ``selection``, ``payment`` (data ``(type, price, paid)``), ``remove``;
``stop()`` is a synchronous event each state answers.  Repo bug kept
(erlang_ref h2): ``payment``'s stop clause refunds its whole state tuple,
printing ``Machine:Returned ('cappuccino', 150, 100) in change``.
"""
import sys

from otp_lite import gen_fsm

from ...ch6 import hw

behaviour = "gen_fsm"
vsn = "1.0"
NAME = "coffee_fsm"


def start_link():
    return gen_fsm.start_link(("local", NAME), _SELF, [], [])


def init(_):
    hw.reboot()
    hw.display("Make Your Selection")
    return ("ok", "selection", [])


# ---------------------------------------------------------------- client functions
def tea():         return gen_fsm.send_event(NAME, ("selection", "tea", 100))
def espresso():    return gen_fsm.send_event(NAME, ("selection", "espresso", 150))
def americano():   return gen_fsm.send_event(NAME, ("selection", "americano", 100))
def cappuccino():  return gen_fsm.send_event(NAME, ("selection", "cappuccino", 150))
def pay(coin):     return gen_fsm.send_event(NAME, ("pay", coin))
def cancel():      return gen_fsm.send_event(NAME, "cancel")
def cup_removed(): return gen_fsm.send_event(NAME, "cup_removed")
def stop():        return gen_fsm.sync_send_event(NAME, "stop")


# ---------------------------------------------------------------- states
# A sync event arrives as StateName(event, from_, data): *sync holds data then.
def selection(event, data, *sync):
    if sync:                                            # selection(stop, From, LoopData)
        return ("stop", "normal", "ok", sync[0])
    if type(event) is tuple and event[0] == "selection":
        hw.display("Please pay:{}", [event[2]])
        return ("next_state", "payment", (event[1], event[2], 0))
    if type(event) is tuple and event[0] == "pay":
        hw.return_change(event[1])
    return ("next_state", "selection", data)


def payment(event, data, *sync):
    if sync:
        hw.return_change(sync[0])                       # the book's bug: the whole tuple
        return ("stop", "normal", "ok", 0)
    type_, price, paid = data
    if type(event) is tuple and event[0] == "pay":
        new = event[1] + paid
        if new >= price:
            hw.display("Preparing Drink.")
            hw.return_change(new - price)
            hw.drop_cup()
            hw.prepare(type_)
            hw.display("Remove Drink.")
            return ("next_state", "remove", [])
        hw.display("Please pay:{}", [price - new])
        return ("next_state", "payment", (type_, price, new))
    if event == "cancel":
        hw.display("Make Your Selection")
        hw.return_change(paid)
        return ("next_state", "selection", [])
    return ("next_state", "payment", data)


def remove(event, data, *sync):
    if sync:
        return ("stop", "normal", "ok", sync[0])
    if event == "cup_removed":
        hw.display("Make Your Selection")
        return ("next_state", "selection", data)
    if type(event) is tuple and event[0] == "pay":
        hw.return_change(event[1])
    return ("next_state", "remove", data)


def terminate(reason, state, data):
    return "ok"


_SELF = sys.modules[__name__]
