"""server: the generic half of a client/server process (reference solution).

Mirrors the book's ``server`` (ch. 3, ``ch3/call/server.erl``): a process
that keeps a state and a callback module that says what to do with it.

============================  ===================================
generic (this module)         specific (the callback module)
============================  ===================================
``start(name, mod, args)``    ``mod.init(args) -> state``
``call(name, msg)``           ``mod.handle(msg, state) -> (new_state, reply)``
``stop(name)``                ``mod.terminate(state) -> reply``
============================  ===================================

Failure rule: ``call`` monitors the server, so a server that is not
registered, has stopped or crashes while handling the request answers
``('error', 'no_proc')`` instead of leaving the caller waiting for ever.
"""
from otp_lite import erlang
from otp_lite.erlang import ANY, ErlangError


def start(name, mod, args):
    """Spawn a server running ``mod`` and register it as ``name``; returns ``True``.

    Erlang's ``server:start(Name, Args)`` uses ``Name`` both as the callback
    module and as the registered name; Python passes the two separately.
    """
    return erlang.register(name, erlang.spawn(init, mod, args))


def stop(name):
    """Ask the server to stop; returns what ``mod.terminate(state)`` returned."""
    erlang.send(name, ("stop", erlang.self()))
    _, reply = erlang.receive(("reply", ANY))
    return reply


def call(name, msg):
    """Send ``msg`` to the server and wait for the reply, or ``('error', 'no_proc')``."""
    ref = erlang.monitor("process", name)
    try:
        erlang.send(name, ("request", (ref, erlang.self()), msg))
    except ErlangError:
        pass                        # `catch Name ! ...`: the monitor's DOWN tells the caller
    m = erlang.receive(("reply", ref, ANY), ("DOWN", ref, "process", ANY, ANY))
    if m[0] == "reply":
        erlang.demonitor(ref, flush=True)
        return m[2]
    return ("error", "no_proc")


def reply(frm, msg):
    ref, to = frm
    erlang.send(to, ("reply", ref, msg))


def init(mod, args):
    loop(mod, mod.init(args))


def loop(mod, state):
    while True:
        m = erlang.receive(("request", ANY, ANY), ("stop", ANY))
        if m[0] == "request":
            _, frm, msg = m
            state, rep = mod.handle(msg, state)
            reply(frm, rep)
        else:
            erlang.send(m[1], ("reply", mod.terminate(state)))
            return
