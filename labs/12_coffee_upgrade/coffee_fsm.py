"""coffee_fsm: the coffee machine, version 1.1 (lab 12, book ch. 12).

This file starts as a copy of version 1.0 (``coffee_1_0/coffee_fsm.py``, the
code running in the field).  Turn it into 1.1; README.md has the tasks:

    selection   data []                    a drink -> payment; open -> service   (TODO)
    payment     data (type, price, paid)   paid enough -> remove; cancel -> selection
    remove      data []                    cup_removed -> selection
    service     data []                    close -> reboot, selection; coins returned   (TODO)

plus ``stop()`` in payment refunding the coins paid, and ``code_change`` for
the upgrade from 1.0 and the downgrade back to it.
"""
import sys

import hw
from otp_lite import gen_fsm

vsn = "1.0"          # TODO (student): this file is version 1.1
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


def open():
    # TODO (student): the event 'open'
    pass


def close():
    # TODO (student): the event 'close'
    pass


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
    # TODO (student): 'open' displays "Open" and enters service
    return ("next_state", "selection", data)


def payment(event, *rest):
    data = rest[-1]
    if len(rest) == 2:                                  # stop
        hw.return_change(data)                          # TODO (student): the bug: refund what was paid
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


def service(event, *rest):
    # TODO (student): close reboots (hw.reboot(), "Make Your Selection") into selection;
    # coins are returned; stop replies 'ok' and stops; anything else is ignored.
    pass


def terminate(_reason, _state, _data):
    return "ok"


# ---------------------------------------------------------------- upgrade
def code_change(old_vsn, state, data, extra):
    """Convert the running machine's state when its code changes (the machine is suspended).

    Args:
        old_vsn: ``'1.0'`` on the way up (this module was just loaded over 1.0);
            ``('down', '1.0')`` on the way down (this module still runs, 1.0
            is loaded right after).
        state: the state name, e.g. ``'payment'``.
        data: the state data, e.g. ``('tea', 100, 50)``.
        extra: the ``extra`` of the appup's ``('advanced', extra)``.

    Returns:
        ``('ok', new_state, new_data)``.

    Example::

        >>> coffee_fsm.code_change('1.0', 'remove', [], ())
        ('ok', 'remove', [])
    """
    # TODO (student)
    pass


_SELF = sys.modules[__name__]
