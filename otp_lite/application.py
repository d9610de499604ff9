"""Applications: mirrors OTP ``application`` (OTP 25); book ch. 9.

=====================================  ======================================
application API                        callback (your ``mod`` namespace)
=====================================  ======================================
``load(resource)``                     --
``start(app[, type])``                 ``start('normal', args)`` -> ('ok', top_sup_pid[, state])
                                       then ``start_phase(phase, 'normal', args)`` per phase
``stop(app)``                          ``prep_stop(state)``, top supervisor stopped, ``stop(state)``
``get_env / set_env / get_key``        --
``get_supervisor(app)``                -- (OTP 26+: the top supervisor's pid)
=====================================  ======================================

A *resource* stands in for the ``.app`` file, as a tuple or a dict::

    ('application', 'bsc', [('description', 'Base Station Controller'), ('vsn', '1.0'),
                            ('modules', [...]), ('registered', ['frequency', ...]),
                            ('applications', ['kernel', 'stdlib', 'sasl']),
                            ('env', [('frequencies', [...])]), ('mod', (bsc, []))])
    {'name': 'bsc', 'description': ..., 'vsn': ..., 'mod': (bsc, []), ...}

``load_config(cfg)`` stands in for ``erl -config file``: ``[(app, [(key,
value)])]``, a dict ``{app: {key: value}}`` or the path of a file holding
either as a Python literal; its values override the resource's ``env``.

Start types: ``'temporary'`` (default: the app dies alone, with an
``exited: Reason`` report), ``'transient'`` (an abnormal death stops the
node), ``'permanent'`` (any death stops the node).  The "node" here is the
runtime: stopping it stops every application, logs ``Kernel pid terminated
(application_controller) (...)``, emits a ``node_stopped`` trace event and
makes :func:`node_status` return ``('stopped', reason)``; the Python
kernel keeps running (``runtime.reset()`` boots a new node).

Failure rule: a missing dependency -> ``('error', ('not_started', dep))``; a
``start`` returning ``('error', R)`` -> ``('error', (R, (mod, 'start',
['normal', args])))``; anything else -> ``('error', ('bad_return', ...))``;
a start phase returning ``('error', R)`` -> ``('error', (R, (mod, 'start_phase',
[phase, 'normal', args])))``, anything but 'ok' -> ``('bad_return_value', ...)``.

``('mod', ('application_starter', [mod, args]))``: ``mod.start('normal', args)``,
then each phase runs through this application and, depth first, the
``included_applications`` (each with its own phase arguments, skipped where
its ``start_phases`` lack the phase or it has no ``mod``); an included
application without ``start_phases`` -> ``('error', ('start_phases_undefined', app))``.
Included applications are loaded with their parent, never started: the
parent's supervisor starts their top supervisors, and their processes
belong to the parent (same group leader, the parent's master).
The master then exits with that reason (a CRASH REPORT), as OTP's does.
After a failed start phase the top supervisor is left running, unlinked
and belonging to no application, as OTP 25 leaves it (a leak to clean up).

See also: otp_lite.supervisor, otp_lite.runtime.
"""
from __future__ import annotations

import ast

from . import erlang, logger, proc_lib, runtime, _gen
from .erlang import ANY, Exit, Pid
from .kernel import state as _state
from .kernel.signals import Killed

__all__ = ["load", "unload", "start", "stop", "ensure_started", "ensure_all_started",
           "which_applications", "loaded_applications", "get_env", "get_all_env", "set_env",
           "unset_env", "get_key", "get_all_key", "get_application", "get_supervisor", "load_config",
           "node_status", "prep_config_change", "config_change"]

_KEYS = ("description", "id", "vsn", "modules", "maxP", "maxT", "registered",
         "included_applications", "optional_applications", "applications", "env", "mod", "start_phases")
