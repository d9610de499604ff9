"""Checks for lab 16: metrics, a watchdog with an overload alarm, shedding at the edge.

Tasks 2 and 3 watch a "sink": a plain process registered as 'sink' whose
mailbox the check fills with 'job' messages and empties on command, so the
queue length is exactly what the check says.  Alarm events are recorded by a
spy handler added to the 'alarm_handler' event manager, next to SASL's.
"""
import pytest

from otp_lite import erlang, runtime, timer, gen_event, alarm_handler, loadgen, logger, sys as otp_sys
from otp_lite.erlang import ANY
from otp_lite.grade.labkit import require, expect, check, explore

meter = require("meter", "start", "inc", "gauge", "get")
watchdog = require("watchdog", "start", "stop", "init", "handle_info")
shedder = require("shedder", "install", "request", "init", "handle_event")
import service  # noqa: E402  (given, not yours: the gen_server 'frequency' behind the gate)

OVERLOAD = ("overload", "sink")


# ------------------------------------------------------------------ helpers
def attempt(what, fun, *args):
    """fun(*args); an exception from the code under test fails the check (not an error)."""
    try:
        return fun(*args)
    except Exception as e:                       # noqa: BLE001
        raise AssertionError(f"Called {what}. It raised {type(e).__name__}: {e}") from None


class Spy:
    """A gen_event handler that keeps every alarm event, oldest first."""
    def init(_):
        return ("ok", [])

    def handle_event(ev, evs):
        return ("ok", evs + [ev])

    def handle_call(_req, evs):
        return ("ok", evs, evs)


def alarm_events():
    return gen_event.call("alarm_handler", Spy, "events")


def start_meter():
    attempt("meter.start()", meter.start)


def start_alarms():
    logger.set_level("warning")              # the alarm reports stay out of the output
    alarm_handler.start()
    gen_event.add_handler("alarm_handler", Spy, [])


def sink():
    while True:
        _, k = erlang.receive(("eat", ANY))
        for _ in range(k):
            erlang.receive("job")


def start_sink():
    erlang.register("sink", erlang.spawn(sink))


def fill(n):
    for _ in range(n):
        erlang.send("sink", "job")


def eat(k):
    erlang.send("sink", ("eat", k))
    timer.sleep(0)


def start_watchdog(target, high, low, every=10):
    r = attempt(f"watchdog.start({target!r}, {high}, {low}, every={every})",
                watchdog.start, target, high, low, every)
    if type(r) is not tuple or r[0] != "ok":
        raise AssertionError(f"Called watchdog.start({target!r}, {high}, {low}, every={every}). "
                             f"Got {r!r}, expected ('ok', pid).")
    return r[1]


def watched_sink(high=10, low=3, every=10):
    start_meter()
    start_alarms()
    start_sink()
    return start_watchdog("sink", high, low, every)


def start_gate():
    start_meter()
    start_alarms()
    attempt("shedder.install('frequency')", shedder.install, "frequency")
    ok, pid = service.start()
    return pid


def served():
    return otp_sys.get_state("frequency")["served"]


