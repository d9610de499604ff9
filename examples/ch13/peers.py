"""Chapter 13: peer to peer: every peer holds the same data, and gossips it.

No peer is special: each one answers reads and takes writes, and every
``ROUND`` ms it pushes everything it knows to the next peer of the ``peers``
group (a ring, in pid order).  A write is a key with a version; on merge the
higher version wins.  Peers converge after a few rounds (eventual
consistency), and any peer can die without taking the data with it.

Messages: ``('put', Key, Value)``; ``('get', From, Key)`` ->
``('got', Node, Key, Value | 'undefined')``; ``('gossip', Data)`` between peers.
"""
from otp_lite import erlang, pg, rpc
from otp_lite.erlang import TIMEOUT

SCOPE = "peers"
ROUND = 100                             # ms between two gossip pushes


def start(node):
    rpc.call(node, "pg", "start", [SCOPE])
    return erlang.spawn(node, peer)


def peer():
    pg.join("peers", erlang.self(), scope=SCOPE)
    data = {}                                   # key -> (version, value)
    next_round = erlang.monotonic_time("millisecond") + ROUND
    while True:
        wait = max(0, next_round - erlang.monotonic_time("millisecond"))
        m = erlang.receive(timeout=wait)
        if m is TIMEOUT:
            ring = sorted(pg.get_members("peers", scope=SCOPE))
            me = ring.index(erlang.self())
            if len(ring) > 1:
                erlang.send(ring[(me + 1) % len(ring)], ("gossip", dict(data)))
            next_round += ROUND
        elif m[0] == "put":
            _, key, value = m
            version = data.get(key, (0, None))[0] + 1
            data[key] = (version, value)
        elif m[0] == "get":
            _, frm, key = m
            erlang.send(frm, ("got", erlang.node(), key, data.get(key, (0, "undefined"))[1]))
        elif m[0] == "gossip":
            for key, (version, value) in m[1].items():
                if version > data.get(key, (0, None))[0]:
                    data[key] = (version, value)
