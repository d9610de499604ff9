"""Real browser: a failing explored check in the grader's widget (issue 26).

Lab 03 graded on its mutant ``poll_for_the_down_then_demonitor`` (a race only
the explored check finds): chromium clicks *Run checks*, the row of
``test_call_leaves_no_down_under_any_schedule`` fails with the schedule in its
why, and the folded "the failing schedule" block in the full-width row under it opens on the schedule in
words and the sequence chart of the failing schedule, a PNG the browser
decodes (natural size > 0).
"""
import pytest

pytestmark = pytest.mark.browser

CELLS = [
    "import os, tempfile\nfrom otp_lite import grade\nfrom otp_lite.grade import mutants\n"
    "lab = os.path.join(sys.path[0], 'labs', '03_generic_server')\n"
    "v = next(v for v in mutants.load(lab, 'mutants') if v.name == 'poll_for_the_down_then_demonitor')\n"
    "target = mutants.materialise(v, tempfile.mkdtemp())\n"
    "w = grade.widget(lab, target=str(target), report_path=os.path.abspath('explored.json'))\nw",
]


def test_a_failing_explored_check_shows_its_schedule_and_chart(notebook, shot):
    from playwright.sync_api import expect
    page = notebook("grade_widget_explored", CELLS, height=3000)
    button = page.locator("button", has_text="Run checks")
    expect(button).to_have_count(1, timeout=30_000)
    out = page.locator(".jp-OutputArea-output").filter(has=button)
    button.click()
    table = out.locator(".otp-grade table")
    expect(table).to_be_visible(timeout=90_000)
    row = table.locator("tbody tr:not(.otp-explored-row)", has_text="test_call_leaves_no_down_under_any_schedule")
    expect(row).to_have_count(1)
    expect(row.locator("td:nth-child(4)")).to_have_text("fail")
    expect(row).to_contain_text("under schedule '")
    failing = table.locator("tbody tr:not(.otp-explored-row)", has_text="fail")
    assert failing.count() == 1, failing.all_inner_texts()      # only the explored check catches it
    details = table.locator("details.otp-explored")
    expect(details).to_have_count(1)
    expect(details.locator("summary")).to_contain_text("test_call_leaves_no_down_under_any_schedule")
    img = details.locator("img.otp-schedule")
    expect(img).to_be_hidden()
    details.locator("summary").click()
    expect(details).to_contain_text("Explored: this check ran your code under")
    expect(details).to_contain_text("is preempted before demonitor")
    expect(img).to_be_visible()
    width = img.evaluate("i => i.complete ? i.naturalWidth : 0")
    assert width > 300, width
    shot(out, "grade_4_explored_schedule")
