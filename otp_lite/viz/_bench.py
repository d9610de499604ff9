"""Render-time check for the views: 100 processes, ~10,000 events.

Run: ``python -m otp_lite.viz._bench``.  Goal: each view (text + figure +
PNG) in under 1 s.  A measurement, not a timed test.
"""
from __future__ import annotations

import time


def make_trace(nproc=100, nevents=10_000):
    from otp_lite import runtime, erlang
    from otp_lite import viz
    runtime.reset()
    rec = viz.record()

    def worker(i):
        erlang.register(f"w{i}", erlang.self())
        while True:
            m = erlang.receive()
            if m == "stop":
                return
            n, to = m
            if n > 0:
                erlang.send(to, (n - 1, erlang.self()))

    def sup():
        me = erlang.self()
        erlang.process_flag("trap_exit", True)
        runtime.emit("sup_start", pid=me, name=("local", "big_sup"), strategy="one_for_one",
                     intensity=5, period=10)
        kids = []
        for i in range(nproc - 1):
            p = erlang.spawn_link(worker, i)
            kids.append(p)
            runtime.emit("sup_child", pid=me, id=f"w{i}", event="started", child=p, reason=None)
        erlang.send(erlang.whereis("bench"), ("kids", kids))
        erlang.receive()

    erlang.register("bench", erlang.self())
    erlang.spawn(sup)
    _tag, kids = erlang.receive(("kids", erlang.ANY))
    i = 0
    while len(rec.events) < nevents:
        a, b = kids[i % len(kids)], kids[(i * 7 + 3) % len(kids)]
        erlang.send(a, (3, b))
        i += 1
        if i % 50 == 0:
            runtime.run_until_idle()
    runtime.run_until_idle()
    return rec


def main():
    from otp_lite import viz
    import matplotlib
    matplotlib.use("Agg")
    t0 = time.perf_counter()
    rec = make_trace()
    print(f"trace: {len(rec.events)} events, {len(set(e.get('pid') for e in rec.events))} pids "
          f"({time.perf_counter() - t0:.2f} s to make)")
    for name, mk in [("sup_tree", lambda: viz.sup_tree(rec)),
                     ("sequence", lambda: viz.sequence(rec)),
                     ("observer", lambda: viz.observer(rec)),
                     ("fsm", lambda: viz.fsm(rec)),
                     ("player@middle", lambda: viz.Player(rec).seek(len(rec.events) // 2).sequence())]:
        t0 = time.perf_counter()
        v = mk()
        txt = v.text()
        t1 = time.perf_counter()
        png = v._repr_png_()
        t2 = time.perf_counter()
        print(f"{name:14s} text {1000 * (t1 - t0):6.0f} ms ({len(txt.splitlines())} lines)  "
              f"figure+png {1000 * (t2 - t1):6.0f} ms ({len(png) // 1024} KiB)  total {t2 - t0:.2f} s")


if __name__ == "__main__":
    main()
