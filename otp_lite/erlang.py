"""The BIFs: mirrors Erlang's ``erlang`` module (OTP 25); book chapter 2.

=========================  =====================================
Erlang                     otp_lite
=========================  =====================================
``spawn(F)``               ``spawn(fun, *args)``
``Pid ! Msg``              ``send(pid, msg)``
``receive P -> .. after``  ``receive(*patterns, timeout=...)``
``self()``                 ``self()``
``exit(R)`` / ``exit(P,R)``  ``exit(reason)`` / ``exit(pid, reason)``
``process_flag(trap_exit, true)``  ``process_flag('trap_exit', True)``
=========================  =====================================

Failure rule: a BIF given bad input raises :class:`ErlangError` with OTP's
reason (``'badarg'``, ``'noproc'``, ``'timeout_value'``) and a sentence that
says what was wrong; the runtime keeps running.

See also: otp_lite.runtime, otp_lite.timer, otp_lite.proc_lib.
"""
from __future__ import annotations

from .kernel import state as _state
from .kernel.process import Pid
from .kernel.terms import (ANY, TIMEOUT, Ref, Exit, ErlangError, Throw, Deadlock,
                           NODE, match)
from .kernel.signals import Killed
from .kernel.timers import MSG

__all__ = [
    "ANY", "TIMEOUT", "Pid", "Ref", "Exit", "ErlangError", "Throw", "Deadlock", "match",
    "spawn", "spawn_link", "spawn_monitor", "spawn_opt", "garbage_collect", "self", "send", "receive", "flush",
    "link", "unlink", "monitor", "demonitor", "exit", "error", "throw",
    "process_flag", "process_info", "register", "unregister", "whereis",
    "registered", "make_ref", "send_after", "start_timer", "cancel_timer",
    "read_timer", "is_process_alive", "processes", "monotonic_time",
    "system_time", "node", "nodes", "monitor_node", "disconnect_node", "put", "get", "erase", "get_keys",
    "is_pid", "group_leader", "yield_", "apply", "system_info",
]


def _rt():
    rt = _state.rt
    if rt is None:
        from . import runtime
        rt = runtime.reset()
    return rt


# ------------------------------------------------------------- processes
def spawn(fun, *args):
    """Start ``fun(*args)`` in a new process; returns its pid.

    ``spawn(node, fun, *args)`` starts it on another node (``otp_lite.dist``).
    """
    if type(fun) is str:
        return _remote_spawn(fun, args)[0]
    return _rt().spawn(fun, args)[0]


def spawn_link(fun, *args):
    """Like :func:`spawn`, and link the caller to the new process atomically."""
    if type(fun) is str:
        return _remote_spawn(fun, args, link=True)[0]
    return _rt().spawn(fun, args, link=True)[0]


def spawn_monitor(fun, *args):
    """Spawn and monitor atomically; returns ``(pid, ref)``."""
    if type(fun) is str:
        return _remote_spawn(fun, args, monitor=True)
    return _rt().spawn(fun, args, monitor=True)


_PRIORITIES = ("low", "normal", "high", "max")
_GC_SIZES = ("min_heap_size", "min_bin_vheap_size", "fullsweep_after")


def _heap_size(words):
    """BEAM's heap sizes grow as a(n) = a(n-1) + a(n-2) + 1 from 233, 376: a requested
    min_heap_size becomes the next one (1000 -> 1598), as process_info reports it."""
    a, b = 233, 376
    while a < words:
        a, b = b, a + b + 1
    return a


