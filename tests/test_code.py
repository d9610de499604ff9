"""otp_lite.code: versions, the two-version rule, purge, fully qualified calls (erlang_ref h1 + probes)."""
import pytest

from otp_lite import code, erlang, gen_server, logger, runtime
from otp_lite.erlang import ANY, ErlangError

V1 = '''
vsn = "1.0"
from otp_lite import erlang, code
def f(): return 1
def loop(n):
    msg = erlang.receive()
    if msg == "stop": return None
    if msg == "upgrade": return (code.module("m").loop, n)     # fully qualified
    if type(msg) is tuple and msg[0] == "get": erlang.send(msg[1], ("v1", n))
    return (loop, n + 1)                                       # local call
def start(): return erlang.spawn(code.tail_loop, code.module("m").loop, 0)
'''
V2 = V1.replace('"1.0"', '"2.0"').replace('return 1', 'return 2').replace('("v1", n)', '("v2", n)')


def get(p):
    erlang.send(p, ("get", erlang.self()))
    return erlang.receive((ANY, ANY))


def test_load_file_twice_then_not_purged_even_unused(tmp_path):
    # OTP 25 (oracle_probes/ch12_loaders.erl): load_file with unused old code: {error,not_purged}
    (tmp_path / "m.py").write_text(V1)
    code.add_patha(str(tmp_path))
    with logger.capture() as logs:
        assert code.load_file("m") == ("module", "m")
        assert code.load_file("m") == ("module", "m")
        assert code.load_file("m") == ("error", "not_purged")
    assert len(logs) == 1 and logs[0]["text"][0].endswith("m.py failed: not_purged")
    assert code.soft_purge("m") is True                   # nobody runs the old code
    assert code.purge("m") is False                       # nothing left to purge
    assert code.load_file("m") == ("module", "m")


def test_load_binary_and_load_purge_first_killing_old_code_users():
    # OTP 25: code:load_binary, c:l, c:c with old code in use: {module,cm}; old-code process alive: false
    code.load_binary("m", "m.py", V1)
    p = code.module("m").start()
    assert get(p) == ("v1", 0)                            # p waits in version 1
    code.load_binary("m", "m.py", V2)
    assert code.check_process_code(p, "m") is True
    ref = erlang.monitor("process", p)
    with logger.capture() as logs:
        assert code.load_binary("m", "m.py", V1) == ("module", "m")
    assert logs == []                                     # no not_purged report
    assert erlang.receive(("DOWN", ref, "process", p, ANY))[4] == "killed"
    assert code.module("m").f() == 1
    q = code.module("m").start()
    assert get(q) == ("v1", 0)
    code.load_binary("m", "m.py", V2)
    ref = erlang.monitor("process", q)
    import types
    ns = types.ModuleType("m")
    exec(V1, ns.__dict__)
    assert code.load(ns, "m") == ("module", "m")         # the shell's c(m): purges too
    assert erlang.receive(("DOWN", ref, "process", q, ANY))[4] == "killed"


def test_local_calls_stay_fully_qualified_calls_jump():
    code.load_binary("m", "m.py", V1)
    p = code.module("m").start()
    assert get(p) == ("v1", 0)
    code.load_binary("m", "m.py", V2)
    assert code.module_info("m", "attributes") == [("vsn", ["2.0"])]
    assert code.check_process_code(p, "m") is True
    assert code.soft_purge("m") is False
    assert get(p) == ("v1", 1)                            # local call: still old code
    erlang.send(p, "upgrade")
    assert get(p) == ("v2", 2)
    assert code.check_process_code(p, "m") is False
    assert code.soft_purge("m") is True


def test_purge_kills_processes_in_old_code():
    code.load_binary("m", "m.py", V1)
    p = code.module("m").start()
    q = erlang.spawn(lambda: erlang.receive())            # not in m at all
    runtime.run_until_idle()
    code.load_binary("m", "m.py", V2)
    ref = erlang.monitor("process", p)
    assert code.purge("m") is True
    assert erlang.receive(("DOWN", ref, "process", p, ANY)) == ("DOWN", ref, "process", p, "killed")
    assert erlang.is_process_alive(q)
    assert code.check_old_code("m") is False


