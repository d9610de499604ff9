"""tools/erl_node.py: a real erl node on 127.0.0.1 that tests can start, drive and always stop.

Skipped with the reason (and how to install Erlang) when ``erl`` is missing.  No
timed assertions: waits are bounded, and what is checked is what erl answered.
"""
import os
import subprocess
import sys
import textwrap

import psutil
import pytest

from tools import erl_node as en
from tools.erl_node import ErlEvalError, ErlEvalTimeout, ErlNode, ErlNodeError


def _gone(pids, timeout=10.0):
    """Wait (bounded) until none of ``pids`` is a live process; return the ones still alive."""
    procs = [p for p in (_proc(pid) for pid in pids) if p is not None]
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    return [p.pid for p in alive if p.status() != psutil.STATUS_ZOMBIE]


def _proc(pid):
    try:
        return psutil.Process(pid)
    except psutil.NoSuchProcess:
        return None


def _tree(pid):
    p = psutil.Process(pid)
    return [pid] + [c.pid for c in p.children(recursive=True)]


# ---- availability (no erl needed) -------------------------------------------------------

def test_missing_erl_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))              # nothing on PATH
    ok = en.erl_available.__wrapped__()
    assert not ok
    assert "erl and epmd not found on PATH" in ok.reason
    assert "apt-get install erlang-nox" in ok.reason


def test_node_name_with_host_is_refused():
    with pytest.raises(ValueError, match="part before '@'"):
        ErlNode("peer@10.0.0.1", start=False)


# ---- one node ---------------------------------------------------------------------------

def test_eval_returns_text_as_erl_prints_it(erl_node):
    assert erl_node.eval("1 + 2.") == "3"
    assert erl_node.eval("node()") == f"'{erl_node.node}'"
    assert erl_node.eval("nodes()") == "[]"                # the control channel is not distribution
    # as a default erl prints (+pc latin1): a unicode atom as such, a CJK string as its code points
    assert erl_node.eval("{ok, <<\"é\"/utf8>>, 'ünï', '日本', \"日本\"}") == \
        "{ok,<<\"é\"/utf8>>,ünï,'日本',[26085,26412]}"
    assert erl_node.eval("lists:seq(1, 40)").count("\n") == 0    # ~0tp: one line, however long


def test_eval_etf_is_term_to_binary(erl_node):
    assert erl_node.eval_etf("{ok, 1}") == bytes.fromhex("8368026400026f6b6101")


def test_bindings_persist_until_forget(erl_node):
    erl_node.eval("Xb = 41.")
    assert erl_node.eval("Xb + 1") == "42"
    erl_node.forget()
    with pytest.raises(ErlEvalError) as e:
        erl_node.eval("Xb")
    assert e.value.cls == "error" and e.value.reason == "{unbound_var,'Xb'}"   # erl_eval's error


def test_raise_and_syntax_error_keep_the_node(erl_node):
    with pytest.raises(ErlEvalError) as e:
        erl_node.eval("1 / 0")
    assert (e.value.cls, e.value.reason, e.value.died) == ("error", "badarith", False)
    with pytest.raises(ErlEvalError) as e:
        erl_node.eval("throw(oops)")
    assert (e.value.cls, e.value.reason) == ("throw", "oops")
    with pytest.raises(ErlEvalError) as e:
        erl_node.eval("foo(")
    assert e.value.reason.startswith("{syntax,")
    assert erl_node.eval("ok") == "ok"


def test_mailbox_persists_between_evals(erl_node):
    erl_node.eval("self() ! hello.")
    assert erl_node.eval("receive M -> M after 1000 -> none end") == "hello"
    erl_node.forget()


def test_timeout_kills_the_evaluation_not_the_node(erl_node):
    with pytest.raises(ErlEvalTimeout, match="did not return within 0.5 s"):
        erl_node.eval("receive never -> ok end", timeout=0.5)
    assert erl_node.eval("ok") == "ok"


