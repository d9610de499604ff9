"""Test helpers for the viz tests (no tests here).

``fake_sup`` is a tiny one_for_one supervisor built from kernel primitives
that emits the agreed trace events (sup_start, sup_child, sup_shutdown), so the
viz can be tested without otp_lite.supervisor.  ``demo_tree`` starts a small
two-level tree.  Once ``otp_lite.supervisor`` exists, ``start_tree`` uses the
real one.
"""
from otp_lite import erlang, runtime
from otp_lite.erlang import ANY


def worker(tag):
    while True:
        m = erlang.receive()
        if m == "crash":
            raise RuntimeError(f"{tag} crashed")
        if isinstance(m, tuple) and m[0] == "ping":
            erlang.send(m[1], ("pong", tag))


def fake_sup(name, strategy, intensity, period, specs):
    """specs: [(id, fun, args, type)]; type 'worker' or 'supervisor'."""
    me = erlang.self()
    erlang.process_flag("trap_exit", True)
    if name:
        erlang.register(name, me)
    runtime.emit("sup_start", pid=me, name=("local", name) if name else me,
                 strategy=strategy, intensity=intensity, period=period)
    kids = {}
    order = []
    for cid, fun, args, typ in specs:
        p = erlang.spawn_link(fun, *args)
        kids[cid] = p
        order.append((cid, fun, args, typ))
        runtime.emit("sup_child", pid=me, id=cid, event="started", child=p, reason=None, type=typ)
    restarts = []
    while True:
        m = erlang.receive()
        if m[0] == "EXIT":
            dead = m[1]
            for cid, fun, args, typ in order:
                if kids.get(cid) == dead:
                    break
            else:
                continue
            runtime.emit("sup_child", pid=me, id=cid, event="terminated", child=dead, reason=m[2])
            if m[2] == "normal":
                continue
            now = runtime.now()
            restarts = [t for t in restarts if now - t < period * 1000] + [now]
            if len(restarts) > intensity:
                runtime.emit("sup_shutdown", pid=me, reason="shutdown")
                for c in kids.values():
                    erlang.exit(c, "shutdown")
                erlang.exit("shutdown")
            runtime.emit("sup_child", pid=me, id=cid, event="restarting", child=dead, reason=m[2])
            p = erlang.spawn_link(fun, *args)
            kids[cid] = p
            runtime.emit("sup_child", pid=me, id=cid, event="restarted", child=p, reason=None)
        elif m[0] == "which_children":
            out = [(cid, kids[cid], typ, [getattr(fun, "__module__", "?")]) for cid, fun, args, typ in order]
            erlang.send(m[1], ("children", list(reversed(out))))


def demo_tree():
    """top (one_for_one 3/5) -> [db worker, workers sup (one_for_one 2/60) -> [w1, w2]]"""
    top = erlang.spawn(fake_sup, "top_sup", "one_for_one", 3, 5, [
        ("db", worker, ("db",), "worker"),
        ("workers", fake_sup, (None, "one_for_all", 2, 60, [
            ("w1", worker, ("w1",), "worker"),
            ("w2", worker, ("w2",), "worker")]), "supervisor"),
    ])
    runtime.run_until_idle()
    return top


def child_pid(sup_events, cid):
    pid = None
    for e in sup_events:
        if e["kind"] == "sup_child" and e["id"] == cid and e["event"] in ("started", "restarted"):
            pid = e["child"]
    return pid
