"""Run a lab's checks in a subprocess and turn what happened into a score.

::

    grade('labs/03_generic_server')                 the learner's files
    grade('labs/03_generic_server', solution=True)  solution/ (must score full marks)

Each run is ``python -m pytest <lab>/tests -p otp_lite.grade.plugin`` in a
fresh interpreter, isolated from the repository's pytest configuration
(``-c /dev/null``, rootdir = the lab).  The plugin writes one JSON line per
event (collected checks, start, result), so whatever happens to the
subprocess we know which checks finished:

=========================  ================================================
learner code ...           costs
=========================  ================================================
loops forever in a         that check; the process is preempted, killed
process                    and named (per-check alarm, ``timeout``)
loops forever in the       that check (the alarm raises in the check)
caller
hangs in receive           that check (the kernel raises Deadlock)
crashes a process          the checks whose answers depended on it
raises at import,          every check, each with the one-line error
has a syntax error         (checks listed from a collection of solution/)
kills the interpreter,     the check that was running; the runner starts a
blocks in C for ever,      new subprocess for the checks after it
swallows every exception
in a loop in the caller
=========================  ================================================

The whole run has a wall-clock limit (``total_timeout``).  Grading never
raises for anything the learner wrote; it returns a :class:`Report`.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, asdict
from pathlib import Path

__all__ = ["grade", "Report", "CheckResult", "LabError", "load_config", "DEFAULTS"]

DEFAULTS = {"timeout": 10.0, "total_timeout": 120.0}
MAX_RUNS = 6                    # subprocess restarts after a crash or a hard hang


class LabError(Exception):
    """The folder given is not a lab (no ``tests/``): a usage error, not a learner error."""


@dataclass
class CheckResult:
    id: str
    name: str
    points: float
    task_id: int | None = None
    status: str = "error"          # 'pass' | 'fail' | 'error'
    message: str = ""
    output: str = ""
    doc: str = ""

    @property
    def score(self):
        return self.points if self.status == "pass" else 0

    @property
    def why(self):
        """The first line of the message (what the score table shows)."""
        return self.message.splitlines()[0] if self.message else ""


@dataclass
class Report:
    lab: str
    target: str                    # 'student' | 'solution' | a folder
    status: str                    # 'pass' | 'fail' | 'error' (Exercism's meaning)
    message: str | None
    tests: list = field(default_factory=list)
    path: str | None = None        # where the JSON report was written

    @property
    def score(self):
        return sum(t.score for t in self.tests)

    @property
    def max_score(self):
        return sum(t.points for t in self.tests)

    @property
    def passed(self):
        return [t for t in self.tests if t.status == "pass"]

    def to_dict(self):
        tests = []
        for t in self.tests:
            d = asdict(t)
            d["score"] = t.score
            tests.append(d)
        return {"version": 3, "lab": self.lab, "target": self.target,
                "status": self.status, "message": self.message,
                "score": self.score, "max_score": self.max_score, "tests": tests}

    def to_json(self):
        return json.dumps(self.to_dict(), indent=2, default=str)

    def table(self):
        from .report import format_table
        return format_table(self)

    def _repr_html_(self):
        from .report import format_html
        return format_html(self)

    def __str__(self):
        return self.table()


# ----------------------------------------------------------------- config
def load_config(lab_dir):
    """``.meta/config.json`` merged over :data:`DEFAULTS` (the file is optional)."""
    cfg = dict(DEFAULTS)
    p = Path(lab_dir) / ".meta" / "config.json"
    if p.exists():
        cfg.update(json.loads(p.read_text()))
    return cfg


def _modules(cfg, target_dir):
    """Module names under test: config ``files.solution``, else the target's *.py files."""
    files = (cfg.get("files") or {}).get("solution")
    if not files:
        files = sorted(p.name for p in Path(target_dir).glob("*.py"))
    return [Path(f).stem for f in files if f.endswith(".py")]


# ----------------------------------------------------------------- one subprocess
@dataclass
class _Run:
    records: list
    rc: int | None
    timed_out: bool
    output: str
    seconds: float


