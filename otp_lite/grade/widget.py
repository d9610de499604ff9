"""The notebook widget: the score table and a "Run checks" button.

``otp_lite.grade.widget('02_hlr')`` in a cell shows it.  Pressing the button
saves nothing for you: save your ``.py`` file first (the checks run it from
disk in a fresh subprocess, as CI does).  The checks run in the background
with a progress bar and a *Cancel* button: the notebook stays usable.
"""
from __future__ import annotations

import html
import threading

from . import hints as _hints
from .runner import grade
from .report import format_html

__all__ = ["make_widget", "StaticScore"]

_HINT = ("<p><i>Save your file, then press <b>Run checks</b>. "
         "The checks run in a separate process; your notebook is not affected.</i></p>")


def make_widget(lab, solution=False, run=False, **options):
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        w = StaticScore(lab, solution=solution, **options)
    else:
        w = _widget_class()(lab, solution=solution, **options)
    if run:
        w.run()
    return w



class StaticScore:
    """Fallback without ipywidgets: an HTML table, graded when first shown."""

    def __init__(self, lab, solution=False, **options):
        self.lab, self.solution, self.options = lab, solution, options
        self.report = None

    def run(self):
        self.report = grade(self.lab, solution=self.solution, **self.options)
        return self.report

    def _repr_html_(self):
        if self.report is None:
            self.run()
        return format_html(self.report)

    def __repr__(self):
        if self.report is None:
            self.run()
        return self.report.table()


_cls = None


def _widget_class():
    global _cls
    if _cls is not None:
        return _cls
    import ipywidgets as W

    class GradeWidget(W.VBox):
        """[Run checks] [Cancel] + progress + status, then the score table (an HTML widget).

        The checks run in a background thread (the grader itself only waits
        on a subprocess), so the kernel answers other cells meanwhile; the
        bar moves as each check reports, and *Cancel* stops the run (the
        checks that had not run are not scored).  ``run(wait=True)`` blocks
        until the report is there (scripts, tests).
        """

        def __init__(self, lab, solution=False, **options):
            self.lab, self.solution, self.options = lab, solution, options
            self.report = None
            self._thread = None
            self._cancel = None
            self.button = W.Button(description="Run checks", icon="check",
                                   tooltip="save your file first", button_style="primary")
            self.cancel_b = W.Button(description="Cancel", icon="stop", disabled=True,
                                     tooltip="stop the checks that are running")
            self.bar = W.IntProgress(value=0, min=0, max=1, layout=W.Layout(width="14em", visibility="hidden"))
            self.status = W.HTML(value="")
            self.table = W.HTML(value=f"<h4>Lab {html.escape(lab.name)}</h4>" + _HINT)
            self.hint_b = W.Button(description="Hint", icon="question",
                                   tooltip="the next hint for the first task with a failing check")
            self.hint_box = W.HTML(value="")
            self.levels = {}                # task -> hints shown so far
            self.button.on_click(lambda _b: self.run())
            self.cancel_b.on_click(lambda _b: self.cancel())
            self.hint_b.on_click(lambda _b: self.hint())
            super().__init__([W.HBox([self.button, self.cancel_b, self.hint_b, self.bar, self.status]),
                              self.hint_box, self.table])

        def hint(self, task=None):
            """Show one more hint: for ``task``, else the first task with a failing check
            (task 1 before the first run)."""
            if task is None:
                failing = [t.task_id for t in (self.report.tests if self.report else ()) if t.status != "pass"]
                task = int(failing[0]) if failing and failing[0] is not None else (1 if self.report is None else None)
            if task is None:
                self.hint_box.value = "<p><i>Every check passes: no hint needed.</i></p>"
                return self.hint_box.value
            self.levels[task] = self.levels.get(task, 0) + 1
            try:
                body = _hints.text(self.lab, task, self.levels[task])
            except Exception as e:  # noqa: BLE001 - show it, never break the notebook
                body = str(e)
            self.hint_box.value = "<pre style='white-space: pre-wrap'>" + html.escape(body) + "</pre>"
            return self.hint_box.value

        def run(self, wait=False):
            """Start the checks in the background (``wait=True``: and wait for the report)."""
            if self._thread is not None and self._thread.is_alive():
                if wait:
                    self._thread.join()
                return self.report
            self._cancel = threading.Event()
            self.button.disabled = True
            self.cancel_b.disabled = False
            self.bar.value, self.bar.max = 0, 1
            self.bar.layout.visibility = "visible"
            self.status.value = "<i>running the checks...</i>"
            self._thread = threading.Thread(target=self._work, name="otp-grade", daemon=True)
            self._thread.start()
            if wait:
                self._thread.join()
            return self.report

        def cancel(self):
            if self._cancel is not None:
                self._cancel.set()
                self.status.value = "<i>cancelling...</i>"

        def _progress(self, rec):
            kind = rec.get("type")
            if kind == "collected":
                self.bar.max = max(1, len(rec.get("tests", [])))
            elif kind == "start":
                name = rec.get("id", "").split("::")[-1]
                self.status.value = (f"<i>check {self.bar.value + 1} of {self.bar.max}: "
                                     f"{html.escape(name)}</i>")
            elif kind == "result":
                self.bar.value = min(self.bar.max, self.bar.value + 1)

        def _work(self):
            try:
                self.report = grade(self.lab, solution=self.solution, progress=self._progress,
                                    cancel=self._cancel, **self.options)
                self.table.value = format_html(self.report)
                r = self.report
                self.status.value = f"<b>{r.score:g}/{r.max_score:g}</b>"
            except Exception as e:  # noqa: BLE001 - show it, never break the notebook
                self.status.value = f"<b>grader error:</b> {html.escape(str(e))}"
            finally:
                self.button.disabled = False
                self.cancel_b.disabled = True
                self.bar.layout.visibility = "hidden"

    _cls = GradeWidget
    return _cls