def test_linked_crash_kills_the_evaluator_and_says_so(erl_node):
    erl_node.eval("Keep = kept.")
    with pytest.raises(ErlEvalError) as e:
        erl_node.eval("spawn_link(fun() -> exit(boom) end), receive never -> ok end")
    assert e.value.died and e.value.reason == "boom"
    assert erl_node.eval("Keep") == "kept"                  # bindings live in the controller
    erl_node.forget()


def test_io_output_goes_to_output_not_to_results(erl_node):
    assert erl_node.eval('io:format("~p~n", [x]), ok') == "ok"
    assert erl_node.eval('io:format("half a line"), ok') == "ok"   # the reply marker follows on its line
    assert list(erl_node.output)[-2:] == ["x", "half a line"]


def test_registered_with_epmd_on_loopback_only(erl_node):
    names = en.epmd_names()
    assert erl_node.name in names
    port = names[erl_node.name]
    listening = [c.laddr for c in psutil.Process(erl_node.pid).net_connections("tcp")
                 if c.status == psutil.CONN_LISTEN]
    assert (("127.0.0.1", port)) in [tuple(a) for a in listening]
    assert all(a.ip == "127.0.0.1" for a in listening), listening


# ---- two nodes --------------------------------------------------------------------------

def test_two_nodes_ping_with_the_same_cookie_only(make_erl_node):
    a = make_erl_node("a")
    b = make_erl_node("b", cookie=a.cookie)
    c = make_erl_node("c")                                  # another random cookie
    assert a.eval(f"net_adm:ping('{b.node}')") == "pong"
    assert b.eval("nodes()") == f"['{a.node}']"
    assert a.eval(f"net_adm:ping('{c.node}')") == "pang"


def test_kill_is_a_crash_the_other_node_sees_as_nodedown(make_erl_node):
    a = make_erl_node("a")
    b = make_erl_node("b", cookie=a.cookie)
    assert a.eval(f"net_adm:ping('{b.node}'), monitor_node('{b.node}', true)") == "true"
    b.kill()
    assert not b.is_alive()
    assert a.eval("receive {nodedown, N} -> {nodedown, N} after 10000 -> none end") == \
        f"{{nodedown,'{b.node}'}}"
    with pytest.raises(ErlNodeError, match="not running"):
        b.eval("ok")


# ---- never an orphan --------------------------------------------------------------------

def test_stop_leaves_no_process(erl):
    node = ErlNode(en.unique_name("orphan"))
    tree = _tree(node.pid)
    assert len(tree) >= 2                                   # beam.smp and its erl_child_setup
    node.stop()
    assert _gone(tree) == []
    assert node.name not in (en.epmd_names() or {})


def test_a_dead_python_parent_leaves_no_beam(erl, tmp_path):
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {os.getcwd()!r})
        from tools.erl_node import ErlNode, unique_name
        n = ErlNode(unique_name("parentless"))
        print(n.pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)               # no atexit, no stop(): only the pipe closes
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    pid = int(out.stdout.split()[0])
    left = _gone([pid], timeout=20)
    for p in left:                                          # fail, but leave nothing behind
        os.killpg(p, 9)
    assert left == [], f"beam {pid} outlived its Python parent"


def test_a_name_in_use_fails_clearly_and_leaves_nothing(erl_node):
    before = {p.pid for p in psutil.process_iter(["name"]) if p.info["name"] == "beam.smp"}
    twin = ErlNode(erl_node.name, start=False)
    with pytest.raises(ErlNodeError, match="exited; its output") as e:
        twin.start()
    assert "already" in str(e.value) or "in use" in str(e.value)
    after = {p.pid for p in psutil.process_iter(["name"]) if p.info["name"] == "beam.smp"}
    assert _gone(after - before) == []


def test_submit_lets_the_caller_work_meanwhile(make_erl_node):
    """What an otp_lite test does: start an eval on erl, keep its own node running, then collect."""
    a = make_erl_node("a")
    b = make_erl_node("b", cookie=a.cookie)
    a.eval("register(waiter, self()).")                      # the evaluator is one long-lived process
    p = a.submit("receive go -> went after 5000 -> timeout end")
    assert not p.done()
    with pytest.raises(ErlNodeError, match="one request at a time"):
        a.submit("ok")
    b.eval(f"{{waiter, '{a.node}'}} ! go")                  # meanwhile, the caller acts
    assert p.result(10) == "went"
    assert a.eval("ok") == "ok"