_BUILTIN = {
    "kernel": {"description": "ERTS  CXC 138 10", "vsn": "8.5.3"},
    "stdlib": {"description": "ERTS  CXC 138 10", "vsn": "4.2", "applications": ["kernel"]},
    "sasl": {"description": "SASL  CXC 138 11", "vsn": "4.2", "applications": ["kernel", "stdlib"]},
}


class _Controller:
    """The application_controller's tables (one per runtime)."""

    def __init__(self):
        self.known = {}          # name -> resource dict (the "code path")
        self.loaded = {}         # name -> resource dict (with 'env' as a dict)
        self.started = []        # [(name, type)] in start order
        self.running = {}        # name -> master pid | 'undefined'
        self.tops = {}           # name -> top supervisor pid (what start/2 returned)
        self.starting = {}       # name -> master pid while start/2 and the phases run
        self.config = {}         # name -> {key: value}   (sys.config)
        self.preenv = {}         # name -> {key: value}   set_env before load (the .app env overrides it)
        self.stopping_node = False
        self.node = "running"
        for n, r in _BUILTIN.items():
            self.known[n] = _normalise(dict(r, name=n))
        for n in ("kernel", "stdlib"):
            self.loaded[n] = dict(self.known[n], env={})
            self.started.append((n, "permanent"))
            self.running[n] = "undefined"


_ac = None


def _ctl():
    global _ac
    if _ac is None or _ac.rt is not _state.rt:
        _ac = _Controller()
        _ac.rt = runtime.current()
    return _ac


# ======================================================================== resources
def _normalise(res):
    """A resource tuple or dict -> dict with every key, OTP defaults."""
    if type(res) is tuple and len(res) == 3 and res[0] == "application":
        d = dict(res[2])
        d["name"] = res[1]
    elif type(res) is dict and "name" in res:
        d = dict(res)
    else:
        raise erlang.ErlangError("badarg", f"an application resource is ('application', name, [(key, value)]) "
                                           f"or a dict with a 'name' key, got {res!r}")
    out = {"name": d["name"], "description": "", "id": "", "vsn": "", "modules": [], "maxP": "infinity",
           "maxT": "infinity", "registered": [], "included_applications": [], "optional_applications": [],
           "applications": [],
           "env": [], "mod": [], "start_phases": "undefined"}
    for k, v in d.items():
        if k != "name" and k not in _KEYS:
            raise erlang.ErlangError("badarg", f"unknown key {k!r} in the resource of {d['name']!r}; known: {', '.join(_KEYS)}")
        out[k] = v
    return out


def _name(app):
    if type(app) is str:
        return app
    return _normalise(app)["name"]


def _bad_resource(app):
    """OTP 25's answer to a resource ``application:load/1`` cannot take, or None
    (tests/oracle_probes/ch23_bad_input.erl): not ``{application, Atom, Opts}`` ->
    ``{bad_application, App}``, ``Opts`` not a list -> ``{invalid_options, Opts}``, a
    ``mod`` neither ``[]`` nor ``{M, A}`` -> ``{badstartspec, Mod}``, an ``env`` not a
    list of pairs -> application_controller's ``function_clause``, ``included_applications``
    not a list -> its ``case_clause``.  Other keys and odd list items are accepted, as OTP."""
    if type(app) is dict:
        if type(app.get("name")) is not str:
            return ("error", ("bad_application", app))
        opts = app
    elif type(app) is tuple and len(app) == 3 and app[0] == "application" and type(app[1]) is str:
        if type(app[2]) is not list:
            return ("error", ("invalid_options", app[2]))
        opts = dict(o for o in app[2] if type(o) is tuple and len(o) == 2)
    else:
        return ("error", ("bad_application", app))
    mod = opts.get("mod", [])
    if mod != [] and not (type(mod) is tuple and len(mod) == 2):
        return ("error", ("badstartspec", mod))
    env = opts.get("env", [])
    if type(env) is not dict and (type(env) is not list or
                                  any(type(e) is not tuple or len(e) != 2 for e in env)):
        return ("error", ("function_clause", [("application_controller", "merge_app_env", [env, [], []])]))
    inc = opts.get("included_applications", [])
    if type(inc) is not list:
        return ("error", (("case_clause", inc), [("lists", "foldl", 3), ("application_controller", "load", 2)]))
    return None


