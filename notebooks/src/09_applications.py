# Source of notebooks/09_applications.ipynb: edit here, then run `python tools/nbbuild.py 09`.

# %% [markdown]
# # 9 · Applications: packaging the base station
#
# A supervision tree ([chapter 8](08_supervisors.ipynb)) still needs someone to start it, configure it and stop it.
# In OTP that unit is the **application**: a resource file describing the code and its dependencies, a callback module that starts the top supervisor, and an environment of configuration values.
# Chapter 9 of the book packages the base station controller as the application `bsc`; `otp_lite.application` runs it.
# The Python version lives in `examples/ch9/bsc.py`.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
import os, tempfile
from otp_lite import runtime, erlang, application, gen_event, logger
from examples.ch9 import bsc
from examples.ch7 import frequency

# %%
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run
bsc.LOG = os.path.join(tempfile.mkdtemp(), "log")   # keep the event log out of the repository

# %% [markdown]
# ## The resource file
#
# An Erlang application is described by its `.app` file, a single term:
#
# ```erlang
# {application, bsc,
#  [{description, "Base Station Controller"}, {vsn, "1.0"},
#   {modules, [bsc, frequency, freq_overload, ...]},
#   {registered, [bsc, frequency, freq_overload, simple_phone_sup]},
#   {applications, [kernel, stdlib, sasl]},
#   {env, [{frequencies, [10,11,12,13,14,15]}]},
#   {mod, {bsc, []}}]}.
# ```
#
# In `otp_lite` the same term is a Python tuple (or a dict), `bsc.APP`, whose `mod` names the Python module itself:

# %%
for key, value in bsc.APP[2]:
    print(f"{key:13}", value if key != "mod" else (value[0].__name__, value[1]))

# %% [markdown]
# | key | what it is for |
# |---|---|
# | `applications` | applications that must be running before this one starts |
# | `env` | default configuration, read with `application.get_env` |
# | `mod` | the callback module and the argument of its `start(type, args)` |
# | `registered` | names the application registers (release tools check clashes) |
# | `modules` | the code it contains |
#
# Loading reads the resource; nothing runs yet:

# %%
application.load(bsc.APP)

# %%
application.get_key("bsc", "vsn"), application.get_env("bsc", "frequencies")

# %% [markdown]
# ## The application structure
#
# On disk an application is a directory named after it and its version, with fixed subdirectories:
#
# ```
# bsc-1.0/
#   ebin/      bsc.app and the compiled .beam files (the one that must exist)
#   src/       the Erlang sources
#   include/   .hrl files, for this and other applications
#   priv/      whatever else it needs at run time: C drivers, scripts, data files
# ```
#
# `erl -pa bsc-1.0/ebin` puts `ebin` on the code path, and from the path `code:lib_dir(bsc)` and `code:priv_dir(bsc)` find the directories, so that the code never hard-codes where it was installed.
# We build one in a temporary folder (the `.app` shortened):

# %%
from otp_lite import code
lib = tempfile.mkdtemp()
for sub in ("ebin", "src", "include", "priv"):
    os.makedirs(os.path.join(lib, "bsc-1.0", sub))
with open(os.path.join(lib, "bsc-1.0", "ebin", "bsc.app"), "w") as f:
    f.write('{application, bsc, [{vsn, "1.0"}, {mod, {bsc, []}}]}.\n')
with open(os.path.join(lib, "bsc-1.0", "priv", "cells.txt"), "w") as f:
    f.write("10 11 12 13 14 15\n")
code.add_patha(os.path.join(lib, "bsc-1.0", "ebin"))

# %%
rel = lambda d: os.path.relpath(d, lib) if type(d) is str else d   # print paths inside `lib`
rel(code.lib_dir("bsc")), rel(code.priv_dir("bsc")), rel(code.lib_dir("bsc", "ebin")), code.priv_dir("nosuch")

