"""Releases: the ``.rel`` file, the boot script and ``systools:make_relup``, simulated; book ch. 11-12.

=======================================  =============================================
OTP                                      otp_lite.release
=======================================  =============================================
an application's ``ebin/`` + ``.app``    ``app(APP, MODULES[, APPUP])`` or ``app_of(package)``
``coffee-1.1.rel``                       ``release('coffee', '1.1', [(app, type), ...], config)``
``systools:make_script`` -> ``.boot``    ``boot_script(rel)``: the instructions, as data
``erl -boot coffee-1.0``                 ``boot(rel)``: runs them on the current runtime
``rebar3 release`` (relx)                ``assemble(rel, path)``: lib/, releases/VSN/, bin/
``bin/coffee foreground``                ``start_command(path, 'foreground')``, for ``init.boot``
``ebin/coffee.appup``                    ``APPUP = (vsn, [(up_from, instrs)], [(down_to, instrs)])``
``systools:make_relup`` -> ``relup``     ``make_relup(to_rel, from_rel)``
=======================================  =============================================

What is simulated, honestly: there is no OS packaging (no tar), no new
emulator, and the directory ``assemble`` writes has no ``.beam`` files,
binary ``start.boot`` or ``erts-*/`` (the code stays in this Python process).
A *release* is a name, a version, the versions of its applications with
their start types, and a config.  Booting it does what
the boot script does: load every application (its modules with
``code.load``, its resource with ``application.load``, so ``get_key`` works
even for a ``load`` application), apply the config, then start the
applications **in dependency order** (``applications`` of each ``.app``) with
their start types; ``load`` ones stay loaded, not started.

A *relup* is the low-level script ``make_relup`` writes from the appups, in
OTP's order: every ``load_object_code`` first (nothing changes yet), then
``point_of_no_return``, then per update ``suspend -> load -> code_change up
-> resume``; on the way *down* ``code_change down`` runs *before* the old
code is loaded, in the new code (erlang_ref h2, the book's ch12/relup).
Every high-level appup instruction of OTP 25 is understood (update,
load_module, add_module, delete_module, apply, restart_application,
add/remove_application, DepMods and the purge options): otp_lite._systools_rc
expands them as ``systools_rc`` does.

``kernel`` and ``stdlib`` are implicit: every runtime has them running, so a
release need not list them (a real ``.rel`` must: ``systools`` answers
``{missing_mandatory_app, kernel}``).  Every other application, ``sasl``
included, must be listed, as ``systools:make_script`` demands.

Failure rule: an application a release needs but does not list, or a cycle in
the dependencies, is ``('error', ('undefined_applications' | 'circular_dependencies', ...))``
from ``boot_script`` and ``boot`` (OTP 25: ``{error, systools_make,
{undefined_applications, [sasl]}}``), before anything is loaded;
no appup path between two application versions is
``('error', ('no_matching_relup', app, from_vsn, to_vsn))`` (as systools refuses).

See also: otp_lite.release_handler, otp_lite.application, otp_lite.code.
"""
from __future__ import annotations

import os

from . import _erl_text, application, code
from .erlang import ErlangError

__all__ = ["app", "app_of", "release", "boot_script", "boot", "assemble", "start_command", "make_relup",
           "AppVersion", "Release"]

_IMPLICIT = ("kernel", "stdlib")            # always running: a release need not list them
_OTP_APPS = ("kernel", "stdlib", "sasl")     # may already run: booting them again is a no-op


class AppVersion:
    """One version of one application: its resource, its modules (the ebin/), its appup."""
    __slots__ = ("name", "vsn", "resource", "modules", "appup")

    def __init__(self, resource, modules, appup=None):
        res = application._normalise(resource)
        self.name, self.vsn, self.resource = res["name"], res["vsn"], resource
        self.modules, self.appup = dict(modules), appup

    @property
    def deps(self):
        return list(application._normalise(self.resource)["applications"])

    def __repr__(self):
        return f"<app {self.name}-{self.vsn}>"


def app(resource, modules, appup=None):
    return AppVersion(resource, modules, appup)


def app_of(pkg):
    """An application version from a package defining ``APP``, ``MODULES`` and maybe ``APPUP``."""
    return AppVersion(pkg.APP, pkg.MODULES, getattr(pkg, "APPUP", None))


class Release:
    __slots__ = ("name", "vsn", "apps", "config")

    def __init__(self, name, vsn, apps, config):
        self.name, self.vsn, self.apps, self.config = name, vsn, apps, config

    def __repr__(self):
        return f"<release {self.name}-{self.vsn}: " + ", ".join(f"{a.name}-{a.vsn}" for a, _ in self.apps) + ">"

    def app(self, name):
        for a, _t in self.apps:
            if a.name == name:
                return a
        return None


