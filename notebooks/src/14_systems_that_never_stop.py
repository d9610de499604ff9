# Source of notebooks/14_systems_that_never_stop.ipynb: edit here, then run `python tools/nbbuild.py 14`.

# %% [markdown]
# # 14 · Systems That Never Stop: replication, failover and split brain
#
# Chapter 14 of the book is about systems that stay up when parts of them fail: availability, reliability, resilience, and where to keep the data.
# A single node keeps running only until its hardware fails, so a system that never stops runs on several nodes and keeps its state in more than one place.
# This notebook builds three small replicated frequency servers on the simulated cluster of [chapter 13](13_distributed_architectures.ipynb) and breaks each one on purpose.
#
# **What is simulated.** The nodes, the network, the partitions and the clock are those of chapter 13: one Python process, one virtual clock, 5 ms between any two nodes, and a cut that is declared a node down after `net_ticktime` (exactly 60 s here; between 45 and 75 s in real Erlang).
#
# | in a real cluster | here |
# |---|---|
# | servers on machines that crash, reboot, lose disks | `dist.stop_node` (a crash: the node's memory is gone) and `dist.start_node` (a clean reboot) |
# | a cable cut, a switch failure | `dist.partition`, `dist.heal` |
# | monitoring dashboards | a "who holds what" board that sees every node at the same instant -- something no real node can do |
#
# The stores are deliberately small (a few dozen lines each, in `examples/ch14/`); real systems use Mnesia, Riak or a consensus library for the same jobs.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
from otp_lite import runtime, erlang, dist, timer, global_, viz
from examples.ch14 import cluster, board, phone, freq_store, failover, dist_app
rt = runtime.reset(seed=0)   # virtual clock, fixed seed (each section below starts a fresh cluster)

# %% [markdown]
# ## How much is "never"?
#
# Availability is the fraction of time a system does its job.
# The book's telecom examples aim for "five nines"; here is what each number of nines allows per year:

# %%
minutes_per_year = 365.25 * 24 * 60
{f"{a}%": f"{(1 - a / 100) * minutes_per_year:.1f} min down/year" for a in (99, 99.9, 99.99, 99.999)}

# %% [markdown]
# Five minutes a year leaves no time for a human to notice a crash, let alone repair it.
# The system must notice and repair itself: that is *resilience* (recovering from failure) serving *reliability* (doing the job correctly, every time).
# Both depend on a choice the book calls the data strategy: does each node share nothing, something, or everything with the others?
#
# ## Share-nothing: each node its own frequencies
#
# A fresh cluster of three nodes; each runs a `freq_store` with its own frequencies (10s on n1, 20s on n2, 30s on n3).

# %%
N = cluster.fresh()
[freq_store.start(n, [10 * i + k for k in range(3)])[0] for i, n in enumerate(N, 1)]

# %%
freq_store.allocate(N[0], "alice"), freq_store.allocate(N[1], "bob"), freq_store.allocate(N[2], "carol")

# %% [markdown]
# The board shows who holds what on every node.

# %%
board.holdings(N)

# %% [markdown]
# Nothing is copied, so nothing has to agree: no node waits for another, and a failure stays where it happened.
# Crash n2:

# %%
dist.stop_node(N[1])
board.holdings(N)

# %% [markdown]
# n1 and n3 do not even notice.
# But bob's frequency and n2's free ones are gone with the node, and a phone that used n2 is out of service:

# %%
try:
    freq_store.allocate(N[1], "dave")
except erlang.Exit as e:
    print(e.reason[0])

# %% [markdown]
# ## Share-everything: every write on every node
#
# Now every node holds the whole table, and a write is applied on all of them before the client gets its answer (synchronous replication).
# The price is latency: one allocation is six network hops instead of two.

# %%
N = cluster.fresh()
[freq_store.start(n, [10, 11, 12, 13, 14], "everything", N, "quorum")[0] for n in N]

# %%
t0 = runtime.now()
freq_store.allocate(N[0], "alice"), runtime.now() - t0

# %%
viz.timeline(since=t0)

# %% [markdown]
# In return, a crash loses nothing: any node can answer, with the same table.

# %%
freq_store.allocate(N[2], "bob")
dist.stop_node(N[1])
freq_store.table(N[0])

