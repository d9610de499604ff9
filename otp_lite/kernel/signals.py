"""Links, monitors and exit signals, following OTP 25 (reference/erlang_ref d1).

Rules (each is a test in tests/test_signals.py):

* A process that ends sends an exit signal with its reason to every linked
  process and a ``('DOWN', Ref, 'process', Object, Reason)`` message to every
  monitoring process (``Object`` is the pid, or ``(Name, Node)`` when the
  monitor was set up by name).
* An exit signal reaching a process that traps exits becomes the message
  ``('EXIT', From, Reason)``.  Otherwise ``'normal'`` is ignored and any other
  reason kills the receiver with the same reason.
* ``exit(Pid, 'kill')`` cannot be trapped: the target dies with ``'killed'``,
  and that is what its links see.  A process that *itself* exits with reason
  ``'kill'`` sends an ordinary (trappable) ``'kill'`` to its links.
* ``exit(self(), 'normal')`` ends the caller with ``'normal'``.
* Links are a set: linking twice and unlinking once leaves no link.  Each
  monitor is separate and produces its own DOWN.
* Linking to a dead process: a trapping caller gets ``('EXIT', Pid, 'noproc')``,
  others fail with ``noproc``.  Monitoring a dead pid or an unregistered name
  gives an immediate ``'noproc'`` DOWN.
"""
from __future__ import annotations

from .process import Pid, RUNNABLE
from .terms import ErlangError, Ref


def add_link(p, other):
    """Record the link both ways; False if ``p`` and ``other`` were linked already."""
    if p.links is None:
        p.links = set()
    if other in p.links:
        return False
    p.links.add(other)
    if other.links is None:
        other.links = set()
    other.links.add(p)
    return True


