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
# ## Horizontal and vertical scaling
#
# Two ways to carry more load: scale *out* (horizontally), more servers on more nodes, or scale *up* (vertically), a faster machine.
# `examples/ch15/cluster.py` starts the same 2 ms server on each of a list of nodes (simulated nodes, as in chapter 13, 1 ms apart) and joins each to a `pg` group, `service`; a client asks `pg.get_members("service")` and calls the members in turn.
# "Faster" is a server with 1 ms of work per request.
# Each configuration gets the same offered loads; `blueprint.capacity` picks the highest throughput whose p99 stayed under 100 ms with no timeouts.

# %%
from otp_lite import dist, pg, timer
from examples.ch15 import cluster, blueprint
net = dist.start("shell@host0", latency=1)     # simulated nodes, 1 ms apart
load = [300, 450, 600, 900, 1200]


def measure(nodes, service_ms):
    return loadgen.sweep(lambda: cluster.start(nodes, service_ms), cluster.request, load, 2000)


one = measure(["s1@host1"], 2)
up = measure(["big@host3"], 1)
out = measure(["s1@host1", "s2@host2"], 2)
for name, runs in [("1 node, 2 ms", one), ("1 node, 1 ms (up)", up), ("2 nodes, 2 ms (out)", out)]:
    print(f"{name}: capacity {blueprint.capacity(runs)}/s")
    for r in runs:
        print("   ", r)

# %% [markdown]
# One 2 ms server keeps its promise up to about 450/s; two of them, or one twice as fast, up to about 900/s: capacity doubles either way, and past it latency climbs in both as it did for one server (at 1200/s, p99 over 300 ms).
# They differ in two things.
# At low load the faster server answers sooner (p50 3 ms against 4 ms: the work is shorter, the network hop is the same).
# And a node can fail: crash `s2@host2` and the group shrinks to the server that is left, which still carries 400/s; the one big node, crashed, would have left nothing.

# %%
dist.stop_node("s2@host2")
pg.get_members("service"), loadgen.run(cluster.request, 400, 1000)

# %% [markdown]
# **What is simulated.** A node here has as many CPUs as it needs, because the work is a sleep on the virtual clock: two servers on *one* node would also double the capacity, which on a real machine holds only while there are idle cores.
# Real horizontal scaling also pays for the network and for keeping state consistent between nodes (chapter 13); the 1 ms hop each way is all of that here.

# %% [markdown]
# ## Balancing your system: the stage that saturates first
#
# A real request crosses several components, and the system carries only what its slowest one carries.
# `examples/ch15/pipeline.py` has two stages, each a `pg` group of gen_server workers: a `front` worker (1 ms: parse, check) hands each request on with a cast to a `store` worker (3 ms: the write), which answers the client.
# On paper, one front worker serves 1000/s and one store worker 333/s: the store saturates first.

# %%
rt = runtime.reset(seed=0)     # a fresh runtime: one node, no network
from examples.ch15 import pipeline
balance = {}
for n in (1, 2, 3):
    balance[n] = loadgen.sweep(lambda: pipeline.start(front=1, store=n), pipeline.request, load, 2000)
    print(f"1 front, {n} store: on paper {min(1000, n * 1000 // 3)}/s, measured capacity {blueprint.capacity(balance[n])}/s")
    print("   ", balance[n][2])

# %% [markdown]
# Adding front workers would change nothing: the front is idle most of the time.
# Each store worker adds 333/s until, with three, both stages carry 1000/s: the pipeline is balanced, and the next worker must go to *both* stages.
# Balancing is this: find the stage that saturates first, give it more workers (or nodes), and stop when another stage becomes the limit.

# %% [markdown]
# ## Finding bottlenecks: mailboxes, reductions and where the time goes
#
# On paper was easy; in a running system, look.
# A bottleneck is the process whose mailbox grows: `process_info(Pid, message_queue_len)`, or the MsgQ column of observer sorted.
# Run the unbalanced pipeline (one store worker) at 600/s and look two seconds in:

# %%
rt = runtime.reset(seed=0)
pipeline.start(front=1, store=1)
bg = erlang.spawn(lambda: loadgen.run(pipeline.request, 600, 3000))
_ = timer.sleep(2000)
[(name, erlang.process_info(erlang.whereis(name), ["message_queue_len", "reductions"]))
 for name in ("front_1", "store_1")]

# %%
for r in viz.observer(sort="message_queue_len").rows[:4]:
    print(f'{r["name"] or "-":8} {r["initial_call"]:22} reds {r["reductions"]:5}  msgq {r["message_queue_len"]:4}  {r["status"]}')

# %% [markdown]
# `store_1` has hundreds of requests waiting; `front_1` none.
# Reductions mislead here: on the BEAM a CPU-bound bottleneck also leads the reductions column, but in otp_lite the work is a sleep, which costs no reductions, so they count messages handled and the busy front has more.
# The queue is the signal that does not lie.
#
# Where does a request's time go?
# A profiler (`eprof`, `fprof` or `cprof` in OTP) answers for function calls; for a pipeline, each worker's own figures answer it better: `busy.<stage>` counts the ms a stage worked, `wait.<stage>` is a histogram of how long requests waited in its mailbox.

# %%
for stage in ("front", "store"):
    w = metrics.get(f"wait.{stage}")
    print(f"{stage}: busy {metrics.get('busy.' + stage) / 2000:4.0%} of the 2 s,  "
          f"{w['n']} requests waited mean {w['mean']} ms, p99 {w['p99']} ms")

