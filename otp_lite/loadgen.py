"""A load generator and capacity curves; book ch. 15 (capacity planning, load testing).

=====================================================  ===========================================
call                                                   does
=====================================================  ===========================================
``run(request, rate, duration, seed=0)``               open loop: ``rate`` requests/s for ``duration``
                                                       ms, each ``request()`` in its own client process
``sweep(setup, request, rates, duration)``             ``setup()`` then ``run`` at each rate
``guard(pid, max_queue)``                              kill ``pid`` when its mailbox passes ``max_queue``
=====================================================  ===========================================

Arrivals are Poisson (``arrivals='poisson'``, seeded) or evenly spaced
(``'constant'``).  The generator is *open loop*, as real users are: a slow
server does not slow the arrivals down, so a server past its capacity sees
its queue grow until clients time out.  A client's ``request()`` result is
classified: ``'ok'``; ``'rejected'`` for an ``('error', Why)`` reply (load
shed, fast); ``'timeout'`` / ``'error'`` when the call exits.

``guard`` models a memory limit: Erlang's ``process_flag(max_heap_size, ...)``
kills a process whose heap (mailbox included) outgrows the limit; here the
mailbox length is checked every ``every`` ms.

Everything runs on the runtime's clock: on the virtual clock the service time
of a server is what it sleeps (``timer.sleep``), and a run is deterministic.
Failure rule: bad rates or durations raise ``badarg``; a failing request is data.
See also: otp_lite.metrics, otp_lite.alarm_handler.
"""
from __future__ import annotations

import random

from . import erlang, timer, metrics
from .erlang import Exit, ErlangError
from .kernel import state as _state

__all__ = ["run", "sweep", "guard", "Result"]


class Result:
    """One load run: ``rate`` offered, ``throughput`` (ok/s), latency summary of ok requests."""

    def __init__(self, rate, duration, samples, start=0):
        self.rate, self.duration, self.samples, self.start = rate, duration, samples, start
        self.outcomes = {}
        for _, _, o in samples:
            self.outcomes[o] = self.outcomes.get(o, 0) + 1
        ok = [lat for _, lat, o in samples if o == "ok"]
        in_window = [1 for t0, lat, o in samples if o == "ok" and t0 + lat <= start + duration]
        self.throughput = round(len(in_window) * 1000 / duration, 1)   # ok replies within the run
        self.latency = metrics.summary(ok)

    def row(self):
        lat = self.latency
        oc = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        return (f"{self.rate:7.0f}/s offered -> {self.throughput:7.1f}/s ok   "
                f"p50 {lat['p50'] if lat['n'] else '-':>6} ms  p99 {lat['p99'] if lat['n'] else '-':>6} ms   ({oc})")

    def __repr__(self):
        return self.row()


def _classify(fun):
    rt = _state.rt
    t0 = rt.now_ms()
    try:
        r = fun()
        out = "rejected" if type(r) is tuple and r and r[0] == "error" else "ok"
    except Exit as e:
        why = e.reason[0] if type(e.reason) is tuple else e.reason
        out = "timeout" if why == "timeout" else "error"
    return t0, round(rt.now_ms() - t0, 3), out


def run(request, rate, duration, seed=0, arrivals="poisson", settle=None):
    """Offer ``rate`` requests/s for ``duration`` ms; wait for the stragglers; a :class:`Result`.

    ``settle`` (ms, default 6000: past gen_server's 5 s call timeout) is how long
    to wait after the last arrival for answers.
    """
    if type(rate) not in (int, float) or rate <= 0 or type(duration) not in (int, float) or duration <= 0:
        raise ErlangError("badarg", f"loadgen.run: rate (req/s) and duration (ms) must be > 0, got {rate!r}, {duration!r}")
    rng = random.Random(seed)
    samples = []

    def client():
        samples.append(_classify(request))

    def generator():
        t, gap = 0.0, 1000.0 / rate
        while True:
            t += rng.expovariate(1.0 / gap) if arrivals == "poisson" else gap
            if t >= duration:
                return
            timer.sleep(max(0, round(t - _elapsed())))
            erlang.spawn(client)

    start = _state.rt.now_ms()

    def _elapsed():
        return _state.rt.now_ms() - start
    _, ref = erlang.spawn_monitor(generator)
    erlang.receive(("DOWN", ref, erlang.ANY, erlang.ANY, erlang.ANY))
    timer.sleep(6000 if settle is None else settle)
    return Result(rate, duration, sorted(samples), start)


def sweep(setup, request, rates, duration, seed=0, arrivals="poisson", settle=None):
    """``setup()`` (a fresh server) then :func:`run` at each rate; a list of Results."""
    out = []
    for r in rates:
        setup()
        out.append(run(request, r, duration, seed, arrivals, settle))
    return out


def guard(pid, max_queue, every=10):
    """Kill ``pid`` when its mailbox holds more than ``max_queue`` messages (a memory limit)."""
    def loop():
        while pid.alive:
            n = erlang.process_info(pid, "message_queue_len")
            if n != "undefined" and n[1] > max_queue:
                metrics.inc("guard_kills")
                erlang.exit(pid, "kill")
                return
            timer.sleep(every)
    return erlang.spawn(loop)
