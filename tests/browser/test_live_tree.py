"""Real browser: JupyterLab + the live supervision tree; kill a worker, see the restart.

Starts ``jupyter lab`` (this venv) on a free localhost port with a token,
writes a small demo notebook (real clock, a supervisor with two workers,
``viz.sup_tree(...).live()``), drives Debian's /usr/bin/chromium with
Playwright: Run All, click worker w1, click *kill*, and waits until the tree
shows w1 restarted.  Skips only when chromium or playwright is absent.
"""
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
TESTS = Path(__file__).resolve().parents[1]

CELLS = [
    "import sys\nsys.path.insert(0, %r)\nfrom otp_lite import runtime, erlang, viz\n"
    "runtime.reset(clock='real')\nrec = viz.record()" % str(TESTS),
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


def _notebook(path):
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                     "source": src} for src in CELLS],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is absent (tools/install_browser.sh installs it as root)")
    pytest.importorskip("playwright.sync_api", reason="the playwright python package is not installed")
    _notebook(tmp_path / "demo.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"), MPLBACKEND="Agg", PYTHONHASHSEED="0")
    jupyter = Path(sys.executable).with_name("jupyter")
    proc = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}",
         "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         f"--LabApp.workspaces_dir={tmp_path / 'ws'}"] + (["--allow-root"] if os.geteuid() == 0 else []),
        env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "lab.log", "w"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("jupyter lab did not start:\n" + (tmp_path / "lab.log").read_text()[-2000:])
            time.sleep(0.2)
    yield base, token
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_kill_worker_in_live_tree_shows_restart(lab):
    from playwright.sync_api import sync_playwright, expect
    base, token = lab
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/lab/tree/demo.ipynb?token={token}")
            page.locator(".jp-Notebook").first.wait_for(timeout=30_000)
            # JupyterLab may ask which kernel to start: accept the default (this venv's python3)
            accept = page.locator(".jp-Dialog .jp-mod-accept")
            try:
                accept.first.wait_for(timeout=8_000)
                accept.first.click()
            except Exception:       # noqa: BLE001 - no dialog: the kernel started by itself
                pass
            # wait for the kernel, then Run > Run All Cells
            expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first).to_be_attached(
                timeout=30_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            tree = page.locator("pre.otp-tree-text")
            expect(tree).to_contain_text("w1 <0.", timeout=30_000)
            expect(tree).to_contain_text("restarts 0")
            before = tree.inner_text()
            page.locator("button.otp-node", has_text="w1 ").first.click()
            expect(page.locator(".otp-info").first).to_be_visible(timeout=10_000)
            page.locator("button.otp-kill").first.click()
            expect(tree).to_contain_text("restarts 1", timeout=15_000)
            after = tree.inner_text()
            w1_before = [l for l in before.splitlines() if "w1 " in l][0]
            w1_after = [l for l in after.splitlines() if "w1 " in l][0]
            assert w1_before.split()[2] != w1_after.split()[2], (before, after)   # a new pid
            assert "[running]" in w1_after
            page.screenshot(path="/tmp/otp_live_tree.png", full_page=True)
        except BaseException:
            page.screenshot(path="/tmp/otp_live_tree_failed.png", full_page=True)
            raise
        finally:
            browser.close()
