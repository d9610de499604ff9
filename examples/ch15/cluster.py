"""Chapter 15: the service of ``service.py`` on several (simulated) nodes, behind a ``pg`` group.

``start(nodes, service_ms)`` starts one server on each node (through ``rpc``),
each joined to the group ``'service'`` of that node's ``pg`` scope.
``request()`` is one client call: it asks ``pg`` for the members it can see
and calls them in turn (round robin), with a 1 s timeout.
Scaling *out* is more nodes in the list; scaling *up* is a smaller
``service_ms`` (a faster machine).
"""
import sys

from otp_lite import erlang, gen_server, pg, rpc, timer
from otp_lite.dist import net

_next = {"n": 0}                    # the round-robin position, shared by every client


def _me():
    return sys.modules[__name__]


def start_server(service_ms):
    """Run on the server's node: a fresh pg scope there, one server, joined to 'service'."""
    if erlang.whereis("pg") == "undefined":
        pg.start("pg")
    ok, pid = gen_server.start(_me(), service_ms, [])
    pg.join("service", pid)
    return ("ok", pid)


def start(nodes, service_ms=2):
    """A server on each of ``nodes`` (started if they are not running); the pids."""
    if erlang.whereis("pg") == "undefined":
        pg.start("pg")
    for p in pg.get_members("service"):          # a fresh service: the old servers go
        erlang.exit(p, "kill")
    timer.sleep(5)                               # (the kill crosses the network)
    _next["n"] = 0
    pids = []
    for n in nodes:
        if n not in net.network().nodes:
            net.start_node(n)
        pids.append(rpc.call(n, _me(), "start_server", [service_ms])[1])
    return pids


def request(timeout=1000):
    members = pg.get_members("service")
    if not members:
        return ("error", "no_server")
    _next["n"] += 1
    return gen_server.call(members[_next["n"] % len(members)], "work", timeout)


def init(service_ms):
    return ("ok", service_ms)


def handle_call(_req, _from, service_ms):
    timer.sleep(service_ms)                 # the work: CPU time, on the virtual clock
    return ("reply", "ok", service_ms)