# ------------------------------------------------------------------ task 1
@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_counter_counts():
    """inc('calls'), inc('calls'), inc('calls', 5) return 1, 2, 7 and get('calls') is 7"""
    start_meter()
    got = tuple(attempt(f"meter.inc('calls'{a})", meter.inc, "calls", *n) for a, n in
                (("", ()), ("", ()), (", 5", (5,))))
    expect("meter.inc('calls'), meter.inc('calls'), meter.inc('calls', 5), then meter.get('calls')",
           got + (attempt("meter.get('calls')", meter.get, "calls"),), (1, 2, 7, 7))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_unknown_metric_is_undefined():
    """get() of a name never used is 'undefined' (not 0, not an error)"""
    start_meter()
    expect("meter.get('never_used')", attempt("meter.get('never_used')", meter.get, "never_used"),
           "undefined")


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_gauge_keeps_the_last_value():
    """gauge('level', 5) then gauge('level', 3): get('level') is 3 (a gauge is set, not added to)"""
    start_meter()
    a = attempt("meter.gauge('level', 5)", meter.gauge, "level", 5)
    b = attempt("meter.gauge('level', 3)", meter.gauge, "level", 3)
    expect("meter.gauge('level', 5), meter.gauge('level', 3), then meter.get('level')",
           (a, b, attempt("meter.get('level')", meter.get, "level")), (5, 3, 3))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_any_process_updates_a_metric():
    """three processes inc('hits') twice each and one sets a gauge: the shell reads 6 and the gauge"""
    start_meter()
    errors = []

    def worker(i):
        try:
            meter.inc("hits")
            meter.inc("hits")
            if i == 0:
                meter.gauge("seen_by", "worker")
        except Exception as e:                   # noqa: BLE001
            errors.append(f"{type(e).__name__}: {e}")

    for i in range(3):
        erlang.spawn(lambda i=i: worker(i))
    timer.sleep(1)
    got = (attempt("meter.get('hits')", meter.get, "hits"), attempt("meter.get('seen_by')", meter.get, "seen_by"))
    check("meter.get('hits') and meter.get('seen_by') in the shell after three other processes "
          "updated them (the table must be public)" + (f"; in a worker: {errors[0]}" if errors else ""),
          got, (6, "worker"))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
@explore(runs=300, strategy="random", seed=0)
def test_inc_is_atomic_under_any_schedule():
    """explored, 300 schedules: two processes inc('hits') twice each at the same time: no increment is lost"""
    start_meter()
    me = erlang.self()

    def worker():
        try:
            r = [meter.inc("hits"), meter.inc("hits")]
        except Exception as e:                   # noqa: BLE001
            r = [f"{type(e).__name__}: {e}"]
        erlang.send(me, ("incs", erlang.self(), r))

    ws = [erlang.spawn(worker) for _ in range(2)]
    returned = sorted(x for w in ws for x in erlang.receive(("incs", w, ANY))[2])
    check("what the four meter.inc('hits') of two processes running at the same time returned "
          "(each increment sees its own new value: 1, 2, 3, 4), and meter.get('hits') afterwards",
          (returned, attempt("meter.get('hits')", meter.get, "hits")), ([1, 2, 3, 4], 4))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_table_outlives_its_starter():
    """meter.start() called by a process that then ends: the metrics still work afterwards"""
    done = []
    erlang.spawn(lambda: done.append(meter.start()))
    timer.sleep(10)
    try:
        got = (meter.inc("after"), meter.get("after"))
    except Exception as e:                       # noqa: BLE001
        got = f"{type(e).__name__}: {e}"
    check("meter.inc('after') and meter.get('after') once the process that called meter.start() "
          "has ended (a table dies with its owner: give it an owner of its own)", got, (1, 1))


# ------------------------------------------------------------------ task 2
@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_queue_gauge_follows_the_mailbox():
    """the gauge 'queue.sink' is 7, then 12, then 2 as the sink's mailbox changes (every 10 ms)"""
    watched_sink(high=50, low=10)
    fill(7)
    timer.sleep(11)
    a = meter.get("queue.sink")
    fill(5)
    timer.sleep(10)
    b = meter.get("queue.sink")
    eat(10)
    timer.sleep(10)
    c = meter.get("queue.sink")
    check("meter.get('queue.sink') with 7, then 12, then 2 messages in the sink's mailbox "
          "(the watched process's queue, sampled every 10 ms)", (a, b, c), (7, 12, 2))


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_samples_every_period():
    """with every=50 the gauge is sampled every 50 ms: a change shows at the next tick, not before"""
    start_meter()
    start_alarms()
    start_sink()
    fill(7)
    start_watchdog("sink", 50, 10, every=50)
    timer.sleep(55)
    a = meter.get("queue.sink")
    fill(5)
    timer.sleep(5)
    b = meter.get("queue.sink")
    timer.sleep(46)
    c = meter.get("queue.sink")
    check("meter.get('queue.sink') at 55, 60 and 106 ms after watchdog.start('sink', 50, 10, every=50), "
          "5 jobs added at 55 ms", (a, b, c), (7, 7, 12))


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_missing_target_counts_as_zero():
    """a target that is not running counts as 0 waiting: the gauge is 0 and the watchdog lives on"""
    start_meter()
    start_alarms()
    pid = start_watchdog("nobody", 5, 2)
    timer.sleep(35)
    check("meter.get('queue.nobody') and the watchdog, 35 ms after watchdog.start('nobody', 5, 2)",
          (meter.get("queue.nobody"), "alive" if pid.alive else "dead"), (0, "alive"))