# %% [markdown]
# The application's name comes from the directory (`bsc-1.0` is `bsc`, version or not), `priv_dir` is `lib_dir` plus `/priv` (whether or not it exists), and an unknown name is `('error', 'bad_name')`: OTP 25 gives the same answers (`tests/oracle_probes/ch09_apps.erl`).
# The usual use of `priv_dir` is a data file shipped with the application:

# %%
with open(os.path.join(code.priv_dir("bsc"), "cells.txt")) as f:
    print(f.read(), end="")

# %% [markdown]
# What differs here: modules are Python files, and `application.load` takes the resource as a Python term (`bsc.APP`) instead of reading `ebin/bsc.app`; the code path holds only what you add to it, so `kernel` and `stdlib` have no directory in `otp_lite` (in OTP, `code:lib_dir(kernel)` is `.../lib/kernel-8.5.3`).

# %% [markdown]
# ## Configuration overrides the defaults
#
# `erl -config bsc` reads a config file whose values override the `env` of the resource files.
# `application.load_config` stands in for it; the book's `bsc.config` quiets SASL and sets other frequencies:

# %%
bsc.CONFIG

# %%
application.load_config(bsc.CONFIG)
application.get_env("bsc", "frequencies")

# %% [markdown]
# ## Starting: dependencies first
#
# `bsc` depends on `sasl`, which is not running:

# %%
application.start("bsc")

# %%
application.ensure_all_started("bsc")

# %%
application.which_applications()

# %% [markdown]
# `ensure_all_started` started `sasl`, then `bsc` (the book's code run on OTP 25 gives the same list and versions).
# Starting `bsc` called `bsc.start('normal', [])`, which started the top supervisor `bsc` (a `rest_for_one` over `freq_overload`, `frequency` and `simple_phone_sup`).
# Every process in the tree now belongs to the application:

# %%
application.get_application(erlang.whereis("frequency"))

# %% [markdown]
# ## Spot the bug
#
# Two things look wrong in the running `bsc`, both in the book's code (run on OTP 25, it shows them too):

# %%
frequency.allocate()

# %%
[h.__name__.rsplit(".", 1)[-1] for h in gen_event.which_handlers("freq_overload")]

# %% [markdown]
# Why is the first frequency 10, when the configuration says `[1, 2, 3, 4, 5, 6]`?
# And why are there four handlers?
#
# <details><summary>Answer</summary>
#
# `frequency.get_frequencies()` still returns the hard-coded list of chapter 4: nothing reads the application environment.
# The book fixes it in chapter 11, where `get_frequencies` calls `application:get_env(frequencies)` with a default.
#
# The handlers are installed twice: `freq_overload.start_link` (the supervisor's child) adds `freq_counters` and `freq_logger`, and `bsc:start/2` adds them again after the supervisor starts.
# Every event is now counted and logged twice.
# (The book's ch9 `frequency_sup` also names a module `overload` that does not exist: the code was renamed to `freq_overload` halfway.)
#
# </details>

# %% [markdown]
# ## Stopping, and start types
#
# `application.stop` shuts the top supervisor down (in reverse order, as in chapter 8), then calls `bsc.stop(state)`, and logs that the application exited:

# %%
application.stop("bsc")

# %%
application.which_applications(), erlang.whereis("frequency")

# %% [markdown]
# What happens when the top supervisor *dies*, instead of being stopped with `application.stop`, depends on the **start type**:
#
# | start type | the application dies with `normal` | dies with any other reason |
# |---|---|---|
# | `temporary` (default) | reported, the rest keeps running | reported, the rest keeps running |
# | `transient` | reported, the rest keeps running | **the whole node stops** |
# | `permanent` | **the whole node stops** | **the whole node stops** |
#
# A temporary `bsc` whose top supervisor is killed dies alone.
# The kill is silent for the workers that do not trap exits (`frequency`), but the processes that do (the event manager, `simple_phone_sup`) and the application master write reports, as on OTP 25.
# We collect the reports and print only their kinds:

# %%
application.start("bsc")
with logger.capture() as reports:
    erlang.exit(erlang.whereis("bsc"), "kill")
    runtime.run_until_idle()
[r["kind"] for r in reports], application.which_applications()[0]

# %% [markdown]
# `sasl` is still running.
# Now the same with `bsc` started `permanent`:

# %%
application.start("bsc", "permanent")
with logger.capture() as reports:
    erlang.exit(erlang.whereis("bsc"), "kill")
    runtime.run_until_idle()
application.node_status()

# %% [markdown]
# On real Erlang the emulator exits with `Kernel pid terminated (application_controller) ({application_terminated,bsc,killed})`; in `otp_lite` the node is marked stopped and every application is gone:

# %%
application.which_applications()

# %% [markdown]
# A node that stops is not the end: in production, `heart` or the operating system restarts it, and the system comes back in a known state.
# Making the core application `permanent` is how you say "without this, the node is useless".

# %% [markdown]
# ## Start phases
#
# Some systems must start in steps across applications: initialise, then accept admin commands, then go operational.
# An application lists `start_phases` in its resource; after `start` returns, `start_phase(phase, type, args)` is called for each in order.
# We need a fresh node for this, and a minimal application:

# %%
rt = runtime.reset(seed=0)

# %%
class phased:
    def start(typ, args):
        return ("ok", erlang.spawn_link(erlang.receive))
    def start_phase(phase, typ, args):
        print("phase", phase, typ, args)
        return "ok"

# %%
res = {"name": "phased", "vsn": "1.0", "mod": (phased, []), "applications": ["kernel", "stdlib"],
       "start_phases": [("init", []), ("admin", [1]), ("oper", [])]}
application.start(res)

# %% [markdown]
# The book's `ch9/start_phases` application prints the same three lines with `init`, `admin` and `oper`.

# %% [markdown]
# ## Included applications
#
# An application can be part of another: it is listed in the including application's `included_applications`, loaded with it, and never started by the application controller.
# Instead, the including application's supervisor starts the included one's top supervisor as one of its children.
# `examples/ch9/top_app.py` has both, `top_app` including `inc_app` (the idea of the book's `ch9/top_app`, written here); the keys that matter:

# %%
import inspect
rt = runtime.reset(seed=0)
from otp_lite import supervisor, gen_server, viz
from examples.ch9 import top_app
rec = viz.record()

def show(res):
    keys = dict(res[2])
    mod, args = keys["mod"]
    short = lambda m: m.__name__.rsplit(".", 1)[-1]   # the module, without its file path
    mod, args = (mod, [short(args[0]), args[1]]) if mod == "application_starter" else (short(mod), args)
    print(res[1], "included_applications:", keys.get("included_applications", []))
    print("       start_phases:", keys["start_phases"])
    print("       mod:", (mod, args))

show(top_app.TOP_APP); show(top_app.INC_APP)

# %% [markdown]
# Loading `top_app` loads `inc_app` too.
# OTP finds `inc_app.app` on the code path; here the resource is handed over first.
# Starting `top_app` calls `start('normal', 'top')` of `top_app` only (the `start_phase` lines are the next section's):

# %%
application.load(top_app.INC_APP)
application.load(top_app.TOP_APP)
application.start("top_app")

# %%
application.which_applications()

# %%
application.loaded_applications()

# %% [markdown]
# `inc_app` is loaded but not running, and its processes belong to `top_app`: every process of an application has the application master as its group leader, and `inc_app` has no master of its own.

# %%
[application.get_application(erlang.whereis(n)) for n in ("top_sup", "inc_sup", "inc_worker")]

# %% [markdown]
# OTP 25 answers the same three questions the same way (`tests/oracle_probes/ch09_apps.erl`).
# `viz.sup_tree(application=...)` draws the tree with the application master above the top supervisor; `inc_sup` is just a child of `top_sup`:

# %%
viz.sup_tree(application="top_app")

