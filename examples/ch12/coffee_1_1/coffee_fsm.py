"""coffee_fsm vsn '1.1': adds a ``service`` state; book ch12/coffee-1.1.

``open()`` in ``selection`` enters ``service``, ``close()`` reboots back to
``selection``; coins in ``service`` are returned.  ``code_change`` (OTP's
arguments: old_vsn, state name, data, extra) is what the release handler (or
``sys.change_code`` by hand, erlang_ref h2) runs:

* up from '1.0': a customer caught in ``payment`` is refunded and the machine
  goes to ``selection`` with data ``()``; other states are kept;
* down to '1.0' (old_vsn ``('down', '1.0')``): ``service`` reboots into
  ``selection`` (1.0 has no service), ``payment`` is refunded, others kept.

Each clause first prints the call, as the book's ``io:format`` does, without
a newline.  The stop-in-payment bug of 1.0 is still here, as in the book.
"""
import sys

from otp_lite import gen_fsm

from ...ch6 import hw

behaviour = "gen_fsm"
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
# A sync event arrives as StateName(event, from_, data): *sync holds data then.
def selection(event, data, *sync):
    if sync:                                            # selection(stop, From, LoopData)
        return ("stop", "normal", "ok", sync[0])
    if type(event) is tuple and event[0] == "selection":
        hw.display("Please pay:{}", [event[2]])
        return ("next_state", "payment", (event[1], event[2], 0))
    if type(event) is tuple and event[0] == "pay":
        hw.return_change(event[1])
    elif event == "open":
        hw.display("Open")
        return ("next_state", "service", data)
    return ("next_state", "selection", data)


def service(event, data, *sync):
    if sync:
        return ("stop", "normal", "ok", sync[0])
    if event == "close":
        hw.reboot()
        hw.display("Make Your Selection")
        return ("next_state", "selection", data)
    if type(event) is tuple and event[0] == "pay":
        hw.return_change(event[1])
    return ("next_state", "service", data)


def payment(event, data, *sync):
    if sync:
        hw.return_change(sync[0])                       # the book's bug, still in 1.1
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


def code_change(old_vsn, state, data, extra):
    print(f"code_change({old_vsn!r}, {state}, {data!r}, {extra!r}).", end="")
    if old_vsn == "1.0" and state == "payment":
        hw.return_change(data[2])
        hw.display("Make Your Selection")
        return ("ok", "selection", ())
    if old_vsn == ("down", "1.0") and state == "service":
        hw.reboot()
        hw.display("Make Your Selection")
        return ("ok", "selection", data)
    if old_vsn == ("down", "1.0") and state == "payment":
        hw.return_change(data[2])
        hw.display("Make Your Selection")
        return ("ok", "selection", ())
    return ("ok", state, data)


_SELF = sys.modules[__name__]
