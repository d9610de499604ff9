"""Chapter 14: a client that acts later, on a node of its own side of a partition.

During a partition the shell can only reach its own side.  A phone started
*before* the cut on a node of the other side acts there at a given time, and
keeps its answer until somebody asks (after the heal)::

    p = phone.at('n1@host1', 61_100, freq_store.allocate, 'n1@host1', 'bob')
    ...
    phone.result(p)      # -> what the call returned, e.g. ('ok', 12)
"""
from otp_lite import erlang, runtime, timer
from otp_lite.erlang import ANY, Exit


def at(node, t_ms, fun, *args):
    """Spawn on ``node`` a client that runs ``fun(*args)`` at virtual time ``t_ms``."""
    return erlang.spawn(node, _client, t_ms, fun, args)


def _client(t_ms, fun, args):
    timer.sleep(max(0, round(t_ms - runtime.now())))
    try:
        r = fun(*args)
    except Exit as e:
        r = ("EXIT", e.reason)
    while True:
        frm = erlang.receive(("result?", ANY))[1]
        erlang.send(frm, ("result", r))


def result(pid, timeout=5000):
    """Ask the client for its answer (``'timeout'`` if it cannot be reached)."""
    erlang.send(pid, ("result?", erlang.self()))
    m = erlang.receive(("result", ANY), timeout=timeout)
    return "timeout" if m is erlang.TIMEOUT else m[1]
