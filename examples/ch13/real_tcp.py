"""real_tcp: a real TCP socket (loopback only) used from otp_lite processes, in gen_tcp's shape.

=====================================  ==========================================
gen_tcp (passive mode, binaries)       real_tcp (same returns)
=====================================  ==========================================
``listen(0, Opts)``                    ``listen(0)`` -> ``('ok', lsock)`` on 127.0.0.1
``inet:port(LSock)``                   ``port(lsock)`` -> ``('ok', port)``
``accept(LSock, Timeout)``             ``accept(lsock, timeout)`` -> ``('ok', sock)`` | ``('error', 'timeout')``
``connect(Host, Port, Opts)``          ``connect(host, port)`` -> ``('ok', sock)`` | ``('error', 'econnrefused')``
``send(Sock, Data)``                   ``send(sock, data)`` -> ``'ok'``
``recv(Sock, 0, Timeout)``             ``recv(sock, 0, timeout)`` -> ``('ok', bytes)`` | ``('error', 'closed' | 'timeout')``
``close(Sock)``                        ``close(sock)`` -> ``'ok'``
=====================================  ==========================================

The bytes really go through the operating system's TCP stack on 127.0.0.1
(nothing leaves the machine).  What is simulated is the waiting: otp_lite
has no I/O poller, so a process waiting in ``accept``/``recv`` polls its
non-blocking socket, sleeping 1 ms of *virtual* time between tries (the
other processes run meanwhile, as they do while a BEAM process waits for a
port), after a short *real* wait (``select``, at most 20 ms) for the bytes
to arrive.  Timeouts count virtual milliseconds.  Only ``host`` 127.0.0.1 /
``localhost`` is accepted.

SSL: ``ssl.SSLContext.wrap_socket(sock)`` wraps the same socket object; OTP's
``ssl:connect/3``, ``ssl:listen/2``, ``ssl:send/2``, ``ssl:recv/3`` have
gen_tcp's shapes.
"""
import select
import socket

from otp_lite import timer

_LOOPBACK = ("127.0.0.1", "localhost", (127, 0, 0, 1))
_POLL_S = 0.02                          # the longest real wait between two virtual ticks


def listen(port=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(8)
    s.setblocking(False)
    return ("ok", s)


def port(lsock):
    return ("ok", lsock.getsockname()[1])


def connect(host, port):
    if host not in _LOOPBACK:
        return ("error", "nxdomain")    # this sandbox only talks to itself
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.settimeout(2)
        s.connect(("127.0.0.1", port))
    except ConnectionRefusedError:
        s.close()
        return ("error", "econnrefused")
    s.setblocking(False)
    return ("ok", s)


def _wait(sock, timeout):
    """Poll until ``sock`` is readable; False after ``timeout`` virtual ms."""
    waited = 0
    while True:
        r, _, _ = select.select([sock], [], [], _POLL_S)
        if r:
            return True
        if timeout != "infinity" and waited >= timeout:
            return False
        timer.sleep(1)                  # let the other processes run
        waited += 1


def accept(lsock, timeout="infinity"):
    if not _wait(lsock, timeout):
        return ("error", "timeout")
    s, _addr = lsock.accept()
    s.setblocking(False)
    return ("ok", s)


def send(sock, data):
    sock.setblocking(True)
    try:
        sock.sendall(bytes(data))
    except (BrokenPipeError, ConnectionResetError):
        return ("error", "closed")
    finally:
        sock.setblocking(False)
    return "ok"


def recv(sock, _length=0, timeout="infinity"):
    if not _wait(sock, timeout):
        return ("error", "timeout")
    try:
        data = sock.recv(65536)
    except ConnectionResetError:
        data = b""
    return ("ok", data) if data else ("error", "closed")


def close(sock):
    sock.close()
    return "ok"
