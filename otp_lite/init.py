"""The node's command line, boot and shutdown: mirrors OTP ``init`` (OTP 25), simulated; book ch. 11.

==============================================  =============================================
OTP                                             otp_lite.init
==============================================  =============================================
``erl -boot start -config sys -mykey a b ...``  ``boot(command_line, rel)``: parse, then boot
                                                ``rel`` (``release.boot``) with ``-config``
``init:get_argument(Key)``                      ``get_argument(key)`` -> ``('ok', [[v, ...], ...])``
                                                (one list per occurrence) | ``'error'``
``init:get_arguments()``                        ``get_arguments()`` -> ``[(key, [v, ...]), ...]``
``init:get_plain_arguments()``                  ``get_plain_arguments()`` -> ``[str]``
``init:get_status()``                           ``get_status()`` -> ``(internal, provided)``
``init:stop()`` / ``init:stop(Status)``         ``stop(status=0)``: applications stopped, node halts
``init:restart()``                              ``restart()``: applications stopped, boot run again
``init:reboot()``                               ``reboot()``: as stop; ``heart`` would start a new node
==============================================  =============================================

How a command line is split (OTP 25's ``erlexec`` then ``init``, probed in
tests/oracle_probes/ch11_init_args.erl): ``+Flag [value]``, ``-env Var Value`` and
``-args_file File`` (its words spliced in, ``#`` comments dropped: what a
release's ``vm.args`` is) belong to the emulator and never reach init.
``-eval Expr``, ``-s M F A..`` and ``-run M F A..`` are things for init to run, not
arguments.  Every other ``-key`` starts an argument whose values are the words
up to the next ``-`` or ``+`` word; a key can repeat.  Words before the first flag,
after ``--`` (until the next flag) and everything after ``-extra`` are plain
arguments.  ``erlexec`` also adds ``root``, ``bindir``, ``progname`` and ``home``
first; here they are fixed, simulated paths.

Status: ``('starting', 'started')`` while the boot and the ``-eval``'s run,
``('started', 'started')`` after, ``('stopping', 'started')`` while the
applications stop.  ``stop``, ``restart`` and ``reboot`` return ``'ok'`` at once;
the node does the work when the runtime next runs, as OTP's init process does:
every application except ``kernel`` and ``stdlib``, newest first, gets
``prep_stop`` and ``stop`` (no "exited" reports), then the node halts
(``application.node_status()`` is ``('stopped', 'stop' | 'reboot')``) or boots
again.  What is simulated: no emulator exits (there is no exit status: ``stop(3)``
only records it), nothing is unloaded on restart, ``-sname``/``-setcookie`` and
the ``+`` flags are kept but change nothing, and ``-eval`` is not run (Erlang).

See also: otp_lite.release, otp_lite.application, otp_lite.release_handler.
"""
from __future__ import annotations

import os
import shlex

from . import _erl_text, application, erlang, release, runtime
from .erlang import ErlangError

__all__ = ["parse", "boot", "get_argument", "get_arguments", "get_plain_arguments", "get_status",
           "stop", "restart", "reboot"]

ROOT = "/usr/lib/erlang"            # simulated: erlexec's root, bindir and home
_ERTS = "erts-13.1.5"
_START = ("eval", "s", "run")       # init runs them; they are not arguments


def _words(cmdline):
    if type(cmdline) is str:
        try:
            return shlex.split(cmdline, comments=False)
        except ValueError as e:                     # an unclosed quote
            raise ErlangError("badarg", f"init.parse: cannot split {cmdline!r}: {e}") from None
    if type(cmdline) not in (list, tuple) or any(type(w) is not str for w in cmdline):
        raise ErlangError("function_clause", f"a command line is a str or a list of str, got {cmdline!r}")
    return list(cmdline)


def _args_file(path):
    try:
        with open(path) as f:
            return [w for line in f for w in shlex.split(line.split("#", 1)[0])]
    except (OSError, ValueError) as e:
        # erlexec: "cannot read arguments file"; the node does not start
        raise ErlangError("badarg", f"-args_file {path}: cannot read arguments file ({type(e).__name__})") from None