class Killed(BaseException):
    """Internal: an exit signal is terminating the running process.

    A ``BaseException`` so that ``except Exception`` in user code cannot
    swallow a kill, just as ``catch`` cannot stop an exit signal in Erlang.
    """

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class SignalsMixin:

    # -- delivery ------------------------------------------------------------
    def wake(self, p):
        p.waiting = 0
        p.status = RUNNABLE
        self.runq.append(p)

    def deliver(self, p, msg, sender=None):
        """Put ``msg`` in ``p``'s mailbox (p alive) and wake p if it waits."""
        p.mbox.append(msg)
        tr = self.trace
        if tr is not None:
            tr.emit("send", frm=sender, to=p, msg=msg)
        if p.waiting:
            self.wake(p)

    def kill_process(self, q, reason):
        """Make ``q`` exit with ``reason`` at its next scheduling point."""
        if q is self.current and q is not self.shell:
            raise Killed(reason)
        if q.pending is None:
            q.pending = reason
        if q.waiting:
            self.wake(q)

    def exit_signal(self, q, frm, reason, direct=False):
        """Deliver an exit signal from ``frm`` to ``q``.

        ``direct`` is True for ``erlang.exit(q, reason)``, False for links.
        """
        if not q.alive:
            return
        if frm is not None and q.node is not frm.node:
            return self.net.route_exit(frm, q, reason, direct)   # another node: through the network
        self.exit_signal_here(q, frm, reason, direct)

    def exit_signal_here(self, q, frm, reason, direct=False):
        """The receiving end of an exit signal (``otp_lite.dist`` calls it on arrival)."""
        if not q.alive:
            return
        tr = self.trace
        if tr is not None:
            tr.emit("exit_signal", frm=frm, to=q, reason=reason, direct=direct)
        if direct and reason == "kill":
            self.kill_process(q, "killed")
        elif q.trap_exit:
            self.deliver(q, ("EXIT", frm, reason), frm)
        elif reason == "normal":
            if direct and frm is q:
                self.kill_process(q, "normal")
        else:
            self.kill_process(q, reason)

    # -- links ---------------------------------------------------------------
    def link(self, p, other):
        if type(other) is not Pid:
            raise ErlangError("badarg", f"link/1 takes a pid, got {other!r}")
        if other is p:
            return True
        if other.node is not p.node and self.net is not None and self.net.wire:
            return self.net.link(p, other)          # a real connection: a LINK control message
        if not other.alive:
            if p.trap_exit:
                self.deliver(p, ("EXIT", other, "noproc"), other)
                return True
            raise ErlangError("noproc", f"link/1: {other!r} is not alive")
        if not add_link(p, other):
            return True
        tr = self.trace
        if tr is not None:
            tr.emit("link", pid=p, other=other)
        return True

    def unlink(self, p, other):
        if type(other) is not Pid:
            raise ErlangError("badarg", f"unlink/1 takes a pid, got {other!r}")
        if other.node is not p.node and self.net is not None and self.net.wire:
            return self.net.unlink(p, other)
        if p.links and other in p.links:
            p.links.discard(other)
            if other.links:
                other.links.discard(p)
            tr = self.trace
            if tr is not None:
                tr.emit("unlink", pid=p, other=other)
        return True

    # -- monitors ------------------------------------------------------------
    def monitor(self, p, kind, target):
        if kind != "process":
            raise ErlangError("badarg", f"monitor type must be 'process', got {kind!r}")
        ref = Ref()
        if type(target) is Pid:
            t, obj = target, target
        elif type(target) is str:
            t, obj = p.node.names.get(target), (target, p.node.name)
        elif type(target) is tuple and len(target) == 2 and type(target[0]) is str:
            name, node = target
            if node == p.node.name:
                t = p.node.names.get(name)
            elif self.net is not None:
                t = self.net.whereis(p, name, node)     # None, a Pid, or 'noconnection'
            else:
                t = None
            obj = target
        else:
            raise ErlangError("badarg", f"cannot monitor {target!r}: expected a pid, a name or (name, node)")
        tr = self.trace
        if tr is not None:
            tr.emit("monitor", pid=p, target=obj, ref=ref)
        if type(t) is Pid and t.node is not p.node and self.net is not None and self.net.wire:
            return self.net.monitor(p, t, obj, ref)     # a real connection: MONITOR_P
        if type(t) is Pid and t.alive:      # t: None, a Pid or 'noconnection'
            if t is p:
                return ref                  # OTP: monitoring yourself is a no-op (no monitor kept)
            mons = p.monitors
            if mons is None:
                mons = p.monitors = {}
            mons[ref] = t
            ws = t.watchers
            if ws is None:
                ws = t.watchers = {}
            ws[ref] = (p, obj)
            return ref
        if t == "noconnection":
            self.deliver(p, ("DOWN", ref, "process", obj, "noconnection"), None)
            return ref
        self.deliver(p, ("DOWN", ref, "process", obj, "noproc"), t)
        return ref

    def demonitor(self, p, ref, flush=False, since=0):
        if type(ref) is not Ref:
            raise ErlangError("badarg", f"demonitor/1 takes a reference, got {ref!r}")
        found = False
        mons = p.monitors
        t = mons.pop(ref, None) if mons else None      # values are Pids, never None
        if t is not None:
            ws = t.watchers
            if ws:
                ws.pop(ref, None)
            found = True
            if t.node is not p.node and self.net is not None and self.net.wire:
                self.net.demonitor(p, t, ref)
            tr = self.trace
            if tr is not None:
                tr.emit("demonitor", pid=p, target=t, ref=ref)
        mbox = p.mbox
        if flush and mbox and not found:
            # A monitor still active has sent no 'DOWN' (it fires once, and is removed as it
            # fires): only a monitor already gone can have left one, and only after the ref
            # was made, i.e. at or after ``since`` (a mailbox length the caller noted then).
            for i in range(min(since, len(mbox)), len(mbox)):
                m = mbox[i]
                if type(m) is tuple and len(m) == 5 and m[0] == "DOWN" and m[1] == ref:
                    del mbox[i]
                    break
        return found

    # -- process exit --------------------------------------------------------
    def terminate(self, p, reason):
        """Bookkeeping when ``p`` ends: names, links, monitors, owned resources."""
        if not p.alive:
            return
        p.alive = False
        p.status = "exiting"
        p.reason = reason
        p.waiting = 0
        if p.timer is not None:
            p.timer.cancelled = True
            p.timer = None
        tr = self.trace
        if tr is not None:
            tr.emit("exit", pid=p, reason=reason)
        if p.name is not None:
            p.node.names.pop(p.name, None)
            p.name = None
        self.procs.pop(p.num, None)
        if p.monitors:
            for ref, t in p.monitors.items():
                if t.watchers:
                    t.watchers.pop(ref, None)
                if t.node is not p.node and self.net is not None and self.net.wire:
                    self.net.demonitor(p, t, ref)
            p.monitors = None
        links = p.links
        if links:
            p.links = None
            for q in sorted(links):
                if q.links:
                    q.links.discard(p)
                self.exit_signal(q, p, reason)
        watchers = p.watchers
        if watchers:
            p.watchers = None
            for ref, (w, obj) in watchers.items():
                if w.monitors:
                    w.monitors.pop(ref, None)
                if w.alive:
                    if w.node is not p.node:        # another node: through the network
                        if self.net.wire:
                            self.net.route_down(p, w, ref, obj, reason)     # MONITOR_P_EXIT
                        else:
                            self.net.route(p, w, ("DOWN", ref, "process", obj, reason))
                    else:
                        self.deliver(w, ("DOWN", ref, "process", obj, reason), p)
        for hook in self.exit_hooks:
            hook(p, reason)
        p.mbox.clear()
        p.dict = None
