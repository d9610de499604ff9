"""otp_lite.viz: see the system move (book ch. 5-8, 16).

Views over the trace bus, each with three forms: ``text()`` (stable, what
``repr`` shows, compared by strict nbval), ``figure()`` (matplotlib; shown as
a PNG in notebooks) and ``live()`` (ipywidgets that follow the runtime).

=====================================  ======================================
view                                   shows
=====================================  ======================================
``sup_tree(sup_or_trace)``             supervisors, workers, status, restarts
``fsm(pid_or_module_or_trace)``        gen_statem states and transitions
``event_manager(m, event=)``           a gen_event manager and its handlers
``fsm_upgrade(old, new, mapping)``     two versions, one layout, old -> new states
``sequence(trace, pids=, kinds=)``     message sequence chart
``observer()``                         process table (pid, name, reds, queue)
``Player(trace)``                      step / scrub through a recorded trace
``dashboard(gauges=, counters=, ...)`` metrics, thresholds and active alarms
=====================================  ======================================

Every view takes ``upto_seq=`` (show the system as it was after that event).
Call ``viz.record()`` right after ``runtime.reset()`` so that the views see
every event from the start.

See also: otp_lite.runtime (Recorder, emit), otp_lite.sys (trace).
"""
from __future__ import annotations

from .. import runtime as _runtime
from ._common import (record, stop_recording, current_recorder, events_of, fmt_term,
                      OKABE_ITO, STATUS_COLOURS)
from .sup_tree import sup_tree, SupTree
from .sequence import sequence, Sequence
from .fsm import fsm, Fsm
from .event_manager import event_manager, EventManager
from .fsm_upgrade import fsm_upgrade, FsmUpgrade
from .observer import observer, Observer
from .player import Player
from .dashboard import dashboard, Dashboard
from .capacity import capacity, Capacity
from .timeline import timeline, Timeline

__all__ = ["capacity", "Capacity", "timeline", "Timeline", "record", "stop_recording", "current_recorder", "events_of", "fmt_term",
           "OKABE_ITO", "STATUS_COLOURS", "sup_tree", "SupTree",
           "sequence", "Sequence", "fsm", "Fsm", "event_manager", "EventManager", "fsm_upgrade", "FsmUpgrade",
           "observer", "Observer", "Player", "dashboard", "Dashboard"]

from . import _common as _c
_runtime.on_reset(_c._on_reset)