def spawn_opt(fun, options, args=()):
    """``spawn_opt(Fun, Options)``: spawn with options; a pid, or ``(pid, ref)`` with ``'monitor'``.

    Options, as OTP 25: ``'link'``, ``'monitor'``, ``('priority', 'low' | 'normal' |
    'high' | 'max')``, ``('min_heap_size', words)``, ``('min_bin_vheap_size', words)``,
    ``('fullsweep_after', n)``, ``('max_heap_size', words)``, ``('message_queue_data',
    'off_heap' | 'on_heap')``; anything else is ``badarg``.  ``args``: the function's
    arguments (Erlang's spawn_opt/2 takes a fun of none).

    Simulated: the options are kept and reported (``process_info(P, 'priority')``,
    ``process_info(P, 'garbage_collection')``), but otp_lite's scheduler runs every
    priority alike and a process has no heap of its own to size or collect.  On BEAM
    a ``high`` process runs before every ``normal`` one, which is why the book says to
    leave priorities alone.
    """
    if type(options) is not list:
        raise ErlangError("badarg", f"spawn_opt: the options must be a list, got {options!r}")
    link = monitor = False
    opts = {}
    for o in options:
        if o == "link":
            link = True
        elif o == "monitor":
            monitor = True
        elif type(o) is tuple and len(o) == 2 and o[0] == "priority" and o[1] in _PRIORITIES:
            opts["priority"] = o[1]
        elif type(o) is tuple and len(o) == 2 and o[0] in _GC_SIZES + ("max_heap_size",) \
                and type(o[1]) is int and o[1] >= 0:
            opts[o[0]] = _heap_size(o[1]) if o[0] == "min_heap_size" else o[1]
        elif type(o) is tuple and len(o) == 2 and o[0] == "message_queue_data" and o[1] in ("off_heap", "on_heap"):
            opts["message_queue_data"] = o[1]
        else:
            raise ErlangError("badarg", f"spawn_opt: bad option {o!r} (OTP: badarg, cause badopt)")
    p, ref = _rt().spawn(fun, tuple(args), link=link, monitor=monitor)
    if opts:
        p.opts = opts
    return (p, ref) if monitor else p


def garbage_collect(pid=None):
    """``garbage_collect()`` / ``garbage_collect(Pid)``: True (False for a dead pid).

    Simulated: on BEAM this collects that one process's heap; an otp_lite process
    has no heap of its own (its terms live in the interpreter's shared one), so there
    is nothing to collect per process.
    """
    p = _rt().current if pid is None else pid
    if type(p) is not Pid:
        raise ErlangError("badarg", f"garbage_collect takes a pid, got {pid!r}")
    return bool(p.alive)


def _remote_spawn(node, args, link=False, monitor=False):
    rt = _rt()
    if not args or not callable(args[0]):
        raise ErlangError("badarg", f"spawn({node!r}, fun, *args) needs a function after the node name")
    if node == rt.current.node.name:
        return rt.spawn(args[0], args[1:], link=link, monitor=monitor)
    if rt.net is None:
        raise ErlangError("badarg", f"spawn on node {node!r}: this node is not distributed "
                          "(start nodes with otp_lite.dist.start_node first)")
    return rt.net.spawn(rt.current, node, args[0], args[1:], link=link, monitor=monitor)


def self():
    """The calling process's pid (in a notebook cell: the shell's)."""
    return _rt().current


def is_pid(x):
    return type(x) is Pid


def is_process_alive(pid):
    if type(pid) is not Pid or pid.status == "remote":    # remote: badarg, as OTP (dist.real)
        raise ErlangError("badarg", f"is_process_alive/1 takes a pid of this node, got {pid!r}")
    rt = _state.rt
    if rt is not None and rt.explore is not None:
        rt.explore("is_process_alive", pid, False)
    return pid.alive


def processes():
    """Every live pid, oldest first."""
    rt = _rt()
    return [rt.procs[k] for k in sorted(rt.procs)]


def yield_():
    """Let the other runnable processes run (``erlang:yield/0``)."""
    rt = _rt()
    rt.yield_now(rt.current)
    return True


def apply(fun, args, *more):
    """``erlang:apply(Fun, Args)``, or ``apply(Module, Function, Args)``: a non-function is
    ``('badfun', fun)``, a missing function ``undef``, as in OTP 25."""
    if more:
        module, name, argv = fun, args, more[0]
        if len(more) != 1 or type(argv) is not list:
            raise ErlangError("badarg", "apply(Module, Function, Args): Args must be a list")
        import importlib
        mod = module
        if type(module) is str:
            try:
                mod = importlib.import_module(module)
            except ImportError:
                mod = None
        f = getattr(mod, name, None) if mod is not None and type(name) is str else None
        if not callable(f):
            raise ErlangError("undef", f"{module}:{name}/{len(argv)} is not defined")
        return f(*argv)
    if not callable(fun):
        raise ErlangError(("badfun", fun), f"apply({fun!r}, ...): not a function")
    if type(args) is not list and type(args) is not tuple:
        raise ErlangError("badarg", f"apply(fun, {args!r}): the arguments must be a list")
    return fun(*args)


# ------------------------------------------------------------- messages
def send(dest, msg):
    """``Dest ! Msg``: dest is a pid, a registered name or ``(name, node)``.

    Sending to a dead pid is silently dropped; to an unregistered name it
    fails with ``badarg``, as in Erlang.  Returns ``msg``.
    """
    return (_state.rt or _rt()).send(dest, msg)     # (inline: one Python call fewer per message)


