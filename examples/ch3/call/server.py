"""server: the generic server with a safe call; mirrors the book's ch3 `call/server`.

Book ch. 3 (reference run: reference/erlang_ref a2, part 2).

    API                          callback in Mod
    start(name, mod, args) ----> mod.init(args)
    call(name, msg) -----------> mod.handle(msg, state)    (monitored: never hangs)
    stop(name) ----------------> mod.terminate(state)

Only ``call`` differs from ``behavior.server``: the caller monitors the
server first, tags the request with the monitor reference, and waits for
either the reply carrying that reference or the ``'DOWN'`` message.  A dead
or unregistered server gives ``('error', 'no_proc')`` instead of a crash or
a wait for ever.  The server's loop must echo the reference back, so the
request carries ``(ref, pid)`` as its "from".
"""
from otp_lite import erlang
from otp_lite.erlang import ANY, ErlangError


def start(name, mod, args):
    return erlang.register(name, erlang.spawn(init, mod, args))


def stop(name):
    return call(name, "$stop")


def call(name, msg):
    ref = erlang.monitor("process", name)
    try:
        erlang.send(name, ("request", (ref, erlang.self()), msg))
    except ErlangError:
        pass                            # no such name: the DOWN is already on its way
    got = erlang.receive(("reply", ref, ANY), ("DOWN", ref, "process", ANY, ANY))
    if got[0] == "reply":
        erlang.demonitor(ref, ["flush"])
        return got[2]
    return ("error", "no_proc")


def reply(frm, reply):
    ref, pid = frm
    erlang.send(pid, ("reply", ref, reply))


def init(mod, args):
    state = mod.init(args)
    loop(mod, state)


def loop(mod, state):
    while True:
        _, frm, request = erlang.receive(("request", ANY, ANY))
        if request == "$stop":
            reply(frm, mod.terminate(state))
            return
        state, answer = mod.handle(request, state)
        reply(frm, answer)
