"""Real browser: JupyterLab + the live supervision tree; kill a worker, see the restart.

A demo notebook (real clock, a supervisor with two workers,
``viz.sup_tree(...).live()``) is run in JupyterLab (fixtures in conftest.py);
chromium clicks worker w1, clicks *kill*, and waits until the tree shows w1
restarted under a new pid, and the selection follows w1 to that pid (its
process_info, restart count and old pid; it stayed on the dead pid before).
Skips only when chromium or playwright is absent.
"""
import pytest

pytestmark = pytest.mark.browser

CELLS = [
    "runtime.reset(clock='real')\nrec = viz.record()",
    # the real supervisor when it is there, else the tests' fake one (same trace events)
    "from test_viz_support import worker, fake_sup\n"
    "try:\n"
    "    from otp_lite import supervisor\n"
    "    class demo_sup:\n"
    "        def init(args):\n"
    "            return ('ok', ({'strategy': 'one_for_one', 'intensity': 5, 'period': 10},\n"
    "                           [{'id': 'w1', 'start': (demo_sup, 'start_worker', ['w1'])},\n"
    "                            {'id': 'w2', 'start': (demo_sup, 'start_worker', ['w2'])}]))\n"
    "        def start_worker(tag):\n"
    "            return ('ok', erlang.spawn_link(worker, tag))\n"
    "    supervisor.start_link(('local', 'demo_sup'), demo_sup, [])\n"
    "except ImportError:\n"
    "    erlang.spawn(fake_sup, 'demo_sup', 'one_for_one', 5, 10,\n"
    "                 [('w1', worker, ('w1',), 'worker'), ('w2', worker, ('w2',), 'worker')])\n"
    "runtime.run_until_idle()",
    "live = viz.sup_tree('demo_sup').live()\nlive",
]


def test_kill_worker_in_live_tree_shows_restart(notebook, shot):
    from playwright.sync_api import expect
    page = notebook("live_tree", CELLS)
    tree = page.locator("pre.otp-tree-text")
    expect(tree).to_contain_text("w1 <0.", timeout=30_000)
    expect(tree).to_contain_text("restarts 0")
    before = tree.inner_text()
    view = page.locator(".jp-OutputArea-output").filter(has=tree)
    shot(view, "sup_tree_1_started")
    page.locator("button.otp-node", has_text="w1 ").first.click()
    expect(page.locator(".otp-info").first).to_be_visible(timeout=10_000)
    shot(view, "sup_tree_2_w1_selected")
    page.locator("button.otp-kill").first.click()
    expect(tree).to_contain_text("restarts 1", timeout=15_000)
    after = tree.inner_text()
    w1_before = [l for l in before.splitlines() if "w1 " in l][0]
    w1_after = [l for l in after.splitlines() if "w1 " in l][0]
    assert w1_before.split()[2] != w1_after.split()[2], (before, after)   # a new pid
    assert "[running]" in w1_after
    old_pid, new_pid = w1_before.split()[2], w1_after.split()[2]
    info = page.locator(".widget-html", has=page.locator(".otp-info")).first
    expect(info).to_contain_text(f"w1 (restarts 1, was {old_pid}): process_info({new_pid})", timeout=10_000)
    expect(page.locator("button.otp-node-selected")).to_contain_text(f"w1 {new_pid}")
    shot(view, "sup_tree_3_w1_restarted")
    shot(page, "sup_tree_page")
