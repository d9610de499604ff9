# Source of notebooks/00_start_here.ipynb: edit here, then run `python tools/nbbuild.py 00`.

# %% [markdown]
# # OTP Lab: start here
#
# OTP Lab is a companion to *Designing for Scalability with Erlang/OTP* (Cesarini & Vinoski).
# You read a chapter, open its notebook, and watch the ideas run: processes, messages, servers, supervisors.
# The Python package `otp_lite` mirrors Erlang/OTP name for name, so `gen_server:call(Ref, Req)` in the book is `gen_server.call(ref, req)` here.
# Each chapter that has something to build ends with a graded lab that you complete and check on your own machine.

# %% [markdown]
# ## How these notebooks work
#
# Three rules explain everything you will see.
#
# 1. **A cell is the Erlang shell.** Code in a cell runs as the shell process: it has a pid, a mailbox, and can `receive`.
# 2. **After each cell the system runs until it is quiet.** Messages you sent in one cell have been handled by the time the next cell starts.
# 3. **Time is virtual.** A 5-second timeout takes no wall time, and every run gives the same pids, the same order, the same output.
#
# Every notebook starts the same way: a fresh runtime with a fixed seed.

# %%
from otp_lite import runtime, erlang, timer
from otp_lite.erlang import ANY, Deadlock
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run

# %% [markdown]
# ## Spawn, send, receive in five cells
#
# In the Erlang shell you would type this:
#
# ```erlang
# 1> self().
# 2> Pid = spawn(fun() -> receive {From, Name} -> From ! {hello, Name} end end).
# 3> Pid ! {self(), "Joe"}.
# 4> receive {hello, Who} -> Who end.
# ```
#
# The same conversation in Python follows, one step per cell.
# First, who are we?

# %%
erlang.self()

# %% [markdown]
# A process is any function.
# This one waits for a `(sender, name)` pair and answers the sender; `ANY` plays the part of an unbound variable in a pattern.

# %%
def greeter():
    frm, name = erlang.receive((ANY, ANY))
    erlang.send(frm, ("hello", name))

pid = erlang.spawn(greeter)
pid

# %% [markdown]
# Sending returns the message, as `Pid ! Msg` does in Erlang.

# %%
erlang.send(pid, (erlang.self(), "Joe"))

# %% [markdown]
# The greeter has run (rule 2), so its answer is already waiting in our mailbox.
# `receive` takes the first message that matches the pattern.

# %%
erlang.receive(("hello", ANY))

# %% [markdown]
# The greeter returned after answering, so it is gone: a process ends when its function returns.

# %%
erlang.is_process_alive(pid)

# %% [markdown]
# ## Time costs nothing
#
# Sleeping five seconds on the virtual clock is instant, and `runtime.now()` shows the clock moved.
# A `receive` with a timeout that nobody answers returns the sentinel `TIMEOUT`, as the `after` clause does in Erlang.

# %%
timer.sleep(5000)
runtime.now()

# %%
erlang.receive(("hello", ANY), timeout=1000), runtime.now()

# %% [markdown]
# If you `receive` with no timeout and nobody can ever send you anything, the cell does not hang: you get a `Deadlock` error that says so.
# Here we catch it and print its message:

# %%
try:
    erlang.receive(("hello", ANY))
except Deadlock as e:
    print(e)

# %% [markdown]
# ## The storyline
#
# The book grows three systems chapter by chapter, and so do the notebooks.
#
# - **The frequency server** hands out radio frequencies to phones: a hand-written process (ch. 3), a `gen_server` (ch. 4–5), raising events (ch. 7), supervised (ch. 8), packaged as the `bsc` application (ch. 9, 11).
# - **The coffee machine** is a state machine: plain Erlang, then a behaviour with timeouts (ch. 6), supervised by hand (ch. 8), upgraded while it runs (ch. 12).
# - **The phone network** starts as a table mapping numbers to processes (ch. 2) and becomes one state machine per handset (ch. 6) under a supervision tree (ch. 8).

# %% [markdown]
# ## The chapter notebooks
#
# Run them in order; each one links back to the ideas it builds on.

# %% [markdown]
# <!--CONTENTS-->

# %% [markdown]
# ## The graded labs
#
# Each lab folder has instructions, a stub to complete, and checks; `make grade LAB=<folder>` grades it.

# %% [markdown]
# <!--LABS-->

# %% [markdown]
# ## What you saw
#
# - The notebook cell is the shell process `<0.80.0>`; `spawn`, `send` and `receive` work from it as in `erl`.
# - The runtime runs after every cell, so replies are waiting for you in the next one.
# - Time is virtual: timeouts are instant and every run prints the same thing.
#
# Next: [the introduction](01_introduction.ipynb), with registered names, crashes and a first look at the trace of a running system.
