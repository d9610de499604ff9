"""Run a lab's checks in a sandboxed subprocess and turn what happened into a score.

::

    grade('labs/03_generic_server')                 the learner's files
    grade('labs/03_generic_server', solution=True)  solution/ (must score full marks)

This process (the trusted side) never imports the learner's code:

1. the check files must match the lab's seal (:mod:`.seal`), else the
   report says "tests modified" and nothing runs; the learner's modules are
   compiled (not run) so that a syntax error gets one clean line;
2. a fresh temporary folder gets the lab's given files, the code under
   test over them (never a ``conftest.py``, ``pytest.py``,
   ``sitecustomize.py`` or a standard-library name) and the sealed checks;
3. :mod:`.sandbox` runs ``python -s -P -m pytest`` there with a scrubbed
   environment (no path to the lab in it), a memory cap, its own session,
   and kills every process it left behind before it answers;
4. the plugin's records come back over a pipe, each signed with a key
   handed over on the subprocess's stdin before any learner code runs: a
   forged, replayed or missing record, a change to the harness seen by the
   plugin (:mod:`.integrity`), a change to the check files or checks
   collected that are not the sealed ones make the run **tampered**
   (score 0, the reason in the message);
5. the report is written atomically, after all of that.

So whatever happens to the subprocess we know which checks finished:

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
has a syntax error         (checks listed from the seal)
raises KeyboardInterrupt,  that check only (an ordinary error)
SystemExit, pytest.skip
allocates without end      that check ("used more than N MiB")
tampers with the grader    the whole run: ``tampered``, score 0
kills the interpreter,     the check that was running; the runner starts a
blocks in C for ever,      new subprocess for the checks after it (the
swallows every exception   sandbox's watchdog stops a check that outlives
in a loop in the caller,   its alarm by ``CHECK_GRACE`` seconds)
turns the alarm off
=========================  ================================================

The whole grading has one wall-clock limit (``total_timeout``: restarts
included, plus a few seconds to clean up).  Grading never raises for
anything the learner wrote; it returns a :class:`Report`.
"""
from __future__ import annotations

import hmac
import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, asdict
from pathlib import Path

from . import seal as _seal

__all__ = ["grade", "Report", "CheckResult", "LabError", "load_config", "DEFAULTS"]

DEFAULTS = {"timeout": 10.0, "total_timeout": 120.0, "memory_mb": 1024}
MAX_RUNS = 6                    # subprocess restarts after a crash or a hard hang (one deadline for all)
CHECK_GRACE = 3.0               # a check still running this long after its alarm: the sandbox stops it


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
    picture: str | None = None     # a failing explored check: its schedule's chart (base64 PNG)

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
    forged: list = field(default_factory=list)     # why the record stream cannot be trusted
    cancelled: bool = False
    check_timed_out: bool = False                  # the sandbox's watchdog stopped one check


_RESERVED = {"conftest", "pytest", "sitecustomize", "usercustomize", "otp_lite", "_pytest", "pluggy",
             "greenlet", "py", "iniconfig", "packaging", "psutil"}
_LAB_SKIP = {"tests", "solution", ".meta", ".grade", "__pycache__", ".ipynb_checkpoints"}


def _copy_learner_files(src, dst):
    """The learner's (or solution's) files into ``dst``: never a name that pytest, Python or
    the harness would load by itself (conftest.py, pytest.py, sitecustomize.py, *.pth, a
    standard-library module name)."""
    import shutil
    for p in Path(src).iterdir():
        if p.name in _LAB_SKIP or p.name.startswith("."):
            continue
        stem = p.name.split(".")[0]
        if stem in _RESERVED or stem in sys.stdlib_module_names or p.suffix == ".pth":
            continue
        if p.is_dir():
            shutil.copytree(p, dst / p.name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "conftest.py", "pytest.py"))
        elif p.is_file():
            shutil.copy2(p, dst / p.name)


