"""OTP-style logging: error, crash, supervisor and progress reports.

Mirrors OTP ``logger`` (OTP 21+) in miniature.  A report is a dict with
``level``, ``kind`` (e.g. ``'error_report'``, ``'crash_report'``,
``'supervisor_report'``, ``'progress'``), ``text`` (the lines OTP would print)
and ``data``.  Handlers are callables; the default handler prints reports in
OTP's layout, with the runtime clock instead of the wall-clock date so that
notebook output is deterministic::

    =ERROR REPORT==== 0.000 s ===
    Error in process <0.81.0> with exit value:
    (ZeroDivisionError('division by zero'), [...])

Every report also goes on the trace bus as a ``log`` event.
"""
from __future__ import annotations

import pprint

from .kernel import state as _state
from .kernel.terms import ErlangError

__all__ = ["error", "warning", "notice", "info", "debug", "log", "add_handler",
           "remove_handler", "get_handler_ids", "set_handler_level", "set_level", "get_level",
           "set_primary_config", "get_primary_config",
           "capture", "LEVELS", "fmt", "format_report"]

LEVELS = ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"]
_HEADERS = {"error": "ERROR REPORT", "warning": "WARNING REPORT", "notice": "NOTICE REPORT",
            "info": "INFO REPORT", "debug": "DEBUG REPORT", "critical": "CRITICAL REPORT",
            "alert": "ALERT REPORT", "emergency": "EMERGENCY REPORT"}

_config = {"level": "notice"}
_handlers = {}
_handler_levels = {}          # handler id -> its own level (absent: no extra filter)


def fmt(term, indent=0):
    """Pretty-print a term as Erlang's ``~p`` wraps it, for text starting at column ``indent``.

    Lines are at most ~80 columns; continuation lines are indented to
    ``indent`` so a wrapped term stays under its first character::

        ** When Server state == {'available': [10, 11],
                                 'allocated': []}
    """
    if type(indent) is not int:
        raise ErlangError("function_clause", f"fmt(term, indent): indent is a column (int), got {indent!r}")
    text = pprint.pformat(term, width=max(80 - indent, 20), compact=True, sort_dicts=False)
    if indent and "\n" in text:
        text = text.replace("\n", "\n" + " " * indent)
    return text


def format_report(report):
    """The text a report prints as: ``=ERROR REPORT==== 1.500 s ===`` + its lines + a blank line.

    Handlers that write somewhere else (a file, a widget) can reuse it.  The
    stamp is the runtime clock in seconds (virtual by default), so output is
    the same on every run.
    """
    if type(report) is not dict or type(report.get("text")) is not list \
            or type(report.get("t", 0)) not in (int, float):
        raise ErlangError("function_clause", f"format_report takes a report dict (as handlers get), got {report!r}")
    head = _HEADERS.get(report["level"], "REPORT")
    kind = report.get("kind")
    if kind == "crash_report":
        head = "CRASH REPORT"
    elif kind == "supervisor_report":
        head = "SUPERVISOR REPORT"
    elif kind == "progress":
        head = "PROGRESS REPORT"
    elif kind == "info_report":
        head = "INFO REPORT"          # OTP: error_logger info reports (logged at notice) print so
    t = report.get("t", 0) / 1000.0
    return "\n".join([f"={head}==== {t:.3f} s ===", *report["text"], ""]) + "\n"


def _default_handler(report):
    print(format_report(report), end="")


_handlers["default"] = _default_handler


def _enabled(level, threshold=None):
    threshold = threshold or _config["level"]
    return threshold != "none" and LEVELS.index(level) <= LEVELS.index(threshold)


def log(level, text, kind="report", **data):
    """Emit a report.  ``text`` is a string or a list of lines."""
    if type(level) is not str or level not in LEVELS:
        # OTP 25: logger:log(a, "x") -> error:function_clause (ch23_bad_input_bifs.out)
        raise ErlangError("function_clause", f"unknown log level {level!r}; one of {LEVELS}")
    if isinstance(text, str):
        lines = text.splitlines()
    elif type(text) is not list and type(text) is not tuple:
        # OTP 25: logger:error(42) -> error:function_clause
        raise ErlangError("function_clause", f"a report is a str or a list of lines, got {text!r}")
    else:
        lines = []
        for line in text:
            lines.extend(str(line).split("\n"))
    rt = _state.rt
    report = {"level": level, "kind": kind, "text": lines, "data": data,
              "t": rt.now_ms() if rt is not None else 0,
              "pid": rt.current if rt is not None else None}
    if rt is not None and rt.trace is not None:
        rt.trace.emit("log", level=level, report_kind=kind, text=lines, pid=report["pid"])
    if not _enabled(level):
        return "ok"
    for hid, h in list(_handlers.items()):
        lvl = _handler_levels.get(hid)
        if lvl is None or _enabled(level, lvl):
            h(report)
    return "ok"


def error(text, **data):
    return log("error", text, **data)


def warning(text, **data):
    return log("warning", text, **data)


def notice(text, **data):
    return log("notice", text, **data)


def info(text, **data):
    return log("info", text, **data)


