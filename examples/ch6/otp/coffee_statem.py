"""coffee_statem: the coffee machine on gen_statem (state_functions); erlang_ref b4.

The ch6 machine as OTP would write it today.  The payment state arms a
10 s timeout: a ``state_timeout`` (survives unrelated events while the state
stays ``payment``) or, with ``start_link('event')``, an event ``timeout``
(cancelled by any event at all, even an ignored ``poke``).  Neither is touched
by ``sys.get_state`` (unlike gen_fsm, b2).  ``stop()`` is a call answered in
every state with ``stop_and_reply``; ``terminate`` refunds a payment in progress.

    selection --('selection', type, price)--> payment
    payment   --('pay', coin) enough--------> remove
    payment   --cancel | timeout-----------> selection
    remove    --cup_removed----------------> selection
"""
import sys

from otp_lite import erlang, gen_statem

from .. import hw

NAME = "coffee_statem"
TIMEOUT = 10000
STATES = ["selection", "payment", "remove"]
TRANSITIONS = [("selection", "payment", "selection"), ("payment", "payment", "pay"),
               ("payment", "remove", "pay"), ("payment", "selection", "cancel"),
               ("payment", "selection", "state_timeout"), ("remove", "selection", "cup_removed")]


def _me():
    return sys.modules[__name__]


def start_link(tmode="state"):
    return gen_statem.start_link(("local", NAME), _me(), tmode, [])


def stop():        return gen_statem.call(NAME, "stop")
def tea():         return gen_statem.cast(NAME, ("selection", "tea", 100))
def espresso():    return gen_statem.cast(NAME, ("selection", "espresso", 150))
def americano():   return gen_statem.cast(NAME, ("selection", "americano", 150))
def cappuccino():  return gen_statem.cast(NAME, ("selection", "cappuccino", 150))
def pay(coin):     return gen_statem.cast(NAME, ("pay", coin))
def cancel():      return gen_statem.cast(NAME, "cancel")
def cup_removed(): return gen_statem.cast(NAME, "cup_removed")
def poke():        return gen_statem.cast(NAME, "poke")      # an event every state ignores


def callback_mode():
    return "state_functions"


def init(tmode):
    erlang.process_flag("trap_exit", True)
    hw.reboot()
    hw.display("Make Your Selection")
    return ("ok", "selection", {"tmode": tmode})


def _tmo(data):
    kind = "state_timeout" if data["tmode"] == "state" else "timeout"
    return (kind, TIMEOUT, "refund")


def selection(etype, event, data):
    if etype == "cast" and type(event) is tuple and event[0] == "selection":
        _, type_, price = event
        hw.display("Please pay:{}", [price])
        return ("next_state", "payment", dict(data, type=type_, price=price, paid=0), [_tmo(data)])
    if etype == "cast" and type(event) is tuple and event[0] == "pay":
        hw.return_change(event[1])
        return "keep_state_and_data"
    return _common(etype, event, "selection", data)


def payment(etype, event, data):
    if etype == "cast" and type(event) is tuple and event[0] == "pay":
        paid = event[1] + data["paid"]
        if paid >= data["price"]:
            hw.display("Preparing Drink.")
            hw.return_change(paid - data["price"])
            hw.drop_cup()
            hw.prepare(data["type"])
            hw.display("Remove Drink.")
            return ("next_state", "remove", {"tmode": data["tmode"]})
        hw.display("Please pay:{}", [data["price"] - paid])
        return ("keep_state", dict(data, paid=paid), [_tmo(data)])
    if (etype == "cast" and event == "cancel") or (etype in ("state_timeout", "timeout") and event == "refund"):
        if etype != "cast":
            print(f"{etype} fired in payment")
        hw.display("Make Your Selection")
        hw.return_change(data["paid"])
        return ("next_state", "selection", {"tmode": data["tmode"]})
    return _common(etype, event, "payment", data)


def remove(etype, event, data):
    if etype == "cast" and event == "cup_removed":
        hw.display("Make Your Selection")
        return ("next_state", "selection", data)
    if etype == "cast" and type(event) is tuple and event[0] == "pay":
        hw.return_change(event[1])
        return "keep_state_and_data"
    return _common(etype, event, "remove", data)


def _common(etype, event, state, data):
    if type(etype) is tuple and etype[0] == "call" and event == "stop":
        return ("stop_and_reply", "normal", [("reply", etype[1], "ok")])
    if etype == "info":
        print(f"unexpected message {event!r} in state {state}")
    return "keep_state_and_data"


def terminate(reason, state, data):
    if state == "payment":
        hw.return_change(data["paid"])
    return "ok"
