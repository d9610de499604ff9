# Source of notebooks/01_introduction.ipynb: edit here, then run `python tools/nbbuild.py 01`.

# %% [markdown]
# # 1 · Introduction: a first tour
#
# Chapter 1 of the book explains what OTP is before showing any code.
# This notebook does the same in a few runnable cells, using what you met in [Start here](00_start_here.ipynb): the cell is the shell, and time is virtual.

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

# %%
from otp_lite import runtime, erlang
from otp_lite.erlang import ANY
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run

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
# Read it top to bottom: the shell `<0.80.0>` sends, the counter `<0.81.0>` receives and answers, the shell receives the answer.
# Later notebooks draw the same events as a chart.

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
#
# Chapter 2 goes deeper into processes, links and shared tables; there is no lab for chapter 1.
