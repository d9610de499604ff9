"""The Erlang External Term Format (ETF): Erlang terms <-> bytes, as ``term_to_binary``.

Mirrors ERTS ``erl_ext_dist`` (OTP 25); book ch. 13.  Real distribution
(``otp_lite.dist.real``) sends every message and control message in this
format; the simulated network never needs it.

Why our own codec and not ``erlang_py`` (PyPI, MIT): we tried it (2.0.7).  Its
Python mapping is not ours -- a ``str`` encodes as an Erlang *string*, atoms
are ``OtpErlangAtom`` objects, ``undefined`` decodes to ``None`` through a
process-wide switch, ``bytes`` is a string, not a binary -- so every message
would be walked twice (ours -> theirs -> bytes).  A distribution frame holds two
terms back to back, which its public ``binary_to_term`` refuses ("unparsed
data"); a compressed term swallows the rest of the buffer; a map with a map
key hits a bug (``frozendict(key)``).  This module is one short pass each way.

Mapping (DESIGN.md principle 2; ``tests/test_etf.py`` checks every row)::

    Erlang                      Python
    atom  ok, 'EXIT'            str  'ok', 'EXIT'    (true/false <-> True/False)
    integer, float              int, float           (any size: SMALL_BIG/LARGE_BIG)
    {a, b}                      tuple
    [1, 2], "abc"               list  [1, 2], [97, 98, 99]   (a string is a list of codes)
    [a | b]                     ImproperList(['a'], 'b')
    <<1,2>>, <<1:3>>            bytes, BitBinary(b'\\x20', 3)
    #{k => v}                   dict  (a list key, #{"k" => v}, becomes a KeyList: a list that hashes)
    pid, reference              see ``Context``: the runtime's own Pid/Ref for local
                                ones, RemotePid/RemoteRef (or the node's proxies)
    fun, port                   Opaque (kept as bytes, sent back unchanged)

Choice for strings: an Erlang string *is* a list of character codes, and
otp_lite's ``str`` is already the atom, so ``"abc"`` arrives as
``[97, 98, 99]``; ``etf.text(term)`` turns such a list (or a binary) into
Python text when you want to print it.  ``None`` is sent as ``undefined``.

Failure rule: bytes that are not a well-formed term (truncated, unknown tag,
a length beyond the data) raise :class:`EtfError`; a Python value with no
Erlang form raises :class:`EtfError` too.  Never anything else.
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

__all__ = ["encode", "decode", "decode_at", "EtfError", "ImproperList", "BitBinary", "KeyList",
           "Opaque", "RemotePid", "RemoteRef", "Context", "text"]

VERSION = 131
NEW_FLOAT, BIT_BINARY, NEW_PID, NEW_PORT, NEWER_REF = 70, 77, 88, 89, 90
SMALL_INT, INT, FLOAT, ATOM, REF, PORT, PID = 97, 98, 99, 100, 101, 102, 103
SMALL_TUPLE, LARGE_TUPLE, NIL, STRING, LIST, BINARY = 104, 105, 106, 107, 108, 109
SMALL_BIG, LARGE_BIG, NEW_FUN, EXPORT, NEW_REF, SMALL_ATOM = 110, 111, 112, 113, 114, 115
MAP, FUN, ATOM_UTF8, SMALL_ATOM_UTF8, V4_PORT, COMPRESSED = 116, 117, 118, 119, 120, 80
_INF = float("inf")
MAX_DEPTH = 300         # deeper nesting is refused (EtfError), never a RecursionError


class EtfError(ValueError):
    """Bytes that are not a term in the External Term Format (or a value with no ETF form)."""


class KeyList(list):
    """A list used as a map key (``#{"k" => 1}``): a list that hashes, so a dict can hold it."""
    __slots__ = ()

    def __hash__(self):
        return hash(tuple(self))


def _freeze(key):
    """A decoded map key made hashable: lists (also inside tuples) become KeyLists."""
    tp = type(key)
    if tp is list:
        return KeyList(_freeze(x) for x in key)
    if tp is tuple:
        return tuple(_freeze(x) for x in key)
    return key


class ImproperList:
    """``[a, b | Tail]``: the elements and the tail (anything but a list)."""
    __slots__ = ("items", "tail")

    def __init__(self, items, tail):
        self.items, self.tail = list(items), tail

    def __eq__(self, other):
        return type(other) is ImproperList and self.items == other.items and self.tail == other.tail

    def __hash__(self):
        return hash((tuple(map(_hkey, self.items)), _hkey(self.tail)))

    def __repr__(self):
        return f"ImproperList({self.items!r}, {self.tail!r})"


@dataclass(frozen=True)
class BitBinary:
    """A bitstring whose last byte holds only ``bits`` (1..7) bits, e.g. ``<<1:3>>``."""
    data: bytes
    bits: int


@dataclass(frozen=True)
class Opaque:
    """A term kept as its encoded bytes (a fun, a port): sent back exactly as it came."""
    raw: bytes

    def __repr__(self):
        kind = {NEW_FUN: "fun", EXPORT: "fun", FUN: "fun", NEW_PORT: "port", V4_PORT: "port",
                PORT: "port"}.get(self.raw[0], "term")
        return f"#{kind}<{len(self.raw)} bytes>"


@dataclass(frozen=True)
class RemotePid:
    """A pid of another node, as the bare codec decodes it (``<node.id.serial>``)."""
    node: str
    id: int
    serial: int
    creation: int

    def __repr__(self):
        return f"<{self.node}.{self.id}.{self.serial}>"


@dataclass(frozen=True)
class RemoteRef:
    """A reference made on another node; equal when node, creation and ids are."""
    node: str
    creation: int
    ids: tuple

    def __repr__(self):
        return f"#Ref<{self.node}.{'.'.join(map(str, reversed(self.ids)))}>"


class Context:
    """How pids and refs cross: the bare codec keeps them as RemotePid/RemoteRef values.

    ``otp_lite.dist.real`` subclasses it to turn our own node's pids back into
    the runtime's Pid objects and another node's into proxies.
    """

    def pid_in(self, node, id_, serial, creation):
        return RemotePid(node, id_, serial, creation)

    def ref_in(self, node, creation, ids):
        return RemoteRef(node, creation, tuple(ids))

    def pid_out(self, pid):
        """(node, id, serial, creation) of a pid-like value, or None."""
        if type(pid) is RemotePid:
            return (pid.node, pid.id, pid.serial, pid.creation)
        return None

    def ref_out(self, ref):
        """(node, creation, ids) of a ref-like value, or None."""
        if type(ref) is RemoteRef:
            return (ref.node, ref.creation, ref.ids)
        return None


_BARE = Context()


def _hkey(x):
    if type(x) is list:
        return ("$list",) + tuple(map(_hkey, x))
    if type(x) is dict:
        return ("$map",) + tuple(sorted(((repr(k), _hkey(v)) for k, v in x.items())))
    return x


def text(term):
    """An Erlang string (a list of codes) or a binary as Python text (for printing)."""
    if type(term) in (bytes, bytearray):
        return bytes(term).decode("utf-8", "replace")
    if type(term) is list and all(type(c) is int and 0 <= c < 0x110000 for c in term):
        return "".join(map(chr, term))
    raise EtfError(f"not an Erlang string or binary: {term!r}")


# ---------------------------------------------------------------- encode
_pack_I = struct.Struct(">I").pack
_pack_i = struct.Struct(">i").pack
_pack_H = struct.Struct(">H").pack
_pack_d = struct.Struct(">d").pack


def encode(term, ctx=None):
    """``term_to_binary(Term)``: the version byte 131 and the term."""
    out = bytearray(b"\x83")
    _enc(term, out, ctx or _BARE, 0)
    return bytes(out)


def _atom(name, out):
    b = name.encode("utf-8")
    n = len(b)
    if len(name) > 255:
        raise EtfError(f"an atom has at most 255 characters, got {len(name)}: {name[:20]!r}...")
    if n < 256:
        out += bytes((SMALL_ATOM_UTF8, n))
    else:
        out.append(ATOM_UTF8)
        out += _pack_H(n)
    out += b


def _enc(t, out, ctx, depth):
    tp = type(t)
    if tp is str:
        return _atom(t, out)
    if tp is int:
        if 0 <= t < 256:
            out += bytes((SMALL_INT, t))
        elif -2147483648 <= t <= 2147483647:
            out.append(INT)
            out += _pack_i(t)
        else:
            mag = -t if t < 0 else t
            digits = mag.to_bytes((mag.bit_length() + 7) // 8, "little")
            if len(digits) < 256:
                out += bytes((SMALL_BIG, len(digits), t < 0))
            else:
                out.append(LARGE_BIG)
                out += _pack_I(len(digits))
                out.append(t < 0)
            out += digits
        return
    if depth > MAX_DEPTH:
        raise EtfError(f"term nested deeper than {MAX_DEPTH}")
    if tp is tuple:
        n = len(t)
        if n < 256:
            out += bytes((SMALL_TUPLE, n))
        else:
            out.append(LARGE_TUPLE)
            out += _pack_I(n)
        for x in t:
            _enc(x, out, ctx, depth + 1)
        return
    if tp is list or tp is KeyList:
        if not t:
            out.append(NIL)
            return
        out.append(LIST)
        out += _pack_I(len(t))
        for x in t:
            _enc(x, out, ctx, depth + 1)
        out.append(NIL)
        return
    if tp is bool:
        return _atom("true" if t else "false", out)
    if tp is float:
        if t != t or t in (_INF, -_INF):
            raise EtfError(f"Erlang has no {t} float (its floats are finite)")
        out.append(NEW_FLOAT)
        out += _pack_d(t)
        return
    if tp is bytes or tp is bytearray:
        out.append(BINARY)
        out += _pack_I(len(t))
        out += t
        return
    if tp is dict:
        out.append(MAP)
        out += _pack_I(len(t))
        for k, v in t.items():
            _enc(k, out, ctx, depth + 1)
            _enc(v, out, ctx, depth + 1)
        return
    if t is None:
        return _atom("undefined", out)
    if tp is ImproperList:
        if not t.items:
            return _enc(t.tail, out, ctx, depth + 1)
        out.append(LIST)
        out += _pack_I(len(t.items))
        for x in t.items:
            _enc(x, out, ctx, depth + 1)
        _enc(t.tail, out, ctx, depth + 1)
        return
    if tp is BitBinary:
        if not 1 <= t.bits <= 8 or not t.data:
            raise EtfError(f"a BitBinary needs data and 1..8 bits in its last byte: {t!r}")
        out.append(BIT_BINARY)
        out += _pack_I(len(t.data))
        out.append(t.bits)
        out += t.data
        return
    if tp is Opaque:
        out += t.raw
        return
    p = ctx.pid_out(t)
    if p is not None:
        node, id_, serial, creation = p
        out.append(NEW_PID)
        _atom(node, out)
        out += _pack_I(id_) + _pack_I(serial) + _pack_I(creation)
        return
    r = ctx.ref_out(t)
    if r is not None:
        node, creation, ids = r
        out.append(NEWER_REF)
        out += _pack_H(len(ids))
        _atom(node, out)
        out += _pack_I(creation)
        for i in ids:
            out += _pack_I(i)
        return
    raise EtfError(f"no Erlang term for a Python {tp.__name__}: {t!r}")


# ---------------------------------------------------------------- decode
_unpack_I = struct.Struct(">I").unpack_from
_unpack_i = struct.Struct(">i").unpack_from
_unpack_H = struct.Struct(">H").unpack_from
_unpack_d = struct.Struct(">d").unpack_from


def decode(data, ctx=None):
    """``binary_to_term(Bin)``: exactly one term, all of ``data``."""
    term, i = decode_at(data, 0, ctx)
    if i != len(data):
        raise EtfError(f"{len(data) - i} bytes left over after the term")
    return term


def decode_at(data, i, ctx=None):
    """Decode the term (with its version byte) at ``data[i:]`` -> (term, next index)."""
    if i >= len(data):
        raise EtfError("no term: the data ends here")
    if data[i] != VERSION:
        raise EtfError(f"a term starts with the version byte 131, got {data[i]}")
    try:
        if i + 1 < len(data) and data[i + 1] == COMPRESSED:
            return _decompressed(data, i + 2, ctx or _BARE)
        return _Dec(data, ctx or _BARE).term(i + 1, 0)
    except (struct.error, IndexError, UnicodeDecodeError, RecursionError) as e:
        raise EtfError(f"truncated or malformed term ({e})") from None


def _decompressed(data, i, ctx):
    (size,) = _unpack_I(data, i)
    if size > 64 * 1024 * 1024:
        raise EtfError(f"a compressed term claims {size} bytes (over 64 MB): refused")
    d = zlib.decompressobj()
    try:
        raw = d.decompress(bytes(data[i + 4:]), size)
    except zlib.error as e:
        raise EtfError(f"bad compressed term ({e})") from None
    if len(raw) != size or not d.eof:
        raise EtfError("compressed term: wrong size")
    used = len(data) - len(d.unused_data)
    term, j = _Dec(raw, ctx).term(0, 0)
    if j != size:
        raise EtfError("compressed term: bytes left over")
    return term, used


class _Dec:
    __slots__ = ("d", "ctx", "n")

    def __init__(self, data, ctx):
        self.d = data
        self.ctx = ctx
        self.n = len(data)

    def need(self, i, k):
        if i + k > self.n:
            raise EtfError(f"truncated term: {k} bytes needed at {i}, {self.n - i} left")

    def atom(self, i):
        d = self.d
        tag = d[i]
        if tag in (SMALL_ATOM_UTF8, SMALL_ATOM):
            k = d[i + 1]
            i += 2
        elif tag in (ATOM_UTF8, ATOM):
            (k,) = _unpack_H(d, i + 1)
            i += 3
        else:
            raise EtfError(f"an atom was expected (node name), got tag {tag}")
        self.need(i, k)
        raw = bytes(d[i:i + k])
        return (raw.decode("utf-8") if tag in (SMALL_ATOM_UTF8, ATOM_UTF8) else raw.decode("latin-1")), i + k

    def term(self, i, depth):
        d = self.d
        if depth > MAX_DEPTH:
            raise EtfError(f"term nested deeper than {MAX_DEPTH}")
        tag = d[i]
        i += 1
        if tag == SMALL_INT:
            return d[i], i + 1
        if tag == INT:
            return _unpack_i(d, i)[0], i + 4
        if tag in (SMALL_ATOM_UTF8, ATOM_UTF8, SMALL_ATOM, ATOM):
            a, j = self.atom(i - 1)
            if a == "true":
                return True, j
            if a == "false":
                return False, j
            return a, j
        if tag == SMALL_TUPLE or tag == LARGE_TUPLE:
            if tag == SMALL_TUPLE:
                k = d[i]
                i += 1
            else:
                (k,) = _unpack_I(d, i)
                i += 4
            self.need(i, k)                      # each element takes at least one byte
            items = []
            for _ in range(k):
                x, i = self.term(i, depth + 1)
                items.append(x)
            return tuple(items), i
        if tag == NIL:
            return [], i
        if tag == LIST:
            (k,) = _unpack_I(d, i)
            i += 4
            self.need(i, k + 1)
            items = []
            for _ in range(k):
                x, i = self.term(i, depth + 1)
                items.append(x)
            tail, i = self.term(i, depth + 1)
            if tail == [] and type(tail) is list:
                return items, i
            if type(tail) is list:
                raise EtfError("a list tail that is a non-empty list")
            return ImproperList(items, tail), i
        if tag == STRING:
            (k,) = _unpack_H(d, i)
            i += 2
            self.need(i, k)
            return list(d[i:i + k]), i + k
        if tag == BINARY:
            (k,) = _unpack_I(d, i)
            i += 4
            self.need(i, k)
            return bytes(d[i:i + k]), i + k
        if tag == BIT_BINARY:
            (k,) = _unpack_I(d, i)
            bits = d[i + 4]
            i += 5
            self.need(i, k)
            if bits == 8:
                return bytes(d[i:i + k]), i + k
            if not 1 <= bits <= 7 or k == 0:
                raise EtfError(f"BIT_BINARY_EXT with {bits} bits in the last of {k} bytes")
            return BitBinary(bytes(d[i:i + k]), bits), i + k
        if tag == NEW_FLOAT:
            return _unpack_d(d, i)[0], i + 8
        if tag == FLOAT:
            self.need(i, 31)
            return float(bytes(d[i:i + 31]).split(b"\0", 1)[0]), i + 31
        if tag == SMALL_BIG or tag == LARGE_BIG:
            if tag == SMALL_BIG:
                k = d[i]
                i += 1
            else:
                (k,) = _unpack_I(d, i)
                i += 4
            sign = d[i]
            i += 1
            self.need(i, k)
            v = int.from_bytes(d[i:i + k], "little")
            return (-v if sign else v), i + k
        if tag == MAP:
            (k,) = _unpack_I(d, i)
            i += 4
            self.need(i, 2 * k)
            m = {}
            for _ in range(k):
                key, i = self.term(i, depth + 1)
                val, i = self.term(i, depth + 1)
                try:
                    m[_freeze(key)] = val
                except TypeError:
                    raise EtfError(f"a map key with no Python dict form: {key!r}") from None
            return m, i
        if tag == NEW_PID or tag == PID:
            node, i = self.atom(i)
            (id_,) = _unpack_I(d, i)
            (serial,) = _unpack_I(d, i + 4)
            if tag == NEW_PID:
                (cr,) = _unpack_I(d, i + 8)
                i += 12
            else:
                cr = d[i + 8]
                i += 9
            return self.ctx.pid_in(node, id_, serial, cr), i
        if tag == NEWER_REF or tag == NEW_REF:
            (k,) = _unpack_H(d, i)
            if not 1 <= k <= 5:
                raise EtfError(f"a reference with {k} id words")
            node, i = self.atom(i + 2)
            if tag == NEWER_REF:
                (cr,) = _unpack_I(d, i)
                i += 4
            else:
                cr = d[i]
                i += 1
            self.need(i, 4 * k)
            ids = struct.unpack_from(f">{k}I", d, i)
            return self.ctx.ref_in(node, cr, ids), i + 4 * k
        if tag == REF:
            node, j = self.atom(i)
            return self.ctx.ref_in(node, d[j + 4], (_unpack_I(d, j)[0],)), j + 5
        if tag in (NEW_PORT, V4_PORT, PORT):
            _, j = self.atom(i)
            j += {NEW_PORT: 8, V4_PORT: 12, PORT: 5}[tag]
            self.need(j, 0)
            return Opaque(bytes(d[i - 1:j])), j
        if tag == NEW_FUN:
            (size,) = _unpack_I(d, i)
            self.need(i, size)
            if size < 4:
                raise EtfError("NEW_FUN_EXT shorter than its size field")
            return Opaque(bytes(d[i - 1:i + size])), i + size
        if tag == EXPORT:
            j = i
            for _ in range(2):
                _, j = self.atom(j)
            _, j = self.term(j, depth + 1)
            return Opaque(bytes(d[i - 1:j])), j
        raise EtfError(f"unknown term tag {tag} at byte {i - 1}")