def release(name, vsn, apps, config=None):
    """``apps``: ``[AppVersion | (AppVersion, start_type)]`` (default type ``'permanent'``)."""
    norm = []
    for a in apps:
        a, t = (a, "permanent") if isinstance(a, AppVersion) else a
        if t not in ("permanent", "transient", "temporary", "load"):
            raise ErlangError("badarg", f"start type of {a.name} must be permanent, transient, temporary or load, got {t!r}")
        norm.append((a, t))
    return Release(name, vsn, norm, config or [])


def _order(rel):
    """Applications in dependency order (stable: list order among equals)."""
    byname = {a.name: (a, t) for a, t in rel.apps}
    missing = sorted({d for a, _ in rel.apps for d in a.deps if d not in byname and d not in _IMPLICIT})
    if missing:
        return ("error", ("undefined_applications", missing))
    done, out, visiting = set(), [], set()

    def visit(n, path):
        if n in done or n not in byname:
            return None
        if n in visiting:
            return ("error", ("circular_dependencies", path + [n]))
        visiting.add(n)
        for d in byname[n][0].deps:
            r = visit(d, path + [n])
            if r is not None:
                return r
        visiting.discard(n)
        done.add(n)
        out.append(byname[n])
        return None
    for a, _ in rel.apps:
        r = visit(a.name, [])
        if r is not None:
            return r
    return out


def boot_script(rel):
    """The boot script as data: ``[('load', (app, [mods])), ..., ('config', cfg), ('start', (app, type)), ...]``."""
    order = _order(rel)
    if type(order) is tuple:
        return order
    script = [("load", (a.name, list(a.modules))) for a, _ in order]
    script.append(("config", rel.config))
    script += [("start", (a.name, t)) for a, t in order if t != "load"]
    return script


def boot(rel):
    """Run the boot script on the current runtime -> ``'ok'`` | ``('error', ...)``."""
    from . import release_handler
    script = boot_script(rel)
    if type(script) is tuple:
        return script
    byname = {a.name: a for a, _ in rel.apps}
    for op, arg in script:
        if op == "load":                              # {apply, {application, load, [AppRes]}}
            a = byname[arg[0]]
            for m, ns in a.modules.items():
                if code.current(m) is None or code.current(m).ns is not ns:
                    code.purge(m)
                    code.load(ns, m)
            r = application.load(a.resource)
            if r != "ok" and application.type_of(r) != "already_loaded":
                return ("error", ("boot_failed", a.name, r))
        elif op == "config":
            if arg:
                application.load_config(arg)
        else:
            name, typ = arg
            if name in _OTP_APPS and name in dict((n, 1) for n, _d, _v in application.which_applications()):
                continue
            r = application.start(byname[name].resource if name in byname else name, typ)
            if r != "ok":
                return ("error", ("boot_failed", name, r))
    release_handler._booted(rel)
    return "ok"


# ====================================================================== on disk
ERTS_VSN = "13.1.5"        # the emulator of OTP 25.2, whose kernel and stdlib the runtime stands for


def _app_text(a):
    """The ``.app`` file: ``{application, Name, [{Key, Value}, ...]}.`` with the modules of the ebin/."""
    res = application._normalise(a.resource)
    keys = [(k, v) for k, v in res.items() if k != "name" and v not in ("", [], "undefined", "infinity")]
    keys = [("modules", list(a.modules)) if k == "modules" else (k, v) for k, v in keys]
    if "modules" not in dict(keys):
        keys.insert(min(2, len(keys)), ("modules", list(a.modules)))
    return _erl_text.fmt(("application", a.name, keys)) + ".\n"


