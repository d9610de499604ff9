"""labkit.explore: an explored lab check (issue 26, "in the grader").

A check's body runs under many schedules (otp_lite.explore); it fails with the
first schedule that breaks it, in the lab message shape, with the schedule,
the number of schedules run, the strategy, explain()'s lines, how to replay it
and a picture.  Deterministic: the same message every time.
"""
import base64

import pytest

from otp_lite import erlang, ets, explore, runtime
from otp_lite.erlang import ANY
from otp_lite.grade import explored, labkit, report
from otp_lite.grade.runner import CheckResult, Report


def _lost_update():
    """Two processes add 1 to a counter in a public table by read-modify-write: a race."""
    ets.new("hits", ["named_table", "public", "set"])
    ets.insert("hits", ("n", 0))
    shell = erlang.self()

    def add():
        [(_, n)] = ets.lookup("hits", "n")
        ets.insert("hits", ("n", n + 1))
        erlang.send(shell, ("done", erlang.self()))

    pids = [erlang.spawn(add) for _ in range(2)]
    for p in pids:
        erlang.receive(("done", p))
    labkit.check("the counter after two increments", ets.lookup("hits", "n"), [("n", 2)])


def _atomic_update():
    ets.new("hits", ["named_table", "public", "set"])
    shell = erlang.self()

    def add():
        ets.update_counter("hits", "n", 1, ("n", 0))
        erlang.send(shell, ("done", erlang.self()))

    pids = [erlang.spawn(add) for _ in range(2)]
    for p in pids:
        erlang.receive(("done", p))
    labkit.check("the counter after two increments", ets.lookup("hits", "n"), [("n", 2)])


@pytest.fixture(autouse=True)
def fresh():
    """As a lab's fresh_runtime fixture: the check starts in a virtual runtime and closes it."""
    rt = runtime.reset(clock="virtual", seed=0)
    yield rt
    rt.close()


def test_the_plain_scheduler_does_not_show_the_race():
    _lost_update()          # one run, the plain order: passes


def test_a_race_fails_with_the_schedule_in_the_lab_message_shape():
    check = labkit.explore(runs=300, strategy="pct", seed=0)(_lost_update)
    with pytest.raises(labkit.ExploredFailure) as ei:
        check()
    e = ei.value
    assert isinstance(e, AssertionError)
    res = e.result
    assert res.found and res.schedule
    text = str(e)
    first, rest = text.splitlines()[0], text.splitlines()[1:]
    assert first.startswith("Checked the counter after two increments. Got [('n', 1)], expected [('n', 2)].")
    assert f"under schedule {res.schedule!r}" in first
    assert f"under {res.runs} schedule(s)" in text and "strategy 'pct', seed 0" in text
    for line in res.explain():
        assert f"  {line}" in rest
    assert f"explore.replay({check.__name__}.__wrapped__, {res.schedule!r})" in text
    assert base64.b64decode(e.picture)[:8] == b"\x89PNG\r\n\x1a\n"
    # the schedule in the message replays the failure
    again = explore.replay(check.__wrapped__, res.schedule)
    assert again.found and type(again.error) is type(res.error)


def test_deterministic_and_the_runtime_is_fresh_afterwards(fresh):
    check = labkit.explore(runs=300)(_lost_update)
    texts = []
    for _ in range(2):
        with pytest.raises(labkit.ExploredFailure) as ei:
            check()
        texts.append(str(ei.value))
    assert texts[0] == texts[1]
    rt = runtime.current()
    assert rt is not fresh and not rt.closed and rt.explore is None and not rt.shuffle
    erlang.send(erlang.self(), "still here")
    assert erlang.receive(ANY, timeout=0) == "still here"


def test_a_correct_body_passes_every_schedule():
    labkit.explore(runs=300, strategy="random")(_atomic_update)()
    labkit.explore(runs=300, strategy="dfs")(_atomic_update)()
    labkit.explore(runs=300)(_atomic_update)()


