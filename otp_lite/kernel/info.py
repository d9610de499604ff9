"""``erlang:process_info/1,2``: what a process is doing, as OTP reports it."""
from __future__ import annotations

import sys

from . import state
from .process import Pid
from .preempt import plain_status
from .terms import ErlangError

ITEMS = ("current_function", "initial_call", "status", "message_queue_len",
         "messages", "links", "dictionary", "trap_exit", "reductions",
         "registered_name", "monitors", "monitored_by", "memory", "group_leader",
         "error_handler", "priority", "suspending", "garbage_collection")


_DEFAULT_ITEMS = ("current_function", "initial_call", "status", "message_queue_len", "links",
                  "dictionary", "trap_exit", "error_handler", "priority", "group_leader",
                  "reductions", "suspending")


def _current_function(p):
    g = p.g
    if g is None or p is state.rt.current:
        f = sys._getframe(2) if p is state.rt.current else None
    else:
        f = getattr(g, "gr_frame", None)
    while f is not None:
        fn = f.f_code.co_filename
        if "/otp_lite/kernel/" not in fn and not fn.endswith("otp_lite/erlang.py"):
            mod = f.f_globals.get("__name__", "?")
            return (mod, f.f_code.co_name, f.f_code.co_argcount)
        f = f.f_back
    return p.initial_call


def _memory(p):
    size = sys.getsizeof(p) + sys.getsizeof(p.mbox)
    for m in p.mbox:
        size += sys.getsizeof(m)
    return size + 1024


def _item(p, item):
    if item == "status":
        return plain_status(p.status)
    if item == "message_queue_len":
        return len(p.mbox)
    if item == "messages":
        return list(p.mbox)
    if item == "links":
        return sorted(p.links) if p.links else []
    if item == "monitors":
        return [("process", t) for t in (p.monitors or {}).values()]
    if item == "monitored_by":
        return [w for (w, _o) in (p.watchers or {}).values()]
    if item == "registered_name":
        return p.name if p.name is not None else []
    if item == "reductions":
        return p.reductions + p.reds
    if item == "trap_exit":
        return p.trap_exit
    if item == "dictionary":
        return list((p.dict or {}).items())
    if item == "initial_call":
        return p.initial_call
    if item == "current_function":
        return _current_function(p)
    if item == "memory":
        return _memory(p)
    if item == "group_leader":
        return p.group_leader
    if item == "error_handler":
        return "error_handler"
    if item == "priority":
        return (p.opts or {}).get("priority", "normal")
    if item == "garbage_collection":
        o = p.opts or {}
        return [("max_heap_size", {"error_logger": True, "kill": True, "size": o.get("max_heap_size", 0)}),
                ("min_bin_vheap_size", o.get("min_bin_vheap_size", 46422)),
                ("min_heap_size", o.get("min_heap_size", 233)),
                ("fullsweep_after", o.get("fullsweep_after", 65535)),
                ("minor_gcs", 0)]
    if item == "suspending":
        return []
    raise ErlangError("badarg", f"process_info: unknown item {item!r}; known items: {', '.join(ITEMS)}")


def process_info(pid, item=None):
    """``process_info(pid)`` -> list of (item, value); ``'undefined'`` if dead.

    ``process_info(pid, item)`` -> ``(item, value)`` (``[]`` for a missing
    registered_name, as OTP), or a list of pairs when ``item`` is a list.
    """
    if type(pid) is not Pid:
        raise ErlangError("badarg", f"process_info takes a pid, got {pid!r}")
    if pid.status == "remote":          # a process of a real Erlang node (otp_lite.dist.real)
        raise ErlangError("badarg", f"process_info of {pid!r}, a process of {pid.node.name}: OTP says "
                          "badarg too; ask its node: rpc.call(node, 'erlang', 'process_info', [pid])")
    if not pid.alive:
        return "undefined"
    if item is None:
        # OTP 25's process_info/1 keys, in its order, less the heap/GC sizes
        # that mean nothing here (no 'messages': OTP lists only their count)
        out = [("registered_name", pid.name)] if pid.name is not None else []
        for it in _DEFAULT_ITEMS:
            out.append((it, _item(pid, it)))
        return out
    if isinstance(item, list):
        return [(it, _item(pid, it)) for it in item]
    v = _item(pid, item)
    if item == "registered_name" and v == []:
        return []
    return (item, v)
