# Source of notebooks/11_releases.ipynb: edit here, then run `python tools/nbbuild.py 11`.

# %% [markdown]
# # 11 · System Principles and Release Handling
#
# [Chapter 9](09_applications.ipynb) packaged the base station as an application.
# A running system is more than one application: it is a set of applications, each at a known version, started in the right order with the right configuration.
# OTP calls that set a **release**; chapter 11 of the book turns the base station into the release `basestation`.
# `otp_lite.release` simulates the parts that matter for understanding, and this notebook says plainly where real OTP does more.
# The Python version lives in `examples/ch11/basestation.py`.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
import os, tempfile
from otp_lite import runtime, erlang, application, release, release_handler, init, viz
from examples.ch9 import bsc
from examples.ch11 import basestation

# %%
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run
rec = viz.record()           # keep every trace event, so that the views know names
bsc.LOG = os.path.join(tempfile.mkdtemp(), "log")   # keep the event log out of the repository

# %% [markdown]
# ## System principles
#
# | piece | Erlang/OTP | what it says |
# |---|---|---|
# | application | `ebin/bsc.app` + modules | code, version, dependencies, default environment (chapter 9) |
# | release resource | `basestation.rel` | which version of each application, and of the emulator |
# | boot script | `basestation.script` → `basestation.boot` | load this code, then start these applications, in this order |
# | configuration | `sys.config` (the book's `bsc.config`) | values that override the applications' defaults |
#
# The book's release resource names its applications and their versions (those of OTP 18.2, the book's release):
#
# ```erlang
# {release, {"basestation", "1.0"}, {erts, "7.2"},
#  [{kernel, "4.1.1"}, {stdlib, "2.7"}, {sasl, "2.6.1"}, {bsc, "1.0"}]}.
# ```

# %% [markdown]
# ## The release, in Python
#
# `release.release(name, vsn, apps, config)` is the `.rel` file plus the config.
# Each application version is `release.app(resource, modules)`: the `.app` term of chapter 9 and the modules of its `ebin/`.
# A real `.rel` must list `kernel` and `stdlib` too; here they come with the runtime, so `basestation` lists only `bsc` and `sasl`, each with a start type:

# %%
basestation.REL

# %%
basestation.REL.apps

# %%
basestation.REL.config

# %% [markdown]
# ## The boot script is data
#
# `systools:make_script` reads the `.rel` and every `.app` and writes the boot script: a list of instructions the emulator's `init` runs at startup.
# `release.boot_script` computes the same kind of list:

# %%
release.boot_script(basestation.REL)

# %% [markdown]
# First every module of every application is loaded, then the configuration is applied, then the applications start, **dependencies first**.
# The release lists `bsc` before `sasl`, but `bsc.app` says it needs `sasl`, so `sasl` starts first.
#
# A real boot script (here one that `systools:make_script` wrote on OTP 25 for a release with an application `foo` listed before `sasl`) has the same shape, with more steps for the kernel's own processes:
#
# ```erlang
# {apply, {application, load, [{application, sasl, [...]}]}},
# {apply, {application, load, [{application, foo, [...]}]}},
# {progress, applications_loaded},
# {apply, {application, start_boot, [kernel, permanent]}},
# {apply, {application, start_boot, [stdlib, permanent]}},
# {apply, {application, start_boot, [sasl, permanent]}},
# {apply, {application, start_boot, [foo, permanent]}},
# {progress, started}
# ```
#
# The configuration is not in a real script: `init` reads `sys.config` (`erl -config bsc`) before the applications are loaded.
# `otp_lite` makes it one step, `('config', ...)`, so that you can see when it applies.

# %% [markdown]
# ## Booting
#
# `release.boot` runs the script on the current runtime, as `erl -boot basestation -config bsc` would on a fresh node:

# %%
release.boot(basestation.REL)

# %%
application.which_applications()

# %% [markdown]
# The configuration overrode the default frequencies of `bsc.app` (chapter 9's spot-the-bug still holds: the book's `frequency` server reads them only from chapter 11 on, through `application:get_env`):

# %%
application.get_env("bsc", "frequencies")

# %% [markdown]
# The release handler now knows one release, `permanent`: the one the node boots by default.

# %%
release_handler.which_releases()

# %% [markdown]
# And the running system is the supervision tree of chapter 8, started by the application of chapter 9:

# %%
viz.sup_tree(erlang.whereis("bsc"))

# %% [markdown]
# ## Dependency order and start types
#
# To see the order clearly we need applications that print when they start.
# One callback namespace serves them all: `mod` is `(demo_app, [name])`, so `start` gets the name as its argument.

