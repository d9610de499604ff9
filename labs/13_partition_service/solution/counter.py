"""A counter service that survives a partition (lab 13, book ch. 13).  Reference solution.

Two processes on two nodes: the *primary* holds the cluster-wide name
``'counter'`` (``global_``) and applies ``add`` requests; the *standby* keeps a
copy and takes over when the primary is gone.  A partition longer than the
tick looks like a crash to both sides: each side ends with a primary.  When
the network heals, ``global`` finds the name twice; the two primaries agree
which of them keeps it, the other hands over what it applied and becomes the
standby again.  Every request carries an id: no id is ever applied twice.

=============================================  ====================================
client call                                    answer
=============================================  ====================================
``call(node, mod, fun, args, timeout)``        ``('ok', value)`` | ``('error', why)``
``add(req_id, n, timeout)`` (given)            ``('ok', total)`` | ``('error', why)``
=============================================  ====================================
"""
from otp_lite import erlang, global_, rpc
from otp_lite.erlang import ANY, TIMEOUT

NAME = "counter"                    # the service's global name


# ---------------------------------------------------------------- given: start and the client
def start_primary(node):
    """Start the primary on ``node``; returns its pid."""
    return erlang.spawn(node, _run, "primary", None)


def start_standby(node, primary):
    """Start a standby of ``primary`` on ``node``; returns its pid."""
    return erlang.spawn(node, _run, "standby", primary)


def _run(role, primary):
    state = {"role": None, "total": 0, "log": {}}
    state = become_primary(state) if role == "primary" else become_standby(state, primary)
    loop(state)


def loop(state):
    """The server loop: one message at a time through ``handle``."""
    while True:
        state = handle(erlang.receive(), state)


def add(req_id, n, timeout=5000):
    """Ask the service (through its global name) to add ``n``; ``req_id`` names the request."""
    pid = global_.whereis_name(NAME)
    if pid == "undefined":
        return ("error", "no_service")
    ref = erlang.monitor("process", pid)
    erlang.send(pid, ("add", erlang.self(), ref, req_id, n))
    m = erlang.receive((ref, ANY), ("DOWN", ref, ANY, ANY, ANY), timeout=timeout)
    erlang.demonitor(ref, ["flush"])
    if m is TIMEOUT:
        return ("error", "timeout")
    if m[0] == "DOWN":
        return ("error", m[4])
    return ("ok", m[1])


# ---------------------------------------------------------------- task 1
def call(node, mod, fun, args, timeout):
    """``rpc.call`` with an answer a client can match: ``('ok', V)`` or ``('error', Why)``."""
    res = rpc.call(node, mod, fun, args, timeout)
    if type(res) is tuple and len(res) == 2 and res[0] == "badrpc":
        return ("error", res[1])
    return ("ok", res)


# ---------------------------------------------------------------- task 2
def apply_add(state, req_id, n):
    """Apply request ``req_id`` (add ``n``) once: ``(total_to_answer, new_state)``."""
    if req_id in state["log"]:
        return state["log"][req_id][1], state
    total = state["total"] + n
    return total, {**state, "total": total, "log": {**state["log"], req_id: (n, total)}}


def become_primary(state):
    """Hold the global name (conflicts settled by ``notify_all_name``); role primary."""
    global_.register_name(NAME, erlang.self(), global_.notify_all_name)
    return {**state, "role": "primary", "standby": None}


def _replicate(state):
    if state["standby"] is not None:
        erlang.send(state["standby"], ("replica", state["total"], state["log"]))


# ---------------------------------------------------------------- task 3
def become_standby(state, primary):
    """Watch ``primary`` and tell it we are its standby; role standby."""
    ref = erlang.monitor("process", primary)
    erlang.send(primary, ("standby", erlang.self()))
    return {**state, "role": "standby", "primary": primary, "ref": ref}


# ---------------------------------------------------------------- task 4
def merge(state, log):
    """Apply the entries of another replica's ``log`` that ``state`` has not applied."""
    for req_id, (n, _total) in log.items():
        _, state = apply_add(state, req_id, n)
    return state


# ---------------------------------------------------------------- the messages
def handle(msg, state):
    """One message; returns the new state."""
    match msg:
        case ("add", frm, ref, req_id, n) if state["role"] == "primary":
            total, state = apply_add(state, req_id, n)
            _replicate(state)
            erlang.send(frm, (ref, total))
        case ("standby", pid) if state["role"] == "primary":
            state = {**state, "standby": pid}
            _replicate(state)
        case ("replica", total, log) if state["role"] == "standby":
            state = {**state, "total": total, "log": log}
        case ("DOWN", ref, "process", _, _) if state["role"] == "standby" and ref == state["ref"]:
            state = become_primary(state)
        case ("global_name_conflict", name, other) if name == NAME and state["role"] == "primary":
            if erlang.node() < erlang.node(other):          # as global's own resolvers choose
                state = become_primary(state)
            else:
                erlang.send(other, ("merge", state["log"]))
                state = become_standby(state, other)
        case ("merge", log) if state["role"] == "primary":
            state = merge(state, log)
            _replicate(state)
    return state
