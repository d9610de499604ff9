"""coffee_fsm: the coffee machine on gen_fsm; mirrors the book's ch6/otp `coffee_fsm` (erlang_ref b1).

    client API            gen_fsm                                  callback
    start_link()          gen_fsm.start_link(('local', NAME) ...)  init([])  -> ('ok', 'selection', [])
    tea() ... pay(coin)   gen_fsm.send_event(NAME, ev)             selection/payment/remove(ev, data)
    stop()                gen_fsm.sync_send_all_state_event        handle_sync_event('stop', ...)
                                                                   terminate(reason, state, data)

Book bug, fixed here: the book's ``stop/0`` sends a *sync* all-state event but
the module only defines ``handle_event/3``, so the FSM crashes with ``undef``
(still refunding in ``terminate/3``) and takes the linked caller with it
(b1, 24>).  This port adds ``handle_sync_event/4``; ``BOOK_STOP_BUG`` in the
tests rebuilds the book's version.  gen_fsm is deprecated in OTP in favour of
gen_statem: see ``coffee_statem``.
"""
import sys

from otp_lite import erlang, gen_fsm

from .. import hw

NAME = "coffee_fsm"


def _me():
    return sys.modules[__name__]


def start_link():
    return gen_fsm.start_link(("local", NAME), _me(), [], [])


def init(_args):
    hw.reboot()
    hw.display("Make Your Selection")
    erlang.process_flag("trap_exit", True)
    return ("ok", "selection", [])


# ---------------------------------------------------------------- client API
def tea():        return gen_fsm.send_event(NAME, ("selection", "tea", 100))
def espresso():   return gen_fsm.send_event(NAME, ("selection", "espresso", 150))
def americano():  return gen_fsm.send_event(NAME, ("selection", "americano", 150))
def cappuccino(): return gen_fsm.send_event(NAME, ("selection", "cappuccino", 150))
def pay(coin):    return gen_fsm.send_event(NAME, ("pay", coin))
def cancel():     return gen_fsm.send_event(NAME, "cancel")
def cup_removed(): return gen_fsm.send_event(NAME, "cup_removed")


def stop():
    return gen_fsm.sync_send_all_state_event(NAME, "stop")


# ---------------------------------------------------------------- states
def selection(event, data):
    if type(event) is tuple and event[0] == "selection":
        _, type_, price = event
        hw.display("Please pay:{}", [price])
        return ("next_state", "payment", (type_, price, 0))
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
        return ("next_state", "payment", (type_, price, new_paid))
    if event == "cancel":
        hw.display("Make Your Selection")
        hw.return_change(paid)
        return ("next_state", "selection", [])
    return ("next_state", "payment", data)


def remove(event, data):
    if event == "cup_removed":
        hw.display("Make Your Selection")
        return ("next_state", "selection", data)
    if type(event) is tuple and event[0] == "pay":
        hw.return_change(event[1])
    return ("next_state", "remove", data)


# ---------------------------------------------------------------- all-state events
def handle_event(event, state, data):
    # event == 'stop'
    return ("stop", "normal", data)


def handle_sync_event(event, from_, state, data):
    # the fix: stop/0 is synchronous, so it needs this callback
    return ("stop", "normal", "ok", data)


def terminate(reason, state, data):
    if state == "payment":
        hw.return_change(data[2])
    return "ok"
