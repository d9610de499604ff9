"""viz.dashboard: metrics, mailboxes and alarms as text, figure and live widget."""
from otp_lite import alarm_handler, erlang, metrics, runtime, timer
from otp_lite.viz.dashboard import Dashboard, dashboard


def idle():
    timer.sleep("infinity")         # never reads its mailbox: the board shows its length


def bsc_metrics():
    alarm_handler.start()
    p = erlang.spawn(idle)
    erlang.register("frequency", p)
    for i in range(20):
        metrics.gauge("free_frequencies", 6 - i % 7)
        metrics.inc("calls")
        if i % 7 == 6:
            metrics.inc("denials")
        metrics.observe("latency_ms", 2 + (i * 7) % 11)
        timer.sleep(100)
    erlang.send(p, "x")
    erlang.send(p, "y")
    return p


SPEC = dict(gauges=["free_frequencies"], counters=["calls", "denials"], histogram="latency_ms",
            processes=["frequency", "nosuch"],
            thresholds={"free_frequencies": (2, "below"), "frequency": 50}, title="BSC")

TEXT = """\
== BSC @ 2.000 s ==
gauges
  free_frequencies         1   (!: alarm below 2)
  mailbox frequency        2   (ok: alarm above 50)
  mailbox nosuch           -
counters
  calls                   20
  denials                  2
latency latency_ms: n=20  mean 6.9  p50 7  p95 12  p99 12  max 12
alarms: 1 active
  ! {no_frequency,frequency}"""


def test_text_form_exact():
    bsc_metrics()
    alarm_handler.set_alarm(("no_frequency", "frequency"))
    runtime.run_until_idle()          # set_alarm is a notify: the view reads, it does not ask
    d = dashboard(**SPEC)
    assert d.text() == TEXT
    assert repr(d) == TEXT


def test_text_without_alarm_handler_or_metrics():
    d = dashboard(gauges=["nothing"], counters=["none"], histogram="lat")
    assert d.text() == "\n".join([
        "== dashboard @ 0.000 s ==", "gauges", "  nothing      undefined",
        "counters", "  none         undefined", "latency lat: no samples",
        "alarms: (no alarm_handler running)"])
    alarm_handler.start()
    assert dashboard().text().splitlines()[-1] == "alarms: none"


def test_figure_has_its_panels_with_data():
    bsc_metrics()
    fig = dashboard(**SPEC).figure()
    axs = fig.axes
    assert len(axs) == 5                           # gauges, counters, latency, mailboxes, alarms
    assert len(axs[0].lines) == 2                  # free_frequencies + its alarm line
    assert len(axs[1].lines) == 2                  # calls, denials
    assert len(axs[2].patches) > 0                 # the latency histogram
    assert [t.get_text() for t in axs[3].get_yticklabels()] == ["frequency (2)", "nosuch (-)"]
    assert [t.get_text() for t in axs[4].texts] == ["none"]   # the active alarms, below the mailboxes
    Dashboard().figure()                           # empty: no error


def test_live_form_headless_refreshes_on_new_samples():
    bsc_metrics()
    lv = dashboard(**SPEC).live()
    assert repr(lv) == "<live dashboard>"
    assert "calls                   20" in lv.text_w.value and len(lv.image.value) > 1000
    frame = lv.frame
    lv.maybe_refresh()
    assert lv.frame == frame                       # nothing changed: no re-render
    metrics.inc("calls")
    lv.maybe_refresh()                             # the text at once, the figure within a second
    assert lv.frame == frame and "calls                   21" in lv.text_w.value
    lv._drawn -= 1.0                               # a second later
    lv.maybe_refresh()
    assert lv.frame == frame + 1 and lv.figures == 2
    lv.maybe_refresh()
    assert lv.frame == frame + 1                   # drawn: clean again
    alarm_handler.set_alarm(("overload", "frequency"))
    runtime.run_until_idle()
    lv.maybe_refresh()
    assert "{overload,frequency}" in lv.text_w.value
    lv.close()


def test_an_idle_live_dashboard_draws_nothing():
    """Its signature used to hold the clock: 4 matplotlib panels redrawn on every
    pump tick, 77-100 % of a core on an idle system."""
    bsc_metrics()
    lv = dashboard(**SPEC).live()
    figures = lv.figures
    for _ in range(30):
        lv.maybe_refresh()
    assert lv.figures == figures == 1
    lv.close()


def test_an_idle_live_dashboard_clock_ticks_as_text():
    """Time passes with no new sample: the clock line moves, the figure and the text do not."""
    bsc_metrics()
    lv = dashboard(**SPEC).live()
    assert "now 2 s" in lv.clock.value
    frame, figures, text = lv.frame, lv.figures, lv.text_w.value
    timer.sleep(5000)                              # 5 s of virtual time, no metric touched
    import time
    lv._clocked = time.monotonic()                 # as if the clock line had just been set
    lv.maybe_refresh()                             # (not the wall time the sleep took: a loaded
    assert "now 2 s" in lv.clock.value             # machine may take a second) -> at most once a second
    lv._clocked -= 1.0
    lv.maybe_refresh()
    assert "now 7 s" in lv.clock.value and lv.clock_updates == 2
    assert (lv.frame, lv.figures, lv.text_w.value) == (frame, figures, text)
    lv._clocked -= 1.0
    lv.maybe_refresh()
    assert lv.clock_updates == 2                   # the same text: no widget update
    lv.close()


