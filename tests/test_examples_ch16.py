"""examples/ch16: instrumented frequency server, threshold alarms with hysteresis, log analysis, shedding."""
from otp_lite import alarm_handler, gen_event, loadgen, logger, metrics, timer
from examples.ch16 import freq_monitor, frequency, log_analysis, phones, shedder


def setup_bsc(preempt):
    logger.set_level("warning")
    alarm_handler.start()
    ok, pid = frequency.start(100, 2)
    loadgen.guard(pid, 500)
    freq_monitor.start([("overload", freq_monitor.mailbox("frequency"), 100, 20)])
    if preempt:
        gen_event.add_handler("alarm_handler", shedder, "overload")
    return pid


def teardown():
    freq_monitor.stop()
    logger.set_level("notice")


def test_metrics_of_a_quiet_run():
    setup_bsc(False)
    r = loadgen.run(frequency.phone_call, 100, 1000, settle=300)
    teardown()
    assert r.outcomes == {"ok": r.outcomes["ok"]}
    assert metrics.get("calls") == r.outcomes["ok"] and metrics.get("denials") == "undefined"
    assert metrics.get("free_frequencies") == 100 and metrics.get("latency_ms")["p50"] == 2
    assert alarm_handler.get_alarms() == []


def test_spike_kills_the_server_without_preemptive_support():
    pid = setup_bsc(False)
    loadgen.run(frequency.phone_call, 1500, 1500, settle=300)
    teardown()
    assert not pid.alive and metrics.get("guard_kills") == 1
    assert metrics.get("shed") == "undefined"


def test_alarm_fires_before_the_guard_and_shedding_saves_the_server():
    pid = setup_bsc(True)
    spike = loadgen.run(frequency.phone_call, 1500, 1500, settle=300)
    actions = gen_event.call("alarm_handler", shedder, "actions")
    teardown()
    assert pid.alive and metrics.get("guard_kills") == "undefined"
    assert spike.outcomes["rejected"] > 0 and spike.outcomes["ok"] > 400
    assert max(v for _, v in metrics.series("mailbox.frequency")) < 500
    assert actions[0][1] == "shed on" and actions[-1][1] == "shed off"
    assert [a for _, a in actions] == ["shed on", "shed off"] * (len(actions) // 2)
    assert not frequency.shedding() and alarm_handler.get_alarms() == []


def test_hysteresis_sets_and_clears_once_per_excursion():
    alarm_handler.start()
    level = {"v": 0}
    probe = lambda: level["v"]                                   # noqa: E731
    freq_monitor.start([("hot", probe, 10, 5)], every=10)
    with logger.capture() as reports:
        for v in [8, 11, 9, 12, 7, 6, 11, 4, 6, 9, 3]:
            level["v"] = v
            timer.sleep(10)
    freq_monitor.stop()
    alarms = [r["data"]["alarm"] for r in reports if r["kind"] == "info_report"]
    assert [a[0] for a in alarms] == ["set", "clear"]             # 9, 12, 7, 6 do not flap
    assert alarms[0][1] == ("hot", {"value": 11, "threshold": 10})


def test_falling_gauge_alarm():
    alarm_handler.start()
    metrics.gauge("free_frequencies", 50)
    freq_monitor.start([("no_frequency", freq_monitor.gauge("free_frequencies"), 10, 20)], every=10)
    timer.sleep(15)
    metrics.gauge("free_frequencies", 5)
    timer.sleep(10)
    assert alarm_handler.get_alarms() == [("no_frequency", {"value": 5, "threshold": 10})]
    metrics.gauge("free_frequencies", 15)
    timer.sleep(10)
    assert alarm_handler.get_alarms() != []                        # not above 20 yet
    metrics.gauge("free_frequencies", 25)
    timer.sleep(10)
    freq_monitor.stop()
    assert alarm_handler.get_alarms() == []


def test_log_analysis_counts_and_noisiest():
    with logger.capture() as reports:
        phones.start_link({"phone_1": [(0.01, "badarg")],
                           "phone_2": [(0.2, "timeout"), (0.05, ("badmatch", "idle"))],
                           "phone_3": [(0.02, "timeout")]})
        phones.traffic(300)
        timer.sleep(10)
    assert log_analysis.by_kind(reports) == {"crash_report": 25, "error_report": 25,
                                             "supervisor_report": 25}
    assert log_analysis.by_reason(reports) == [("'timeout'", 18), ("('badmatch', 'idle')", 5),
                                               ("'badarg'", 2)]
    assert log_analysis.noisiest(reports) == [("phone_2", 20), ("phone_3", 3), ("phone_1", 2)]
    assert log_analysis.timeline(reports) == [(0, 75)]
