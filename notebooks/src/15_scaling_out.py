# Source of notebooks/15_scaling_out.ipynb: edit here, then run `python tools/nbbuild.py 15`.

# %% [markdown]
# # 15 · Scaling Out: capacity, overload and backpressure
#
# Chapter 15 of the book asks how much load a system takes, and what it should do with the rest.
# The book has no example code for it; this notebook measures a server the way a load test would, on the virtual clock, so every number is the same on every run.
# It builds on the frequency server of [chapter 4](04_generic_servers.ipynb) and the nodes of [chapter 13](13_distributed_architectures.ipynb).
#
# **What is simulated.** The server's work is a `timer.sleep(2)`: 2 ms of virtual time, so its capacity is exactly 500 requests per second.
# Real servers have CPUs, schedulers and garbage collection; the shape of the curves below is what carries over, not the numbers.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
from otp_lite import runtime, erlang, loadgen, metrics, viz
from examples.ch15 import service
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: Poisson arrivals are the same on every run

# %% [markdown]
# ## One load run
#
# `loadgen.run(request, rate, duration)` is an *open-loop* generator: requests arrive at `rate` per second (Poisson), each in its own client process, whether or not the server keeps up -- as real users do.
# Each client calls with a 1 s timeout.

# %%
service.start(2)
loadgen.run(service.request, 300, 3000)

# %% [markdown]
# ## The capacity curve
#
# Sweep the offered load across the capacity (500/s).
# Throughput counts `ok` replies that arrived during the run.

# %%
rates = [100, 300, 450, 600, 900]
naive = loadgen.sweep(lambda: service.start(2), service.request, rates, 3000)
naive

# %% [markdown]
# Below capacity, throughput follows the offered load and latency stays at a few ms.
# Past it, the mailbox grows without bound: latency climbs to the timeout, clients give up, and the server keeps working on requests nobody waits for.
# At 900/s it does *less* useful work than at 450/s: that is congestion collapse.

# %% [markdown]
# ## Regulating at the edge: a token bucket
#
# Load regulation refuses work the system cannot do in time, and refuses it *early*, where it is cheap.
# `service.Bucket(400, 20)` admits 400 requests per second (bursts of 20) and answers the rest `('error', 'rate_limited')` at once.

# %%
bucket = service.Bucket(400, 20)
regulated = loadgen.sweep(lambda: service.start(2), bucket.request, rates, 3000)

# %%
viz.capacity([naive, regulated], labels=["naive", "token bucket 400/s"])

# %% [markdown]
# The chart puts both sweeps side by side (its text form lists the regulated rows under the naive ones).
# The regulated server gives up some throughput below capacity (it never goes past 400/s) and wins everywhere past it: a flat line instead of a collapse, and a p99 latency that stays small.
#
# ## When the queue kills the server
#
# A real mailbox costs memory: `process_flag(max_heap_size, ...)` can kill a process whose heap outgrows a limit, and a node out of memory dies whole.
# `loadgen.guard(pid, 500)` models that bluntly: it kills the server when 500 messages wait.
# A spike of 1500 requests per second for 2 s:

# %%
ok, pid = service.start(2)
loadgen.guard(pid, 500)
spike = loadgen.run(service.request, 1500, 2000, settle=2000)
spike, pid.alive, metrics.get("guard_kills")

# %% [markdown]
# The naive server is dead, and with it every request still queued.
# The capstone lab makes it survive: shed load when its own mailbox is long, and raise an alarm while it does.

# %% [markdown]
# ## Try it
#
# 1. Run the sweep with a 4 ms service time: where is the knee now?
# 2. Give the bucket a burst of 200: what happens to the p99 latency at 450/s?
# 3. Offer 600/s for 20 s instead of 3 s to the naive server: does the throughput recover?
#
# <details><summary>Answers</summary>
#
# 1. `service.start(4)`: capacity halves to 250/s, so the knee moves between 100 and 300/s (at 300/s: about 249/s ok, p99 near 700 ms; at 450/s, timeouts).
# 2. Nothing is rejected any more: in a 3 s run the bucket admits 400/s × 3 s + 200 = 1400 requests, more than the ~1355 offered, so the run is the naive one (p99 35 ms instead of 14 ms).
#    A burst lets load past the limit for a while; the bigger the burst, the longer a spike goes unregulated (and queued behind a 2 ms server, 200 requests are 400 ms of waiting).
# 3. No, it gets worse: about 159/s ok and 8929 timeouts over 20 s. The queue grows by about 100 requests each second until every reply is later than the 1 s timeout; the longer the overload, the worse the goodput.
# </details>

# %% [markdown]
# ## What you saw
#
# - Capacity is a knee: below it latency is flat; above it queues grow until timeouts turn work into waste.
# - An open-loop load generator and a virtual clock give repeatable capacity curves (their shape, not their numbers, carries over to a real server).
# - Regulation (rate limits, bounded queues) trades a little peak throughput for a system that degrades gracefully.
# - An unbounded mailbox is a memory leak with a deadline.
#
# Lab: [labs/15_backpressure](../labs/15_backpressure/README.md), shed load and raise an alarm so the server survives the spike (`make grade LAB=15_backpressure`).
