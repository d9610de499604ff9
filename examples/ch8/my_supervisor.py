"""my_supervisor: a supervisor written by hand; mirrors the book's ch8/erlang `my_supervisor` (c6).

    start(name, [(mod, 'fun', [args]), ...])  -> ('ok', pid)  register name, trap exits, start children
    stop(name)                               -> 'stop'       every child is killed, then the supervisor ends

The loop restarts a child that exits abnormally and forgets one that exits
``'normal'``.  What it leaves out is what OTP's supervisor adds: restart
intensity (a child crashing in a loop is restarted forever), shutdown
timeouts, restart strategies and child specs.
"""
from otp_lite import erlang
from otp_lite.erlang import ANY


def start(name, child_spec_list):
    erlang.register(name, pid := erlang.spawn(init, child_spec_list))
    return ("ok", pid)


def stop(name):
    erlang.send(name, "stop")
    return "stop"


def init(child_spec_list):
    erlang.process_flag("trap_exit", True)
    loop(start_children(child_spec_list))


def start_children(specs):
    children = []
    for m, f, a in specs:
        ret = getattr(m, f)(*a)
        if type(ret) is tuple and ret[0] == "ok":
            children.append((ret[1], (m, f, a)))
    return children


def restart_child(pid, children):
    spec = dict(children)[pid]
    m, f, a = spec
    ok, new = getattr(m, f)(*a)
    return [(new, spec)] + [(p, s) for p, s in children if p is not pid]


def loop(children):
    while True:
        msg = erlang.receive(("EXIT", ANY, ANY), "stop")
        if msg == "stop":
            for pid, _ in children:
                erlang.exit(pid, "kill")
            return
        _, pid, reason = msg
        if reason == "normal":
            children = [(p, s) for p, s in children if p is not pid]
        else:
            children = restart_child(pid, children)