# ------------------------------------------------------------------ task 3
@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_alarm_set_once_above_high():
    """12 waiting (high 10): one set_alarm((('overload', 'sink'), 12)) over three ticks"""
    watched_sink()
    fill(12)
    timer.sleep(35)
    check("the alarm events after 35 ms with 12 messages waiting (high = 10)",
          alarm_events(), [("set_alarm", (OVERLOAD, 12))])


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_no_alarm_at_high():
    """exactly high (10) waiting: no alarm (set it when MORE than high wait)"""
    watched_sink()
    fill(10)
    timer.sleep(35)
    check("the alarm events after 35 ms with exactly high = 10 messages waiting", alarm_events(), [])


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_alarm_stays_set_down_to_low():
    """set at 12, then 3 waiting (= low): still set, no clear_alarm (hysteresis)"""
    watched_sink()
    fill(12)
    timer.sleep(15)
    eat(9)
    timer.sleep(35)
    check("the alarm events and get_alarms() once the queue fell from 12 to 3 (high = 10, low = 3: "
          "clear only when FEWER than low wait)", (alarm_events(), alarm_handler.get_alarms()),
          ([("set_alarm", (OVERLOAD, 12))], [(OVERLOAD, 12)]))


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_alarm_cleared_once_below_low():
    """set at 12, then 2 waiting: one clear_alarm(('overload', 'sink')) and get_alarms() is []"""
    watched_sink()
    fill(12)
    timer.sleep(15)
    eat(10)
    timer.sleep(35)
    check("the alarm events and get_alarms() once the queue fell from 12 to 2 (low = 3)",
          (alarm_events(), alarm_handler.get_alarms()),
          ([("set_alarm", (OVERLOAD, 12)), ("clear_alarm", OVERLOAD)], []))


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_alarm_set_again_after_clear():
    """12 waiting, then 0, then 11: set, clear, set again (each excursion raises its own alarm)"""
    watched_sink()
    fill(12)
    timer.sleep(15)
    eat(12)
    timer.sleep(15)
    fill(11)
    timer.sleep(15)
    evs = alarm_events()
    check("the kinds of alarm events over two excursions above high = 10",
          [e[0] for e in evs], ["set_alarm", "clear_alarm", "set_alarm"])


