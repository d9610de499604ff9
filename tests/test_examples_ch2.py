"""Book ch. 2 examples against the real-OTP run in reference/erlang_ref/ch2_basics.txt."""
import pytest

from otp_lite import erlang, logger, runtime
from otp_lite.erlang import ANY, ErlangError, TIMEOUT

from examples.ch2 import echo, echo_link, ex1, ex3, queens


def assert_empty_mailbox():
    # local copy of tests/conftest.py's helper: `from conftest import` can pick
    # up another conftest module when several directories define one
    msgs = list(erlang.self().mbox)
    assert msgs == [], f"unexpected messages left in the shell mailbox: {msgs!r}"


def test_echo_go_prints_hello_returns_stop(capsys):           # 1> echo:go().
    assert echo.go() == "stop"
    assert capsys.readouterr().out == "hello\n"
    assert_empty_mailbox()


def test_echo_stops_normally_and_leaves_no_process():
    before = len(erlang.processes())
    echo.go()
    runtime.run_until_idle()
    assert len(erlang.processes()) == before


def test_echo_reply_is_tagged_with_the_echo_pid():
    pid = erlang.spawn(echo.loop)
    erlang.send(erlang.self(), "noise")
    erlang.send(pid, (erlang.self(), "hi"))
    assert erlang.receive((pid, ANY)) == (pid, "hi")          # selective: skips "noise"
    assert erlang.receive() == "noise"
    erlang.send(pid, "stop")


def test_echo_link_go(capsys):                                 # 2> echo_link:go().
    assert echo_link.go() == "stop"
    assert capsys.readouterr().out == "hello\n"
    runtime.run_until_idle()                 # the echo stops normally: the link goes
    assert erlang.process_info(erlang.self(), "links") == ("links", [])


def test_linked_echo_crash_takes_a_trapping_shell_message():
    erlang.process_flag("trap_exit", True)
    pid = erlang.spawn_link(echo.loop)
    erlang.send(pid, "not a pair")          # ignored: stays in the echo's mailbox
    with logger.capture():
        erlang.exit(pid, "boom")
    assert erlang.receive(("EXIT", pid, ANY), timeout=100) == ("EXIT", pid, "boom")
    erlang.process_flag("trap_exit", False)


def test_factorial():                                          # 3> ex1:factorial(5).
    assert ex1.factorial(5) == 120
    assert ex1.factorial(0) == 1


def test_factorial_negative_is_function_clause():              # 4> catch ex1:factorial(-1).
    with pytest.raises(ErlangError) as e:
        ex1.factorial(-1)
    assert e.value.reason == "function_clause"


def test_factorial_crash_in_a_process_is_its_exit_reason():
    with logger.capture() as reports:
        pid, ref = erlang.spawn_monitor(ex1.factorial, -1)
        _, _, _, _, reason = erlang.receive(("DOWN", ref, "process", pid, ANY))
    assert reason[0] == "function_clause"
    assert [r["kind"] for r in reports] == ["error_report"]


def test_filter():                                             # 5> ex3:filter(...)
    assert ex3.filter(ex3.is_even, list(range(1, 11))) == [2, 4, 6, 8, 10]


def test_queens():                                             # 6>, 7>
    q = queens.queens(8)
    assert len(q) == 92
    assert q[0] == [4, 2, 7, 3, 6, 8, 5, 1]
    assert len({tuple(s) for s in q}) == 92


def test_hlr():                                                # 8> - 14>
    from examples.ch2 import hlr
    assert hlr.new() == "ok"
    assert hlr.attach(12345) is True
    assert hlr.lookup_id(12345) == ("ok", erlang.self())
    assert hlr.lookup_ms(erlang.self()) == ("ok", 12345)
    assert hlr.lookup_id(99999) == ("error", "invalid")
    assert hlr.detach() is True
    assert hlr.lookup_id(12345) == ("error", "invalid")
    assert hlr.lookup_ms(erlang.self()) == ("error", "invalid")


def test_hlr_keeps_a_dead_process():                           # the book's gap: no cleanup
    from examples.ch2 import hlr
    hlr.new()

    def phone():
        hlr.attach(555)
    pid = erlang.spawn(phone)
    runtime.run_until_idle()
    assert not erlang.is_process_alive(pid)
    assert hlr.lookup_id(555) == ("ok", pid)
