"""Talk to epmd, the Erlang Port Mapper Daemon (erts ``erl_dist_protocol``, "EPMD Protocol").

``register(alive, port)`` is what ``net_kernel`` does at start: ALIVE2_REQ on a
connection that stays open (closing it unregisters the name); epmd answers
ALIVE2_X_RESP with the node's 32-bit *creation* (it tells incarnations of one
node name apart: a pid of an older incarnation is a dead pid).
``port_please(alive)`` is what a node does before connecting to another one:
PORT_PLEASE2_REQ -> the distribution port, or None when the name is not there.

Every request is ``<<Len:16, Req/binary>>`` on TCP port 4369 (``ERL_EPMD_PORT``
overrides it, as for erl).  Loopback only: this lab never talks to another host.
"""
from __future__ import annotations

import os
import socket
import struct

ALIVE2_REQ, ALIVE2_X_RESP, ALIVE2_RESP = 120, 118, 121
PORT_PLEASE2_REQ, PORT2_RESP = 122, 119
NODE_TYPE_NORMAL, NODE_TYPE_HIDDEN, PROTO_TCP_IPV4 = 77, 72, 0
VERSION = 6                       # the OTP 23+ handshake (HANDSHAKE_23), the only one we speak
HOST = "127.0.0.1"
TIMEOUT = 2.0                     # seconds: each epmd exchange is bounded


class EpmdError(OSError):
    """epmd is not running, refused the name, or answered something unexpected."""


def epmd_port():
    return int(os.environ.get("ERL_EPMD_PORT", "4369"))


def _connect(timeout):
    try:
        return socket.create_connection((HOST, epmd_port()), timeout=timeout)
    except OSError as e:
        raise EpmdError(f"cannot reach epmd on {HOST}:{epmd_port()} ({e}); start it with `epmd -daemon` "
                        "(it comes with Erlang/OTP)") from None


def _recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EpmdError(f"epmd closed the connection after {len(buf)} of {n} bytes")
        buf += chunk
    return buf


def register(alive, port, timeout=TIMEOUT):
    """Register ``alive`` (the part before the @) at ``port`` -> (open socket, creation).

    As a hidden node (type 72, as ``erl -hidden``): see handshake.FLAGS."""
    name = alive.encode("utf-8")
    req = struct.pack(">BHBBHHH", ALIVE2_REQ, port, NODE_TYPE_HIDDEN, PROTO_TCP_IPV4,
                      VERSION, VERSION, len(name)) + name + struct.pack(">H", 0)
    sock = _connect(timeout)
    try:
        sock.sendall(struct.pack(">H", len(req)) + req)
        tag, result = _recv_exact(sock, 2)
        if tag == ALIVE2_X_RESP:
            (creation,) = struct.unpack(">I", _recv_exact(sock, 4))
        elif tag == ALIVE2_RESP:
            (creation,) = struct.unpack(">H", _recv_exact(sock, 2))
        else:
            raise EpmdError(f"epmd answered ALIVE2_REQ with tag {tag}")
        if result != 0:
            raise EpmdError(f"epmd refused the name {alive!r} (result {result}): is a node "
                            "with that name already running?")
    except BaseException:
        sock.close()
        raise
    sock.settimeout(None)
    return sock, creation


def port_please(alive, timeout=TIMEOUT):
    """The distribution port of node ``alive`` on this host, or None if epmd does not know it."""
    name = alive.encode("utf-8")
    sock = _connect(timeout)
    try:
        sock.sendall(struct.pack(">HB", len(name) + 1, PORT_PLEASE2_REQ) + name)
        tag, result = _recv_exact(sock, 2)
        if tag != PORT2_RESP:
            raise EpmdError(f"epmd answered PORT_PLEASE2_REQ with tag {tag}")
        if result != 0:
            return None
        port, _ntype, _proto, high, low = struct.unpack(">HBBHH", _recv_exact(sock, 8))
        if not low <= VERSION <= high:
            raise EpmdError(f"node {alive!r} speaks distribution versions {low}..{high}, "
                            f"we speak {VERSION} (OTP 23 or later is needed)")
        return port
    finally:
        sock.close()
