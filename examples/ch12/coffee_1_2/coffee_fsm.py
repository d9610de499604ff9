"""coffee_fsm vsn '1.2': 1.1's machine, with the prices asked from ``coffee_price``.

Only the client functions change (a fully qualified call to ``coffee_price``,
which must be loaded first: the appup's DepMods); the states are 1.1's.
"""
from otp_lite import code, gen_fsm
from ..coffee_1_1.coffee_fsm import (NAME, init, start_link, pay, cancel, cup_removed, open, close,  # noqa: F401
                                     stop, selection, service, payment, remove, terminate)

vsn = "1.2"
_price = code.module("coffee_price")


def tea():         return gen_fsm.send_event(NAME, ("selection", "tea", _price.price("tea")))
def espresso():    return gen_fsm.send_event(NAME, ("selection", "espresso", _price.price("espresso")))
def americano():   return gen_fsm.send_event(NAME, ("selection", "americano", _price.price("americano")))
def cappuccino():  return gen_fsm.send_event(NAME, ("selection", "cappuccino", _price.price("cappuccino")))


def code_change(old_vsn, state, data, extra):
    print(f"code_change({old_vsn!r}, {state}, {data!r}, {extra!r}).", end="")
    return ("ok", state, data)
