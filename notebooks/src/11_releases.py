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
from otp_lite import runtime, erlang, application, release, release_handler, viz
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
# A real release is a directory tree you copy to a machine:
#
# | real OTP | otp_lite |
# |---|---|
# | `systools:make_script("basestation")` writes `basestation.script` and its binary form `basestation.boot` | `release.boot_script(rel)` returns the list |
# | `systools:make_tar` packs `lib/bsc-1.0/ebin/...`, `releases/1.0/start.boot`, `sys.config` and (optionally) the emulator `erts-7.2/` into one tar file | nothing: the code is already in the Python process |
# | `reltool`, and today `rebar3 release` (built on `relx`), generate all of this from a config, plus a start script `bin/basestation` with `start`, `console` and `stop` | nothing |
# | `erl -boot releases/1.0/start -config sys` starts a new emulator; in *embedded* mode every module is loaded at boot | `release.boot(rel)` on the current runtime; modules are loaded with `code.load` |
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
# - Real releases are directories and tar files made by `systools`, `reltool` or `rebar3`/`relx`; here they are simulated in memory.
#
# The graded lab for this chapter, [labs/11_release](../labs/11_release/README.md), builds a release by hand: the boot order, the `.rel`, the boot script and the start types.
# Releases come back in chapter 12, where one is upgraded while it runs (`labs/12_coffee_upgrade`).
# The labs available in this checkout:

# %% [markdown]
# <!--LABS-->

# %% [markdown]
# Next: [chapter 12](12_release_upgrades.ipynb), release upgrades.