# %% [markdown]
# In OTP there are two processes in the diamond's place: the application master (`application_master:init/4`, the group leader, linked to the application controller) and a helper it spawns to call `start/2`, which stays linked to the top supervisor (`application_master:start_it/4`, `tests/oracle_probes/ch09_master.erl`).
# `otp_lite`'s single master process does both jobs.

# %% [markdown]
# ## Start phases in included applications
#
# `top_app`'s `mod` is `('application_starter', [top_app, 'top'])`: the application master calls `top_app.start('normal', 'top')`, and then runs each of `top_app`'s start phases through `top_app` and on into the applications it includes.
# Read the lines `application.start("top_app")` printed above:
#
# | phase | `top_app` (phases `init`, `admin`, `oper`) | `inc_app` (phases `init`, `oper`) |
# |---|---|---|
# | `init` | `start_phase('init', 'normal', ['top'])` | then `start_phase('init', 'normal', ['inc'])` |
# | `admin` | `start_phase('admin', 'normal', ['top'])` | skipped: not among its phases |
# | `oper` | `start_phase('oper', 'normal', ['top'])` | then `start_phase('oper', 'normal', ['inc'])` |
#
# The phases and their order are the including application's; each application gets its own arguments, and one without the phase is skipped.
# OTP 25 prints the same six lines in this order.
# An included application that is itself an `application_starter` would pass each phase on to the applications *it* includes.
#
# An included application with no `start_phases` at all stops the start, after the phases that already ran:

# %%
application.stop("top_app")

# %%
application.unload("inc_app")
application.load(("application", "inc_app", [kv for kv in top_app.INC_APP[2] if kv[0] != "start_phases"]))
with logger.capture() as reports:
    r = application.start("top_app")
r, [x["kind"] for x in reports]

# %% [markdown]
# The master's crash report and the `exited` report, and `('error', ('start_phases_undefined', 'inc_app'))`: OTP 25 writes the same two reports and returns `{error,{start_phases_undefined,inc_app}}`.
# And a surprise that OTP 25 has too: the application is not running, but its top supervisor is, with its whole tree, unlinked and belonging to no application:

# %%
top = erlang.whereis("top_sup")
top.alive, erlang.process_info(top, "links"), application.get_application(top)

# %% [markdown]
# The application master unlinks the top supervisor when a start phase fails and leaves it running (`tests/oracle_probes/ch09_apps.erl` and `ch09_phase_fail.erl` show it on OTP 25).
# Nothing will stop it, and it keeps its registered name, so the next `application.start("top_app")` would fail with `already_started`.
# We clean up by hand (its child `inc_sup` writes a crash report as it goes; we only collect it):

# %%
with logger.capture() as reports:
    erlang.exit(top, "kill")
    runtime.run_until_idle()
erlang.whereis("top_sup"), erlang.whereis("inc_sup")

# %% [markdown]
# ## Combining supervisors and applications
#
# The application callback and the top supervisor are often one module: `start/2` starts the supervisor with `?MODULE` as its callback, and the same module has `init/1`.
# `bsc` does it, and so does `top_app`, for both of its supervisors:

# %%
print(inspect.getsource(top_app.start)); print(inspect.getsource(top_app.init))

# %% [markdown]
# Put `inc_app` back as it was, start `top_app` again, and ask the supervisors which module is their callback:

# %%
application.unload("inc_app")
application.load(top_app.INC_APP)
application.start("top_app")

# %%
supervisor.get_callback_module("top_sup") is top_app, supervisor.get_callback_module("inc_sup") is top_app

# %% [markdown]
# One module, three roles: the application master calls its `start`, `start_phase` and `stop`; two supervisors call its `init` with different arguments.
# It saves a file, and it is clear as long as the module stays small; a big application is easier to read with the callback and the supervisor apart.