# %% [markdown]
# ## A partition forces a choice
#
# A crash is easy: the dead node does not write.
# A partition is hard: both sides are alive, cannot talk, and each may get writes.
# The store's `policy` decides what a replica does when it sees fewer peers:
#
# - `'quorum'` puts **consistency** first: write only while a majority of the nodes (2 of 3) is reachable.
# - `'available'` puts **availability** first: always write, to whoever is reachable.
#
# To act on n1's side of the cut we need a client there: `phone.at(node, t, fun, ...)` starts a phone on `node` before the cut, which calls at virtual time `t` (after the 60 s tick) and keeps its answer until we ask.

# %%
N = cluster.fresh()
[freq_store.start(n, [10, 11, 12, 13, 14], "everything", N, "quorum")[0] for n in N]
bob = phone.at(N[0], 61_100, freq_store.allocate, N[0], "bob")      # on n1's side
carol = phone.at(N[1], 61_100, freq_store.allocate, N[1], "carol")  # on n2's side

# %%
dist.partition([N[0]])      # n1 alone; the shell, n2 and n3 on the other side
timer.sleep(62_000)
board.holdings(N)

# %% [markdown]
# n1 sees only itself (1 of 3): it refused bob, while the majority side served carol.

# %%
dist.heal()
phone.result(bob), phone.result(carol)

# %% [markdown]
# After the heal, an anti-entropy pass (`sync`) merges the tables; with a quorum there is nothing to argue about.

# %%
freq_store.sync(N)

# %%
board.holdings(N)

# %% [markdown]
# The same experiment with `'available'`: both sides say yes.

# %%
N = cluster.fresh()
[freq_store.start(n, [10, 11, 12, 13, 14], "everything", N, "available")[0] for n in N]
bob = phone.at(N[0], 61_100, freq_store.allocate, N[0], "bob")
carol = phone.at(N[1], 61_100, freq_store.allocate, N[1], "carol")
dist.partition([N[0]])
_ = timer.sleep(62_000)

# %%
dist.heal()
phone.result(bob), phone.result(carol)

# %% [markdown]
# Frequency 10 went to two phones: two calls on one radio channel.
# `sync` finds the conflict, keeps one holder (the first node's) and takes the frequency from the other phone, which believes it still has it until told.

# %%
freq_store.sync(N)

# %% [markdown]
# | strategy | a node crashes | a partition | cost when all is well |
# |---|---|---|---|
# | share-nothing | its data is lost, the rest is untouched | each side serves its own data | none |
# | share-everything, quorum | nothing lost | the minority side refuses writes (consistent, less available) | every write waits for the peers |
# | share-everything, available | nothing lost | both sides write; conflicts repaired later (available, not consistent) | the same, plus conflict repair |
#
# This is the consistency-versus-availability trade-off (CAP): during a partition you choose one.
# Between the extremes sits *share-something*: replicate only what is expensive to lose (the allocations), keep the rest local.
#
# ## Primary and backup
#
# A cheaper design: one primary serves every request and copies its table to one backup after each write (asynchronously: it does not wait).
# The backup watches the primary's node with `monitor_node`; on `nodedown` it takes over.
# Clients find whoever is primary through a `global` name: `('via', global_, 'frequency')`.

# %%
N = cluster.fresh()
failover.start_backup(N[1], N[0], [10, 11, 12, 13]), failover.start_primary(N[0], [10, 11, 12, 13], N[1])

# %%
failover.allocate("alice"), failover.allocate("bob")

# %%
timer.sleep(10)             # the last copy reaches the backup
board.holdings(N[:2])

# %% [markdown]
# Crash the primary.
# The backup hears `('nodedown', 'n1@host1')` at once, raises its epoch (a generation number for "who is primary") and registers the global name.

# %%
t_crash = runtime.now()
dist.stop_node(N[0])
timer.sleep(1)              # the backup handles its nodedown
failover.allocate("carol"), global_.whereis_name("frequency")

# %%
board.holdings(N[:2], title="after the failover")

# %% [markdown]
# The network timeline of the failover: the node stops (the cross; its lifeline ends there, and its two connections go down with it: `text()` lists them), and the next call goes to n2.

# %%
viz.timeline(since=t_crash)

# %% [markdown]
# Asynchronous copying has a window: a write the primary acknowledged but had not yet copied dies with it (try it below).
#
# ## Split brain
#
# To the backup, a long partition looks exactly like a crash.
# It takes over while the old primary still serves its own side: two primaries, one name, two tables.