def test_not_yet_started_process_counts_as_running_its_fun():
    code.load_binary("m", "m.py", V1)
    v1 = code.current("m").ns
    p = erlang.spawn(code.tail_loop, v1.loop, 0)         # local fun of version 1
    code.load_binary("m", "m.py", V2)
    assert code.check_process_code(p, "m") is True


def test_delete_and_undef():
    code.load_binary("m", "m.py", V1)
    assert code.is_loaded("m") == ("file", "m.py")
    assert code.delete("m") is True
    assert code.is_loaded("m") is False
    with pytest.raises(ErlangError) as e:
        code.module("m").f()
    assert e.value.reason == "undef" and "m:f/0" in str(e.value.detail)
    assert code.check_old_code("m") is True
    assert code.load_binary("m", "m.py", V1) == ("module", "m")   # no current: loading is allowed
    with logger.capture() as logs:
        assert code.delete("m") is False                  # old (deleted) code still there
    assert logs[0]["text"] == ["Module m must be purged before deleting"]
    assert code.delete("nosuch") is False
    assert code.soft_purge("nosuch") is True and code.purge("nosuch") is False


def test_load_file_from_path(tmp_path):
    (tmp_path / "pm.py").write_text("vsn = 'a'\ndef f(): return 'a'\n")
    assert code.load_file("pm") == ("error", "nofile")
    assert code.which("pm") == "non_existing"
    assert code.add_patha(str(tmp_path)) is True
    assert code.which("pm") == str(tmp_path / "pm.py")
    assert code.module("pm").f() == "a"                   # autoload from the path
    assert code.is_loaded("pm") == ("file", str(tmp_path / "pm.py"))
    (tmp_path / "bad.py").write_text("def (:\n")
    assert code.load_file("bad") == ("error", "badfile")
    assert code.load_binary("b2", "b2.py", "def (:") == ("error", "badfile")
    with pytest.raises(ErlangError):
        code.load_file(42)


def test_class_namespace_from_a_cell_upgrades_a_gen_server():
    class counter:
        vsn = 1
        def init(n): return ("ok", n)
        def handle_call(req, frm, n): return ("reply", ("v1", n), n + 1)
        def handle_cast(m, n): return ("noreply", n)

    class counter2:
        vsn = 2
        def init(n): return ("ok", n)
        def handle_call(req, frm, n): return ("reply", ("v2", n), n + 10)
        def handle_cast(m, n): return ("noreply", n)
        def code_change(old, n, extra): return ("ok", n * 100)

    ok, p = gen_server.start(counter, 0, [])
    assert gen_server.call(p, "x") == ("v1", 0)           # first call autoloaded 'counter'
    assert code.is_loaded("counter")[0] == "file"
    assert code.load(counter2, "counter") == ("module", "counter")
    assert code.check_process_code(p, "counter") is False  # waiting in generic code
    assert code.module_info("counter") == [("vsn", [2])]
    from otp_lite import sys as osys
    osys.suspend(p)
    assert osys.change_code(p, "counter", 1, None) == "ok"
    osys.resume(p)
    assert gen_server.call(p, "x") == ("v2", 100)


def test_same_name_other_namespace_runs_itself():
    class cb:
        def init(a): return ("ok", a)
        def handle_call(r, f, s): return ("reply", ("first", s), s)

    class cb2:
        def init(a): return ("ok", a)
        def handle_call(r, f, s): return ("reply", ("second", s), s)
    cb2.__name__ = cb2.__qualname__ = "cb"

    _, p1 = gen_server.start(cb, 1, [])
    _, p2 = gen_server.start(cb2, 2, [])
    assert gen_server.call(p1, 0) == ("first", 1)
    assert gen_server.call(p2, 0) == ("second", 2)


