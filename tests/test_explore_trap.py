"""explore: ``process_flag('trap_exit', ...)`` is a choice point (issue 26).

Whether a linked process's exit signal arrives before or after the flag
changes decides whether it becomes an ``{'EXIT', Pid, Reason}`` message or
(``normal``) nothing at all (or kills the process): another process's step can
land on either side of it.  Setting the flag to the value it already has
changes nothing another process can see, so it is no point.  OTP 25: the
child's 'EXIT' lands between the two flag changes (tests/oracle_probes/ch26_after_timeout.escript).
"""
from otp_lite import erlang, explore
from otp_lite.erlang import ANY, TIMEOUT


def trap_exit_timing():
    def body():
        erlang.process_flag("trap_exit", True)
        pid = erlang.spawn_link(lambda: None)
        erlang.process_flag("trap_exit", False)
        m = erlang.receive(("EXIT", pid, "normal"), timeout=0)
        erlang.exit("normal" if m is TIMEOUT else ("got", m))

    pid, ref = erlang.spawn_monitor(body)
    reason = erlang.receive(("DOWN", ref, "process", pid, ANY))[4]
    assert reason == "normal", f"got {reason!r}"


def test_the_exit_signal_may_land_before_trapping_stops():
    for por in (True, False):
        r = explore.run(trap_exit_timing, strategy="dfs", delays=2, runs=30, por=por)
        assert r.found and "EXIT" in str(r.reason), str(r)
        assert any(c["op"] == "process_flag" and c["preemption"] for c in r.choices), r.choices
        again = explore.replay(trap_exit_timing, r.schedule)
        assert again.found and str(again.error) == str(r.error)


def test_setting_the_flag_it_already_has_is_no_choice_point():
    def same():
        erlang.spawn(lambda: None)
        erlang.process_flag("trap_exit", False)
        erlang.process_flag("trap_exit", False)
    r = explore.replay(same, "")
    assert not [c for c in r.choices if c["op"] == "process_flag"]