def load(app, distnodes=None):
    """Load a resource (or a known name) -> 'ok' | ('error', ...)."""
    ac = _ctl()
    if type(app) is not str:
        bad = _bad_resource(app)
        if bad is not None:
            return bad
        given = app
        if type(app) is tuple:                           # odd list items: OTP skips them
            given = (app[0], app[1], [o for o in app[2] if type(o) is tuple and len(o) == 2])
        res = _normalise(given)
        ac.known[res["name"]] = res
        name = res["name"]
    else:
        name = app
    if name in ac.loaded:
        return ("error", ("already_loaded", app))        # OTP: the name or the resource, as given
    res = ac.known.get(name)
    if res is None:
        return ("error", ("no such file or directory", f"{name}.app"))
    env = ac.preenv.pop(name, {})                         # set_env before load: the .app env wins
    env.update(dict(res["env"]) if type(res["env"]) is list else dict(res["env"] or {}))
    env.update(ac.config.get(name, {}))
    ac.loaded[name] = dict(res, env=env)
    for inc in res["included_applications"]:
        if inc not in ac.loaded:
            r = load(inc)
            if r != "ok":
                return r
    return "ok"


def unload(app):
    ac = _ctl()
    name = _name(app)
    if name in ac.running:
        return ("error", ("running", name))
    if name not in ac.loaded:
        return ("error", ("not_loaded", name))
    del ac.loaded[name]
    return "ok"


def load_config(cfg):
    """Config overrides, like ``erl -config file`` (a term, a dict, or a file path)."""
    if type(cfg) is str:
        cfg = _read_config(cfg)
        if type(cfg) is str:
            return ("error", cfg)
    if type(cfg) is not dict and type(cfg) is not list:
        # OTP 25's application:set_env(Config) has no clause for it
        raise erlang.ErlangError("function_clause", f"load_config({cfg!r}): a list of (app, [(key, value)]), "
                                                    "a dict or a file path")
    items = list(cfg.items()) if type(cfg) is dict else cfg
    for item in items:
        if type(item) is not tuple or len(item) != 2 or type(item[0]) is not str:
            raise erlang.ErlangError("badarg", f"load_config: {item!r} is not (app, [(key, value)])")
        kvs = item[1]
        if type(kvs) is dict:
            continue
        if type(kvs) is not list or any(type(kv) is not tuple or len(kv) != 2 for kv in kvs):
            # OTP 25, application:set_env([{app, notalist}]): this badarg and sentence
            raise erlang.ErlangError("badarg", f"application: {item[0]}; parameters must be a list")
    ac = _ctl()
    for app, kvs in items:
        kvs = dict(kvs)
        ac.config.setdefault(app, {}).update(kvs)
        if app in ac.loaded:
            ac.loaded[app]["env"].update(kvs)
    return "ok"


def _read_config(path):
    """The term in a config file, or the sentence ``erl -config`` dies with (OTP 25:
    ``error in config file "F" (none): configuration file not found``, or ``...must contain
    ONE list ended by <dot>``; tests/oracle_probes/ch23_bad_config.sh and .out)."""
    where = f'error in config file "{path}"'
    try:
        with open(path) as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return f"{where} (none): configuration file not found"
    try:
        cfg = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as e:
        line = getattr(e, "lineno", None) or "none"
        return f"{where} ({line}): not a Python literal ({type(e).__name__})"
    if type(cfg) is not list and type(cfg) is not dict:
        return f"{where} (none): configuration file must contain ONE list ended by <dot>"
    return cfg


