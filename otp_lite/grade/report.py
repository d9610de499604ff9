"""The score table, as text (terminal, CI log) and as HTML (notebook widget)."""
from __future__ import annotations

import html

__all__ = ["format_table", "format_html", "safe"]

_MARK = {"pass": "pass", "fail": "FAIL", "error": "ERROR"}
# a tampered run: every check is an error, and the message says why


def _pts(x):
    return f"{x:g}"


def _who(rep):
    if rep.target == "student":
        return "your work"
    if rep.target == "solution":
        return "the reference solution"
    return rep.target


def safe(text):
    """``text`` for a terminal: control characters (ANSI escapes, carriage returns, bells)
    are shown as ``\\x1b``-style escapes, never obeyed."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def format_table(rep, width=200):
    """A plain-text score table: one line per check, then the total (nothing in it is a
    terminal control sequence: what the learner's code returned is escaped)."""
    lines = [f"Lab {safe(rep.lab)} ({safe(_who(rep))})"]
    if rep.message:
        lines.append(f"  ! {safe(rep.message)}")
    name_w = max([len(t.name) for t in rep.tests] + [5])
    name_w = min(name_w, 48)
    head = f"  {'task':>4}  {'check':<{name_w}}  {'points':>6}  result"
    lines.append(head)
    lines.append("  " + "-" * (len(head) - 2))
    for t in rep.tests:
        task = "" if t.task_id is None else str(t.task_id)
        name = safe(t.name)
        name = name if len(name) <= name_w else name[: name_w - 1] + "~"
        pts = f"{_pts(t.score)}/{_pts(t.points)}"
        row = f"  {task:>4}  {name:<{name_w}}  {pts:>6}  {_MARK.get(t.status, t.status)}"
        if t.status != "pass" and t.why:
            room = max(20, width - len(row) - 2)
            why = safe(t.why)
            why = why if len(why) <= room else why[: room - 3] + "..."
            row += f"  {why}"
        lines.append(row)
    lines.append(f"Score: {_pts(rep.score)}/{_pts(rep.max_score)}"
                 f"  ({len(rep.passed)} of {len(rep.tests)} checks passed)")
    if rep.path:
        lines.append(f"Report: {rep.path}")
    return "\n".join(lines)


def format_html(rep):
    """The same table as HTML (used by the notebook widget and ``Report._repr_html_``)."""
    e = html.escape
    color = {"pass": "#1a7f37", "fail": "#cf222e", "error": "#9a6700"}
    rows = []
    for t in rep.tests:
        why = "" if t.status == "pass" else e(t.why)
        title = e(t.message) if t.message else ""
        rows.append(
            f"<tr><td style='text-align:left'>{'' if t.task_id is None else t.task_id}</td>"
            f"<td style='text-align:left'><code>{e(t.name)}</code><br><small>{e(t.doc)}</small></td>"
            f"<td style='text-align:right'>{_pts(t.score)}/{_pts(t.points)}</td>"
            f"<td style='text-align:left;color:{color.get(t.status, '#000')};font-weight:bold'>"
            f"{e(t.status)}</td>"
            f"<td style='text-align:left' title='{title}'>{why}</td></tr>" + _schedule_html(t))
    msg = f"<p style='color:#9a6700'><b>{e(rep.message)}</b></p>" if rep.message else ""
    return (f"<div class='otp-grade'><h4>Lab {e(rep.lab)} ({e(_who(rep))}): "
            f"{_pts(rep.score)}/{_pts(rep.max_score)}</h4>{msg}"
            "<table><thead><tr>" + "".join(_th(h) for h in _HEAD) + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div>")


def _schedule_html(t):
    """A failing explored check: a full-width row under its own, with the schedule in words
    and its sequence chart, folded."""
    if t.status == "pass" or not getattr(t, "picture", None):
        return ""
    e = html.escape
    rest = "\n".join(t.message.splitlines()[1:])
    pic = t.picture if all(c.isalnum() or c in "+/=" for c in t.picture) else ""
    img = (f"<br><img class='otp-schedule' alt='the failing schedule as a sequence chart' "
           f"style='max-width:100%' src='data:image/png;base64,{pic}'>") if pic else ""
    return ("<tr class='otp-explored-row'><td></td><td colspan='4' style='text-align:left'>"
            f"<details class='otp-explored'><summary>the failing schedule of <code>{e(t.name)}</code>"
            f"</summary><pre style='white-space:pre-wrap'>{e(rest)}</pre>{img}</details></td></tr>")


# each header sits over its column: points are right-aligned, the rest left
# (a browser centres <th> by default, over left-aligned cells)
_HEAD = ("task", "check", "points", "result", "why")


def _th(h):
    return f"<th style='text-align:{'right' if h == 'points' else 'left'}'>{h}</th>"
