"""The lab grader: run a lab's checks, score them, explain each failure.

A practice tool, in the style of Exercism's test runner and otter-grader.
The learner runs it in JupyterLab (:func:`widget`) or a terminal; the
teacher runs the same thing in CI::

    python -m otp_lite.grade labs/03_generic_server             your work
    python -m otp_lite.grade labs/03_generic_server --solution  the reference
    make grade LAB=03_generic_server
    otp-lab grade 03_generic_server                              (once installed; otp-lab -h)

    from otp_lite import grade
    rep = grade.grade('labs/03_generic_server')   # a Report: .score, .max_score, .tests
    grade.widget('03_generic_server')             # a table with a "Run checks" button

==========================  ==============================================
piece                       role
==========================  ==============================================
:mod:`.runner`              the trusted side: seal check, a fresh folder,
                            runs, restarts, one deadline, the :class:`Report`
:mod:`.sandbox`             one test subprocess: subreaper, memory cap,
                            watchdog, kills every descendant
:mod:`.seal`                ``.meta/checksums.json``: the sealed checks
                            (:mod:`.seal_lab` writes it: ``--seal``)
:mod:`.plugin`              inside the subprocess: points, per-check
                            alarm, signed result records
:mod:`.integrity`           what learner code must not change, and if it did
:mod:`.labkit`              what a lab's conftest and checks import
:mod:`.explored`            ``@labkit.explore``: a check run under hundreds
                            of schedules, failing with the schedule
:mod:`.messages`            one-line reasons ("Called X. Got A, expected B.")
:mod:`.report`              the score table (text and HTML)
:mod:`.widget`              the notebook widget (background, progress, Cancel)
:mod:`.cli`                 the ``otp-lab`` command: grade, list, hint,
                            doctor, grade-all, classroom
:mod:`.batch`               (teachers) grade every learner's folder: the
                            gradebook (CSV, JSON, summary.png)
:mod:`.classroom`           (teachers) GitHub Classroom's autograding.json
==========================  ==============================================

Failure rule: nothing the learner writes (an endless loop, a receive that
waits for ever, a crash, an import or syntax error, an attack on the grader
itself) can break the grader; it costs the checks it affects, each with a
one-line reason (an attack: the whole run, "tampered"), and the grader still
writes its JSON report and exits 0 (``--require-full``: 1 below full marks,
for CI).  How to add a lab, and the threat model: labs/README.md.
"""
from __future__ import annotations

from pathlib import Path

from .runner import grade, Report, CheckResult, LabError, load_config, DEFAULTS
from .report import format_table, format_html
# Import the submodule *before* defining the function of the same name below:
# importing ``.widget`` later (e.g. inside the function) would rebind the
# package attribute ``widget`` to the module, and a second
# ``grade.widget(...)`` would fail with "'module' object is not callable".
from . import widget as _widget_module

__all__ = ["grade", "widget", "find_lab", "labs", "Report", "CheckResult", "LabError",
           "format_table", "format_html", "load_config", "DEFAULTS", "LABS_DIR"]

LABS_DIR = Path(__file__).resolve().parent.parent.parent / "labs"


def labs(root=None):
    """Every lab folder (one with ``tests/``) under ``root`` (default: the repo's labs/)."""
    root = Path(root) if root else LABS_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "tests").is_dir())


def find_lab(lab=None):
    """A lab folder from a path, a folder name (``'03_generic_server'``) or part of one (``'hlr'``).

    With no argument: the current folder or the nearest parent that is a lab.
    """
    if lab is None:
        here = Path.cwd()
        for p in (here, *here.parents):
            if (p / "tests").is_dir() and (p / "README.md").exists() and p.parent.name == "labs":
                return p
        raise LabError("widget()/grade need a lab: name one, e.g. widget('03_generic_server')")
    p = Path(lab)
    if (p / "tests").is_dir():
        return p
    if p.is_dir() and (p.is_absolute() or str(lab).startswith(".")):
        raise LabError(f"{lab} is not a lab folder: it has no tests/ folder")
    for root in (Path.cwd() / "labs", LABS_DIR):
        if (root / str(lab) / "tests").is_dir():
            return root / str(lab)
    hits = [q for q in labs() if str(lab) in q.name]
    if len(hits) == 1:
        return hits[0]
    names = ", ".join(q.name for q in labs()) or "none found"
    raise LabError(f"no lab called {lab!r} (labs: {names})")


def widget(lab=None, solution=False, run=False, **options):
    """A score table with a "Run checks" button, for a notebook cell.

    ``run=True`` grades at once.  Needs ipywidgets (in the ``lab`` extra);
    without it you get a static HTML table instead, graded when shown.
    """
    return _widget_module.make_widget(find_lab(lab), solution=solution, run=run, **options)
