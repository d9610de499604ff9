"""The sandbox: runs one test subprocess, then makes sure nothing of it is left.

``python -I -m otp_lite.grade.sandbox`` (trusted code, started by the
runner) reads a job from its standard input (one JSON line: the command,
working folder, environment, time budget, memory cap, the plugin's
configuration line), and:

1. becomes a *child subreaper* (Linux ``prctl(PR_SET_CHILD_SUBREAPER)``), so
   a learner's process that double-forks and calls ``setsid`` is re-parented
   to the sandbox instead of escaping to init;
2. starts the test subprocess in a session of its own, output to a file
   (never a pipe a grandchild could hold open), the results pipe as its only
   extra descriptor, memory capped with ``RLIMIT_AS`` and core dumps off;
3. forwards the subprocess's result records to its own standard output as
   they come (the runner shows progress and verifies them), until the
   subprocess ends, the time budget is used up, or one check runs past its
   limit plus a grace (``check_limit``: the learner's code turned the
   plugin's alarm off, or swallows it);
4. kills the process group and then every descendant it still has,
   reaps them, and only then prints a last ``{"type": "sandbox", ...}``
   line with the exit code and the tail of the output.

So the runner's wait is bounded by the budget plus a few seconds, and when
it writes a report no process of the learner's is alive to rewrite it.
Without ``prctl`` (not Linux) step 1 is skipped and a process that leaves
its session can survive: the threat model in labs/README.md says so.
"""
from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
GRACE = 3.0                     # seconds to kill and reap everything after the budget
FILE_MB = 512                   # no file the checks write grows past this


def _subreaper():
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _limits(memory_mb):
    def apply():
        import resource
        if memory_mb:
            b = int(memory_mb) * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (b, b))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_MB << 20, FILE_MB << 20))
    return apply


def _descendants():
    """Every process below this one (psutil when present, else /proc)."""
    try:
        import psutil
        return [p.pid for p in psutil.Process().children(recursive=True)]
    except ImportError:
        pass
    kids, me = {}, os.getpid()
    for d in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [me]
    while todo:
        for c in kids.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def _kill_all(proc):
    """SIGKILL the subprocess's group, then every descendant until none is left; reap them."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    deadline = time.monotonic() + GRACE
    while time.monotonic() < deadline:
        left = _descendants()
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        while True:                             # reap whatever has died (our children and orphans)
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        if not left:
            return True
        time.sleep(0.02)
    return not _descendants()


def _kind(line):
    """The record type of a line of the results channel (for the watchdog; the runner verifies)."""
    try:
        return json.loads(line)["rec"]["type"]
    except (ValueError, KeyError, TypeError):
        return None


def _emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


_stop = []


def _on_term(signum, frame):
    _stop.append(signum)          # the runner cancels: kill everything, report, exit


def run(job):
    signal.signal(signal.SIGTERM, _on_term)
    reaper = _subreaper()
    r, w = os.pipe()
    out = open(job["output"], "wb")
    cfg = dict(job["plugin"], fd=w)
    t0 = time.monotonic()
    proc = subprocess.Popen(job["cmd"], cwd=job["cwd"], env=job["env"], stdin=subprocess.PIPE,
                            stdout=out, stderr=subprocess.STDOUT, pass_fds=(w,),
                            start_new_session=True, preexec_fn=_limits(job.get("memory_mb")))
    os.close(w)
    _emit({"type": "sandbox_start", "pid": proc.pid})     # the runner's last resort if we are killed
    try:
        proc.stdin.write((json.dumps(cfg) + "\n").encode())
        proc.stdin.close()
    except OSError:
        pass
    budget = float(job["budget"])
    per_check = job.get("check_limit")          # the plugin's alarm, plus grace: a watchdog
    check_end = None
    buf = b""
    timed_out = check_timed_out = False
    open_r = True
    while True:
        now = time.monotonic()
        left = budget - (now - t0)
        if check_end is not None and now > check_end and proc.poll() is None:
            check_timed_out = True              # the alarm was turned off, or is ignored
            break
        if left <= 0 or _stop:
            timed_out = proc.poll() is None
            break
        if proc.poll() is not None and not open_r:
            break
        if open_r:
            ready, _, _ = select.select([r], [], [], min(left, 0.1))
            if ready:
                chunk = os.read(r, 65536)
                if not chunk:
                    open_r = False
                buf += chunk
                *lines, buf = buf.split(b"\n")
                for ln in lines:
                    sys.stdout.write(ln.decode("utf-8", "replace") + "\n")
                    if per_check:
                        kind = _kind(ln)
                        if kind == "start":
                            check_end = time.monotonic() + per_check
                        elif kind in ("result", "end"):
                            check_end = None
                sys.stdout.flush()
            elif proc.poll() is not None:
                break                           # it ended; a descendant may hold the pipe: do not wait
        else:
            time.sleep(min(left, 0.05))
    clean = _kill_all(proc)
    try:                                         # records written before the end, still in the pipe
        while select.select([r], [], [], 0)[0]:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            buf += chunk
    except OSError:
        pass
    os.close(r)
    for ln in buf.split(b"\n"):
        if ln.strip():
            sys.stdout.write(ln.decode("utf-8", "replace") + "\n")
    rc = proc.poll()
    if rc is None:
        try:
            rc = proc.wait(1)
        except subprocess.TimeoutExpired:
            rc = None
    out.close()
    _emit({"type": "sandbox", "rc": rc, "timed_out": timed_out, "check_timed_out": check_timed_out,
           "clean": clean, "subreaper": reaper,
           "seconds": round(time.monotonic() - t0, 3)})


def main():
    job = json.loads(sys.stdin.readline())
    run(job)


if __name__ == "__main__":
    main()