# ---- hostile input and odd ends ---------------------------------------------------------

def test_multiline_expression_and_quotes(erl_node):
    expr = 'X1 = "a\\nb",\n  Y1 = \'q"uote\',\n  {X1, Y1}.'
    assert erl_node.eval(expr) == "{\"a\\nb\",'q\"uote'}"
    erl_node.forget()


def test_output_that_imitates_the_protocol_is_just_output(erl_node):
    assert erl_node.eval('io:format("x@@otplab@@ 999 ok 41 41~n"), real') == "real"


def test_halt_during_eval_says_the_node_closed(make_erl_node):
    node = make_erl_node("halting")
    tree = _tree(node.pid)
    with pytest.raises(ErlNodeError, match="closed while evaluating"):
        node.eval("halt(3)")
    assert not node.is_alive()
    node.stop()
    assert node.proc.returncode == 3 and _gone(tree) == []


def test_extra_args_reach_erl(make_erl_node):
    node = make_erl_node("ticky", extra_args=["-kernel", "net_ticktime", "4", "-hidden"])
    assert node.eval("net_kernel:get_net_ticktime()") == "4"


def test_bad_extra_args_fail_fast_and_leave_nothing(erl):
    before = {p.pid for p in psutil.process_iter(["name"]) if p.info["name"] == "beam.smp"}
    node = ErlNode(en.unique_name("badargs"), extra_args=["-proto_dist", "nosuch"], start=False)
    try:
        with pytest.raises(ErlNodeError, match="exited; its output") as e:
            node.start()
        assert "Protocol 'nosuch': not supported" in str(e.value)     # erl's own words
    finally:
        node.stop()
    after = {p.pid for p in psutil.process_iter(["name"]) if p.info["name"] == "beam.smp"}
    assert _gone(after - before) == []


def test_a_wrong_cookie_is_logged_by_the_node_that_refuses(make_erl_node):
    a = make_erl_node("a")
    c = make_erl_node("c")                                  # another cookie
    assert a.eval(f"net_adm:ping('{c.node}')") == "pang"
    line = c.wait_output("Connection attempt from node .* rejected")
    assert a.node in line
    with pytest.raises(ErlNodeError, match="printed nothing matching"):
        c.wait_output("never printed", timeout=0.2)


def test_normal_interpreter_exit_stops_the_node(erl):
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {os.getcwd()!r})
        from tools.erl_node import ErlNode, unique_name
        n = ErlNode(unique_name("atexit"))
        print(n.pid, flush=True)                           # no stop(): atexit does it
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    pid = int(out.stdout.split()[0])
    assert _gone([pid], timeout=20) == []


def test_load_module_then_rpc_it_from_another_node(make_erl_node):
    a = make_erl_node("a")
    b = make_erl_node("b", cookie=a.cookie)
    src = "-module(lab_math).\n-export([add/2]).\nadd(X, Y) -> X + Y.\n"
    assert b.load_module(src) == "lab_math"
    assert a.eval(f"rpc:call('{b.node}', lab_math, add, [1, 2])") == "3"
    with pytest.raises(ErlEvalError) as e:
        b.load_module("-module(broken).\nf() -> .\n")
    assert e.value.reason.startswith("{compile,") and "syntax error" in e.value.reason
    with pytest.raises(ValueError, match="-module"):
        b.load_module("f() -> ok.")


def test_a_crashing_boot_writes_no_dump_here(erl, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ERL_CRASH_DUMP", raising=False)
    node = ErlNode(en.unique_name("crashboot"), extra_args=["-s", "nosuchmodule"], start=False)
    try:
        with pytest.raises(ErlNodeError):
            node.start()
    finally:
        node.stop()
    assert list(tmp_path.iterdir()) == []
    dump = en._erl_env(node.name)["ERL_CRASH_DUMP"]
    assert os.path.exists(dump)                              # it went to the temp folder
    os.remove(dump)
