"""Live views: ipywidgets that follow the trace bus while the runtime runs.

How it stays live without blocking the kernel
---------------------------------------------
A *pump* is a periodic callback on the kernel's asyncio loop (the loop that
also delivers widget clicks).  Every ``interval`` seconds it

1. runs the runtime until it is idle again, if the runtime uses the real
   clock (so ``send_after``, ``state_timeout`` and restarts happen on wall
   time between cells; in virtual mode cells drive the runtime), and
2. re-renders every live view whose source got new events (or that is in
   the middle of an animation).

Each tick returns quickly, so the kernel stays free between ticks.  Outside a
running event loop (a test, a script) nothing is scheduled: call
``view.refresh()`` yourself.  Buttons act as the shell process, then run the
runtime until idle and refresh at once.

Widget callbacks run on the kernel's main thread
------------------------------------------------
ipykernel 7 hands a widget message (a click) that arrives while the kernel is
busy (drawing, another click, a cell) to *another thread*.  The runtime's
greenlets belong to the main thread (``run_until_idle`` there raises "is for
the shell"), so every callback that touches the runtime is wrapped in
:func:`on_main`: off the main thread it is queued on the main thread's loop
and runs, in order, as soon as the kernel is free.

A process that loops for ever without blocking is preempted after its time
slice (``kernel/preempt.py``), and ``run_until_idle`` returns once all that
is left to run are such processes: the pump and the buttons stay bounded.
"""
from __future__ import annotations

import functools
import threading
import weakref

from ..kernel import state as _state

INTERVAL = 0.1
_views = weakref.WeakSet()
_born = __import__("itertools").count()
_handle = None
_handle_loop = None     # the loop the pump is scheduled on
_main = None            # (thread, asyncio loop) where the live views were made: the kernel's main thread


def register(view):
    _views.add(view)
    _ensure_pump()


def _loop():
    """The running asyncio loop (a notebook cell, a widget callback), or None."""
    import asyncio
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _ensure_pump():
    global _main
    loop = _loop()
    if loop is None:
        return
    if _main is None or _main[1] is not loop and threading.current_thread() is threading.main_thread():
        _main = (threading.current_thread(), loop)
    if _handle is not None and _handle_loop is loop and not loop.is_closed():
        return
    if _handle is not None:
        _handle.cancel()            # a pump left on a loop that is gone (a second asyncio.run)
    _set_pump(loop.call_later(INTERVAL, _tick, loop), loop)


def _set_pump(handle, loop):
    global _handle, _handle_loop
    _handle, _handle_loop = handle, loop


def on_main(fn, view=None):
    """``fn`` as a widget callback that always runs on the kernel's main thread.

    Called on another thread (ipykernel 7 does that while the kernel is busy),
    the call is queued on the main thread's loop instead.  What it prints
    (an error report, a ``*DBG*`` line) goes to ``view``'s output area, under
    the widget, not to JupyterLab's hidden Log Console; an exception is shown
    in ``view``'s status line and output, never lost in a log.
    """
    @functools.wraps(fn)
    def run(*args, **kw):
        m = _main
        if m is None or threading.current_thread() is m[0] or m[1].is_closed():
            return _guarded(fn, view, args, kw)
        m[1].call_soon_threadsafe(_guarded, fn, view, args, kw)
    return run


def _guarded(fn, view, args, kw):
    import contextlib
    import io
    import traceback
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            return fn(*args, **kw)
    except Exception as e:      # noqa: BLE001 - a click must never kill the loop
        buf.write("".join(traceback.format_exception(e)))
        if view is not None:
            view.error(e)
        else:
            print(f"** otp_lite.viz: {type(e).__name__}: {e}")
    finally:
        text = buf.getvalue()
        if text:
            show_output(text, view)


def show_output(text, view=None):
    """Put ``text`` in ``view``'s output area (or the newest live view's), else print it."""
    out = getattr(view, "out", None)
    if out is None:
        rt = _state.rt
        for v in sorted(_views, key=lambda v: v._born, reverse=True):
            if v._rt is rt and getattr(v, "out", None) is not None:    # the newest view of this runtime
                out = v.out
                break
    if out is None:
        from ..kernel import live as _klive
        _klive.fallback(text)           # the cell that started live mode, else stdout
        return
    out.append_stdout(text)


def _tick(loop):
    _set_pump(None, None)
    try:
        pump_once()
    finally:
        if len(_views) and not loop.is_closed():
            _set_pump(loop.call_later(INTERVAL, _tick, loop), loop)