def _run_once(lab_dir, target, target_dir, modules, timeout, total_timeout,
              ids=None, collect_only=False):
    with tempfile.TemporaryDirectory(prefix="otp-grade-") as tmp:
        results = os.path.join(tmp, "results.jsonl")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PYTEST_", "OTP_GRADE_", "OTP_LAB_"))}
        env.update({
            "OTP_GRADE_RESULTS": results,
            "OTP_GRADE_TIMEOUT": str(timeout),
            "OTP_GRADE_MODULES": ",".join(modules),
            "OTP_LAB_TARGET": target,
            "OTP_LAB_TARGET_DIR": str(target_dir),
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",   # no nbval/hypothesis: 4 s less start-up
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
            "MPLBACKEND": "Agg",
        })
        cmd = [sys.executable, "-m", "pytest", "-q", "--color=no",
               "-p", "otp_lite.grade.plugin", "-p", "no:cacheprovider", "-p", "no:timeout",
               "-c", os.devnull, "--rootdir", str(lab_dir), "--confcutdir", str(lab_dir)]
        if collect_only:
            cmd.append("--collect-only")
        cmd += list(ids) if ids else ["tests"]
        t0 = time.monotonic()
        posix = os.name == "posix"
        proc = subprocess.Popen(cmd, cwd=lab_dir, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=posix)
        timed_out = False
        try:
            out, _ = proc.communicate(timeout=total_timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            try:
                if posix:
                    os.killpg(proc.pid, signal.SIGKILL)     # the learner's children too
                else:
                    proc.kill()
            except ProcessLookupError:
                pass
            out, _ = proc.communicate()
        records = []
        if os.path.exists(results):
            with open(results, encoding="utf-8") as f:
                for line in f:
                    try:
                        records.append(json.loads(line))
                    except ValueError:
                        break                   # a line cut by a kill
        return _Run(records, proc.returncode, timed_out,
                    out.decode("utf-8", "replace"), time.monotonic() - t0)


def _tail(text, n=1500):
    text = text.strip()
    return text if len(text) <= n else "...\n" + text[-n:]


# ----------------------------------------------------------------- grading
def grade(lab, solution=False, target=None, timeout=None, total_timeout=None,
          report_path=None, write=True):
    """Grade one lab; returns a :class:`Report` and (``write=True``) saves it as JSON.

    ``target``: ``'student'`` (default), ``'solution'`` (same as
    ``solution=True``) or a folder holding the modules to check.
    ``timeout``: seconds per check; ``total_timeout``: seconds per subprocess.
    Defaults come from the lab's ``.meta/config.json``, then :data:`DEFAULTS`.
    """
    lab_dir = Path(lab).resolve()
    if not (lab_dir / "tests").is_dir():
        raise LabError(f"{lab} is not a lab folder: it has no tests/ folder "
                       "(try one of the folders under labs/, e.g. labs/03_generic_server)")
    cfg = load_config(lab_dir)
    target = target or ("solution" if solution else "student")
    if target == "student":
        target_dir = lab_dir
    elif target == "solution":
        target_dir = lab_dir / "solution"
    else:
        target_dir = Path(target).resolve()
        target = str(target_dir)
    timeout = float(timeout if timeout is not None else cfg["timeout"])
    total_timeout = float(total_timeout if total_timeout is not None else cfg["total_timeout"])
    modules = _modules(cfg, target_dir)

    manifest = None                 # [test dict] in collection order
    results = {}                    # id -> CheckResult fields
    import_errors, collect_errors = [], {}
    run_note = None
    pending = None
    deadline = time.monotonic() + 3 * total_timeout      # restarts included
    for _attempt in range(MAX_RUNS):
        budget = min(total_timeout, deadline - time.monotonic())
        if budget < 1:
            run_note = "Not run: the time for the whole lab was used up by earlier checks."
            break
        run = _run_once(lab_dir, target, target_dir, modules, timeout, budget, ids=pending)
        running = None
        for rec in run.records:
            kind = rec["type"]
            if kind == "collected" and manifest is None:
                manifest = rec["tests"]
            elif kind == "import_error":
                if rec["message"] not in import_errors:
                    import_errors.append(rec["message"])
            elif kind == "collect_error":
                collect_errors.setdefault(rec["nodeid"], rec["message"])
            elif kind == "start":
                running = rec["id"]
            elif kind == "result":
                results[rec["id"]] = rec
                running = None
        if running is not None:
            if run.timed_out:
                msg = (f"Timed out: the checks were stopped after {budget:.0f} s during this one "
                       "(the time limit for a whole run). Look for a loop that never ends.")
            else:
                msg = (f"The test process died while running this check (exit code {run.rc}). "
                       "Does your code call os._exit, or exhaust memory or recursion?")
            results[running] = {"id": running, "status": "error", "message": msg,
                                "output": _tail(run.output)}
        if manifest is None:
            if run.timed_out:
                run_note = (f"Timed out: the checks did not even start within {budget:.0f} s. "
                            "Does your module loop or wait when it is imported?")
            elif not import_errors and not collect_errors:
                run_note = (f"The checks could not be run (pytest exit code {run.rc}): "
                            + (_tail(run.output, 300).splitlines() or ["no output"])[-1])
            break
        remaining = [t["id"] for t in manifest if t["id"] not in results]
        if not remaining or running is None:
            if remaining and run.rc not in (0, 1):
                run_note = f"The test process ended early (exit code {run.rc}) before these checks ran."
            break
        pending = remaining

    if manifest is None or collect_errors or import_errors:
        full = _solution_manifest(lab_dir, cfg, timeout, total_timeout) if target != "solution" else None
        if full:
            known = {t["id"] for t in (manifest or [])}
            manifest = (manifest or []) + [t for t in full if t["id"] not in known]
            order = {t["id"]: i for i, t in enumerate(full)}
            manifest.sort(key=lambda t: order.get(t["id"], len(order)))

    tests = []
    for t in manifest or []:
        r = results.get(t["id"])
        if r is None:
            status, msg, out = "error", _why_not_run(t["id"], import_errors, collect_errors, run_note), ""
        else:
            status, msg, out = r["status"], r["message"], r.get("output", "")
        tests.append(CheckResult(id=t["id"], name=t["name"], points=t["points"],
                                 task_id=t.get("task_id"), status=status, message=msg,
                                 output=out, doc=t.get("doc", "")))

    message = None
    if import_errors:
        message = import_errors[0]
    elif collect_errors:
        message = next(iter(collect_errors.values()))
    elif run_note:
        message = run_note
    if message is not None or not tests:
        status = "error"
        if message is None:
            message = "no checks were found in tests/"
    else:
        status = "pass" if all(t.status == "pass" for t in tests) else "fail"
    rep = Report(lab=lab_dir.name, target=target, status=status, message=message, tests=tests)
    if write:
        path = Path(report_path) if report_path else lab_dir / ".grade" / f"{_slug(target)}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rep.to_json() + "\n")
        rep.path = str(path)
    return rep


def _slug(target):
    return target if target in ("student", "solution") else "custom"


def _why_not_run(test_id, import_errors, collect_errors, run_note):
    if import_errors:
        return import_errors[0]
    file = test_id.split("::")[0]
    for nodeid, msg in collect_errors.items():
        if nodeid == file or nodeid.endswith(file) or file.endswith(nodeid):
            return msg
    if collect_errors:
        return next(iter(collect_errors.values()))
    return run_note or "Not run: the test process ended before this check."


def _solution_manifest(lab_dir, cfg, timeout, total_timeout):
    """The list of checks, collected against solution/ (when the learner's code cannot be imported)."""
    sol = lab_dir / "solution"
    if not sol.is_dir():
        return None
    run = _run_once(lab_dir, "solution", sol, [], timeout, min(total_timeout, 60.0),
                    collect_only=True)
    for rec in run.records:
        if rec["type"] == "collected":
            return rec["tests"]
    return None
