"""Checks for lab 15: load shedding, an overload alarm, and surviving a spike.

The checks flood the server: they suspend it, queue N calls from N client
processes, resume it, and collect the replies.  Alarms are recorded by a
handler added to the ``alarm_handler`` event manager.
"""
import pytest

from otp_lite import erlang, runtime, timer, gen_event, alarm_handler, loadgen, sys as otp_sys
from otp_lite.grade.labkit import require, expect, check

frequency = require("frequency", "start", "request", "init", "handle_call", "queue_len")


class Spy:
    """A gen_event handler that keeps every alarm event, oldest first.

    It also notes how many requests waited in the server's mailbox when the
    event arrived (the server is doing its 2 ms of work then: nothing moves).
    """
    def init(_):
        return ("ok", [])

    def handle_event(ev, evs):
        pid = erlang.whereis("frequency")
        info = erlang.process_info(pid, "message_queue_len") if pid != "undefined" else "undefined"
        return ("ok", evs + [(ev, None if info == "undefined" else info[1])])

    def handle_call(req, evs):
        if req == "waiting":
            return ("ok", evs, evs)
        return ("ok", [ev for ev, _ in evs], evs)


def setup():
    alarm_handler.start()
    gen_event.add_handler("alarm_handler", Spy, [])
    r = frequency.start()
    if type(r) is not tuple or r[0] != "ok":
        raise AssertionError(f"Called frequency.start(). Got {r!r}, expected ('ok', pid).")
    return r[1]


def alarm_events():
    return gen_event.call("alarm_handler", Spy, "events")


def alarm_events_and_waiting():
    """[(event, requests waiting in the server's mailbox when it arrived)]."""
    return gen_event.call("alarm_handler", Spy, "waiting")


def flood(n):
    """n requests queued while the server is suspended; their replies once it resumes."""
    replies = []
    otp_sys.suspend("frequency")
    for _ in range(n):
        erlang.spawn(lambda: replies.append(frequency.request(5000)))
    runtime.run_until_idle()
    otp_sys.resume("frequency")
    timer.sleep(2000)
    return replies


def count(replies, what):
    return sum(1 for r in replies if r == what)


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_sheds_load_when_queue_is_long():
    """with 80 requests waiting, the server answers ('error', 'overload') to the excess"""
    setup()
    replies = flood(80)
    shed = count(replies, ("error", "overload"))
    want = "between 20 and 35"
    check("the number of ('error', 'overload') replies to 80 queued requests (HIGH = 50)",
          want if 20 <= shed <= 35 else shed, want)


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_sheds_only_above_high():
    """51 queued requests: none shed (50 wait behind the first); 52 queued: exactly one shed"""
    setup()
    at_51 = count(flood(51), ("error", "overload"))
    at_52 = count(flood(52), ("error", "overload"))
    check("the ('error', 'overload') replies to 51, then 52 queued requests "
          "(shed when MORE than HIGH = 50 wait, not 50 or more)", (at_51, at_52), (0, 1))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_shedding_is_cheap():
    """a shed request does no work: 80 queued requests are all answered within 120 ms"""
    setup()
    otp_sys.suspend("frequency")
    done = []
    for _ in range(80):
        erlang.spawn(lambda: (frequency.request(5000), done.append(runtime.now())))
    runtime.run_until_idle()
    t0 = runtime.now()
    otp_sys.resume("frequency")
    timer.sleep(2000)
    took = max(done) - t0 if len(done) == 80 else None
    want = "all answered within 120 ms"
    expect("80 queued frequency.request() (2 ms of work each)",
           want if took is not None and took <= 120 else f"answered after {took} ms", want)


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_alarm_set_when_shedding_starts():
    """the first alarm event is set_alarm(('frequency_overload', waiting)), raised once, waiting > HIGH"""
    setup()
    flood(80)
    evs = alarm_events()
    sets = [e for e in evs if e[0] == "set_alarm"]
    ok = len(sets) == 1 and type(sets[0][1]) is tuple and len(sets[0][1]) == 2 \
        and sets[0][1][0] == "frequency_overload" and evs[0] == sets[0] \
        and type(sets[0][1][1]) is int and sets[0][1][1] > 50
    want = "one ('set_alarm', ('frequency_overload', N)), first, N the requests waiting (> HIGH = 50)"
    check("the alarm events after 80 queued requests", want if ok else evs, want)


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_alarm_cleared_when_queue_drains():
    """after the flood drains, clear_alarm('frequency_overload') came once, after the set"""
    setup()
    flood(80)
    evs = alarm_events()
    clears = [e for e in evs if e[0] == "clear_alarm"]
    last_set = max((i for i, e in enumerate(evs) if e[0] == "set_alarm"), default=None)
    ok = clears == [("clear_alarm", "frequency_overload")] and last_set is not None \
        and evs.index(clears[0]) > last_set
    want = "one ('clear_alarm', 'frequency_overload') (the id alone), after the set_alarm"
    check("the alarm events after 80 queued requests drain", want if ok else evs, want)


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_alarm_has_hysteresis():
    """the alarm is cleared only when fewer than LOW (10) requests wait, not when under HIGH"""
    setup()
    flood(80)
    at_clear = [n for ev, n in alarm_events_and_waiting() if ev[0] == "clear_alarm"]
    want = "cleared with fewer than LOW = 10 requests waiting"
    check("how many requests waited in the server's mailbox when the overload alarm was cleared "
          "(it must stay set between LOW and HIGH)",
          want if at_clear and all(n is not None and n < 10 for n in at_clear)
          else f"cleared with {at_clear} waiting" if at_clear else "never cleared", want)


@pytest.mark.task(taskno=3)
@pytest.mark.points(3)
def test_survives_a_spike():
    """1500 req/s for 2 s (capacity 500/s) with a 500-message memory guard: alive, >= 300 ok/s"""
    pid = setup()
    loadgen.guard(pid, 500)
    res = loadgen.run(frequency.request, 1500, 2000, settle=2000)
    check("the server after a 1500 req/s spike (guard: 500 queued messages)",
          ("alive" if pid.alive else "killed by the guard", res.throughput >= 300),
          ("alive", True))
