"""Real browser: the live process table (``viz.observer().live()``, book ch. 16).

Chromium sorts the table by a column (the *sort by* dropdown), picks a
process in the *process* dropdown, sends it a message, kills another one, and
reads the table (``pre.otp-observer``) and the status line after each click.
Nothing is selected at first or after the kill (the dropdown used to fall back
to the shell, so a second click on *kill* killed the shell); *kill* is
disabled then and while the shell is selected.
"""
import re
import time

import pytest

pytestmark = pytest.mark.browser

CELLS = [
    "from otp_lite import timer\n"
    "runtime.reset(clock='real')\n"
    "def sleeper(): timer.sleep(10**9)          # never reads its mailbox\n"
    "def idle(): erlang.receive()\n"
    "erlang.register('stuffed', erlang.spawn(sleeper))\n"
    "erlang.register('victim', erlang.spawn(idle))\n"
    "erlang.register('aardvark', erlang.spawn(idle))\n"
    "for i in range(5):\n"
    "    erlang.send('stuffed', ('hello', i))\n"
    "runtime.run_until_idle()",
    "obs = viz.observer().live()\nobs",
]


def _names(table):
    """The Name column of the table text, in row order ('' for unnamed)."""
    rows = table.inner_text().splitlines()[1:]
    return [r[11:27].strip() for r in rows]


def _until(cond, what, timeout=10):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, what()
        time.sleep(0.05)


def _pick(page, dropdown, name):
    """Choose the option of ``dropdown`` (a <select>) whose label ends with ``name``."""
    labels = dropdown.locator("option").all_inner_texts()
    label = [l for l in labels if l.split()[-1:] == [name]]
    assert label, (name, labels)
    dropdown.select_option(label=label[0])
    return label[0].split()[0]


def test_sort_send_and_kill_in_the_process_table(notebook, shot):
    from playwright.sync_api import expect
    page = notebook("observer_live", CELLS)
    table = page.locator("pre.otp-observer")
    expect(table).to_contain_text("victim", timeout=30_000)
    view = page.locator(".jp-OutputArea-output").filter(has=table)
    sort = view.locator(".widget-dropdown", has_text="sort by").locator("select")
    pick = view.locator(".widget-dropdown", has_text="process").locator("select")
    status = view.locator(".widget-html").last
    assert _names(table)[1:] == ["stuffed", "victim", "aardvark"]       # by pid: the shell first
    kill = view.locator("button", has_text="kill")
    assert pick.evaluate("s => s.selectedIndex") == -1                  # nothing preselected
    expect(kill).to_be_disabled()
    shot(view, "observer_1_by_pid")

    sort.select_option(label="MsgQ")
    _until(lambda: _names(table)[0] == "stuffed", table.inner_text)        # 5 queued messages
    assert re.search(r"\n<0\.\d+\.0> +stuffed .* 5 ", table.inner_text())
    sort.select_option(label="Name")
    _until(lambda: _names(table) == ["", "aardvark", "stuffed", "victim"], table.inner_text)
    shot(view, "observer_2_by_name")

    # send one more message to 'stuffed': its MsgQ goes from 5 to 6
    pid = _pick(page, pick, "stuffed")
    view.locator(".widget-text input").fill("('hello', 99)")
    view.locator("button", has_text=re.compile("^send$")).click()
    expect(status).to_contain_text(f"send({pid}, {{hello,99}})", timeout=10_000)
    _until(lambda: re.search(r"stuffed .* 6 ", table.inner_text()), table.inner_text)

    pid = _pick(page, pick, "victim")
    shot(view, "observer_3_victim_selected")
    expect(kill).to_be_enabled()
    kill.click()
    expect(status).to_contain_text(f"exit({pid}, kill) -> true", timeout=10_000)
    expect(table).not_to_contain_text("victim")
    expect(table).not_to_contain_text(pid)
    assert _names(table) == ["", "aardvark", "stuffed"]
    assert not [o for o in pick.locator("option").all_inner_texts() if "victim" in o]
    expect(kill).to_be_disabled()                                       # nothing selected now
    assert pick.evaluate("s => s.selectedIndex") == -1
    shot(view, "observer_4_victim_killed")
    _pick(page, pick, "(shell)")
    expect(kill).to_be_disabled()
    shot(view, "observer_5_shell_selected")


RUNAWAY = [
    "runtime.reset(clock='real')\n"
    "def spin():\n"
    "    while True: pass\n"
    "erlang.register('runaway', erlang.spawn(spin))",
    "obs = viz.observer(sort='cpu').live()\nobs",
    "print('cells still run:', erlang.process_info(erlang.whereis('runaway'), 'status'))",
]


def test_a_runaway_process_in_live_mode(notebook, shot, cells_done):
    """``while True: pass`` in live mode: the kernel answers, the table shows the
    spinner on top with its CPU share, and one click on *kill* ends it."""
    from playwright.sync_api import expect
    page = notebook("observer_runaway", RUNAWAY)
    cells_done(page, len(RUNAWAY) + 1)
    expect(page.locator(".jp-OutputArea-output", has_text="cells still run:")).to_contain_text("runnable")
    table = page.locator("pre.otp-observer")
    expect(table).to_contain_text("runaway", timeout=30_000)

    def cpu():
        rows = table.inner_text().splitlines()[1:]
        return int(rows[0].split()[-1]) if rows and "runaway" in rows[0] else -1

    _until(lambda: cpu() >= 50, table.inner_text)
    view = page.locator(".jp-OutputArea-output").filter(has=table)
    shot(view, "observer_6_runaway")
    pick = view.locator(".widget-dropdown", has_text="process").locator("select")
    pid = _pick(page, pick, "runaway")
    view.locator("button", has_text="kill").click()
    status = view.locator(".widget-html").last
    expect(status).to_contain_text(f"exit({pid}, kill) -> true", timeout=10_000)
    expect(table).not_to_contain_text("runaway", timeout=10_000)
    shot(view, "observer_7_runaway_killed")
