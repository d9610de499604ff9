"""The ``coffee`` application, vsn "1.1" (book ch12/coffee-1.1): only coffee_fsm changed.

``APPUP`` is ``ebin/coffee.appup``: how to go up from "1.0" and down to it.
"""
from ..coffee_1_0 import coffee_app, coffee_sup
from . import coffee_fsm

MODULES = {"coffee_app": coffee_app, "coffee_sup": coffee_sup, "coffee_fsm": coffee_fsm}
APP = ("application", "coffee",
       [("description", "Coffee machine"), ("vsn", "1.1"),
        ("modules", list(MODULES)), ("registered", ["coffee_sup", "coffee_fsm"]),
        ("applications", ["kernel", "stdlib"]), ("mod", (coffee_app, []))])
APPUP = ("1.1",
         [("1.0", [("update", "coffee_fsm", ("advanced", ()))])],
         [("1.0", [("update", "coffee_fsm", ("advanced", ()))])])
