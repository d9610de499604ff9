"""rebar3_project: the project layout ``rebar3 new release NAME`` generates, written from Python.

rebar3 cannot run in this environment, so this writes the same tree that
rebar3 3.19 writes on OTP 25 (tests/oracle_probes/ch11_rebar3.sh and its
output), with short files of our own, minus its LICENSE, README.md and
.gitignore::

    NAME/
      rebar.config                      deps + {relx, [{release, {NAME, VSN}, Apps}, ...]}
      config/sys.config                 the release's configuration
      config/vm.args                    the emulator's arguments and flags
      apps/APP/src/APP.app.src          the .app file, before rebar3 fills in the modules
      apps/APP/src/APP_app.erl          the application callback module
      apps/APP/src/APP_sup.erl          its top supervisor

``new_release(dir, name, apps=None, deps=())``: ``apps`` are the project's own
applications (default: one, called ``name``; each needs every dep), ``deps`` the ``(dep, vsn)``
pairs of ``{deps, [...]}``, which rebar3 would fetch into ``_build/default/lib``
and relx would put under the release's ``lib/``.  ``tree(dir)`` prints it.
"""
import os

from otp_lite._erl_text import Str, fmt

_APP_ERL = """-module({app}_app).
-behaviour(application).
-export([start/2, stop/1]).

start(_StartType, _StartArgs) ->
    {app}_sup:start_link().

stop(_State) ->
    ok.
"""

_SUP_ERL = """-module({app}_sup).
-behaviour(supervisor).
-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({{local, ?MODULE}}, ?MODULE, []).

init([]) ->
    {{ok, {{#{{strategy => one_for_all, intensity => 0, period => 1}}, []}}}}.
"""


def _write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def new_release(dir, name, apps=None, deps=(), vsn="0.1.0", needs=None):
    """Write the project; returns its path.  ``needs``: ``{app: [other apps of the project]}``."""
    apps = list(apps or [name])
    root = os.path.join(dir, name)
    dep_names = [d for d, _v in deps]
    _write(os.path.join(root, "rebar.config"),
           "{erl_opts, [debug_info]}.\n"
           f"{{deps, {fmt([(d, Str(v)) for d, v in deps])}}}.\n\n"
           f"{{relx, [{{release, {{{name}, \"{vsn}\"}}, {fmt(apps + dep_names + ['sasl'])}}},\n"
           "        {mode, dev},\n"
           "        {sys_config, \"./config/sys.config\"},\n"
           "        {vm_args, \"./config/vm.args\"}]}.\n")
    _write(os.path.join(root, "config", "sys.config"), fmt([(a, []) for a in apps]) + ".\n")
    _write(os.path.join(root, "config", "vm.args"), f"-sname {name}\n\n-setcookie {name}_cookie\n")
    for app in apps:
        src = os.path.join(root, "apps", app, "src")
        _write(os.path.join(src, f"{app}.app.src"),
               fmt(("application", app,
                    [("description", Str("An OTP application")), ("vsn", Str(vsn)), ("registered", []),
                     ("mod", (f"{app}_app", [])), ("applications", ["kernel", "stdlib"] + (needs or {}).get(app, []) + dep_names),
                     ("env", []), ("modules", [])]), indent=0, width=60) + ".\n")
        _write(os.path.join(src, f"{app}_app.erl"), _APP_ERL.format(app=app))
        _write(os.path.join(src, f"{app}_sup.erl"), _SUP_ERL.format(app=app))
    return root


def tree(dir, depth=None, _level=0):
    """Print the folders and files under ``dir``, sorted, folders first (``depth``: how many levels)."""
    if _level == 0:
        print(os.path.basename(os.path.normpath(dir)) + "/")
    if depth is not None and _level >= depth:
        return
    names = sorted(os.listdir(dir))
    subdirs = [n for n in names if os.path.isdir(os.path.join(dir, n))]
    for n in subdirs:
        print("  " * (_level + 1) + n + "/")
        tree(os.path.join(dir, n), depth, _level + 1)
    for n in names:
        if n not in subdirs:
            print("  " * (_level + 1) + n)
