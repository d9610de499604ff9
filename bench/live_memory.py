"""Memory of a live notebook left open under load (issue 18): the ch. 16 load demo in live mode.

    python bench/live_memory.py [minutes]      (default 10)

Real clock in a running asyncio loop (as in JupyterLab), the views' recorder on
(bounded: the newest 50,000 events), a live observer and dashboard open, and a
load generator calling the ch. 16 frequency server at 100 calls/s for ever.
Prints the resident memory every minute; flat means the recorder, the metrics
and the views let go of what they no longer show.
"""
import asyncio
import os
import sys
import time

sys.path[:0] = [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]

import psutil                                                          # noqa: E402

from examples.ch16 import frequency                                    # noqa: E402
from otp_lite import erlang, loadgen, metrics, runtime, viz            # noqa: E402


async def main(minutes):
    runtime.reset(clock="real")
    rec = viz.record()
    frequency.start()

    def load():
        while True:
            loadgen.run(frequency.phone_call, 100, 5000, settle=200)

    erlang.spawn(load)
    views = [viz.observer().live(), viz.dashboard(counters=["calls"], processes=["frequency"]).live()]
    me = psutil.Process()
    t0 = time.monotonic()
    rows = []
    for minute in range(minutes + 1):
        if minute:
            await asyncio.sleep(60)
        rss = me.memory_info().rss / 2 ** 20
        rows.append((minute, rss, len(rec.events), rec.dropped))
        print(f"{minute:3d} min  RSS {rss:7.1f} MiB  recorder {len(rec.events):6d} events "
              f"({rec.dropped} dropped)", flush=True)
    runtime.live(False)
    growth = rows[-1][1] - rows[min(2, len(rows) - 1)][1]
    print(f"growth after the first 2 minutes: {growth:+.1f} MiB over {time.monotonic() - t0:.0f} s; "
          f"views: {len(views)}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