def test_class_version_stack_check():
    class pl:
        def loop():
            erlang.receive()
    code.load(pl)
    p = erlang.spawn(code.module("pl").loop)
    runtime.run_until_idle()

    class pl2:
        def loop():
            erlang.receive()
    code.load(pl2, "pl")
    assert code.check_process_code(p, "pl") is True
    assert code.soft_purge("pl") is False
    assert code.purge("pl") is True
    runtime.run_until_idle()
    assert not erlang.is_process_alive(p)


def test_external_fun_and_call():
    code.load_binary("m", "m.py", V1)
    f = code.module("m").f
    assert repr(f) == "fun m:f"
    assert code.call("m", "f") == 1
    code.load_binary("m", "m.py", V2)
    assert f() == 2                                        # resolved at each call
    assert code.module("m").vsn == "2.0"
    assert ("m", "m.py") in code.all_loaded()


FUNS = '''
def mk(): return lambda: "{v}"
def ext(): return "{v}"
'''


def _holder(fun):
    """A process whose state is ``fun``; its loop is generic code (not m's)."""
    def loop():
        while True:
            msg = erlang.receive()
            erlang.send(msg, ("res", fun()))
    return erlang.spawn(loop)


def test_a_fun_of_old_code_in_a_process_state_is_not_checked_at_purge():
    # OTP 25 (tests/oracle_probes/ch23_funpurge.erl + .out): ERTS >= 9 checks only what a process
    # executes, not funs it holds: check_process_code false, soft_purge true, purge false, the holder
    # lives.  (OTP then raises {badfun, F} when the holder calls the purged fun; otp_lite's closure
    # still runs its old code: README "Where otp_lite is not OTP".)
    code.load_binary("m", "m.py", FUNS.format(v="v1"))
    h = _holder(code.module("m").mk())
    code.load_binary("m", "m.py", FUNS.format(v="v2"))
    erlang.send(h, erlang.self())
    assert erlang.receive(("res", ANY)) == ("res", "v1")      # OTP after_load: v1 (old code still there)
    assert code.check_process_code(h, "m") is False
    assert code.soft_purge("m") is True
    assert erlang.is_process_alive(h)
    h2 = _holder(code.module("m").mk())                       # a fun of v2, about to be old
    code.load_binary("m", "m.py", FUNS.format(v="v3"))
    assert code.purge("m") is False                           # OTP: purge: false (nobody killed)
    runtime.run_until_idle()
    assert erlang.is_process_alive(h2)


def test_default_vsn_reads_a_class_source_once_across_runtimes(monkeypatch):
    """explore makes a fresh runtime per schedule: the MD5 vsn of a callback class must not
    re-parse its file each time (it was 85% of an explored run in a large test file)."""
    import inspect
    from otp_lite import _code_server

    class Once:
        def init(self, a):
            return ("ok", a)

    calls = []
    real = inspect.getsource
    monkeypatch.setattr(inspect, "getsource", lambda o: calls.append(o) or real(o))
    first = _code_server.vsn_of(Once)
    for _ in range(5):
        assert _code_server.vsn_of(Once) == first
    assert calls == [Once]


def test_default_vsn_of_a_module_is_not_cached(tmp_path, monkeypatch):
    """A module reloads in place (importlib.reload keeps the object): its vsn follows the file."""
    import importlib
    import sys
    from otp_lite import _code_server

    (tmp_path / "vsn_mod_probe.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    mod = importlib.import_module("vsn_mod_probe")
    v1 = _code_server.vsn_of(mod)
    (tmp_path / "vsn_mod_probe.py").write_text("X = 2  # changed\n")
    importlib.invalidate_caches()
    import linecache
    linecache.checkcache()
    importlib.reload(mod)
    try:
        assert _code_server.vsn_of(mod) != v1
    finally:
        sys.modules.pop("vsn_mod_probe", None)
