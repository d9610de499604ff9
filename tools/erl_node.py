"""A real Erlang node on 127.0.0.1, driven from Python: for tests, benches and the ch. 13 notebook.

    from tools.erl_node import ErlNode, erl_available, unique_name

    ok = erl_available()
    if not ok:
        print(ok.reason)                  # "... install Erlang: apt-get install erlang-nox"
    with ErlNode(unique_name("peer")) as peer:
        peer.eval("net_adm:ping('lab@127.0.0.1').")     # -> "pang" (text, as erl prints it)
        peer.eval_etf("{ok, self()}.")                   # -> bytes of term_to_binary
        p = peer.submit("receive M -> M after 5000 -> timeout end.")
        ...                                              # run otp_lite meanwhile, send to it
        p.result(timeout=10)                             # -> its ~0tp text

Why a module of its own (issue 24): otp_lite's real distribution is checked against
BEAM itself, so tests need an `erl` node they can start, talk to and always stop.
It lives in tools/ (not otp_lite/: the package carries no test harness), is
stdlib-only, and is importable from the repository root, where notebooks put
themselves with ``sys.path.insert(0, "..")``; tests/conftest.py wraps it as the
``erl_node`` / ``make_erl_node`` fixtures.

How the node is driven: ``erl -name NAME@127.0.0.1 -setcookie C -noshell -kernel
inet_dist_use_interface {127,0,0,1}`` runs the control loop in
tools/erl_node_ctl.erl, which reads one expression per stdin line and prints the
result as ``~0tp`` text and as term_to_binary bytes (hex, after a marker).  The
control channel is stdin/stdout, not distribution (erl_call would connect as a
node of its own), so ``nodes()`` on the peer holds only what the test connected.
Other output of the node (io:format, logger reports) is kept in ``.output``.

Guarantees: every wait is bounded (start, eval, stop); only loopback (epmd is
started with ``-address 127.0.0.1`` when none runs, distribution listens on
127.0.0.1 only); no orphan beam: ``stop()`` closes stdin (the node halts), then
kills its process group, and a Python parent that dies closes the pipe, which
halts the node too.  epmd is a daemon shared by every node on the machine and
is left running.
"""
from __future__ import annotations

import atexit
import collections
import functools
import itertools
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import weakref
from pathlib import Path

INSTALL_HINT = "install Erlang: apt-get install erlang-nox"
LOOPBACK = "127.0.0.1"
EPMD_PORT = 4369
MARK = "@@otplab@@ "
CTL_SRC = Path(__file__).with_name("erl_node_ctl.erl")

__all__ = ["erl_available", "ensure_epmd", "epmd_names", "unique_name", "random_cookie",
           "ErlNode", "Pending", "ErlNodeError", "ErlEvalError", "ErlEvalTimeout", "INSTALL_HINT"]


class ErlNodeError(RuntimeError):
    """The node could not start, or died, or epmd is not reachable."""


class ErlEvalError(ErlNodeError):
    """An expression raised in the peer: ``cls`` is 'error'/'exit'/'throw', ``reason`` and
    ``stack`` are ``~0tp`` text.  ``died`` is True when the evaluator process itself was
    killed (by a link, or by an interrupt after a timeout): its mailbox is gone."""

    def __init__(self, expr, cls, reason, stack="[]", died=False):
        self.expr, self.cls, self.reason, self.stack, self.died = expr, cls, reason, stack, died
        what = "evaluator died" if died else f"{cls}"
        super().__init__(f"{expr!r} -> {what}: {reason}")


class ErlEvalTimeout(ErlNodeError):
    """An expression did not return in time; the evaluation was killed."""


# ---------------------------------------------------------------- availability

class Availability:
    """Truthy when ``erl`` and ``epmd`` can run here; ``reason`` says why not."""

    def __init__(self, ok, reason="", otp_release=None):
        self.ok, self.reason, self.otp_release = ok, reason, otp_release

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return (f"Availability(ok, OTP {self.otp_release})" if self.ok
                else f"Availability(missing: {self.reason})")


