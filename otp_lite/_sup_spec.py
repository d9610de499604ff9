"""Supervisor flags, child specs, reports and trace events (the data half of ``supervisor``).

Mirrors the validation half of OTP ``supervisor.erl`` (OTP 25): ``check_flags``,
``check_childspec`` and their tiny validators, each raising a tagged error
term (``('invalid_restart_type', 'sometimes')``), plus the ``#child{}``
record and ``extract_child`` used in every SUPERVISOR REPORT.  The
otp_lite trace events (``sup_start``, ``sup_child``, ``sup_shutdown``) are
emitted from here too, so every supervisor module reports the same shapes.

Python spelling of OTP's terms:

* flags: ``{'strategy': ..., 'intensity': 1, 'period': 5, 'auto_shutdown': 'never'}``
  or the tuple ``(strategy, intensity, period)``;
* child spec: ``{'id': ..., 'start': (mod, 'fun', [args]), 'restart': ..,
  'significant': .., 'shutdown': .., 'type': .., 'modules': [..]}`` or the
  tuple ``(id, start, restart, shutdown, type, modules)``;
* ``mod`` is the callback namespace (a module or a class); an importable
  dotted module name (``'examples.ch8.frequency'``) works too.  ``modules``
  defaults to ``[<name of mod>]`` so that ``which_children`` prints
  ``['frequency']`` as Erlang prints ``[frequency]``.
"""
from __future__ import annotations

import importlib
import types

from . import logger
from ._gen import module_name
from .kernel import state as _state

__all__ = ["Child", "SpecError", "check_flags", "check_childspec", "check_startspec",
           "extract_child", "report_error", "report_progress", "fmt_term", "apply_mfa",
           "emit", "child_event", "template"]

DEFAULT_FLAGS = {"strategy": "one_for_one", "intensity": 1, "period": 5, "auto_shutdown": "never"}
STRATEGIES = ("one_for_one", "one_for_all", "rest_for_one", "simple_one_for_one")


class SpecError(Exception):
    """Internal: a validator's thrown error term (``err.term``)."""

    def __init__(self, term):
        super().__init__(term)
        self.term = term


class Child:
    """OTP's ``#child{}`` record.  ``pid`` is a Pid, ``'undefined'``,
    ``('restarting', pid_or_undefined)`` or (for a simple_one_for_one
    shutdown report) a list of pids.  ``restarts`` is an otp_lite extra."""
    __slots__ = ("pid", "id", "mfargs", "restart_type", "significant", "shutdown",
                 "child_type", "modules", "restarts")

    def __init__(self, id, mfargs, restart_type, significant, shutdown, child_type, modules, pid="undefined"):
        self.pid = pid
        self.id = id
        self.mfargs = mfargs
        self.restart_type = restart_type
        self.significant = significant
        self.shutdown = shutdown
        self.child_type = child_type
        self.modules = modules
        self.restarts = 0

    def copy(self, **kw):
        c = Child(self.id, self.mfargs, self.restart_type, self.significant, self.shutdown,
                  self.child_type, self.modules, self.pid)
        c.restarts = self.restarts
        for k, v in kw.items():
            setattr(c, k, v)
        return c

    def as_tuple(self):
        return ("child", self.pid, self.id, self.mfargs, self.restart_type, self.significant,
                self.shutdown, self.child_type, self.modules)

    def to_spec(self):
        return {"id": self.id, "start": self.mfargs, "restart": self.restart_type,
                "significant": self.significant, "shutdown": self.shutdown,
                "type": self.child_type, "modules": self.modules}

    def __eq__(self, other):
        return isinstance(other, Child) and self.as_tuple() == other.as_tuple()

    __hash__ = None

    def __repr__(self):
        return repr(_term_names(self.as_tuple()))