def receive(*patterns, timeout="infinity"):
    """Selective receive: the oldest message matching any pattern, or ``TIMEOUT``.

    No pattern takes the oldest message.  ``timeout`` is in ms (``0`` polls,
    ``'infinity'`` waits for ever).  Unmatched messages stay in order.
    """
    return (_state.rt or _rt()).receive(patterns, timeout)


def flush():
    """Empty the caller's mailbox; print and return what was there (shell ``flush()``)."""
    rt = _rt()
    p = rt.current
    msgs = list(p.mbox)
    p.mbox.clear()
    for m in msgs:
        print(f"Shell got {m!r}")
    return msgs


# ------------------------------------------------------------- links & monitors
def link(pid):
    rt = _rt()
    if rt.explore is not None:
        rt.explore("link", pid)
    return rt.link(rt.current, pid)


def unlink(pid):
    rt = _rt()
    if rt.explore is not None:
        rt.explore("unlink", pid)
    return rt.unlink(rt.current, pid)


def monitor(kind, target):
    """``monitor('process', pid_or_name)`` -> ref; DOWN ``('DOWN', ref, 'process', obj, reason)``."""
    rt = _rt()
    if rt.explore is not None:
        rt.explore("monitor", target)
    return rt.monitor(rt.current, kind, target)


def demonitor(ref, flush=False, info=False):
    """Remove a monitor; ``flush=True`` (or ``['flush']``) also drops its DOWN."""
    if isinstance(flush, list):
        opts = flush
        bad = [o for o in opts if o not in ("flush", "info")]
        if bad:
            raise ErlangError("badarg", f"demonitor/2: unknown option {bad[0]!r} (options: 'flush', 'info')")
        flush, info = "flush" in opts, "info" in opts
    rt = _rt()
    if rt.explore is not None:
        rt.explore("demonitor", ref)
    found = rt.demonitor(rt.current, ref, flush)
    return found if info else True


# ------------------------------------------------------------- exits
def exit(*args):
    """``exit(reason)`` ends the caller; ``exit(pid, reason)`` sends an exit signal."""
    if len(args) == 1:
        raise Exit(args[0])
    if len(args) != 2:
        raise ErlangError("undef", "exit(reason) or exit(pid, reason): no erlang:exit/" + str(len(args)))
    pid, reason = args
    rt = _rt()
    if rt.explore is not None:
        rt.explore("exit", pid)
    me = rt.current
    if type(pid) is not Pid:
        if type(pid) is str:
            raise ErlangError("badarg", f"exit/2 takes a pid; to reach a name use exit(whereis({pid!r}), ...)")
        raise ErlangError("badarg", f"exit/2 takes a pid, got {pid!r}")
    rt.exit_signal(pid, me, reason, direct=True)
    if me.pending is not None:
        rt._die_now(me)
    return True


def error(reason, args=None):
    """``erlang:error(Reason)``: exit reason ``(reason, stack)``."""
    raise ErlangError(reason)


def throw(value):
    raise Throw(value)


def process_flag(flag, value):
    """``process_flag('trap_exit', True)`` -> old value."""
    rt = _rt()
    p = rt.current
    if flag == "trap_exit":
        if type(value) is not bool:
            raise ErlangError("badarg", f"trap_exit must be True or False, got {value!r}")
        if rt.explore is not None and value != p.trap_exit:
            rt.explore("process_flag", p)       # an exit signal may land on either side
        old, p.trap_exit = p.trap_exit, value
        return old
    if flag == "priority":
        if value not in _PRIORITIES:
            raise ErlangError("badarg", f"priority must be one of {_PRIORITIES}, got {value!r}")
        opts = p.opts if p.opts is not None else {}
        old = opts.get("priority", "normal")
        opts["priority"] = value
        p.opts = opts
        return old
    if flag in ("message_queue_data", "min_heap_size", "fullsweep_after"):
        return None
    raise ErlangError("badarg", f"unknown process flag {flag!r} (otp_lite supports 'trap_exit')")


# ------------------------------------------------------------- registry
def register(name, pid):
    rt = _rt()
    if rt.explore is not None:
        rt.explore("register", (name, pid))
    return rt.register(name, pid)


def unregister(name):
    rt = _rt()
    if rt.explore is not None:
        rt.explore("unregister", name)
    return rt.unregister(name)


def whereis(name):
    """The pid registered as ``name``, or ``'undefined'``."""
    if type(name) is not str:
        raise ErlangError("badarg", f"whereis/1 takes an atom (str), got {name!r}")
    rt = _rt()
    if rt.explore is not None:
        rt.explore("whereis", name, False)
    p = rt.current.node.names.get(name)
    return p if p is not None else "undefined"


