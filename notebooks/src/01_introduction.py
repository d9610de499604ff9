# Source of notebooks/01_introduction.ipynb: edit here, then run `python tools/nbbuild.py 01`.

# %% [markdown]
# # 1 · Introduction: a first tour
#
# Chapter 1 of the book explains what OTP is before showing any code.
# This notebook does the same in a few runnable cells, using what you met in [Start here](00_start_here.ipynb): the cell is the shell, and time is virtual.

# %% [markdown]
# ## Defining the problem
#
# The book is about systems that must keep running: a phone switch, a payment service, a chat server.
# They have to be **scalable** (more load, more machines), **fault-tolerant** (a bug or a dead disk costs one request, not the service), **highly available** (no stop, not even to upgrade) and **distributed** (no single machine to lose).
# Most are **soft real-time**: an answer should arrive within a deadline, and one late answer is a worse service, not a disaster.
#
# Erlang's answer is to give every activity its own process.
# Here every phone call gets one: it looks up where to route the number, after 20 ms of work on the virtual clock.
# An unknown number is a bug in that one call (a `KeyError`), and it crashes only that call.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
from otp_lite import runtime, erlang
from otp_lite.erlang import ANY
from examples.ch1 import calls
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run

# %% [markdown]
# The call handler lives in `examples/ch1/calls.py`:
#
# ```python
# ROUTES = {"555-0101": "north", "555-0102": "south", "555-0103": "north"}
#
# def connect(caller, number):
#     timer.sleep(20)                                               # 20 ms of work
#     erlang.send(caller, ("connected", number, ROUTES[number]))    # an unknown number crashes here
# ```
#
# Four calls start at once, one to a number nobody knows:

# %%
numbers = ["555-0101", "555-9999", "555-0102", "555-0103"]
handlers = [erlang.spawn_monitor(calls.connect, erlang.self(), n) for n in numbers]

# %% [markdown]
# The shell waits at most 50 ms (its deadline) for each call's answer, or for the `'DOWN'` its monitor sends if the call died first.
# A call that answered then ends normally; `demonitor(ref, flush=True)` drops that `'DOWN'`, which is not news.
# The error report at the top of the output is the one call that died.

# %%
for n, (pid, ref) in zip(numbers, handlers):
    msg = erlang.receive(("connected", n, ANY), ("DOWN", ref, "process", pid, ANY), timeout=50)
    erlang.demonitor(ref, flush=True)
    print(f"{runtime.now():>3} ms ", msg if msg[0] == "connected" else ("DOWN", pid, msg[4][0]))

# %% [markdown]
# Three callers were connected at 20 ms, within the deadline; the call to 555-9999 died with its own reason (printed here without its stack), and nothing else noticed.
# The rest of this notebook, and of the book, is how OTP turns that idea into whole systems.

# %% [markdown]
# ## What OTP is
#
# The book splits OTP into three parts, and `otp_lite` keeps the split.
#
# | OTP part | In Erlang | In otp_lite |
# |---|---|---|
# | The language and its VM | processes, messages, links | `otp_lite.erlang`: `spawn`, `send`, `receive`, `link` |
# | Tools and libraries | `gen_server`, `supervisor`, `application` | `otp_lite.gen_server`, `otp_lite.supervisor`, ... |
# | Design principles | behaviours, supervision trees, releases | the same patterns, chapter by chapter |
#
# Everything else in the book is built from one idea: many small processes that share nothing and talk only by messages.

# %% [markdown]
# ## A process keeps its own state
#
# In Erlang, a process keeps its state in the argument of its loop:
#
# ```erlang
# counter(N) ->
#     receive
#         {incr, From} -> From ! {count, N + 1}, counter(N + 1);
#         stop -> ok
#     end.
# ```
#
# Python has no tail calls, so the loop becomes a `while` loop and the argument a local variable.
# The loop runs until the message it takes is `"stop"`.
# Nobody else can touch `n`: the only way in is a message.