# ======================================================================== starting and stopping
def start(app, type="temporary"):
    """-> 'ok' | ('error', ('already_started', a) | ('not_started', dep) | reason)."""
    if type not in ("temporary", "transient", "permanent"):
        return ("error", ("invalid_restart_type", type))     # as OTP 25
    ac = _ctl()
    if ac.node != "running":
        return ("error", ("node_stopped", ac.node[1]))
    name = _name(app)
    if name not in ac.loaded:
        r = load(app)
        if r != "ok":
            return r
    if name in ac.running:
        return ("error", ("already_started", name))
    appl = ac.loaded[name]
    if not isinstance(appl["applications"], list):          # (`type` is the start type here)
        return _bad_applications_kill_the_node(appl["applications"])
    started = {n for n, _ in ac.started}
    for dep in appl["applications"]:
        if dep in appl["optional_applications"] and dep not in ac.loaded and dep not in ac.known:
            continue                          # an optional dependency that is not there
        if dep not in started:
            return ("error", ("not_started", dep))
    if not appl["mod"]:
        ac.started.append((name, type))
        ac.running[name] = "undefined"
        return "ok"
    r = proc_lib.start(_master, (name, appl, type), "infinity", ("application_master", "init", 4))
    ac.starting.pop(name, None)              # the master put itself there while it started
    if r[0] == "ok":
        ac.started.append((name, type))
        ac.running[name] = r[1]
        runtime.emit("app_started", app=name, master=r[1], type=type)
        return "ok"
    _info_exited(name, r[1], type)
    return r


def _bad_applications_kill_the_node(apps):
    """OTP 25 loads ``{applications, kernel}`` but its start crashes application_controller
    (``check_start_cond``'s ``lists:foreach`` has no clause for an atom): "Kernel pid
    terminated" and the node halts (tests/oracle_probes/ch23_bad_input.out, its last lines)."""
    why = (("case_clause", ("EXIT", ("function_clause", [("lists", "foreach_1", ["fun", apps]),
                                                         ("application_controller", "check_start_cond", 4)]))),
           [("application_controller", "handle_call", 3)])
    _stop_all()
    logger.log("critical", [f"Kernel pid terminated (application_controller) ({logger.fmt(why)})"],
               kind="node_stopped", reason=why)
    _halt(why)
    return ("error", ("node_stopped", why))


def ensure_started(app, type="temporary"):
    r = start(app, type)
    if type_of(r) == "already_started":
        return "ok"
    return r


def type_of(r):
    return r[1][0] if type(r) is tuple and r[0] == "error" and type(r[1]) is tuple else None


def ensure_all_started(app, type="temporary"):
    """Start ``app`` and every app it needs: ('ok', [started, in order]) | ('error', (app, reason))."""
    ac = _ctl()
    done = []

    def go(name):
        if name in ac.running:
            return None
        if name not in ac.loaded:
            r = load(name)
            if r != "ok" and type_of(r) != "already_loaded":
                return (name, r[1])
        appl = ac.loaded[name]
        for dep in appl["applications"]:
            if dep in appl["optional_applications"] and dep not in ac.loaded and dep not in ac.known:
                continue
            err = go(dep)
            if err is not None:
                return err
        r = start(name, type)
        if r == "ok":
            done.append(name)
            return None
        return (name, r[1])

    if not isinstance(app, str):
        load(app)
    err = go(_name(app))
    if err is not None:
        for n in reversed(done):
            stop(n)
        return ("error", err)
    return ("ok", done)


def stop(app):
    """Stop an application: its top supervisor and ``mod.stop(state)``; 'ok' or ('error', ('not_started', a))."""
    return _stop(app, True)


def _stop(app, report):
    ac = _ctl()
    name = _name(app)
    if name not in ac.running:
        return ("error", ("not_started", name))
    typ = dict(ac.started)[name]
    master = ac.running.pop(name)
    ac.tops.pop(name, None)
    ac.started = [(n, t) for n, t in ac.started if n != name]
    if type(master) is Pid and master.alive:
        me = erlang.self()
        ref = erlang.monitor("process", master)
        erlang.send(master, ("$stop", me, ref))
        erlang.receive(("DOWN", ref, "process", master, ANY))
    if report:                                # not while the node goes down (OTP logs nothing then)
        _info_exited(name, "stopped", typ)
    runtime.emit("app_stopped", app=name, reason="stopped")
    return "ok"


