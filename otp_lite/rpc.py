"""Remote procedure calls: mirrors OTP `rpc` (OTP 25); book ch. 13.

=====================================  ==========================================
Erlang                                 otp_lite
=====================================  ==========================================
``rpc:call(N, M, F, A)``               ``rpc.call(node, mod, 'f', [args])``
``rpc:call(N, M, F, A, Timeout)``      ``rpc.call(node, mod, 'f', [args], 1000)``
``rpc:multicall(Ns, M, F, A)``         ``rpc.multicall(nodes, mod, 'f', [args])``
``rpc:cast(N, M, F, A)``               ``rpc.cast(node, mod, 'f', [args])``
=====================================  ==========================================

How it works (as OTP's ``rpc`` before erpc): every node runs a ``rex`` server.
``call`` starts a local middleman that monitors ``('rex', Node)``, sends it the
request and waits; rex spawns a worker on its node that applies ``M:F(A)`` and
sends the result back.  Request and reply cross the simulated network, so they
pay its latency and suffer its partitions.  On timeout the middleman dies, so
a late reply is dropped instead of landing in your mailbox.

Results (erlang_ref probes, OTP 25): the value; ``('badrpc', 'nodedown')``;
``('badrpc', 'timeout')``; ``('badrpc', ('EXIT', Reason))`` when ``M:F`` exits or
raises (``Reason`` = ``(error, stack)`` for an error); a ``throw`` returns the
thrown value.  ``multicall`` returns ``(results, bad_nodes)``.

On a real cluster (``dist.start(name, real=True)``) a call to another node is
OTP 25's own: a ``spawn_request`` of ``erpc:execute_call(Ref, M, F, A)`` whose
exit reason carries the answer (or, to a node without spawn requests, OTP's
older ``{'$gen_call', {From, Tag}, {call, M, F, A, GroupLeader}}`` to its rex),
so a real Erlang node answers it; ``mod`` and ``f`` are then atoms.

``mod`` is a module or namespace (``otp_lite.erlang``, ``examples.ch4.frequency``)
or its name as a str (``'erlang'`` means ``otp_lite.erlang``); ``f`` a function
name.  Every simulated node runs the same Python code, as if the same release
were installed on every host.

Failure rule: a bad argument raises ``badarg`` in the caller; a failure on the
remote side is a ``badrpc`` value, never a crash of the caller.
See also: otp_lite.dist, otp_lite.global_, otp_lite.pg.
"""
from __future__ import annotations

import importlib

from . import erlang
from .erlang import ANY, TIMEOUT, ErlangError, Throw, Exit
from .kernel import state as _state

__all__ = ["call", "multicall", "cast"]


def _resolve(mod, fun):
    if type(mod) is str:
        for name in (f"otp_lite.{mod}", mod):
            try:
                mod = importlib.import_module(name)
                break
            except ImportError:
                continue
        else:
            raise ErlangError("undef", f"no module named {mod!r}")
    if callable(fun):
        return fun
    f = getattr(mod, fun, None)
    if f is None or not callable(f):
        raise ErlangError("undef", f"{getattr(mod, '__name__', mod)}.{fun} is not a function")
    return f


def _apply(mod, fun, args):
    """Run ``mod.fun(*args)`` the way a rex worker does: exceptions become badrpc."""
    rt = _state.rt
    try:
        return _resolve(mod, fun)(*args)
    except Throw as t:
        return t.value
    except Exit as e:
        return ("badrpc", ("EXIT", e.reason))
    except Exception as e:              # noqa: BLE001  (error class: {badrpc, {'EXIT', {R, Stack}}})
        return ("badrpc", ("EXIT", rt.error_reason(e)))


# ------------------------------------------------------------------ rex
def _rex():
    while True:
        m = erlang.receive()
        if type(m) is tuple and m and m[0] == "call":
            _, frm, tag, mod, fun, args = m
            erlang.spawn(_worker, frm, tag, mod, fun, args)
        elif type(m) is tuple and m and m[0] == "cast":
            _, mod, fun, args = m
            erlang.spawn(_apply, mod, fun, args)


def _worker(frm, tag, mod, fun, args):
    erlang.send(frm, (tag, _apply(mod, fun, args)))


def _start_rex(node_name):
    """Start the ``rex`` server of a node (called by otp_lite.dist when a node starts)."""
    rt = _state.rt
    node = rt.net.nodes[node_name]
    p, _ = rt.spawn(_rex, (), parent=rt.shell, mfa=("rpc", "rex", 0))
    p.node = node
    p.label = "rex"
    rt.register("rex", p)
    return p


# ------------------------------------------------------------------ API
def _check(node, args, timeout):
    if type(node) is not str:
        raise ErlangError("badarg", f"rpc: the node must be a name like 'bsc@host1', got {node!r}")
    if type(args) is not list:
        raise ErlangError("badarg", f"rpc: the arguments must be a list, got {args!r}")
    if timeout != "infinity" and (type(timeout) not in (int, float) or timeout < 0):
        raise ErlangError("badarg", f"rpc: timeout must be ms or 'infinity', got {timeout!r}")


