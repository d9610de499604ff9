"""Real browser: the lab grader's notebook widget (``otp_lite.grade.widget``).

Two widgets for labs/03_generic_server: the learner's stub and the reference
solution (``solution=True``).  Chromium clicks *Run checks* on each and reads
the score in the status next to the button and the score table: 0 for the
stub, full marks for the solution; each header sits over its column's text
(they were centred over left-aligned cells).  Reports go to the temp folder.
"""
import re

import pytest

pytestmark = pytest.mark.browser

CELLS = [
    # grade.widget used to become the submodule after its first call; the last cell checks a second call
    "import os\nfrom otp_lite import grade\nwidget = grade.widget\n"
    "stub = widget('03_generic_server', report_path=os.path.abspath('stub.json'))\nstub",
    "sol = widget('03_generic_server', solution=True, report_path=os.path.abspath('solution.json'))\nsol",
    "try:\n    grade.widget('03_generic_server', report_path=os.path.abspath('again.json'))\n"
    "    print('second call: ok')\nexcept TypeError as e:\n    print('second call:', e)",
]

SCORE = re.compile(r"^(\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)$")

# the left and right edges of a cell's text (not of its box)
TEXT_EDGES = """c => { const r = document.createRange(); r.selectNodeContents(c);
                     const b = r.getBoundingClientRect(); return [b.left, b.right]; }"""


def _header_misalignment(table):
    """Columns whose header text is not aligned with the first row's text
    (left edges; right edges for the right-aligned points)."""
    heads = table.locator("thead th")
    cells = table.locator("tbody tr").first.locator("td")
    bad = []
    for i in range(heads.count()):
        name = heads.nth(i).inner_text()
        (hl, hr), (cl, cr) = heads.nth(i).evaluate(TEXT_EDGES), cells.nth(i).evaluate(TEXT_EDGES)
        if cr <= cl:                            # an empty cell ('why' of a pass): nothing to align
            continue
        off = hr - cr if name == "points" else hl - cl
        if abs(off) > 1.5:
            bad.append((name, round(off, 1)))
    return bad


def test_run_checks_scores_stub_and_solution(notebook, shot):
    from playwright.sync_api import expect
    page = notebook("grade_widget", CELLS, height=3000)
    buttons = page.locator("button", has_text="Run checks")
    expect(buttons).to_have_count(2, timeout=30_000)
    outputs = [page.locator(".jp-OutputArea-output").filter(has=buttons).nth(i) for i in range(2)]
    for out in outputs:
        expect(out).to_contain_text("Save your file, then press Run checks")
    shot(outputs[0], "grade_1_before")

    results = []
    for out, who, name in [(outputs[0], "your work", "grade_2_stub"), (outputs[1], "the reference solution", "grade_3_solution")]:
        out.locator("button", has_text="Run checks").click()
        table = out.locator(".otp-grade table")
        expect(table).to_be_visible(timeout=60_000)
        status = out.locator(".widget-html b").first
        expect(status).to_have_text(SCORE, timeout=10_000)
        got, full = map(float, SCORE.match(status.inner_text()).groups())
        expect(out.locator(".otp-grade h4")).to_contain_text(f"({who})")
        rows = table.locator("tbody tr")
        assert rows.count() >= 5
        expect(out.locator("button", has_text="Run checks")).to_be_enabled()
        assert _header_misalignment(table) == []
        results.append((got, full, rows.locator("td:nth-child(4)").all_inner_texts()))
        shot(out, name)

    (stub, stub_full, stub_marks), (sol, sol_full, sol_marks) = results
    assert stub == 0 and stub_full > 0, results[0]
    assert set(stub_marks) == {"fail"}, stub_marks
    assert sol == sol_full == stub_full, results[1]
    assert set(sol_marks) == {"pass"}, sol_marks

    again = page.locator(".jp-OutputArea-output", has_text="second call:")
    expect(again).to_have_count(1)
    expect(again).to_have_text("second call: ok")
