"""The distribution handshake, both directions (erts ``erl_dist_protocol``, OTP 23+ version).

Mirrors OTP's ``dist_util`` (OTP 25); book ch. 13 ("Distributed Erlang": cookies).
Each handshake message is ``<<Len:16, Msg/binary>>``::

    A (connects)                               B (accepts)
    send_name      'N' Flags:64 Creation:32 NameLen:16 Name   ->
                                              <-  's' "ok"        (recv_status)
                   <-  'N' Flags:64 Challenge:32 Creation:32 NameLen:16 Name
    challenge_reply 'r' ChallengeA:32 Digest(ChallengeB)      ->
                                              <-  'a' Digest(ChallengeA)

``Digest(C) = md5(Cookie ++ integer_to_list(C))``: each side proves it knows
the cookie without sending it.  A wrong digest ends the handshake, and the
connection, with a :class:`HandshakeError` saying which side had the wrong
cookie.  Flags announce what we implement (see ``FLAGS``), no more; the
peer must have OTP 25's mandatory ones.
"""
from __future__ import annotations

import hashlib
import secrets
import struct

# distribution flags (erl_dist_protocol, "Distribution Flags")
PUBLISHED = 0x1
EXTENDED_REFERENCES = 0x4
DIST_MONITOR = 0x8
FUN_TAGS = 0x10
DIST_MONITOR_NAME = 0x20
NEW_FUN_TAGS = 0x80
EXTENDED_PIDS_PORTS = 0x100
EXPORT_PTR_TAG = 0x200
BIT_BINARIES = 0x400
NEW_FLOATS = 0x800
SMALL_ATOM_TAGS = 0x4000
UTF8_ATOMS = 0x10000
MAP_TAG = 0x20000
BIG_CREATION = 0x40000
SEND_SENDER = 0x80000
HANDSHAKE_23 = 0x1000000
UNLINK_ID = 0x2000000
MANDATORY_25_DIGEST = 0x4000000
SPAWN = 0x1 << 32
V4_NC = 0x4 << 32
ALIAS = 0x8 << 32

MANDATORY_25 = (EXTENDED_REFERENCES | FUN_TAGS | EXTENDED_PIDS_PORTS | UTF8_ATOMS | NEW_FUN_TAGS
                | BIG_CREATION | NEW_FLOATS | MAP_TAG | EXPORT_PTR_TAG | BIT_BINARIES | HANDSHAKE_23)
# What otp_lite announces: a *hidden* node (no PUBLISHED: we do not run
# global, and a published node that does not answer global's sync makes
# global:sync() and global:register_name/2 on the erl nodes wait for ever;
# C nodes and jinterface are hidden for the same reason); OTP 25's mandatory
# set (funs and ports travel as opaque terms, sent back unchanged); monitors
# (by pid and by name), the sender in SEND, UNLINK_ID, v4 node containers; and
# spawn_request (OTP 25's rpc:call is erpc, which spawns
# erpc:execute_call/4 on the other node; without it erl's rpc:call to us says
# {badrpc, notsup}).  Not: the atom cache, fragments, exit payloads, aliases.
FLAGS = (MANDATORY_25 | DIST_MONITOR | DIST_MONITOR_NAME | SMALL_ATOM_TAGS
         | SEND_SENDER | UNLINK_ID | MANDATORY_25_DIGEST | V4_NC | SPAWN)
MAX_HANDSHAKE_MSG = 2048


class HandshakeError(ConnectionError):
    """The handshake failed: wrong cookie, a refused name, bad bytes, missing flags."""


def digest(challenge, cookie):
    return hashlib.md5(cookie.encode("latin-1") + str(challenge).encode("ascii")).digest()


def _recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise HandshakeError(f"the peer closed the connection during the handshake "
                                 f"({len(buf)} of {n} bytes)")
        buf += chunk
    return bytes(buf)


def send_msg(sock, msg):
    sock.sendall(struct.pack(">H", len(msg)) + msg)


def recv_msg(sock):
    (n,) = struct.unpack(">H", _recv_exact(sock, 2))
    if n == 0 or n > MAX_HANDSHAKE_MSG:
        raise HandshakeError(f"handshake message of {n} bytes")
    return _recv_exact(sock, n)