def pump_once():
    """One pump step: run a real-clock runtime until idle, refresh dirty views."""
    rt = _state.rt
    from .. import runtime as _runtime
    if rt is not None and not rt.closed and not rt.virtual and not _runtime.is_live():
        # live mode (runtime.live) already runs the runtime in bounded slices;
        # the pump only drives a real-clock runtime that is not live.
        try:
            from greenlet import getcurrent
            if getcurrent() is rt.main and rt.current is rt.shell:
                rt.run_until_idle()
        except Exception as e:      # noqa: BLE001 - never kill the kernel
            print(f"** otp_lite.viz: {type(e).__name__}: {e}")
    for v in list(_views):
        if getattr(v, "_rt", rt) is not rt and v.source is None:
            _views.discard(v)       # a view of a runtime since reset: it stays as it was
            continue
        try:
            v.maybe_refresh()
        except Exception as e:      # noqa: BLE001
            v.error(e)


def act(fn, *args):
    """Run ``fn(*args)`` as the shell (a button click), then let the runtime settle."""
    from otp_lite.erlang import Exit, ErlangError
    rt = _state.rt
    try:
        out = fn(*args)
    except (Exit, ErlangError) as e:
        return ("error", e)
    if rt is not None and not rt.closed:
        try:
            rt.run_until_idle()
        except Exception as e:      # noqa: BLE001
            return ("error", e)
    return ("ok", out)


class LiveView:
    """Base of the live forms: ``widget`` (an ipywidgets box), ``refresh()``.

    Subclasses implement ``build()`` (make widgets once) and ``render()``
    (update them from the source).  Displays as the widget, with a stable
    ``text/plain`` so that strict nbval accepts a cell that shows it.
    """

    title = "live view"

    def __init__(self, source=None):
        from ._common import current_recorder
        self.source = source
        self._rec = current_recorder() if source is None else None
        self._seen = -1
        self.frame = 0
        self.animating = 0
        self._rt = _state.rt
        self._born = next(_born)
        self.widget = self.build()
        self.out = _output_area(self.widget)
        self.refresh()
        register(self)
        _route_live_output()

    def events(self):
        from ._common import events_of
        return events_of(self.source)

    def _last_seq(self):
        evs = self.events()
        return evs[-1]["seq"] if evs else 0

    def maybe_refresh(self):
        if self._last_seq() != self._seen or self.animating:
            self.refresh()

    def refresh(self):
        self._seen = self._last_seq()
        self.frame += 1
        if self.animating:
            self.animating -= 1
        self.render()

    def send_literal(self, pid, text):
        """The Send button: parse ``text`` as a Python literal, send it to ``pid`` as the
        shell, report the result in the status line and refresh."""
        import ast
        import html
        from .. import erlang
        from ._common import fmt_term
        try:
            msg = ast.literal_eval(text)
        except (ValueError, SyntaxError) as e:
            self.status.value = html.escape(f"not a Python literal: {e}")
            return
        r = act(erlang.send, pid, msg)
        self.status.value = html.escape(f"send({pid!r}, {fmt_term(msg)}) -> {fmt_term(r[1])}")
        self.refresh()

    def error(self, e):
        status = getattr(self, "status", None)
        if status is not None:
            status.value = f"<span style='color:#D55E00'>{type(e).__name__}: {e}</span>"

    def close(self):
        _views.discard(self)
        self.widget.close()

    def _repr_mimebundle_(self, **kw):
        b = self.widget._repr_mimebundle_(**kw)
        if isinstance(b, tuple):
            b = b[0]
        b = dict(b or {})
        b["text/plain"] = f"<{self.title}>"
        return b

    def __repr__(self):
        return f"<{self.title}>"


def _output_area(box):
    """An ``ipywidgets.Output`` under the view's widgets (empty: takes no room)."""
    try:
        import ipywidgets as w
    except ImportError:
        return None
    out = w.Output(layout=w.Layout(max_height="16em", overflow="auto"))
    if hasattr(box, "children"):
        box.children = tuple(box.children) + (out,)
    return out


def _route_live_output():
    from ..kernel import live as _klive
    _klive.set_output(show_output)      # a tick's output: under the newest live view


def png_widget(png):
    import ipywidgets as w
    return w.Image(value=png, format="png", layout=w.Layout(max_width="100%"))
