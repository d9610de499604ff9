"""spawn_opt, priorities and per-process GC settings against OTP 25 (book ch. 5).

Oracle: tests/oracle_probes/spawnopt.erl and spawnopt.out (erl +S 1):
    spawn_opt with monitor: true
    priority: [normal,low]
    garbage_collection of P2: [{min_heap_size,1598},{fullsweep_after,10},{minor_gcs,0}]
    garbage_collect(P): true
    spawn_opt bad option: {'EXIT',{badarg, ... cause => badopt ...}}
    process_flag(priority, high) returns the old: normal
otp_lite keeps and reports the options; its scheduler runs every priority alike
(simulated, and said so in the docstring and notebook 05).
"""
import pytest

from otp_lite import erlang, runtime
from otp_lite.erlang import ErlangError


def idle():
    erlang.receive("stop")


def test_spawn_opt_returns_a_pid_or_a_pid_and_a_monitor_ref(rt):
    p = erlang.spawn_opt(idle, [])
    q, ref = erlang.spawn_opt(idle, ["monitor"])
    assert type(p) is erlang.Pid and type(q) is erlang.Pid and type(ref) is erlang.Ref
    erlang.exit(q, "kill")
    assert erlang.receive(("DOWN", ref, "process", q, erlang.ANY))[4] == "killed"
    r = erlang.spawn_opt(idle, ["link"])
    assert r in erlang.process_info(erlang.self(), "links")[1]
    erlang.unlink(r)


def test_priority_and_gc_settings_are_reported_as_otp(rt):
    p1 = erlang.spawn(idle)
    p2 = erlang.spawn_opt(idle, [("min_heap_size", 1000), ("fullsweep_after", 10), ("priority", "low")])
    assert [erlang.process_info(p, "priority")[1] for p in (p1, p2)] == ["normal", "low"]
    gc = dict(erlang.process_info(p2, "garbage_collection")[1])
    assert (gc["min_heap_size"], gc["fullsweep_after"], gc["minor_gcs"]) == (1598, 10, 0)
    gc1 = dict(erlang.process_info(p1, "garbage_collection")[1])
    assert (gc1["min_heap_size"], gc1["fullsweep_after"], gc1["min_bin_vheap_size"]) == (233, 65535, 46422)
    assert erlang.garbage_collect(p2) is True and erlang.garbage_collect() is True


def test_bad_options_are_badarg(rt):
    for bad in ([("priority", "urgent")], [("min_heap_size", -1)], ["hibernate"], ("link",)):
        with pytest.raises(ErlangError) as e:
            erlang.spawn_opt(idle, bad)
        assert e.value.reason == "badarg"


def test_process_flag_priority_returns_the_old_one(rt):
    assert erlang.process_flag("priority", "high") == "normal"
    assert erlang.process_info(erlang.self(), "priority") == ("priority", "high")
    assert erlang.process_flag("priority", "normal") == "high"
    with pytest.raises(ErlangError):
        erlang.process_flag("priority", "urgent")


def test_a_dead_pid_is_not_collected(rt):
    p = erlang.spawn(lambda: None)
    runtime.run_until_idle()
    assert erlang.garbage_collect(p) is False