# %% [markdown]
# ## The SASL application
#
# In the book's era SASL (System Architecture Support Libraries) owned the progress, supervisor and crash reports, and its environment said where they went:
#
# | SASL parameter | what it said |
# |---|---|
# | `sasl_error_logger` | `tty` (default), `{file, Name}` or `false`: where to write the reports |
# | `errlog_type` | `error`, `progress` or `all` (default): which reports to write |
# | `utc_log` | `true`: time stamps in UTC |
# | `error_logger_mf_dir`, `_maxbytes`, `_maxfiles` | wrap log files on disk, read back with the report browser `rb` |
#
# Since OTP 21 the reports are the **logger**'s, and the logger's level decides: SASL's parameters are only read when kernel's `logger_sasl_compatible` is `true` (it is `false` by default).
# Starting `sasl` changes nothing about which reports you see:

# %%
from examples.ch9.reports_demo import DemoSup
rt = runtime.reset(seed=0)
application.start("sasl"), application.get_all_env("sasl"), logger.get_primary_config()

# %% [markdown]
# What decides is the primary level, `notice` by default: progress reports are `info`, so they are dropped.
# Start a supervisor with one worker at both levels and list the reports written:

# %%
def reports_while_starting(level):
    logger.set_primary_config("level", level)
    with logger.capture() as reports:
        _, sup = supervisor.start_link(DemoSup, [])
        erlang.unlink(sup)
        gen_server.stop(sup)
    logger.set_primary_config("level", "notice")
    return [r["kind"] for r in reports]

reports_while_starting("notice"), reports_while_starting("info")

# %% [markdown]
# The same on OTP 25 with SASL started (`tests/oracle_probes/ch09_sasl.erl`): nothing at `notice`, one `PROGRESS REPORT` at `info`; a crashing child's supervisor report shows at the default level.
# The book's `bsc.config` sets `errlog_type` to `error`.
# On OTP 25 that matters only with kernel's `logger_sasl_compatible` set to `true`: then SASL's own handler writes the supervisor, crash and progress reports, `errlog_type` picks which (with the default `all`, starting SASL even lowers the primary level to `info`; with `error`, no progress report appears at any level), and `utc_log` stamps them `UTC` (the probe runs all three ways).
# Here the values are only stored:

# %%
application.load_config(bsc.CONFIG)
application.get_all_env("sasl")

# %% [markdown]
# The report browser `rb` is legacy: it reads the wrap logs of the old `error_logger_mf_dir` handler, and on OTP 25 without that directory `rb:start()` returns `{error,{"cannot locate report directory",...}}`.
# `otp_lite` has no `rb`; today you would write reports to a file with a logger handler (chapter 16) and read them with ordinary tools.

# %% [markdown]
# ## The SASL reports, side by side
#
# Supervisors and behaviours write **reports** through the logger; the SASL application of the book's era printed them, and since OTP 21 the logger does.
# There are four kinds:
#
# | report | written by | when |
# |---|---|---|
# | `PROGRESS REPORT` | a supervisor (and the application controller) | a child or an application started; level `info`, so hidden at the default level `notice` |
# | `ERROR REPORT` | a behaviour, or your own `logger.error` | a gen_server/gen_statem/gen_event terminating abnormally, with its last message and state |
# | `CRASH REPORT` | `proc_lib` | any process it started dying abnormally: who it was, its ancestors, links, reductions |
# | `SUPERVISOR REPORT` | a supervisor | a child terminated (`child_terminated`), failed to start or to stop, or the restart intensity was reached |
#
# One worker under a supervisor (`examples/ch9/reports_demo.py`), with the level lowered to `info`; the worker crashes on a call and is restarted, then we log an error of our own.
# OTP 25 writes the same six reports in the same order (`tests/oracle_probes/sasl_reports.erl`, with its output):

# %%
from otp_lite import timer
from otp_lite.erlang import Exit
from examples.ch9.reports_demo import DemoSup, Worker
print(inspect.getsource(Worker.handle_call))

