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
import inspect
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
# ## Funs, comprehensions, records, maps and macros, in Python
#
# The rest of the book's sequential Erlang has a Python twin for each piece; the examples and labs use these.
#
# ### Funs
#
# An Erlang fun is a value: `Double = fun(X) -> 2 * X end`, passed to `lists:map(Double, L)`, and it closes over the variables around it.
# Python's `lambda` (or a nested `def`) is the same thing:

# %%
double = lambda x: 2 * x
def adder(n):
    return lambda x: x + n          # a closure: n is captured, as in fun(X) -> X + N end
list(map(double, [1, 2, 3])), adder(10)(5)

# %% [markdown]
# ### List comprehensions: generate and test
#
# `[X * 2 || X <- L, X > 1]` generates from `L`, tests `X > 1`, and builds; Python writes the parts in another order.
# The eight queens above are a generate-and-test comprehension: every row not used yet (`Row <- Rows -- Cols`), kept only if no earlier queen attacks it along a diagonal:

# %%
print([x * 2 for x in [1, 2, 3] if x > 1])
print(inspect.getsource(queens.queens))

# %% [markdown]
# ### Records
#
# `-record(person, {name, age = 0}).` is a tuple `{person, Name, Age}` with field names known to the compiler; `P#person{age = 1}` makes an updated copy.
# A `namedtuple` is the closest Python value: still a tuple, fields by name, defaults, and `_replace` for the update:

# %%
from collections import namedtuple
Person = namedtuple("Person", ["name", "age"], defaults=[0])
p = Person("ada")
p, p._replace(age=36), p.age, tuple(p) == ("ada", 0)

# %% [markdown]
# ### Maps
#
# `#{name => "ada"}` is a Python `dict`.
# Erlang has two update operators: `M#{k => v}` adds or replaces, `M#{k := v}` only replaces and fails with `{badkey, k}` when `k` is missing; maps are values, so an update is a new map.
# In Python, copy first (`{**m, k: v}`), and check the key yourself for `:=`:

# %%
m = {"name": "ada"}
def update_existing(m, k, v):       # M#{K := V}
    if k not in m:
        raise KeyError(("badkey", k))
    return {**m, k: v}
print({**m, "age": 36}, update_existing(m, "name", "grace"), m)
try:
    update_existing(m, "age", 36)
except KeyError as e:
    print("error:", e.args[0])

# %% [markdown]
# ### Macros
#
# `-define(TIMEOUT, 5000).` and `?TIMEOUT` are a compile-time constant; `?MODULE` names the current module.
# Python has no preprocessor: a module-level constant and `__name__` do the same jobs (the frequency servers use both):

# %%
TIMEOUT = 5000                       # -define(TIMEOUT, 5000).
TIMEOUT, queens.__name__.rsplit(".", 1)[-1]     # ?TIMEOUT, and ?MODULE of the queens module

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
# ## One busy process cannot freeze the others
#
# On the BEAM, `spin() -> spin().` never stops the node, even on one scheduler: the VM counts *reductions* (roughly, function calls) and takes the CPU back after 4000 of them, tens of microseconds for this loop.
# The book relies on this promise: a supervisor, a timer or the shell always gets its turn.
#
# `otp_lite` counts sends and receives the same way (a process yields after 2000), but Python's `while True: pass` does neither.
# For such loops a CPU timer takes over: a process that computes for a whole **time slice** without sending or receiving is suspended where it is and put at the back of the run queue; it resumes later exactly where it was.
# `runtime.reset(preempt_ms=...)` sets the slice (100 ms of CPU by default under the virtual clock, 10 ms under the real one) and `preempt_ms=None` turns preemption off.
#
# Here a process computes for 150 ms of CPU while a ticker wants to tick every 20 ms, first without preemption, then with 10 ms slices:

# %%
import time
from otp_lite import timer

log = []

def busy(ms):                       # computes for `ms` of CPU time, then says so
    t0 = time.process_time()
    while time.process_time() - t0 < ms / 1000:
        pass
    log.append("busy: done")

def ticker():
    for i in range(2):
        timer.sleep(20)
        log.append(f"tick at {runtime.now()} ms")

for slice_ms in (None, 10):
    runtime.reset(preempt_ms=slice_ms)
    log.append(f"-- preempt_ms={slice_ms}")
    erlang.spawn(busy, 150)
    erlang.spawn(ticker)
    timer.sleep(1000)
print("\n".join(log))

