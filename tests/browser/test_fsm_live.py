"""Real browser: the live state diagram of the coffee machine (gen_statem, book ch. 6).

``viz.fsm(coffee_statem).live({label: callable})`` in JupyterLab; chromium
clicks *tea*, *pay 50*, *pay 100*, *cup removed* and reads the highlighted
current state from the header (``b.otp-fsm-state``), the transition counts
from the text form, and checks that the diagram image changed each time.
"""
import re

import pytest

pytestmark = pytest.mark.browser

CELLS = [
    "runtime.reset(clock='real')\nrec = viz.record()\n"
    "from examples.ch6.otp import coffee_statem\n"
    "coffee_statem.start_link()\nruntime.run_until_idle()",
    "live = viz.fsm(coffee_statem).live({\n"
    "    'tea': coffee_statem.tea,\n"
    "    'pay 50': lambda: coffee_statem.pay(50),\n"
    "    'pay 100': lambda: coffee_statem.pay(100),\n"
    "    'cup removed': coffee_statem.cup_removed,\n"
    "    'cancel': coffee_statem.cancel})\n"
    "live",
]


def test_buttons_drive_the_coffee_machine(notebook, shot):
    from playwright.sync_api import expect
    page = notebook("fsm_live", CELLS)
    state = page.locator("b.otp-fsm-state")
    expect(state).to_have_text("selection", timeout=30_000)
    view = page.locator(".jp-OutputArea-output").filter(has=state)
    img = view.locator("img").first
    text = view.locator(".widget-html pre").last         # the text form (the output area has <pre>s too)
    status = view.locator(".widget-html").nth(1)          # header, status, text form
    printed = view.locator(".widget-output")              # what the buttons' events print
    expect(text).to_contain_text("selection --selection--> payment  x0")
    shot(view, "fsm_1_selection")

    def click(label):
        page.locator("button.otp-fsm-event", has_text=re.compile(f"^{label}$")).click()

    def changed_image(before):
        expect(img).not_to_have_attribute("src", before, timeout=10_000)
        return img.get_attribute("src")

    src = img.get_attribute("src")
    click("tea")
    expect(state).to_have_text("payment", timeout=10_000)
    expect(text).to_contain_text("selection --selection--> payment  x1")
    expect(status).to_contain_text("tea: ok")
    expect(printed).to_contain_text("Display:Please pay:100")    # in the cell, not the Log Console
    src = changed_image(src)
    shot(view, "fsm_2_payment")

    click("pay 50")                           # 50 of 100: stays in payment (the pay loop)
    expect(text).to_contain_text("payment --pay--> payment  x1", timeout=10_000)
    expect(state).to_have_text("payment")
    click("pay 100")
    expect(state).to_have_text("remove", timeout=10_000)
    expect(text).to_contain_text("payment --pay--> remove  x1")
    src = changed_image(src)
    shot(view, "fsm_3_remove")

    click("cup removed")
    expect(state).to_have_text("selection", timeout=10_000)
    expect(text).to_contain_text("remove --cup_removed--> selection  x1")
    changed_image(src)
    shot(view, "fsm_4_back_to_selection")
