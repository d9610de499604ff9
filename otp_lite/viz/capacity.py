"""Capacity curves of load runs (book ch. 15): ``viz.capacity(results, labels=None)``.

``results``: the :class:`otp_lite.loadgen.Result` list of one ``loadgen.sweep``,
or a list of such lists (one curve each).  Throughput and p99 latency of the
ok replies against offered load; ``text()`` lists the rows (what nbval
compares), ``figure()`` draws the two panels.
"""
from __future__ import annotations

from ._common import FigureMixin, new_figure

__all__ = ["capacity", "Capacity"]


class Capacity(FigureMixin):
    def __init__(self, results, labels=None, title="capacity"):
        self.results, self.labels, self.title = results, labels, title

    def _series(self):
        r = self.results
        return r if r and isinstance(r[0], list) else [r]

    def text(self):
        series = self._series()
        labs = self.labels or [f"run {i + 1}" for i in range(len(series))]
        return "\n".join(f"{lab}:\n" + "\n".join(r.row() for r in rs) for lab, rs in zip(labs, series))

    def figure(self):
        series = self._series()
        labels = self.labels or [None] * len(series)
        fig = new_figure(9, 3.4)
        a1, a2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
        for rs, lab in zip(series, labels):
            x = [r.rate for r in rs]
            a1.plot(x, [r.throughput for r in rs], "o-", label=lab)
            a2.plot(x, [r.latency["p99"] if r.latency["n"] else float("nan") for r in rs], "o-", label=lab)
        m = max(r.rate for rs in series for r in rs)
        a1.plot([0, m], [0, m], ":", color="grey", label="ideal")
        a1.set_xlabel("offered load (req/s)"); a1.set_ylabel("ok replies (req/s)")
        a2.set_xlabel("offered load (req/s)"); a2.set_ylabel("p99 latency of ok (ms)")
        a1.set_title(f"{self.title}: throughput"); a2.set_title(f"{self.title}: latency")
        if any(labels):
            a1.legend(fontsize=8); a2.legend(fontsize=8)
        fig.tight_layout()
        return fig


def capacity(results, labels=None, title="capacity"):
    """Throughput and p99 latency against offered load, one curve per sweep."""
    return Capacity(results, labels, title)
