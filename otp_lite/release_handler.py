"""Upgrading a running release: mirrors OTP ``release_handler`` (OTP 25), simulated; book ch. 12.

=========================================  ===============================================
OTP                                        otp_lite.release_handler
=========================================  ===============================================
``release_handler:install_release(Vsn)``   ``install_release(rel)`` -> ``('ok', from_vsn, [])``
  (runs the relup script)                    (``release.make_relup`` + :func:`eval_script`)
``release_handler:make_permanent(Vsn)``    ``make_permanent(vsn)``
``release_handler:which_releases()``       ``which_releases()`` -> ``[(name, vsn, apps, status)]``
=========================================  ===============================================

The low-level instructions, as ``release_handler_1`` runs them:

``('load_object_code', (app, vsn, mods))``   fetch the new module versions (nothing changes)
``'point_of_no_return'``                   from here a failure cannot be rolled back
``('suspend', [mod])``                     ``sys.suspend`` every process that *uses* mod:
                                           a supervised child whose child spec lists mod
                                           in ``modules`` (found by walking each running
                                           application's supervision tree, as OTP does)
``('load', (mod, pre, post))``             brutal purge (kills anything in old code), then
                                           ``code.load`` -- the old vsn is remembered
``('code_change', 'up', [(mod, extra)])``  ``sys.change_code(pid, mod, OldVsn, extra)``
``('code_change', 'down', [(mod, extra)])`` ``sys.change_code(pid, mod, ('down', Vsn), extra)``
                                           where Vsn is the vsn of the code being loaded
``('resume', [mod])``                      ``sys.resume``; messages queued meanwhile run now
``('remove', (mod, pre, post))``           purge and ``code.delete``
``('purge', [mod])``                       ``code.purge`` (kills what still runs old code)
``('apply', (m, f, args))``                ``m:f(args...)``: a module of the code server, or
                                           otp_lite's ``application``/``code``/``sys``/``supervisor``
``'restart_new_emulator'``                 not here: ``install_release`` refuses the script
``'restart_emulator'``                     the same, after point_of_no_return

Purge options (OTP 25 ``release_handler_1``): a ``load``/``remove`` whose
PrePurge is ``soft_purge`` makes the whole install fail first with
``('error', ('old_processes', mod))`` if some process runs the module's old
code; brutal purges it (killing them) before the load.  PostPurge: after the
load the replaced code is old; if nobody runs it, it goes at once, else it
is remembered and, when the release is made permanent, purged (brutal) or
soft-purged (soft: kept while someone runs it).

Around the script, as OTP's ``do_install_release``: the environment of every
running application is noted (``application.prep_config_change``), the new
application data and the new release's config are installed, the script
runs, then ``Mod:config_change(Changed, New, Removed)`` is called for every
application whose environment changed (``application.config_change``).

What is simulated: the releases live in this runtime, not on disk; there is
no new emulator, no ``RELEASES`` file, no restart of the node; ``install``
both makes and runs the relup.  What is real: the order, the suspended
processes, the two-version rule, and the code_change arguments.

Failure rule: a step failing before ``point_of_no_return`` returns
``('error', reason)`` and nothing has changed; after it, OTP restarts the
node from the old release -- here the error is returned as
``('error', ('after_point_of_no_return', reason))`` and the runtime keeps
whatever state it reached (say so to the learner: that is why OTP reboots).

See also: otp_lite.release, otp_lite.code, otp_lite.sys.
"""
from __future__ import annotations

from . import _gen, application, code, erlang, runtime, supervisor
from . import sys as _sys
from .erlang import ErlangError, Exit, Pid
from .kernel import state as _state

__all__ = ["install_release", "make_permanent", "which_releases", "eval_script", "current_release",
           "procs_using", "get_supervised_procs"]


class _Handler:
    def __init__(self, rt):
        self.rt = rt
        self.releases = {}          # vsn -> [Release, status]
        self.current = None
        self.unpurged = {}          # mod -> PostPurge method, old code still run by someone


_h = None


def _handler():
    global _h
    if _h is None or _h.rt is not _state.rt:
        _h = _Handler(runtime.current())
    return _h


def _booted(rel):
    h = _handler()
    h.releases[rel.vsn] = [rel, "permanent"]
    h.current = rel


def current_release():
    return _handler().current


def which_releases():
    """``[(name, vsn, ['app-vsn', ...], status)]``, newest first (status permanent|current|old)."""
    return [(r.name, v, [f"{a.name}-{a.vsn}" for a, _ in r.apps], s)
            for v, (r, s) in sorted(_handler().releases.items(), reverse=True)]


