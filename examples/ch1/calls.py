"""calls: one process per phone call; an unknown number crashes that call only.

    connect(caller, number)  after 20 ms of work, sends ('connected', number, route)
                             to caller; a number missing from ROUTES raises KeyError,
                             and the process dies with it (the others carry on).

Notebook 01, "Defining the problem".  Not from the book's code: chapter 1 has none.
"""
from otp_lite import erlang, timer

ROUTES = {"555-0101": "north", "555-0102": "south", "555-0103": "north"}


def connect(caller, number):
    timer.sleep(20)                                               # 20 ms of work
    erlang.send(caller, ("connected", number, ROUTES[number]))    # an unknown number crashes here
