"""Chapter 14: primary/backup failover of the frequency server, and split brain.

One gen_server per node, registered locally as ``freq_node``; the primary also
holds the cluster-wide name ``frequency`` in ``global_`` (clients call
``('via', global_, 'frequency')``, as ``{via, global, frequency}`` in Erlang)::

    start_primary(node, freqs, backup)   the primary; copies every write to ``backup``
    start_backup(node, primary, freqs)   the backup: keeps the copies, watches
                                         ``primary`` with monitor_node
    allocate(phone)                      call the primary, through the global name
    allocate_on(node, phone)             the same, but from a client on ``node``
                                         (rpc): it uses *that node's* view of the name

Replication is asynchronous (a cast after each write): a write made in the
last few ms before the primary dies can be lost.  On ``('nodedown', Primary)``
the backup *takes over*: epoch + 1, and it registers ``frequency`` itself.

A partition that outlives ``net_ticktime`` looks exactly like a crash to the
backup: it takes over while the old primary still serves its own side --
split brain, two primaries handing out the same frequencies.  When the network
heals, ``global`` finds the name registered twice and calls the resolve
function given at registration (:func:`resolve`): it keeps the primary with the
higher epoch and sends the other ``('global_name_conflict', 'frequency',
Winner)``.  The loser hands its table to the winner (``merge``), which keeps
what does not collide and revokes the rest, then becomes the winner's backup.

Honesty note: :func:`resolve` reads each pid's epoch from its process
dictionary.  Real Erlang's resolver runs inside ``global`` on one node and
would have to ask the processes; here every node shares one runtime.
"""
import sys

from otp_lite import erlang, gen_server, global_, rpc
from otp_lite.kernel import state as _state

from . import board

NAME = "freq_node"
GLOBAL = "frequency"


def _me():
    return sys.modules[__name__]


# ---------------------------------------------------------------- client API
def start_primary(node, freqs, backup=None):
    args = {"role": "primary", "free": sorted(freqs), "held": {}, "backup": backup, "epoch": 1}
    return rpc.call(node, gen_server, "start", [("local", NAME), _me(), args, []])


def start_backup(node, primary, freqs):
    args = {"role": "backup", "free": sorted(freqs), "held": {}, "primary": primary, "epoch": 1}
    return rpc.call(node, gen_server, "start", [("local", NAME), _me(), args, []])


def allocate(phone, timeout=5000):
    return gen_server.call(("via", global_, GLOBAL), ("allocate", phone), timeout)


def allocate_on(node, phone):
    """A client on ``node`` allocates (through ``node``'s replica of the global table)."""
    return rpc.call(node, _me(), "allocate", [phone])


def ping(frm, to):
    """``net_adm:ping(To)`` run on ``frm``: 'pong' if ``to`` answers (it connects them)."""
    r = rpc.call(frm, rpc, "call", [to, "erlang", "node", []])
    return "pong" if r == to else "pang"


def resolve(name, pid1, pid2):
    """A ``global`` resolve function: keep the higher epoch, tell the other who won."""
    e1, e2 = _epoch(pid1), _epoch(pid2)
    keep, other = (pid1, pid2) if e1 >= e2 else (pid2, pid1)
    # delivered as global's own notify resolvers do (global_.random_notify_name)
    _state.rt.deliver(other, ("global_name_conflict", name, keep), None)
    return keep


def _epoch(pid):
    d = erlang.process_info(pid, "dictionary")
    return dict(d[1]).get("epoch", 0) if d != "undefined" else -1


# ---------------------------------------------------------------- callbacks
def init(st):
    st = dict(st, revoked=[])
    if st["role"] == "primary":
        _become_primary(st)
    else:
        erlang.monitor_node(st["primary"], True)
    _publish(st)
    return ("ok", st)


def handle_call(request, _from, st):
    match request:
        case ("allocate", phone) if st["role"] == "primary":
            if not st["free"]:
                return ("reply", ("error", "no_frequency"), st)
            f = st["free"][0]
            st = dict(st, free=st["free"][1:], held={**st["held"], f: phone})
            _replicate(st)
            return ("reply", ("ok", f), st)
        case ("merge", held):                   # a loser hands over what it held
            mine, free, revoked = dict(st["held"]), list(st["free"]), list(st["revoked"])
            for f, ph in sorted(held.items()):
                if f not in mine:
                    mine[f] = ph
                    free = [x for x in free if x != f]
                elif mine[f] != ph:
                    revoked.append((f, ph))     # two phones got f during the split
            st = dict(st, held=mine, free=free, revoked=revoked, backup=erlang.node(_from[0]))
            _replicate(st)
            return ("reply", (mine, free, st["epoch"]), st)
    raise erlang.ErlangError("function_clause")


def handle_cast(msg, st):
    match msg:
        case ("replica", held, free, epoch):
            st = dict(st, held=held, free=free, epoch=epoch)
            erlang.put("epoch", epoch)
            _publish(st)
    return ("noreply", st)


def handle_info(msg, st):
    match msg:
        case ("nodedown", node) if st["role"] == "backup" and node == st["primary"]:
            st = dict(st, role="primary", epoch=st["epoch"] + 1, backup=None, took_over=node)
            _become_primary(st)
        case ("global_name_conflict", _name, winner):
            held, free, epoch = gen_server.call(winner, ("merge", st["held"]))
            erlang.put("epoch", epoch)
            st = dict(st, role="backup", primary=erlang.node(winner), held=held, free=free,
                      epoch=epoch, revoked=[], took_over=None)
            erlang.monitor_node(st["primary"], True)
    _publish(st)
    return ("noreply", st)


def terminate(_reason, _st):
    return "ok"


# ---------------------------------------------------------------- internal
def _become_primary(st):
    erlang.put("epoch", st["epoch"])
    global_.register_name(GLOBAL, erlang.self(), resolve)


def _replicate(st):
    if st.get("backup"):
        gen_server.cast((NAME, st["backup"]), ("replica", st["held"], st["free"], st["epoch"]))
    _publish(st)


def _publish(st):
    role = f"{st['role']} e{st['epoch']}"
    note = ""
    if st.get("took_over"):
        note = f"took over from {st['took_over'].split('@')[0]}"
    if st["revoked"]:
        note = "revoked " + " ".join(f"{f}:{ph}" for f, ph in st["revoked"])
    board.put(role=role, held=st["held"], free=st["free"], note=note)
