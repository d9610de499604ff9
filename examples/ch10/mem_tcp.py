"""mem_tcp: an in-memory stand-in for ``gen_tcp`` (passive mode), enough for ch10's tcp_wrapper.

=====================================  ==================================
gen_tcp                                mem_tcp (same returns)
=====================================  ==================================
``listen(Port, Opts)``                 ``listen(port, opts)`` -> ``('ok', lsock)``
``accept(LSock, Timeout)``             ``accept(lsock, timeout)`` -> ``('ok', sock)`` | ``('error', 'timeout')``
``connect(Host, Port, Opts)``          ``connect(host, port, opts)`` -> ``('ok', sock)`` | ``('error', 'econnrefused')``
``send(Sock, Data)``                   ``send(sock, data)`` -> ``'ok'`` | ``('error', 'closed')``
``recv(Sock, 0)``                      ``recv(sock, 0[, timeout])`` -> ``('ok', bytes)`` | ``('error', 'closed')``
``controlling_process(Sock, Pid)``     same; ``('error', 'not_owner')`` from anybody else,
                                       ``('error', 'badarg')`` if ``pid`` is dead
``close(Sock)``                        ``close(sock)`` -> ``'ok'``
=====================================  ==================================

Like TCP it is a byte *stream*: ``recv(sock, 0)`` returns everything that has
arrived so far, so many small sends may come out as one chunk.  A process
blocked in ``accept``/``recv`` waits in ``receive`` for a wake-up message
``('$mem_tcp', sock)``, so it stays a normal, killable, traceable process.

As in ``gen_tcp``, a socket belongs to its owner (the controlling process):
when the owner dies, every socket it owns is closed.  A dead listener's port
is free again (``connect`` -> ``('error', 'econnrefused')``), the
connections it had not accepted yet are closed, and the peer of a dead
owner's connection sees ``('error', 'closed')`` (probed on OTP 25).
"""
from otp_lite import erlang, runtime
from otp_lite.erlang import TIMEOUT
from otp_lite.kernel import state as _state

_ports = {}
_open = {}          # socket number -> Socket, every socket not closed yet


@runtime.on_reset
def _reset(rt):
    _ports.clear()
    _open.clear()


def _watch():
    """Close a process's sockets when it dies (one exit hook per runtime, as ets does for tables)."""
    rt = _state.rt
    if rt is not None and not rt.__dict__.get("_mem_tcp_hook"):
        rt._mem_tcp_hook = True
        rt.exit_hooks.append(_owner_died)


def _owner_died(p, reason):
    for s in [s for s in _open.values() if s.owner is p]:
        _close(s, p)


class Socket:
    _n = 0

    def __init__(self, owner, port):
        Socket._n += 1
        self.n, self.owner, self.port = Socket._n, owner, port
        self.buf, self.peer, self.closed, self.backlog = [], None, False, None
        _open[self.n] = self

    def __repr__(self):
        return f"#Port<0.{self.n}>"


def _wake(sock, sender=None):
    if sock.owner.alive:
        if sender is None:
            erlang.send(sock.owner, ("$mem_tcp", sock))
        else:                                   # from the exit hook: the dead owner is the sender
            _state.rt.deliver(sock.owner, ("$mem_tcp", sock), sender)


def _wait(sock, timeout):
    return erlang.receive(("$mem_tcp", sock), timeout=timeout) is not TIMEOUT


def _drain(sock):
    while erlang.receive(("$mem_tcp", sock), timeout=0) is not TIMEOUT:
        pass


def listen(port, opts=()):
    _watch()
    old = _ports.get(port)
    if old is not None and not old.closed:
        return ("error", "eaddrinuse")
    s = Socket(erlang.self(), port)
    s.backlog = []
    _ports[port] = s
    return ("ok", s)


def accept(lsock, timeout="infinity"):
    while True:
        if lsock.closed:
            _drain(lsock)
            return ("error", "closed")
        if lsock.backlog:
            _drain(lsock)
            s = lsock.backlog.pop(0)
            s.owner = erlang.self()
            return ("ok", s)
        if not _wait(lsock, timeout):
            return ("error", "timeout")


def connect(host, port, opts=(), timeout="infinity"):
    _watch()
    ls = _ports.get(port)
    if ls is None or ls.closed:
        return ("error", "econnrefused")
    me = erlang.self()
    client, server = Socket(me, port), Socket(ls.owner, port)
    client.peer, server.peer = server, client
    ls.backlog.append(server)
    _wake(ls)
    return ("ok", client)


def send(sock, data):
    if sock.closed or sock.peer is None or sock.peer.closed:
        return ("error", "closed")
    sock.peer.buf.append(bytes(data))
    _wake(sock.peer)
    return "ok"


def recv(sock, length=0, timeout="infinity"):
    while True:
        if sock.buf:
            _drain(sock)
            data, sock.buf = b"".join(sock.buf), []
            return ("ok", data)
        if sock.closed or sock.peer is None or sock.peer.closed:
            _drain(sock)
            return ("error", "closed")
        if not _wait(sock, timeout):
            return ("error", "timeout")


def controlling_process(sock, pid):
    if sock.owner is not erlang.self():
        return ("error", "not_owner")
    if not pid.alive:
        return ("error", "badarg")
    sock.owner = pid
    if sock.buf or (sock.peer is not None and sock.peer.closed):
        _wake(sock)
    return "ok"


def close(sock):
    _close(sock)
    return "ok"


def _close(sock, sender=None):
    if sock.closed:
        return
    sock.closed = True
    _open.pop(sock.n, None)
    if sock.peer is not None:
        _wake(sock.peer, sender)
    if _ports.get(sock.port) is sock:
        del _ports[sock.port]
    if sock.backlog:                            # connections never accepted
        pending, sock.backlog = sock.backlog, []
        for s in pending:
            _close(s, sender)
