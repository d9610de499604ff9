"""coffee_fsm vsn '1.1': the coffee machine with a service state (lab 12, book ch. 12) -- reference.

    selection   data []                    a drink -> payment; open -> service
    payment     data (type, price, paid)   paid enough -> remove; cancel -> selection
    remove      data []                    cup_removed -> selection
    service     data []                    close -> reboot, selection; coins returned

``stop()`` in ``payment`` refunds what the customer paid (1.0 refunded its
state tuple).  ``code_change`` is what ``sys.change_code`` and the release
handler run while the machine is suspended:

* up from '1.0': a customer caught in ``payment`` gets the coins back and
  the machine goes to ``selection``; every other state is kept;
* down to '1.0' (``('down', '1.0')``, run by *this* module before 1.0 is
  loaded): ``service`` does not exist in 1.0, so reboot into ``selection``;
  ``payment`` is refunded as on the way up; other states are kept.
"""
import sys

import hw
from otp_lite import gen_fsm

vsn = "1.1"
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
def open():        return gen_fsm.send_event(NAME, "open")
def close():       return gen_fsm.send_event(NAME, "close")
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
    elif event == "open":
        hw.display("Open")
        return ("next_state", "service", data)
    return ("next_state", "selection", data)


def payment(event, *rest):
    data = rest[-1]
    type_, price, paid = data
    if len(rest) == 2:                                  # stop: give the customer's coins back
        hw.return_change(paid)
        return ("stop", "normal", "ok", data)
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


def service(event, *rest):
    data = rest[-1]
    if len(rest) == 2:                                  # stop
        return ("stop", "normal", "ok", data)
    if event == "close":
        hw.reboot()
        hw.display("Make Your Selection")
        return ("next_state", "selection", [])
    if type(event) is tuple and event[0] == "pay":
        hw.return_change(event[1])
    return ("next_state", "service", data)


def terminate(_reason, _state, _data):
    return "ok"


# ---------------------------------------------------------------- upgrade
def code_change(old_vsn, state, data, extra):
    if state == "payment" and old_vsn in ("1.0", ("down", "1.0")):
        hw.return_change(data[2])                       # refund the customer caught mid-payment
        hw.display("Make Your Selection")
        return ("ok", "selection", [])
    if state == "service" and old_vsn == ("down", "1.0"):
        hw.reboot()                                     # 1.0 has no service state
        hw.display("Make Your Selection")
        return ("ok", "selection", [])
    return ("ok", state, data)


_SELF = sys.modules[__name__]
