# Source of notebooks/03_behaviours.ipynb: edit here, then run `python tools/nbbuild.py 03`.

# %% [markdown]
# # 3 · Behaviours: extracting the generic server
#
# Every server process in [chapter 2](02_introducing_erlang.ipynb) had the same shape: spawn, set up a state, loop on `receive`, answer, stop.
# Chapter 3 of the book takes one such server, the frequency allocator, and splits it in two: a **generic** half that is the same for every server, and a **specific** half that only this server needs.
# That split is what OTP calls a *behaviour*; `gen_server` in chapter 4 is the industrial version of what we build here.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
import inspect
from otp_lite import runtime, erlang, viz
from otp_lite.erlang import ANY, Exit, ErlangError, Deadlock
from examples.ch3 import frequency
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run

# %% [markdown]
# ## The pattern
#
# Strip any server down and the same skeleton is left:
#
# ```erlang
# start(Args) -> spawn(?MODULE, init, [Args]).
#
# init(Args) -> loop(initial_state(Args)).
#
# loop(State) ->
#     receive
#         {request, From, Msg} -> {State1, Reply} = handle(Msg, State),
#                                 From ! {reply, Reply}, loop(State1);
#         {stop, From} -> From ! {reply, terminate(State)}
#     end.
# ```
#
# Only `initial_state`, `handle` and `terminate` change from one server to the next.

# %% [markdown]
# ## The frequency server as one process
#
# A base station hands radio frequencies to phones: `allocate()` takes one from the free list, `deallocate(F)` gives it back.
# `examples/ch3/frequency.py` is written as one module, client functions and server loop together, exactly as the book does first.
# Its state is a pair: the free frequencies and the allocated `(frequency, pid)` pairs.

# %%
print(inspect.getsource(frequency.loop))

# %% [markdown]
# The client functions hide the protocol: `allocate()` sends `('request', self(), 'allocate')` to the registered name and waits for `('reply', Reply)`.

# %%
frequency.start()
[frequency.allocate() for _ in range(7)]

# %% [markdown]
# Six frequencies, 10 to 15, then `('error', 'no_frequency')`.
# Here is one round trip on the trace bus, drawn as a sequence chart:

# %%
with runtime.Recorder() as rec:
    frequency.deallocate(11)
    frequency.allocate()
viz.sequence(rec, kinds=["send", "receive"])

# %% [markdown]
# ## Generic and specific, side by side
#
# Now the split.
# `examples/ch3/behavior/server.py` holds everything that is the same for every server; `examples/ch3/behavior/frequency.py` holds only the frequency logic, as callback functions.
#
# | | generic: `server` | specific: the callback module |
# |---|---|---|
# | start | spawn, register the name | `init(args)` returns the first state |
# | each request | receive, call the callback, send the reply, loop with the new state | `handle(msg, state)` returns `(new_state, reply)` |
# | stop | receive `stop`, reply, end the process | `terminate(state)` returns the stop reply |
#
# The generic loop calls into the callback module it was started with:

# %%
from examples.ch3.behavior import server, frequency as freq_cb
print(inspect.getsource(server.loop))

# %% [markdown]
# and the callback module is plain functions, with the state passed in and returned:

# %%
print(inspect.getsource(freq_cb.handle))

# %% [markdown]
# The two versions behave the same.
# We stop the first server, start the second under the same name, and run the book's session again:

# %%
frequency.stop()
freq_cb.start()
freq_cb.allocate(), freq_cb.allocate(), freq_cb.deallocate(10), freq_cb.allocate()

# %% [markdown]
# Notice where the code runs: `freq_cb.allocate()` runs in the **caller** (the shell), while `handle` runs in the **server** process.
# The chart shows the shell talking to the registered server, and nothing else:

# %%
with runtime.Recorder() as rec:
    freq_cb.allocate()
viz.sequence(rec, kinds=["send", "receive"])

# %% [markdown]
# ## Spot the bug
#
# Look at `deallocate` in the callback module again, and then at this session.
# The shell holds frequency 12 (the chart above shows it being allocated); we give it back twice:

# %%
freq_cb.deallocate(12), freq_cb.deallocate(12)

# %%
[freq_cb.allocate() for _ in range(4)]

