"""A monitoring dashboard: metrics, mailboxes and alarms on one page (book ch. 16).

``dashboard(gauges=, counters=, histogram=, processes=, thresholds=, title=)``
reads, at the moment it is built:

=======================  ===================================================
panel                    source
=======================  ===================================================
gauges                   ``otp_lite.metrics`` gauges: last value, and their
                         series over time (the figure); ``thresholds`` draws
                         the alarm level and marks a breach with ``!``
counters                 ``metrics`` counters: total, and their series
latency                  one ``metrics`` histogram: n, mean, p50/p95/p99, max
mailboxes                ``process_info(P, message_queue_len)`` of the named
                         processes now (``'-'`` if not running)
alarms                   ``alarm_handler.peek_alarms()`` (the active alarms, read without a message)
=======================  ===================================================

Three forms, as every view: ``text()`` (stable: what nbval compares),
``figure()`` (small matplotlib panels) and ``live()`` (ipywidgets that
rebuild the page whenever the metrics or alarms change, driven by the pump of
``otp_lite.viz.live``).  OTP ships the parts, not the page: ``observer``'s
Load Charts and Alarms tabs, ``sasl``'s ``alarm_handler``, and whatever the
operator's monitoring system (exometer, folsom, Prometheus) plots.

Failure rule: an unknown metric shows ``undefined`` instead of failing; a
metric of the wrong kind (a counter given as a gauge) is shown as it is.
See also: otp_lite.metrics, otp_lite.alarm_handler, otp_lite.viz.observer.
"""
from __future__ import annotations

from .. import metrics
from ._common import FigureMixin, OKABE_ITO, fmt_term, new_figure

__all__ = ["dashboard", "Dashboard"]

_LINE_COLOURS = [OKABE_ITO[c] for c in ("blue", "orange", "bluish_green", "reddish_purple",
                                         "sky_blue", "vermillion")]


def _now():
    from ..kernel import state as _state
    rt = _state.rt
    return rt.now_ms() if rt is not None else 0


def _alarms():
    """The active alarms, or None when no ``alarm_handler`` manager runs (read, not asked:
    a live board polls this on every pump tick)."""
    from .. import alarm_handler
    return alarm_handler.peek_alarms()


def _mailbox(p):
    from .. import erlang
    pid = erlang.whereis(p) if type(p) is str else p
    if pid == "undefined" or pid is None:
        return "-"
    info = erlang.process_info(pid, "message_queue_len")
    return "-" if info == "undefined" else info[1]


def _breach(value, threshold):
    level, side = threshold if type(threshold) is tuple else (threshold, "above")
    if type(value) not in (int, float):
        return False
    return value > level if side == "above" else value < level


