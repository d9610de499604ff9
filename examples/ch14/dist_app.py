"""Chapter 14: a distributed application, sketched -- failover and takeover.

OTP can run an application on one node of a list and move it when that node
dies (``kernel``'s ``distributed`` parameter, ``dist_ac``)::

    {distributed, [{frequency, [n1@host1, {n2@host2, n3@host3}]}]}

This sketch has one controller process per node (``dist_ac``, registered
locally) that knows the priority list ``nodes``::

    start(nodes)                     a controller on every node of ``nodes``
    start_controller(node, nodes)    one more (a node that came back)
    where()                          the node running the application (shell's view)

The application is the frequency server (registered locally *and* in
``global_`` as ``frequency``).  Its ``init`` gets OTP's start type:

- ``'normal'``: the first live node in ``nodes`` starts it;
- ``('failover', Node)``: ``Node`` died; the next live node starts a *fresh*
  server (the frequencies handed out are forgotten -- a failover moves the
  service, not its state, unless you replicate as ``failover.py`` does);
- ``('takeover', Node)``: a node of higher priority came back; it starts the
  application, which asks the one on ``Node`` for its state (``handover``),
  and that one stops.

Not modelled: OTP's ``failover`` timeout (here 0), the application master and
supervision tree (the application is one gen_server), and partitions (OTP's
``dist_ac`` has the same split-brain risk as ``failover.py``).
"""
import sys

from otp_lite import erlang, gen_server, global_
from otp_lite.erlang import ANY, TIMEOUT

from . import board

APP = "frequency"
FREQS = [10, 11, 12, 13]


def _me():
    return sys.modules[__name__]


# ---------------------------------------------------------------- API
def start(nodes):
    """A controller on every node of ``nodes`` (in priority order)."""
    return [start_controller(n, nodes) for n in nodes]


def start_controller(node, nodes):
    return erlang.spawn(node, _controller, list(nodes))


def allocate(phone):
    return gen_server.call(("via", global_, APP), ("allocate", phone))


def where():
    p = global_.whereis_name(APP)
    return erlang.node(p) if p != "undefined" else "undefined"


def history():
    """``[(t_ms, node, start_type)]``: every start of the application."""
    return list(board.events())


# ---------------------------------------------------------------- the controller
def _controller(nodes):
    me = erlang.node()
    erlang.register("dist_ac", erlang.self())
    others = [n for n in nodes if n != me]
    for n in others:
        erlang.monitor_node(n, True)
        erlang.send(("dist_ac", n), ("hello", me, erlang.self()))
    alive, runner = {me}, None
    pending = set(others)
    while pending:                        # who is there, and who runs the application?
        m = erlang.receive(("status", ANY, ANY), ("nodedown", ANY), ("hello", ANY, ANY),
                           timeout=1000)
        if m is TIMEOUT:
            break
        if m[0] == "hello":               # another controller starting at the same time
            alive.add(m[1])
            erlang.send(m[2], ("status", me, None))
            continue
        if m[0] == "status":
            alive.add(m[1])
            runner = m[2] or runner
        pending.discard(m[1])
    st = {"me": me, "nodes": nodes, "alive": alive, "runner": runner, "app": None}
    st = _decide(st, None)
    while True:
        st = _handle(erlang.receive(), st)


def _handle(msg, st):
    me = st["me"]
    match msg:
        case ("hello", n, frm):
            st["alive"].add(n)
            erlang.monitor_node(n, True)
            erlang.send(frm, ("status", me, me if st["app"] else None))
        case ("started", n, _type):
            st["runner"] = n
        case ("nodedown", n):
            st["alive"].discard(n)
            if st["runner"] == n:
                st["runner"] = None
                st = _decide(st, ("failover", n))
        case ("DOWN", _ref, "process", _pid, _why) if st["app"] is not None:
            st["app"] = None                   # handed over (takeover): we are standby now
            board.put(role="standby", held={}, free=[])
    return st


def _decide(st, why):
    """Start the application here if this node is the first live one in the list."""
    me, nodes = st["me"], st["nodes"]
    first = next(n for n in nodes if n in st["alive"])
    runner = st["runner"]
    if first != me or runner == me:
        if st["app"] is None:
            board.put(role="standby", held={}, free=[])
        return st
    if runner is not None:
        start_type = ("takeover", runner) if nodes.index(me) < nodes.index(runner) else None
    else:
        start_type = why or "normal"
    if start_type is None:
        return st
    _ok, pid = gen_server.start(("local", APP), _me(), start_type, [])
    erlang.monitor("process", pid)
    st["app"], st["runner"] = pid, me
    board.event((erlang.node(), start_type))
    for n in st["alive"] - {me}:
        erlang.send(("dist_ac", n), ("started", me, start_type))
    return st


# ---------------------------------------------------------------- the application
def init(start_type):
    held, free = {}, list(FREQS)
    if type(start_type) is tuple and start_type[0] == "takeover":
        held, free = gen_server.call((APP, start_type[1]), "handover")
    global_.register_name(APP, erlang.self())
    st = {"held": held, "free": free, "type": start_type}
    _publish(st)
    return ("ok", st)


def handle_call(request, _from, st):
    match request:
        case ("allocate", phone):
            if not st["free"]:
                return ("reply", ("error", "no_frequency"), st)
            f = st["free"][0]
            st = dict(st, free=st["free"][1:], held={**st["held"], f: phone})
            _publish(st)
            return ("reply", ("ok", f), st)
        case "handover":                         # takeover: give the state away and stop
            return ("stop", "normal", (st["held"], st["free"]), st)
    raise erlang.ErlangError("function_clause")


def handle_cast(_msg, st):
    return ("noreply", st)


def handle_info(_msg, st):
    return ("noreply", st)


def terminate(_reason, _st):
    return "ok"


def _publish(st):
    t = st["type"]
    label = t if type(t) is str else f"{t[0]} {t[1].split('@')[0]}"
    board.put(role=f"app ({label})", held=st["held"], free=st["free"])