# %% [markdown]
# What went wrong, and what should `deallocate` check?
#
# <details><summary>Answer</summary>
#
# `deallocate` trusts its caller: it never checks that the frequency was allocated, nor that the caller is the process that allocated it.
# Giving back a free frequency puts it on the free list twice, so two phones now share frequency 12, and any process can free someone else's frequency.
# The book's own Erlang code has this gap: run in a real Erlang shell, it answers `ok` twice just the same.
# A safe server looks the pair `(freq, caller)` up in its allocated list and refuses otherwise; the lab asks you to do exactly that.
#
# </details>

# %% [markdown]
# ## When the server is gone
#
# After `stop`, the name is unregistered, and sending to an unregistered name is a `badarg` error in the caller:

# %%
freq_cb.stop()

# %%
try:
    freq_cb.allocate()
except ErlangError as e:
    print("allocate failed:", e.reason)

# %% [markdown]
# Worse: if the server **crashes** while we wait for its reply, `call` waits for ever.
# A request with no matching clause crashes our server; the shell then waits for a reply that can never come, and `otp_lite` raises `Deadlock` instead of hanging the notebook:

# %%
freq_cb.start()
try:
    server.call("frequency", ("bogus",))
except Deadlock:
    print("the caller would wait for ever")

# %% [markdown]
# In a real system there is no deadlock detector: the caller simply hangs.
# The cure is to **monitor** the server during the call and give up on its `'DOWN'` message, returning `('error', 'no_proc')`.
# Writing that call is the first task of the chapter 3 lab, [labs/03_generic_server](../labs/03_generic_server/README.md).

# %% [markdown]
# ## Message passing under the hood: the monitor and the reference
#
# The book's safe `call` is in `examples/ch3/call/server.py` (it is task 1 of the lab: try the lab before you read it).
# The caller **monitors** the server, tags its request with the monitor's *reference*, and waits for the reply carrying that reference *or* the `'DOWN'` carrying it; after a reply it drops the monitor **and flushes** a `'DOWN'` that may already be queued.
# Here is why each step is there, with a server that dies right after it replies (`examples/ch3/fragile.py`: its callback queues a request no clause matches behind ours):

# %%
from examples.ch3.call import server as safe
from examples.ch3 import fragile          # the frequency callbacks, but the server dies right after each reply

safe.start("fragile", fragile, [])
frag = erlang.whereis("fragile")
with runtime.Recorder() as rec:
    print(safe.call("fragile", ("allocate", erlang.self())))
    runtime.run_until_idle()
print("left in the shell's mailbox:", erlang.process_info(erlang.self(), "messages")[1])
print(viz.sequence(rec, pids=[erlang.self(), frag], kinds=["send", "exit", "monitor", "demonitor"]).text())

# %% [markdown]
# The reply came first, so the call returned it; the `'DOWN'` arrived after it, and the flush removed it: the mailbox is empty.
# Without the flush, the `'DOWN'` stays in the caller's mailbox for ever: a leak that shows only when the server dies right after replying.

# %%
def call_without_flush(name, msg):
    ref = erlang.monitor("process", name)
    erlang.send(name, ("request", (ref, erlang.self()), msg))
    got = erlang.receive(("reply", ref, ANY), ("DOWN", ref, "process", ANY, ANY))
    erlang.demonitor(ref)                    # no flush
    return got[2] if got[0] == "reply" else ("error", "no_proc")

safe.start("fragile", fragile, [])
print(call_without_flush("fragile", ("allocate", erlang.self())))
runtime.run_until_idle()
leaked = erlang.process_info(erlang.self(), "messages")[1]
print("left in the shell's mailbox:", [m[:2] + ("...",) for m in leaked])
erlang.receive(("DOWN", ANY, ANY, ANY, ANY), timeout=0) and None   # (clean up)

# %% [markdown]
# Wait: `demonitor` without flush should have removed the monitor, so why is there a `'DOWN'`?
# Because the `'DOWN'` was *already in the mailbox* when `demonitor` ran: the server had died between sending the reply and our `demonitor`.
# `demonitor` stops future `'DOWN'` messages; only `flush` removes one that has arrived.
# The reference does the other half of the work: a reply or a `'DOWN'` from an *earlier* call carries an older reference, so the selective receive cannot mistake it for this call's answer.
# In OTP, `gen_server:call` does exactly this (plus an *alias*, so that a reply that comes after a timeout is dropped instead of queued): chapter 4.