def parse(cmdline):
    """otp_lite extra: split a command line as erlexec and init do.

    -> ``dict(emulator=[...], arguments=[(key, [values])], plain=[...], start=[(key, [values])])``.
    """
    words = _words(cmdline)
    prog = words.pop(0).rsplit("/", 1)[-1] if words and not words[0].startswith(("-", "+")) else "erl"
    emu, args, plain, start = [], [], [], []
    i, n, cur = 0, len(words), None          # cur: the values list the next plain words go to
    while i < n:
        w = words[i]
        if w == "-extra":
            plain += words[i + 1:]
            break
        if w == "-args_file":
            words[i + 2:i + 2] = _args_file(words[i + 1])
            n = len(words)
            i += 2
            continue
        if w == "-env":
            emu.append((w, words[i + 1:i + 3]))
            i, cur = i + 3, None
            continue
        if w.startswith("+") and len(w) > 1:
            val = words[i + 1] if len(w) == 2 and i + 1 < n and not words[i + 1].startswith(("-", "+")) else None
            emu.append((w, [val] if val is not None else []))
            i, cur = i + (2 if val is not None else 1), None
            continue
        if w == "--":
            cur = plain
        elif w.startswith("-") and len(w) > 1:
            cur = []
            (start if w[1:] in _START else args).append((w[1:], cur))
        elif cur is None:
            plain.append(w)
        else:
            cur.append(w)
        i += 1
    pre = [("root", [ROOT]), ("bindir", [f"{ROOT}/{_ERTS}/bin"]), ("progname", [prog]), ("home", ["/home/learner"])]
    return {"emulator": emu, "arguments": pre + args, "plain": plain, "start": start}


class _Init:
    def __init__(self):
        self.parsed = parse(["erl"])
        self.rel = None
        self.status = ("started", "started")
        self.exit_status = None


_st = None


def _init():
    global _st
    rt = runtime.current()
    if _st is None or _st.rt is not rt:
        _st = _Init()
        _st.rt = rt
    return _st


def boot(cmdline, rel=None):
    """Start the (simulated) node: parse ``cmdline``, then boot ``rel`` -> ``'ok'`` | ``('error', ...)``.

    ``rel`` stands for the boot file ``-boot`` names (otp_lite has no .boot files);
    ``-config F`` applies ``F`` (``F.config`` if that exists; Erlang terms as
    ``release.assemble`` writes them, or a Python literal) after the release's own config.
    """
    from .release import Release
    if rel is not None and type(rel) is not Release:
        raise ErlangError("function_clause", f"init.boot: rel is a release.release(...), got {rel!r}")
    st = _init()
    st.parsed, st.rel = parse(cmdline), rel
    return _boot(st)


def _boot(st):
    st.status = ("starting", "started")
    if st.rel is not None:
        r = release.boot(st.rel)
        if r != "ok":
            st.status = ("starting", "started")
            return r
    for key, vals in st.parsed["arguments"]:
        if key == "config":
            for f in vals:
                _config(f + ".config" if os.path.exists(f + ".config") else f)
    st.status = ("started", "started")
    return "ok"


def _config(path):
    """A sys.config in Erlang syntax (``[{App, [{Key, Value}]}].``), else a Python literal."""
    try:
        terms = _erl_text.consult(path)
    except ValueError:
        return application.load_config(path)
    return application.load_config(terms[0]) if terms else "ok"


def get_argument(key):
    vals = [v for k, v in _init().parsed["arguments"] if k == key]
    return ("ok", [list(v) for v in vals]) if vals else "error"


def get_arguments():
    return [(k, list(v)) for k, v in _init().parsed["arguments"]]


def get_plain_arguments():
    return list(_init().parsed["plain"])


def get_status():
    return _init().status


def stop(status=0):
    """Stop every application, newest first, then halt the node; returns ``'ok'`` at once."""
    if not (type(status) is int and status >= 0 or type(status) is str):
        raise ErlangError("badarg", f"init.stop: the status is an integer >= 0 or a string, got {status!r}")
    return _request("stop", status)


def restart():
    """Stop every application, newest first, then run the boot again; ``'ok'`` at once."""
    return _request("restart", 0)


def reboot():
    """As :func:`stop`; with ``-heart`` real OTP's heart would then start a new emulator."""
    return _request("reboot", 0)


def _request(how, status):
    st = _init()
    erlang.spawn(_shutdown, st, how, status)
    return "ok"


def _shutdown(st, how, status):
    st.status = ("stopping", st.status[1])
    application._stop_all()
    if how == "restart":
        _boot(st)
        return
    st.exit_status = status
    application._halt(how)
