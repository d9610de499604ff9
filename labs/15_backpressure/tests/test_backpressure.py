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
    """A gen_event handler that keeps every alarm event, oldest first."""
    def init(_):
        return ("ok", [])

    def handle_event(ev, evs):
        return ("ok", evs + [ev])

    def handle_call(_req, evs):
        return ("ok", evs, evs)


def setup():
    alarm_handler.start()
    gen_event.add_handler("alarm_handler", Spy, [])
    r = frequency.start()
    if type(r) is not tuple or r[0] != "ok":
        raise AssertionError(f"Called frequency.start(). Got {r!r}, expected ('ok', pid).")
    return r[1]


def alarm_events():
    return gen_event.call("alarm_handler", Spy, "events")


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
    """the first alarm event is set_alarm(('frequency_overload', waiting)), raised once"""
    setup()
    flood(80)
    evs = alarm_events()
    sets = [e for e in evs if e[0] == "set_alarm"]
    ok = len(sets) == 1 and sets[0][1][0] == "frequency_overload" and evs[0] == sets[0]
    want = "one ('set_alarm', ('frequency_overload', N)), first"
    check("the alarm events after 80 queued requests", want if ok else evs, want)


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_alarm_cleared_when_queue_drains():
    """after the flood drains, the alarm is cleared once and get_alarms() is empty"""
    setup()
    flood(80)
    evs = [(e[0], e[1][0] if e[0] == "set_alarm" else e[1]) for e in alarm_events()]
    check("the alarm events after 80 queued requests drain", (evs, alarm_handler.get_alarms()),
          ([("set_alarm", "frequency_overload"), ("clear_alarm", "frequency_overload")], []))


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
