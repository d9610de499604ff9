"""The runtime: reset it, run it, observe it.

``reset(clock='virtual', seed=0)`` makes a fresh runtime in which the caller
(a test, a notebook cell) is the shell process.  In a notebook, a hook runs the
runtime until it is quiet after each cell, so a cell that only sends messages
still sees their effects in the next cell.

``clock='real'`` is live mode: timers fire on wall time, and in JupyterLab the
runtime keeps running between cells (see :func:`otp_lite.runtime.live`).
"""
from __future__ import annotations

from .kernel import state as _state
from .kernel.scheduler import Runtime
from .kernel import trace as _trace
from .kernel import live as _live
from .kernel import preempt as _preempt

__all__ = ["reset", "current", "run_until_idle", "now", "emit", "subscribe",
           "unsubscribe", "Recorder", "shell", "Runtime", "live", "is_live"]


def reset(clock="virtual", seed=0, shuffle=False, preempt_ms="auto"):
    """A fresh runtime; the caller becomes the shell process.  Returns it.

    ``clock``: ``'virtual'`` (default, deterministic, timeouts take no wall
    time) or ``'real'``.  ``shuffle=True`` picks the next runnable process at
    random from a ``seed``-ed generator, to expose ordering assumptions.
    In a running asyncio loop (a Jupyter kernel) ``clock='real'`` also
    starts live mode (:func:`live`).

    ``preempt_ms``: the time slice, in ms of CPU, after which a process
    that neither sends nor receives is preempted (``'auto'``: 100 under the
    virtual clock, 10 under the real one; ``None``: never, as before).
    See ``otp_lite/kernel/preempt.py`` for when this can change an
    interleaving.
    """
    old = _state.rt
    if old is not None:
        _live.stop(old)
        old.close()
    rt = Runtime(clock=clock, seed=seed, shuffle=shuffle, preempt_ms=preempt_ms)
    _state.rt = rt
    _preempt.install_sigint()
    for hook in _reset_hooks:
        hook(rt)
    _install_ipython_hook()
    if _live.maybe_start(rt) is not None:
        _live.set_fallback(_cell_sink())
    return rt


def _cell_sink():
    """In IPython: a sink that prints into the cell running now (the one that started
    live mode), even later, between cells, where output would otherwise get lost."""
    try:
        from IPython import get_ipython
        ip = get_ipython()
        parent = ip.kernel.get_parent("shell") if ip is not None and hasattr(ip, "kernel") else None
    except Exception:  # noqa: BLE001 - not a kernel: plain print
        parent = None
    if not parent:
        return None
    import sys as _sys

    def sink(text):
        out = _sys.stdout
        if not hasattr(out, "set_thread_parent"):
            print(text, end="")
            return
        tok = out.set_thread_parent(parent)
        try:
            out.write(text)
            out.flush()
        finally:
            out.reset_thread_parent(tok)
    return sink


def live(on=True, slice_ms=_live.SLICE_MS, idle_ms=_live.IDLE_MS, loop=None):
    """Live mode on/off: keep running processes and timers between notebook cells.

    Needs the real clock (``reset(clock='real')``) and a running asyncio loop
    (JupyterLab's kernel has one).  Each tick runs the runtime for at most
    ``slice_ms`` of wall time, so the notebook never freezes.  Returns the
    :class:`~otp_lite.kernel.live.Live` (or None when switched off).
    """
    rt = current()
    if not on:
        _live.stop(rt)
        return None
    return _live.start(rt, loop=loop, slice_ms=slice_ms, idle_ms=idle_ms)


def is_live():
    rt = _state.rt
    return rt is not None and _live.get(rt) is not None


_reset_hooks = []


def on_reset(fn):
    """Register ``fn(rt)`` to run after every reset (used by logger, ets, viz)."""
    _reset_hooks.append(fn)
    return fn


def current():
    """The current runtime (making a virtual one if there is none)."""
    rt = _state.rt
    return rt if rt is not None else reset()


def run_until_idle():
    """Run every runnable process and every due timer, then return."""
    current().run_until_idle()


def now():
    """Milliseconds since reset, on the runtime's clock."""
    return current().now_ms()


def shell():
    return current().shell


def emit(kind, **fields):
    """Put a behaviour-level event on the trace bus (no-op when nobody listens)."""
    tr = current().trace
    if tr is not None:
        fields.setdefault("pid", current().current)
        tr.emit(kind, **fields)


def subscribe(fn):
    return _trace.subscribe(current(), fn)


def unsubscribe(fn):
    _trace.unsubscribe(current(), fn)


Recorder = _trace.Recorder

_ipy_hooked = False


def _install_ipython_hook():
    """In IPython/Jupyter: after each cell, run the runtime until it is quiet."""
    global _ipy_hooked
    if _ipy_hooked:
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    ip = get_ipython()
    if ip is None:
        return

    def _post_run_cell(result=None):
        rt = _state.rt
        if rt is None or rt.closed:
            return
        lv = _live.get(rt)
        if lv is not None:               # live: the tick runs it, in bounded slices
            lv.kick()
            return
        try:
            rt.run_until_idle()
        except Exception as e:  # a dead shell, a deadlock: report, never kill the kernel
            print(f"** {type(e).__name__}: {e}")

    def _pre_run_cell(info=None):
        # ipykernel puts Python's default Ctrl-C handler back before each
        # cell: use otp_lite's, so Interrupt stops the cell, not a process
        if _state.rt is not None:
            _preempt.install_sigint()

    ip.events.register("pre_run_cell", _pre_run_cell)
    ip.events.register("post_run_cell", _post_run_cell)
    _ipy_hooked = True
