"""idem: a replica that applies each request once, over a network that loses messages (lab 14).

A client on one node asks a replica on another node to change its data.  The
network may lose the request *or the reply*; the client cannot tell which, so
it sends the request again.  That is **at-least-once** delivery.  It becomes
**exactly-once in effect** when every request carries a unique id and the
replica remembers, for a while, the result it gave for each id: a repeat is
answered from memory, not applied again.  README.md has the tasks.

    apply_op(data, op)          given: the replica's data and its operations
    new_state(data)             given: the replica's state, {'data': ..., 'seen': {}}
    handle(state, req_id, op, now)   -> (result, state): apply once, answer repeats from 'seen'
    start_replica(node, freqs)  the replica process on ``node``, registered as 'replica'
    call(node, op)              the client: unique id, retry on timeout, the same id every time
"""
from otp_lite import erlang
from otp_lite.erlang import ANY, TIMEOUT

TIMEOUT_MS = 200      # the client waits this long for a reply before it sends again
ATTEMPTS = 8          # and gives up after this many sends: ('error', 'timeout')
KEEP_MS = 5_000       # the replica remembers a result this long (longer than ATTEMPTS * TIMEOUT_MS)


# ---------------------------------------------------------------- given: the data
def new_data(freqs):
    """The replicated data: a counter and a frequency pool."""
    return {"counter": 0, "free": list(freqs), "held": {}}


def apply_op(data, op):
    """Apply one operation -> ``(result, new_data)``; ``data`` is not changed.

    ``('incr', n)`` -> the new counter; ``('allocate', phone)`` -> ``('ok', freq)`` or
    ``('error', 'no_frequency')``; ``('deallocate', freq)`` -> ``'ok'``.
    """
    data = {"counter": data["counter"], "free": list(data["free"]), "held": dict(data["held"])}
    if op[0] == "incr":
        data["counter"] += op[1]
        return data["counter"], data
    if op[0] == "allocate":
        if not data["free"]:
            return ("error", "no_frequency"), data
        f = data["free"].pop(0)
        data["held"][f] = op[1]
        return ("ok", f), data
    if op[0] == "deallocate":
        if data["held"].pop(op[1], None) is not None:
            data["free"].append(op[1])
        return "ok", data
    raise ValueError(f"unknown operation {op!r}")


def new_state(data):
    """The replica's state: its data, and the results it gave, by request id."""
    return {"data": data, "seen": {}}


# ---------------------------------------------------------------- 1. the replica's rule
def handle(state, req_id, op, now):
    """One request -> ``(result, new_state)`` (README, task 1)."""
    seen = {i: (r, t) for i, (r, t) in state["seen"].items() if now - t < KEEP_MS}
    if req_id in seen:
        return seen[req_id][0], {"data": state["data"], "seen": seen}
    result, data = apply_op(state["data"], op)
    seen[req_id] = (result, now)
    return result, {"data": data, "seen": seen}


# ---------------------------------------------------------------- 2. the replica process
def start_replica(node, freqs):
    """Start the replica on ``node``, registered there as ``'replica'``; returns its pid."""
    return erlang.spawn(node, replica_init, list(freqs))


def replica_init(freqs):
    erlang.register("replica", erlang.self())
    replica_loop(new_state(new_data(freqs)))


def replica_loop(state):
    while True:
        msg = erlang.receive()
        if msg[0] == "request":
            _, req_id, frm, op = msg
            result, state = handle(state, req_id, op, erlang.monotonic_time("millisecond"))
            erlang.send(frm, ("reply", req_id, result))
        elif msg[0] == "inspect":
            erlang.send(msg[1], ("inspect", state))


# ---------------------------------------------------------------- 3. the client
def call(node, op):
    """Ask the replica on ``node`` to apply ``op``, exactly once in effect (README, task 3)."""
    while erlang.receive(("reply", ANY, ANY), timeout=0) is not TIMEOUT:
        pass                                   # late replies to earlier calls
    req_id = erlang.make_ref()
    for _attempt in range(ATTEMPTS):
        erlang.send(("replica", node), ("request", req_id, erlang.self(), op))
        r = erlang.receive(("reply", req_id, ANY), timeout=TIMEOUT_MS)
        if r is not TIMEOUT:
            return r[2]
    return ("error", "timeout")