def _stage(lab_dir, target_dir, files):
    """A fresh folder: the lab's given files, the code under test over them, the trusted checks."""
    work = Path(tempfile.mkdtemp(prefix="otp-grade-"))
    _copy_learner_files(lab_dir, work)
    if Path(target_dir).resolve() != Path(lab_dir).resolve():
        _copy_learner_files(target_dir, work)
    for name, data in files.items():
        p = work / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return work


_IMPORTABLE = None


def _python_path():
    """'' when ``python -I`` finds otp_lite by itself (installed), else the folder that holds it."""
    global _IMPORTABLE
    if _IMPORTABLE is None:
        r = subprocess.run([sys.executable, "-I", "-c", "import otp_lite"], capture_output=True)
        _IMPORTABLE = "" if r.returncode == 0 else str(Path(__file__).resolve().parents[2])
    return _IMPORTABLE


def _sweep(work):
    """Kill any process still carrying this run's folder in its environment (the sandbox
    kills its own descendants; this finds the ones that escaped it).  True if any."""
    try:
        import psutil
    except ImportError:
        return False
    mark, found = str(work), []
    for p in psutil.process_iter(["pid"]):
        try:
            if p.pid != os.getpid() and p.environ().get("OTP_LAB_TARGET_DIR") == mark:
                p.kill()
                found.append(p)
        except (psutil.Error, OSError):
            pass
    if found:
        psutil.wait_procs(found, timeout=1)
    return bool(found)


