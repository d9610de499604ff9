"""Checks for lab 07: event handlers and the overload events of the frequency server.

Tasks are the ``## N.`` headings of README.md.  Tasks 1-3 install your
handlers in a manager of their own; task 4 watches the frequency server's
events with a recording handler of the checks (``recorder`` below), so it
does not depend on your handlers (except the last check, the book's session).
"""
import pytest

from otp_lite import erlang, gen_event, logger, runtime
from otp_lite.erlang import ANY
from otp_lite.grade.labkit import require, expect, check

# Import guard: a missing or misnamed function fails every check with one clear line.
freq_counters = require("freq_counters", "init", "handle_event", "handle_info", "handle_call",
                        "terminate", "get_counters")
freq_logger = require("freq_logger", "init", "handle_event", "handle_info", "terminate")
frequency = require("frequency", "start_link", "allocate", "deallocate")
import freq_overload  # noqa: E402  (given)

M = "freq_overload"


class recorder:
    """A handler of the checks: it keeps every event, in order."""

    def init(_args):
        return ("ok", [])

    def handle_event(event, events):
        return ("ok", events + [event])

    def handle_info(_msg, events):
        return ("ok", events)

    def handle_call(_request, events):
        return ("ok", events, events)

    def terminate(_reason, events):
        return events


class faulty:
    """A handler of the checks that crashes on the event 'crash'."""

    def init(_args):
        return ("ok", None)

    def handle_event(event, state):
        if event == "crash":
            return 1 // 0
        return ("ok", state)

    def terminate(_reason, _state):
        return "ok"


def manager(name=M):
    r = gen_event.start_link(("local", name))
    assert r[0] == "ok", r
    return r[1]


def added(h, args, m=M):
    r = gen_event.add_handler(m, h, args)
    name = getattr(h, "__name__", repr(h)).rsplit(".", 1)[-1]
    expect(f"gen_event.add_handler({m!r}, {name}, {args!r})", r, "ok")


def counters(m=M):
    """freq_counters.get_counters(m), checked for shape, sorted."""
    r = freq_counters.get_counters(m)
    if type(r) is not tuple or len(r) != 2 or r[0] != "counters" or type(r[1]) is not list:
        raise AssertionError(f"Called freq_counters.get_counters({m!r}). Got {r!r}, "
                             "expected ('counters', [(event, n), ...]).")
    return sorted(r[1], key=repr)


def sorted_counts(r):
    if type(r) is tuple and len(r) == 2 and r[0] == "counters" and type(r[1]) is list:
        return ("counters", sorted(r[1], key=repr))
    return r


def lines(text):
    return [ln for ln in text.splitlines() if ln.strip()]


def events_seen():
    return gen_event.call(M, recorder, "events")


def wired():
    """A manager with the recorder, and the frequency server; returns the server's pid."""
    manager()
    gen_event.add_handler(M, recorder, [])
    r = frequency.start_link()
    return r[1]


# ---------------------------------------------------------------- task 1: counters
@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_counters_install():
    """add_handler(m, freq_counters, ()) returns 'ok' and the manager lists the handler"""
    manager()
    added(freq_counters, ())
    expect("gen_event.which_handlers('freq_overload')", gen_event.which_handlers(M), [freq_counters])


@pytest.mark.task(taskno=1)
@pytest.mark.points(3)
def test_counts_identical_events():
    """identical events are counted together; get_counters returns ('counters', [(event, n), ...])"""
    manager()
    added(freq_counters, ())
    for ev in ["a", ("set_alarm", "x"), "a", "b", "a"]:
        gen_event.sync_notify(M, ev)
    check("the counters after events a, ('set_alarm', 'x'), a, b, a (sorted)", counters(),
          sorted([("a", 3), (("set_alarm", "x"), 1), ("b", 1)], key=repr))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_raw_messages_are_not_counted():
    """a raw message to the manager (handle_info) is not an event: not counted, handler stays"""
    manager()
    added(freq_counters, ())
    gen_event.sync_notify(M, "a")
    erlang.send(M, ("raw", "message"))
    gen_event.sync_notify(M, "a")
    check("the counters after a, a raw message, a", counters(), [("a", 2)])


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_delete_returns_the_counters():
    """delete_handler returns terminate's value, ('counters', [...]), and the handler is gone"""
    manager()
    added(freq_counters, ())
    gen_event.sync_notify(M, "a")
    gen_event.sync_notify(M, "b")
    expect("gen_event.delete_handler('freq_overload', freq_counters, 'stop') (sorted)",
           sorted_counts(gen_event.delete_handler(M, freq_counters, "stop")),
           ("counters", [("a", 1), ("b", 1)]))
    expect("gen_event.which_handlers('freq_overload') afterwards", gen_event.which_handlers(M), [])


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_two_managers_count_apart():
    """two managers, each with freq_counters: each counts its own events"""
    manager("m1")
    manager("m2")
    added(freq_counters, (), "m1")
    added(freq_counters, (), "m2")
    gen_event.sync_notify("m1", "a")
    gen_event.sync_notify("m2", "b")
    gen_event.sync_notify("m2", "b")
    check("the counters of m1 and m2", (counters("m1"), counters("m2")), ([("a", 1)], [("b", 2)]))


