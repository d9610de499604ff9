"""Chapter 15: a two-stage pipeline, to balance and to find the bottleneck in.

A request is a call to a ``front`` worker (``front_ms`` of work: parse,
check), which hands it on with a cast to a ``store`` worker (``store_ms``: the
write), which replies to the client with ``gen_server.reply``.  Each stage is a
``pg`` group of workers; a worker hands on to the next stage round robin.

Every worker keeps the figures a profile would give (``otp_lite.metrics``):
``busy.<stage>`` counts the ms it worked (a counter), ``wait.<stage>`` the ms
each request waited in its mailbox (a histogram).
"""
import sys

from otp_lite import erlang, gen_server, metrics, pg, timer
from otp_lite.kernel import state as _state

_next = {}                          # group -> round-robin position


def _me():
    return sys.modules[__name__]


def _now():
    return _state.rt.now_ms()


def _pick(group):
    members = pg.get_members(group)
    _next[group] = _next.get(group, 0) + 1
    return members[_next[group] % len(members)]


def start(front=1, store=1, front_ms=1, store_ms=3):
    """``front`` + ``store`` workers; a fresh pg scope (the old workers are killed)."""
    old = erlang.whereis("pg")
    if old != "undefined":
        for g in ("front", "store"):
            for p in pg.get_local_members(g):
                erlang.exit(p, "kill")
        timer.sleep(1)                          # (their names are free again)
    else:
        pg.start("pg")
    _next.clear()
    pids = {"front": [], "store": []}
    for stage, n, ms in (("store", store, store_ms), ("front", front, front_ms)):
        for i in range(n):
            ok, pid = gen_server.start(("local", f"{stage}_{i + 1}"), _me(), (stage, ms), [])
            pg.join(stage, pid)
            pids[stage].append(pid)
    return pids


def request(timeout=1000):
    return gen_server.call(_pick("front"), ("work", _now()), timeout)


def init(args):
    return ("ok", args)


def _work(stage, ms, t_in):
    metrics.observe(f"wait.{stage}", round(_now() - t_in, 3))
    timer.sleep(ms)                             # the work, on the virtual clock
    metrics.inc(f"busy.{stage}", ms)


def handle_call(req, frm, state):              # front: work, then hand on
    stage, ms = state
    _work(stage, ms, req[1])
    gen_server.cast(_pick("store"), ("work", frm, _now()))
    return ("noreply", state)


def handle_cast(req, state):                   # store: work, then answer the client
    stage, ms = state
    _, frm, t_in = req
    _work(stage, ms, t_in)
    gen_server.reply(frm, "ok")
    return ("noreply", state)
