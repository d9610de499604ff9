"""erlang.system_info: the items that mean something in otp_lite, against OTP 25
(tests/oracle_probes/ch1_system_info.erl, run with the default and with ``erl +S 1``)."""
import os

import pytest

from otp_lite import runtime, erlang
from otp_lite.erlang import ErlangError, ANY


@pytest.fixture(autouse=True)
def rt():
    return runtime.reset(seed=0)


def test_one_scheduler_as_erl_plus_S_1():
    # erl +S 1: schedulers 1, schedulers_online 1
    assert erlang.system_info("schedulers") == 1
    assert erlang.system_info("schedulers_online") == 1


def test_otp_release_is_a_string():
    assert erlang.system_info("otp_release") == "25"


def test_logical_processors_are_the_machines():
    assert erlang.system_info("logical_processors") == (os.cpu_count() or "unknown")
    avail = erlang.system_info("logical_processors_available")
    assert avail == "unknown" or 1 <= avail <= (os.cpu_count() or avail)


def test_process_count_follows_spawn_and_exit():
    n0 = erlang.system_info("process_count")
    pids = [erlang.spawn(lambda: erlang.receive("stop")) for _ in range(3)]
    assert erlang.system_info("process_count") - n0 == 3
    for p in pids:
        erlang.send(p, "stop")
    runtime.run_until_idle()
    assert erlang.system_info("process_count") - n0 == 0


def test_unknown_item_is_badarg():
    with pytest.raises(ErlangError) as e:
        erlang.system_info("no_such_key")
    assert e.value.reason == "badarg"


def test_process_count_is_per_node():
    from otp_lite import dist
    dist.start("shell@host0")
    dist.start_node("bsc@host1")
    n0 = erlang.system_info("process_count")
    erlang.spawn("bsc@host1", erlang.receive)      # on the other node: not counted here
    assert erlang.system_info("process_count") == n0
    erlang.spawn(erlang.receive)
    assert erlang.system_info("process_count") == n0 + 1
