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
# With **included applications** (`ch9/top_app`), an application is loaded as part of another: its top supervisor is started by the including application's supervisor, and the phases run through both in order, which is what `application_starter` in the resource is for.
# `otp_lite` loads included applications with their parent; starting them is up to your top supervisor, as in OTP.

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
import inspect
from otp_lite import gen_server, supervisor, timer
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
# An error tuple naming `start_phase` and the phase `admin`; OTP 25 returns `{error,{bad_return_value,{{phased,start_phase,[admin,normal,[1]]},error}}}` (otp_lite wraps the same facts in a slightly different tuple).
# A phase that does not return `ok` aborts the start: the top process is shut down and the application is not running.
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
# - The book's `bsc` installs its handlers twice and ignores its `frequencies` setting.
#
# The graded lab is [labs/09_bsc_application](../labs/09_bsc_application/README.md): package the BSC of lab 08 as an application.
# You write its resource description, the callback module (with the frequencies read from `application.get_env` and overridden by a config file), start and stop it with its dependencies, compare the start types, and add the overload handlers once, in a start phase, instead of twice as the book's code does.
# The labs available in this checkout:

# %% [markdown]
# <!--LABS-->

# %% [markdown]
# Next: chapter 10, special processes and your own behaviours.