def _info_exited(name, reason, typ):
    logger.log("notice", [f"    application: {name}", f"    exited: {logger.fmt(reason, 12)}", f"    type: {typ}"],
               kind="info_report", application=name, exited=reason, type=typ)


def node_status():
    """otp_lite extra: 'running' or ('stopped', reason) after a permanent app died."""
    return _ctl().node


# ======================================================================== the application master
def _master(name, appl, typ):
    me = erlang.self()
    me.group_leader = me                     # every process the app starts inherits it
    me.label = f"application_master:{name}"
    erlang.process_flag("trap_exit", True)
    mod, args = appl["mod"]
    starter = mod == "application_starter"   # {mod, {application_starter, [Mod, Args]}}: phases reach included apps
    if starter:
        mod, args = args
    mfa = (_gen.module_name(mod), "start", ["normal", args])
    ac = _ctl()
    ac.starting[name] = me                   # as OTP's master: get_env/1 works in the app's init functions
    ret = _catch(lambda: _gen.resolve(mod).start("normal", args))
    if type(ret) is tuple and len(ret) in (2, 3) and ret[0] == "ok" and type(ret[1]) is Pid:
        top, st = ret[1], (ret[2] if len(ret) == 3 else [])
    elif type(ret) is tuple and len(ret) == 2 and ret[0] == "error":
        _start_failed((ret[1], mfa))
    else:
        _start_failed(("bad_return", (mfa, ret)))
    phases = appl["start_phases"]
    if phases != "undefined":
        for phase, pargs in phases:
            err = _starter_phase(name, phase) if starter else _run_phase(mod, phase, pargs)
            if err is not None:              # OTP 25 application_master: the helper unlinks the top
                erlang.unlink(top)               # supervisor and leaves it running, an orphan (probed:
                _start_failed(err)               # tests/oracle_probes/ch09_apps.erl)
    ac.tops[name] = top
    top_ids = (top, top.name) if top.name else (top,)
    proc_lib.init_ack(("ok", me))
    while True:
        m = erlang.receive()
        if type(m) is tuple and m[0] == "$stop":
            m_ = _gen.resolve(mod)
            if hasattr(m_, "prep_stop"):
                st = m_.prep_stop(st)
            erlang.exit(top, "shutdown")
            erlang.receive(("EXIT", top, ANY))
            if hasattr(m_, "stop"):
                _catch_any(lambda: m_.stop(st))   # OTP: catch Mod:stop(State); its value is ignored
            _kill_all_procs(me)
            return
        if type(m) is tuple and len(m) == 3 and m[0] == "EXIT" and m[1] is top:
            # OTP application_master:loop_it/4: prep_stop, stop, then exit with the top's reason;
            # the controller hears of it after the master's crash report
            m_ = _gen.resolve(mod)
            if hasattr(m_, "prep_stop"):
                st1 = _catch(lambda: m_.prep_stop(st))
                st = st if type(st1) is tuple and len(st1) == 2 and st1[0] == "EXIT" else st1
            if hasattr(m_, "stop"):
                _catch(lambda: m_.stop(st))
            reason = m[2]
            _kill_all_procs(me, spare=top_ids)
            erlang.spawn(_controller_hears, me, name, reason)
            raise Exit(reason)


def _run_phase(mod, phase, pargs):
    """``mod:start_phase(Phase, normal, PhaseArgs)``: None if it returned 'ok', else the start error."""
    pmfa = (_gen.module_name(mod), "start_phase", [phase, "normal", pargs])
    r = _catch(lambda: _gen.resolve(mod).start_phase(phase, "normal", pargs))
    if r == "ok":
        return None
    if type(r) is tuple and len(r) == 2 and r[0] == "error":
        return (r[1], pmfa)
    return ("bad_return_value", (pmfa, r))