def make_permanent(vsn):
    h = _handler()
    if vsn not in h.releases:
        return ("error", ("bad_status", "unknown"))
    for v, entry in h.releases.items():
        if entry[1] == "permanent":
            entry[1] = "old"
    h.releases[vsn][1] = "permanent"
    for m, how in list(h.unpurged.items()):      # PostPurge: brutal now; soft once nobody runs it
        if how == "brutal_purge":
            code.purge(m)
        if how == "brutal_purge" or code.soft_purge(m):
            del h.unpurged[m]
    return "ok"


def install_release(rel):
    """Upgrade (or downgrade) the running release to ``rel`` -> ``('ok', from_vsn, [])``."""
    from . import release
    h = _handler()
    cur = h.current
    if cur is None:
        return ("error", "no_release_booted")
    if rel.vsn == cur.vsn:
        return ("error", ("already_installed", rel.vsn))
    if rel.vsn in h.releases and h.releases[rel.vsn][0] is not rel:
        rel = h.releases[rel.vsn][0]
    # a downgrade runs the *down* script of the newer release's relup
    down = rel.vsn in h.releases and _older(rel, cur)
    relup = release.make_relup(cur, rel) if down else release.make_relup(rel, cur)
    if relup[0] == "error":
        return relup
    script = relup[2][0][2] if down else relup[1][0][2]
    env_before = application.prep_config_change()
    application._change_application_data([a.resource for a, _t in rel.apps], rel.config)
    r = eval_script(script, rel, cur)
    if r != "ok":
        if r[1][0] != "after_point_of_no_return":        # nothing changed: nor does the app data
            application._change_application_data([a.resource for a, _t in cur.apps], cur.config)
            for name, env in env_before:
                for k in [k for k, _v in application.get_all_env(name) if k not in dict(env)]:
                    application.unset_env(name, k)
                for k, v in env:
                    application.set_env(name, k, v)
        return r
    application.config_change(env_before)
    h.releases.setdefault(rel.vsn, [rel, "current"])
    if h.releases[rel.vsn][1] != "permanent":
        h.releases[rel.vsn][1] = "current"
    h.current = rel
    runtime.emit("release_installed", frm=cur.vsn, to=rel.vsn)
    return ("ok", cur.vsn, [])


def _older(a, b):
    def key(v):
        return [int(x) if x.isdigit() else x for x in str(v).split(".")]
    try:
        return key(a.vsn) < key(b.vsn)
    except TypeError:
        return str(a.vsn) < str(b.vsn)


# ====================================================================== the script
_OTP_MODULES = {"application": application, "code": code, "supervisor": supervisor, "sys": _sys}


def _apply(m, f, args):
    """``{apply, {M, F, A}}``: a module of the code server, or one of otp_lite's OTP modules."""
    if code.current(m) is not None:
        return code.call(m, f, *args)
    if m in _OTP_MODULES:
        return getattr(_OTP_MODULES[m], f)(*args)
    raise Exit(("undef", (m, f, args)))


def _old_processes(script):
    """OTP's check_old_processes(Script, soft_purge): a module loaded or removed with
    PrePurge ``soft_purge`` whose old code some process still runs -> that module."""
    for ins in script:
        if type(ins) is tuple and ins[0] in ("load", "remove") and ins[1][1] == "soft_purge":
            m = ins[1][0]
            if code.check_old_code(m) and any(code.check_process_code(p, m) for p in erlang.processes()):
                return m
    return None


def _post_purge(m, how, unpurged):
    """After a load/remove the replaced code is old: gone now if nobody runs it, else
    remembered with its PostPurge method (OTP's do_soft_purge)."""
    if code.soft_purge(m):
        unpurged.pop(m, None)
    else:
        unpurged.setdefault(m, how)