# %%
class demo_app:
    def start(typ, args):
        print("start", args[0], typ)
        return ("ok", erlang.spawn_link(erlang.receive))
    def stop(state): return "ok"

# %%
def demo(name, vsn, deps):
    keys = [("vsn", vsn), ("applications", ["kernel", "stdlib"] + deps), ("mod", (demo_app, [name]))]
    return release.app(("application", name, keys), {})

# %% [markdown]
# A shop: `web` needs `db`, `admin` needs both.
# The release lists them the wrong way round, and gives each a start type:

# %%
db, web, admin = demo("db", "2.1", []), demo("web", "1.4", ["db"]), demo("admin", "0.3", ["web", "db"])
shop = release.release("shop", "1.0", [(admin, "temporary"), (web, "permanent"), (db, "permanent")])
release.boot_script(shop)

# %% [markdown]
# The start types are those of chapter 9, fixed in the release instead of in a call to `application.start`:
#
# | start type | if the application dies |
# |---|---|
# | `permanent` | the node stops (and `heart`, if the node runs with it, restarts it) |
# | `transient` | the node stops, unless it ended with `normal` |
# | `temporary` | only that application is gone |
# | `load` | it is loaded but never started |
#
# A fresh node for the shop:

# %%
rt = runtime.reset(seed=0)
release.boot(shop)

# %% [markdown]
# `db`, then `web`, then `admin`, whatever the order in the release.
# The `normal` each one printed is the first argument OTP passes to `start/2` (the other values, `takeover` and `failover`, are for distributed applications), not the start type.

# %%
application.which_applications()

# %% [markdown]
# ## The release directory
#
# A real release is a directory tree.
# `release.assemble(rel, path)` writes one for the base station, the tree `rebar3 release` assembles (probed with rebar3 3.19 on OTP 25 in `tests/oracle_probes/ch11_rebar3.sh`):

# %%
from examples.ch11 import rebar3_project
root = release.assemble(basestation.REL, os.path.join(tempfile.mkdtemp(), "basestation"))
rebar3_project.tree(root)

# %% [markdown]
# `lib/` holds one folder per application version, `kernel` and `stdlib` included; each `ebin/` has the `.app` file.
# `releases/1.0/` holds everything about release 1.0: the `.rel` file, the boot script, `sys.config` and `vm.args`.
# `releases/start_erl.data` says which emulator and which release `bin/basestation`, the start script, boots.
# The files are Erlang terms, as OTP writes them:

# %%
print(open(os.path.join(root, "releases", "1.0", "basestation.rel")).read())
print(open(os.path.join(root, "releases", "1.0", "sys.config")).read())
print(open(os.path.join(root, "releases", "start_erl.data")).read())

# %% [markdown]
# What is simulated: `ebin/` has no `.beam` files (the modules stay Python namespaces in this process), `start.script` is otp_lite's boot script written as data and there is no binary `start.boot` next to it, and there is no `erts-13.1.5/` folder (rebar3 leaves it out by default too; `{include_erts, true}` copies the emulator in, for a target machine without Erlang).

# %% [markdown]
# ## Arguments and flags
#
# The start script does little more than run the emulator with a long command line.
# `bin/basestation` reads `start_erl.data` and runs the emulator on the current release:

# %%
print(open(os.path.join(root, "bin", "basestation")).read())

# %%
cmd = release.start_command(root, "foreground", "-bsc_mode", "test", "-extra", "x", "y")
print(" ".join(w.replace(root, "$ROOT") for w in cmd))

# %% [markdown]
# It is the command rebar3 3.19's script runs (`erlexec` there), word for word, up to `--`.
# `release.start_command` reads the same files and gives the command line `bin/basestation foreground -bsc_mode test -extra x y` runs (the release folder shown as `$ROOT`):
# Three kinds of words:
#
# | kind | examples | who reads it |
# |---|---|---|
# | emulator flags | `+P 5000` (process limit; OTP 25 rounds it up to 8192), `+K true`, `+Bd`, `-env VAR value`, `-args_file vm.args` | the emulator (`erlexec` and the VM); `init` never sees them |
# | init's commands | `-eval Expr`, `-s Mod Fun Args`, `-run Mod Fun Args` | `init` runs them after the boot |
# | arguments | `-boot releases/1.0/start`, `-config sys`, `-mode embedded` (every module loaded at boot) or `interactive` (loaded when first called), `-heart` (a watchdog restarts the node), `-sname`/`-name` and `-setcookie` (distribution, chapter 13), `-pa dir` (code path), and your own `-key value ...` | `init`, and anyone who asks it |
#
# Words before the first flag, after `--` up to the next flag, and everything after `-extra` are **plain arguments**.
# `init.parse` splits a command line as `erlexec` and `init` do; here is the one of the OTP probe `tests/oracle_probes/ch11_init_args.erl`:

# %%
init.parse("erl -noshell -sname args -setcookie secret -env GREETING hello -pa /tmp +P 5000 "
           "-mykey a b -mykey c -eval 'ch11_init_args:main(), init:stop().' -extra x -y +z")

# %% [markdown]
# `root`, `bindir`, `progname` and `home` are added by `erlexec`; here they are fixed, simulated paths.
# A fresh node booted with the start script's command line, as the script would start it:

# %%
rt = runtime.reset(seed=0)
init.boot(cmd, basestation.REL)

# %% [markdown]
# `init.boot` read `vm.args` (spliced in by `-args_file`) and `sys.config` (by `-config`) from the directory, and booted the release.
# An argument's values come back as one list per occurrence, a missing key as `'error'`, exactly as OTP's `init:get_argument/1`:

# %%
init.get_argument("bsc_mode"), init.get_argument("sname"), init.get_argument("mode"), init.get_argument("nokey")

# %%
init.get_plain_arguments()

# %%
application.get_env("bsc", "frequencies")

# %% [markdown]
# `foreground` is a plain argument because the script puts `--` before its own arguments; `-bsc_mode test` after it is a flag again.
# On OTP 25 the probe prints the same: `{ok,[["a","b"],["c"]]}` for `-mykey a b -mykey c`, `error` for `-env` (the emulator took it), `["x","-y","+z"]` for the words after `-extra`.
# Simulated: `-sname`, `-setcookie` and the `+` flags are kept as arguments but change nothing here (the node keeps its name), and `-eval` is not run (it is Erlang).

# %% [markdown]
# ## The init module
#
# `init` boots the node and takes it down.
# `init.get_status()` is a pair: where `init` is, and the last progress the boot script reported:

# %%
init.get_status()

# %% [markdown]
# `('started', 'started')`, as OTP 25 answers once the boot and the `-eval`s are done (during an `-eval` it is `('starting', 'started')`).
# Three calls take the node down:
#
# | call | applications | then |
# |---|---|---|
# | `init.stop()` | every one stopped, the newest first | the node halts (`init:stop(Status)` sets the exit status) |
# | `init.restart()` | every one stopped, the newest first | the boot script runs again, in the same emulator |
# | `init.reboot()` | every one stopped, the newest first | the emulator exits; with `-heart`, `heart` starts a new one |
#
# To see the stops, the shop again, with applications that print in `prep_stop` and `stop`:

# %%
class loud_app:
    def start(typ, args):
        print("start", args[0])
        return ("ok", erlang.spawn_link(erlang.receive), args[0])
    def prep_stop(name):
        print("prep_stop", name, init.get_status())
        return name
    def stop(name):
        print("stop", name)
        return "ok"

def loud(name, vsn, deps):
    keys = [("vsn", vsn), ("applications", ["kernel", "stdlib"] + deps), ("mod", (loud_app, [name]))]
    return release.app(("application", name, keys), {})

loud_shop = release.release("shop", "1.0", [loud("admin", "0.3", ["web", "db"]), loud("web", "1.4", ["db"]), loud("db", "2.1", [])])

# %%
rt = runtime.reset(seed=0)
init.boot("erl -boot releases/1.0/start", loud_shop)

# %%
init.restart()

# %% [markdown]
# `restart` answered `ok` at once; then `init` stopped `admin`, `web`, `db` (the reverse of the start order, each with `prep_stop` while the status is `('stopping', 'started')`), and ran the boot again.
# OTP 25 prints the same lines in the same order for two applications (`tests/oracle_probes/ch11_init_stop.erl`).

# %%
init.get_status(), [a for a, _d, _v in application.which_applications()]

# %%
init.stop()

# %%
application.node_status(), application.which_applications()

# %% [markdown]
# The node is down.
# Simulated: a real `init:stop()` ends the emulator and the operating-system process; here the runtime is still there, and `runtime.reset()` boots a new node.
# `init.reboot()` stops the applications the same way; real OTP then exits, and a node started with `-heart` is started again by its `heart` program, the book's way to survive a node crash.

