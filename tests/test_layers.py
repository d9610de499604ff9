"""Layers point down (DESIGN.md): kernel -> runtime -> BIFs -> behaviours -> application/code/dist
-> viz -> notebooks and labs.  Importing anything below viz must not load viz."""
import subprocess
import sys

BELOW_VIZ = ["otp_lite.erlang", "otp_lite.gen_server", "otp_lite.gen_statem", "otp_lite.gen_fsm",
             "otp_lite.gen_event", "otp_lite.supervisor", "otp_lite.application", "otp_lite.code",
             "otp_lite.dist", "otp_lite.rpc", "otp_lite.global_", "otp_lite.pg", "otp_lite.loadgen",
             "otp_lite.metrics", "otp_lite.release_handler", "otp_lite.init", "otp_lite.alarm_handler", "otp_lite.sys",
             "otp_lite._statem_report", "otp_lite.logger", "otp_lite.timer", "otp_lite.ets"]


def test_nothing_below_viz_imports_viz():
    code = ("import sys\n" + "".join(f"import {m}\n" for m in BELOW_VIZ) +
            "print(sorted(m for m in sys.modules if m.startswith('otp_lite.viz') or m.startswith('otp_lite.grade')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
