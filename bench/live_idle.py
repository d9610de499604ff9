"""Idle cost of the live views (issue 18): a live supervision tree, observer and dashboard of an
idle system, 5 s of a real asyncio loop (as in JupyterLab).

    python bench/live_idle.py

Prints the kernel process's CPU share, how many times each view re-rendered (the dashboard:
redrew its figure) and how many trace events the looking itself made.  Goal: < 2 % of a core,
no re-render, no event.
"""
import asyncio
import os
import sys
import time

sys.path[:0] = [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]

from otp_lite import gen_server, metrics, runtime, supervisor, viz   # noqa: E402


class Idle:
    def start_link(i):
        return gen_server.start_link(Idle, i, [])

    def init(i):
        return ("ok", i)


class Sup:
    def init(_):
        return ("ok", ({"strategy": "one_for_one", "intensity": 3, "period": 5},
                       [{"id": f"w{i}", "start": (Idle, "start_link", [i])} for i in range(3)]))


async def main(seconds=5.0):
    runtime.reset(clock="real")
    viz.record()
    _, sup = supervisor.start_link(Sup, [])
    metrics.gauge("free", 3)
    tree, obs = viz.sup_tree(sup).live(), viz.observer().live()
    dash = viz.dashboard(gauges=["free"]).live()
    await asyncio.sleep(1.0)                              # first renders, settle
    rec = viz.current_recorder()
    n0 = len(rec.events)
    f0 = (tree.frame, obs.frame, getattr(dash, "figures", dash.frame))
    c0, t0 = time.process_time(), time.monotonic()
    await asyncio.sleep(seconds)
    cpu = (time.process_time() - c0) / (time.monotonic() - t0)
    print(f"idle {seconds:g} s: CPU {100 * cpu:.1f} % of a core; re-renders: tree {tree.frame - f0[0]}, "
          f"observer {obs.frame - f0[1]}, dashboard figure {getattr(dash, 'figures', dash.frame) - f0[2]}; "
          f"trace events made by looking: {len(rec.events) - n0}")
    runtime.live(False)


if __name__ == "__main__":
    asyncio.run(main())
