"""Real browser: notebooks 08 and 16 themselves, with every live view their text
suggests open, left idle for 30 s (issue 18).

Each notebook runs top to bottom in JupyterLab as a learner would run it, then
gets the cells its own text invites ("``viz.sup_tree(sup).live()`` draws a tree
that follows the running system ... use ``runtime.reset(clock='real')``";
"``dashboard(**spec).live()`` ... with ``runtime.reset(clock='real')`` you can
watch a spike happen"): a real-clock runtime, the chapter's system started
again (the base station tree in 08; in 16 the frequency server with its
monitor sampling every 20 ms and the shedder), and the live tree, observer,
player and dashboard.  Both stay open together while nothing happens; the test
reads both kernels' CPU (psutil) and counts the widget updates the kernels
send to the page over their websockets.  Goal: < 2 % of a core each; in 08
no widget update at all; in 16, whose monitor keeps working, only the
observer's rows (its reductions move) and the dashboard's clock line, each at
most once a second (before: the observer's table ten times a second).
"""
import json
import re
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(420)]

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
IDLE_S = 30

LIVE_08 = [
    "import os as _os\nprint('kernel pid', _os.getpid())",
    "runtime.reset(clock='real')\nrec = viz.record()\n"
    "ok, bsc = bsc_sup.start_link(os.path.join(tempfile.mkdtemp(), 'bsc.log'))\nerlang.unlink(bsc)\n"
    "simple_phone_sup.attach_phone(1), simple_phone_sup.attach_phone(2)",
    "viz.sup_tree(bsc).live()",
    "viz.observer().live()",
    "p.live()",
]
LIVE_16 = [
    "import os as _os\nprint('kernel pid', _os.getpid())",
    "rt = runtime.reset(clock='real')\nalarm_handler.start()\nok, pid = frequency.start(100, 2)\n"
    "_ = freq_monitor.start(checks)\ngen_event.add_handler('alarm_handler', shedder, 'overload')",
    "dashboard(**spec).live()",
    "from otp_lite import viz\nviz.observer().live()",
]


def code_cells(name):
    nb = json.loads((NOTEBOOKS / name).read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def _count_updates(page, counts, key):
    """Count the kernel's widget updates that reach the page, apart from the clock line."""
    def frame(payload):
        text = payload if isinstance(payload, str) else payload.decode("latin-1")
        if "comm_msg" in text and '"update"' in text:
            kind = "clock" if "otp-clock" in text else "observer" if "otp-observer" in text else "view"
            counts[key, kind] += 1
    page.on("websocket", lambda ws: ws.on("framereceived", frame))


def test_notebooks_08_and_16_with_their_live_views_idle(notebook, shot):
    import psutil
    from collections import Counter
    from playwright.sync_api import expect
    counts = Counter()
    kernels = {}
    for key, name, extra in [("08", "08_supervisors.ipynb", LIVE_08), ("16", "16_monitoring.ipynb", LIVE_16)]:
        cells = code_cells(name) + extra
        page = notebook(f"live_{key}", cells, height=1200,
                        setup=lambda page, key=key: _count_updates(page, counts, key))
        # JupyterLab renders only the cells near the viewport (windowing): wait for the last
        # one's execution count, every cell before it ran first (Run All Cells, in order)
        expect(page.locator(".jp-CodeCell .jp-InputArea-prompt").last).to_have_text(
            f"[{len(cells) + 1}]:", timeout=180_000)
        pid_text = page.locator(".jp-OutputArea-output", has_text="kernel pid").first
        kernels[key] = (page, psutil.Process(int(re.search(r"kernel pid (\d+)", pid_text.inner_text()).group(1))))
    page08, page16 = kernels["08"][0], kernels["16"][0]
    expect(page08.locator("pre.otp-tree-text")).to_contain_text("simple_phone_sup", timeout=30_000)
    expect(page16.locator(".otp-clock")).to_contain_text("now", timeout=30_000)

    # Playwright's sync API hands over websocket events only inside its own calls:
    # wait with wait_for_timeout (which dispatches them), not time.sleep
    page16.wait_for_timeout(3000)                   # the last renders settle
    before = dict(counts)
    c0 = {k: sum(p.cpu_times()[:2]) for k, (_, p) in kernels.items()}
    t0 = time.monotonic()
    page16.wait_for_timeout(IDLE_S * 1000)
    took = time.monotonic() - t0
    page08.wait_for_timeout(100)
    cpu = {k: (sum(p.cpu_times()[:2]) - c0[k]) / took for k, (_, p) in kernels.items()}
    updates = {k: counts[k] - before.get(k, 0) for k in counts}
    print(f"idle {took:.0f} s: CPU 08 {100 * cpu['08']:.2f} %, 16 {100 * cpu['16']:.2f} % of a core; "
          f"widget updates {dict(sorted(updates.items()))}")
    shot(page08, "live_08_idle")
    shot(page16, "live_16_idle")
    # 08 is idle: nothing at all.  16 runs its monitor (a tick every 20 ms): the observer's
    # rows (the monitor's reductions) at most once a second, and the dashboard's clock line
    assert sum(n for (k, _), n in updates.items() if k == "08") == 0, updates
    assert updates.get(("16", "view"), 0) == 0, updates
    assert updates.get(("16", "observer"), 0) <= IDLE_S + 2, updates
    assert updates.get(("16", "clock"), 0) <= IDLE_S + 2, updates
    for k, c in cpu.items():
        assert c < 0.06, f"notebook {k} idle with its live views: {100 * c:.1f} % of a core (goal < 2 %)"