# ================================================================ flags
def check_flags(flags):
    """-> dict with strategy/intensity/period/auto_shutdown, or raise SpecError."""
    if type(flags) is dict:
        f = dict(DEFAULT_FLAGS)
        f.update(flags)
    elif type(flags) is tuple and len(flags) == 3:
        f = dict(DEFAULT_FLAGS, strategy=flags[0], intensity=flags[1], period=flags[2])
    else:
        raise SpecError(("invalid_type", flags))
    if f["strategy"] not in STRATEGIES:
        raise SpecError(("invalid_strategy", f["strategy"]))
    if type(f["intensity"]) is not int or f["intensity"] < 0:
        raise SpecError(("invalid_intensity", f["intensity"]))
    if type(f["period"]) is not int or f["period"] <= 0:
        raise SpecError(("invalid_period", f["period"]))
    if f["auto_shutdown"] not in ("never", "any_significant", "all_significant"):
        raise SpecError(("invalid_auto_shutdown", f["auto_shutdown"]))
    return f


# ================================================================ child specs
def _is_atomish(x):
    """What may stand where Erlang has a module atom: a name or a namespace."""
    return type(x) is str or isinstance(x, (types.ModuleType, type)) or (
        x is not None and type(x) not in (int, float, bool, tuple, list, dict, set, bytes))


def _valid_func(func):
    if not (type(func) is tuple and len(func) == 3 and type(func[1]) is str
            and type(func[2]) is list and _is_atomish(func[0])):
        raise SpecError(("invalid_mfa", func))


def check_childspec(spec, auto_shutdown="never"):
    """A child spec (dict or 6-tuple) -> :class:`Child`; raises SpecError(term)."""
    if type(spec) is tuple and len(spec) == 6:
        spec = {"id": spec[0], "start": spec[1], "restart": spec[2], "significant": False,
                "shutdown": spec[3], "type": spec[4], "modules": spec[5]}
    elif type(spec) is not dict:
        raise SpecError(("invalid_child_spec", spec))
    s = {"restart": "permanent", "type": "worker"}
    s.update(spec)
    if "id" not in s:
        raise SpecError("missing_id")
    if "start" not in s:
        raise SpecError("missing_start")
    func = s["start"]
    _valid_func(func)
    restart = s["restart"]
    if restart not in ("permanent", "transient", "temporary"):
        raise SpecError(("invalid_restart_type", restart))
    sig = s.get("significant", False)
    if sig is True and auto_shutdown == "never":
        raise SpecError(("bad_combination", [("auto_shutdown", "never"), ("significant", True)]))
    if sig is True and restart == "permanent":
        raise SpecError(("bad_combination", [("restart", "permanent"), ("significant", True)]))
    if type(sig) is not bool:
        raise SpecError(("invalid_significant", sig))
    ctype = s["type"]
    if ctype not in ("worker", "supervisor"):
        raise SpecError(("invalid_child_type", ctype))
    shutdown = s["shutdown"] if "shutdown" in s else (5000 if ctype == "worker" else "infinity")
    if not ((type(shutdown) is int and shutdown >= 0) or shutdown in ("infinity", "brutal_kill")):
        raise SpecError(("invalid_shutdown", shutdown))
    mods = s["modules"] if "modules" in s else [func[0] if type(func[0]) is str else module_name(func[0])]
    if mods != "dynamic":
        if type(mods) is not list:
            raise SpecError(("invalid_modules", mods))
        for m in mods:
            if not _is_atomish(m):
                raise SpecError(("invalid_module", m))
    return Child(s["id"], func, restart, sig, shutdown, ctype, mods)


def check_startspec(specs, auto_shutdown="never"):
    """A list of child specs -> (ids oldest first, {id: Child}); raises SpecError."""
    ids, db = [], {}
    for spec in specs:
        c = check_childspec(spec, auto_shutdown)
        if c.id in db:
            raise SpecError(("duplicate_child_name", c.id))
        ids.append(c.id)
        db[c.id] = c
    return ids, db


