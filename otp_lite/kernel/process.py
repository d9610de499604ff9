"""The process control block.  A pid *is* its process: ``erlang.self()`` returns it.

Every field lives in ``__slots__`` and optional ones (links, monitors,
dictionary ...) stay ``None`` until used, so an idle process costs one small
object, one deque and one greenlet.  Nothing here is public API: learners use
``otp_lite.erlang`` (``process_info``, ``link``...), which reads these fields.
"""
from __future__ import annotations

from collections import deque

# status values, as process_info reports them
RUNNABLE, RUNNING, WAITING, EXITING = "runnable", "running", "waiting", "exiting"


class Pid:
    __slots__ = (
        "num",          # the N in <0.N.0>
        "g",            # greenlet running the process (None once dead)
        "mbox",         # deque of messages, oldest first
        "waiting",      # 0: not waiting; 1: blocked in receive
        "alive",
        "status",
        "reason",       # exit reason once dead
        "pending",      # exit reason delivered by a signal, acted on at next switch
        "trap_exit",
        "links",        # set of Pid or None
        "monitors",     # dict ref -> (target, name_form) for monitors this process holds
        "watchers",     # dict ref -> watcher Pid for monitors on this process
        "name",         # registered name or None
        "dict",         # process dictionary or None
        "reds",         # reductions since last yield
        "reductions",   # total reductions
        "initial_call", # (module, function, arity) tuple
        "timer",        # receive-timeout timer entry or None
        "timed_out",
        "start",        # (fun, args) before the greenlet first runs
        "group_leader",
        "label",        # free text for viz (e.g. the callback module)
        "node",         # the Node it runs on (otp_lite.dist); its index is the N in <N.x.0>
        "cpu",          # CPU-timer ticks taken while it ran (kernel/preempt.py)
        "opts",         # spawn options kept for process_info (priority, GC sizes), or None
        "__weakref__",
    )

    def __init__(self, num):
        self.num = num
        self.g = None
        self.mbox = deque()
        self.waiting = 0
        self.alive = True
        self.status = RUNNABLE
        self.reason = None
        self.pending = None
        self.trap_exit = False
        self.links = None
        self.monitors = None
        self.watchers = None
        self.name = None
        self.dict = None
        self.reds = 0
        self.reductions = 0
        self.initial_call = None
        self.timer = None
        self.timed_out = False
        self.start = None
        self.group_leader = None
        self.label = None
        self.node = None
        self.cpu = 0
        self.opts = None

    def __repr__(self):
        n = self.node
        return f"<{n.index if n is not None else 0}.{self.num}.0>"

    __str__ = __repr__

    def __lt__(self, other):
        return self.num < other.num

    def __le__(self, other):
        return self.num <= other.num

    def __gt__(self, other):
        return self.num > other.num

    def __ge__(self, other):
        return self.num >= other.num

    def __reduce__(self):
        raise TypeError("pids are local to one runtime and cannot be pickled")


class Node:
    """A node as the kernel sees it: ``index`` (the N in ``<N.x.0>``), ``name``
    and its own registry ``names``.  The runtime has one (index 0,
    'nonode@nohost'); ``otp_lite.dist`` adds more and routes between them.
    """

    def __init__(self, index, name, names):
        self.index = index
        self.name = name
        self.names = names

    def __repr__(self):
        return f"Node({self.name!r})"
