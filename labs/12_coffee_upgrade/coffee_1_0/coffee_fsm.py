"""coffee_fsm vsn '1.0': the coffee machine running in the field (given, do not edit).

A ``gen_fsm`` with three states (book ch. 6 and ch12/coffee-1.0):

    selection   data []                    a drink selected -> payment
    payment     data (type, price, paid)   paid enough -> remove; cancel -> selection
    remove      data []                    cup_removed -> selection

Coins put in while not in ``payment`` are returned.  ``stop()`` is a
synchronous event every state answers with ``'ok'`` before stopping
(reason ``'normal'``).  Known bug (erlang_ref h2): ``stop()`` in ``payment``
"refunds" its whole state tuple, printing
``Machine:Returned ('cappuccino', 150, 100) in change``.
"""
import sys

import hw
from otp_lite import gen_fsm

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
# One function per state: rest is (data,) for send_event, (from_, data) for sync_send_event.
def selection(event, *rest):
    data = rest[-1]
    if len(rest) == 2:                                  # stop
        return ("stop", "normal", "ok", data)
    if type(event) is tuple and event[0] == "selection":
        _, type_, price = event
        hw.display("Please pay:{}", [price])
        return ("next_state", "payment", (type_, price, 0))
    if type(event) is tuple and event[0] == "pay":
        hw.return_change(event[1])
    return ("next_state", "selection", data)


def payment(event, *rest):
    data = rest[-1]
    if len(rest) == 2:                                  # stop
        hw.return_change(data)                          # the bug: the whole tuple
        return ("stop", "normal", "ok", data)
    type_, price, paid = data
    if type(event) is tuple and event[0] == "pay":
        new = paid + event[1]
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


def remove(event, *rest):
    data = rest[-1]
    if len(rest) == 2:                                  # stop
        return ("stop", "normal", "ok", data)
    if event == "cup_removed":
        hw.display("Make Your Selection")
        return ("next_state", "selection", data)
    if type(event) is tuple and event[0] == "pay":
        hw.return_change(event[1])
    return ("next_state", "remove", data)


def terminate(_reason, _state, _data):
    return "ok"


_SELF = sys.modules[__name__]
