"""bsc_sup: the base station controller's top supervisor; mirrors the book's ch8/otp `bsc_sup` (c6).

    start_link()  rest_for_one, intensity 2, period 3600 over
                  freq_overload, frequency, simple_phone_sup (declared a *worker*, as in the book)
    init([])      also creates the HLR tables, owned by the supervisor process

Because simple_phone_sup is declared a worker, its shutdown is 2000 ms and
tools count it among the workers; the book's choice, kept here.
"""
import sys

from otp_lite import supervisor

from ..ch2 import hlr
from ..ch7 import freq_overload, frequency
from . import simple_phone_sup


def start_link(log=None):
    return supervisor.start_link(("local", "bsc_sup"), sys.modules[__name__], log)


def init(log):
    hlr.new()
    child = lambda m, a: (m.__name__.rsplit(".", 1)[-1], (m, "start_link", a), "permanent", 2000,  # noqa: E731
                          "worker", [m.__name__.rsplit(".", 1)[-1]])
    return ("ok", (("rest_for_one", 2, 3600),
                   [child(freq_overload, [log]), child(frequency, []), child(simple_phone_sup, [])]))
