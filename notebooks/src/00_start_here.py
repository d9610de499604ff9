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
# Most chapters end with a lab: a folder under `labs/` with a `README.md` (the tasks), a Python file to complete, and checks in `tests/`.
# Read the notebook, then do its lab.
# The times are rough guesses for someone new to Erlang: the notebook run and read, then the lab done.
#
# | notebook | lab | time |
# |---|---|---|
# | [01 Introduction](01_introduction.ipynb) | (none) | 20 min |
# | [02 Introducing Erlang](02_introducing_erlang.ipynb) | [02_hlr](../labs/02_hlr/README.md) | 45 min + 45 min |
# | [03 Behaviours](03_behaviours.ipynb) | [03_generic_server](../labs/03_generic_server/README.md) | 30 min + 1½ h |
# | [04 Generic servers](04_generic_servers.ipynb) | [04_frequency_gen_server](../labs/04_frequency_gen_server/README.md) | 45 min + 1 h |
# | [05 Controlling OTP behaviours](05_controlling_otp_behaviours.ipynb) | [05_sys_diagnosis](../labs/05_sys_diagnosis/README.md) | 40 min + 45 min |
# | [06 Finite state machines](06_finite_state_machines.ipynb) | [06_phone_controllers](../labs/06_phone_controllers/README.md) | 45 min + 2–3 h |
# | [07 Event handlers](07_event_handlers.ipynb) | [07_overload_handlers](../labs/07_overload_handlers/README.md) | 35 min + 1½ h |
# | [08 Supervisors](08_supervisors.ipynb) | [08_bsc_supervision](../labs/08_bsc_supervision/README.md) | 45 min + 1½–2 h |
# | [09 Applications](09_applications.ipynb) | [09_bsc_application](../labs/09_bsc_application/README.md) | 40 min + 1½–2 h |
# | [10 Special processes](10_special_processes.ipynb) | [10_mutex](../labs/10_mutex/README.md) | 45 min + 1½ h |
# | [11 Releases](11_releases.ipynb) | [11_release](../labs/11_release/README.md) | 30 min + 1½ h |
# | [12 Release upgrades](12_release_upgrades.ipynb) | [12_coffee_upgrade](../labs/12_coffee_upgrade/README.md) | 50 min + 2–3 h |
# | [13 Distributed architectures](13_distributed_architectures.ipynb) | [13_partition_service](../labs/13_partition_service/README.md) | 30 min + 1–1½ h |
# | [14 Systems that never stop](14_systems_that_never_stop.ipynb) | [14_idempotent_replication](../labs/14_idempotent_replication/README.md) | 40 min + 1½ h |
# | [15 Scaling out](15_scaling_out.ipynb) | [15_backpressure](../labs/15_backpressure/README.md) | 40 min + 1–1½ h |
# | [16 Monitoring](16_monitoring.ipynb) | [16_alarms_and_shedding](../labs/16_alarms_and_shedding/README.md) | 40 min + 2 h |
#
# To grade a lab, open its `lab.ipynb` in JupyterLab and press **Run checks** (the widget shows the table below, and runs the checks again each time you press it), or in a terminal at the top of the repository:
#
# ```
# make grade LAB=02_hlr
# ```

# %% [markdown]
# ## What a grade looks like
#
# The grader runs the lab's checks in a separate process and scores each one: its task, what it checks, its points, and for a failure the first line of why.
# Here it grades the untouched starting point of lab 02, so every check fails, each with the call it made, what it got and what it expected.
# This is the table the **Run checks** button shows:

# %%
from otp_lite import grade
from IPython.display import HTML
report = grade.grade(grade.find_lab("02_hlr"), write=False)
HTML(grade.format_html(report))

# %% [markdown]
# In a terminal, `make grade LAB=02_hlr` prints the same as text:

# %%
print(report.table())

# %% [markdown]
# (Once you have worked on lab 02, these cells grade your work instead.)
# The same command with `--solution` grades the reference solution: 13/13.

# %% [markdown]
# ## When you are stuck
#
# 1. **Read the failing line.** "Called hlr.new(). Got None, expected 'ok'." says which call to look at first.
# 2. **Ask for more.** `.venv/bin/python -m otp_lite.grade labs/02_hlr -v` prints each failure in full, with whatever your code printed during the check.
# 3. **Read the check.** Each check is a short function in the lab's `tests/test_*.py`, with a one-line docstring; its name is the one in the table.
#    Run it alone with `.venv/bin/python -m pytest labs/02_hlr -k test_lookup_ms` for pytest's full traceback.
# 4. **Try it by hand.** The playground cell of the lab's `lab.ipynb` is a shell: call your functions there, as the check does.
# 5. **Read the chapter's notebook again**: the table above says which one.
# 6. **Look at `solution/`.** Every lab has its reference solution in `solution/`, with the same file names as yours.
#    These are practice labs: reading it after a real try is allowed, and often the fastest way to learn the idiom.

# %% [markdown]
# ## What you saw
#
# - The notebook cell is the shell process `<0.80.0>`; `spawn`, `send` and `receive` work from it as in `erl`.
# - The runtime runs after every cell, so replies are waiting for you in the next one.
# - Time is virtual: timeouts are instant and every run prints the same thing.
# - Each lab goes with one notebook; the grader's table says what each check called and what it expected.
#
# Next: [the introduction](01_introduction.ipynb): the problem the book solves, registered names, crashes, OTP's tools and a first supervision tree.