# ---------------------------------------------------------------- task 2: logger
@pytest.mark.task(taskno=2)
@pytest.mark.points(3)
def test_logger_prints_numbered_lines(capsys):
    """freq_logger on 'standard_io' prints 'Id:n Event:...' and 'Id:n Unknown:...' lines, numbered from 1"""
    manager()
    added(freq_logger, "standard_io")
    capsys.readouterr()
    gen_event.sync_notify(M, ("set_alarm", ("no_frequency", "p")))
    erlang.send(M, ("raw", "message"))
    gen_event.sync_notify(M, "done")
    check("the lines printed", lines(capsys.readouterr().out),
          ["Id:1 Event:('set_alarm', ('no_frequency', 'p'))", "Id:2 Unknown:('raw', 'message')",
           "Id:3 Event:'done'"])


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_logger_delete_returns_the_count(capsys):
    """delete_handler on freq_logger returns ('count', next Id) (f1: 4 lines, then ('count', 5))"""
    manager()
    added(freq_logger, "standard_io")
    for ev in "abcd":
        gen_event.sync_notify(M, ev)
    expect("gen_event.delete_handler('freq_overload', freq_logger, 'stop') after 4 events",
           gen_event.delete_handler(M, freq_logger, "stop"), ("count", 5))


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_logger_to_a_file(tmp_path):
    """freq_logger with ('file', path) writes a new file, each line as it comes (flushed)"""
    log = tmp_path / "log"
    log.write_text("Id:1 Event:'from an earlier run'\n")
    manager()
    added(freq_logger, ("file", str(log)))
    gen_event.sync_notify(M, "a")
    gen_event.sync_notify(M, ("b", 1))
    check("the lines in the log file while the logger runs (a file that existed is written anew, "
          "and each line is flushed)", lines(log.read_text()), ["Id:1 Event:'a'", "Id:2 Event:('b', 1)"])
    gen_event.delete_handler(M, freq_logger, "stop")
    check("the lines in the log file after delete_handler", lines(log.read_text()),
          ["Id:1 Event:'a'", "Id:2 Event:('b', 1)"])


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_logger_bad_args():
    """init with bad arguments: add_handler returns ('error', ('args', bad)) and nothing is added"""
    manager()
    expect("gen_event.add_handler('freq_overload', freq_logger, 'bad_args')",
           gen_event.add_handler(M, freq_logger, "bad_args"), ("error", ("args", "bad_args")))
    expect("gen_event.which_handlers('freq_overload')", gen_event.which_handlers(M), [])


@pytest.mark.task(taskno=2)
@pytest.mark.points(3)
def test_swap_carries_the_count(capsys, tmp_path):
    """swap stdout -> file -> stdout: the numbering goes on across the swaps (f1, 21-26)"""
    log = str(tmp_path / "log")
    manager()
    added(freq_logger, "standard_io")
    gen_event.sync_notify(M, "one")
    expect(f"gen_event.swap_handler('freq_overload', (freq_logger, 'swap'), (freq_logger, {log!r}))",
           gen_event.swap_handler(M, (freq_logger, "swap"), (freq_logger, log)), "ok")
    gen_event.sync_notify(M, "two")
    expect("gen_event.swap_handler('freq_overload', (freq_logger, 'swap'), (freq_logger, 'standard_io'))",
           gen_event.swap_handler(M, (freq_logger, "swap"), (freq_logger, "standard_io")), "ok")
    gen_event.sync_notify(M, "three")
    check("the handlers after the swaps", gen_event.which_handlers(M), [freq_logger])
    check("the lines printed", lines(capsys.readouterr().out), ["Id:1 Event:'one'", "Id:3 Event:'three'"])
    check("the lines in the log file", lines(open(log).read()), ["Id:2 Event:'two'"])


