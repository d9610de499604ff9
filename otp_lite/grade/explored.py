"""Explored lab checks: ``@labkit.explore(runs=300)`` (issue 26).

A race in learner code hides from a check that runs once: the plain
scheduler picks the same interleaving every time, and it is usually the
lucky one.  An explored check runs its body (a test function that spawns
processes and asserts, as the shell) under many schedules with
:func:`otp_lite.explore.run`, a fixed strategy, seed and number of runs, so
the verdict is the same on every machine::

    @pytest.mark.task(taskno=1)
    @pytest.mark.points(2)
    @labkit.explore(runs=300, strategy="random")
    def test_call_under_every_schedule():
        '''call leaves no 'DOWN' behind, whatever the order'''
        ...

It passes when no schedule within the budget fails.  Otherwise it fails with
:class:`ExploredFailure`, an ``AssertionError`` whose first line is the
body's own failure and the schedule, and whose other lines say how many
schedules were run, by which strategy, the schedule in words
(``Result.explain()``) and how to replay it; it carries a sequence chart of
the failing schedule (PNG) that the grader's report and widget show.

The body runs in fresh runtimes of explore's own: it must not take fixtures
(``trace`` records the fixture's runtime, not explore's) and must not call
``runtime.reset()``.  Afterwards the shell is in a fresh virtual runtime.

``OTP_LAB_EXPLORE=plain`` in the environment of a plain ``pytest`` run
(read once, when this module is imported) runs each body once under the
plain scheduler instead: how a lab's tests show that only exploration
catches a mutant.  The grader's test process never sees it (its
environment is scrubbed), and the setting is a module global the
integrity check watches.
"""
from __future__ import annotations

import base64
import functools
import inspect
import os

from otp_lite import explore as _explore
from otp_lite import runtime

__all__ = ["explore", "ExploredFailure", "replay_sequence", "schedule_picture", "MODE"]

MODE = "plain" if os.environ.get("OTP_LAB_EXPLORE", "").strip().lower() == "plain" else "explore"
STRATEGY = "random"    # measured on the three labs' races (20 seeds): random finds each within 57
                       # schedules, PCT needs up to 203 (tests/test_lab_explored.py, design notes)


class ExploredFailure(AssertionError):
    """An explored check found a failing schedule: ``result`` (an ``explore.Result``),
    ``picture`` (a base64 PNG of the schedule's sequence chart, or None)."""

    def __init__(self, text, result=None, picture=None):
        super().__init__(text)
        self.result = result
        self.picture = picture
        self.explored = True


def explore(runs=300, strategy=STRATEGY, seed=0, **options):
    """Decorator: the check passes when its body fails under none of ``runs`` schedules.

    ``strategy``, ``seed`` and ``options`` (``depth``, ``preemptions``,
    ``delays``) go to :func:`otp_lite.explore.run`; the failing schedule is shrunk.
    """
    if type(runs) is not int or runs < 1:
        raise ValueError(f"runs must be a positive int, not {runs!r}")
    if strategy not in _explore.STRATEGIES:
        raise ValueError(f"strategy must be one of {_explore.STRATEGIES}, not {strategy!r}")

    def deco(body):
        params = [p for p in inspect.signature(body).parameters.values()
                  if p.default is inspect.Parameter.empty]
        if params:
            raise TypeError(f"an explored check takes no fixtures (explore runs it in runtimes of "
                            f"its own): {body.__name__}({', '.join(p.name for p in params)})")

        @functools.wraps(body)
        def check():
            run_explored(body, runs=runs, strategy=strategy, seed=seed, **options)

        check.explored = {"runs": runs, "strategy": strategy, "seed": seed, **options}
        return check

    return deco