@functools.lru_cache(maxsize=None)
def erl_available(timeout=30.0):
    """Can we run a real Erlang node?  Checks ``erl`` and ``epmd`` on PATH and runs ``erl`` once."""
    missing = [exe for exe in ("erl", "epmd") if shutil.which(exe) is None]
    if missing:
        return Availability(False, f"{' and '.join(missing)} not found on PATH: {INSTALL_HINT}")
    try:
        out = subprocess.run(
            ["erl", "-noshell", "-eval",
             'io:format("~s~n", [erlang:system_info(otp_release)]), halt().'],
            capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        return Availability(False, f"erl does not run ({e}): {INSTALL_HINT}")
    release = out.stdout.strip()
    if out.returncode != 0 or not release.isdigit():
        return Availability(False, f"erl failed (exit {out.returncode}: {out.stderr.strip()[:200]}): "
                                   f"{INSTALL_HINT}")
    return Availability(True, "", release)


# ---------------------------------------------------------------- epmd

def epmd_names(timeout=2.0):
    """Names registered in the epmd on 127.0.0.1 (NAMES_REQ), as {name: port}; None if no epmd."""
    try:
        with socket.create_connection((LOOPBACK, EPMD_PORT), timeout=timeout) as s:
            s.sendall(b"\x00\x01n")                       # 2-byte length, NAMES_REQ (110)
            data = b""
            while chunk := s.recv(4096):
                data += chunk
    except OSError:
        return None
    names = {}
    for line in data[4:].decode("utf-8", "replace").splitlines():   # after the 4-byte epmd port
        parts = line.split()                                        # "name NAME at port PORT"
        if len(parts) == 5 and parts[0] == "name":
            names[parts[1]] = int(parts[4])
    return names


def ensure_epmd(timeout=10.0):
    """Make sure an epmd answers on 127.0.0.1:4369.  Returns 'running' or 'started'.

    A new epmd listens on loopback only (``-address 127.0.0.1``).  It daemonizes and
    is shared by every Erlang node on the machine, so it is left running."""
    if epmd_names() is not None:
        return "running"
    if shutil.which("epmd") is None:
        raise ErlNodeError(f"epmd not found on PATH: {INSTALL_HINT}")
    subprocess.run(["epmd", "-daemon", "-address", LOOPBACK], env=_erl_env(),
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=timeout, check=False)
    deadline = _now() + timeout
    while _now() < deadline:
        if epmd_names(timeout=0.5) is not None:
            return "started"
        threading.Event().wait(0.05)
    raise ErlNodeError(f"epmd did not answer on {LOOPBACK}:{EPMD_PORT} within {timeout} s")


def _erl_env(name="erl"):
    import tempfile
    env = dict(os.environ)
    env["ERL_EPMD_ADDRESS"] = LOOPBACK        # an epmd that erl starts itself is loopback-only too
    env.setdefault("ERL_CRASH_DUMP",          # never an erl_crash.dump in the caller's folder
                   os.path.join(tempfile.gettempdir(), f"erl_crash_{name}.dump"))
    return env


def _now():
    import time
    return time.monotonic()


# ---------------------------------------------------------------- names

def unique_name(prefix="peer"):
    """A node name no other test run on this machine uses: ``peer_<pid>_<6 hex>``."""
    return f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"


def random_cookie():
    """A fresh cookie (an atom of capitals and digits, as ~/.erlang.cookie holds)."""
    return "OTPLAB" + secrets.token_hex(10).upper()


def _erl_string(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------- the node

_live = weakref.WeakSet()


class ErlNode:
    """One ``erl -name NAME@127.0.0.1`` process with a control channel on stdin/stdout.

    ``name`` is the part before ``@`` (use ``unique_name()`` in tests: epmd refuses a
    name twice).  ``cookie`` defaults to a random one.  ``extra_args`` go to ``erl``
    (e.g. ``["-hidden"]`` or ``["-kernel", "net_ticktime", "4"]``)."""

    def __init__(self, name="peer", cookie=None, *, extra_args=(), start_timeout=30.0,
                 start=True):
        if "@" in name:
            raise ValueError(f"name {name!r}: give the part before '@'; the host is {LOOPBACK}")
        self.name = name
        self.node = f"{name}@{LOOPBACK}"
        self.cookie = cookie or random_cookie()
        self.extra_args = list(extra_args)
        self.start_timeout = start_timeout
        self.output = collections.deque(maxlen=2000)   # the node's own lines (io:format, reports)
        self.events = collections.deque(maxlen=200)    # ('died', reason): evaluator killed between evals
        self.proc = None
        self._pending = None                           # the one request under way (Pending)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._closed = threading.Event()
        self._reader = None
        if start:
            self.start()

    # -- life cycle ---------------------------------------------------------

    def args(self):
        boot = (f"{{ok, M, B}} = compile:file({_erl_string(CTL_SRC)}, [binary, report]), "
                f"{{module, M}} = code:load_binary(M, {_erl_string(CTL_SRC)}, B), M:main().")
        return ["erl", "-name", self.node, "-setcookie", self.cookie, "-noshell",
                "-kernel", "inet_dist_use_interface", "{127,0,0,1}",
                *self.extra_args, "-eval", boot]

    def start(self):
        if self.proc is not None:
            raise ErlNodeError(f"{self.node} already started")
        ok = erl_available()
        if not ok:
            raise ErlNodeError(ok.reason)
        ensure_epmd()
        self.proc = subprocess.Popen(
            self.args(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=_erl_env(self.name), start_new_session=True)     # own group: Ctrl-C in a notebook spares it
        _live.add(self)
        self._reader = threading.Thread(target=self._read, name=f"erl_node {self.node}", daemon=True)
        self._reader.start()
        deadline = _now() + self.start_timeout
        while not self._ready.wait(0.05):
            if self._closed.is_set() or _now() > deadline:
                why = "exited" if self._closed.is_set() else f"not ready within {self.start_timeout} s"
                self.stop()
                raise ErlNodeError(f"erl node {self.node} {why}; its output:\n" + self.tail())
        return self

    def stop(self, timeout=5.0):
        """Halt the node (close its stdin), kill it if it lingers; waits at most ~2 x ``timeout``."""
        p = self.proc
        if p is None:
            return
        try:
            if p.stdin and not p.stdin.closed:
                p.stdin.close()                        # the control loop halts on end of input
        except OSError:
            pass
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            self._killpg()
            p.wait(timeout)
        self._killpg()                                 # helpers beam started (erl_child_setup, ...)
        if self._reader is not None:
            self._reader.join(timeout)
        if p.stdout:
            p.stdout.close()
        _live.discard(self)

    def kill(self):
        """SIGKILL the node, as a crash would: its connections drop, peers see nodedown."""
        if self.proc is not None and self.proc.poll() is None:
            self._killpg()
            self.proc.wait(10)
        self.stop()

    def _killpg(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)   # the group we created (start_new_session)
        except (ProcessLookupError, PermissionError):
            pass

    def is_alive(self):
        return self.proc is not None and self.proc.poll() is None and not self._closed.is_set()

    @property
    def pid(self):
        """OS pid of the node (``erl`` execs erlexec, which execs beam.smp: one pid)."""
        return self.proc.pid if self.proc else None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def __repr__(self):
        state = "alive" if self.is_alive() else "stopped"
        return f"<ErlNode {self.node} {state}>"

    def wait_output(self, pattern, timeout=10.0):
        """Wait (bounded) until the node prints a line matching regex ``pattern`` (a log line,
        say "Invalid challenge reply"); return that line, or raise ErlNodeError."""
        rx = re.compile(pattern)
        deadline = _now() + timeout
        while True:
            for line in list(self.output):
                if rx.search(line):
                    return line
            if _now() > deadline:
                raise ErlNodeError(f"{self.node} printed nothing matching {pattern!r} within "
                                   f"{timeout} s; its output:\n" + self.tail())
            threading.Event().wait(0.05)

    def tail(self, n=30):
        """The last ``n`` lines the node printed outside the control protocol."""
        return "\n".join(list(self.output)[-n:])

    # -- evaluating ---------------------------------------------------------

    def eval(self, expr, timeout=10.0):
        """Evaluate Erlang ``expr`` (like one shell prompt) and return the value as ``~0tp`` text."""
        return self.submit(expr).result(timeout)

    def eval_etf(self, expr, timeout=10.0):
        """Evaluate ``expr`` and return ``term_to_binary(Value)`` as bytes."""
        return self.submit(expr).result_etf(timeout)

    def submit(self, expr):
        """Start evaluating ``expr`` and return at once with a ``Pending``: the caller can keep
        its own loop going (e.g. an otp_lite runtime the expression talks to) and call
        ``.result(timeout)`` later.  One request at a time per node."""
        text = expr.strip()
        if not text.endswith("."):
            text += " ."
        with self._lock:
            if not self.is_alive():
                raise ErlNodeError(f"{self.node} is not running; its output:\n" + self.tail())
            if self._pending is not None and not self._pending.done():
                raise ErlNodeError(f"{self.node} is still evaluating {self._pending.expr!r}: "
                                   "take its result() first (one request at a time)")
            pending = self._pending = Pending(self, str(next(self._ids)), expr)
            self._send(f"E {pending.rid} {text.encode('utf-8').hex()}\n")
        return pending

    def load_module(self, source, timeout=30.0):
        """Compile Erlang module ``source`` (the text of a .erl file) in the node and load it;
        returns the module name.  A compile error raises ErlEvalError with erl's messages."""
        import tempfile
        with tempfile.TemporaryDirectory(prefix="erl_node_") as d:
            m = re.search(r"^\s*-module\(\s*'?([^)']+)'?\s*\)", source, re.M)
            if not m:
                raise ValueError("source has no -module(Name). attribute")
            path = Path(d) / f"{m.group(1)}.erl"
            path.write_text(source, encoding="utf-8")
            p = _erl_string(path)
            return self.eval(f"case compile:file({p}, [binary, return_errors]) of "
                             f"{{ok, M, B}} -> {{module, M}} = code:load_binary(M, {p}, B), M; "
                             f"{{error, Es, _}} -> error({{compile, [{{L, Mod:format_error(E)}} "
                             f"|| {{_, FEs}} <- Es, {{L, Mod, E}} <- FEs]}}) end", timeout)

    def forget(self):
        """Forget every variable bound by earlier ``eval`` calls (the shell's ``f()``)."""
        self._send("F\n")

    def _send(self, line):
        try:
            self.proc.stdin.write(line.encode("ascii"))
            self.proc.stdin.flush()
        except (OSError, ValueError) as e:
            raise ErlNodeError(f"{self.node} is not running ({e}); its output:\n" + self.tail()) from None

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            at = line.find(MARK)
            if at < 0:
                self.output.append(line)
                continue
            if at > 0:                                 # io:format without a newline before us
                self.output.append(line[:at])
            parts = line[at + len(MARK):].split(" ")
            if parts[0] == "ready":
                self._ready.set()
            elif parts[0] == "-":
                self.events.append((parts[1], *(_unhex(f) for f in parts[2:])))
            else:
                p = self._pending
                if p is not None and p.rid == parts[0]:
                    p._set(parts[1], parts[2:])
                # else: the reply to a request that timed out: dropped
        self._closed.set()
        p = self._pending
        if p is not None:
            p._set("closed", [])


class Pending:
    """An evaluation under way on an ErlNode (``ErlNode.submit``)."""

    def __init__(self, node, rid, expr):
        self.node, self.rid, self.expr = node, rid, expr
        self._done = threading.Event()
        self._reply = None

    def __repr__(self):
        return f"<Pending {self.expr!r} on {self.node.node}{' done' if self.done() else ''}>"

    def done(self):
        return self._done.is_set()

    def _set(self, kind, fields):
        if not self._done.is_set():
            self._reply = (kind, fields)
            self._done.set()

    def result(self, timeout=10.0):
        """The value as ``~0tp`` text; raises ErlEvalError, ErlEvalTimeout or ErlNodeError."""
        return self._result(timeout)[0]

    def result_etf(self, timeout=10.0):
        """The value as ``term_to_binary`` bytes."""
        return self._result(timeout)[1]

    def _result(self, timeout):
        node = self.node
        if not self._done.wait(timeout):
            node._send("I\n")                          # kill the evaluation, keep the node
            self._done.wait(5.0)
            self._set("timeout", [])                   # a late reply is dropped
            raise ErlEvalTimeout(f"{self.expr!r} did not return within {timeout} s on {node.node}; "
                                 "the evaluation was killed (its mailbox, links and monitors "
                                 "are gone)")
        kind, fields = self._reply
        if kind == "ok":
            return _unhex(fields[0]), bytes.fromhex(fields[1])
        if kind == "exc":
            raise ErlEvalError(self.expr, _unhex(fields[0]), _unhex(fields[1]), _unhex(fields[2]))
        if kind == "died":
            raise ErlEvalError(self.expr, "exit", _unhex(fields[0]), died=True)
        if kind == "timeout":
            raise ErlEvalTimeout(f"{self.expr!r} already timed out on {node.node}")
        raise ErlNodeError(f"{node.node} closed while evaluating {self.expr!r}; its output:\n"
                           + node.tail())


def _unhex(h):
    return bytes.fromhex(h).decode("utf-8")


@atexit.register
def _stop_all():
    for node in list(_live):
        try:
            node.stop(timeout=2.0)
        except Exception:                              # noqa: BLE001  (best effort at exit)
            pass