def _legend_above(ax, top):
    """A legend in the top right corner, and y limits that keep every data point under it:
    the legend takes about 8% of the height per row, two entries a row past two entries."""
    from matplotlib.ticker import MaxNLocator
    n = len(ax.get_legend_handles_labels()[1])
    ncol = 1 if n <= 2 else 2
    rows = -(-n // ncol)
    ax.legend(fontsize=7, loc="upper right", framealpha=0.85, ncol=ncol)
    ax.set_ylim(0, top / (1 - 0.085 * rows - 0.08))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _fmt_num(v):
    if type(v) is float:
        return f"{v:.1f}"
    return str(v)


class Dashboard(FigureMixin):
    """One reading of the metrics, mailboxes and alarms (see the module docstring)."""

    def __init__(self, gauges=(), counters=(), histogram=None, processes=(), thresholds=None,
                 title="dashboard"):
        self.spec = dict(gauges=list(gauges), counters=list(counters), histogram=histogram,
                         processes=list(processes), thresholds=dict(thresholds or {}), title=title)
        self.title = title
        self.thresholds = self.spec["thresholds"]
        self.t = _now()
        self.gauges = [(g, metrics.get(g)) for g in self.spec["gauges"]]
        self.counters = [(c, metrics.get(c)) for c in self.spec["counters"]]
        self.histogram = histogram
        self.latency = metrics.get(histogram) if histogram else None
        self.mailboxes = [(p if type(p) is str else repr(p), _mailbox(p)) for p in self.spec["processes"]]
        self.alarms = _alarms()

    # ------------------------------------------------------------ text
    def text(self):
        out = [f"== {self.title} @ {self.t / 1000:.3f} s =="]
        width = max([len(n) for n, _ in self.gauges + self.counters] +
                    [len("mailbox " + n) for n, _ in self.mailboxes] + [12])
        if self.gauges or self.mailboxes:
            out.append("gauges")
            for n, v in self.gauges:
                out.append(self._gauge_line(n, v, width))
            for n, v in self.mailboxes:
                out.append(self._gauge_line(n, v, width, label="mailbox " + n))
        if self.counters:
            out.append("counters")
            for n, v in self.counters:
                out.append(f"  {n:<{width}} {_fmt_num(v):>8}")
        if self.histogram:
            s = self.latency
            if type(s) is dict and s["n"]:
                out.append(f"latency {self.histogram}: n={s['n']}  mean {s['mean']:.1f}  p50 {_fmt_num(s['p50'])}"
                           f"  p95 {_fmt_num(s['p95'])}  p99 {_fmt_num(s['p99'])}  max {_fmt_num(s['max'])}")
            else:
                out.append(f"latency {self.histogram}: no samples")
        if self.alarms is None:
            out.append("alarms: (no alarm_handler running)")
        elif not self.alarms:
            out.append("alarms: none")
        else:
            out.append(f"alarms: {len(self.alarms)} active")
            out.extend(f"  ! {fmt_term(a, 70)}" for a in self.alarms)
        return "\n".join(out)

    def _gauge_line(self, name, value, width, label=None):
        line = f"  {label or name:<{width}} {_fmt_num(value):>8}"
        th = self.thresholds.get(name)
        if th is not None:
            level, side = th if type(th) is tuple else (th, "above")
            line += f"   ({'!' if _breach(value, th) else 'ok'}: alarm {side} {_fmt_num(level)})"
        return line

    # ------------------------------------------------------------ figure
    def figure(self):
        """Gauges and counters over time, the latency histogram, and, bottom right, the
        mailboxes now above the active alarms (two axes: the alarms never sit on a bar).
        Every label lives in a legend placed above the data, or outside the axes."""
        fig = new_figure(10, 5.6, layout="constrained")
        gs = fig.add_gridspec(2, 2)
        self._series_panel(fig.add_subplot(gs[0, 0]), [n for n, _ in self.gauges], "gauges")
        self._series_panel(fig.add_subplot(gs[0, 1]), [n for n, _ in self.counters], "counters (running total)")
        self._latency_panel(fig.add_subplot(gs[1, 0]))
        lines, colour = self._alarm_lines()
        rows = max(1, len(self.mailboxes))
        sub = gs[1, 1].subgridspec(2, 1, height_ratios=[rows + 1.5, len(lines) + 1.5])
        self._mailbox_panel(fig.add_subplot(sub[0]))
        self._alarm_panel(fig.add_subplot(sub[1]), lines, colour)
        fig.suptitle(f"{self.title}  (t = {self.t / 1000:.3f} s)", fontsize=11)
        return fig

    def _series_panel(self, ax, names, title):
        drawn, top = 0, 1
        for i, n in enumerate(names):
            s = metrics.series(n)
            if not s:
                continue
            c = _LINE_COLOURS[i % len(_LINE_COLOURS)]
            ts = [t / 1000 for t, _ in s] + [self.t / 1000]
            vs = [v for _, v in s] + [s[-1][1]]
            ax.step(ts, vs, where="post", color=c, lw=1.4, label=n)
            top = max([top] + [v for v in vs if type(v) in (int, float)])
            th = self.thresholds.get(n)
            if th is not None:
                level, side = th if type(th) is tuple else (th, "above")
                top = max(top, level)
                ax.axhline(level, color=c, ls="--", lw=1, label=f"alarm {side} {_fmt_num(level)}")
            drawn += 1
        ax.set_title(title, fontsize=9, loc="left")
        ax.set_xlabel("time (s)", fontsize=8)
        ax.tick_params(labelsize=8)
        if drawn:
            _legend_above(ax, top)
        else:
            ax.text(0.5, 0.5, "no samples", ha="center", va="center", transform=ax.transAxes,
                    fontsize=9, color="#777777")

    def _latency_panel(self, ax):
        vals = [v for _, v in metrics.series(self.histogram)] if self.histogram else []
        ax.set_title(f"latency: {self.histogram or '-'}", fontsize=9, loc="left")
        if not vals:
            ax.text(0.5, 0.5, "no samples", ha="center", va="center", transform=ax.transAxes,
                    fontsize=9, color="#777777")
            return
        counts, _, _ = ax.hist(vals, bins=min(30, max(5, len(set(vals)))), color=OKABE_ITO["sky_blue"],
                               edgecolor="white")
        s = self.latency
        top = max(counts)
        for key, ls in (("p50", ":"), ("p95", "--"), ("p99", "-")):      # (up to the bars: the legend is above)
            ax.vlines(s[key], 0, top, color=OKABE_ITO["vermillion"], ls=ls, lw=1, label=f"{key} {_fmt_num(s[key])}")
        _legend_above(ax, top)
        ax.set_xlabel("ms", fontsize=8)
        ax.set_ylabel("requests", fontsize=8)
        ax.tick_params(labelsize=8)

    def _mailbox_panel(self, ax):
        ax.set_title("mailboxes now", fontsize=9, loc="left")
        if not self.mailboxes:
            ax.text(0.5, 0.5, "no processes watched", ha="center", va="center", transform=ax.transAxes,
                    fontsize=9, color="#777777")
            ax.set_xticks([])
            ax.set_yticks([])
            return
        ys = list(range(len(self.mailboxes)))[::-1]
        vals = [v if type(v) is int else 0 for _, v in self.mailboxes]
        ax.barh(ys, vals, color=OKABE_ITO["orange"], height=0.6)
        ax.set_yticks(ys)
        ax.set_yticklabels([f"{n} ({v})" for n, v in self.mailboxes], fontsize=8)
        right = max(vals + [10])
        for (n, _), y in zip(self.mailboxes, ys):
            th = self.thresholds.get(n)
            if th is not None:
                level = th[0] if type(th) is tuple else th
                right = max(right, level)
                ax.plot([level, level], [y - 0.4, y + 0.4], color=OKABE_ITO["vermillion"], ls="--", lw=1.2)
        ax.set_xlim(0, right * 1.1)
        ax.set_ylim(-0.6, len(ys) - 0.4)
        ax.tick_params(labelsize=8)
        ax.set_xlabel("messages waiting (dashed: alarm level)" if any(n in self.thresholds for n, _ in self.mailboxes)
                      else "messages waiting", fontsize=8)

    def _alarm_lines(self):
        if self.alarms is None:
            return ["(no alarm_handler running)"], "#777777"
        if not self.alarms:
            return ["none"], OKABE_ITO["bluish_green"]
        lines = [f"! {fmt_term(a, 46)}" for a in self.alarms[:4]]   # (46: the width of the panel)
        if len(self.alarms) > 4:
            lines.append(f"... {len(self.alarms) - 4} more")
        return lines, OKABE_ITO["vermillion"]

    def _alarm_panel(self, ax, lines, colour):
        ax.set_axis_off()
        ax.set_title("active alarms", fontsize=9, loc="left")
        ax.text(0.0, 1.0, "\n".join(lines), transform=ax.transAxes, fontsize=8, color=colour,
                va="top", ha="left", family="monospace")

    # ------------------------------------------------------------ live
    def live(self):
        """An ipywidgets page that re-reads the metrics whenever they change."""
        return DashboardLive(self.spec)


def _signature(processes=()):
    """Changes whenever a metric's value moves (a counter counts, a gauge gets a different
    value, a histogram a sample), a watched mailbox changes length, or the runtime is
    reset: what the board draws, not the clock, and not a monitor re-sampling a flat
    gauge every 20 ms (an idle board costs nothing)."""
    from ..kernel import state as _state
    rt = _state.rt
    reg = getattr(rt, "_metrics", None) or {}
    return (id(rt), sum(e[3] for e in reg.values()), tuple(_mailbox(p) for p in processes))


FIGURE_EVERY = 1.0      # seconds: the live board redraws its figure at most this often
CLOCK_EVERY = 1.0       # seconds: and sets its clock line at most this often


from .live import LiveView, png_widget  # noqa: E402


class DashboardLive(LiveView):
    """The live form: text and figure rebuilt by the pump when metrics or alarms change."""

    title = "live dashboard"

    def __init__(self, spec):
        self.spec = spec
        self.board = None
        self._drawn = float("-inf")     # when the figure was last drawn
        self.figures = 0                # how many times it was (tests, the closing note)
        self._clocked = float("-inf")   # when the clock line was last set
        self.clock_updates = 0
        super().__init__([])            # reads metrics, not the trace: no recorder needed

    def build(self):
        import ipywidgets as w
        self.text_w = w.HTML()
        self.clock = w.HTML()           # the runtime's clock, as text: an idle board still ticks
        self.image = png_widget(b"")
        self.status = w.HTML()
        return w.VBox([self.clock, self.image, self.text_w, self.status])

    def _last_seq(self):
        a = _alarms()
        return (_signature(self.spec["processes"]), tuple(map(repr, a)) if a else a)

    def maybe_refresh(self):
        """Text at once when the data changed; the figure at most every FIGURE_EVERY s
        (until it is drawn, the view stays dirty, so the last change is never lost)."""
        import time
        self._tick_clock(time.monotonic())
        if self._last_seq() == self._seen:
            return
        if time.monotonic() - self._drawn >= FIGURE_EVERY:
            self.refresh()
        else:
            self._render_text()

    def _tick_clock(self, now):
        """The clock line, at most once a second and only when its text changes
        (a widget update of a few bytes; the figure is not touched)."""
        if now - self._clocked < CLOCK_EVERY:
            return
        self._clocked = now
        text = f"<span class='otp-clock'>now {_now() / 1000:.0f} s</span>"
        if self.clock.value != text:
            self.clock.value = text
            self.clock_updates += 1

    def _render_text(self):
        import html
        self.board = Dashboard(**self.spec)
        self.text_w.value = "<pre class='otp-dashboard'>" + html.escape(self.board.text()) + "</pre>"

    def render(self):
        import time
        from ._common import png_bytes
        self._render_text()
        self._tick_clock(time.monotonic())
        self.image.value = png_bytes(self.board.figure())
        self._drawn = time.monotonic()
        self.figures += 1


def dashboard(gauges=(), counters=(), histogram=None, processes=(), thresholds=None,
              title="dashboard"):
    """Read the metrics, mailboxes and alarms now: a :class:`Dashboard` view.

    ``thresholds``: ``{gauge_or_process: level}`` (alarm above) or
    ``{name: (level, 'below')}``; drawn on the gauge panel and flagged in the text.
    """
    return Dashboard(gauges, counters, histogram, processes, thresholds, title)