# ------------------------------------------------------------------ task 4
@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_set_alarm_turns_shedding_on():
    """set_alarm((('overload', 'frequency'), 120)): the gauge 'shedding.frequency' is 1"""
    start_gate()
    alarm_handler.set_alarm((("overload", "frequency"), 120))
    timer.sleep(1)
    check("meter.get('shedding.frequency') after set_alarm((('overload', 'frequency'), 120))",
          meter.get("shedding.frequency"), 1)


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_clear_alarm_turns_shedding_off():
    """set, then clear_alarm(('overload', 'frequency')): the gauge 'shedding.frequency' is 0"""
    start_gate()
    alarm_handler.set_alarm((("overload", "frequency"), 120))
    timer.sleep(1)
    alarm_handler.clear_alarm(("overload", "frequency"))
    timer.sleep(1)
    check("meter.get('shedding.frequency') after set_alarm, then clear_alarm(('overload', 'frequency'))",
          meter.get("shedding.frequency"), 0)


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_other_events_pass_by():
    """other alarms, other targets and unknown events neither start nor stop shedding, nor remove the handler"""
    start_gate()
    before = meter.get("shedding.frequency")
    alarm_handler.set_alarm((("overload", "other"), 500))
    alarm_handler.set_alarm(("disk_almost_full", []))
    gen_event.notify("alarm_handler", "hello")
    timer.sleep(1)
    off_stays_off = meter.get("shedding.frequency") == before
    alarm_handler.set_alarm((("overload", "frequency"), 120))
    timer.sleep(1)
    alarm_handler.clear_alarm(("overload", "other"))
    alarm_handler.clear_alarm("disk_almost_full")
    gen_event.notify("alarm_handler", ("clear_alarm",))
    timer.sleep(1)
    on_stays_on = meter.get("shedding.frequency")
    installed = shedder in gen_event.which_handlers("alarm_handler")
    check("with shedding off, after set_alarm of ('overload', 'other'), of 'disk_almost_full' and an "
          "unknown event: unchanged?; with it on, after their clears and another unknown event: "
          "meter.get('shedding.frequency'), and is the shedder still a handler?",
          (off_stays_off, on_stays_on, installed), (True, 1, True))


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_gate_refuses_without_sending():
    """while shedding, 5 requests get ('error', 'overload') at once and the server does no work"""
    start_gate()
    alarm_handler.set_alarm((("overload", "frequency"), 120))
    timer.sleep(1)
    t0 = runtime.now()
    replies = [attempt("shedder.request('frequency', 'work')", shedder.request, "frequency", "work")
               for _ in range(5)]
    took = runtime.now() - t0
    timer.sleep(20)
    check("5 shedder.request('frequency', 'work') while shedding: the replies, the ms they took, "
          "the requests the server served", (replies, took, served()),
          ([("error", "overload")] * 5, 0, 0))


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_gate_counts_requests_and_shed():
    """3 requests pass ('ok'), then 2 are shed: requests.frequency is 5, shed.frequency is 2"""
    start_gate()
    ok = [attempt("shedder.request('frequency', 'work')", shedder.request, "frequency", "work")
          for _ in range(3)]
    alarm_handler.set_alarm((("overload", "frequency"), 120))
    timer.sleep(1)
    for _ in range(2):
        attempt("shedder.request('frequency', 'work')", shedder.request, "frequency", "work")
    check("the 3 replies before the alarm, then meter.get('requests.frequency') and "
          "meter.get('shed.frequency') after 2 more while shedding",
          (ok, meter.get("requests.frequency"), meter.get("shed.frequency")), (["ok"] * 3, 5, 2))


# ------------------------------------------------------------------ task 5
def spike():
    pid = start_gate()
    start_watchdog("frequency", 100, 20)
    loadgen.guard(pid, 500)
    res = loadgen.run(service.work, 1500, 2000, settle=2000)
    return pid, res


@pytest.mark.task(taskno=5)
@pytest.mark.points(2)
def test_survives_the_spike():
    """1500 req/s for 2 s (capacity 500/s), guard at 500 queued: alive, >= 300 'ok' per second"""
    pid, res = spike()
    check("the server after a 1500 req/s spike (watchdog high 100, low 20; guard: 500 queued)",
          ("alive" if pid.alive else "killed by the guard", res.throughput >= 300),
          ("alive", True))


@pytest.mark.task(taskno=5)
@pytest.mark.points(1)
def test_metrics_add_up_after_the_spike():
    """after the spike: no alarm, shedding 0, requests = served + shed, and some were shed"""
    pid, res = spike()
    n = served() if pid.alive else None
    req, shed = meter.get("requests.frequency"), meter.get("shed.frequency")
    got = (alarm_handler.get_alarms(), meter.get("shedding.frequency"),
           "requests = served + shed" if isinstance(req, int) and isinstance(shed, int) and n is not None
           and req == n + shed else f"requests {req}, served {n}, shed {shed}",
           isinstance(shed, int) and shed > 0)
    check("get_alarms(), meter.get('shedding.frequency'), the counters, and whether any request "
          "was shed, 2 s after a 1500 req/s spike", got, ([], 0, "requests = served + shed", True))
