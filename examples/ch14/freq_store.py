"""Chapter 14: a frequency store on several nodes, with two data strategies.

One gen_server per node, registered locally as ``freq_store``::

    start(node, freqs, mode='nothing')                 share-nothing: the node owns ``freqs``
    start(node, freqs, mode='everything', peers=...,   share-everything: every node holds the
          policy='quorum' | 'available')               whole table; a write is copied to peers
    allocate(node, phone)   call ('allocate', phone)   ('ok', freq) | ('error', 'no_frequency')
                                                       | ('error', 'no_quorum')
    deallocate(node, freq)  call ('deallocate', freq)  'ok'
    table(node)             call 'table'               {'held': {freq: phone}, 'free': [...]}
    sync(nodes)             anti-entropy after a heal  ('ok', conflicts)

**share-nothing**: each node has its own frequencies; nothing is copied, so
nothing needs to agree -- and when a node dies, its frequencies and who held
them die with it.

**share-everything**: a write is applied on every reachable replica
*synchronously* (the caller gets its answer after the peers acknowledged).
Each store watches its peers with ``monitor_node``; when a partition outlives
``net_ticktime`` it sees ``nodedown`` and must choose:

- ``'quorum'`` (consistency first): write only while a majority of the nodes
  is reachable; the minority side answers ``('error', 'no_quorum')``.
- ``'available'`` (availability first): write to whoever is reachable; both
  sides keep allocating, and the same frequency can go to two phones.

``sync(nodes)`` is what an operator (or an anti-entropy job) runs after the
heal: the tables are merged, a frequency held by two phones is kept by the
first node's phone in ``nodes`` order and the other loses it (returned as a
conflict ``(freq, kept, lost)``), and the stores watch their peers again.

XX: a replication call that times out *during* a cut (before the tick) may
still arrive after the heal: the write is in doubt.  Real systems need
two-phase commit or consensus for that; the notebook only writes once the
nodes have noticed the partition.  Likewise two nodes that coordinate writes
at the same instant are not ordered (each waits for the other's ack until the
timeout): a real store routes writes through a leader or a consensus round.
"""
import sys

from otp_lite import erlang, gen_server, rpc
from otp_lite.erlang import Exit

from . import board

NAME = "freq_store"


def _me():
    return sys.modules[__name__]


# ---------------------------------------------------------------- client API
def start(node, freqs, mode="nothing", peers=(), policy="quorum"):
    """Start the store on ``node`` (through rpc) -> ``('ok', pid)``."""
    if mode not in ("nothing", "everything") or policy not in ("quorum", "available"):
        raise ValueError(f"mode is 'nothing' or 'everything', policy 'quorum' or 'available'; "
                         f"got {mode!r}, {policy!r}")
    args = {"mode": mode, "policy": policy, "freqs": list(freqs),
            "peers": [p for p in peers if p != node]}
    return rpc.call(node, gen_server, "start", [("local", NAME), _me(), args, []])


def allocate(node, phone, timeout=5000):
    return gen_server.call((NAME, node), ("allocate", phone), timeout)


def deallocate(node, freq):
    return gen_server.call((NAME, node), ("deallocate", freq))


def table(node):
    return gen_server.call((NAME, node), "table")


def sync(nodes):
    """Anti-entropy after a heal: merge the tables of ``nodes`` -> ``('ok', conflicts)``."""
    tables = [(n, table(n)) for n in nodes]
    held, conflicts = {}, []
    for _n, t in tables:
        for f, ph in sorted(t["held"].items()):
            if f not in held:
                held[f] = ph
            elif held[f] != ph and (f, held[f], ph) not in conflicts:
                conflicts.append((f, held[f], ph))
    every = sorted(set(f for _n, t in tables for f in list(t["held"]) + t["free"]))
    free = [f for f in every if f not in held]
    for n in nodes:
        gen_server.call((NAME, n), ("set_table", held, free, [m for m in nodes if m != n]))
    return ("ok", conflicts)


# ---------------------------------------------------------------- callbacks
def init(args):
    st = {"mode": args["mode"], "policy": args["policy"], "peers": args["peers"],
          "up": [], "held": {}, "free": sorted(args["freqs"])}
    _watch(st, st["peers"])
    _publish(st)
    return ("ok", st)


def handle_call(request, _from, st):
    match request:
        case ("allocate", phone):
            if not st["free"]:
                return ("reply", ("error", "no_frequency"), st)
            if not _can_write(st):
                return ("reply", ("error", "no_quorum"), st)
            f = st["free"][0]
            st = _replicate(st, ("allocate", f, phone))
            return ("reply", ("ok", f), st)
        case ("deallocate", f):
            if f in st["held"]:
                if not _can_write(st):
                    return ("reply", ("error", "no_quorum"), st)
                st = _replicate(st, ("deallocate", f))
            return ("reply", "ok", st)
        case ("replicate", op):                 # a peer's write: apply it, acknowledge
            st = _apply(st, op)
            _publish(st)
            return ("reply", "ok", st)
        case "table":
            return ("reply", {"held": dict(st["held"]), "free": list(st["free"])}, st)
        case ("set_table", held, free, peers):  # sync: the merged table, watch the peers again
            st = dict(st, held=dict(held), free=list(free), peers=peers)
            _watch(st, peers)
            _publish(st)
            return ("reply", "ok", st)
    raise erlang.ErlangError("function_clause")


def handle_cast(_msg, st):
    return ("noreply", st)


def handle_info(msg, st):
    match msg:
        case ("nodedown", node):
            st = dict(st, up=[n for n in st["up"] if n != node])
            _publish(st)
    return ("noreply", st)


def terminate(_reason, _st):
    return "ok"


# ---------------------------------------------------------------- internal
def _watch(st, peers):
    st["up"] = []
    for p in peers:
        erlang.monitor_node(p, False)      # at most one watch per peer
        erlang.monitor_node(p, True)       # connects; ('nodedown', p) at once if it cannot
        st["up"].append(p)


def _can_write(st):
    if st["mode"] == "nothing" or st["policy"] == "available":
        return True
    cluster = len(st["peers"]) + 1
    return (len(st["up"]) + 1) * 2 > cluster   # a strict majority, counting me


def _replicate(st, op):
    if st["mode"] == "everything":
        for p in list(st["up"]):
            try:
                gen_server.call((NAME, p), ("replicate", op), 1000)
            except Exit:
                pass                           # in doubt: see the module's XX note
    st = _apply(st, op)
    _publish(st)
    return st


def _apply(st, op):
    held, free = dict(st["held"]), list(st["free"])
    if op[0] == "allocate":
        _, f, phone = op
        held[f] = phone
        free = [x for x in free if x != f]
    else:
        f = op[1]
        held.pop(f, None)
        free = sorted(set(free) | {f})
    return dict(st, held=held, free=free)


def _publish(st):
    if st["mode"] == "nothing":
        role = "own freqs"
    else:
        role = f"replica, sees {len(st['up']) + 1}/{len(st['peers']) + 1}"
    board.put(role=role, held=st["held"], free=st["free"])