def test_plain_mode_runs_the_body_once_unexplored(monkeypatch):
    monkeypatch.setattr(explored, "MODE", "plain")
    labkit.explore(runs=300)(_lost_update)()     # the plain order: the race stays hidden


def test_a_check_with_fixtures_or_bad_options_is_refused():
    with pytest.raises(TypeError, match="takes no fixtures"):
        labkit.explore()(lambda trace: None)
    with pytest.raises(ValueError, match="runs must be"):
        labkit.explore(runs=0)
    with pytest.raises(ValueError, match="strategy must be"):
        labkit.explore(strategy="bfs")


def test_pytest_sees_a_check_without_arguments():
    import inspect
    check = labkit.explore()(_atomic_update)
    assert list(inspect.signature(check).parameters) == []
    assert check.explored == {"runs": 300, "strategy": "random", "seed": 0}


def test_an_error_in_the_body_is_described_with_its_type():
    def body():
        erlang.spawn(lambda: None)
        raise KeyError("x")
    with pytest.raises(labkit.ExploredFailure) as ei:
        labkit.explore(runs=5)(body)()
    assert str(ei.value).startswith("KeyError: 'x' (in the plain order already: no race needed)")


def test_the_html_report_folds_the_schedule_and_its_picture():
    png = base64.b64encode(b"\x89PNG\r\n\x1a\nxx").decode()
    t = CheckResult(id="t::x", name="test_x", points=2, task_id=1, status="fail",
                    message="Checked a. Got 1, expected 2. (under schedule '80.81')\n  step 3: <b>",
                    picture=png)
    ok = CheckResult(id="t::y", name="test_y", points=1, task_id=1, status="pass", picture=png)
    page = report.format_html(Report(lab="L", target="student", status="fail", message=None, tests=[t, ok]))
    assert page.count("<details class='otp-explored'>") == 1
    assert page.count("<tr class='otp-explored-row'>") == 1 and "schedule of <code>test_x</code>" in page
    assert f"data:image/png;base64,{png}" in page
    assert "step 3: &lt;b&gt;" in page
    t.picture = "x' onerror='alert(1)"
    page = report.format_html(Report(lab="L", target="student", status="fail", message=None, tests=[t]))
    assert "onerror" not in page


def test_describe_keeps_the_whole_explored_message():
    from otp_lite.grade.messages import describe
    e = labkit.ExploredFailure("line one\nline two")
    assert describe(e) == "line one\nline two"
    assert describe(AssertionError("line one\nline two")) == "line one"


def test_replay_sequence_draws_the_failing_schedule_of_a_check():
    check = labkit.explore(runs=300)(_lost_update)
    with pytest.raises(labkit.ExploredFailure) as ei:
        check()
    seq = labkit.replay_sequence(check, ei.value.result.schedule)
    text = seq.text()
    assert text.count("spawn") >= 2 and "done" in text
    assert seq.text() == labkit.replay_sequence(check.__wrapped__, ei.value.result.schedule).text()


def test_a_body_that_fails_in_the_plain_order_is_not_called_a_race():
    def body():
        erlang.spawn(lambda: None)
        labkit.expect("server.call('c', 'get')", None, 5)
    with pytest.raises(labkit.ExploredFailure) as ei:
        labkit.explore(runs=50)(body)()
    first, second = str(ei.value).splitlines()[:2]
    assert first == "Called server.call('c', 'get'). Got None, expected 5. (in the plain order already: no race needed)"
    assert "not a race" in second and "under schedule" not in str(ei.value)
    assert ei.value.picture is None         # no chart of the plain run: the other checks show it


def test_a_check_with_another_seed_says_so_in_the_replay_line():
    check = labkit.explore(runs=300, seed=7)(_lost_update)
    with pytest.raises(labkit.ExploredFailure) as ei:
        check()
    res = ei.value.result
    assert f"explore.replay(_lost_update.__wrapped__, {res.schedule!r}, seed=7)" in str(ei.value)
    assert explore.replay(check.__wrapped__, res.schedule, seed=7).found