# ---------------------------------------------------------------- task 3: isolation
@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_a_crashing_handler_does_not_hurt_yours(capsys):
    """another handler crashes on an event: it is removed; yours count and log that event and go on"""
    manager()
    added(freq_counters, ())
    added(freq_logger, "standard_io")
    gen_event.add_handler(M, faulty, [])
    capsys.readouterr()
    with logger.capture():
        gen_event.sync_notify(M, "crash")
    gen_event.sync_notify(M, "after")
    check("the handlers after the crash", sorted(map(repr, gen_event.which_handlers(M))),
          sorted(map(repr, [freq_logger, freq_counters])))
    check("the counters", counters(), [("after", 1), ("crash", 1)])
    check("the lines printed", lines(capsys.readouterr().out), ["Id:1 Event:'crash'", "Id:2 Event:'after'"])


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_supervised_handlers():
    """add_sup_handler: the supervisor hears ('gen_event_EXIT', h, 'normal'); when it dies, its handler goes"""
    manager()
    expect("gen_event.add_sup_handler('freq_overload', freq_counters, ())",
           gen_event.add_sup_handler(M, freq_counters, ()), "ok")
    gen_event.sync_notify(M, "a")
    gen_event.delete_handler(M, freq_counters, "stop")     # its value is task 1's check
    got = erlang.receive(("gen_event_EXIT", ANY, ANY), timeout=0)
    expect("the message the shell got (it supervised the handler)", got,
           ("gen_event_EXIT", freq_counters, "normal"))
    shell = erlang.self()

    def supervisor_process():
        erlang.send(shell, ("added", gen_event.add_sup_handler(M, freq_logger, "standard_io")))

    erlang.spawn(supervisor_process)
    expect("gen_event.add_sup_handler('freq_overload', freq_logger, 'standard_io') in another process",
           erlang.receive(("added", ANY))[1], "ok")
    runtime.run_until_idle()
    check("the handlers after that process ended", gen_event.which_handlers(M), [])


# ---------------------------------------------------------------- task 4: wiring
@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_no_frequency_alarm_on_the_last_one():
    """allocating the LAST free frequency raises ('set_alarm', ('no_frequency', server)), once"""
    fpid = wired()
    for _ in range(5):
        frequency.allocate()
    check("the events after 5 allocations", events_seen(), [])
    frequency.allocate()
    check("the events after the 6th allocation", events_seen(), [("set_alarm", ("no_frequency", fpid))])


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_frequency_denied():
    """allocating when none is free raises ('event', ('frequency_denied', server)) each time"""
    fpid = wired()
    for _ in range(6):
        frequency.allocate()
    expect("frequency.allocate() a 7th time", frequency.allocate(), ("error", "no_frequency"))
    frequency.allocate()
    check("the events after 8 allocations", events_seen(),
          [("set_alarm", ("no_frequency", fpid)), ("event", ("frequency_denied", fpid)),
           ("event", ("frequency_denied", fpid))])


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_clear_alarm_when_one_comes_back():
    """deallocating while none was free raises ('clear_alarm', 'no_frequency'); otherwise nothing"""
    fpid = wired()
    for _ in range(6):
        frequency.allocate()
    frequency.deallocate(13)
    frequency.deallocate(14)
    runtime.run_until_idle()                       # the casts, and the events they raise
    check("the events after 6 allocations and 2 deallocations", events_seen(),
          [("set_alarm", ("no_frequency", fpid)), ("clear_alarm", "no_frequency")])


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_the_books_session(tmp_path):
    """f2: freq_overload with your two handlers, 7 allocations, deallocate(13), allocate: counters and log"""
    log = str(tmp_path / "log")
    freq_overload.start_link(log)
    fpid = frequency.start_link()[1]
    check("the handlers of freq_overload after frequency.start_link() (the server only notifies: "
          "it installs no handler)", sorted(h.__name__ for h in gen_event.which_handlers(M)),
          ["freq_counters", "freq_logger"])
    got = [frequency.allocate() for _ in range(7)]
    check("7 allocations", got, [("ok", f) for f in range(10, 16)] + [("error", "no_frequency")])
    frequency.deallocate(13)
    expect("frequency.allocate() after deallocate(13)", frequency.allocate(), ("ok", 13))
    runtime.run_until_idle()
    alarm = ("set_alarm", ("no_frequency", fpid))
    denied = ("event", ("frequency_denied", fpid))
    check("freq_counters.get_counters('freq_overload') (sorted)", counters(),
          sorted([(("clear_alarm", "no_frequency"), 1), (alarm, 2), (denied, 1)], key=repr))
    check("the lines in the log file", lines(open(log).read()),
          [f"Id:1 Event:{alarm!r}", f"Id:2 Event:{denied!r}",
           "Id:3 Event:('clear_alarm', 'no_frequency')", f"Id:4 Event:{alarm!r}"])
