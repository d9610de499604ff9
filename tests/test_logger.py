"""logger: report layout, levels, handlers, capture, and the trace bus."""
import pytest

from otp_lite import erlang, gen_server, logger, proc_lib, runtime, timer
from otp_lite.erlang import ErlangError


@pytest.fixture(autouse=True)
def restore_level():
    lvl = logger.get_level()
    yield
    logger.set_level(lvl)


def test_default_handler_layout(capsys):
    timer.sleep(1500)
    logger.error(["line one", "line two"])
    assert capsys.readouterr().out == "=ERROR REPORT==== 1.500 s ===\nline one\nline two\n\n"
    logger.warning("a\nb")
    assert capsys.readouterr().out == "=WARNING REPORT==== 1.500 s ===\na\nb\n\n"


@pytest.mark.parametrize("kind,head", [("crash_report", "CRASH REPORT"),
                                       ("supervisor_report", "SUPERVISOR REPORT"),
                                       ("error_report", "ERROR REPORT")])
def test_report_kinds_heading(kind, head):
    with logger.capture() as reports:
        logger.error(["x"], kind=kind)
    assert logger.format_report(reports[0]) == f"={head}==== 0.000 s ===\nx\n\n"


def test_progress_is_info_and_hidden_by_default(capsys):
    logger.info(["started"], kind="progress")
    assert capsys.readouterr().out == ""                       # primary level 'notice', as OTP
    logger.set_level("info")
    logger.info(["started"], kind="progress")
    assert capsys.readouterr().out.startswith("=PROGRESS REPORT==== ")


def test_levels():
    with logger.capture() as reports:
        logger.debug("d")
        logger.notice("n")
        logger.set_level("error")
        logger.warning("w")
        logger.error("e")
        logger.set_level("none")
        logger.error("dropped")
        logger.set_level("all")
        logger.debug("d2")
    assert [r["text"] for r in reports] == [["n"], ["e"], ["d2"]]
    # OTP 25 (tests/oracle_probes/ch23_bad_input_bifs.out): set_primary_config(level, a) ->
    # {error,{invalid_level,a}}; logger:log(a, "x") -> error:function_clause
    assert logger.set_level("loud") == ("error", ("invalid_level", "loud"))
    with pytest.raises(ErlangError) as e:
        logger.log("loud", "x")
    assert e.value.reason == "function_clause"


def test_handler_api():
    got = []
    assert logger.add_handler("mine", got.append) == "ok"
    assert logger.add_handler("mine", got.append) == ("error", ("already_exist", "mine"))
    assert "mine" in logger.get_handler_ids()
    assert logger.add_handler("errors_only", lambda r: got.append(("E", r["level"])), {"level": "error"}) == "ok"
    with logger.capture(silence=True):
        logger.warning("w")
        logger.error("e")
    assert [g if type(g) is tuple else g["level"] for g in got] == ["warning", "error", ("E", "error")]
    assert logger.set_handler_level("errors_only", "none") == "ok"
    with logger.capture():
        logger.error("e2")
    assert got[-1]["text"] == ["e2"]
    assert logger.remove_handler("mine") == "ok"
    assert logger.remove_handler("errors_only") == "ok"
    assert logger.remove_handler("mine") == ("error", ("not_found", "mine"))
    # OTP 25: add_handler(h, notamodule, #{}) -> {error,{invalid_handler,{function_not_exported,_}}}
    assert logger.add_handler("bad", "not callable")[1][0] == "invalid_handler"


def test_reports_go_on_the_trace_bus():
    with runtime.Recorder() as rec, logger.capture():
        logger.error(["boom"], kind="error_report")
        logger.debug("below level, still recorded")
    evs = rec.of_kind("log")
    assert [(e["level"], e["report_kind"], e["text"]) for e in evs] == [
        ("error", "error_report", ["boom"]), ("debug", "report", ["below level, still recorded"])]


def test_fmt_indents_continuation_lines():
    term = {"available": list(range(10, 40)), "allocated": [(i, "pid") for i in range(8)]}
    out = logger.fmt(term, 24)
    lines = out.split("\n")
    assert len(lines) > 1
    assert all(l.startswith(" " * 24) for l in lines[1:])
    assert all(len(l) <= 80 for l in lines[1:]) and len(lines[0]) <= 80 - 24
    assert logger.fmt(("ok", 1)) == "('ok', 1)"


def test_multiline_text_lines_are_split():
    with logger.capture() as reports:
        logger.error(["head", "a\nb"])
    assert reports[0]["text"] == ["head", "a", "b"]


def test_gen_server_crash_report_deterministic_layout(capsys):
    class c:
        def init(a):
            return ("ok", {"k": list(range(30))})

        def handle_call(req, frm, s):
            raise KeyError(req)
    ok, p = gen_server.start(("local", "srv"), c, [], [])
    timer.sleep(2000)
    try:
        gen_server.call("srv", "x")
    except erlang.Exit:
        pass
    out = capsys.readouterr().out
    assert out.startswith("=ERROR REPORT==== 2.000 s ===\n** Generic server srv terminating \n")
    assert "\n=CRASH REPORT==== 2.000 s ===\n  crasher:\n    initial call: c:init/1\n" in out
    assert "    exception error: KeyError('x')\n      in function  test_logger:handle_call (test_logger.py, line" in out
    assert "0x" not in out                                       # no addresses
    for line in out.splitlines():
        assert len(line) <= 80, line


def test_primary_config_as_otp():
    # OTP 25: #{filter_default => log,filters => [],level => notice,metadata => #{}};
    # set_primary_config(level, bogus) -> {error,{invalid_level,bogus}};
    # set_primary_config(foo, 1) -> {error,{invalid_primary_config,{foo,1}}}
    assert logger.get_primary_config() == {"filter_default": "log", "filters": [], "level": "notice", "metadata": {}}
    assert logger.set_primary_config("level", "bogus") == ("error", ("invalid_level", "bogus"))
    assert logger.set_primary_config("foo", 1) == ("error", ("invalid_primary_config", ("foo", 1)))
    assert logger.set_primary_config("level", "info") == "ok"
    assert logger.get_primary_config()["level"] == "info" == logger.get_level()