# %% [markdown]
# ### Finding the race before a learner does
#
# The race above needs the server to die in the instant between its reply and our `demonitor`: a plain run almost never shows it.
# `otp_lite.explore` runs a test under many schedules (here: 200 seeded random ones) and reports the first that fails, as a schedule you can replay.
# The test: a client calls a server that somebody else stops at about the same time, then checks that nothing stale is left in its mailbox.

# %%
from otp_lite import explore

def echo_server():
    while True:
        m = erlang.receive()
        if m == "stop":
            return
        _, frm, ref, req = m
        erlang.send(frm, ("reply", ref, req))

def a_call_racing_a_stop(flush):
    def test():
        srv = erlang.spawn(echo_server)
        erlang.spawn(lambda: erlang.send(srv, "stop"))          # somebody stops the server
        ref = erlang.monitor("process", srv)
        erlang.send(srv, ("call", erlang.self(), ref, "hi"))
        erlang.receive(("reply", ref, ANY), ("DOWN", ref, ANY, ANY, ANY))
        erlang.demonitor(ref, flush=flush)
        erlang.send(erlang.self(), "next")
        assert erlang.receive() == "next", "a stale 'DOWN' was waiting in the mailbox"
    return test

found = explore.run(a_call_racing_a_stop(flush=False), runs=200, seed=0)
print(found.found, "after", found.runs, "schedules; schedule", repr(found.schedule))
print(*found.explain(), sep="\n")

# %%
clean = explore.run(a_call_racing_a_stop(flush=True), runs=200, seed=0)
print(clean.found, "in", clean.runs, "schedules")
rt = runtime.reset(seed=0)   # (explore leaves a fresh runtime behind: start the next part from a clean one)

# %% [markdown]
# ## Try it
#
# **1.** Write a second callback module for the same generic server: a counter whose `handle("incr", n)` returns `(n + 1, n + 1)`.
# A class works as a namespace if its functions take no `self`.
#
# <details><summary>Answer</summary>
#
# ```python
# class counter:
#     def init(args): return 0
#     def handle(msg, n): return (n + 1, n + 1)
#     def terminate(n): return n
#
# server.start("counter", counter, [])
# server.call("counter", "incr"), server.call("counter", "incr"), server.stop("counter")
# ```
#
# The last line gives `(1, 2, 2)`: `stop` replies with what `terminate` returns.
#
# </details>
#
# **2.** `freq_cb.allocate()` sends `("allocate", erlang.self())`. Why must the client, not the server, call `erlang.self()`?
#
# <details><summary>Answer</summary>
#
# The client function runs in the caller's process, so `self()` there is the phone asking for a frequency.
# Inside `handle`, `self()` would be the server itself, and every frequency would look allocated to the server.
#
# </details>
#
# **3.** Start the server, allocate once, and from *another* process call `freq_cb.deallocate(10)`. Does the server notice?
#
# <details><summary>Answer</summary>
#
# No. `erlang.spawn(freq_cb.deallocate, 10)` frees your frequency and the server answers `'ok'`: this is the missing owner check from "Spot the bug".
#
# </details>

# %% [markdown]
# ## What you saw
#
# - `otp_lite.explore` runs a test under many schedules: it finds the flush-less call's stale `'DOWN'` in a few runs, and none in 200 runs of the call with flush.
# - A safe call monitors the server, tags the request with the monitor's reference, and on a reply demonitors **with flush**: a `'DOWN'` already queued (the server died right after replying) is removed, not leaked; the reference keeps old replies and `'DOWN'`s of earlier calls out.
# - Every server has the same skeleton: start, loop on `receive`, reply, stop.
# - Splitting it gives a generic `server` (spawn, protocol, loop) and a callback module (`init`, `handle`, `terminate`) with explicit state.
# - Client functions run in the caller; callbacks run in the server.
# - The book's `deallocate` has no owner check, and a plain `call` hangs when the server dies.
#
# Lab: [labs/03_generic_server](../labs/03_generic_server/README.md) (`make grade LAB=03_generic_server`), where you write `server.start/call/stop` with a monitor-based call, then the frequency callbacks with an owner check.
# Next: [chapter 4](04_generic_servers.ipynb), the same server on OTP's `gen_server`.
