"""stock vsn '1.1': also counts milk, and has a new request format (not in the book).

New: ``('level', [item, ...])`` -> ``[(item, quantity), ...]``.  Still
understood: 1.0's ``level`` -> cups, so a 1.0 node can keep asking during the
upgrade.  ``ask(node, proto)`` sends the 1.0 format (``'1.0'``) or the new
one (``'1.1'``): the new one must wait until every node runs 1.1.
"""
import sys

from otp_lite import erlang, gen_server

vsn = "1.1"


def start(cups, milk=0):
    return gen_server.start(("local", "stock"), _SELF, (cups, milk), [])


def stop():
    return gen_server.stop("stock")


def ask(node, proto="1.0"):
    if proto == "1.0":
        return gen_server.call(("stock", node), "level")
    return gen_server.call(("stock", node), ("level", ["cups", "milk"]))


def init(args):
    return ("ok", dict(zip(("cups", "milk"), args)))


def handle_call(req, _from, st):
    if req == "level":                                      # the 1.0 format, still answered
        return ("reply", st["cups"], st)
    if type(req) is tuple and req[0] == "level":
        return ("reply", [(item, st[item]) for item in req[1]], st)
    raise erlang.ErlangError("function_clause", f"stock 1.1: no clause for {req!r}")


_SELF = sys.modules[__name__]
