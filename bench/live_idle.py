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


async def ch16(seconds=5.0, views=True):
    """Notebook 16's system after its text's invitation: the frequency server, the monitor
    sampling every 20 ms, the shedder; with and without a live dashboard and observer."""
    from examples.ch16 import freq_monitor, frequency, shedder
    from otp_lite import alarm_handler, gen_event
    runtime.reset(clock="real")
    alarm_handler.start()
    frequency.start(100, 2)
    freq_monitor.start([("overload", freq_monitor.mailbox("frequency"), 100, 20),
                        ("no_frequency", freq_monitor.gauge("free_frequencies"), 10, 20)])
    gen_event.add_handler("alarm_handler", shedder, "overload")
    shown = []
    if views:
        shown = [viz.dashboard(gauges=["mailbox.frequency", "free_frequencies"],
                               counters=["calls", "shed", "denials"], processes=["frequency"]).live(),
                 viz.observer().live()]
    else:
        runtime.live(True)          # what a live view turns on: the runtime runs between cells
    await asyncio.sleep(2.5)       # first renders; the figure follows its data within a second
    f0 = [v.frame for v in shown]
    c0, t0 = time.process_time(), time.monotonic()
    await asyncio.sleep(seconds)
    cpu = (time.process_time() - c0) / (time.monotonic() - t0)
    renders = ", ".join(f"{v.title} {v.frame - f}" for v, f in zip(shown, f0)) or "no views"
    print(f"ch. 16 system (monitor every 20 ms), {'with' if views else 'without'} live views, {seconds:g} s: "
          f"CPU {100 * cpu:.1f} % of a core; re-renders: {renders}")
    runtime.live(False)


if __name__ == "__main__":
    asyncio.run(main())
    asyncio.run(ch16(10.0, views=False))
    asyncio.run(ch16(10.0, views=True))
