"""Real-browser fixtures: ONE JupyterLab server and ONE chromium for all browser tests.

``lab`` starts ``jupyter lab`` (this venv) on a free localhost port
with a token, serving a temp folder; ``browser`` launches Debian's
/usr/bin/chromium through Playwright.  A test asks for ``notebook`` and calls
it with a name and a list of code cells: the notebook is written into the temp
folder (never into notebooks/), opened in a fresh page under a workspace of its
own (so JupyterLab does not reopen the other tests' notebooks), and run with
*Run > Run All Cells*.  At teardown the page closes and its kernel is shut down.

``shot(target, name)`` saves a screenshot under /tmp/otp_lab_shots/;
``cells_done(page, n)`` waits until n code cells show an execution count.

Both are package-scoped (this folder is a package): they close after the last
test here, before the rest of the suite runs (Playwright's sync API keeps an
asyncio loop running in this thread, which breaks ``asyncio.run`` in later
tests).  Every browser test skips only when chromium or playwright is absent.
"""
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
SHOTS = Path("/tmp/otp_lab_shots")

# the first cell of every demo notebook: the repo and tests/ on the path
PRELUDE = ("import sys\nsys.path[:0] = [%r, %r]\nfrom otp_lite import runtime, erlang, viz\n"
           % (str(REPO), str(TESTS)))


def _skip_unless_browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is absent (tools/install_browser.sh installs it as root)")
    pytest.importorskip("playwright.sync_api", reason="the playwright python package is not installed")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A running ``jupyter lab``: ``base`` url, ``token``, ``root`` folder."""

    def __init__(self, root):
        self.root = root
        self.port, self.token = _free_port(), secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = root / "lab.log"
        settings = root / "settings"
        for ext, plugin, values in [("notebook-extension", "tracker", {"autoStartDefaultKernel": True}),
                                    ("apputils-extension", "notification",
                                     {"fetchNews": "false", "checkForUpdates": False})]:
            d = settings / "@jupyterlab" / ext
            d.mkdir(parents=True, exist_ok=True)
            (d / f"{plugin}.jupyterlab-settings").write_text(json.dumps(values))
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(root / "rt"), JUPYTERLAB_SETTINGS_DIR=str(settings),
                   MPLBACKEND="Agg", PYTHONHASHSEED="0")
        jupyter = Path(sys.executable).with_name("jupyter")
        self.proc = subprocess.Popen(
            [str(jupyter), "lab", "--no-browser", f"--port={self.port}", "--ip=127.0.0.1",
             f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={root}",
             "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             f"--LabApp.workspaces_dir={root / 'ws'}"] + (["--allow-root"] if os.geteuid() == 0 else []),
            env=env, stdout=subprocess.DEVNULL, stderr=open(self.log, "w"), cwd=root)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.api("GET", "status")
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    pytest.fail("jupyter lab did not start:\n" + self.log.read_text()[-2000:])
                time.sleep(0.2)

    def api(self, method, path):
        req = urllib.request.Request(f"{self.base}/api/{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=5) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_kernels_of(self, nb_name):
        try:
            for s in self.api("GET", "sessions"):
                if s.get("path", "").endswith(nb_name):
                    self.api("DELETE", f"sessions/{s['id']}")
        except OSError:
            pass

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="package")
def lab(tmp_path_factory):
    _skip_unless_browser()
    root = tmp_path_factory.mktemp("otp_lab_browser")
    server = Lab(root)
    yield server
    server.close()


@pytest.fixture(scope="package")
def browser(lab):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _shot(target, name):
    """Screenshot a page or a locator into /tmp/otp_lab_shots/<name>.png; returns the path."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    if hasattr(target, "goto"):
        target.screenshot(path=str(path), full_page=True)
    else:
        target.screenshot(path=str(path))
    return path


def _write_notebook(path, cells):
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                     "source": src} for src in cells],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb))


@pytest.fixture
def cells_done():
    """``cells_done(page, n)``: until all ``n`` code cells show an execution count."""
    return _wait_cells_done


@pytest.fixture
def shot():
    """``shot(page_or_locator, name)``: a screenshot under /tmp/otp_lab_shots/."""
    return _shot


IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"


def run_all(page):
    """Run > Run All Cells."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def _wait_cells_done(page, n, timeout=30_000):
    """Until every one of the ``n`` code cells shows an execution count (none is ``[*]``)."""
    from playwright.sync_api import expect
    prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt")
    expect(prompts).to_have_count(n, timeout=timeout)
    deadline = time.monotonic() + timeout / 1000
    while True:
        texts = prompts.all_inner_texts()
        if all(t.strip().startswith("[") and t.strip()[1:-2].strip().isdigit() for t in texts):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"cells still running: {texts}")
        time.sleep(0.1)


def _start_kernel(page, timeout=30):
    """Until the status bar shows an idle python kernel; accepts the kernel-select
    dialog (this venv's python3) whenever JupyterLab shows it."""
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    status = page.get_by_role("button", name=re.compile(r"Python 3.*\| Idle"))
    deadline = time.monotonic() + timeout
    while True:
        if accept.count():
            try:
                accept.first.click(timeout=2_000)
            except Exception:       # noqa: BLE001 - it went away meanwhile
                pass
        elif status.count() and page.locator(IDLE).count():
            return
        if time.monotonic() > deadline:
            raise AssertionError("the notebook's kernel did not start")
        time.sleep(0.1)


@pytest.fixture
def notebook(lab, browser, request):
    """``open(name, cells, setup=None) -> page``: write, open and Run All a demo notebook
    (``setup(page)`` runs before the page loads)."""
    pages = []

    def open_(name, cells, run=True, height=1800, setup=None):
        from playwright.sync_api import expect
        nb = f"{name}.ipynb"
        _write_notebook(lab.root / nb, [PRELUDE] + list(cells))
        page = browser.new_page(viewport={"width": 1400, "height": height})
        pages.append((page, nb, name))
        if setup is not None:
            setup(page)             # e.g. listen to the kernel's websocket from its first frame
        page.goto(f"{lab.base}/lab/workspaces/{name}/tree/{nb}?token={lab.token}")
        page.locator(".jp-Notebook").first.wait_for(timeout=30_000)
        _start_kernel(page)
        if run:
            run_all(page)
        return page

    yield open_
    failed = getattr(request.node, "rep_call", None)
    for page, nb, name in pages:
        if failed is not None and failed.failed:
            try:
                _shot(page, f"{name}_FAILED")
            except Exception:       # noqa: BLE001 - a screenshot must not hide the failure
                pass
        page.close()
        lab.shutdown_kernels_of(nb)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    out = yield
    rep = out.get_result()
    if rep.when == "call":
        item.rep_call = rep
