"""viz.sequence of an otp_lite.explore result: the failing schedule with its choice
points marked (issue 26).  Structure of the figure, never pixels."""
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from otp_lite import explore, viz  # noqa: E402

from test_explore import RACES  # noqa: E402
from test_explore_choices import timeout_vs_send_after  # noqa: E402


def _legend_labels(fig):
    return [t.get_text() for lg in fig.legends for t in lg.get_texts()]


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_a_preemption_is_marked_on_both_lifelines():
    r = explore.run(RACES["ets_lost_update"], strategy="dfs", runs=100)
    assert r.found
    fig = viz.sequence(r).figure()          # a run's result: replayed for its trace
    try:
        marks = fig.seq["choices"]
        departures = [c for c in r.choices if c["chosen"] != c["default"]]
        assert sorted(marks["chosen"]) == sorted(c["chosen"] for c in departures)
        assert marks["preempted"] == [c["default"] for c in departures if c["preemption"]]
        assert marks["preempted"], "the lost update needs a preemption"
        assert marks["points"] >= len(departures)
        labels = _legend_labels(fig)
        assert "chosen (the schedule departs here)" in labels and "preempted" in labels
        texts = _texts(fig)
        assert any(t.startswith("preempted before ets.") for t in texts)
        assert any(t == f"choice {c['step']}" for c in departures for t in texts)
    finally:
        plt.close(fig)


def test_a_timer_tie_is_marked_timer_first():
    r = explore.run(timeout_vs_send_after, strategy="dfs", runs=100)
    rep = explore.replay(timeout_vs_send_after, r.schedule)
    fig = viz.sequence(rep).figure()
    try:
        assert fig.seq["choices"]["preempted"] == []
        assert len(fig.seq["choices"]["chosen"]) == 1
        assert "timer first (10 ms)" in _texts(fig)
    finally:
        plt.close(fig)


def test_a_passing_replay_marks_only_default_points():
    rep = explore.replay(RACES["ets_lost_update"], "")
    assert not rep.found
    fig = viz.sequence(rep).figure()
    try:
        m = fig.seq["choices"]
        assert m["chosen"] == [] and m["preempted"] == [] and m["points"] > 0
        assert "choice point (default taken)" in _legend_labels(fig)
    finally:
        plt.close(fig)


def test_the_same_schedule_draws_the_same_figure_structure():
    r = explore.run(RACES["ets_lost_update"], strategy="random", runs=100, seed=3)
    a = viz.sequence(r).figure()
    b = viz.sequence(explore.replay(RACES["ets_lost_update"], r.schedule)).figure()
    try:
        assert a.seq == b.seq
        assert viz.sequence(r).text() == viz.sequence(explore.replay(RACES["ets_lost_update"], r.schedule)).text()
    finally:
        plt.close(a)
        plt.close(b)


def test_a_result_with_nothing_to_draw_says_what_to_do():
    r = explore.run(RACES["ets_lost_update"], strategy="random", runs=1, seed=99)
    if r.found:
        pytest.skip("seed 99 found it at once")
    with pytest.raises(ValueError, match="explore.replay"):
        viz.sequence(r)


def test_timers_fired_early_are_named_on_the_process_they_interrupt():
    from test_explore_choices import zero_timer_vs_send
    r = explore.run(zero_timer_vs_send, strategy="dfs", runs=100)
    fig = viz.sequence(r).figure()
    try:
        assert fig.seq["choices"]["preempted"]
        assert any(t.startswith("timers due fire before ") for t in _texts(fig))
    finally:
        plt.close(fig)