def _name_msg(flags, creation, name):
    b = name.encode("utf-8")
    return b"N" + struct.pack(">QIH", flags, creation, len(b)) + b


def _check_flags(flags, who):
    if flags & MANDATORY_25_DIGEST:
        flags |= MANDATORY_25
    missing = MANDATORY_25 & ~flags
    if missing:
        raise HandshakeError(f"{who} lacks distribution flags OTP 25 requires (0x{missing:x})")
    return flags


def _parse_challenge(msg):
    if len(msg) < 19 or msg[0:1] != b"N":
        raise HandshakeError(f"expected a challenge ('N'), got {msg[:1]!r} ({len(msg)} bytes)")
    flags, challenge, creation, n = struct.unpack(">QIIH", msg[1:19])
    if len(msg) != 19 + n:
        raise HandshakeError("challenge: the name length does not match")
    return flags, challenge, creation, msg[19:].decode("utf-8")


def initiate(sock, me, peer, cookie, creation, flags=FLAGS):
    """We connect to ``peer``: run side A -> (peer_flags, peer_creation)."""
    send_msg(sock, _name_msg(flags, creation, me))
    status = recv_msg(sock)
    if status[:1] != b"s":
        raise HandshakeError(f"expected a status ('s'), got {status[:1]!r}")
    status = status[1:].decode("latin-1")
    if status not in ("ok", "ok_simultaneous"):
        raise HandshakeError(f"{peer} refused the connection: status {status!r}")
    pflags, pchallenge, pcreation, pname = _parse_challenge(recv_msg(sock))
    if pname != peer:
        raise HandshakeError(f"connected to {pname!r}, expected {peer!r}")
    pflags = _check_flags(pflags, peer)
    mine = secrets.randbits(32)
    send_msg(sock, b"r" + struct.pack(">I", mine) + digest(pchallenge, cookie))
    ack = recv_msg(sock)
    if ack[:1] != b"a" or len(ack) != 17:
        raise HandshakeError(f"expected a challenge ack ('a'), got {ack[:1]!r}")
    if ack[1:] != digest(mine, cookie):
        raise HandshakeError(f"{peer} answered our challenge with a wrong digest: "
                             "the two nodes have different cookies")
    return pflags, pcreation


def accept(sock, me, cookie, creation, flags=FLAGS, refuse=None):
    """A peer connected to us: run side B -> (peer_name, peer_flags, peer_creation).

    ``refuse(name)`` may return a status to refuse with (e.g. 'nok'), or None.
    """
    msg = recv_msg(sock)
    if msg[:1] != b"N" or len(msg) < 15:
        raise HandshakeError(f"expected send_name ('N', OTP 23 or later), got {msg[:1]!r}")
    pflags, pcreation, n = struct.unpack(">QIH", msg[1:15])
    if len(msg) != 15 + n:
        raise HandshakeError("send_name: the name length does not match")
    pname = msg[15:].decode("utf-8")
    if "@" not in pname:
        raise HandshakeError(f"send_name: {pname!r} is not a node name")
    pflags = _check_flags(pflags, pname)
    status = refuse(pname) if refuse is not None else None
    if status is not None:
        send_msg(sock, b"s" + status.encode("latin-1"))
        raise HandshakeError(f"refused {pname}: {status}")
    send_msg(sock, b"sok")
    mine = secrets.randbits(32)
    b = me.encode("utf-8")
    send_msg(sock, b"N" + struct.pack(">QIIH", flags, mine, creation, len(b)) + b)
    reply = recv_msg(sock)
    if reply[:1] != b"r" or len(reply) != 21:
        raise HandshakeError(f"expected a challenge reply ('r'), got {reply[:1]!r}")
    (pchallenge,) = struct.unpack(">I", reply[1:5])
    if reply[5:] != digest(mine, cookie):
        raise HandshakeError(f"{pname} sent a wrong digest: it has a different cookie")
    send_msg(sock, b"a" + digest(pchallenge, cookie))
    return pname, pflags, pcreation