def test_a_monitor_sampling_a_flat_gauge_redraws_nothing():
    """ch. 16's freq_monitor samples every 20 ms: on an idle system its gauges stay flat,
    and the board (text and figure) stays as it is; a moved value redraws it."""
    bsc_metrics()
    runtime.run_until_idle()
    lv = dashboard(**SPEC).live()
    frame, text = lv.frame, lv.text_w.value
    for _ in range(50):
        metrics.gauge("free_frequencies", 1)       # the value it already has
        lv._drawn -= 1.0
        lv.maybe_refresh()
    assert (lv.frame, lv.figures, lv.text_w.value) == (frame, 1, text)
    metrics.gauge("free_frequencies", 3)
    lv._drawn -= 1.0
    lv.maybe_refresh()
    assert lv.frame == frame + 1 and "free_frequencies         3" in lv.text_w.value
    lv.close()


def _drawn_texts(fig):
    """(text, window extent) of every text the figure draws, legends as one box each;
    tick labels only for ticks inside their axes (matplotlib keeps the others, undrawn)."""
    import matplotlib.text
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    inside = {id(t) for lg in legends for t in lg.get_texts()}
    ticks = {}
    for ax in fig.axes:
        box = ax.get_window_extent(r)
        for t in ax.get_xticklabels() + ax.get_yticklabels():
            ticks[id(t)] = ax.axison                    # (an axis turned off draws none)
        if not ax.axison:
            continue
        for t in ax.get_xticklabels():
            x = t.get_window_extent(r)
            ticks[id(t)] = box.x0 - 1 <= (x.x0 + x.x1) / 2 <= box.x1 + 1
        for t in ax.get_yticklabels():
            y = t.get_window_extent(r)
            ticks[id(t)] = box.y0 - 1 <= (y.y0 + y.y1) / 2 <= box.y1 + 1
    out = [("legend", lg.get_window_extent(r)) for lg in legends]
    for t in fig.findobj(matplotlib.text.Text):
        if (t.get_visible() and t.get_text().strip() and id(t) not in inside
                and ticks.get(id(t), True)):
            out.append((t.get_text(), t.get_window_extent(r)))
    return out, r


def _overlaps(fig):
    boxes, r = _drawn_texts(fig)
    bad = [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1:] if ba.overlaps(bb)]
    fb = fig.bbox
    bad += [(a, "outside the canvas") for a, b in boxes
            if b.x0 < fb.x0 - 1 or b.y0 < fb.y0 - 1 or b.x1 > fb.x1 + 1 or b.y1 > fb.y1 + 1]
    # no data point of a line or a bar under a legend
    for ax in fig.axes:
        lg = ax.get_legend()
        if lg is None:
            continue
        box = lg.get_window_extent(r)
        pts = [p for ln in ax.lines if ln.get_label() and not ln.get_label().startswith("alarm")
               for p in ln.get_xydata()]
        pts += [(b.get_x() + b.get_width() / 2, b.get_height()) for b in ax.patches]
        for x, y in ax.transData.transform(pts) if pts else []:
            if box.contains(x, y):
                bad.append(("legend", ax.get_title()))
                break
    return bad


def test_figure_labels_do_not_overlap():
    """issue 20: in notebook 16 the 'alarm 100' / 'alarm 10' labels sat on the lines and on
    each other, and the active alarms were drawn inside the mailbox bar chart.  Now no two
    texts (titles, tick labels, legends, the alarm list) overlap or leave the canvas, and no data point lies
    under a legend, in the notebook's spec and in a crowded one."""
    bsc_metrics()
    alarm_handler.set_alarm(("no_frequency", "frequency"))
    runtime.run_until_idle()
    assert _overlaps(dashboard(**SPEC).figure()) == []
    for i in range(5):
        metrics.gauge(f"g{i}", 10 * i)
        metrics.inc(f"c{i}", i)
        alarm_handler.set_alarm((f"alarm_{i}", "a long description of what is wrong"))
    runtime.run_until_idle()
    crowded = dashboard(gauges=[f"g{i}" for i in range(5)], counters=[f"c{i}" for i in range(5)],
                        histogram="latency_ms", processes=["frequency", "nosuch", "a_long_process_name"],
                        thresholds={f"g{i}": 25 for i in range(5)} | {"frequency": 50}, title="crowded")
    assert _overlaps(crowded.figure()) == []
    assert _overlaps(Dashboard().figure()) == []