# %% [markdown]
# ## Generating a rebar3 release project
#
# Today most releases are built with **rebar3**, whose `release` command uses **relx**.
# rebar3 cannot run in this notebook (it is an Erlang program), so `examples/ch11/rebar3_project.py` writes the project that `rebar3 new release shop` generates (checked against rebar3 3.19 in `tests/oracle_probes/ch11_rebar3.sh`), for a shop with two applications of its own:

# %%
project = rebar3_project.new_release(tempfile.mkdtemp(), "shop", apps=["web", "db"], needs={"web": ["db"]})
rebar3_project.tree(project)

# %% [markdown]
# `apps/` holds the project's own applications, each an OTP application of chapter 9 (`.app.src` is the `.app` file before rebar3 fills in `modules`).
# `config/sys.config` and `config/vm.args` are copied into `releases/VSN/` of the release.
# `rebar.config` says what the release is, with the `relx` entry: the release name, version and applications, as a `.rel` file does:

# %%
print(open(os.path.join(project, "rebar.config")).read())

# %%
print(open(os.path.join(project, "apps", "web", "src", "web.app.src")).read())

# %% [markdown]
# `rebar3 release` would compile the modules, read every `.app`, order the applications, write the `.rel`, `start.script` and `start.boot` (with `systools`), copy the applications into `lib/`, and add `bin/shop`: the directory of the previous sections.
# `{mode, dev}` makes `lib/` symbolic links into `_build/` for fast rebuilds; the `prod` profile (`rebar3 as prod tar`) copies everything and packs a tar file for the target.

# %% [markdown]
# ## Rebar3 releases with project dependencies
#
# A dependency is another project's application: listed in `rebar.config`'s `deps`, fetched by rebar3 (from hex.pm or git) into `_build/default/lib/`, and needed by an application that lists it in its `.app.src`.
# A shop whose `web` needs the library application `money`, version 1.2, from elsewhere:

# %%
project = rebar3_project.new_release(tempfile.mkdtemp(), "shop", apps=["web", "db"], deps=[("money", "1.2")],
                                     needs={"web": ["db"]})
print(open(os.path.join(project, "rebar.config")).read().split("\n")[1])

# %% [markdown]
# In the release, a dependency is one more application version in `lib/`, next to the project's own.
# With otp_lite the shop's applications, `money` (a library: no `mod`, nothing to start) and `sasl` make the release that relx would assemble:

# %%
def lib_app(name, vsn, deps):
    return release.app(("application", name, [("vsn", vsn), ("applications", ["kernel", "stdlib"] + deps)]), {})

money = lib_app("money", "1.2", [])
shop_rel = release.release("shop", "0.1.0", [lib_app("web", "0.1.0", ["db", "money"]), lib_app("db", "0.1.0", ["money"]),
                                             money, basestation.SASL])
shop_root = release.assemble(shop_rel, os.path.join(tempfile.mkdtemp(), "shop"))
rebar3_project.tree(os.path.join(shop_root, "lib"), depth=1)

# %%
print(open(os.path.join(shop_root, "releases", "0.1.0", "shop.rel")).read())

# %% [markdown]
# With rebar3 3.19 on OTP 25 (the probe, with a dependency `freq`), `_build/default/rel/bsc_rel/lib/` holds `bsc_rel-0.1.0`, `freq-0.1.0`, `kernel-8.5.3`, `sasl-4.2` and `stdlib-4.2`, and the `.rel` lists `freq` like any application.
# A dependency that no application needs and the release does not list stays out of the release.
# Simulated: nothing is fetched or compiled here, and `release.assemble` takes the application versions you give it; rebar3 also pins what it fetched in `rebar.lock`.

# %% [markdown]
# ## Spot the bug
#
# A colleague makes a smaller release for a test machine, without the admin pages:

# %%
test_rel = release.release("shop_test", "1.0", [web, admin])
release.boot_script(test_rel)

# %% [markdown]
# What is wrong, and when would real OTP tell you?
#
# <details><summary>Answer</summary>
#
# The admin pages are still in (`admin` was meant to be dropped), and `db`, which both need, is missing.
# `systools:make_script` refuses to write the boot script, with `{error, systools_make, {undefined_applications, [db]}}` (probed on OTP 25): the mistake is found when the release is built, long before a node boots.
# That is one reason to let tools compute the start order from the `.app` files instead of writing it by hand.
#
# </details>

