# Source of notebooks/05_controlling_otp_behaviours.ipynb: edit here, then run `python tools/nbbuild.py 05`.

# %% [markdown]
# # 5 · Controlling OTP Behaviours: looking inside with sys
#
# Every OTP behaviour answers **system messages** besides the requests you wrote callbacks for.
# The `sys` module sends them: switch tracing on and off, keep a log, count messages, read or replace the state, pause the process, all while it runs.
# Chapter 5 of the book drives the frequency server of [chapter 4](04_generic_servers.ipynb) with `sys`; so do we, in `otp_lite.sys`.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
from otp_lite import runtime, erlang, gen_server, timer, viz
from otp_lite import sys as osys   # `sys` is taken by Python's own module
from otp_lite.erlang import Exit, ErlangError
from examples.ch5 import frequency
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run
rec = viz.record()           # keep every trace event for the sequence chart of "Suspend and resume"

# %%
frequency.start()

# %% [markdown]
# ## Tracing: `*DBG*` lines
#
# In Erlang, `sys:trace(frequency, true)` makes the server print every event it handles.
# The Python call is the same, and the lines are OTP 25's word for word, except that the terms print in Python syntax:

# %%
osys.trace("frequency", True)
frequency.allocate()

# %%
frequency.deallocate(10)

# %%
erlang.send("frequency", "hello")

# %%
osys.trace("frequency", False)

# %% [markdown]
# A call prints two lines (`got call ... from`, `sent ... new state`); a cast and a plain message print `got` and `new state`.
# No code in the frequency server changed: the tracing lives in the generic part, which is why every behaviour gets it for free.

# %% [markdown]
# ## The log: the last events, kept
#
# `sys.log` keeps the last 10 events instead of printing them.
# `'get'` returns them as terms, `'print'` prints them as trace lines.

# %%
osys.log("frequency", True)
frequency.allocate(), frequency.allocate(), frequency.deallocate(11)
osys.log("frequency", "get")

# %%
osys.log("frequency", "print")
osys.log("frequency", False)

# %% [markdown]
# ## Statistics
#
# `sys.statistics` counts messages in and out since it was switched on.
# Two calls and one cast: three messages in, two replies out.

# %%
osys.statistics("frequency", True)
frequency.allocate(), frequency.allocate(), frequency.deallocate(12)
osys.statistics("frequency", "get")

# %%
osys.statistics("frequency", False)
osys.statistics("frequency", "get")

# %% [markdown]
# The times are the runtime's clock, so they are fixed on the virtual clock; OTP prints calendar dates there.

# %% [markdown]
# ## Reading and replacing the state
#
# `sys.get_state` returns the loop data, here `(free, allocated)`.
# `sys.replace_state` applies a function to it, inside the server, and returns the new state:
#
# ```erlang
# sys:replace_state(frequency, fun({Free, Alloc}) -> {Free ++ [99], Alloc} end).
# ```

# %%
osys.get_state("frequency")

# %%
osys.replace_state("frequency", lambda s: (s[0] + [99], s[1]))

# %% [markdown]
# If the function fails, the server keeps its old state and the error comes back to the **caller**, wrapped as OTP 25 wraps it (`tests/oracle_probes/ch23_sys.erl`):