# %%
rt = runtime.reset(seed=0)
logger.set_level("info")                    # show progress reports too
_, demo = supervisor.start_link(("local", "demo_sup"), DemoSup, [])
erlang.unlink(demo)
try:
    gen_server.call("worker", "crash")
except Exit:
    pass
_ = timer.sleep(50)
logger.error("the frequency server is out of frequencies")
_ = logger.set_level("notice")              # back to the default

# %% [markdown]
# Read them in order: the supervisor started the worker (progress); the worker's `handle_call` raised, so `gen_server` wrote an error report with the last message and the state, and `proc_lib` a crash report of the process; the supervisor saw the exit (supervisor report, `child_terminated`) and started a new worker (progress); last, our own error report.
# In production these go to a log file (the logger's file handler, chapter 16), where a crash report's `ancestors` and `links` tell you where in the tree it happened.

# %% [markdown]
# ## Try it
#
# **1.** Start `bsc` with type `transient` and stop it with `application.stop("bsc")`. Does the node stop?
#
# <details><summary>Answer</summary>
#
# No: `application:stop/1` is a deliberate stop (`exited: stopped`), and the start type never applies to it; even a `permanent` application can be stopped without taking the node down.
# Kill the top supervisor instead, and it does.
#
# </details>
#
# **2.** Read a value that is not in the environment, with a default: `application.get_env("bsc", "max_phones", 100)`. What comes back, and what without the default?
#
# <details><summary>Answer</summary>
#
# `100`; without the default, `'undefined'` (with a key that exists it is `('ok', value)`).
#
# </details>
#
# **3.** Make `phased.start_phase` return `'error'` for the `admin` phase. What does `application.start` return?
#
# <details><summary>Answer</summary>
#
# An error tuple naming `start_phase` and the phase `admin`; OTP 25 returns `{error,{bad_return_value,{{phased,start_phase,[admin,normal,[1]]},error}}}`, and otp_lite the same tuple: `('error', ('bad_return_value', (('phased', 'start_phase', ['admin', 'normal', [1]]), 'error')))`.
# A phase that does not return `ok` aborts the start: the application is not running, but, as with `top_app` above, its top process is left running, unlinked (OTP 25 does the same).
#
# </details>

# %% [markdown]
# ## What you saw
#
# - Four kinds of report: progress (a start, at level `info`), error (a behaviour terminating, or your own), crash (`proc_lib`'s view of a dying process) and supervisor (a child terminated or failed).
# - An application is a resource (`.app`), a callback module starting a top supervisor, and an environment.
# - Configuration files override the resource's `env`; dependencies must be started first (`ensure_all_started`).
# - `stop` shuts the tree down cleanly; a dying top supervisor stops only its application if it is `temporary`, and the whole node if it is `permanent`.
# - `start_phases` run after `start`, in order, to bring a system up in steps.
- On disk an application is `ebin` (with the `.app`), `src`, `include` and `priv`; `code.lib_dir` and `code.priv_dir` find them from the code path.
- An included application is loaded with its parent, never started by the controller: the including application's supervisor starts its top supervisor, and its processes belong to the including application.
- With `application_starter`, each start phase runs through the including application and then the included ones, each with its own arguments.
- One module can be both the application callback and the top supervisor (`start/2` plus `init/1`).
- Since OTP 21 the logger's level decides which SASL reports you see; SASL's own parameters only matter with `logger_sasl_compatible`, and `rb` is legacy.
# - The book's `bsc` installs its handlers twice and ignores its `frequencies` setting.
#
# The graded lab is [labs/09_bsc_application](../labs/09_bsc_application/README.md): package the BSC of lab 08 as an application.
# You write its resource description, the callback module (with the frequencies read from `application.get_env` and overridden by a config file), start and stop it with its dependencies, compare the start types, and add the overload handlers once, in a start phase, instead of twice as the book's code does.
# The labs available in this checkout:

# %% [markdown]
# <!--LABS-->

# %% [markdown]
# Next: chapter 10, special processes and your own behaviours.
