"""bench/dist must not rot: the erl-to-erl baseline runs at a tiny size and its output parses.

No timing assertions (the figures are for bench/dist/README.md); skipped with the reason
when erl is missing.  The otp_lite columns are not run here: they start a real-clock
runtime, which the otp_lite real-distribution tests cover.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "bench" / "dist" / "run.py"


def _run_py():
    import importlib.util
    spec = importlib.util.spec_from_file_location("bench_dist_run", RUN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_result_lines_and_stats_parse():
    run = _run_py()
    rows = run.parse_results("INFO x\nRESULT send_pid runs=2 n=300 median_us=38.42 min_us=28.99 "
                             "max_us=47.38 p50_us=34.76 p99_us=108.17\nnoise\n")
    assert rows == {"send_pid": {"runs": 2, "n": 300, "median_us": 38.42, "min_us": 28.99,
                                 "max_us": 47.38, "p50_us": 34.76, "p99_us": 108.17}}
    assert run.parse_stats("[{runs,2},{n,300},{median_us,38.4},{min_us,2.9e1}]") == \
        {"runs": 2, "n": 300, "median_us": 38.4, "min_us": 29.0}
    table = run.table({"erl->erl": rows, "otp_lite->erl": {}})
    assert "| send_pid | 38.4 (34.8) | – |" in table and "rpc_call" not in table


def test_erl_baseline_runs_tiny(erl, tmp_path):
    out = subprocess.run([sys.executable, str(RUN), "-n", "40", "-r", "1", "--erl-only",
                          "--json", str(tmp_path / "r.json")],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    for row in ("send_pid", "send_name", "send_1k", "rpc_call", "erpc_call", "local_pid"):
        assert f"| {row} |" in out.stdout
    import json
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["columns"]["erl->erl"]["rpc_call"]["n"] == 8 and data["runs"] == 1


def test_otp_lite_columns_say_why_not_or_run(erl, tmp_path):
    """Until otp_lite's real distribution exists the columns are n/a with a reason;
    once it does, this runs them at a tiny size (the adapter is run.py: _start_real_node)."""
    run = _run_py()
    run.compile_beam(tmp_path)
    cols, note = run.otp_lite_columns(tmp_path, 20, 1)
    if not cols:
        assert note.startswith("n/a") and "real TCP distribution" in note
    else:                                    # a row otp_lite cannot answer yet is named in note
        assert set(cols) == {"otp_lite->erl", "erl->otp_lite"}
        assert cols["otp_lite->erl"]["send_name"]["n"] == 20
        assert cols["erl->otp_lite"]["send_name"]["n"] == 20
