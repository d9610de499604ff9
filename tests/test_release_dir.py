"""release.assemble: a release directory on disk (the layout rebar3 3.19 assembles on OTP 25,
tests/oracle_probes/ch11_rebar3.sh and its output), booted through its start command with init."""
import os

from otp_lite import _erl_text, application, init, release, runtime


def _shop():
    def demo(name, vsn, deps, mod=True):
        keys = [("description", f"the {name}"), ("vsn", vsn), ("applications", ["kernel", "stdlib"] + deps)]
        return release.app(("application", name, keys), {f"{name}_mod": object})
    return release.release("shop", "1.0", [demo("web", "1.4", ["db"]), (demo("db", "2.1", []), "transient")],
                           [("db", [("port", 5432), ("host", "db.local")])])


def test_layout_and_files(tmp_path):
    root = release.assemble(_shop(), str(tmp_path / "shop"))
    files = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)
    assert files == ["bin/shop", "lib/db-2.1/ebin/db.app", "lib/kernel-8.5.3/ebin/kernel.app",
                     "lib/stdlib-4.2/ebin/stdlib.app", "lib/web-1.4/ebin/web.app",
                     "releases/1.0/shop.rel", "releases/1.0/start.script", "releases/1.0/sys.config",
                     "releases/1.0/vm.args", "releases/start_erl.data"]
    rel = os.path.join(root, "releases", "1.0")
    assert _erl_text.consult(os.path.join(rel, "shop.rel")) == [
        ("release", ("shop", "1.0"), ("erts", "13.1.5"),
         [("kernel", "8.5.3"), ("stdlib", "4.2"), ("web", "1.4"), ("db", "2.1", "transient")])]
    assert open(os.path.join(rel, "shop.rel")).read().startswith('{release,\n {"shop","1.0"},')
    assert _erl_text.consult(os.path.join(root, "lib", "db-2.1", "ebin", "db.app")) == [
        ("application", "db", [("description", "the db"), ("vsn", "2.1"), ("modules", ["db_mod"]),
                               ("applications", ["kernel", "stdlib"])])]
    assert open(os.path.join(root, "releases", "start_erl.data")).read() == "13.1.5 1.0\n"
    assert os.access(os.path.join(root, "bin", "shop"), os.X_OK)


def test_boot_through_the_start_command(tmp_path):
    runtime.reset(seed=0)
    rel = _shop()
    root = release.assemble(rel, str(tmp_path / "shop"), vm_args=["-sname shop", "-setcookie s3cret", "+P 5000"])
    cmd = release.start_command(root, "foreground", "-extra", "now")
    assert init.boot(cmd, rel) == "ok"
    assert init.get_argument("sname") == ("ok", [["shop"]])
    assert init.get_argument("mode") == ("ok", [["embedded"]])
    assert init.get_plain_arguments() == ["foreground", "now"]
    assert init.get_argument("progname") == ("ok", [["shop"]])
    assert application.get_env("db", "host") == ("ok", "db.local")     # read from sys.config on disk
    assert [a for a, _d, _v in application.which_applications()][:2] == ["web", "db"]


def test_erlang_text_round_trip(tmp_path):
    t = [("a", [1, 2.5, "x y", True, ("b", [])]), ("quoted", "Élan \"q\"", "if")]
    f = tmp_path / "t.config"
    f.write_text(_erl_text.fmt(t) + ".\n% a comment\n" + '<<"bin">>.\n')
    assert _erl_text.consult(str(f)) == [t, "bin"]
    assert _erl_text.fmt(["if", "ok", _erl_text.Str("ok")]) == '["if",ok,"ok"]'


def test_rebar3_project_layout_is_rebar3s(tmp_path):
    """The files `rebar3 new release bsc_rel` writes (ch11_rebar3.out), minus .gitignore, LICENSE, README.md."""
    from examples.ch11 import rebar3_project
    root = rebar3_project.new_release(str(tmp_path), "bsc_rel", deps=[("freq", "0.1.0")])
    files = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)
    assert files == ["apps/bsc_rel/src/bsc_rel.app.src", "apps/bsc_rel/src/bsc_rel_app.erl",
                     "apps/bsc_rel/src/bsc_rel_sup.erl", "config/sys.config", "config/vm.args", "rebar.config"]
    assert _erl_text.consult(os.path.join(root, "config", "sys.config")) == [[("bsc_rel", [])]]
    terms = _erl_text.consult(os.path.join(root, "apps", "bsc_rel", "src", "bsc_rel.app.src"))
    assert dict(terms[0][2])["applications"] == ["kernel", "stdlib", "freq"]
    text = open(os.path.join(root, "rebar.config")).read()
    assert '{deps, [{freq,"0.1.0"}]}.' in text and '{release, {bsc_rel, "0.1.0"}, [bsc_rel,freq,sasl]}' in text
