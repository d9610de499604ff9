"""Chapter 13: node types and families, on the simulated nodes of otp_lite.dist.

Three node types, each a family of identical nodes that find each other
through ``pg`` groups in the scope ``roles``:

* a *front-end* node (group ``front_end``, also registered as ``front_end``
  on its node) takes requests from outside and hands each to a logic node,
  round-robin over the ``logic`` group; if that logic process dies before it
  answers (its node crashed), the front end tries the next member;
* a *logic* node (group ``logic``) does the work: it asks a service node;
* a *service* node (group ``service``) owns the data (here a price list).

A request is ``('request', From, Item)``; the answer is
``('reply', Item, Price, (FrontEndNode, LogicNode, ServiceNode))``.
"""
from otp_lite import erlang, pg, rpc
from otp_lite.erlang import ANY

SCOPE = "roles"
PRICES = {"apple": 3, "pear": 4, "plum": 2, "fig": 7}


def start(node, role):
    """Start a ``role`` process on ``node`` (its ``roles`` scope first) -> its pid."""
    rpc.call(node, "pg", "start", [SCOPE])          # ('error', already_started) the 2nd time: fine
    return erlang.spawn(node, ROLES[role])


def front_end():
    erlang.register("front_end", erlang.self())
    pg.join("front_end", erlang.self(), scope=SCOPE)
    n = 0
    while True:
        _, frm, item = erlang.receive(("request", ANY, ANY))
        while True:                                  # a family: any member will do
            family = sorted(pg.get_members("logic", scope=SCOPE))
            worker = family[n % len(family)]
            n += 1
            ref = erlang.monitor("process", worker)
            erlang.send(worker, ("work", erlang.self(), ref, item))
            ans = erlang.receive(("done", ref, ANY, ANY), ("DOWN", ref, ANY, ANY, ANY))
            if ans[0] == "done":
                erlang.demonitor(ref, ["flush"])
                price, path = ans[2], ans[3]
                erlang.send(frm, ("reply", item, price, (erlang.node(),) + path))
                break                                # on DOWN: the next member of the family


def logic():
    pg.join("logic", erlang.self(), scope=SCOPE)
    while True:
        _, frm, ref, item = erlang.receive(("work", ANY, ANY, ANY))
        service = pg.get_members("service", scope=SCOPE)[0]
        erlang.send(service, ("get", erlang.self(), item))
        _, price, where = erlang.receive(("value", ANY, ANY))
        erlang.send(frm, ("done", ref, price, (erlang.node(), where)))


def service():
    pg.join("service", erlang.self(), scope=SCOPE)
    while True:
        _, frm, item = erlang.receive(("get", ANY, ANY))
        erlang.send(frm, ("value", PRICES.get(item, "unknown"), erlang.node()))


ROLES = {"front_end": front_end, "logic": logic, "service": service}
