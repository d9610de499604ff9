"""The trace bus: every observable thing that happens, as a stream of events.

An event is a dict: ``{'seq': n, 't': ms, 'kind': 'send', ...fields}``.
Kinds emitted by the kernel: spawn, exit, send, receive, receive_timeout,
exit_signal, link, unlink, monitor, demonitor, register, unregister, timer_start,
timer_fire, timer_cancel.  Behaviours add their own (``state`` for
gen_statem transitions, ``restart`` for supervisors, ...) with
``runtime.emit(kind, **fields)``.

Subscribers are plain callables.  With no subscriber the runtime's ``trace``
attribute is ``None`` and every emit site costs one attribute load and an
``is None`` test.  Traces save to and load from JSON (see ``to_json``).
"""
from __future__ import annotations

import json

from .process import Pid
from .terms import Ref, ANY, TIMEOUT


class TraceBus:
    """The subscribers of one runtime.  When the only subscriber is a :class:`Recorder` of
    every kind (``viz.record()``, the common case), ``emit`` appends to its list itself and
    lets it trim when its length can next pass the bound (``Recorder.trim`` says when):
    one Python call per event fewer (issue 19: recording cost 2.9x a plain run)."""

    def __init__(self, rt):
        self.rt = rt
        self.seq = 0
        self.subscribers = []
        self._append = None             # the single recorder's events.append, or None
        self._rec = None
        self._next = 0                  # the seq at which it next checks its length

    def emit(self, kind, **fields):
        seq = self.seq = self.seq + 1
        fields["seq"] = seq
        rt = self.rt
        fields["t"] = rt._vnow if rt.virtual else rt.now_ms()
        fields["kind"] = kind
        app = self._append
        if app is not None:
            app(fields)
            if seq >= self._next:
                self._next = seq + self._rec.trim()
            return
        for s in self.subscribers:
            s(fields)

    def changed(self):
        subs = self.subscribers
        one = subs[0] if len(subs) == 1 else None
        if type(one) is Recorder and one.kinds is None:
            self._rec, self._append, self._next = one, one.events.append, self.seq + 1
        else:
            self._rec = self._append = None


def subscribe(rt, fn):
    """Call ``fn(event)`` for every event from now on; returns ``fn``."""
    if rt.trace is None:
        rt.trace = TraceBus(rt)
    rt.trace.subscribers.append(fn)
    rt.trace.changed()
    return fn


def unsubscribe(rt, fn):
    bus = rt.trace
    if bus is None:
        return
    if fn in bus.subscribers:
        bus.subscribers.remove(fn)
    bus.changed()
    if not bus.subscribers:
        rt.trace = None