def _starter_phase(name, phase):
    """OTP ``application_starter``: one phase through ``name`` and, depth first, through the
    applications it includes, each with its own phase arguments (skipped where its
    ``start_phases`` lack the phase).  Only an included application whose ``mod`` is
    ``application_starter`` passes the phase on to the applications *it* includes."""
    appl = _ctl().loaded[name]
    if not appl["mod"]:                      # OTP: a badmatch on get_key(App, mod), caught and ignored
        return None
    if appl["start_phases"] == "undefined":
        return ("start_phases_undefined", name)
    mod, args = appl["mod"]
    starter = mod == "application_starter"
    if starter:
        mod = args[0]
    own = dict(appl["start_phases"])
    if phase in own:
        err = _run_phase(mod, phase, own[phase])
        if err is not None:
            return err
    if starter:
        for inc in appl["included_applications"]:
            err = _starter_phase(inc, phase)
            if err is not None:
                return err
    return None


def _catch_any(fun):
    """``catch Expr`` for a callback whose value is ignored: an exit, a throw or an error alike."""
    try:
        return fun()
    except Killed:
        raise
    except Exception as e:                   # noqa: BLE001
        return ("EXIT", e)


def _kill_all_procs(master, spare=()):
    """OTP application_master:kill_all_procs/0: the application's processes outside its tree
    (their group leader is the master, e.g. one spawned by a start phase) are killed when it ends.
    When the top supervisor has just died, the processes it started (``spare``: its pid and name
    among their '$ancestors') are left to go down through their links, as they do in OTP before
    the master gets round to them (erlang_ref i1 15>: simple_phone_sup's own report)."""
    for p in erlang.processes():
        if p is master or not p.alive or p.group_leader is not master:
            continue
        if spare and any(a in spare for a in proc_lib._ancestors(p)):
            continue
        erlang.exit(p, "kill")


def _catch(fun):
    """Erlang's ``catch Expr``: the value, a thrown term, or ('EXIT', reason)."""
    try:
        return fun()
    except Killed:
        raise
    except Exit as e:
        return ("EXIT", e.reason)
    except erlang.Throw as t:
        return t.value
    except Exception as e:                   # noqa: BLE001
        return ("EXIT", _state.rt.error_reason(e))


def _start_failed(reason):
    """The master exits with ``reason`` (a CRASH REPORT, as OTP's); ``proc_lib.start``,
    monitoring it, returns ``('error', reason)`` to the starter."""
    raise Exit(reason)


def _controller_hears(master, name, reason):
    """The application_controller's side of a master's death: waits for it, then reports."""
    ref = erlang.monitor("process", master)
    erlang.receive(("DOWN", ref, "process", master, ANY))
    _app_died(name, reason)


def _app_died(name, reason):
    ac = _ctl()
    if name not in ac.running:
        return
    typ = dict(ac.started)[name]
    del ac.running[name]
    ac.tops.pop(name, None)
    ac.started = [(n, t) for n, t in ac.started if n != name]
    _info_exited(name, reason, typ)
    runtime.emit("app_stopped", app=name, reason=reason)
    if typ == "temporary" or (typ == "transient" and reason == "normal"):
        return
    why = ("application_terminated", name, reason)
    _stop_all()
    logger.log("critical", [f"Kernel pid terminated (application_controller) ({logger.fmt(why)})"],
               kind="node_stopped", reason=why)
    _halt(why)


def _stop_all():
    """otp_lite-internal, for init and a permanent application's death: stop every
    application but kernel and stdlib, newest first, without "exited" reports."""
    ac = _ctl()
    for n, _t in reversed(list(ac.started)):
        if n not in ("kernel", "stdlib"):
            _stop(n, False)


def _halt(reason):
    """otp_lite-internal: the node is down; ``node_status()`` says why."""
    ac = _ctl()
    ac.started.clear()
    ac.running.clear()
    ac.tops.clear()
    ac.node = ("stopped", reason)
    runtime.emit("node_stopped", reason=reason)


