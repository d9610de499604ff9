"""The ``coffee`` application, vsn "1.0": the release running in the field (given, do not edit).

``MODULES`` is its ``ebin/``, ``APP`` its ``.app`` resource file.
"""
from . import coffee_app, coffee_fsm, coffee_sup

MODULES = {"coffee_app": coffee_app, "coffee_sup": coffee_sup, "coffee_fsm": coffee_fsm}
APP = ("application", "coffee",
       [("description", "Coffee machine"), ("vsn", "1.0"),
        ("modules", list(MODULES)), ("registered", ["coffee_sup", "coffee_fsm"]),
        ("applications", ["kernel", "stdlib"]), ("mod", (coffee_app, []))])