class Recorder:
    """Subscribes and keeps the events: ``with Recorder() as rec: ...``.

    ``maxlen``: keep only the newest events, at least ``maxlen`` and at most a
    quarter more (trimmed in chunks, amortised O(1); ``None``: all of them).  ``dropped`` counts the older ones let go, and every view
    says so.  The views' own recorder (``viz.record()``) keeps the last
    ``viz.RECORD_MAXLEN`` (50,000) so that a live notebook left open stays
    flat in memory.
    """

    def __init__(self, rt=None, kinds=None, maxlen=None):
        from . import state
        self.rt = rt or state.rt
        self.kinds = set(kinds) if kinds else None
        if maxlen is not None and (type(maxlen) is not int or maxlen < 1):
            raise ValueError(f"maxlen must be a positive number of events or None, not {maxlen!r}")
        self.maxlen = maxlen
        self.dropped = 0
        self.events = []
        self._on = False

    def __call__(self, ev):
        if self.kinds is None or ev["kind"] in self.kinds:
            evs = self.events
            evs.append(ev)
            m = self.maxlen
            if m is not None and len(evs) > m + (m >> 2):     # trim in chunks: amortised O(1)
                self.trim()

    def trim(self):
        """Drop the oldest beyond ``maxlen`` once there is a quarter more; returns how many
        events may arrive before the length needs checking again (the trace bus's cue)."""
        evs, m = self.events, self.maxlen
        if m is None:
            return 1024
        if len(evs) > m + (m >> 2):
            k = len(evs) - m
            del evs[:k]
            self.dropped += k
        return max(1, min(1024, m + (m >> 2) + 1 - len(evs)))

    def start(self):
        if not self._on:
            subscribe(self.rt, self)
            self._on = True
        return self

    def stop(self):
        if self._on:
            unsubscribe(self.rt, self)
            self._on = False
        return self

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def of_kind(self, *kinds):
        return [e for e in self.events if e["kind"] in kinds]

    def save(self, path):
        with open(path, "w") as f:
            json.dump([to_json(e) for e in self.events], f, indent=0)

    def dumps(self):
        return json.dumps([to_json(e) for e in self.events])

    @classmethod
    def load(cls, path):
        """A stopped Recorder holding the events saved at ``path`` (pids become PidStub)."""
        return cls._stopped_with(load(path))

    @classmethod
    def loads(cls, text):
        return cls._stopped_with(loads(text))

    @classmethod
    def _stopped_with(cls, events):
        rec = cls.__new__(cls)
        rec.rt, rec.kinds, rec._on = None, None, False
        rec.events = events
        return rec


# --------------------------------------------------------------- JSON codec
class PidStub:
    """A pid read back from a saved trace: prints and compares like the original."""
    __slots__ = ("num",)

    def __init__(self, num):
        self.num = num

    def __repr__(self):
        return f"<0.{self.num}.0>"

    def __eq__(self, other):
        return isinstance(other, (PidStub, Pid)) and other.num == self.num

    def __hash__(self):
        return hash(("pid", self.num))

    def __lt__(self, other):
        return self.num < other.num


def to_json(t):
    """Encode a term (and events) as JSON-safe data with tagged non-JSON types."""
    tp = type(t)
    if t is None or tp is bool or tp is int or tp is float or tp is str:
        return t
    if tp is Pid or tp is PidStub:
        return {"$pid": t.num}
    if tp is Ref:
        return {"$ref": t.n}
    if tp is tuple:
        return {"$tuple": [to_json(x) for x in t]}
    if tp is list:
        return [to_json(x) for x in t]
    if tp is dict:
        if all(type(k) is str and not k.startswith("$") for k in t):
            return {k: to_json(v) for k, v in t.items()}
        return {"$map": [[to_json(k), to_json(v)] for k, v in t.items()]}
    if t is ANY or t is TIMEOUT:
        return {"$sentinel": repr(t)}
    return {"$repr": repr(t)}


def from_json(d):
    if isinstance(d, list):
        return [from_json(x) for x in d]
    if isinstance(d, dict):
        if "$pid" in d:
            return PidStub(d["$pid"])
        if "$ref" in d:
            return Ref(d["$ref"])
        if "$tuple" in d:
            return tuple(from_json(x) for x in d["$tuple"])
        if "$map" in d:
            return {from_json(k): from_json(v) for k, v in d["$map"]}
        if "$sentinel" in d:
            return {"ANY": ANY, "TIMEOUT": TIMEOUT}[d["$sentinel"]]
        if "$repr" in d:
            return Opaque(d["$repr"])
        return {k: from_json(v) for k, v in d.items()}
    return d


class Opaque:
    """A term that JSON could not carry (a function, an exception): keeps its repr."""
    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text

    def __eq__(self, other):
        return isinstance(other, Opaque) and other.text == self.text

    def __hash__(self):
        return hash(self.text)


def load(path):
    """Load a trace saved with ``Recorder.save``: a list of event dicts."""
    with open(path) as f:
        return [from_json(e) for e in json.load(f)]


def loads(text):
    return [from_json(e) for e in json.loads(text)]