# ======================================================================== environment and keys
def which_applications(timeout=5000):
    """``[(name, description, vsn)]`` of running applications, newest first."""
    ac = _ctl()
    return [(n, ac.loaded[n]["description"], ac.loaded[n]["vsn"]) for n, _ in reversed(ac.started)]


def loaded_applications():
    ac = _ctl()
    return [(n, a["description"], a["vsn"]) for n, a in ac.loaded.items()]


def _caller_app():
    r = get_application()
    return r[1] if r != "undefined" else None


def get_env(*args):
    """``get_env(app, key)`` -> ('ok', v) | 'undefined'; ``get_env(app, key, default)`` -> v;
    ``get_env(key)`` for the caller's application."""
    ac = _ctl()
    if len(args) == 1:
        app, key = _caller_app(), args[0]
    elif len(args) in (2, 3):
        app, key = args[0], args[1]
    else:
        raise erlang.ErlangError("undef", "get_env([app,] key) or get_env(app, key, default): no such arity")
    env = _env_of(ac, app) if app is not None else {}
    if not _hashable(key):                                # no such key: OTP answers undefined
        return args[2] if len(args) == 3 else "undefined"
    if len(args) == 3:
        return env.get(key, args[2])
    return ("ok", env[key]) if key in env else "undefined"


_hashable = _gen._hashable            # (one definition: a term Python can use as a key)


def _env_of(ac, app):
    """The environment of ``app``: loaded, or what set_env gave it before load (OTP keeps both in ac_tab).
    An application name that is no Python key (a list...) names no application: ``{}``."""
    if not _hashable(app):
        return {}
    a = ac.loaded.get(app)
    return a["env"] if a is not None else ac.preenv.get(app, {})


def get_all_env(app=None):
    app = app if app is not None else _caller_app()
    return list(_env_of(_ctl(), app).items())


def set_env(*args, **_opts):
    """``set_env(app, key, value)``, or ``set_env([(app, [(key, value)])])`` (OTP 21+)."""
    if len(args) == 1:
        cfg = args[0]
        if type(cfg) is not list:
            # OTP 25: application:set_env(notalist) -> error:function_clause (ch23_bad_input.out)
            raise erlang.ErlangError("function_clause", f"set_env/1 takes [(app, [(key, value)])], got {cfg!r}")
        for item in cfg:
            if type(item) is not tuple or len(item) != 2 or type(item[1]) is not list \
                    or any(type(kv) is not tuple or len(kv) != 2 for kv in item[1]):
                app = item[0] if type(item) is tuple and item else item
                raise erlang.ErlangError("badarg", f"application: {app}; parameters must be a list")
        for app, kvs in cfg:
            for k, v in kvs:
                set_env(app, k, v)
        return "ok"
    if len(args) != 3:
        raise erlang.ErlangError("undef", f"application.set_env/{len(args)}: set_env(app, key, value) or set_env(config)")
    app, key, val = args
    ac = _ctl()
    if app in ac.loaded:
        ac.loaded[app]["env"][key] = val
    else:
        ac.preenv.setdefault(app, {})[key] = val
    return "ok"


def unset_env(app, key):
    ac = _ctl()
    if _hashable(key):
        _env_of(ac, app).pop(key, None)
    return "ok"


def get_key(*args):
    """``get_key(app, key)`` -> ('ok', value) | 'undefined'."""
    if len(args) == 1:
        app, key = _caller_app(), args[0]
    elif len(args) == 2:
        app, key = args
    else:
        raise erlang.ErlangError("undef", f"application.get_key/{len(args)}: get_key([app,] key)")
    a = _ctl().loaded.get(app) if _hashable(app) else None
    if a is None or type(key) is not str or key not in _KEYS:
        return "undefined"
    v = a[key]
    if key == "env":
        v = list(v.items())
    return ("ok", v)


def get_all_key(app):
    a = _ctl().loaded.get(app) if _hashable(app) else None
    if a is None:
        return "undefined"
    return ("ok", [(k, get_key(app, k)[1]) for k in _KEYS])


