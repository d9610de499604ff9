"""coffee_app: the application callback module (given; book ch12 ``coffee_app``)."""
from . import coffee_sup

vsn = "1.0"


def start(_type, _args):
    return coffee_sup.start_link()


def stop(_state):
    return "ok"
