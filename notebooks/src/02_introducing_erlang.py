# Source of notebooks/02_introducing_erlang.ipynb: edit here, then run `python tools/nbbuild.py 02`.

# %% [markdown]
# # 2 · Introducing Erlang: processes, links and shared tables
#
# Chapter 2 of the book is a fast tour of the language: functions and pattern matching, then processes, message passing, links and ETS tables.
# This notebook runs the chapter's examples in `otp_lite`, building on the counter and the monitor from [the introduction](01_introduction.ipynb).
# The Python versions live in `examples/ch2/` at the root of the repository.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
from otp_lite import runtime, erlang, viz
from otp_lite.erlang import ANY, Exit, ErlangError
from examples.ch2 import ex1, ex3, queens, echo, echo_link, hlr
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run

# %% [markdown]
# ## Functions, clauses and guards
#
# An Erlang function is a list of clauses; the first whose pattern and guard match runs:
#
# ```erlang
# factorial(0) -> 1;
# factorial(N) when N > 0 -> N * factorial(N - 1).
# ```
#
# There is no clause for a negative number, so `factorial(-1)` fails with `function_clause`.
# Python has no clauses: `examples/ch2/ex1.py` tests the cases with `if` and raises that same error itself.

# %%
ex1.factorial(5)

# %% [markdown]
# The shell's `catch Expr` turns a failure into a value.
# Here is a Python `catch` that does the same; we use it whenever a call is meant to fail.

# %%
def catch(fun, *args):
    """Erlang's `catch Expr`: the value, or ('EXIT', reason) if it fails."""
    try:
        return fun(*args)
    except (ErlangError, Exit) as e:
        return ("EXIT", e.reason)

# %%
catch(ex1.factorial, -1)

# %% [markdown]
# Erlang's reason would also carry a stack; a process that crashes this way shows one, as we will see below.
# Higher-order functions and list comprehensions translate almost word for word: `ex3.filter` takes a function, and the eight queens are one comprehension.

# %%
ex3.filter(ex3.is_even, list(range(1, 11)))

# %%
solutions = queens.queens(8)
len(solutions), solutions[0]

# %% [markdown]
# ## Processes and mailboxes: the echo
#
# The echo process answers every `{From, Msg}` with `{self(), Msg}` and stops on `stop`:
#
# ```erlang
# loop() ->
#     receive
#         {From, Msg} -> From ! {self(), Msg}, loop();
#         stop -> true
#     end.
# ```
#
# The Python loop is in `examples/ch2/echo.py`:

# %%
import inspect
print(inspect.getsource(echo.loop))

# %% [markdown]
# `echo.go()` spawns an echo, sends it `hello` tagged with the shell's pid, prints what comes back, and stops it.
# A `Recorder` keeps every event meanwhile, and `viz.sequence` draws them as a message sequence chart: one lifeline per process, one arrow per message.

# %%
with runtime.Recorder() as rec:
    echo.go()
    runtime.run_until_idle()
viz.sequence(rec, kinds=["spawn", "send", "receive", "exit"])

# %% [markdown]
# The reply is tagged with the echo's pid, so the shell's `receive` picks exactly that reply even if other messages are waiting.
# That is **selective receive**: the oldest message that matches a pattern is taken, and the others stay in order.

# %%
for m in [("b", 1), ("a", 2), ("b", 3)]:
    erlang.send(erlang.self(), m)
erlang.receive(("a", ANY))

# %%
left = erlang.flush()

# %% [markdown]
# ## Links: dying together
#
# `spawn_link` spawns and links in one step.
# A link is two-way: when one side ends with any reason other than `normal`, the exit signal kills the other side too.
# Here the shell is linked to an echo, and we kill the echo:

# %%
pid = erlang.spawn_link(echo.loop)
erlang.exit(pid, "boom")

# %% [markdown]
# The `** Exit` line says the shell died with the echo.
# As in `erl`, a new shell took over with a new pid and an empty mailbox:

# %%
erlang.self()

# %% [markdown]
# A process that **traps exits** receives the signal as a message `('EXIT', Pid, Reason)` instead of dying; this is how supervisors watch their children.

# %%
erlang.process_flag("trap_exit", True)
pid = erlang.spawn_link(echo.loop)
erlang.exit(pid, "boom")
erlang.receive(("EXIT", pid, ANY))

# %% [markdown]
# A `normal` exit never kills a linked process, but a trapping process still hears about it.
# `echo_link.go()` stops its linked echo normally:

# %%
echo_link.go()

# %%
erlang.flush()
erlang.process_flag("trap_exit", False)

# %% [markdown]
# ## Monitors: watching without dying
#
# A monitor is one-way and never kills the watcher: the watcher gets `('DOWN', Ref, 'process', Pid, Reason)`.
# Here a process crashes for real, calling `factorial(-1)`; the runtime prints an error report, and the reason carries the stack (module, function, line):

