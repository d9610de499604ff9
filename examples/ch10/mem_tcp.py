"""mem_tcp: an in-memory stand-in for ``gen_tcp`` (passive mode), enough for ch10's tcp_wrapper.

=====================================  ==================================
gen_tcp                                mem_tcp (same returns)
=====================================  ==================================
``listen(Port, Opts)``                 ``listen(port, opts)`` -> ``('ok', lsock)``
``accept(LSock, Timeout)``             ``accept(lsock, timeout)`` -> ``('ok', sock)`` | ``('error', 'timeout')``
``connect(Host, Port, Opts)``          ``connect(host, port, opts)`` -> ``('ok', sock)`` | ``('error', 'econnrefused')``
``send(Sock, Data)``                   ``send(sock, data)`` -> ``'ok'`` | ``('error', 'closed')``
``recv(Sock, 0)``                      ``recv(sock, 0[, timeout])`` -> ``('ok', bytes)`` | ``('error', 'closed')``
``controlling_process(Sock, Pid)``     same; ``('error', 'not_owner')`` from anybody else
``close(Sock)``                        ``close(sock)`` -> ``'ok'``
=====================================  ==================================

Like TCP it is a byte *stream*: ``recv(sock, 0)`` returns everything that has
arrived so far, so many small sends may come out as one chunk.  A process
blocked in ``accept``/``recv`` waits in ``receive`` for a wake-up message
``('$mem_tcp', sock)``, so it stays a normal, killable, traceable process.
"""
from otp_lite import erlang, runtime
from otp_lite.erlang import TIMEOUT

_ports = {}


@runtime.on_reset
def _reset(rt):
    _ports.clear()


class Socket:
    _n = 0

    def __init__(self, owner, port):
        Socket._n += 1
        self.n, self.owner, self.port = Socket._n, owner, port
        self.buf, self.peer, self.closed, self.backlog = [], None, False, None

    def __repr__(self):
        return f"#Port<0.{self.n}>"


def _wake(sock):
    if sock.owner.alive:
        erlang.send(sock.owner, ("$mem_tcp", sock))


def _wait(sock, timeout):
    return erlang.receive(("$mem_tcp", sock), timeout=timeout) is not TIMEOUT


def _drain(sock):
    while erlang.receive(("$mem_tcp", sock), timeout=0) is not TIMEOUT:
        pass


def listen(port, opts=()):
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
            return ("error", "closed")
        if lsock.backlog:
            _drain(lsock)
            s = lsock.backlog.pop(0)
            s.owner = erlang.self()
            return ("ok", s)
        if not _wait(lsock, timeout):
            return ("error", "timeout")


def connect(host, port, opts=(), timeout="infinity"):
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
            return ("error", "closed")
        if not _wait(sock, timeout):
            return ("error", "timeout")


def controlling_process(sock, pid):
    if sock.owner is not erlang.self():
        return ("error", "not_owner")
    sock.owner = pid
    if sock.buf or (sock.peer is not None and sock.peer.closed):
        _wake(sock)
    return "ok"


def close(sock):
    if not sock.closed:
        sock.closed = True
        if sock.peer is not None:
            _wake(sock.peer)
        if _ports.get(sock.port) is sock:
            del _ports[sock.port]
    return "ok"
