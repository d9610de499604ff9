"""ch12 plain hot patch coffee 1.0 -> 1.1 against erlang_ref h1 (old/current code, soft_purge, purge)."""
import os

import pytest

from otp_lite import code, erlang, logger, runtime
from otp_lite.erlang import ANY

import examples.ch12.erlang as _dir

HERE = os.path.dirname(_dir.__file__)
PATCH = os.path.join(HERE, "patches", "coffee")


def out(capsys):
    runtime.run_until_idle()
    return capsys.readouterr().out.splitlines()


@pytest.fixture
def coffee(capsys):
    code.add_patha(HERE)
    c = code.module("coffee")
    ok, p = c.start_link()
    erlang.unlink(p)
    assert out(capsys) == ["Machine:Rebooted Hardware", "Display:Make Your Selection"]
    return c, p


def test_h1_transcript(coffee, capsys):
    c, p = coffee
    assert code.module_info("coffee", "attributes") == [("vsn", [1.0])]
    assert c.tea() == ("selection", "tea", 100)
    assert c.pay(50) == ("pay", 50)
    assert out(capsys) == ["Display:Please pay:100", "Display:Please pay:50"]
    assert code.load_abs(PATCH) == ("module", "coffee")
    assert code.module_info("coffee", "attributes") == [("vsn", [1.1])]
    assert code.check_process_code(p, "coffee") is True
    assert code.soft_purge("coffee") is False
    c.pay(20)                                            # local calls: still 1.0
    assert out(capsys) == ["Display:Please pay:30"]
    erlang.send("coffee", ("upgrade", []))
    assert out(capsys) == ["Machine:Returned 70 in change", "Display:Make Your Selection"]
    assert code.check_process_code(p, "coffee") is False
    assert code.soft_purge("coffee") is True
    assert c.open() == "open"
    assert out(capsys) == ["Display:Open"]
    c.pay(10)
    assert out(capsys) == ["Machine:Returned 10 in change"]
    assert c.close() == "close"
    assert out(capsys) == ["Machine:Rebooted Hardware", "Display:Make Your Selection"]
    c.tea()                                              # the book's bug: still in service
    assert out(capsys) == []
    assert erlang.is_process_alive(p)
    assert code.load_file("coffee") == ("module", "coffee")   # 1.0 from the path again
    assert code.check_process_code(p, "coffee") is True
    with logger.capture() as reps:
        assert code.load_file("coffee") == ("error", "not_purged")
    assert reps[0]["text"] == [f"Loading of {os.path.join(HERE, 'coffee.py')} failed: not_purged"]
    ref = erlang.monitor("process", p)
    assert code.purge("coffee") is True
    assert erlang.receive(("DOWN", ref, "process", p, ANY), timeout=500)[4] == "killed"


@pytest.mark.parametrize("state", ["selection", "remove"])
def test_upgrade_in_selection_or_remove_keeps_running_1_0(coffee, capsys, state):
    """1.1's code_change calls back the 1.0 function it was given (h1's code, read)."""
    c, p = coffee
    if state == "remove":
        c.tea(); c.pay(100)
    out(capsys)
    code.load_abs(PATCH)
    erlang.send("coffee", ("upgrade", []))
    assert out(capsys) == []
    assert code.check_process_code(p, "coffee") is True   # back in a 1.0 state function
    c.open()
    assert out(capsys) == []                            # 1.0 does not know 'open'
    if state == "remove":
        c.cup_removed()
        assert out(capsys) == ["Display:Make Your Selection"]
    erlang.send("coffee", ("upgrade", []))             # same again: 1.1 hands back 1.0's selection
    assert code.check_process_code(p, "coffee") is True
    assert code.soft_purge("coffee") is False
    c.tea()                                              # only an upgrade in payment leaves 1.0
    erlang.send("coffee", ("upgrade", []))
    assert out(capsys) == ["Display:Please pay:100", "Machine:Returned 0 in change",
                           "Display:Make Your Selection"]
    assert code.check_process_code(p, "coffee") is False
    c.open()
    assert out(capsys) == ["Display:Open"]
