"""hw: the coffee machine's hardware stub (given; book ch. 6 ``hw``).

Each function prints one line: ``Display:...`` for the customer display,
``Machine:...`` for the mechanics.  The checks read these lines.
"""


def display(fmt, args=()):
    """``display("Please pay:{}", [100])`` prints ``Display:Please pay:100``."""
    print("Display:" + fmt.format(*args))


def return_change(payment):
    print(f"Machine:Returned {payment} in change")


def drop_cup():
    print("Machine:Dropped Cup.")


def prepare(type_):
    print(f"Machine:Preparing {type_}.")


def reboot():
    print("Machine:Rebooted Hardware")
