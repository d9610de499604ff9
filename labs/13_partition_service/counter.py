"""A counter service that survives a partition (lab 13, book ch. 13).

Two processes on two nodes: the *primary* holds the cluster-wide name
``'counter'`` (``global_``) and applies ``add`` requests; the *standby* keeps a
copy and takes over when the primary is gone.  A partition longer than the
tick looks like a crash to both sides: each side ends with a primary.  When
the network heals, ``global`` finds the name twice; the two primaries agree
which of them keeps it, the other hands over what it applied and becomes the
standby again.  Every request carries an id: no id is ever applied twice.
README.md has the tasks; ``python -m otp_lite.grade labs/13_partition_service``
(or the widget in lab.ipynb) checks your work.

The start functions, the server loop and the client ``add`` are given: read
them first.  You write ``call`` (task 1) and the server's pieces (tasks 2-4):
``apply_add``, ``become_primary``, ``become_standby``, ``merge`` and ``handle``.

=============================================  ====================================
client call                                    answer
=============================================  ====================================
``call(node, mod, fun, args, timeout)``        ``('ok', value)`` | ``('error', why)``
``add(req_id, n, timeout)`` (given)            ``('ok', total)`` | ``('error', why)``
=============================================  ====================================
"""
from otp_lite import erlang, global_, rpc  # noqa: F401  (you will need rpc and global_)
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
    """Call ``mod.fun(*args)`` on ``node`` through ``rpc``, with an answer a client can match.

    Args:
        node: the node's name, e.g. ``'n1@host1'``.
        mod: a module (or its name: ``'erlang'``), fun: a function name, args: a list.
        timeout: milliseconds (or ``'infinity'``), handed to ``rpc.call``.

    Returns:
        ``('ok', Value)`` when ``mod.fun(*args)`` returned ``Value`` on ``node``;
        ``('error', Why)`` when ``rpc.call`` answered ``('badrpc', Why)``:
        ``'nodedown'``, ``'timeout'``, or ``('EXIT', Reason)`` when the call exited there.

    Example::

        >>> counter.call('n1@host1', 'erlang', 'node', [], 1000)
        ('ok', 'n1@host1')
        >>> dist.stop_node('n1@host1')
        >>> counter.call('n1@host1', 'erlang', 'node', [], 1000)
        ('error', 'nodedown')
    """
    # TODO (student): rpc.call(node, mod, fun, args, timeout), then turn its answer around.
    pass


# ---------------------------------------------------------------- task 2
def apply_add(state, req_id, n):
    # TODO (student): return (total_to_answer, new_state); a req_id already in
    # state['log'] is not applied again (answer what it answered the first time).
    pass


def become_primary(state):
    # TODO (student): register NAME globally for erlang.self(), with
    # global_.notify_all_name as resolve function; return the state as a primary.
    pass


# ---------------------------------------------------------------- task 3
def become_standby(state, primary):
    # TODO (student): monitor primary, tell it ('standby', erlang.self());
    # return the state as a standby of primary.
    pass


# ---------------------------------------------------------------- task 4
def merge(state, log):
    # TODO (student): apply the requests of log that state has not applied; return the new state.
    pass


# ---------------------------------------------------------------- the messages
def handle(msg, state):
    # TODO (student): one message, by role; return the new state.
    #   task 2: ('add', frm, ref, req_id, n) -> reply (ref, total) to frm
    #   task 3: ('standby', pid), ('replica', ...), the primary's 'DOWN'
    #   task 4: ('global_name_conflict', NAME, other), ('merge', log)
    pass
