"""server: the generic half of every server; mirrors the book's ch3 `behavior/server`.

Book ch. 3 (reference run: reference/erlang_ref a2, part 1).

    API                          callback in Mod
    start(name, mod, args) ----> mod.init(args)            -> state
    call(name, msg) -----------> mod.handle(msg, state)    -> (new_state, reply)
    stop(name) ----------------> mod.terminate(state)      -> reply to stop

Everything that is the same in every server lives here: spawning and
registering, the request/reply protocol, the receive loop that threads the
state.  The callback module holds only what is specific.  Failure rule: a
callback that raises crashes the server process (its exit reason), and a
caller waiting in ``call`` then waits for ever -- see ``call.server`` for
the monitor-based fix.
"""
from otp_lite import erlang
from otp_lite.erlang import ANY


def start(name, mod, args):
    """Spawn a server running ``mod`` and register it as ``name``; returns True."""
    return erlang.register(name, erlang.spawn(init, mod, args))


def stop(name):
    erlang.send(name, ("stop", erlang.self()))
    _, reply = erlang.receive(("reply", ANY))
    return reply


def call(name, msg):
    erlang.send(name, ("request", erlang.self(), msg))
    _, reply = erlang.receive(("reply", ANY))
    return reply


def reply(to, reply):
    erlang.send(to, ("reply", reply))


def init(mod, args):
    state = mod.init(args)
    loop(mod, state)


def loop(mod, state):
    # The main loop: one message, one callback, the new state carried round.
    while True:
        msg = erlang.receive(("request", ANY, ANY), ("stop", ANY))
        if msg[0] == "request":
            _, frm, request = msg
            state, answer = mod.handle(request, state)
            reply(frm, answer)
        else:
            reply(msg[1], mod.terminate(state))
            return