# %%
try:
    osys.replace_state("frequency", lambda s: s[0][0] // 0)
except ErlangError as e:
    print(e.reason)
osys.get_state("frequency")

# %% [markdown]
# Handy for debugging, dangerous in production: nothing checks that the new state makes sense (only that the function returned).
# `sys.get_status` gives the whole picture: the process dictionary, the parent, the debug options, and the state as the module's `format_status` chose to label it.

# %%
osys.get_status("frequency")

# %% [markdown]
# ## Suspend and resume
#
# A suspended process handles only system messages.
# Requests wait in its mailbox, so a call times out, and a cast is simply queued:

# %%
n0 = len(rec.events)         # the chart below starts here
osys.suspend("frequency")
try:
    gen_server.call("frequency", ("allocate", erlang.self()), 1000)
except Exit as e:
    print("call failed:", e.reason)

# %%
frequency.deallocate(10)
osys.get_state("frequency")

# %% [markdown]
# Nothing changed yet.
# Now resume and look again:

# %%
osys.resume("frequency")
osys.get_state("frequency")

# %% [markdown]
# Frequency 10 came back, and **12 was allocated to the shell**: the allocate request that "failed" with a timeout was still in the mailbox and ran on resume.
# The message sequence chart of this section shows it (the shell `<0.80.0>` on the left; a blue bar on a lifeline is a message waiting in that mailbox):

# %%
names = [e for e in rec.events[:n0] if e["kind"] == "register"]   # so the server has its name
viz.sequence(names + rec.events[n0:], pids=[erlang.self(), "frequency"], kinds=["send", "receive", "receive_timeout"])

# %% [markdown]
# `suspend` is a system message, handled at once.
# The `'$gen_call'` and the `'$gen_cast'` after it wait in the mailbox, while the `get_state` and `resume` system messages overtake them (orange diamonds: received with two older messages skipped).
# After `resume` the server takes the call and the cast in the order they came.
# Its reply to the call arrives after the shell gave up at 1000 ms: OTP 25's `gen_server:call` waits on an alias that it deactivates on timeout, so the late reply is dropped (the cross) instead of sitting in the shell's mailbox.
#
# This is the chapter 4 lesson again, and the reason chapter 12 suspends processes only for the short, planned moment of a code upgrade.

# %% [markdown]
# ## Your own trace function: `sys.install`
#
# `sys.install(name, (fun, acc))` calls `fun(acc, event, proc_state)` on every event; what it returns is the next `acc`.
# Here a function that numbers the events:

# %%
def my_trace(acc, event, _proc_state):
    print(f"my trace #{acc}: {event!r}")
    return acc + 1
osys.install("frequency", (my_trace, 1))
frequency.allocate()

# %%
osys.no_debug("frequency")
frequency.allocate()

# %% [markdown]
# `sys.no_debug` switches every debug option off at once.

# %% [markdown]
# ## Debugging from the start: `('debug', [...])`
#
# Tracing a server after it started misses its first requests.
# The `debug` start option switches the options on before `init` even returns:

# %%
frequency.stop()
gen_server.start(("local", "frequency"), frequency, [], [("debug", ["trace", "statistics"])])

# %%
frequency.allocate()

# %%
osys.statistics("frequency", "get")

# %% [markdown]
# ## Start timeouts: `('timeout', ms)`
#
# `debug` is one of the options every `start`/`start_link` takes; `timeout` is another.
# The caller waits for `init` to return; with `('timeout', ms)` it waits that long at most, then the half-started process is killed and `start` returns `('error', 'timeout')`.
# A server whose `init` does slow work (opening a connection, loading a file) should get one, or a supervisor starting it waits for ever.
# Every line below is what OTP 25 prints for the same starts (`tests/oracle_probes/start_opts.erl`, its output next to it):

# %%
from otp_lite import logger

class Slow:
    def init(ms):
        timer.sleep(ms)                     # slow start-up work
        return ("ok", "awake")

    def handle_call(req, _from, s):
        return ("reply", req, s)

    def handle_cast(msg, s):
        return ("noreply", s)

before = len(erlang.processes())
with logger.capture():
    print("init takes 500 ms, timeout 100:", gen_server.start(Slow, 500, [("timeout", 100)]))
    print("init takes  50 ms, timeout 100:", gen_server.start(Slow, 50, [("timeout", 100)])[0])
print("processes left behind by the failed start:", len(erlang.processes()) - before - 1)

# %% [markdown]
# The other options: `('hibernate_after', ms)` hibernates a server idle that long, and `('spawn_opt', [...])` passes spawn options to the new process (heap sizes, priority; otp_lite accepts them and changes nothing, as it has no per-process heap).

# %% [markdown]
# ## Spawn options, memory and garbage collection
#
# On BEAM every process has its own heap, collected on its own; `spawn_opt` and the behaviours' `('spawn_opt', [...])` start option tune it per process: `min_heap_size` (start bigger, collect less), `fullsweep_after` (how many minor collections before a full one), `priority`.
# `process_info` reports them; the values below are what OTP 25 reports for the same options (`tests/oracle_probes/spawnopt.erl`): a requested 1000 words becomes BEAM's next heap size, 1598.

# %%
def idle():
    erlang.receive("stop")

p1 = erlang.spawn(idle)
p2 = erlang.spawn_opt(idle, [("min_heap_size", 1000), ("fullsweep_after", 10), ("priority", "low")])
for p in (p1, p2):
    gc = dict(erlang.process_info(p, "garbage_collection")[1])
    print(p, erlang.process_info(p, "priority")[1], {k: gc[k] for k in ("min_heap_size", "fullsweep_after", "minor_gcs")})

# %% [markdown]
# What a process costs is where otp_lite and BEAM differ most, so here are both, measured (`bench/README.md`):
#
# | | an idle process blocked in `receive` | what holds it |
# |---|---|---|
# | BEAM (OTP 25, `bench/beam/hotpath.erl`) | 2.6 KiB | a 233-word heap and stack, the process control block |
# | otp_lite (`bench/kernel.py`, 100,000 processes) | 7.4 KiB | a greenlet (its saved C stack), the `Pid` record, a deque |
#
# An otp_lite process has no heap of its own: its terms live in Python's shared heap, collected by Python's garbage collector for everyone at once.
# So the options are kept and reported, but they change nothing here (simulated), and `erlang.garbage_collect(p)` just answers `True`.
# `process_info(p, 'memory')` counts the record and the mailbox, not the greenlet's stack, so it says less than the table:

# %%
erlang.process_info(p1, "memory"), erlang.garbage_collect(p1)

# %% [markdown]
# ### Spawn options to avoid
#
# The book's advice holds on BEAM: leave `priority` alone, and tune heap sizes only for a process you have measured.
# A `high` process runs before every `normal` one on its scheduler, so a busy one starves the rest of the system (timers, the shell, your supervisors); `max` is reserved for the runtime itself.
# otp_lite's scheduler runs every priority alike, round-robin, so what you see here is *not* what BEAM does: on BEAM, with one scheduler, `hi` would take all its turns before `lo` took any.

# %%
turns = []

def worker(tag):
    for _ in range(3):
        turns.append(tag)
        erlang.yield_()

erlang.spawn_opt(lambda: worker("hi"), [("priority", "high")])
erlang.spawn_opt(lambda: worker("lo"), [("priority", "normal")])
_ = timer.sleep(1)
turns

# %% [markdown]
# ## Spot the bug
#
# We switch the debug options off, and five phones each take a frequency, use it, and finish.
# Then the shell asks for one more:

# %%
osys.no_debug("frequency")
phones = [erlang.spawn(frequency.allocate) for _ in range(5)]
runtime.run_until_idle()
frequency.allocate()

# %% [markdown]
# No phone is running, yet no frequency is free.
# `viz.observer()` lists the live processes, like the Processes tab of Erlang's `observer` (pid, registered name, initial call, reductions, queue length, memory, status); we print a few of its columns:

# %%
for r in viz.observer().rows:   # some columns of the table: pid, name, initial call, queue, status
    print(r["pid"], r["name"] or "-", r["initial_call"], r["message_queue_len"], r["status"], sep="  ")

# %% [markdown]
# In JupyterLab, `viz.observer().live()` shows the same table refreshing as the system runs (start with `runtime.reset(clock='real')` to see it move).
# Which `sys` call tells you where the frequencies went, and what is the bug?
#
# <details><summary>Answer</summary>
#
# `osys.get_state("frequency")` shows the allocated list: the shell holds 10, and the five phones, all dead, hold 11 to 15.
# The server never hears that a holder died, so their frequencies are lost for good.
# The fix belongs in the server: monitor each holder on `allocate` and free its frequencies on `'DOWN'`.
#
# </details>

# %% [markdown]
# ## Try it
#
# **1.** Add `99` to the free list again with `replace_state`, then take it out again without stopping the server.
#
# <details><summary>Answer</summary>
#
# `osys.replace_state("frequency", lambda s: ([f for f in s[0] if f != 99], s[1]))`.
# The function runs inside the server, between two requests, so no request ever sees a half-done change.
#
# </details>
#
# **2.** Suspend the server, send it three casts, and ask `erlang.process_info(erlang.whereis("frequency"), "message_queue_len")`. What do you expect after `resume`?
#
# <details><summary>Answer</summary>
#
# Three messages wait while suspended; after `resume` they are handled in order and the queue is empty again.
#
# </details>
#
# **3.** Use `sys.install` to print a numbered line each time the server answers `no_frequency`.
#
# <details><summary>Answer</summary>
#
# The `out` event carries the reply, so count only those:
#
# ```python
# def denied(n, ev, _s):
#     if ev[0] == "out" and ev[1] == ("error", "no_frequency"):
#         print("denied #", n)
#         return n + 1
#     return n
# osys.install("frequency", (denied, 1))
# ```
#
# `osys.remove("frequency", denied)` takes it out again.
#
# </details>

# %% [markdown]
# ## What you saw
#
# - A `replace_state` function that fails leaves the state as it was and raises `('callback_failed', ('gen_server', 'system_replace_state'), ('error', Reason))` in the caller, as in OTP 25.
# - `spawn_opt` options (`priority`, `min_heap_size`, `fullsweep_after`) are kept and reported as OTP does; an otp_lite process has no heap of its own (7.4 KiB each, against BEAM's 2.6), and every priority runs alike here: on BEAM leave `priority` alone.
# - `('timeout', ms)` bounds how long `start` waits for `init`: then `('error', 'timeout')`, and the half-started process is killed.
# - Behaviours handle system messages for free: `sys` traces, logs, counts, reads and replaces state, suspends and resumes, without a line in the callback module.
# - `sys.get_status` shows the state through `format_status`; `replace_state` edits it in place.
# - A suspended server queues requests while system messages overtake them (the sequence chart); a call that timed out meanwhile still runs on resume, and its late reply is dropped.
# - `('debug', ['trace'])` at start traces a server from its first request.
#
# Graded lab: [labs/05_sys_diagnosis](../labs/05_sys_diagnosis/README.md) (`make grade LAB=05_sys_diagnosis`): find, count, record and repair the frequency leak of "Spot the bug" in a live server, using only `sys`.
#
# Next: [chapter 6](06_finite_state_machines.ipynb), state machines.