def _write(path, text, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if mode is not None:
        os.chmod(path, mode)


_START_SCRIPT = """#!/bin/sh
# Start script of the release {name}-{vsn}, written by otp_lite.release.assemble.
# The command it runs is the one rebar3 3.19's bin/ script runs for `foreground`
# (erlexec there); otp_lite runs the same command line with init.boot.
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
read ERTS_VSN REL_VSN < "$ROOT/releases/start_erl.data"
REL_DIR="$ROOT/releases/$REL_VSN"
exec erl -noinput +Bd -boot "$REL_DIR/start" -mode embedded \\
    -boot_var SYSTEM_LIB_DIR "$ROOT/lib" -config "$REL_DIR/sys.config" \\
    -args_file "$REL_DIR/vm.args" -- "$@"
"""


def assemble(rel, root, vm_args=None):
    """Write ``rel`` as a release directory under ``root`` (what ``rebar3 release`` assembles).

    ``lib/APP-VSN/ebin/APP.app`` for every application (kernel and stdlib
    too); ``releases/VSN/`` with ``NAME.rel``, ``start.script`` (the boot
    script, as data), ``sys.config`` and ``vm.args``; ``releases/start_erl.data``;
    and ``bin/NAME``, the start script.  Returns ``root``.  Simulated: no
    ``.beam`` files (the modules are the Python namespaces the release holds),
    no binary ``start.boot``, no ``erts-*/``.  ``vm_args``: lines for vm.args
    (default ``-sname NAME`` and ``-setcookie NAME_cookie``).
    """
    script = boot_script(rel)
    if type(script) is tuple:
        return script
    fmt = _erl_text.fmt
    base = [application._normalise(dict(application._BUILTIN[n], name=n)) for n in _IMPLICIT]
    apps = [(r["name"], r["vsn"]) for r in base] + [(a.name, a.vsn) for a, _t in rel.apps]
    for r in base:
        _write(os.path.join(root, "lib", f"{r['name']}-{r['vsn']}", "ebin", f"{r['name']}.app"),
               _app_text(AppVersion(("application", r["name"], [(k, v) for k, v in r.items() if k != "name"]), {})))
    for a, _t in rel.apps:
        _write(os.path.join(root, "lib", f"{a.name}-{a.vsn}", "ebin", f"{a.name}.app"), _app_text(a))
    rdir = os.path.join(root, "releases", rel.vsn)
    rel_term = ("release", (_erl_text.Str(rel.name), rel.vsn), ("erts", ERTS_VSN),
                [(n, v) for n, v in apps[:len(base)]] +
                [(a.name, a.vsn) if t == "permanent" else (a.name, a.vsn, t) for a, t in rel.apps])
    _write(os.path.join(rdir, f"{rel.name}.rel"), fmt(rel_term) + ".\n")
    _write(os.path.join(rdir, "start.script"),
           "%% otp_lite's boot script (release.boot_script), as data\n" +
           fmt(("script", (_erl_text.Str(rel.name), rel.vsn), script)) + ".\n")
    _write(os.path.join(rdir, "sys.config"), fmt(_config_term(rel.config)) + ".\n")
    lines = vm_args if vm_args is not None else [f"-sname {rel.name}", f"-setcookie {rel.name}_cookie"]
    _write(os.path.join(rdir, "vm.args"), "".join(line + "\n" for line in lines))
    _write(os.path.join(root, "releases", "start_erl.data"), f"{ERTS_VSN} {rel.vsn}\n")
    _write(os.path.join(root, "bin", rel.name), _START_SCRIPT.format(name=rel.name, vsn=rel.vsn), 0o755)
    return root


def _config_term(cfg):
    items = cfg.items() if type(cfg) is dict else cfg
    return [(app, list(kvs.items()) if type(kvs) is dict else list(kvs)) for app, kvs in items]


def start_command(root, *args):
    """The command line ``bin/NAME args...`` runs, read from the release directory ``root``
    (rebar3 3.19's ``bin/NAME foreground args...``: ``foreground`` is then a plain argument)."""
    name = os.path.basename(os.path.normpath(root))
    with open(os.path.join(root, "releases", "start_erl.data")) as f:
        _erts, vsn = f.read().split()
    rdir = os.path.join(root, "releases", vsn)
    return [name, "-noinput", "+Bd", "-boot", f"{rdir}/start", "-mode", "embedded",
            "-boot_var", "SYSTEM_LIB_DIR", os.path.join(root, "lib"), "-config", f"{rdir}/sys.config",
            "-args_file", f"{rdir}/vm.args", "--", *args]


# ====================================================================== relup
def _appup_instrs(new, old, direction):
    """The high-level instructions of ``new``'s appup for going up from / down to ``old.vsn``."""
    if new.appup is None:
        return None
    _vsn, ups, downs = new.appup
    for v, instrs in (ups if direction == "up" else downs):
        if v == old.vsn:
            return instrs
    return None


def make_relup(to_rel, from_rel):
    """``(to_vsn, [(from_vsn, '', up_script)], [(from_vsn, '', down_script)])``, as systools writes it.

    Every changed application's appup instructions go through one
    ``systools_rc`` translation (otp_lite._systools_rc), as OTP's: an
    application new in ``to_rel`` is ``add_application`` going up and
    ``remove_application`` going down; an instruction systools refuses is
    ``('error', 'systools_rc', reason)``.
    """
    from . import _systools_rc
    to_apps, from_apps = [a for a, _ in to_rel.apps], [a for a, _ in from_rel.apps]
    scripts = {}
    for direction in ("up", "down"):
        instrs = []
        for new, typ in to_rel.apps:
            old = from_rel.app(new.name)
            if old is None:
                instrs.append([("add_application", new.name, typ)] if direction == "up"
                              else [("remove_application", new.name)])
                continue
            if old.vsn == new.vsn:
                continue
            found = _appup_instrs(new, old, direction)
            if found is None:
                return ("error", ("no_matching_relup", new.name, old.vsn, new.vsn))
            instrs.append(found)
        for old, _t in from_rel.apps:
            if to_rel.app(old.name) is None:
                instrs.append([("remove_application", old.name)] if direction == "up"
                              else [("add_application", old.name, _t)])
        r = (_systools_rc.translate_scripts("up", instrs, to_apps, from_apps) if direction == "up"
             else _systools_rc.translate_scripts("dn", instrs, from_apps, to_apps))
        if r[0] == "error":
            return ("error", "systools_rc", r[1])
        scripts[direction] = r[1]
    return (to_rel.vsn, [(from_rel.vsn, "", scripts["up"])], [(from_rel.vsn, "", scripts["down"])])