def registered():
    return sorted(_rt().current.node.names)


# ------------------------------------------------------------- refs & timers
def make_ref():
    return Ref()


def send_after(time, dest, msg):
    """Send ``msg`` to ``dest`` after ``time`` ms; returns a timer ref."""
    rt = _rt()
    _check_time(time, "send_after")
    if type(dest) is not Pid and type(dest) is not str:
        raise ErlangError("badarg", f"send_after/3: {dest!r} is not a pid or a name")
    return rt.add_timer(time, MSG, dest, msg, owner=rt.current).ref


def start_timer(time, dest, msg):
    """Like send_after, but delivers ``('timeout', ref, msg)``."""
    rt = _rt()
    _check_time(time, "start_timer")
    if type(dest) is not Pid and type(dest) is not str:
        raise ErlangError("badarg", f"start_timer/3: {dest!r} is not a pid or a name")
    ref = Ref()
    rt.add_timer(time, MSG, dest, ("timeout", ref, msg), owner=rt.current, ref=ref)
    return ref


def cancel_timer(ref):
    """Remaining ms, or ``False`` if the timer already fired or never existed."""
    if type(ref) is not Ref:
        raise ErlangError("badarg", f"cancel_timer/1 takes a timer reference, got {ref!r}")
    return _rt().cancel_timer(ref)


def read_timer(ref):
    """Remaining ms, or ``False``; not a reference: ``badarg`` (OTP 25)."""
    if type(ref) is not Ref:
        raise ErlangError("badarg", f"read_timer/1 takes a timer reference, got {ref!r}")
    return _rt().read_timer(ref)


def _check_time(t, what):
    if type(t) is not int or t < 0:          # OTP 25: send_after(1.5, ...) is badarg
        raise ErlangError("badarg", f"{what}: time must be a non-negative integer of ms, got {t!r}")


_UNITS = {"native": 1_000_000, "nanosecond": 1_000_000, "microsecond": 1000,
          "millisecond": 1, "second": 0.001}


def monotonic_time(unit="native"):
    """Monotonic time in ``unit`` (native = nanoseconds); virtual in virtual mode."""
    if type(unit) is not str or unit not in _UNITS:
        raise ErlangError("badarg", f"unknown time unit {unit!r}")
    return int(_rt().now_ms() * _UNITS[unit])


def system_time(unit="native"):
    return monotonic_time(unit)


def node(pid=None):
    """The caller's node name (``node(pid)``: the node ``pid`` runs on); 'nonode@nohost' until
    ``otp_lite.dist`` starts nodes."""
    if pid is None:
        return _rt().current.node.name
    if type(pid) is not Pid:
        raise ErlangError("badarg", f"node/1 takes a pid, got {pid!r}")
    return pid.node.name if pid.node is not None else NODE


def monitor_node(node, flag):
    """``monitor_node(Node, true)``: get ``('nodedown', Node)`` when the connection goes down."""
    rt = _rt()
    if type(node) is not str or type(flag) is not bool:
        raise ErlangError("badarg", f"monitor_node(node, True|False), got {node!r}, {flag!r}")
    if rt.net is None:
        if flag:
            rt.deliver(rt.current, ("nodedown", node), None)
        return True
    return rt.net.monitor_node(rt.current, node, flag)


def disconnect_node(node):
    """Take down the connection to ``node``: True, or False if there was none."""
    rt = _rt()
    if rt.net is None:
        return False
    return rt.net.disconnect(rt.current.node.name, node)


_NODE_KINDS = ("visible", "hidden", "connected", "this", "known")


def nodes(kind="visible"):
    """``nodes()``: the visible nodes the caller's node is connected to (``otp_lite.dist``),
    sorted.  ``nodes(Kind)`` or ``nodes([Kind...])`` as OTP: ``'visible'``, ``'hidden'``,
    ``'connected'`` (both), ``'this'``, ``'known'``.  A real node (``dist.start(...,
    real=True)``) is hidden, as a C node is: its connections are hidden ones, so its
    ``nodes()`` is ``[]`` and ``nodes('hidden')`` lists them (tests/oracle_probes/ch13_nb_hidden.out).
    """
    rt = _rt()
    kinds = kind if type(kind) is list else [kind]
    if not kinds or any(k not in _NODE_KINDS for k in kinds):
        raise ErlangError("badarg", f"nodes/1 takes one of {', '.join(_NODE_KINDS)} or a list of them, "
                          f"got {kind!r}")
    net = rt.net
    up = net.nodes_of(rt.current.node) if net is not None else []
    hidden = getattr(net, "hidden", False)
    out = []
    for k in kinds:
        if k == "this" or k == "known":
            out += [rt.current.node.name]
        if k in ("visible", "connected", "known") and not hidden:
            out += up
        if k in ("hidden", "connected", "known") and hidden:
            out += up
    seen = set()
    return [n for n in out if not (n in seen or seen.add(n))]


