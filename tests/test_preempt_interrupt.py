"""Ctrl-C and JupyterLab's Interrupt button with a process that computes for ever.

Both run a real interpreter: a script (as ``python script.py`` or ``python -i``
would) and an IPython kernel driven by jupyter_client, the way JupyterLab
drives it.  The interrupt stops the *cell* (the shell's ``receive``), the
shell keeps its pid, mailbox and receive timeouts, and the spinner keeps its
place in the run queue until killed.  Wall-clock bounds are generous.
"""
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent("""
    import sys
    from otp_lite import runtime, erlang
    from otp_lite.erlang import TIMEOUT
    runtime.reset(clock=sys.argv[1])
    def spin():
        while True: pass
    s = erlang.spawn(spin)
    me = erlang.self()
    erlang.send(me, "kept")
    print("ready", flush=True)
    try:
        erlang.receive(("never",))
    except KeyboardInterrupt:
        print("interrupted", erlang.self() is me, flush=True)
    print(erlang.receive(timeout=100) == "kept", erlang.receive(timeout=100) is TIMEOUT, flush=True)
    print(erlang.process_info(s, "status"), flush=True)
    ref = erlang.monitor("process", s)
    erlang.exit(s, "kill")
    print(erlang.receive()[-1], flush=True)
""")


@pytest.mark.parametrize("clock", ["real", "virtual"])
def test_ctrl_c_in_a_script(tmp_path, clock):
    script = tmp_path / "spin.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    p = subprocess.Popen([sys.executable, str(script), clock], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert p.stdout.readline().strip() == "ready"
        time.sleep(0.3)                           # the spinner has the CPU by now
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=20)
    finally:
        p.kill()
    assert out.splitlines() == ["interrupted True", "True True", "('status', 'runnable')", "killed"], err


def _kernel():
    jc = pytest.importorskip("jupyter_client")
    km = jc.KernelManager(kernel_name="python3")
    km.kernel_spec_manager.ensure_native_kernel = True
    km.start_kernel(extra_arguments=["--HistoryManager.enabled=False"],
                    env=dict(os.environ, PYTHONPATH=str(REPO), MPLBACKEND="Agg"))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def _run(kc, code, timeout=30):
    """Execute ``code``; returns (status, text output, error name)."""
    msg_id = kc.execute(code)
    out, ename = [], None
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        t, c = msg["msg_type"], msg["content"]
        if t == "stream":
            out.append(c["text"])
        elif t == "execute_result":
            out.append(c["data"].get("text/plain", "") + "\n")
        elif t == "error":
            ename = c["ename"]
        elif t == "status" and c["execution_state"] == "idle":
            break
    reply = kc.get_shell_msg(timeout=max(1, deadline - time.monotonic()))
    return reply["content"]["status"], "".join(out), ename


@pytest.mark.parametrize("clock", ["virtual", "real"])
def test_interrupt_button_in_a_kernel(clock):
    km, kc = _kernel()
    try:
        st, out, _ = _run(kc, textwrap.dedent(f"""
            from otp_lite import runtime, erlang, timer
            from otp_lite.erlang import TIMEOUT
            runtime.reset(clock={clock!r}, preempt_ms=10)
            def spin():
                while True: pass
            s = erlang.spawn(spin)
            me = erlang.self()
            erlang.send(me, 'kept')
            print(me)
        """))
        assert st == "ok", out
        me = out.strip()
        # the cell after the spawn is not frozen
        t0 = time.monotonic()
        st, out, _ = _run(kc, "print(erlang.process_info(s, 'status'))", timeout=10)
        assert st == "ok" and "runnable" in out and time.monotonic() - t0 < 5
        msg_id = kc.execute("erlang.receive(('never',))")
        time.sleep(1.0)
        km.interrupt_kernel()
        deadline = time.monotonic() + 20
        ename = None
        while time.monotonic() < deadline:
            msg = kc.get_iopub_msg(timeout=20)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "error":
                ename = msg["content"]["ename"]
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        kc.get_shell_msg(timeout=10)
        assert ename == "KeyboardInterrupt"
        st, out, _ = _run(kc, "print(erlang.self(), erlang.receive(timeout=50), erlang.receive(timeout=50))\n"
                              "print(erlang.is_process_alive(s))")
        assert st == "ok" and out.split() == [me, "kept", "TIMEOUT", "True"], out
        st, out, _ = _run(kc, "ref = erlang.monitor('process', s); erlang.exit(s, 'kill'); print(erlang.receive()[-1])")
        assert st == "ok" and out.strip() == "killed", out
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_live_output_between_cells_lands_in_the_cell_that_started_live_mode():
    """A process that prints (here: an undef error report) during a live tick, with no
    live view open, prints into the cell that started live mode, not the last one."""
    km, kc = _kernel()
    try:
        first = kc.execute("from otp_lite import runtime, timer\nruntime.reset(clock='real')\n"
                           "timer.apply_after(600, 'no_such_module', 'start', [])")
        kc.get_shell_msg(timeout=30)
        st, _, _ = _run(kc, "x = 1")             # another cell runs meanwhile
        assert st == "ok"
        deadline = time.monotonic() + 10
        where = None
        while time.monotonic() < deadline and where is None:
            try:
                msg = kc.get_iopub_msg(timeout=1)
            except Exception:  # noqa: BLE001 - queue empty
                continue
            if msg["msg_type"] == "stream" and "undef" in msg["content"]["text"]:
                where = msg["parent_header"].get("msg_id")
        assert where == first
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