def run_explored(body, runs=300, strategy=STRATEGY, seed=0, **options):
    """Run ``body`` explored (or once, plainly, under ``OTP_LAB_EXPLORE=plain``)."""
    if MODE == "plain":
        return body()
    res = _explore.run(body, strategy=strategy, runs=runs, seed=seed, **options)
    if not res.found:
        return res
    # a failure that shrinks to the plain order is not a race: the other checks show it, and the
    # chart of the plain run is not worth drawing (matplotlib costs ~0.4 s a grading)
    picture = _picture_b64(body, res.schedule, seed) if res.explain() else None
    raise ExploredFailure(failure_text(body, res), res, picture)


def failure_text(body, res):
    """The lab message of a failing explored check (first line: what failed, and under which schedule)."""
    from .messages import describe
    what = describe(res.error) if res.error is not None else str(res.reason)
    name = getattr(body, "__name__", "test")
    where = _test_file(body)
    steps = res.explain()
    if steps:
        lines = [f"{what} (under schedule {res.schedule!r}, one of the orders your processes can run in)",
                 f"Explored: this check ran your code under {res.runs} schedule(s) "
                 f"({res.distinct} distinct, strategy {res.strategy!r}, seed {res.seed}) and "
                 f"schedule {res.runs} failed; shrunk to {res.preemptions} preemption(s).",
                 "The schedule in words (the steps where it departs from the plain scheduler's order):"]
        lines += [f"  {s}" for s in steps]
    else:                       # shrunk to the plain order: no race needed, it fails in any run
        lines = [f"{what} (in the plain order already: no race needed)",
                 f"Explored: this check ran your code under {res.runs} schedule(s) "
                 f"({res.distinct} distinct, strategy {res.strategy!r}, seed {res.seed}); the failure "
                 "shrinks to the plain scheduler's own order, so it is not a race: it fails without "
                 "exploration too (fix that first)."]
    seed = f", seed={res.seed}" if res.seed else ""
    lines.append(f"Replay it: explore.replay({name}.__wrapped__, {res.schedule!r}{seed}) runs this "
                 f"check's body ({where}) under exactly this schedule again: same pids, same trace "
                 f"(from otp_lite import explore).")
    return "\n".join(lines)


def _test_file(body):
    try:
        return os.path.join("tests", os.path.basename(inspect.getsourcefile(body)))
    except (TypeError, OSError):
        return "tests/"


# ------------------------------------------------------------------ the picture
def replay_sequence(test, schedule, seed=0, max_rows=80):
    """``test`` (a check's body, or the explored check itself) replayed under
    ``schedule``, as a ``viz.sequence`` chart (shown as a picture in a notebook).

    The one place that draws a failing schedule.  Where ``explore.replay`` keeps
    the run's events (``Result.events``) and ``viz.sequence`` draws a Result with
    its choice points marked (issue 26's viz work), that chart is used; else the
    replay is recorded here and drawn as a plain chart.
    """
    from otp_lite import viz
    body = getattr(test, "__wrapped__", test) if getattr(test, "explored", None) else test
    res = _explore.replay(body, schedule, seed=seed)
    if getattr(res, "events", None) is not None:
        try:
            return viz.sequence(res, max_rows=max_rows)
        except TypeError:           # a viz.sequence that does not know a Result: the plain chart
            pass
    box = {}

    def traced():
        box["rec"] = runtime.Recorder().start()
        body()

    _explore.replay(traced, schedule, seed=seed, trace=False)
    rec = box.get("rec")
    return None if rec is None else viz.sequence(rec, max_rows=max_rows)


def schedule_picture(test, schedule, seed=0):
    """PNG bytes of :func:`replay_sequence` (None if nothing was recorded)."""
    seq = replay_sequence(test, schedule, seed)
    return None if seq is None else seq._repr_png_()


def _picture_b64(test, schedule, seed):
    try:
        png = schedule_picture(test, schedule, seed)
    except Exception:  # noqa: BLE001 - a picture that cannot be drawn must not change the verdict
        return None
    finally:
        runtime.reset()
    return base64.b64encode(png).decode("ascii") if png else None