def _run_once(work, timeout, budget, memory_mb, ids=None, collect_only=False, progress=None,
              cancel=None):
    """One test subprocess in the sandbox; returns the verified records."""
    key = secrets.token_hex(32)
    out_path = os.path.join(tempfile.gettempdir(), f"otp-grade-out-{secrets.token_hex(8)}.txt")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work), "LANG": "C.UTF-8",
           "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
           "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "MPLBACKEND": "Agg", "TMPDIR": str(work),
           "OTP_LAB_TARGET_DIR": str(work), "OTP_GRADE_MEMORY_MB": str(memory_mb or "")}
    pp = _python_path()
    if pp:
        env["PYTHONPATH"] = pp
    # -s -P with that scrubbed environment: python -I, except that PYTHONHASHSEED=0 holds
    cmd = [sys.executable, "-s", "-P", "-m", "pytest", "-q", "--color=no",
           "-p", "otp_lite.grade.plugin", "-p", "no:cacheprovider", "-p", "no:timeout",
           "-c", os.devnull, "--rootdir", str(work), "--confcutdir", str(work)]
    if collect_only:
        cmd.append("--collect-only")
    cmd += list(ids) if ids else ["tests"]
    job = {"cmd": cmd, "cwd": str(work), "env": env, "budget": budget, "memory_mb": memory_mb,
           "check_limit": timeout + CHECK_GRACE,
           "output": out_path, "plugin": {"key": key, "timeout": timeout}}
    boot = ["-I", "-m", "otp_lite.grade.sandbox"] if not pp else \
        ["-I", "-c", f"import sys; sys.path.append({pp!r}); from otp_lite.grade.sandbox import main; main()"]
    t0 = time.monotonic()
    sb = subprocess.Popen([sys.executable] + boot, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, cwd=str(work))
    sb.stdin.write((json.dumps(job) + "\n").encode())
    sb.stdin.close()
    mac = hmac.new(bytes.fromhex(key), digestmod="sha256")
    records, forged, final, child = [], [], None, None
    seq, ended, cancelled = 0, False, False
    hard = t0 + budget + 6                        # the sandbox's own grace (3 s), and then some
    buf = b""
    fd = sb.stdout.fileno()
    while True:
        if cancel is not None and cancel.is_set() and not cancelled:
            cancelled = True
            sb.send_signal(signal.SIGTERM)
        if time.monotonic() > hard:
            sb.kill()
            break
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            if sb.poll() is not None and not select.select([fd], [], [], 0)[0]:
                break
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buf += chunk
        *lines, buf = buf.split(b"\n")
        for ln in lines:
            try:
                msg = json.loads(ln)
            except ValueError:
                forged.append("a line on the results channel that the checks did not write")
                continue
            if msg.get("type") == "sandbox":
                final = msg
                continue
            if msg.get("type") == "sandbox_start":
                child = msg.get("pid")
                continue
            rec = msg.get("rec") if isinstance(msg, dict) else None
            body = json.dumps(rec, sort_keys=True)
            m = mac.copy()
            m.update(f"{msg.get('seq')}:{body}".encode())
            if msg.get("seq") != seq or not isinstance(rec, dict) or \
                    not hmac.compare_digest(m.hexdigest(), str(msg.get("mac"))):
                forged.append("a result record that the checks did not write (forged, replayed or out of order)")
                continue
            seq += 1
            if ended:
                forged.append(f"a {rec.get('type')} record after the end of the run")
                continue
            if rec.get("type") == "end":
                ended = True
            records.append(rec)
            if progress is not None:
                try:
                    progress(rec)
                except Exception:  # noqa: BLE001 - a progress display never stops grading
                    pass
    try:
        sb.wait(1)
    except subprocess.TimeoutExpired:
        sb.kill()
    try:
        with open(out_path, "rb") as f:
            f.seek(0, 2)
            f.seek(max(0, f.tell() - 20000))
            output = f.read().decode("utf-8", "replace")
        os.unlink(out_path)
    except OSError:
        output = ""
    if final is None:                       # the sandbox itself was killed (by the code under test?)
        forged.append("the sandbox that runs the checks was killed")
        if child:
            try:
                os.killpg(child, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    if _sweep(work):
        forged.append("a process of the checks outlived its sandbox")
    final = final or {}
    if not final.get("clean", True):
        forged.append("a process of the checks could not be stopped")
    return _Run(records, final.get("rc"), bool(final.get("timed_out")), output, time.monotonic() - t0,
                sorted(set(forged)), cancelled, bool(final.get("check_timed_out")))


def _tail(text, n=1500):
    text = text.strip()
    return text if len(text) <= n else "...\n" + text[-n:]


# ----------------------------------------------------------------- grading
def _syntax_error(target_dir, modules):
    """The first SyntaxError in the code under test, found by compiling it (nothing runs)."""
    from .messages import describe
    for m in modules:
        p = Path(target_dir) / f"{m}.py"
        if not p.is_file():
            continue
        try:
            compile(p.read_bytes(), str(p), "exec")
        except SyntaxError as e:
            return describe(e)
        except ValueError as e:             # null bytes
            return f"SyntaxError in {p.name}: {e}"
    return None


def _collect(work, timeout, budget, memory_mb):
    """The checks as collected in ``work`` (no check runs), or None."""
    run = _run_once(work, timeout, budget, memory_mb, collect_only=True)
    for rec in run.records:
        if rec["type"] == "collected":
            return rec["tests"]
    return None


def grade(lab, solution=False, target=None, timeout=None, total_timeout=None,
          report_path=None, write=True, memory_mb=None, progress=None, cancel=None, only=None):
    """Grade one lab; returns a :class:`Report` and (``write=True``) saves it as JSON.

    ``only``: check names (or ids) to run, the others are left out of the
    report (a GitHub Classroom test runs one check: ``--check NAME``).

    ``target``: ``'student'`` (default), ``'solution'`` (same as
    ``solution=True``) or a folder holding the modules to check.
    ``timeout``: seconds per check; ``total_timeout``: seconds for the whole
    grading, restarts included (it ends within that plus a few seconds,
    whatever the code under test does); ``memory_mb``: the test process's
    memory cap.  Defaults come from the lab's ``.meta/config.json``, then
    :data:`DEFAULTS`.  ``progress(record)`` is called with each verified
    record (``collected``, ``start``, ``result``) as it arrives;
    ``cancel`` (a ``threading.Event``) stops the run when set.

    Learner code never runs in this process: the checks run in a sandboxed
    subprocess (:mod:`.sandbox`) from a fresh folder holding the sealed
    check files (:mod:`.seal`) and a copy of the code under test.
    """
    t_start = time.monotonic()
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
    memory_mb = int(memory_mb if memory_mb is not None else cfg.get("memory_mb") or DEFAULTS["memory_mb"])
    deadline = t_start + total_timeout
    modules = _modules(cfg, target_dir)

    sealed = _seal.load(lab_dir)
    files, problems = _seal.check(lab_dir, sealed)
    sealed_manifest = (sealed or {}).get("manifest")
    if only and sealed_manifest and not problems:
        wanted = set(only)
        sealed_manifest = [t for t in sealed_manifest
                           if t["id"] in wanted or t["id"].split("::")[-1] in wanted]
        if not sealed_manifest:
            raise LabError(f"no check called {', '.join(sorted(wanted))} in {lab_dir.name}")
    if problems:
        why = ("Tampered: tests modified, so nothing was graded: " + "; ".join(problems[:3])
               + ". Put the checks back (git checkout -- tests) and run again.")
        return _finish(lab_dir, target, "tampered", why, sealed_manifest or [], {}, report_path, write,
                       default_msg=why)

    syntax = _syntax_error(target_dir, modules)
    manifest = None                 # [test dict] in collection order
    results = {}                    # id -> CheckResult fields
    import_errors, collect_errors = [], {}
    tamper = []
    run_note = None
    work = _stage(lab_dir, target_dir, files)
    try:
        if syntax:
            import_errors.append(syntax)
        pending = [t["id"] for t in sealed_manifest] if only and sealed_manifest else None
        for _attempt in range(MAX_RUNS if not syntax else 0):
            budget = deadline - time.monotonic()
            if budget < 1:
                run_note = "Not run: the time for the whole lab was used up by earlier checks."
                break
            run = _run_once(work, timeout, budget, memory_mb, ids=pending, progress=progress, cancel=cancel)
            tamper += run.forged
            running = None
            for rec in run.records:
                kind = rec["type"]
                if kind == "collected" and manifest is None:
                    manifest = rec["tests"]
                elif kind == "collect_error":
                    collect_errors.setdefault(rec["nodeid"], rec["message"])
                elif kind == "tampered":
                    tamper.append("the grader's own code was changed while the checks ran: "
                                  + ", ".join(rec.get("what", [])[:4]))
                elif kind == "start":
                    running = rec["id"]
                elif kind == "result":
                    if rec["id"] in results or rec["id"] != running:
                        tamper.append(f"a second or unasked result for {rec['id']}")
                    results[rec["id"]] = rec
                    running = None
            if run.cancelled:
                run_note = "Cancelled before the end: the checks that had not run are not scored."
                break
            if running is not None:
                if run.check_timed_out:
                    msg = (f"Timed out after {timeout:g} s: the check did not finish, and did not stop at "
                           "its time limit either (is the alarm turned off or an exception swallowed in a "
                           "loop?); the test process was stopped and the checks after it ran anew.")
                elif run.timed_out:
                    msg = (f"Timed out: the checks were stopped after {budget:.0f} s during this one "
                           "(the time limit for the whole lab). Look for a loop that never ends.")
                elif "MemoryError" in run.output or run.rc == -signal.SIGKILL:
                    msg = (f"The test process died while running this check: your code used more than "
                           f"{memory_mb} MiB (the lab's memory limit), or was killed.")
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
            memory = "MemoryError" in run.output
            for rec in run.records:                 # pytest itself ran out of memory mid-check
                r = results.get(rec.get("id")) if rec["type"] == "result" else None
                if r is not None and memory and r["message"].startswith("no call report"):
                    r["message"] = (f"MemoryError: your code used more than {memory_mb} MiB (the lab's "
                                    "memory limit), and the test process could not even report it")
            remaining = [t["id"] for t in manifest if t["id"] not in results]
            if not remaining:
                break
            if running is None:
                done_now = any(rec["type"] == "result" for rec in run.records)
                if run.rc in (0, 1) or not done_now:
                    if run.rc not in (0, 1):
                        run_note = f"The test process ended early (exit code {run.rc}) before these checks ran."
                    break
                # pytest stopped (an internal error, e.g. out of memory) after some checks:
                # a new subprocess runs the rest, as after a crash
            pending = remaining
        # what the run did to the checks: the copy it ran, and the lab's own files
        if _seal.test_files(work) != files:
            tamper.append("the code under test changed the check files it was run with")
        if _seal.test_files(lab_dir) != files:
            _restore(lab_dir, files)
            tamper.append("the code under test changed tests/ in the lab folder (put back)")
        if manifest is None and (collect_errors or import_errors or run_note) and not sealed_manifest:
            left = deadline - time.monotonic()      # an unsealed lab: list the checks from solution/
            if left > 2 and target != "solution" and (lab_dir / "solution").is_dir():
                sol = _stage(lab_dir, lab_dir / "solution", files)
                try:
                    manifest = _collect(sol, timeout, min(left, 60.0), memory_mb)
                finally:
                    shutil.rmtree(sol, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if sealed_manifest is not None and manifest is not None and not run_note and not collect_errors \
            and not import_errors and _seal.manifest_key(manifest) != _seal.manifest_key(sealed_manifest):
        tamper.append("the checks collected are not the sealed ones (ids or points differ)")
    if manifest is None or collect_errors or import_errors:
        full = sealed_manifest
        if full:
            known = {t["id"] for t in (manifest or [])}
            manifest = (manifest or []) + [dict(t, name=t["id"].split("::")[-1]) for t in full
                                           if t["id"] not in known]
            order = {t["id"]: i for i, t in enumerate(full)}
            manifest.sort(key=lambda t: order.get(t["id"], len(order)))

    if tamper:
        why = "Tampered: " + "; ".join(dict.fromkeys(tamper)) + ". The run scores 0."
        return _finish(lab_dir, target, "tampered", why, manifest or sealed_manifest or [], {},
                       report_path, write, default_msg=why)
    message = None
    if import_errors:
        message = import_errors[0]
    elif collect_errors:
        message = next(iter(collect_errors.values()))
    elif run_note:
        message = run_note
    return _finish(lab_dir, target, None, message, manifest or [], results, report_path, write,
                   import_errors=import_errors, collect_errors=collect_errors, run_note=run_note)


def _restore(lab_dir, files):
    """Put the sealed check files back on disk (and drop any file that is not one of them)."""
    now = _seal.test_files(lab_dir)
    for name in now:
        if name not in files:
            try:
                os.unlink(lab_dir / name)
            except OSError:
                pass
    for name, data in files.items():
        p = lab_dir / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if now.get(name) != data:
            p.write_bytes(data)


def _finish(lab_dir, target, status, message, manifest, results, report_path, write,
            default_msg=None, import_errors=(), collect_errors=None, run_note=None):
    tests = []
    for t in manifest:
        r = results.get(t["id"])
        if r is None:
            msg = default_msg or _why_not_run(t["id"], import_errors, collect_errors or {}, run_note)
            st, out = "error", ""
        else:
            st, msg, out = r["status"], r["message"], r.get("output", "")
        pic = r.get("picture") if r is not None and st != "pass" else None
        tests.append(CheckResult(id=t["id"], name=t.get("name") or t["id"].split("::")[-1],
                                 points=t.get("points", 1), task_id=t.get("task_id"), status=st,
                                 message=msg, output=out, doc=t.get("doc", ""),
                                 picture=pic if isinstance(pic, str) else None))
    if status is None:
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
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(rep.to_json() + "\n")
        os.replace(tmp, path)                 # atomically, after every process of the checks is gone
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