# ------------------------------------------------------------- system_info
def system_info(item):
    """``erlang:system_info/1`` for the few items that mean something here.

    otp_lite runs every process on ONE scheduler (one OS thread), so
    ``'schedulers'`` and ``'schedulers_online'`` are 1, what ``erl +S 1``
    reports; a BEAM started plainly runs one scheduler per core.
    ``'logical_processors'`` and ``'logical_processors_available'`` are the
    machine's (``'unknown'`` if it cannot tell, as OTP), ``'otp_release'`` the
    release otp_lite mirrors ("25"), ``'process_count'`` the live processes of
    the caller's node.  Any other item: badarg, as OTP for an unknown one.
    """
    import os
    rt = _rt()
    if item in ("schedulers", "schedulers_online"):
        return 1
    if item == "otp_release":
        return "25"
    if item == "process_count":
        here = rt.current.node
        return sum(1 for p in rt.procs.values() if p.alive and p.node is here)
    if item == "logical_processors":
        return os.cpu_count() or "unknown"
    if item == "logical_processors_available":
        try:
            return len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            return "unknown"
    raise ErlangError("badarg", f"system_info: {item!r} is not an item otp_lite knows "
                                "(schedulers, schedulers_online, logical_processors, "
                                "logical_processors_available, otp_release, process_count)")


# ------------------------------------------------------------- process dictionary
def _freeze(t):
    """A hashable stand-in for any term, equal for equal terms (lists, maps, tuples of them);
    an unhashable object that is no term stands for itself (by identity)."""
    try:
        hash(t)
        return t
    except TypeError:
        pass
    if type(t) is list:
        return ("$list", tuple(_freeze(x) for x in t))
    if type(t) is tuple:
        return ("$tuple", tuple(_freeze(x) for x in t))
    if type(t) is dict:
        return ("$map", frozenset((_freeze(k), _freeze(v)) for k, v in t.items()))
    return ("$obj", id(t))


class _AnyKey:
    """A process-dictionary key that Python cannot hash (OTP 25 takes any term:
    ``put([1], v)`` -> ``v``; tests/oracle_probes/ch23_bad_input_bifs.out)."""
    __slots__ = ("term", "frozen")

    def __init__(self, term):
        self.term, self.frozen = term, _freeze(term)

    def __hash__(self):
        return hash(self.frozen)

    def __eq__(self, other):
        return type(other) is _AnyKey and other.frozen == self.frozen


def _pkey(key):
    try:
        hash(key)
        return key
    except TypeError:
        return _AnyKey(key)


class _PDict(dict):
    """The process dictionary: keys that Python cannot hash are kept wrapped, and shown as given."""

    def items(self):
        return [(k.term if type(k) is _AnyKey else k, v) for k, v in dict.items(self)]

    def keys(self):
        return [k.term if type(k) is _AnyKey else k for k in dict.keys(self)]

    def __iter__(self):
        return iter(self.keys())

    def get(self, key, default=None):
        return dict.get(self, _pkey(key), default)

    def __getitem__(self, key):
        return dict.__getitem__(self, _pkey(key))

    def __contains__(self, key):
        return dict.__contains__(self, _pkey(key))

    def pop(self, key, *default):
        return dict.pop(self, _pkey(key), *default)


def put(key, value):
    p = _rt().current
    if p.dict is None:
        p.dict = _PDict()
    elif type(p.dict) is not _PDict:
        p.dict = _PDict(p.dict)
    old = p.dict.get(key, "undefined")
    dict.__setitem__(p.dict, _pkey(key), value)
    return old


def get(key=None):
    p = _rt().current
    d = p.dict or {}
    if key is None:
        return list(d.items())
    return d.get(_pkey(key) if type(d) is not _PDict else key, "undefined")


def erase(key):
    p = _rt().current
    if not p.dict:
        return "undefined"
    return p.dict.pop(_pkey(key) if type(p.dict) is not _PDict else key, "undefined")


def get_keys():
    return list((_rt().current.dict or {}).keys())


def group_leader():
    return _rt().current.group_leader


# ------------------------------------------------------------- process_info
from .kernel.info import process_info  # noqa: E402  (kept in its own module)
