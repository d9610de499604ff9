"""Erlang terms as text, for the files of a release directory (``.rel``, ``.app``, ``sys.config``).

``fmt(term)`` writes a Python term in Erlang syntax; ``consult(path)`` reads a
file of terms each ended by ``.`` (OTP's ``file:consult``).  otp_lite has one
type for atoms and strings, so ``fmt`` writes a ``str`` that is a plain atom
(``bsc``, ``permanent``) as an atom and any other as a string (``"1.0"``,
``"Base Station Controller"``); ``consult`` reads atoms, strings and binaries
back as ``str``.  Numbers, tuples, lists, ``True``/``False`` (``true``/``false``)
and module namespaces (written as their name) are what the files need.
"""
from __future__ import annotations

import re

_ATOM = re.compile(r"[a-z][A-Za-z0-9_@]*\Z")
_TOKEN = re.compile(r"""\s+|%[^\n]*|(?P<num>-?\d+(?:\.\d+(?:[eE][-+]?\d+)?)?)|(?P<atom>[a-z][A-Za-z0-9_@]*)
    |'(?P<qatom>(?:[^'\\]|\\.)*)'|"(?P<str>(?:[^"\\]|\\.)*)"|(?P<bin><<|>>)|(?P<punct>[{}\[\],|.])""", re.X)
_RESERVED = {"after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case", "catch",
             "cond", "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive", "rem", "try",
             "when", "xor"}


def _quote(s, q):
    return q + s.replace("\\", "\\\\").replace(q, "\\" + q).replace("\n", "\\n") + q


class Str(str):
    """A ``str`` to write as an Erlang string even when it looks like an atom (a release name)."""


def fmt(t, indent=0, width=80):
    """``t`` in Erlang syntax; a tuple or list too long for one line gets one element a line."""
    flat = _flat(t)
    if len(flat) + indent <= width or type(t) not in (tuple, list) or not t:
        return flat
    o, c = ("{", "}") if type(t) is tuple else ("[", "]")
    pad = " " * (indent + 1)
    if all(type(x) not in (tuple, list, dict) for x in t):      # scalars: fill the lines, as ~p
        lines, cur = [], ""
        for x in map(_flat, t):
            if cur and indent + 1 + len(cur) + len(x) + 1 > width:
                lines.append(cur)
                cur = ""
            cur += x + ","
        lines.append(cur[:-1])
        return o + ("\n" + pad).join(lines) + c
    return o + (",\n" + pad).join(fmt(x, indent + 1, width) for x in t) + c


def _flat(t):
    if isinstance(t, Str):
        return _quote(t, '"')
    if t is True or t is False:
        return "true" if t else "false"
    if type(t) is str:
        return t if _ATOM.match(t) and t not in _RESERVED else _quote(t, '"')
    if type(t) in (int, float):
        return repr(t)
    if type(t) is tuple:
        return "{" + ",".join(_flat(x) for x in t) + "}"
    if type(t) is list:
        return "[" + ",".join(_flat(x) for x in t) + "]"
    if type(t) is dict:
        return "#{" + ",".join(f"{_flat(k)} => {_flat(v)}" for k, v in t.items()) + "}"
    name = getattr(t, "__name__", None)
    if name:
        return name.rsplit(".", 1)[-1]
    raise ValueError(f"no Erlang text for {t!r}")


def _unescape(s):
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), s)


def _tokens(text):
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ValueError(f"cannot read Erlang terms at {text[pos:pos + 20]!r}")
        pos = m.end()
        kind = m.lastgroup
        if kind == "num":
            v = m.group(kind)
            yield ("val", float(v) if "." in v else int(v))
        elif kind == "atom":
            v = m.group(kind)
            yield ("val", {"true": True, "false": False}.get(v, v))
        elif kind in ("qatom", "str"):
            yield ("val", _unescape(m.group(kind)))
        elif kind in ("bin", "punct"):
            yield ("p", m.group(kind))


def consult(path):
    """The terms of a file, each ended by ``.`` -> ``[term, ...]`` (ValueError if it is not Erlang)."""
    with open(path) as f:
        toks = list(_tokens(f.read()))
    out, i = [], 0

    def term(i):
        kind, v = toks[i]
        if kind == "val":
            return v, i + 1
        if v == "<<":                                   # <<"text">>
            s, i = term(i + 1)
            if toks[i] != ("p", ">>"):
                raise ValueError("a binary must be <<\"text\">>")
            return s, i + 1
        close = {"{": "}", "[": "]"}.get(v)
        if close is None:
            raise ValueError(f"unexpected {v!r}")
        items, i = [], i + 1
        while toks[i] != ("p", close):
            x, i = term(i)
            items.append(x)
            if toks[i] == ("p", ","):
                i += 1
        return (tuple(items) if close == "}" else items), i + 1

    while i < len(toks):
        t, i = term(i)
        if i >= len(toks) or toks[i] != ("p", "."):
            raise ValueError("each term must end with '.'")
        out.append(t)
        i += 1
    return out
