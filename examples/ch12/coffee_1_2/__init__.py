"""The ``coffee`` application, vsn "1.2" (not in the book): prices come from the environment.

Made for the chapter's high-level appup instructions: ``coffee_price`` is a new
module (``add_module``), ``coffee_fsm`` now depends on it (``update`` with
DepMods), ``coffee_app`` gains ``config_change/3`` (``load_module`` with the
soft purge options), and an ``apply`` announces the prices.  Going down to 1.1
restarts the whole application (``restart_application``).
"""
from ..coffee_1_0 import coffee_sup
from . import coffee_app, coffee_fsm, coffee_price

MODULES = {"coffee_app": coffee_app, "coffee_sup": coffee_sup, "coffee_fsm": coffee_fsm,
           "coffee_price": coffee_price}
PRICES = [("tea", 100), ("espresso", 150), ("americano", 100), ("cappuccino", 150)]
APP = ("application", "coffee",
       [("description", "Coffee machine"), ("vsn", "1.2"),
        ("modules", list(MODULES)), ("registered", ["coffee_sup", "coffee_fsm"]),
        ("applications", ["kernel", "stdlib"]), ("mod", (coffee_app, [])),
        ("env", [("prices", PRICES)])])
APPUP = ("1.2",
         [("1.1", [("add_module", "coffee_price"),
                   ("update", "coffee_fsm", ("advanced", ()), ["coffee_price"]),
                   ("load_module", "coffee_app", "soft_purge", "soft_purge", []),
                   ("apply", ("coffee_price", "announce", []))])],
         [("1.1", [("restart_application", "coffee")])])
