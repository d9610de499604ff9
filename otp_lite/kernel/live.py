"""Live mode: the runtime keeps running between notebook cells, on wall-clock time.

Essay
-----
In a notebook the shell is the main greenlet, and the runtime only runs while a
cell calls into it (``receive``, ``timer.sleep``, ``run_until_idle``).  For live
demos (a supervision tree that restarts children while you watch, a gen_statem
whose 10-second timeout really takes 10 seconds) processes must also run
*between* cells.  ipykernel runs an asyncio event loop in the main thread, so
live mode schedules a *tick* on that loop::

    asyncio loop (main greenlet)          the runtime
    ----------------------------          -----------
    call_later(delay, tick) ... tick() -> rt.run_until_idle()   (one time slice)
                                          <- idle, or the slice is used up
    reschedule: now if processes are runnable, else at the next timer's
    deadline, and at least every ``idle_ms`` (so a message sent from a widget
    callback is picked up promptly)

A tick never blocks the event loop: it runs for at most ``slice_ms`` of wall
time (``Runtime.slice_end``, checked by the hub after each process switch),
never sleeps, and returns early when nothing can run, or when all that can
run are processes that used up their time slice.  A process that computes
for ever without blocking is preempted after its slice (``kernel/preempt.py``,
10 ms under the real clock), so it slows the notebook down but cannot
freeze it.

Only the real clock makes sense live (virtual time would jump ahead of the
wall), so :func:`start` refuses a virtual runtime.  Prior art: ipykernel's
``%gui asyncio`` integration, trio-asyncio's guest mode.
"""
from __future__ import annotations

import asyncio
import contextlib
import io
import time

from greenlet import getcurrent

from . import state
from .terms import Exit, Deadlock

SLICE_MS = 20        # longest a tick keeps the event loop busy
IDLE_MS = 50         # longest a tick waits when nothing is scheduled
_output = None       # where a tick's printed output goes (viz puts it under a live view)
_fallback = None     # else: the cell that started live mode (runtime, in IPython)


def set_output(fn):
    """``fn(text)`` receives what processes print during a live tick (None: print it)."""
    global _output
    _output = fn


def set_fallback(fn):
    """Where tick output goes when no ``set_output`` sink takes it (``fn(text)``)."""
    global _fallback
    _fallback = fn


def fallback(text):
    """Print ``text`` where the fallback sink says (the live-mode cell), else to stdout."""
    fn = _fallback
    if fn is not None:
        try:
            fn(text)
            return
        except Exception:        # noqa: BLE001 - never lose the text
            pass
    print(text, end="")


class Live:
    """The tick scheduled on an asyncio loop for one runtime."""

    def __init__(self, rt, loop, slice_ms=SLICE_MS, idle_ms=IDLE_MS):
        self.rt = rt
        self.loop = loop
        self.slice = slice_ms / 1000.0
        self.idle = idle_ms / 1000.0
        self.handle = None
        self.running = False
        self.ticks = 0
        self.errors = []             # (exception) raised into the shell during a tick

    # -- scheduling -----------------------------------------------------------
    def start(self):
        self.running = True
        self._schedule(0.0)
        return self

    def stop(self):
        self.running = False
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None

    def kick(self):
        """Tick as soon as the event loop is free (e.g. after a cell)."""
        if self.running:
            self._schedule(0.0)

    def _schedule(self, delay):
        if self.handle is not None:
            self.handle.cancel()
        if self.loop.is_closed():
            self.running = False
            self.handle = None
            return
        self.handle = self.loop.call_later(delay, self.tick)

    def next_delay(self):
        rt = self.rt
        if rt.runq:
            return 0.0
        nxt = rt.next_timer()
        if nxt is None:
            return self.idle
        return min(self.idle, max(0.0, (nxt - rt.now_ms()) / 1000.0))

    # -- the tick -------------------------------------------------------------
    def tick(self):
        self.handle = None
        rt = self.rt
        if not self.running or rt.closed or state.rt is not rt:
            self.stop()
            return
        if getcurrent() is not rt.main or rt.slice_end is not None:
            self._schedule(self.idle)        # not from the main greenlet / re-entered: later
            return
        self.ticks += 1
        rt.slice_end = time.monotonic() + self.slice
        sink = _output or _fallback
        buf = io.StringIO() if sink is not None else None
        try:
            if buf is not None:
                with contextlib.redirect_stdout(buf):
                    self._run(rt)
            else:
                self._run(rt)
        finally:
            rt.slice_end = None
            if buf is not None and buf.getvalue():
                try:
                    sink(buf.getvalue())
                except Exception:        # noqa: BLE001 - never lose the text for the sink's sake
                    print(buf.getvalue(), end="")
        if self.running:
            self._schedule(self.next_delay())

    def _run(self, rt):
        try:
            rt.run_until_idle()
        except (Exit, Deadlock) as e:        # the shell died: a new shell exists; report only
            self.errors.append(e)
            print(f"** live: the shell exited: {e}")
        except Exception as e:               # noqa: BLE001 - shown, and live mode goes on
            self.errors.append(e)
            rt.callback_error("a live tick", e)


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def start(rt, loop=None, slice_ms=SLICE_MS, idle_ms=IDLE_MS):
    """Start live mode for ``rt`` on ``loop`` (default: the running asyncio loop)."""
    if rt.virtual:
        raise ValueError("live mode needs the real clock: call runtime.reset(clock='real') "
                         "(virtual time would run ahead of the wall clock)")
    loop = loop or _running_loop()
    if loop is None:
        raise RuntimeError("live mode needs a running asyncio event loop (JupyterLab's kernel "
                           "has one); in a plain script call runtime.run_until_idle() instead")
    stop(rt)
    lv = Live(rt, loop, slice_ms, idle_ms)
    rt.__dict__["_live"] = lv
    return lv.start()


def stop(rt):
    lv = rt.__dict__.pop("_live", None)
    if lv is not None:
        lv.stop()


def get(rt):
    """The running :class:`Live` of ``rt``, or None."""
    lv = rt.__dict__.get("_live")
    return lv if lv is not None and lv.running else None


def maybe_start(rt):
    """``reset(clock='real')`` inside a running loop (a notebook) goes live by itself."""
    if not rt.virtual and _running_loop() is not None:
        return start(rt)
    return None
