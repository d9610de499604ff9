"""The notebook widget: the score table and a "Run checks" button.

``otp_lite.grade.widget('02_hlr')`` in a cell shows it.  Pressing the button
saves nothing for you: save your ``.py`` file first (the checks run it from
disk in a fresh subprocess, as CI does).
"""
from __future__ import annotations

import html

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
        """A VBox: [Run checks] button + status, then the score table (an HTML widget)."""

        def __init__(self, lab, solution=False, **options):
            self.lab, self.solution, self.options = lab, solution, options
            self.report = None
            self.button = W.Button(description="Run checks", icon="check",
                                   tooltip="save your file first", button_style="primary")
            self.status = W.HTML(value="")
            self.table = W.HTML(value=f"<h4>Lab {html.escape(lab.name)}</h4>" + _HINT)
            self.button.on_click(lambda _b: self.run())
            super().__init__([W.HBox([self.button, self.status]), self.table])

        def run(self):
            self.button.disabled = True
            self.status.value = "<i>running the checks...</i>"
            try:
                self.report = grade(self.lab, solution=self.solution, **self.options)
                self.table.value = format_html(self.report)
                r = self.report
                self.status.value = f"<b>{r.score:g}/{r.max_score:g}</b>"
            except Exception as e:  # noqa: BLE001 - show it, never break the notebook
                self.status.value = f"<b>grader error:</b> {html.escape(str(e))}"
            finally:
                self.button.disabled = False
            return self.report

    _cls = GradeWidget
    return _cls
