"""Book ch. 7 examples against reference/erlang_ref f1 (handlers) and f2 (frequency + freq_overload)."""
import pytest

from otp_lite import erlang, gen_event, logger, runtime, timer
from otp_lite.erlang import Exit, ErlangError

from examples.ch7 import crash_example, freq_counters, freq_logger, freq_overload, frequency
from otp_testkit import assert_empty_mailbox

M = "freq_overload"


def out(capsys):
    runtime.run_until_idle()
    return capsys.readouterr().out.splitlines()


def test_f1_handlers(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    me = erlang.self()
    _, mgr = gen_event.start(("local", M))                                          # 5>
    assert gen_event.add_handler(M, freq_logger, "standard_io") == "ok"             # 6>
    assert gen_event.add_handler(M, freq_counters, ()) == "ok"                      # 7>
    assert gen_event.which_handlers(M) == [freq_counters, freq_logger]              # 8>
    assert gen_event.notify(M, ("set_alarm", ("no_frequency", me))) == "ok"         # 9>
    assert gen_event.sync_notify(M, ("event", ("frequency_denied", me))) == "ok"    # 10>
    gen_event.notify(M, ("event", ("frequency_denied", me)))                        # 11>
    erlang.send(M, ("raw", "message"))                                              # 12>
    lines = out(capsys)
    assert lines[1::2] == [f"Event:('set_alarm', ('no_frequency', {me!r}))",
                           f"Event:('event', ('frequency_denied', {me!r}))",
                           f"Event:('event', ('frequency_denied', {me!r}))",
                           "Unknown:('raw', 'message')"]
    assert [l.split()[0] for l in lines[0::2]] == ["Id:1", "Id:2", "Id:3", "Id:4"]
    tag, counts = freq_counters.get_counters(M)                                     # 13>
    assert tag == "counters" and sorted(counts, key=repr) == sorted(
        [(("event", ("frequency_denied", me)), 2), (("set_alarm", ("no_frequency", me)), 1)], key=repr)
    assert gen_event.call(M, "no_such_handler", "get_counters") == ("error", "bad_module")    # 14>
    with pytest.raises(ErlangError) as e:                                           # 15>
        gen_event.notify("no_such_manager", "x")
    assert e.value.reason == "badarg"
    with pytest.raises(Exit) as e2:                                                 # 16>
        gen_event.sync_notify("no_such_manager", "x")
    assert e2.value.reason == "noproc"
    assert gen_event.delete_handler(M, freq_logger, "stop") == ("count", 5)          # 18>
    assert gen_event.delete_handler(M, freq_logger, "stop") == ("error", "module_not_found")
    assert gen_event.add_handler(M, freq_logger, "bad_args") == ("error", ("args", "bad_args"))
    assert gen_event.add_handler(M, freq_logger, "standard_io") == "ok"             # 21>
    assert gen_event.swap_handler(M, (freq_logger, "swap"), (freq_logger, "log")) == "ok"     # 22> to a file
    assert gen_event.sync_notify(M, ("clear_alarm", "no_frequency")) == "ok"
    assert gen_event.swap_handler(M, (freq_logger, "swap"), (freq_logger, "standard_io")) == "ok"
    assert gen_event.sync_notify(M, "after_swap_back") == "ok"                     # 25> the count went on
    assert out(capsys)[-2:][0].startswith("Id:2 ") and out(capsys) == []
    log = (tmp_path / "log").read_text().splitlines()                               # 26>
    assert log[0].startswith("Id:1 ") and log[1] == "Event:('clear_alarm', 'no_frequency')"
    with logger.capture() as reports:                                               # 27> no handle_call
        r = gen_event.call(M, freq_logger, "get_counters")
    assert r[0] == "error" and r[1][0] == "EXIT" and r[1][1][0] == "undef"
    assert reports[0]["text"][:4] == ["** gen_event handler freq_logger crashed.", "** Was installed in freq_overload",
                                      "** Last event was: get_counters",
                                      "** When handler state == ('standard_io', 3)"]
    assert gen_event.which_handlers(M) == [freq_counters]                           # 28>
    gen_event.add_handler(M, freq_logger, "standard_io")                            # 29> - 31> duplicates
    gen_event.add_handler(M, freq_logger, "standard_io")
    assert gen_event.which_handlers(M) == [freq_logger, freq_logger, freq_counters]
    gen_event.delete_handler(M, freq_logger, "stop")
    assert gen_event.delete_handler(M, freq_logger, "stop") == ("count", 1)
    gen_event.add_handler(M, (freq_logger, 1), "standard_io")                       # 32> - 34> ids
    gen_event.add_handler(M, (freq_logger, 2), "standard_io")
    assert gen_event.which_handlers(M) == [(freq_logger, 2), (freq_logger, 1), freq_counters]
    assert gen_event.delete_handler(M, (freq_logger, 2), "stop") == ("count", 1)
    assert gen_event.add_handler(M, crash_example, "return") == "error"            # 35> - 38>
    assert gen_event.add_handler(M, crash_example, "ok") == "ok"
    assert gen_event.add_handler(M, crash_example, "crash") == ("EXIT", "crash")
    assert gen_event.which_handlers(M) == [(freq_logger, 1), freq_counters]
    with logger.capture() as reports:
        gen_event.add_handler(M, crash_example, "normal")                           # 39> - 41>
        assert gen_event.sync_notify(M, "crash") == "ok"
        assert gen_event.which_handlers(M) == [(freq_logger, 1), freq_counters]
        gen_event.add_handler(M, crash_example, "normal")                           # 42> - 44>
        assert gen_event.sync_notify(M, "return") == "ok"
        assert gen_event.which_handlers(M) == [(freq_logger, 1), freq_counters]
    assert reports[0]["text"][0] == "** gen_event handler crash_example crashed."
    assert reports[1]["text"][-1] == "** Reason == error"
    gen_event.add_sup_handler(M, crash_example, "normal")                           # 45> - 47>
    with logger.capture():
        gen_event.sync_notify(M, "crash")
    msg = erlang.receive(timeout=0)
    assert msg[:2] == ("gen_event_EXIT", crash_example) and msg[2][0] == "EXIT"
    assert msg[2][1][0] == "badarith"                       # OTP: {badarith, ...} (f1)
    gen_event.add_sup_handler(M, crash_example, "normal")                           # 48> - 50>
    assert gen_event.delete_handler(M, crash_example, "bye") == "ok"
    assert erlang.receive(timeout=0) == ("gen_event_EXIT", crash_example, "normal")

    def helper():                                                                    # 51> - 53>
        gen_event.add_sup_handler(M, crash_example, "normal")
        erlang.receive("stop")
        erlang.exit("helper_gone")
    hp = erlang.spawn(helper)
    timer.sleep(100)
    assert gen_event.which_handlers(M) == [crash_example, (freq_logger, 1), freq_counters]
    out(capsys)
    erlang.send(hp, "stop")
    timer.sleep(100)
    assert out(capsys)[1] == f"Unknown:('EXIT', {hp!r}, 'helper_gone')"
    assert gen_event.which_handlers(M) == [(freq_logger, 1), freq_counters]
    assert erlang.is_process_alive(mgr)                                             # 54>
    assert gen_event.stop(M) == "ok"                                                # 55>
    assert not erlang.is_process_alive(mgr)
    assert_empty_mailbox()


def test_f2_frequency_raises_overload_events(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert freq_overload.start_link()[0] == "ok"                                   # 1>
    assert gen_event.which_handlers(M) == [freq_logger, freq_counters]             # 2>
    _, fpid = frequency.start_link()                                                # 3>
    assert [frequency.allocate() for _ in range(7)] == [("ok", f) for f in range(10, 16)] + [("error", "no_frequency")]
    assert frequency.deallocate(13) == "ok"                                         # 5>
    assert frequency.allocate() == ("ok", 13)                                       # 6>
    timer.sleep(100)
    expected = [(("clear_alarm", "no_frequency"), 1), (("set_alarm", ("no_frequency", fpid)), 2),
                (("event", ("frequency_denied", fpid)), 1)]
    tag, counts = freq_counters.get_counters(M)                                     # 7>
    assert tag == "counters" and sorted(counts, key=repr) == sorted(expected, key=repr)
    log = (tmp_path / "log").read_text().splitlines()                               # 8>
    assert log[1::2] == [f"Event:('set_alarm', ('no_frequency', {fpid!r}))",
                         f"Event:('event', ('frequency_denied', {fpid!r}))",
                         "Event:('clear_alarm', 'no_frequency')",
                         f"Event:('set_alarm', ('no_frequency', {fpid!r}))"]
    tag, counts = freq_overload.delete(freq_counters, "stop")                       # 9>
    assert tag == "counters" and sorted(counts, key=repr) == sorted(expected, key=repr)
    assert erlang.receive(timeout=0) == ("gen_event_EXIT", freq_counters, "normal")  # we supervise it
    assert_empty_mailbox()
