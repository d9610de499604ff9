"""HLR: a Home Location Register that forgets the dead (reference solution).

Mirrors the book's ``hlr`` (ch. 2), with one change: the book keeps the two
tables in public ETS tables, so nobody notices when an attached process
dies.  Here one process, registered as ``'hlr'``, owns both maps and
*monitors* every attached process; its ``'DOWN'`` message removes the
entries.  A monitor, not a link: a client that crashes must not take the
HLR down with it.

=====================  =========================================
client call            answer
=====================  =========================================
``new()``              ``'ok'`` (starts the HLR, named ``'hlr'``)
``attach(ms)``         ``True``
``detach()``           ``True``
``lookup_id(ms)``      ``('ok', pid)`` | ``('error', 'invalid')``
``lookup_ms(pid)``     ``('ok', ms)`` | ``('error', 'invalid')``
=====================  =========================================
"""
from otp_lite import erlang
from otp_lite.erlang import ANY


# ------------------------------------------------------------------ client API
def new():
    """Start the HLR process and register it as ``'hlr'``; returns ``'ok'``."""
    erlang.register("hlr", erlang.spawn(init))
    return "ok"


def attach(ms):
    """Attach the calling process to the number ``ms``; returns ``True``."""
    return call(("attach", ms))


def detach():
    """Detach the calling process; returns ``True`` (also when it was not attached)."""
    return call("detach")


def lookup_id(ms):
    """The pid attached to ``ms``: ``('ok', pid)`` or ``('error', 'invalid')``."""
    return call(("lookup_id", ms))


def lookup_ms(pid):
    """The number ``pid`` is attached to: ``('ok', ms)`` or ``('error', 'invalid')``."""
    return call(("lookup_ms", pid))


def call(request):
    ref = erlang.make_ref()
    erlang.send("hlr", ("request", (ref, erlang.self()), request))
    _, _, reply = erlang.receive(("reply", ref, ANY))
    return reply


# ------------------------------------------------------------------ the HLR process
def init():
    loop({}, {})


def loop(by_ms, by_pid):
    """by_ms: {ms: pid}; by_pid: {pid: (ms, monitor_ref)}."""
    while True:
        msg = erlang.receive()
        if msg[0] == "request":
            _, (ref, frm), request = msg
            reply = handle(request, frm, by_ms, by_pid)
            erlang.send(frm, ("reply", ref, reply))
        elif msg[0] == "DOWN":
            _, _ref, _process, pid, _reason = msg
            forget(pid, by_ms, by_pid, demonitor=False)


def handle(request, frm, by_ms, by_pid):
    if request == "detach":
        forget(frm, by_ms, by_pid)
        return True
    tag, arg = request
    if tag == "attach":
        if frm in by_pid:                       # re-attach: drop the old number
            old_ms, mref = by_pid[frm]
            by_ms.pop(old_ms, None)
        else:
            mref = erlang.monitor("process", frm)
        other = by_ms.get(arg)
        if other is not None and other is not frm:
            forget(other, by_ms, by_pid)        # the number moves to its new owner
        by_ms[arg] = frm
        by_pid[frm] = (arg, mref)
        return True
    if tag == "lookup_id":
        pid = by_ms.get(arg)
        return ("ok", pid) if pid is not None else ("error", "invalid")
    if tag == "lookup_ms":
        entry = by_pid.get(arg)
        return ("ok", entry[0]) if entry is not None else ("error", "invalid")
    return ("error", "unknown_request")


def forget(pid, by_ms, by_pid, demonitor=True):
    entry = by_pid.pop(pid, None)
    if entry is None:
        return
    ms, mref = entry
    if by_ms.get(ms) is pid:
        del by_ms[ms]
    if demonitor:
        erlang.demonitor(mref, flush=True)
