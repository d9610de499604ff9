"""The kernel processes a real node runs for its peers: ``net_kernel`` and ``rex``.

``net_kernel`` answers ``net_adm:ping/1`` (a ``gen:call`` of ``{is_auth, Node}``:
``yes``).  OTP 25's ``rpc:call/4`` is ``erpc``: a ``spawn_request`` of
``erpc:execute_call(Ref, M, F, A)`` here (``spawned``), whose exit reason the
caller's monitor carries back.  ``rex`` answers the older protocol
(``{'$gen_call', {From, Tag}, {call, M, F, A, GroupLeader}}``, answered
``{Tag, Result}``), which otp_lite's own ``rpc.call`` uses towards Erlang.

Only *exported* Python code can be called from Erlang: ``export('lab_math',
namespace)`` (or ``export(module)``: named after its last dotted part) makes
``rpc:call('lab@127.0.0.1', lab_math, add, [1, 2])`` call ``namespace.add(1, 2)``.
Anything else is ``{badrpc, {'EXIT', {undef, [{M, F, A, []}]}}}``, as for a
module the Erlang node does not have.
"""
from __future__ import annotations

from ... import erlang
from ...erlang import ErlangError

EXPORTS = {}            # Erlang module name -> Python namespace


def export(name, namespace=None):
    """Let Erlang nodes call ``namespace``'s functions as module ``name`` (rpc).  Returns name."""
    if namespace is None:
        namespace, name = name, getattr(name, "__name__", "").rsplit(".", 1)[-1]
    if type(name) is not str or not name:
        raise ErlangError("badarg", f"export(name, namespace): the name must be an atom (str), got {name!r}")
    EXPORTS[name] = namespace
    return name


def unexport(name):
    EXPORTS.pop(name, None)


def _reply(frm, result):
    pid, tag = frm
    try:
        erlang.send(pid, (tag, result))
    except ErlangError as e:            # the result has no Erlang form
        erlang.send(pid, (tag, ("badrpc", ("EXIT", ("badarg", repr(e.detail)[:200])))))


def _apply(mod, fun, args):
    from ... import rpc
    ns = EXPORTS.get(mod)
    if ns is None or type(fun) is not str or not callable(getattr(ns, fun, None)) \
            or type(args) is not list:
        return ("badrpc", ("EXIT", ("undef", [(mod, fun, args, [])])))
    return rpc._apply(ns, fun, args)


def _worker(frm, mod, fun, args):
    _reply(frm, _apply(mod, fun, args))


def spawned(mod, fun, args):
    """The body of a process an Erlang node spawned here (``spawn_request``).

    ``erpc:execute_call(Ref, M, F, A)`` (what OTP 25's ``rpc:call`` and
    ``erpc:call`` spawn) exits with erpc's result shapes: ``{Ref, return, V}``,
    ``{Ref, throw, V}``, ``{Ref, exit, R}``, ``{Ref, error, R, Stack}``;
    ``erpc:execute_cast(M, F, A)`` just applies; any other ``M:F(Args...)``
    runs an exported Python function as the process.
    """
    if mod == "erpc" and fun == "execute_call" and len(args) == 4:
        ref, m, f, a = args
        erlang.exit(_erpc_result(ref, m, f, a))
    if mod == "erpc" and fun == "execute_cast" and len(args) == 3:
        mod, fun, args = args
    ns = EXPORTS.get(mod)
    f = getattr(ns, fun, None) if ns is not None and type(fun) is str else None
    if not callable(f):
        raise ErlangError(("undef"), f"{mod}:{fun}/{len(args)} is not exported to Erlang (dist.export)")
    f(*args)


def _erpc_result(ref, m, f, a):
    from ...erlang import Throw, Exit
    from ...kernel import state
    ns = EXPORTS.get(m)
    fn = getattr(ns, f, None) if ns is not None and type(f) is str else None
    if not callable(fn) or type(a) is not list:
        return (ref, "error", "undef", [(m, f, a, [])])
    try:
        return (ref, "return", fn(*a))
    except Throw as t:
        return (ref, "throw", t.value)
    except Exit as e:
        return (ref, "exit", e.reason)
    except Exception as e:              # noqa: BLE001 - an error is erpc's {Ref, error, R, Stack}
        reason, stack = state.rt.error_reason(e)
        return (ref, "error", reason, stack)


def rex():
    """OTP's rex protocol (the one rpc:call uses when erpc is not supported)."""
    while True:
        m = erlang.receive()
        if type(m) is tuple and len(m) == 3 and m[0] == "$gen_call":
            frm, req = m[1], m[2]
            if type(req) is tuple and len(req) in (4, 5) and req[0] == "call":
                erlang.spawn(_worker, frm, req[1], req[2], req[3])
            else:
                _reply(frm, ("badrpc", ("EXIT", ("unknown_call", req))))
        elif type(m) is tuple and len(m) == 2 and m[0] == "$gen_cast":
            req = m[1]
            if type(req) is tuple and len(req) in (4, 5) and req[0] == "cast":
                erlang.spawn(_apply, req[1], req[2], req[3])


def net_kernel():
    """Answers ``{is_auth, Node}`` (net_adm:ping) with ``yes``; other calls with an error."""
    while True:
        m = erlang.receive()
        if type(m) is tuple and len(m) == 3 and m[0] == "$gen_call":
            req = m[2]
            if type(req) is tuple and len(req) == 2 and req[0] == "is_auth":
                _reply(m[1], "yes")
            else:
                _reply(m[1], ("error", "not_supported"))