# %%
pid, ref = erlang.spawn_monitor(ex1.factorial, -1)
erlang.receive(("DOWN", ref, "process", pid, ANY))

# %% [markdown]
# ## The rules, all in one table
#
# Each row was checked against a real Erlang/OTP 25 shell, and `otp_lite` follows it.
#
# | What happens | Process not trapping exits | Process trapping exits |
# |---|---|---|
# | a linked process ends with `normal` | nothing | message `('EXIT', Pid, 'normal')` |
# | a linked process ends with reason `R` | dies with `R` | message `('EXIT', Pid, R)` |
# | `exit(P, 'normal')` sent to it | nothing | message `('EXIT', From, 'normal')` |
# | `exit(P, 'kill')` sent to it | dies with `killed` | dies with `killed` (cannot be trapped) |
# | a monitored process ends with `R` | message `('DOWN', Ref, 'process', Pid, R)` | the same |
# | monitor a dead pid or an unknown name | message `('DOWN', Ref, 'process', P, 'noproc')` at once | the same |
# | link twice, unlink once | no link left (links are a set) | the same |
# | monitor twice | two monitors, two `DOWN` messages | the same |
#
# One row, run: even a process that traps exits dies from `kill`, and its monitor reports `killed`.

# %%
def trapper():
    erlang.process_flag("trap_exit", True)
    erlang.receive()
p, ref = erlang.spawn_monitor(trapper)
erlang.exit(p, "kill")

# %%
erlang.receive(("DOWN", ref, "process", p, ANY))

# %% [markdown]
# ## Shared tables: the home location register
#
# ETS tables are shared storage: a `public` table can be read and written by any process, with no server in between.
# The book's `hlr` keeps two tables, number to pid and pid to number, and the key is always the **calling** process:
#
# ```erlang
# attach(Ms) ->
#     ets:insert(msisdn2pid, {Ms, self()}),
#     ets:insert(pid2msisdn, {self(), Ms}).
# ```

# %%
hlr.new()
hlr.attach(12345)
hlr.lookup_id(12345), hlr.lookup_ms(erlang.self()), hlr.lookup_id(99999)

# %%
hlr.detach()
hlr.lookup_id(12345)

# %% [markdown]
# ## Spot the bug
#
# A phone process attaches its number and waits for calls.
# Then it dies without detaching, as real processes do.

# %%
def phone(ms):
    hlr.attach(ms)
    erlang.receive("hang_up")
p = erlang.spawn(phone, 555)

# %%
erlang.exit(p, "kill")

# %%
hlr.lookup_id(555), erlang.is_process_alive(p)

# %% [markdown]
# What is wrong, and whose job is it to fix?
#
# <details><summary>Answer</summary>
#
# The table still maps 555 to a dead pid: the book's `hlr` only cleans up when a process calls `detach()` itself, and a crashed process never does.
# Callers would send to a dead phone and wait in vain.
# The fix needs a process that *notices* deaths: something that links to or monitors every attached phone and deletes its entries on `'EXIT'` or `'DOWN'`.
# That is the chapter 2 lab, [labs/02_hlr](../labs/02_hlr/README.md).
#
# </details>

# %% [markdown]
# ## Try it
#
# **1.** Send yourself `("b", 1)`, `("a", 2)`, `("b", 3)` again, then `erlang.receive(("b", ANY))` twice.
# Which messages come out, and what is left?
#
# <details><summary>Answer</summary>
#
# `("b", 1)` then `("b", 3)`: the pattern skips `("a", 2)`, which stays in the mailbox (check with `erlang.flush()`).
#
# </details>
#
# **2.** Spawn an echo *without* a link and call `erlang.exit(pid, "normal")`.
# Is the echo still alive?
#
# <details><summary>Answer</summary>
#
# Yes: a `normal` exit signal is ignored by a process that does not trap exits (the third row of the table).
#
# </details>
#
# **3.** Attach the number 777 from two different processes.
# What do `hlr.lookup_id(777)` and the `pid2msisdn` table say?
#
# <details><summary>Answer</summary>
#
# `msisdn2pid` is a `set`, so the second attach overwrites the first: `lookup_id(777)` gives the second pid.
# `pid2msisdn` has both pids mapped to 777, so the two tables now disagree; the book's `hlr` trusts its callers.
#
# </details>

# %% [markdown]
# ## What you saw
#
# - Clauses and guards become `if`s; a call with no matching clause is a `function_clause` error.
# - A process is a function with a mailbox; `receive` is selective, and the chart shows who sent what to whom.
# - Links make processes die together unless they trap exits; monitors only report; `kill` cannot be trapped.
# - ETS tables share data between processes without a server, and nothing cleans up after a process that dies.
#
# Lab: [labs/02_hlr](../labs/02_hlr/README.md), an HLR that cleans up after dead phones (`make grade LAB=02_hlr`).
# Next: [chapter 3](03_behaviours.ipynb), where a server process is split into a generic and a specific half.