# %%
def counter(n):
    while (msg := erlang.receive(("incr", ANY), "stop")) != "stop":
        n += 1
        erlang.send(msg[1], ("count", n))

# %% [markdown]
# ## Registered names
#
# Only the process that spawned the counter knows its pid, so a long-lived server gets a name, as `register(counter, Pid)` does in Erlang.
# Any process can then send to the name.

# %%
pid = erlang.spawn(counter, 0)
erlang.register("counter", pid)
erlang.whereis("counter")

# %%
erlang.send("counter", ("incr", erlang.self()))
erlang.send("counter", ("incr", erlang.self()))
erlang.receive(("count", ANY)), erlang.receive(("count", ANY))

# %% [markdown]
# ## Watching the system move
#
# Every spawn, send and receive is an event on one trace bus.
# A `runtime.Recorder` keeps the events while it is on; printing the sends gives a message sequence chart as text.

# %%
with runtime.Recorder(kinds=["send", "receive"]) as rec:
    erlang.send("counter", ("incr", erlang.self()))
    erlang.receive(("count", ANY))

# %%
def show(events):
    for e in events:
        who = f"{e['frm']} -> {e['to']}" if e["kind"] == "send" else f"{e['pid']} takes"
        print(f"{e['t']:>4} ms  {who:<22} {e['msg']!r}")
show(rec.events)

# %% [markdown]
# Read it top to bottom: the shell `<0.80.0>` sends, the counter `<0.85.0>` receives and answers, the shell receives the answer.
# The tools section below draws the same events as a chart.

# %% [markdown]
# ## Let it crash
#
# OTP's answer to errors is to let the process that hit one die, and have another process notice.
# A process that ends with `exit(Reason)` dies with that reason; the shell and every other process carry on.

# %%
def worker():
    erlang.receive("go")
    erlang.exit("disk_full")

w = erlang.spawn(worker)
erlang.send(w, "go")

# %% [markdown]
# The worker has run and died (rule 2 from Start here); the counter is untouched.

# %%
erlang.is_process_alive(w), erlang.is_process_alive(pid)

# %% [markdown]
# Nobody noticed that death.
# A **monitor** is how one process watches another: when the watched one dies, the watcher gets a `'DOWN'` message carrying the reason.

# %%
w, ref = erlang.spawn_monitor(worker)
erlang.send(w, "go")
erlang.receive(("DOWN", ref, "process", w, ANY))

# %% [markdown]
# Supervisors (chapter 8) are built on exactly this: watch, notice, restart.

# %% [markdown]
# ## Tools and libraries
#
# OTP ships as a set of **applications**, and the book sorts them into groups.
# `otp_lite` has the parts this course needs, and draws the tools as text and figures:
#
# | group | OTP applications | in otp_lite |
# |---|---|---|
# | basic | `kernel` (processes, code loading, distribution, `logger`), `stdlib` (`lists`, `gen_server`, `supervisor`, `ets`...), `sasl` (release handling, reports) | `erlang`, `gen_server`, `supervisor`, `application`, `logger`, `code`, `release_handler` |
# | database | `mnesia` (a distributed database), ETS and DETS (tables in memory and on disk; in `stdlib`, but the book files them here) | `ets` only: no Mnesia, no DETS |
# | operations and maintenance | `os_mon` (memory, disk and CPU alarms), `snmp`, `otp_mibs` | `alarm_handler`, `metrics` (chapter 16) |
# | interface and communication | `crypto`, `ssl`, `ssh`, `inets`, `asn1`, `jinterface`, `erl_interface`, `wx`... | none: Python has its own |
# | tools | `observer`, `debugger`, `et` (the event tracer), `dialyzer`, `eunit`, `common_test`, `reltool`... | `viz.observer`, `viz.Player`, `viz.sequence`; `pytest` grades the labs |
#
# `application.which_applications()` lists what is running, as in the Erlang shell; a bare `erl` (OTP 25) shows the same two, with the same versions (`tests/oracle_probes/ch1_system_info.erl`):

