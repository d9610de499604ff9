"""Chapter 16: the frequency server, instrumented, with a load-shedding switch at the edge.

    start(n=100, service_ms=2)   gen_server 'frequency' with frequencies 1..n; every
                                 request costs ``service_ms`` of (virtual) work
    allocate()                   ('ok', F) | ('error', 'no_frequency') | ('error', 'overload')
    deallocate(F)                cast
    phone_call(hold_ms=100)      one phone call: allocate, talk ``hold_ms``, deallocate
    shed(True | False)           the switch: while on, allocate() refuses at once

Metrics (``otp_lite.metrics``): counters ``calls``, ``denials`` (no frequency
left), ``shed`` (refused by the switch); gauge ``free_frequencies``; histogram
``latency_ms`` (client-side time of each allocate that reached the server).

The switch lives in a public ETS table, read by the *client* function before
it sends anything: shedding must not wait behind the queue it is meant to
shorten (a message to the server would).  This is load regulation at the
edge, as the ``jobs`` and ``safetyvalve`` libraries do it.
"""
import sys

from otp_lite import erlang, ets, gen_server, metrics, timer
from otp_lite.kernel import state as _state

NAME = "frequency"
FLAGS = "freq_flags"


def _me():
    return sys.modules[__name__]


# ---------------------------------------------------------------- client API
def start(n=100, service_ms=2):
    _flags()
    return gen_server.start(("local", NAME), _me(), (n, service_ms), [])


def _flags():
    """The switch table, owned by a process of its own so that it outlives the server."""
    def owner():
        ets.new(FLAGS, ["named_table", "public", "set"])
        ets.insert(FLAGS, ("shed", False))
        erlang.receive()
    if erlang.whereis("freq_flags_owner") == "undefined":
        erlang.register("freq_flags_owner", erlang.spawn(owner))
        timer.sleep(0)


def shed(on):
    ets.insert(FLAGS, ("shed", bool(on)))
    return "ok"


def shedding():
    r = ets.lookup(FLAGS, "shed")
    return bool(r and r[0][1])


def allocate(timeout=5000):
    if shedding():
        metrics.inc("shed")
        return ("error", "overload")
    t0 = _state.rt.now_ms()
    r = gen_server.call(NAME, ("allocate", erlang.self()), timeout)
    metrics.observe("latency_ms", round(_state.rt.now_ms() - t0, 3))
    return r


def deallocate(freq):
    return gen_server.cast(NAME, ("deallocate", freq))


def phone_call(hold_ms=100):
    r = allocate()
    if r[0] == "ok":
        timer.sleep(hold_ms)
        deallocate(r[1])
    return r


# ---------------------------------------------------------------- callbacks
def init(args):
    n, service_ms = args
    free = list(range(1, n + 1))
    metrics.gauge("free_frequencies", len(free))
    return ("ok", {"free": free, "allocated": {}, "cost": service_ms})


def handle_call(request, _from, st):
    match request:
        case ("allocate", pid):
            timer.sleep(st["cost"])                 # the work
            metrics.inc("calls")
            if not st["free"]:
                metrics.inc("denials")
                return ("reply", ("error", "no_frequency"), st)
            f, free = st["free"][0], st["free"][1:]
            metrics.gauge("free_frequencies", len(free))
            return ("reply", ("ok", f), dict(st, free=free, allocated={**st["allocated"], f: pid}))
    raise erlang.ErlangError("function_clause")


def handle_cast(msg, st):
    match msg:
        case ("deallocate", f) if f in st["allocated"]:
            allocated = dict(st["allocated"])
            del allocated[f]
            free = st["free"] + [f]
            metrics.gauge("free_frequencies", len(free))
            return ("noreply", dict(st, free=free, allocated=allocated))
    return ("noreply", st)


def handle_info(_msg, st):
    return ("noreply", st)


def terminate(_reason, _st):
    return "ok"