# %% [markdown]
# Without preemption the ticker does not even start until `busy` is done: a cooperative scheduler has to wait for the running process to give the CPU back.
# With preemption the ticker runs between `busy`'s slices and ticks at 30 and 50 ms: `busy` ran first and used one 10 ms slice before the ticker started its first sleep.
#
# Under the virtual clock, time moves only when every process waits, or **by one slice each time a process is preempted**: a process that computes is charged for the CPU it takes.
# That keeps a notebook reproducible: only a process that computes longer than a slice can be preempted, and the clock then moves by whole slices.
#
# A process that never stops is no threat either.
# The cell that spawns it ends (the shell gets its turn after each slice), the spinner shows up as `runnable` with growing reductions (each slice is charged as 2000), and `exit(Pid, kill)` ends it, as in `erl`:

# %%
rt = runtime.reset(preempt_ms=10)

def spin():
    while True: pass

spinner = erlang.spawn(spin)
timer.sleep(100)
erlang.process_info(spinner, ["status", "reductions"])

# %%
ref = erlang.monitor("process", spinner)
erlang.exit(spinner, "kill")
erlang.receive(("DOWN", ref, "process", spinner, ANY))

# %% [markdown]
# | | BEAM (one scheduler) | otp_lite |
# |---|---|---|
# | a process gives up the CPU after | 4000 reductions (tens of µs for a tight loop) | 2000 sends and receives, or one slice of CPU (10 ms real, 100 ms virtual) |
# | where it can be suspended | anywhere | in your code or between behaviour callbacks; never inside the kernel, an ETS call, the standard library, or C code such as `time.sleep` |
# | a 20 ms timer beside 100 spinners is late by | about 1 ms | about one slice per spinner ahead of it (round robin) |
# | Ctrl-C / Interrupt | the shell's job is interrupted, other processes go on | the same: the shell's call raises `KeyboardInterrupt`, the process it hit resumes later |
#
# The measured figures are in `bench/README.md` (section *Preemption*) and the probe that produced the BEAM's in `tests/oracle_probes/preempt1.erl`.

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
# Every table has an **owner**, the process that called `ets.new`, and the table dies with it.
# `hlr.new()` above ran in the shell, so the shell owns both tables.
# The classic pitfall: create the tables in a short-lived process (an `init` that spawns, a test helper) and they vanish when it ends, although nobody deleted them:

# %%
from otp_lite import ets

def make_table():
    ets.new("scratch", ["public", "named_table"])
    ets.insert("scratch", (12345, "a phone"))

erlang.spawn(make_table)
runtime.run_until_idle()
try:
    ets.lookup("scratch", 12345)
except ErlangError as e:
    print("lookup after the owner ended:", e.reason)
ets.info("scratch")

# %% [markdown]
# OTP 25 answers the same (`tests/oracle_probes/ch2_ets_owner.erl`): `info` is `undefined`, `lookup` is `badarg`.
# Give the table to a process that lives as long as the data must (in chapter 8 the supervisor owns the HLR), or name an **heir**, which is handed the table when the owner dies:

# %%
def make_table_with_heir(heir):
    ets.new("scratch", ["public", "named_table", ("heir", heir, "inherited")])

erlang.spawn(make_table_with_heir, erlang.self())
runtime.run_until_idle()
msg = erlang.receive(("ETS-TRANSFER", ANY, ANY, ANY))
msg[0], msg[1], msg[3], ets.info("scratch", "owner") is erlang.self()

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
# - An ETS table dies with the process that created it (`info` is `'undefined'`, `lookup` `badarg`), unless an `heir` is named: the classic pitfall of a table created in a short-lived process.
# - Clauses and guards become `if`s; a call with no matching clause is a `function_clause` error.
# - Funs are lambdas and closures, comprehensions read in another order, records are namedtuples, maps are dicts copied on update (`:=` fails on a missing key), macros are module constants.
# - A process is a function with a mailbox; `receive` is selective, and the chart shows who sent what to whom.
# - Links make processes die together unless they trap exits; monitors only report; `kill` cannot be trapped.
- A process that computes for ever is preempted after its time slice, so timers, the shell and the other processes keep running.
# - ETS tables share data between processes without a server, and nothing cleans up after a process that dies.
#
# Lab: [labs/02_hlr](../labs/02_hlr/README.md), an HLR that cleans up after dead phones (`make grade LAB=02_hlr`).
# Next: [chapter 3](03_behaviours.ipynb), where a server process is split into a generic and a specific half.
