"""otp_lite.init (book ch. 11): the command line as OTP 25's erlexec and init split it
(tests/oracle_probes/ch11_init_args.erl), and stop/restart/reboot on the applications
(tests/oracle_probes/ch11_init_stop.erl)."""
import pytest

from otp_lite import application, erlang, init, release, runtime
from otp_lite.erlang import ErlangError

PROBE = ("erl -noshell -sname args -setcookie secret -env GREETING hello -pa /tmp +P 5000 "
         "-mykey a b -mykey c -eval 'ch11_init_args:main(), init:stop().' -extra x -y +z")


def test_the_probes_command_line():
    runtime.reset(seed=0)
    assert init.boot(PROBE) == "ok"
    assert init.get_argument("mykey") == ("ok", [["a", "b"], ["c"]])
    assert init.get_argument("noshell") == ("ok", [[]])
    assert init.get_argument("sname") == ("ok", [["args"]])
    assert init.get_argument("pa") == ("ok", [["/tmp"]])
    for key in ("env", "nokey", "extra", "eval"):          # emulator flags and init's commands
        assert init.get_argument(key) == "error"
    assert init.get_argument("progname") == ("ok", [["erl"]])
    assert init.get_plain_arguments() == ["x", "-y", "+z"]
    assert [k for k, _ in init.get_arguments()] == ["root", "bindir", "progname", "home", "noshell",
                                                     "sname", "setcookie", "pa", "mykey", "mykey"]
    assert init.get_arguments()[4:] == [("noshell", []), ("sname", ["args"]), ("setcookie", ["secret"]),
                                        ("pa", ["/tmp"]), ("mykey", ["a", "b"]), ("mykey", ["c"])]
    assert init.get_status() == ("started", "started")


def test_double_dash_words_before_flags_and_emulator_flags():
    p = init.parse("erl -noshell foo -k v w -- bar baz -k2 -k v3 +K true -extra q")
    assert p["plain"] == ["bar", "baz", "q"]
    assert p["arguments"][4:] == [("noshell", ["foo"]), ("k", ["v", "w"]), ("k2", []), ("k", ["v3"])]
    assert p["emulator"] == [("+K", ["true"])]
    assert init.parse("erl foo bar -noshell")["plain"] == ["foo", "bar"]


def test_args_file_words_are_spliced_in(tmp_path):
    f = tmp_path / "vm.args"
    f.write_text("## name of the node\n-sname bsc\n\n-setcookie bsc_cookie\n+K true\n")
    p = init.parse(["erl", "-args_file", str(f), "-mode", "embedded"])
    assert p["arguments"][4:] == [("sname", ["bsc"]), ("setcookie", ["bsc_cookie"]), ("mode", ["embedded"])]
    assert p["emulator"] == [("+K", ["true"])]


class _demo:
    def start(typ, args):
        print("start", args[0])
        return ("ok", erlang.spawn_link(erlang.receive), args[0])

    def prep_stop(s):
        print("prep_stop", s, init.get_status())
        return s

    def stop(s):
        print("stop", s)
        return "ok"


def _rel():
    def demo(name, deps):
        return release.app(("application", name, [("vsn", "1.0"), ("applications", ["kernel", "stdlib"] + deps),
                                                  ("mod", (_demo, [name]))]), {})
    return release.release("shop", "1.0", [demo("web", ["db"]), demo("db", [])])


def _lines(capsys):
    runtime.run_until_idle()
    return capsys.readouterr().out.splitlines()


STOPS = ["prep_stop web ('stopping', 'started')", "stop web", "prep_stop db ('stopping', 'started')", "stop db"]


def test_stop_restart_reboot_as_otp(capsys):
    runtime.reset(seed=0)
    assert init.boot("erl -boot start", _rel()) == "ok"
    assert _lines(capsys) == ["start db", "start web"]
    assert init.restart() == "ok"                    # at once; the node works when it runs
    assert _lines(capsys) == STOPS + ["start db", "start web"]
    assert init.get_status() == ("started", "started")
    assert [a for a, _d, _v in application.which_applications()] == ["web", "db", "stdlib", "kernel"]
    assert init.stop() == "ok"
    assert _lines(capsys) == STOPS
    assert application.node_status() == ("stopped", "stop")
    runtime.reset(seed=0)
    init.boot("erl", _rel())
    _lines(capsys)
    assert init.reboot() == "ok"
    assert _lines(capsys) == STOPS
    assert application.node_status() == ("stopped", "reboot")


def test_stop_status_must_be_an_integer_or_a_string():
    runtime.reset(seed=0)
    with pytest.raises(ErlangError) as e:
        init.stop("foo".encode())
    assert e.value.reason == "badarg"


def test_config_flag_applies_after_the_release(tmp_path):
    runtime.reset(seed=0)
    (tmp_path / "sys.config").write_text("[('db', [('port', 5432)])]")
    assert init.boot(f"erl -config {tmp_path}/sys", _rel()) == "ok"
    assert application.get_env("db", "port") == ("ok", 5432)