def eval_script(script, to_rel, from_rel):
    """Run low-level instructions -> ``'ok'`` | ``('error', ...)``."""
    if script and script[0] == "restart_new_emulator":
        return ("error", ("restart_new_emulator", "a simulated node has no emulator to restart"))
    m = _old_processes(script)
    if m is not None:
        return ("error", ("old_processes", m))
    objects = {}                # mod -> namespace fetched by load_object_code
    old_vsn = {}                # mod -> vsn of the code replaced by 'load'
    suspended = {}              # mod -> [pids]
    unpurged = _handler().unpurged
    passed = False
    for ins in script:
        try:
            if ins == "point_of_no_return":
                passed = True
                continue
            if ins in ("restart_emulator", "restart_new_emulator"):
                raise Exit((ins, "a simulated node has no emulator to restart"))
            op = ins[0]
            if op == "load_object_code":
                app, vsn, mods = ins[1]
                av = (to_rel.app(app) if to_rel.app(app) and to_rel.app(app).vsn == vsn else from_rel.app(app))
                for m in mods:
                    if av is None or m not in av.modules:
                        raise Exit(("no_such_module", app, vsn, m))
                    objects[m] = av.modules[m]
            elif op == "suspend":
                for m in ins[1]:
                    pids = procs_using(m)
                    for p in pids:
                        _sys.suspend(p)
                    suspended[m] = pids
            elif op == "load":
                m, _pre, post = ins[1]
                cur = code.current(m)
                old_vsn[m] = cur.vsn if cur is not None else None
                code.purge(m)                          # PrePurge brutal: kills those in old code
                r = code.load(objects[m], m)
                if r[0] != "module":
                    raise Exit(r[1])
                _post_purge(m, post, unpurged)
            elif op == "code_change":
                direction = ins[1]
                for m, extra in ins[2]:
                    vsn = old_vsn.get(m) if direction == "up" else ("down", getattr(objects[m], "vsn", None))
                    for p in suspended.get(m, []):
                        r = _sys.change_code(p, m, vsn, extra)
                        if r != "ok":
                            raise Exit(("code_change_failed", p, m, vsn, r))
            elif op == "resume":
                for m in ins[1]:
                    for p in suspended.pop(m, []):
                        if p.alive:
                            _sys.resume(p)
            elif op == "remove":
                m, _pre, post = ins[1]
                code.purge(m)
                code.delete(m)
                _post_purge(m, post, unpurged)
            elif op == "purge":
                for m in ins[1]:
                    code.purge(m)
                    unpurged.pop(m, None)
            elif op == "apply":
                _apply(*ins[1])
            else:
                raise Exit(("bad_instruction", ins))
        except Exit as e:
            for pids in suspended.values():          # never leave a process suspended
                for p in pids:
                    if p.alive:
                        _sys.resume(p)
            return ("error", ("after_point_of_no_return", e.reason)) if passed else ("error", e.reason)
    return "ok"


def procs_using(mod):
    """Pids of supervised processes whose modules include ``mod`` (for ``suspend``/``code_change``)."""
    out = []
    for _sup, _name, pid, mods in get_supervised_procs():
        if type(mods) is list and mod in mods and pid not in out:
            out.append(pid)
    return out


def get_supervised_procs():
    """OTP's ``release_handler_1:get_supervised_procs()``: ``[(sup, id, pid, modules)]``.

    Every running application's supervision tree, from ``application.get_supervisor``:
    each child with its child spec's ``modules``; a child whose spec says
    ``'dynamic'`` (a gen_event manager) is asked with the request ``'get_modules'``
    (``[]`` if it cannot answer); each tree ends with its top supervisor,
    ``('undefined', 'undefined', pid, [callback module])``.
    """
    procs = []
    for name, _d, _v in application.which_applications():     # newest first, as OTP walks them
        top = application.get_supervisor(name)
        if top != "undefined" and top[1].alive:
            root = top[1]
            mod = supervisor.get_callback_module(root)
            procs = _procs(root) + [("undefined", "undefined", root, [mod])] + procs
    return procs


def _procs(sup):
    try:
        children = supervisor.which_children(sup)
    except Exit:
        return []
    out = []
    for cid, pid, typ, mods in children:
        if type(pid) is not Pid:
            continue
        if mods == "dynamic" and typ == "worker":
            mods = _dynamic_mods(pid)
        elif type(mods) is not list and typ == "worker":
            continue
        out.append((sup, cid, pid, mods))
        if typ == "supervisor":
            out += _procs(pid)
    return out


def _dynamic_mods(pid):
    """OTP's ``gen:call(Pid, self(), get_modules)``: a child that died meanwhile has no
    modules; one that does not answer in 5 s fails the upgrade (``get_modules_failed``)."""
    try:
        return _gen.call(pid, erlang.self(), "get_modules", 5000, ("gen", "call", [pid, erlang.self(), "get_modules"]))
    except Exit as e:
        r = e.reason[0] if type(e.reason) is tuple and e.reason else e.reason
        if r == "timeout" or type(r) is tuple and r and r[0] == "nodedown":
            raise ErlangError("get_modules_failed") from None
        return []