# %%
N = cluster.fresh()
failover.start_backup(N[1], N[0], [10, 11, 12, 13]), failover.start_primary(N[0], [10, 11, 12, 13], N[1])
failover.allocate("alice")
bob = phone.at(N[0], 61_100, failover.allocate, "bob")      # sees n1's replica of the global table
carol = phone.at(N[2], 61_100, failover.allocate, "carol")  # sees n3's

# %%
dist.partition([N[0]])
timer.sleep(62_000)
board.holdings(N[:2], title="split brain")

# %% [markdown]
# Each side has its own `frequency`:

# %%
global_.table(N[0]), global_.table(N[2])

# %% [markdown]
# When the network heals and the sides connect again, `global` finds the name registered twice and calls the *resolve function* given at registration.
# `failover.resolve` keeps the primary with the higher epoch and tells the other `('global_name_conflict', 'frequency', Winner)`; the loser hands over its table, the winner keeps what does not collide, revokes what does, and the loser becomes its backup.

# %%
dist.heal()
failover.ping(N[0], N[1]), phone.result(bob), phone.result(carol)

# %%
timer.sleep(50)
board.holdings(N[:2], title="after the merge")

# %% [markdown]
# `global` repaired its table, but not the world: bob was told "ok, 11" and lost it.
# Epochs, quorums and fencing exist to keep two primaries from *acting* at once, not just from sharing a name.
#
# ## A distributed application: failover and takeover
#
# OTP can move a whole application between nodes: with `{distributed, [{frequency, [n1, {n2, n3}]}]}` in the kernel's configuration (and `sync_nodes_optional` so the nodes wait for each other at boot), it runs on n1, moves to n2 or n3 when n1 dies (start type `{failover, n1}`), and moves back when n1 returns (`{takeover, n2}`).
# `dist_app` sketches that with one controller per node:

# %%
N = cluster.fresh()
ctl = dist_app.start(N)
timer.sleep(100)
dist_app.where(), dist_app.allocate("alice")

# %%
dist.stop_node(N[0])
timer.sleep(100)
dist_app.where(), dist_app.allocate("bob")

# %% [markdown]
# A failover moves the service, not its state: the new server on n2 starts fresh, so frequency 10 is handed out again (combine it with a backup to keep the state).
# Now n1 comes back; its controller sees the application running on a lower-priority node and takes it over.
# OTP only tells the new instance that it is a takeover (`{takeover, n2}`) while the old one still runs; fetching the state from it is the application's job, and `dist_app` does it:

# %%
dist.start_node(N[0])
ctl = dist_app.start_controller(N[0], N)
timer.sleep(100)
dist_app.where(), dist_app.allocate("carol")

# %%
dist_app.history()

# %%
board.holdings(N, title="after the takeover")

# %% [markdown]
# ## Try it
#
# 1. In the primary/backup section, make the backup further away than the client (`dist.set_link(N[0], N[1], latency=20)`), allocate once and crash n1 at once. Who holds what on n2?
# 2. Start a fresh quorum cluster and crash two of its three nodes. Can the last one still allocate?
# 3. In the split-brain section, what would `global_`'s default resolve function (`random_exit_name`) have done instead of ours?
#
# <details><summary>Answers</summary>
#
# 1. Nothing: the primary replied to the shell after 5 ms but its copy needed 20 ms, and died on the wire. The backup takes over with an empty table and gives frequency 10 away again.
# 2. No: it sees 1 of 3 nodes and answers `('error', 'no_quorum')`. It cannot tell two crashes from a partition, so it refuses, although nobody else could write.
# 3. Kill one of the two primaries at random (seeded here): its table, and every allocation made on its side during the split, would simply vanish.
# </details>

# %% [markdown]
# ## What you saw
#
# - Never stopping means more than one node, and more than one copy of whatever must survive a crash.
# - Share-nothing isolates failures but loses the failed node's data; share-everything keeps the data and pays for it on every write.
# - During a partition a replicated store must choose: refuse writes on the minority side (consistency) or accept them and repair conflicts later (availability).
# - Primary/backup failover is driven by `monitor_node`; a long partition makes it take over while the primary lives, which is split brain.
# - `global` merges its tables with a resolve function; repairing the data is the application's job.
#
# The lab for this chapter, [labs/14_idempotent_replication](../labs/14_idempotent_replication/README.md), makes a retry safe over a network that loses messages: request ids, and a replica that answers a repeat from memory; the next one is [labs/15_backpressure](../labs/15_backpressure/README.md), with chapter 15.
#
# Next: [chapter 15](15_scaling_out.ipynb), when the load itself is the failure.