def _erpc(net, node, mod, fun, args, timeout):
    """OTP 25's rpc:call on a real node: ``spawn_request(erpc, execute_call, [Ref, M, F, A])``
    with a monitor; the process's exit reason is the answer.  None: the node has no spawn."""
    from .kernel.terms import Ref
    ref = Ref()
    req = net.spawn_request(erlang.self(), node, "erpc", "execute_call", [ref, mod, fun, args])
    if req is None:
        return None
    m = erlang.receive(("DOWN", req, ANY, ANY, ANY), timeout=timeout)
    if m is TIMEOUT:
        erlang.demonitor(req, True)
        return ("badrpc", "timeout")
    r = m[4]
    if type(r) is tuple and len(r) >= 3 and r[0] is ref:
        kind = r[1]
        if kind in ("return", "throw"):
            return r[2]
        if kind == "exit":
            return ("badrpc", ("EXIT", r[2]))
        if kind == "error":
            return ("badrpc", ("EXIT", (r[2], r[3]) if len(r) == 4 else r[2]))
    if r == "noconnection":
        return ("badrpc", "nodedown")
    return ("badrpc", ("EXIT", r))


def _middleman(caller, node, mod, fun, args, timeout):
    """Monitor rex on ``node``, send the request, wait; exit with the answer."""
    net = _state.rt.net
    if net is not None and net.wire and node != erlang.node():
        res = _erpc(net, node, mod, fun, args, timeout)
        if res is not None:
            erlang.exit(("rpc_answer", res))
    rex = ("rex", node)
    ref = erlang.monitor("process", rex)
    net = _state.rt.net
    if net is not None and net.wire and node != erlang.node():
        # a real Erlang node: OTP's rex is a gen_server ({call, M, F, A, GroupLeader})
        erlang.send(rex, ("$gen_call", (erlang.self(), ref),
                          ("call", mod, fun, args, _state.rt.current.group_leader)))
    else:
        erlang.send(rex, ("call", erlang.self(), ref, mod, fun, args))
    m = erlang.receive((ref, ANY), ("DOWN", ref, ANY, ANY, ANY), timeout=timeout)
    if m is TIMEOUT:
        res = ("badrpc", "timeout")
    elif len(m) == 2:
        res = m[1]
    elif m[4] in ("noconnection", "noproc"):
        res = ("badrpc", "nodedown")
    else:
        res = ("badrpc", ("EXIT", m[4]))
    erlang.exit(("rpc_answer", res))


def _start(node, mod, fun, args, timeout):
    _check(node, args, timeout)
    net = _state.rt.net
    if net is not None and net.wire and node != erlang.node() and (type(mod) is not str or type(fun) is not str):
        raise ErlangError("badarg", f"rpc to the Erlang node {node!r}: module and function are atoms "
                          f"(str), e.g. rpc.call(node, 'erlang', 'node', []); got {mod!r}, {fun!r}")
    me = erlang.self()
    return erlang.spawn_monitor(_middleman, me, node, mod, fun, args, timeout)


def _answer(down):
    reason = down[4]
    if type(reason) is tuple and len(reason) == 2 and reason[0] == "rpc_answer":
        return reason[1]
    return ("badrpc", ("EXIT", reason))


def call(node, mod, fun, args, timeout="infinity"):
    """``rpc:call/4,5``: apply ``mod.fun(*args)`` on ``node``; the result or ``('badrpc', why)``."""
    mark = _state.rt.mailbox_mark()     # the answers arrive after it
    _, ref = _start(node, mod, fun, args, timeout)
    return _answer(_state.rt.receive((("DOWN", ref, ANY, ANY, ANY),), "infinity", mark))


def multicall(nodes, mod, fun, args=None, timeout="infinity"):
    """``rpc:multicall``: call every node in parallel -> ``(results, bad_nodes)``.

    ``multicall(mod, fun, args)`` calls this node and every connected one.
    """
    if type(nodes) is not list:                       # multicall(M, F, A[, T])
        nodes, mod, fun, args, timeout = ([erlang.node()] + erlang.nodes(), nodes, mod, fun,
                                          args if args is not None else timeout)
        if timeout is None:
            timeout = "infinity"
    mark = _state.rt.mailbox_mark()     # the answers arrive after it
    refs = [(n, _start(n, mod, fun, args, timeout)[1]) for n in nodes]
    good, bad = [], []
    for n, ref in refs:
        res = _answer(_state.rt.receive((("DOWN", ref, ANY, ANY, ANY),), "infinity", mark))
        if res in (("badrpc", "nodedown"), ("badrpc", "timeout")):
            bad.append(n)
        else:
            good.append(res)
    return (good, bad)


def cast(node, mod, fun, args):
    """``rpc:cast/4``: apply on ``node``, do not wait; always True."""
    _check(node, args, "infinity")
    net = _state.rt.net
    if net is not None and net.wire and node != erlang.node():
        if type(mod) is not str or type(fun) is not str:
            raise ErlangError("badarg", f"rpc to the Erlang node {node!r}: module and function are "
                              f"atoms (str); got {mod!r}, {fun!r}")
        # OTP's rex: gen_server:cast({rex, Node}, {cast, M, F, A, GroupLeader})
        erlang.send(("rex", node), ("$gen_cast", ("cast", mod, fun, args, _state.rt.current.group_leader)))
        return True
    erlang.send(("rex", node), ("cast", mod, fun, args))
    return True
