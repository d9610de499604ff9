"""hw: the coffee machine's hardware stub; mirrors the book's ch6 `hw` (erlang_ref b1).

Each function prints one line, as the book's stub does with io:format:
``Display:...`` for the customer display, ``Machine:...`` for the mechanics.
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