# %%
from otp_lite import application, viz
application.which_applications()

# %% [markdown]
# **observer**'s Processes tab lists every process: pid, registered name, the function it started in, reductions (work done), mailbox length, memory and status.
# `viz.observer()` is the same table (memory is otp_lite's estimate, not BEAM words); the notebook shell is `shell:eval/0`:

# %%
print(viz.observer().text())

# %% [markdown]
# **et**, the event tracer, draws messages between processes as a sequence chart.
# `viz.sequence` does that from a recording: as a figure, and as text below it.
# `viz.record()` keeps every event from now on; the supervision tree below uses its recording too.

# %%
trace = viz.record()
erlang.send("counter", ("incr", erlang.self()))
erlang.receive(("count", ANY))

# %%
viz.sequence(trace, kinds=["send", "receive"])

# %% [markdown]
# The **debugger** steps through one process's code.
# Across processes, stepping through the recorded events is more useful: `viz.Player` moves through a trace one event, or one message, at a time, and every view can show the system as it was at that moment.

# %%
player = viz.Player(trace)
player.start().next_message()

# %%
player.next_message()

# %% [markdown]
# In JupyterLab, `viz.observer().live()` and `player.live()` are widgets that follow the system and step through the trace with buttons.
# Dialyzer has no equivalent here: it checks Erlang's type specifications, and the nearest Python tool is a type checker such as mypy.

# %% [markdown]
# ## System design principles
#
# OTP's design principles are four ideas that nest:
#
# 1. **Behaviours** ([chapters 3 to 7](03_behaviours.ipynb), and [10](10_special_processes.ipynb)): the generic part of a server, a state machine or an event manager is written once by OTP; you write only the callbacks.
# 2. **Supervision trees** ([chapter 8](08_supervisors.ipynb)): workers are started, watched and restarted by supervisors, which are supervised in turn.
# 3. **Applications** ([chapter 9](09_applications.ipynb)): a supervision tree with its modules and configuration, started and stopped as one unit.
# 4. **Releases** ([chapter 11](11_releases.ipynb), upgraded in [chapter 12](12_release_upgrades.ipynb)): the applications of a whole node, with the runtime, packaged to be installed.
#
# Here are the first two at small scale.
# `examples/ch1/counter_server.py` is the counter rewritten as a `gen_server` callback module (`init` and `handle_call`, nothing else), and `counter_sup.py` a supervisor whose `init` returns its flags and one child specification:
#
# ```python
# def init(_args):
#     child = {"id": "counter_server", "start": (counter_server, "start_link", []),
#              "restart": "permanent", "shutdown": 5000, "type": "worker",
#              "modules": ["counter_server"]}
#     return ("ok", ({"strategy": "one_for_one", "intensity": 1, "period": 5}, [child]))
# ```

# %%
from examples.ch1 import counter_sup, counter_server
counter_sup.start_link()

# %%
counter_server.incr(), counter_server.incr()

# %%
print(viz.sup_tree("counter_sup").text())

# %% [markdown]
# The text form shows the strategy, the restart intensity (1 restart in 5 s) and how much of it is left (`budget`).
# Now the worker dies, killed from outside.
# The supervisor reports it (a `SUPERVISOR REPORT`, as in OTP) and starts a new one, whose count starts again from 0:

# %%
erlang.exit(erlang.whereis("counter_server"), "kill")

# %%
counter_server.incr()

# %%
print(viz.sup_tree("counter_sup").text())

# %% [markdown]
# The next steps wrap `counter_sup` in an application (a `.app` resource naming its modules, its start module and its environment) and the application in a release; chapters 9 and 11 do it for the frequency server.

