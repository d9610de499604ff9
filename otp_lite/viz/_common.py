"""Shared plumbing for the views: trace sources, term printing, colours, figures.

Every view reads the trace bus only (DESIGN.md principle 8).  A *source* is
one of: ``None`` (the events recorded by :func:`otp_lite.viz.record` in the
current runtime), a :class:`~otp_lite.kernel.trace.Recorder`, a list of event
dicts, a path to a JSON trace (``Recorder.save``), or a :class:`Player`
(whose current position is the cut-off).  ``upto_seq=`` cuts any source at
an event sequence number, which is how time travel works.
"""
from __future__ import annotations

import io

from ..kernel import state as _state
from ..kernel import trace as _trace
from ..kernel.terms import fmt_term  # noqa: F401  (the views' term format; lives in the kernel)

# --------------------------------------------------------------- colours
# Okabe & Ito (2008), "Color Universal Design": safe for the common colour
# vision deficiencies.  Status is also carried by text and shape, never by
# colour alone.
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9",
    "bluish_green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
    "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "grey": "#999999",
}
STATUS_COLOURS = {
    "running": OKABE_ITO["bluish_green"],
    "restarting": OKABE_ITO["orange"],
    "dead": OKABE_ITO["vermillion"],
    "undefined": OKABE_ITO["grey"],
}

# --------------------------------------------------------------- recording
_recorder = None          # the viz recorder of the current runtime
_sticky = False           # re-attach after runtime.reset()
RECORD_MAXLEN = 50_000    # events the views' recorder keeps (the newest); None keeps all
_maxlen = RECORD_MAXLEN


def record(kinds=None, maxlen=RECORD_MAXLEN):
    """Start recording every trace event of the current runtime for the views.

    Call it right after ``runtime.reset()`` so that restart counts and
    sequence charts see everything; it stays on across later resets.
    Returns the :class:`Recorder` (``.events``, ``.save(path)``).  It keeps
    the newest ``maxlen`` events (50,000 by default; ``None``: all), so a live
    view left open for an hour stays flat in memory; views say how many older
    events were dropped.
    """
    global _recorder, _sticky, _maxlen
    _sticky = True
    _maxlen = maxlen
    rt = _state.rt
    if rt is None:
        from .. import runtime
        rt = runtime.reset()
    if _recorder is None or _recorder.rt is not rt:
        _recorder = _trace.Recorder(rt, kinds, maxlen).start()
    else:
        _recorder.maxlen = maxlen
    return _recorder


def stop_recording():
    """Stop the viz recorder (and its re-attachment on reset)."""
    global _recorder, _sticky
    _sticky = False
    if _recorder is not None:
        _recorder.stop()
    _recorder = None


def _on_reset(rt):
    global _recorder
    if _recorder is not None:
        _recorder.stop()
        _recorder = None
    if _sticky:
        _recorder = _trace.Recorder(rt, maxlen=_maxlen).start()


def current_recorder(start=True):
    """The recorder of the current runtime (started on demand)."""
    rt = _state.rt
    if _recorder is not None and _recorder.rt is rt:
        return _recorder
    if not start:
        return None
    global _sticky
    keep = _sticky
    r = record()
    _sticky = keep
    return r


def dropped_of(source=None):
    """How many older events ``source``'s recorder let go (0 for a complete trace)."""
    if source is None:
        r = current_recorder(start=False)
        return r.dropped if r is not None else 0
    return getattr(source, "dropped", 0) or 0


def dropped_note(source=None):
    """'' or a line saying that the oldest events are gone (views end their text with it)."""
    n = dropped_of(source)
    return (f"({n} older events were dropped: the recorder keeps the newest "
            f"{getattr(source if source is not None else current_recorder(False), 'maxlen', None)})"
            if n else "")


def events_of(source=None, upto_seq=None):
    """The event list of ``source`` (see module docstring), cut at ``upto_seq``."""
    if source is None:
        evs = current_recorder().events
    elif isinstance(source, _trace.Recorder):
        evs = source.events
    elif isinstance(source, str):
        evs = _trace.load(source)
    elif hasattr(source, "events") and hasattr(source, "upto_seq"):     # a Player
        evs = source.events
        if upto_seq is None:
            upto_seq = source.upto_seq
    elif isinstance(source, (list, tuple)):
        evs = source
    else:
        raise TypeError(f"a trace source is a Recorder, a list of events, a JSON path or a Player, "
                        f"not {type(source).__name__}")
    if upto_seq is not None:
        evs = cut(evs, upto_seq)
    return evs


def cut(evs, upto_seq):
    """The events with ``seq <= upto_seq`` (events are in seq order: bisect)."""
    lo, hi = 0, len(evs)
    while lo < hi:
        mid = (lo + hi) // 2
        if evs[mid]["seq"] <= upto_seq:
            lo = mid + 1
        else:
            hi = mid
    return evs[:lo]


# --------------------------------------------------------------- terms


def fmt_mfa(mfa):
    if isinstance(mfa, (tuple, list)) and len(mfa) == 3:
        m, f, a = mfa
        m = str(m).rsplit(".", 1)[-1]
        f = str(f).rsplit(".", 1)[-1]
        return f"{m}:{f}/{a}"
    return fmt_term(mfa)


def pid_key(p):
    return getattr(p, "num", -1)


class Names:
    """Registered names seen in a trace: ``label(pid)`` -> name or ``<0.N.0>``.

    A name held by several pids over the trace (a restarted server) is shown
    as ``name(<0.N.0>)`` for every holder but the last, so lifelines stay apart.
    """

    def __init__(self, evs):
        holders = {}
        first = {}
        for e in evs:
            if e["kind"] == "register":
                p, n = e["pid"], e["name"]
                first.setdefault(p, n)
                holders.setdefault(n, {})[p] = None     # ordered, no list search per event
        last = {n: next(reversed(hs)) for n, hs in holders.items()}
        self.names = {}
        for p, n in first.items():
            self.names[p] = n if last[n] == p else f"{n}({p!r})"

    def label(self, p):
        if p is None:
            return "-"
        n = self.names.get(p)
        return n if n is not None else repr(p)


# --------------------------------------------------------------- figures
class FigureMixin:
    """``figure()`` returns a matplotlib Figure; this adds ``_repr_png_`` and ``save``."""

    def _repr_png_(self):
        return png_bytes(self.figure())

    def save(self, path, dpi=100):
        fig = self.figure()
        fig.savefig(path, dpi=dpi)
        _close(fig)
        return path

    def __repr__(self):
        return self.text()

    def __str__(self):
        return self.text()

    def _repr_pretty_(self, p, cycle):
        p.text(self.text())


def new_figure(w, h, layout=None):
    """A Figure not registered with pyplot (no global state, no leaks).

    ``layout='constrained'`` lets matplotlib fit titles, tick labels and
    legends inside the canvas (use it with ``fig.add_subplot``).
    """
    from matplotlib.figure import Figure
    return Figure(figsize=(w, h), dpi=100, layout=layout)


def png_bytes(fig, dpi=100):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    _close(fig)
    return buf.getvalue()


def _close(fig):
    try:
        fig.clear()
    except Exception:       # noqa: BLE001
        pass
