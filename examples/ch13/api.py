"""Chapter 13: an interface is a message protocol, and it has versions.

Version 1 of the price protocol::

    ('price', From, Item)                    -> ('price', Item, Price)          (in EUR)

Version 2 adds a currency, and says its version in the request and the reply::

    ('price', 2, From, Item, Currency)       -> ('price', 2, Item, Price, Currency)

``server_v2`` is the upgraded server: it still answers version 1 (old
clients keep working during a rolling upgrade), answers version 2, and
refuses a version it does not know with ``('error', ('unsupported_version', V))``.
"""
from otp_lite import erlang
from otp_lite.erlang import ANY

from .roles import PRICES

RATES = {"EUR": 1.0, "SEK": 11.5}


def server_v2():
    erlang.register("price_api", erlang.self())
    while True:
        m = erlang.receive()
        if type(m) is not tuple or m[0] != "price":
            continue                                            # not this protocol: dropped
        if len(m) == 3:                                         # version 1
            _, frm, item = m
            erlang.send(frm, ("price", item, PRICES[item]))
        elif m[1] == 2:                                         # version 2
            _, _, frm, item, cur = m
            erlang.send(frm, ("price", 2, item, round(PRICES[item] * RATES[cur], 2), cur))
        else:                                                   # a version from the future
            erlang.send(m[2], ("error", ("unsupported_version", m[1])))


def client_v1(server, item):
    erlang.send(server, ("price", erlang.self(), item))
    return erlang.receive(("price", item, ANY), ("error", ANY))


def client_v2(server, item, cur):
    erlang.send(server, ("price", 2, erlang.self(), item, cur))
    return erlang.receive(("price", 2, item, ANY, ANY), ("error", ANY))
