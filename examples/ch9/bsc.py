"""bsc: the base station controller application; mirrors the book's ch9/bsc-1.0 (`bsc.app` + `bsc.erl`).

``bsc`` is both the application callback and the top supervisor, as in the book:

    application.start('bsc')  ->  bsc.start('normal', [])  ->  supervisor.start_link(('local', 'bsc'), bsc, [])
                                  then installs the overload handlers (freq_counters, freq_logger)
    application.stop('bsc')   ->  top supervisor shut down, then bsc.stop(state)
    init([])                  ->  rest_for_one 2/3600 over freq_overload, frequency, simple_phone_sup

``APP`` is the resource (the ``.app`` file) and ``CONFIG`` the ``bsc.config``
of the book (``application.load_config(CONFIG)`` stands in for ``erl -config bsc``).
Repo quirk kept (erlang_ref i1): freq_overload.start_link already installs
both handlers, and ``start`` adds them again, so which_handlers lists four.
"""
import sys

from otp_lite import supervisor

from ..ch2 import hlr
from ..ch7 import freq_counters, freq_logger, freq_overload, frequency
from ..ch8 import simple_phone_sup

APP = ("application", "bsc",
       [("description", "Base Station Controller"),
        ("vsn", "1.0"),
        ("modules", ["bsc", "frequency", "freq_overload", "freq_counters", "freq_logger",
                     "simple_phone_sup", "phone_fsm", "hlr"]),
        ("registered", ["bsc", "frequency", "freq_overload", "simple_phone_sup"]),
        ("applications", ["kernel", "stdlib", "sasl"]),
        ("env", [("frequencies", [10, 11, 12, 13, 14, 15])]),
        ("mod", (sys.modules[__name__], []))])

CONFIG = [("sasl", [("errlog_type", "error"), ("sasl_error_logger", "tty")]),
          ("bsc", [("frequencies", [1, 2, 3, 4, 5, 6])])]

LOG = "log"


def start(_type, _args):
    ret = supervisor.start_link(("local", "bsc"), sys.modules[__name__], [])
    if ret[0] == "ok":
        freq_overload.add(freq_counters, ())
        freq_overload.add(freq_logger, ("file", LOG))
    return ret


def stop(_state):
    return "ok"


def init(_args):
    hlr.new()
    child = lambda m, a: (m.__name__.rsplit(".", 1)[-1], (m, "start_link", a), "permanent", 2000,  # noqa: E731
                          "worker", [m.__name__.rsplit(".", 1)[-1]])
    return ("ok", (("rest_for_one", 2, 3600),
                   [child(freq_overload, [LOG]), child(frequency, []), child(simple_phone_sup, [])]))
