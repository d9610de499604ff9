import pytest

from otp_lite.grade.labkit import require, expect

mod = require("mod", "ok", "spin", "spin_in_process", "hang", "crash", "exit_", "block", "after")


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_ok():
    """a plain function"""
    expect("mod.ok()", mod.ok(), "ok")


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_spin():
    expect("mod.spin()", mod.spin(), 1)


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_spin_in_process():
    expect("mod.spin_in_process()", mod.spin_in_process(), 2)


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_hang():
    expect("mod.hang()", mod.hang(), 3)


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_crash():
    expect("mod.crash()", mod.crash(), 4)


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_exit():
    expect("mod.exit_()", mod.exit_(), 5)


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_block():
    expect("mod.block()", mod.block(), 6)


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_after():
    """a check after the trouble still runs"""
    expect("mod.after()", mod.after(), "after")
