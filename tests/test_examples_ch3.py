"""Book ch. 3 examples against reference/erlang_ref a1 (process) and a2 (generic server)."""
import pytest

from otp_lite import erlang, logger, runtime
from otp_lite.erlang import ANY, ErlangError

from examples.ch3 import frequency
from examples.ch3.behavior import frequency as freq_cb, server as plain_server
from examples.ch3.call import server as mon_server


def assert_empty_mailbox():
    # local copy of tests/conftest.py's helper: `from conftest import` can pick
    # up another conftest module when several directories define one
    msgs = list(erlang.self().mbox)
    assert msgs == [], f"unexpected messages left in the shell mailbox: {msgs!r}"


@pytest.fixture
def cb():
    freq_cb.server = plain_server
    yield freq_cb
    freq_cb.server = plain_server


def test_a1_process_frequency_server():
    assert frequency.start() is True                            # 1>
    assert erlang.whereis("frequency") != "undefined"           # 2>
    assert [frequency.allocate() for _ in range(6)] == [("ok", f) for f in range(10, 16)]
    assert frequency.allocate() == ("error", "no_frequency")    # 9>
    assert frequency.deallocate(11) == "ok"                     # 10>
    assert frequency.allocate() == ("ok", 11)
    assert frequency.deallocate(10) == "ok"                     # 12> 13>: the bug
    assert frequency.deallocate(10) == "ok"
    assert frequency.allocate() == ("ok", 10)                   # 14> 15>: handed out twice
    assert frequency.allocate() == ("ok", 10)
    assert frequency.allocate() == ("error", "no_frequency")    # 16>
    assert_empty_mailbox()


def test_a1_start_twice_is_badarg_in_register():               # 17>
    frequency.start()
    with pytest.raises(ErlangError) as e:
        frequency.start()
    assert e.value.reason == "badarg"
    frequency.stop()


def test_a1_stop_then_call_is_badarg():                        # 18> - 20>
    frequency.start()
    assert frequency.stop() == "ok"
    runtime.run_until_idle()
    assert erlang.whereis("frequency") == "undefined"
    with pytest.raises(ErlangError) as e:
        frequency.allocate()
    assert e.value.reason == "badarg"


def test_a1_raw_protocol_stop():
    frequency.start()
    pid = erlang.whereis("frequency")
    erlang.send("frequency", ("request", erlang.self(), "stop"))
    assert erlang.receive(("reply", ANY)) == ("reply", "ok")
    runtime.run_until_idle()
    assert not erlang.is_process_alive(pid)


def test_a2_generic_server_part1(cb):
    assert cb.start() is True                                   # 1>
    assert cb.allocate() == ("ok", 10)                          # 2>
    assert cb.allocate() == ("ok", 11)
    assert cb.deallocate(10) == "ok"                            # 4>
    assert cb.allocate() == ("ok", 10)                          # 5>
    assert cb.stop() == "ok"                                    # 6>
    runtime.run_until_idle()
    assert erlang.whereis("frequency") == "undefined"           # 7>
    assert_empty_mailbox()


def test_a2_generic_server_exhaustion_and_unchecked_dealloc(cb):
    cb.start()
    assert [cb.allocate() for _ in range(7)][-1] == ("error", "no_frequency")
    cb.deallocate(12)
    cb.deallocate(12)
    assert [cb.allocate() for _ in range(3)] == [("ok", 12), ("ok", 12), ("error", "no_frequency")]
    cb.stop()


def test_a2_plain_call_after_stop_is_badarg(cb):
    cb.start()
    cb.stop()
    with pytest.raises(ErlangError) as e:
        cb.allocate()
    assert e.value.reason == "badarg"


def test_a2_part2_monitor_call_gives_no_proc(cb):              # 8> - 13>
    cb.server = mon_server                                      # code:load_file(server)
    assert cb.start() is True
    assert cb.allocate() == ("ok", 10)
    assert cb.stop() == "ok"
    assert cb.allocate() == ("error", "no_proc")
    assert_empty_mailbox()                                      # no stray DOWN / reply


def test_monitor_call_on_a_server_that_dies_mid_call(cb):
    cb.server = mon_server
    cb.start()
    with logger.capture():
        assert cb.server.call("frequency", ("bogus",)) == ("error", "no_proc")
    assert erlang.whereis("frequency") == "undefined"
    assert_empty_mailbox()
