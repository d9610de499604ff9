"""coffee_price vsn '1.2': the price list, read from the ``coffee`` application's environment."""
from otp_lite import application

vsn = "1.2"


def price(drink):
    return dict(application.get_env("coffee", "prices", []))[drink]


def announce():
    prices = application.get_env("coffee", "prices", [])
    print("Prices:", ", ".join(f"{d} {p}" for d, p in prices))
    return "ok"
