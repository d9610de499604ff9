"""Upgrading a special process (ch. 12): the ch10 mutex 1.0 -> 1.1 with sys suspend, change_code, resume."""
from otp_lite import code, runtime
from otp_lite import sys as osys
from examples.ch10 import mutex
from examples.ch12 import mutex_1_1


def test_mutex_up_and_down_keeps_the_holder_and_leaves_the_old_code():
    runtime.reset(seed=0)
    assert code.load(mutex, "mutex") == ("module", "mutex")
    ok, m = mutex.start_link("door")
    assert mutex.wait("door") == "ok"
    holder = osys.get_state("door")[2]
    assert osys.get_state("door") == ("busy", "door", holder)
    assert osys.suspend("door") == "ok"
    assert code.load(mutex_1_1, "mutex") == ("module", "mutex")
    assert osys.change_code("door", "mutex", "1.0", 5) == "ok"          # the new system_code_change ran
    assert osys.resume("door") == "ok"
    assert osys.get_state("door") == ("busy", "door", holder, 5)
    assert code.check_process_code(m, "mutex") is False                 # left 1.0 at system_continue
    assert code.soft_purge("mutex") is True
    assert mutex.signal("door") == "ok" and mutex.wait("door") == "ok"
    assert osys.get_state("door") == ("busy", "door", holder, 6)          # 1.1 counts
    mutex.signal("door")
    assert osys.suspend("door") == "ok"
    assert osys.change_code("door", "mutex", ("down", "1.0"), []) == "ok"   # down: in the new code, first
    assert code.load(mutex, "mutex") == ("module", "mutex")
    assert osys.resume("door") == "ok"
    assert osys.get_state("door") == ("free", "door")
    assert code.check_process_code(m, "mutex") is False


def test_change_code_calls_the_current_modules_system_code_change():
    runtime.reset(seed=0)
    code.load(mutex, "mutex")
    ok, m = mutex.start_link("door2")
    osys.suspend("door2")
    assert osys.change_code("door2", "mutex", "1.0", []) == "ok"        # 1.0's: state unchanged
    assert osys.get_state("door2") == ("free", "door2")
    code.load(mutex_1_1, "mutex")
    assert osys.change_code("door2", "mutex", "1.0", []) == "ok"        # Mod:system_code_change -> 1.1's
    osys.resume("door2")
    assert osys.get_state("door2") == ("free", "door2", 0)