# %% [markdown]
# The store works 100% of the time and requests wait there for almost half a second; the front works 60% of the time and nobody waits for it.
# A request spends under 5 ms working and hundreds of ms queueing in front of the store: the bottleneck, named.

# %% [markdown]
# ## System blueprints
#
# A blueprint states, for each type of node, what it can carry and what to do when that is not enough.
# The figures come from the measurements above, not from a guess (one configuration per line; capacity with p99 under 100 ms).
# They are read off the sweep's grid of offered loads (300, 450, 600, 900, 1200/s), so a capacity is a lower bound: the pipeline with one store worker carries 333/s on paper, and 287/s is the best of its runs that kept the promise; a finer sweep around the knee narrows it.

# %%
_ = timer.sleep(8000)    # (the run in the background ends)
blueprint.table([
    ("service", "2 ms", f"{blueprint.capacity(one)}/s", f"{blueprint.knee(one)}/s", "mailbox: 1 s timeouts",
     "add a node to the pg group"),
    ("service, fast", "1 ms", f"{blueprint.capacity(up)}/s", f"{blueprint.knee(up)}/s", "mailbox: 1 s timeouts",
     "no bigger machine: scale out"),
    ("pipeline 1+1", "1 + 3 ms", f"{blueprint.capacity(balance[1])}/s", f"{blueprint.knee(balance[1])}/s",
     "store mailbox", "add store workers"),
    ("pipeline 1+3", "1 + 3 ms", f"{blueprint.capacity(balance[3])}/s", f"{blueprint.knee(balance[3])}/s",
     "both stages", "add front and store workers"),
])

# %% [markdown]
# "Breaks at" is the first offered rate of the sweep past capacity.
# Past it, something must give: with a blueprint, the operator knows what to add; the next section is what the system can do by itself while the load exceeds the capacity, refuse some of it.

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

# %% [markdown]
# ## Backpressure: slowing the producer down
#
# The token bucket regulates load from outside: users it cannot serve are refused.
# When the producer is part of the system (a process reading a socket, a stage feeding the next), it can be *slowed down* instead: that is backpressure.
# `examples/ch15/backpressure.py` has a producer that makes 500 items at 1 ms each, and a gen_server consumer that takes 2 ms per item, fed three ways:
#
# - `cast`: fire and forget (what the pipeline above does);
# - `call`: each item is a synchronous call, so the producer waits for every item;
# - `('credits', 10)`: at most 10 items in flight; the consumer sends a credit back after each item, and a producer out of credits waits for one.

# %%
from examples.ch15 import backpressure
for mode in ["cast", "call", ("credits", 10)]:
    print(f"{str(mode):15}", backpressure.run(mode, 500))

# %% [markdown]
# With `cast` the producer finishes in 500 ms and the consumer's mailbox holds 250 items: it grows by one every 2 ms for as long as the producer runs, without bound.
# With `call` the mailbox never holds anything, but the producer waits out every item: making and using no longer overlap, and 500 items take 1500 ms.
# With credits the mailbox stays under 10, and the consumer is never idle: 1000 ms, the consumer's own pace.
# Backpressure bounds the queue by slowing the producer; load regulation bounds it by refusing work.
# The first needs a producer that can wait (a client of the system usually cannot: there you shed load, as above, or as the lab does).

# %% [markdown]
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
# 4. Offer 1200/s to the balanced pipeline (`pipeline.start(front=1, store=3)`): which stage is the bottleneck now, and which workers does it take to carry the load?
#
# <details><summary>Answers</summary>
#
# 1. `service.start(4)`: capacity halves to 250/s, so the knee moves between 100 and 300/s (at 300/s: about 249/s ok, p99 near 700 ms; at 450/s, timeouts).
# 2. Nothing is rejected any more: in a 3 s run the bucket admits 400/s × 3 s + 200 = 1400 requests, more than the ~1355 offered, so the run is the naive one (p99 35 ms instead of 14 ms).
#    A burst lets load past the limit for a while; the bigger the burst, the longer a spike goes unregulated (and queued behind a 2 ms server, 200 requests are 400 ms of waiting).
# 3. No, it gets worse: about 159/s ok and 8929 timeouts over 20 s. The queue grows by about 100 requests each second until every reply is later than the 1 s timeout; the longer the overload, the worse the goodput.
# 4. The front: two seconds in, `front_1` has about 350 requests waiting and the store workers none (one front worker carries 1000/s). Two front workers move the bottleneck back to the store (three store workers carry 1000/s: 997/s ok, p99 344 ms); two front and four store workers carry it all (1168/s ok, p99 16 ms; 2 s runs).
# </details>

# %% [markdown]
# ## What you saw
#
# - Capacity is a knee: below it latency is flat; above it queues grow until timeouts turn work into waste.
# - An open-loop load generator and a virtual clock give repeatable capacity curves (their shape, not their numbers, carries over to a real server).
# - Regulation (rate limits, bounded queues) trades a little peak throughput for a system that degrades gracefully.
# - An unbounded mailbox is a memory leak with a deadline.
# - Scaling out (more nodes behind a `pg` group) and up (a faster server) both double capacity; only scaling out survives losing a node.
# - A system carries what its slowest stage carries: find it by its growing mailbox and its 100% busy time, add workers there, and stop when another stage becomes the limit.
# - A blueprint writes down, per node type, the measured capacity, where it breaks, and what to do then.
# - Backpressure bounds a queue by slowing the producer (a call, or credits that keep N items in flight); regulation bounds it by refusing work.
#
# Lab: [labs/15_backpressure](../labs/15_backpressure/README.md), shed load and raise an alarm so the server survives the spike (`make grade LAB=15_backpressure`).