def get_supervisor(app):
    """``('ok', pid)`` of the supervisor at the root of a running ``app``, else ``'undefined'``
    (not running, or no ``mod``: a library application).  OTP 26's ``application:get_supervisor/1``
    (not in OTP 25, where tools dig it out of ``application_master``)."""
    top = _ctl().tops.get(_name(app))
    return ("ok", top) if type(top) is Pid else "undefined"


def _change_application_data(resources, config=()):
    """otp_lite-internal, for release_handler: OTP's ``application_controller:change_application_data``.

    Each resource replaces the loaded one of the same name (new ``vsn``,
    ``modules``...); its environment becomes the new ``.app`` env overlaid
    with the new release's ``config`` (``[(app, [(key, value)])]``): values
    set with ``set_env`` are gone, as in OTP 25 (tests/oracle_probes/ch12_config_change.erl).
    Resources of applications that are not loaded are ignored.
    """
    ac = _ctl()
    cfg = {a: dict(kvs) for a, kvs in (config.items() if type(config) is dict else config)}
    for res in resources:
        res = _normalise(res)
        name = res["name"]
        if name in ac.loaded:
            env = dict(res["env"]) if type(res["env"]) is list else dict(res["env"] or {})
            env.update(cfg.get(name, {}))
            ac.loaded[name] = dict(res, env=env)
            ac.known[name] = res
            if name in cfg:
                ac.config[name] = dict(cfg[name])
    return "ok"


def prep_config_change():
    """``[(app, env)]`` of every running application: what ``release_handler`` keeps before an
    upgrade to tell each application what changed (OTP's ``application_controller:prep_config_change/0``)."""
    return [(n, get_all_env(n)) for n, _d, _v in which_applications()]


def config_change(env_before):
    """After an upgrade: call ``Mod.config_change(Changed, New, Removed)`` of every running
    application whose environment changed since ``prep_config_change`` (OTP's
    ``application_controller:config_change/1``): ``Changed`` and ``New`` are ``[(key, value)]``,
    ``Removed`` ``[key]``, each in reverse order of the environment, as OTP's diff builds them.
    An application without ``config_change`` is skipped.  -> ``'ok'`` | ``('error', ...)``."""
    if type(env_before) is not list or any(type(e) is not tuple or len(e) != 2 or type(e[1]) is not list
                                          or any(type(kv) is not tuple or len(kv) != 2 for kv in e[1])
                                          for e in env_before):
        raise erlang.ErlangError("function_clause", "config_change takes prep_config_change()'s "
                                                    f"[(app, [(key, value)])], got {env_before!r}")
    before = dict(env_before)
    for name, _d, _v in reversed(which_applications()):           # in start order, as OTP
        if name not in before:
            continue
        old = list(before[name])
        changed, new = [], []
        for k, v in get_all_env(name):
            i = next((j for j, (k2, _) in enumerate(old) if k2 == k), None)
            if i is None:
                new.insert(0, (k, v))
            else:
                if old[i][1] != v:
                    changed.insert(0, (k, v))
                del old[i]
        removed = [k for k, _ in reversed(old)]
        mod = _ctl().loaded[name]["mod"]
        cb = _gen.resolve(mod[0]) if mod else None          # the current code, as Mod:config_change
        if (changed or new or removed) and hasattr(cb, "config_change"):
            r = cb.config_change(changed, new, removed)
            if r != "ok":
                return ("error", r)
    return "ok"


def get_application(pid=None):
    """``('ok', app)`` for a process started by an application (the caller by default), else 'undefined'."""
    if pid is None:
        pid = erlang.self()
    elif type(pid) is str:
        pid = erlang.whereis(pid)
    if type(pid) is not Pid:
        return "undefined"
    gl = pid.group_leader
    ac = _ctl()
    for n, m in list(ac.running.items()) + list(ac.starting.items()):
        if m is gl and type(m) is Pid:
            return ("ok", n)
    return "undefined"
