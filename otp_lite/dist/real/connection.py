"""One distribution connection: framing, a reader thread, ticks.

After the handshake every packet is ``<<Len:32, Data/binary>>``; ``Len = 0`` is
a *tick* (keep-alive).  The reader thread only reads: each packet goes, as raw
bytes, into the node's inbox (a deque) and the node's ``wake`` event is set;
the runtime thread decodes and acts on it (``node.py``), so no runtime data is
touched from two threads.  Writes come from the runtime thread (messages) and
the ticker thread (ticks), under one lock.

Bad input ends the connection, never the runtime: a packet longer than
``MAX_FRAME`` or a socket error puts a ``('down', conn, reason)`` in the inbox.
"""
from __future__ import annotations

import logging
import socket
import struct
import threading
import time

log = logging.getLogger("otp_lite.dist.real")

MAX_FRAME = 64 * 1024 * 1024      # a longer packet is refused and the connection closed
_hdr = struct.Struct(">I")


class Connection:
    """The connection to node ``peer`` (``flags``: what the peer announced)."""

    def __init__(self, sock, peer, flags, creation):
        self.sock = sock
        self.peer = peer
        self.flags = flags
        self.creation = creation
        self.up = True
        self.lock = threading.Lock()
        self.last_recv = self.last_send = time.monotonic()
        self.reader = None
        self.sent = self.received = 0
        sock.settimeout(None)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def __repr__(self):
        return f"<connection to {self.peer}{'' if self.up else ' (down)'}>"

    def start(self, inbox, wake):
        self.reader = threading.Thread(target=self._read_loop, args=(inbox, wake),
                                       name=f"otp_lite dist reader {self.peer}", daemon=True)
        self.reader.start()

    def send(self, data):
        """Send one packet; False (and the connection is going down) on a socket error."""
        if not self.up:
            return False
        try:
            with self.lock:
                self.sock.sendall(_hdr.pack(len(data)) + data)
                self.last_send = time.monotonic()
                self.sent += 1
            return True
        except OSError as e:
            log.warning("distribution: sending to %s failed (%s); closing the connection", self.peer, e)
            self.close()
            return False

    def tick(self):
        if self.up:
            try:
                with self.lock:
                    self.sock.sendall(b"\0\0\0\0")
                    self.last_send = time.monotonic()
            except OSError:
                self.close()

    def close(self):
        if self.up:
            self.up = False
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass

    def _recv_exact(self, n):
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(min(n - len(buf), 1 << 20))
            if not chunk:
                return None if not buf else bytes(buf)
            buf += chunk
        return bytes(buf)

    def _read_loop(self, inbox, wake):
        reason = "connection_closed"
        try:
            while self.up:
                hdr = self._recv_exact(4)
                if hdr is None or len(hdr) < 4:
                    reason = "connection_closed" if not hdr else "truncated packet header"
                    break
                (n,) = _hdr.unpack(hdr)
                self.last_recv = time.monotonic()
                if n == 0:
                    continue                    # a tick
                if n > MAX_FRAME:
                    reason = f"packet of {n} bytes (over {MAX_FRAME})"
                    log.warning("distribution: %s sent a %s; closing the connection", self.peer, reason)
                    break
                data = self._recv_exact(n)
                if data is None or len(data) < n:
                    reason = "truncated packet"
                    log.warning("distribution: %s closed the connection in the middle of a packet",
                                self.peer)
                    break
                self.received += 1
                inbox.append(("frame", self, data))
                wake()
        except OSError as e:
            reason = f"socket error: {e}"
        except Exception as e:          # noqa: BLE001 - never a silent dead reader
            reason = f"reader error: {e!r}"
            log.error("distribution: the reader of %s failed (%r); closing the connection", self.peer, e)
        self.close()
        inbox.append(("down", self, reason))
        wake()
