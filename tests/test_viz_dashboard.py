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


def test_figure_has_four_panels_with_data():
    bsc_metrics()
    fig = dashboard(**SPEC).figure()
    axs = fig.axes
    assert len(axs) == 4
    assert len(axs[0].lines) == 2                  # free_frequencies + its alarm line
    assert len(axs[1].lines) == 2                  # calls, denials
    assert len(axs[2].patches) > 0                 # the latency histogram
    assert [t.get_text() for t in axs[3].get_yticklabels()] == ["frequency (2)", "nosuch (-)"]
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
    lv.maybe_refresh()
    assert "now 2 s" in lv.clock.value             # at most once a second (of wall time)
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