def debug(text, **data):
    return log("debug", text, **data)


def add_handler(hid, fn, config=None):
    """Add a handler ``fn(report)`` under id ``hid``; ``config={'level': 'warning'}`` filters it.

    Mirrors ``logger:add_handler(Id, Module, Config)``: a report reaches a
    handler if it passes the primary level (:func:`set_level`) and the
    handler's own level.  ``('error', ('already_exist', hid))`` for a taken id.
    """
    if type(hid) is not str:
        return ("error", ("invalid_id", hid))               # OTP 25: add_handler([1], ...)
    if hid in _handlers:
        return ("error", ("already_exist", hid))
    if not callable(fn):
        # OTP 25: add_handler(h, notamodule, #{}) -> {error,{invalid_handler,{function_not_exported,..}}}
        return ("error", ("invalid_handler", ("function_not_exported", (fn, "log", 2))))
    if config is not None and type(config) is not dict:
        return ("error", ("invalid_config", config))        # OTP 25: add_handler(a, a, a)
    level = (config or {}).get("level")
    if level is not None:
        if _bad_level(level):
            return ("error", ("invalid_level", level))
        _handler_levels[hid] = {"all": "debug"}.get(level, level)
    _handlers[hid] = fn
    return "ok"


def remove_handler(hid):
    if type(hid) is not str or _handlers.pop(hid, None) is None:
        return ("error", ("not_found", hid))
    _handler_levels.pop(hid, None)
    return "ok"


def get_handler_ids():
    return list(_handlers)


def set_handler_level(hid, level):
    """``logger:set_handler_config(Id, level, Level)``."""
    if _bad_level(level):
        return ("error", ("invalid_level", level))          # OTP 25 checks the level first
    if type(hid) is not str or hid not in _handlers:
        return ("error", ("not_found", hid))
    _handler_levels[hid] = {"all": "debug"}.get(level, level)
    return "ok"


def _bad_level(level):
    return type(level) is not str or (level not in LEVELS and level not in ("all", "none"))


def set_level(level):
    """The primary level (default ``'notice'``, as OTP): less severe reports are dropped.
    An unknown level: ``('error', ('invalid_level', L))``, as ``set_primary_config``."""
    if _bad_level(level):
        return ("error", ("invalid_level", level))
    _config["level"] = {"all": "debug"}.get(level, level)
    return "ok"


def get_level():
    return _config["level"]


def set_primary_config(key, value):
    """``logger:set_primary_config(level, L)``: the same as :func:`set_level`, with OTP 25's
    answers: ``('error', ('invalid_level', L))``, and for any other key
    ``('error', ('invalid_primary_config', (key, value)))`` (otp_lite has no primary
    filters or metadata to set)."""
    if key != "level":
        return ("error", ("invalid_primary_config", (key, value)))
    if _bad_level(value):
        return ("error", ("invalid_level", value))
    return set_level(value)


def get_primary_config():
    """``logger:get_primary_config()``: ``{'filter_default': 'log', 'filters': [], 'level': L,
    'metadata': {}}`` (OTP 25's keys; only the level changes here)."""
    return {"filter_default": "log", "filters": [], "level": _config["level"], "metadata": {}}


class capture:
    """Collect reports instead of (or as well as) printing them::

        with logger.capture() as reports:
            ...
        reports[0]['kind']  # 'error_report'
    """

    def __init__(self, silence=True):
        self.silence = silence
        self.reports = []

    def __enter__(self):
        self._saved = dict(_handlers)
        if self.silence:
            _handlers.pop("default", None)
        _handlers["__capture__"] = self.reports.append
        return self.reports

    def __exit__(self, *exc):
        _handlers.clear()
        _handlers.update(self._saved)


class _KernelLogger:
    """Adapter the kernel calls for crashes of plain (non-proc_lib) processes."""

    def process_error(self, p, reason, exc):
        lines = ["Error in process " + repr(p) + " with exit value:", fmt(reason)]
        py = python_line(exc)
        if py:
            lines.append(py)
        error(lines, kind="error_report", pid=p, reason=reason)

    def callback_error(self, what, exc):
        """A callback the runtime itself runs (a timer's, a live view's) raised: reported, survived."""
        import traceback as _tb
        where = "".join(_tb.format_exception_only(type(exc), exc)).strip()
        error([f"Error in {what}:", where, "(the runtime goes on without it)"],
              kind="error_report", reason=repr(exc))


def python_line(exc):
    """``python: ZeroDivisionError: division by zero`` for an exception OTP has no class for
    (its Erlang reason is in the report already; kernel/pyerrors.py maps the plain cases)."""
    from .kernel.pyerrors import is_python_error
    if exc is None or not is_python_error(exc):
        return ""
    import traceback as _tb
    return "python: " + "".join(_tb.format_exception_only(type(exc), exc)).strip()


def _on_reset(rt):
    rt.error_logger = _KernelLogger()


from . import runtime as _runtime  # noqa: E402
_runtime.on_reset(_on_reset)
if _state.rt is not None:
    _on_reset(_state.rt)
