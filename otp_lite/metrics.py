"""Metrics: counters, gauges and histograms (in the spirit of exometer / folsom); book ch. 16.

=====================================  ==========================================
call                                   what it keeps
=====================================  ==========================================
``inc(name, n=1)``                     a counter (only goes up)
``gauge(name, value)``                 a gauge (the last value set)
``observe(name, value)``               a histogram: every sample (count, mean, percentiles)
``get(name)``                          the counter/gauge value, or the histogram summary
``snapshot()``                         ``{name: value or summary}``, sorted by name
``series(name)``                       ``[(t_ms, value)]`` of a gauge or counter over time
=====================================  ==========================================

OTP itself ships no metrics library; the book (ch. 16) describes what a
production system collects.  Values live with the current runtime (a
``runtime.reset()`` starts empty); times are the runtime's clock, so on the
virtual clock every run gives the same numbers.

Failure rule: a name is a str; using one name as two kinds raises ``badarg``.
See also: otp_lite.loadgen, otp_lite.alarm_handler, otp_lite.viz (dashboard).
"""
from __future__ import annotations

import math

from collections import deque

from .erlang import ErlangError
from .kernel import state as _state

MAX_SAMPLES = 20_000    # per metric: the newest samples are kept (a live demo left running stays flat)

__all__ = ["inc", "gauge", "observe", "get", "snapshot", "series", "summary", "names"]


def _reg():
    rt = _state.rt
    r = getattr(rt, "_metrics", None)
    if r is None:
        r = rt._metrics = {}        # name -> [kind, value, series (newest MAX_SAMPLES),
        #          changes so far: samples that moved the value (a viewer's signature)]
    return r


def _entry(name, kind, init):
    if type(name) is not str:
        raise ErlangError("badarg", f"a metric name is a str, got {name!r}")
    r = _reg()
    e = r.get(name)
    if e is None:
        e = r[name] = [kind, init, deque(maxlen=MAX_SAMPLES), 0]
    elif e[0] != kind:
        raise ErlangError("badarg", f"metric {name!r} is a {e[0]}, not a {kind}")
    return e


def _number(x, fn):
    if type(x) not in (int, float):
        raise ErlangError("badarg", f"metrics.{fn}: {x!r} is not a number")
    return x


def inc(name, n=1):
    _number(n, "inc")
    e = _entry(name, "counter", 0)
    e[1] += n
    e[2].append((_state.rt.now_ms(), e[1]))
    e[3] += 1
    return e[1]


def gauge(name, value):
    e = _entry(name, "gauge", 0)
    if value != e[1] or not e[2]:   # (the first sample is a change, whatever its value)
        e[3] += 1                   # a monitor sampling a flat gauge changes nothing a board draws
    e[1] = value
    e[2].append((_state.rt.now_ms(), value))
    return value


def observe(name, value):
    _number(value, "observe")
    e = _entry(name, "histogram", None)
    e[2].append((_state.rt.now_ms(), value))
    e[3] += 1
    return value


def summary(values):
    """``{'n', 'mean', 'p50', 'p95', 'p99', 'max'}`` of a list of numbers (nearest rank)."""
    if type(values) not in (list, tuple):
        raise ErlangError("function_clause", f"metrics.summary takes a list of numbers, got {values!r}")
    if any(type(x) not in (int, float) for x in values):
        raise ErlangError("badarith", f"metrics.summary: not all numbers: {values!r}")   # Erlang's answer to 'a' + 1
    if not values:
        return {"n": 0, "mean": None, "p50": None, "p95": None, "p99": None, "max": None}
    v = sorted(values)

    def pct(p):
        return v[min(len(v) - 1, max(0, math.ceil(p / 100 * len(v) - 1e-9) - 1))]
    return {"n": len(v), "mean": round(sum(v) / len(v), 3), "p50": pct(50), "p95": pct(95),
            "p99": pct(99), "max": v[-1]}


def _hashable(name):
    try:
        hash(name)
    except TypeError:
        return False
    return True


def get(name):
    e = _reg().get(name) if _hashable(name) else None
    if e is None:
        return "undefined"
    return summary([x for _, x in e[2]]) if e[0] == "histogram" else e[1]


def snapshot():
    return {n: get(n) for n in sorted(_reg())}


def series(name):
    e = _reg().get(name) if _hashable(name) else None
    return list(e[2]) if e is not None else []


def names():
    return sorted(_reg())