# %% [markdown]
# ## What is simulated, and what real OTP does
#
# `otp_lite` has no operating-system side: a release here is a Python object and booting it runs in the notebook's runtime.
# The directory `release.assemble` writes is there to be read (and its start command to be run by `init.boot`), not to be copied to another machine:
#
# | real OTP | otp_lite |
# |---|---|
# | `systools:make_script("basestation")` writes `basestation.script` and its binary form `basestation.boot` | `release.boot_script(rel)` returns the list |
# | `systools:make_tar` packs `lib/bsc-1.0/ebin/...`, `releases/1.0/start.boot`, `sys.config` and (optionally) the emulator `erts-7.2/` into one tar file | nothing: the code is already in the Python process |
# | `reltool`, and today `rebar3 release` (built on `relx`), generate all of this from a config, plus a start script `bin/basestation` with `start`, `console`, `foreground` and `stop` | `release.assemble(rel, path)` writes the tree without `.beam` files, `start.boot` or `erts-*/`; `bin/basestation` only runs `foreground` |
# | `erl -boot releases/1.0/start -config sys` starts a new emulator; in *embedded* mode every module is loaded at boot | `release.boot(rel)`, or `init.boot(command_line, rel)`, on the current runtime; modules are loaded with `code.load` |
# | `heart` (the book's `bsc_heart` script) restarts the node when it dies | `application.node_status()` says `stopped` |
# | `release_handler` unpacks new releases and keeps `releases/RELEASES` on disk | `release_handler` keeps the releases in memory |
#
# What is real: the release as a versioned set of applications, the start order from the dependencies, the start types, configuration overriding defaults, and the boot script as a plain list of instructions.
# [Chapter 12](12_release_upgrades.ipynb) uses the same objects to upgrade a running release.

# %% [markdown]
# ## Try it
#
# **1.** Boot the shop again on a fresh runtime with `admin` given the start type `"load"`. What does `application.which_applications()` list?
#
# <details><summary>Answer</summary>
#
# Only `web` and `db` (and `kernel`, `stdlib`) are running, and `start admin` is not printed; the boot script has `('load', ('admin', []))` but no `start` step for it.
# As in a real boot script, that step also runs `application.load` for it (OTP's `application:load`), so `application.get_key("admin", "vsn")` answers `('ok', '0.3')`, as `{ok, "0.3"}` in OTP, and someone can start it later with `application.start("admin")`.
#
# </details>
#
# **2.** Make `db` depend on `admin` (so `admin` → `web` → `db` → `admin`). What does `release.boot_script` say?
#
# <details><summary>Answer</summary>
#
# `('error', ('circular_dependencies', [...]))` with the cycle: no start order exists, and `systools` refuses such a release too.
#
# </details>
#
# **3.** The book's chapter 11 changes `frequency:get_frequencies/0` to read the environment. Write it in Python with `application.get_env`.
#
# <details><summary>Answer</summary>
#
# `def get_frequencies(): r = application.get_env("bsc", "frequencies"); return r[1] if r != "undefined" else [10, 11, 12, 13, 14, 15]`.
# The book's version calls `application:get_env(frequencies)` without the application name: inside a process of the `bsc` application OTP finds the application itself.
#
# </details>

# %% [markdown]
# ## What you saw
#
# - A release is a name, a version, and a set of application versions with start types, plus configuration.
# - The boot script is data: load the code, apply the configuration, start the applications in dependency order.
# - Booting gives the supervision trees of chapters 8 and 9, configured by the release.
# - A release that misses a dependency cannot be built; real OTP finds it in `systools`, before anything runs.
# - A release directory: `lib/APP-VSN/` per application, `releases/VSN/` with the `.rel`, boot script, `sys.config` and `vm.args`, and a start script in `bin/`.
# - The start script runs the emulator with flags: `+` flags and `-env` for the emulator, `-eval` for `init` to run, the rest arguments that `init.get_argument` returns as one list per occurrence; `--` and `-extra` make plain arguments.
# - `init.stop`, `restart` and `reboot` stop every application, the newest first, then halt, boot again, or exit for `heart` to restart.
# - rebar3 generates a project (`apps/`, `config/`, `rebar.config` with `relx`), fetches its dependencies and puts them under `lib/` like any application; here the layout is written from Python and the tar and `.beam` files are simulated away.
#
# The graded lab for this chapter, [labs/11_release](../labs/11_release/README.md), builds a release by hand: the boot order, the `.rel`, the boot script and the start types.
# Releases come back in chapter 12, where one is upgraded while it runs (`labs/12_coffee_upgrade`).
# The labs available in this checkout:

# %% [markdown]
# <!--LABS-->

# %% [markdown]
# Next: [chapter 12](12_release_upgrades.ipynb), release upgrades.