# %% [markdown]
# ## Distribution, infrastructure, and multicore
#
# The BEAM runs one **scheduler** per CPU core, each an OS thread with its own run queue, and moves processes between them to keep every core busy.
# Because processes share nothing, the same program uses 1 core or 64 without a change.
# Each scheduler preempts a process after a budget of **reductions** (function calls, sends), so no process can hog a core.
#
# `otp_lite` is simpler, and says so: **one** scheduler on one OS thread, so nothing here runs in parallel.
# It preempts by reductions too (it counts sends and receives; after 2000 the next process runs), with a CPU-time slice for Python loops that never send or receive.
# `erlang.system_info` reports that, as `erl +S 1` (one scheduler) would; a plain `erl` on a 2-core machine answers `2, 2, "25"` (`tests/oracle_probes/ch1_system_info.erl`):

# %%
erlang.system_info("schedulers"), erlang.system_info("schedulers_online"), erlang.system_info("otp_release")

# %% [markdown]
# Processes are cheap.
# Four are running (the shell, the counter, the supervisor and its worker); here are 10,000 more, each waiting for a message, then gone again.

# %%
before = erlang.system_info("process_count")
idle = [erlang.spawn(erlang.receive) for _ in range(10_000)]
during = erlang.system_info("process_count")
for p in idle:
    erlang.send(p, "stop")
before, during

# %% [markdown]
# After the cell, the runtime ran until quiet (rule 2 of Start here): every one of them took its message and ended.

# %%
erlang.system_info("process_count")

# %% [markdown]
# **Distribution** is the other way to scale and the only way to survive losing a machine: several nodes, each a BEAM, sending messages to each other's processes exactly as to local ones.
# How many nodes, how they connect and what happens when the network splits are the infrastructure choices of [chapters 13 to 15](13_distributed_architectures.ipynb).
# A first look; **simulated**: both nodes live in this one Python process, and the network between them is a model with a 5 ms latency.

# %%
from otp_lite import dist
dist.start("shell@host0", latency=5)
dist.start_node("bsc@host1")
remote = erlang.spawn("bsc@host1", erlang.receive)
erlang.node(), erlang.node(remote), remote

# %% [markdown]
# ## Try it
#
# **1.** Stop the counter with the message `"stop"`, then ask `erlang.whereis("counter")` again.
# What does it return, and why?
#
# <details><summary>Answer</summary>
#
# `'undefined'`: a registered name belongs to a live process, and goes away when the process ends.
# Sending to the name now fails with `badarg`, as in Erlang.
#
# </details>

# %%
erlang.send("counter", "stop")

# %%
erlang.whereis("counter")

# %% [markdown]
# **2.** Monitor a process that is already dead.
# Does `receive` wait for ever?
#
# <details><summary>Answer</summary>
#
# No: monitoring a dead process delivers a `'DOWN'` at once with the reason `'noproc'`.
# Try `ref = erlang.monitor("process", w)` then `erlang.receive(("DOWN", ref, ANY, ANY, ANY))`.
#
# </details>
#
# **3.** Give the counter a `("get", From)` request that answers without adding one.
# Which line of `counter` would you change?
#
# <details><summary>Answer</summary>
#
# The `receive` needs a third pattern `("get", ANY)`, and the loop body must look at `msg[0]`: answer with `n` for `"get"`, add one only for `"incr"`.
#
# </details>

# %% [markdown]
# ## What you saw
#
# - A process holds its state in its own loop; the only way to change it is a message.
# - Registered names let any process reach a server without knowing its pid.
# - The trace bus records everything that moves, and a monitor turns a death into a message.
# - The problem the book solves: systems that stay up and answer on time; a crash costs one process, not the system.
# - OTP's tools have otp_lite twins: `viz.observer`, `viz.sequence`, `viz.Player`.
# - Behaviours, supervision trees, applications and releases nest; a supervisor restarts a killed `gen_server`.
# - The BEAM runs a scheduler per core; otp_lite runs one (`erlang.system_info`), and its nodes are simulated.
#
# Chapter 2 goes deeper into processes, links and shared tables; there is no lab for chapter 1.
