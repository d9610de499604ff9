"""stock vsn '1.0': one per node, the cups left in that node's coffee machine (not in the book).

``ask(node)`` (run on one node) asks the ``stock`` server of another node:
``gen_server:call({stock, Node}, level)`` -> the number of cups.  A request it
does not know is a ``function_clause``: the server crashes, as Erlang's would.
"""
import sys

from otp_lite import erlang, gen_server

vsn = "1.0"


def start(cups):
    return gen_server.start(("local", "stock"), _SELF, cups, [])


def stop():
    return gen_server.stop("stock")


def ask(node):
    return gen_server.call(("stock", node), "level")


def init(cups):
    return ("ok", cups)


def handle_call(req, _from, cups):
    if req == "level":
        return ("reply", cups, cups)
    raise erlang.ErlangError("function_clause", f"stock 1.0: no clause for {req!r}")


_SELF = sys.modules[__name__]