# ================================================================ starting
def apply_mfa(m, f, a):
    """``apply(M, F, A)``: look ``f`` up on the newest version of namespace ``m``."""
    from ._gen import resolve
    if type(m) is str:
        try:
            m = importlib.import_module(m)
        except ImportError:
            return None
    fun = getattr(resolve(m), f, None)
    return fun


# ================================================================ reports
def _term_names(t):
    """Namespaces -> their names, so reports print like Erlang terms."""
    if isinstance(t, (types.ModuleType, type)):
        return _Name(module_name(t))
    if type(t) is tuple:
        return tuple(_term_names(x) for x in t)
    if type(t) is list:
        return [_term_names(x) for x in t]
    if type(t) is dict:
        return {_term_names(k): _term_names(v) for k, v in t.items()}
    return t


class _Name(str):
    def __repr__(self):
        return str(self)


def fmt_term(t, indent=0):
    """``~p``-like text; short terms skip pprint (reports are on the restart path)."""
    t = _term_names(t)
    r = repr(t)
    if len(r) + indent <= 78:
        return r
    return logger.fmt(t, indent)


def extract_child(child):
    """The offender list of a SUPERVISOR REPORT."""
    if type(child.pid) is list:
        first = ("nb_children", len(child.pid))
        return [first, ("id", child.id), ("mfargs", child.mfargs), ("restart_type", child.restart_type),
                ("significant", child.significant), ("shutdown", child.shutdown),
                ("child_type", child.child_type)]
    return [("pid", child.pid), ("id", child.id), ("mfargs", child.mfargs),
            ("restart_type", child.restart_type), ("significant", child.significant),
            ("shutdown", child.shutdown), ("child_type", child.child_type)]


def _offender_lines(label, off):
    pad = " " * len(label)
    parts = [repr(_term_names(x)) for x in off]        # one item per line, as OTP prints them
    lines = [label + "[" + parts[0] + ","]
    for p in parts[1:-1]:
        lines.append(pad + " " + p + ",")
    lines.append(pad + " " + parts[-1] + "]")
    return lines


def report_error(context, reason, child, supname):
    """SUPERVISOR REPORT with OTP's four keys (logged at error level)."""
    off = extract_child(child)
    lines = [f"    supervisor: {fmt_term(supname)}",
             f"    errorContext: {context}",
             f"    reason: {fmt_term(reason, 12)}"] + _offender_lines("    offender: ", off)
    logger.log("error", lines, kind="supervisor_report", supervisor=supname,
               errorContext=context, reason=reason, offender=off)


def progress_enabled():
    return logger.LEVELS.index(logger.get_level()) >= logger.LEVELS.index("info")


def report_progress(child, supname):
    """PROGRESS REPORT (info level: hidden under OTP 25's default 'notice')."""
    if not progress_enabled():
        return
    off = extract_child(child)
    lines = [f"    supervisor: {fmt_term(supname)}"] + _offender_lines("    started: ", off)
    logger.log("info", lines, kind="progress", supervisor=supname, started=off)


# ======================================================================== trace events (otp_lite)
def emit(kind, **fields):
    rt = _state.rt
    if rt.trace is not None:
        fields.setdefault("pid", rt.current)
        rt.trace.emit(kind, **fields)


def child_event(state, child, event, pid=None, reason=None):
    """A ``sup_child`` trace event (no-op when nobody listens)."""
    rt = _state.rt
    if rt.trace is None:
        return
    cid = child.id
    if state.strategy == "simple_one_for_one":
        p = child.pid[1] if type(child.pid) is tuple else child.pid
        cid = state.tids.get(p, p) if state.tids is not None else p
    rt.trace.emit("sup_child", pid=rt.current, id=cid, event=event,
                  child=child.pid if pid is None else pid, reason=reason,
                  type=child.child_type)


def template(state):
    """A simple_one_for_one's one child spec (its children are copies with their own pid)."""
    return state.db[state.ids[0]]
