"""Chapter 16: reading the logs -- count crash reports, find the noisiest process.

Works on the report dicts that ``logger.capture()`` collects (``kind``,
``level``, ``data``, ``t``); these are the fields an operator would grep out
of SASL's error log::

    with logger.capture() as reports:
        ...
    by_kind(reports)        {'crash_report': 12, 'supervisor_report': 12, ...}
    by_reason(reports)      [(reason, count)], most frequent first
    noisiest(reports)       [(child id or process, count)], most reports first
    timeline(reports, 1000) [(t_start_ms, count)] reports per bucket of ``ms``
"""
from collections import Counter


def by_kind(reports):
    return dict(sorted(Counter(r["kind"] for r in reports).items()))


def _reason(r):
    why = r["data"].get("reason")
    if type(why) is tuple and len(why) == 2 and type(why[1]) is list:
        why = why[0]                       # (Reason, Stack): the stack is noise here
    return why


def by_reason(reports, kind="crash_report"):
    c = Counter(repr(_reason(r)) for r in reports if r["kind"] == kind)
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))


def noisiest(reports):
    """Who is named in the most error reports: the child id in supervisor reports."""
    c = Counter()
    for r in reports:
        if r["kind"] == "supervisor_report":
            off = r["data"].get("offender") or []
            c[dict(off).get("id", "?")] += 1          # offender: [(pid, P), (id, Id), ...]
    return sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0])))


def timeline(reports, ms=1000):
    c = Counter(int(r["t"] // ms) * ms for r in reports)
    return sorted(c.items())
