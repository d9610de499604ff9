from otp_lite import erlang, runtime, timer
from otp_lite.erlang import ANY, TIMEOUT


def test_echo_round_trip():
    me = erlang.self()

    def echo():
        frm, x = erlang.receive()
        erlang.send(frm, ("echo", x))

    p = erlang.spawn(echo)
    erlang.send(p, (me, "hi"))
    assert erlang.receive(("echo", ANY)) == ("echo", "hi")


def test_virtual_time_jumps():
    assert erlang.receive(timeout=5000) is TIMEOUT
    assert runtime.now() == 5000
    timer.sleep(1000)
    assert runtime.now() == 6000
