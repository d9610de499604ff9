"""The ``coffee`` application, vsn "1.0" (book ch12/coffee-1.0): its ``.app`` resource and modules."""
from . import coffee_app, coffee_fsm, coffee_sup

MODULES = {"coffee_app": coffee_app, "coffee_sup": coffee_sup, "coffee_fsm": coffee_fsm}   # the ebin/
APP = ("application", "coffee",
       [("description", "Coffee machine"), ("vsn", "1.0"),
        ("modules", list(MODULES)), ("registered", ["coffee_sup", "coffee_fsm"]),
        ("applications", ["kernel", "stdlib"]), ("mod", (coffee_app, []))])
