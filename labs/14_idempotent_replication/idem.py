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
from otp_lite import erlang  # noqa: F401  (you will need them)
from otp_lite.erlang import ANY, TIMEOUT  # noqa: F401

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
    """One request to the replica: apply it once, answer a repeat from memory.

    Args:
        state: the replica's state, ``{'data': data, 'seen': {req_id: (result, time)}}``
            (``new_state(data)`` makes the first one).
        req_id: the request's id, unique per request; a retry carries the same id.
        op: the operation, for ``apply_op``, e.g. ``('incr', 1)``.
        now: the replica's clock, in ms.

    Returns:
        ``(result, new_state)``.  A new id: ``apply_op`` gives the result and the new data,
        and ``'seen'`` remembers ``(result, now)`` under the id.  An id in ``'seen'``: the
        result remembered, and the data unchanged.  Either way, ``'seen'`` keeps only
        the results younger than ``KEEP_MS`` (``now - time < KEEP_MS``).

    Example:
        >>> r, st = handle(new_state(new_data([10, 11])), 'r1', ('incr', 1), 0)
        >>> r, handle(st, 'r1', ('incr', 1), 200)[0], st['data']['counter']
        (1, 1, 1)
    """
    # TODO (student)
    pass


# ---------------------------------------------------------------- 2. the replica process
def start_replica(node, freqs):
    """Start the replica on ``node``, registered there as ``'replica'``; returns its pid."""
    # TODO (student)
    pass


# ---------------------------------------------------------------- 3. the client
def call(node, op):
    """Ask the replica on ``node`` to apply ``op``: its result, or ``('error', 'timeout')``."""
    # TODO (student)
    pass
