# Source of notebooks/13_distributed_architectures.ipynb: edit here, then run `python tools/nbbuild.py 13`.

# %% [markdown]
# # 13 · Distributed Architectures: nodes, networks and partitions
#
# Chapter 13 of the book steps back from one node to many: distributed Erlang, node families, and how clusters fail.
# The book has no example code for it, so this notebook builds a small cluster *inside one runtime* and makes its failures visible.
# Everything you learned about processes in [chapter 2](02_introducing_erlang.ipynb) and servers in [chapter 4](04_generic_servers.ipynb) works across nodes unchanged: that is the point.
#
# **What is simulated.** All nodes live in one Python process on one virtual clock.
# A node is a tag on its processes plus its own registry; everything that crosses nodes (messages, exit signals, `DOWN`s) goes through `otp_lite.dist`'s network model:
#
# | real distributed Erlang | this model |
# |---|---|
# | one TCP connection per pair of nodes | a connection made on first contact, and to everyone the other knows (`connect_all`) |
# | in-order delivery per pair | arrival = max(now + latency, previous arrival on that pair) |
# | TCP never loses a message | `loss` is an extra knob (UDP-like), 0 by default |
# | a cut cable | messages wait (TCP retransmits); after `net_ticktime` of silence the connection goes down: exactly 60 s here, between 45 and 75 s in real Erlang (ticks go every 15 s) |
# | a node crash | its processes vanish; the others see `noconnection` and `nodedown` |
#
# Not modelled: a remote `spawn` or `link` takes effect at once; every node runs the same code; no cookies, no epmd, no TLS.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
from otp_lite import runtime, erlang, dist, rpc, global_, pg, timer, gen_server, viz
from otp_lite.erlang import ANY, TIMEOUT, Exit
from examples.ch13 import remote_frequency as rf
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids and delays on every run

# %% [markdown]
# ## Starting nodes
#
# `erl -sname shell` makes a node distributed; `dist.start` does that for the shell, with the network's default latency (5 ms here).
# `dist.start_node` plays `peer:start`: a new node, with its own `rex` server for remote calls.

# %%
net = dist.start("shell@host0", latency=5)
dist.start_node("bsc@host1"), dist.start_node("client@host2")

# %%
erlang.node(), erlang.nodes()

# %% [markdown]
# `nodes()` is empty: nodes connect lazily, on first contact.
# `spawn(Node, Fun)` is the first contact here; the pid's first number is the node (`<0.x.0>` is always the local node).

# %%
echo = erlang.spawn("bsc@host1", rf.echo)
echo, erlang.node(echo), erlang.nodes()

# %% [markdown]
# A message to a remote pid is written exactly as a local one.
# It pays the latency twice for a round trip: the shell's clock reads 10 ms when the answer arrives.

# %%
erlang.send(echo, (erlang.self(), "hello"))
erlang.receive(), runtime.now()

# %% [markdown]
# ## Names are per node
#
# `register` is local to a node: both nodes can run a server called `frequency`.
# `{Name, Node} ! Msg` is `erlang.send((name, node), msg)`; `gen_server.call` accepts the same pair.
# Here `rpc.call` starts the chapter 4 frequency server on each remote node.

# %%
rf.start_on("bsc@host1")[0], rf.start_on("client@host2")[0], erlang.whereis("frequency")

# %%
rf.allocate("bsc@host1"), rf.allocate("bsc@host1"), rf.allocate("client@host2")

# %% [markdown]
# `rpc.call` returns a value, or `('badrpc', Why)` instead of raising, as in OTP:

# %%
rpc.call("bsc@host1", "erlang", "node", []), rpc.call("nosuch@host9", "erlang", "node", [])

# %%
rpc.multicall(["bsc@host1", "client@host2", "nosuch@host9"], "erlang", "node", [])

# %% [markdown]
# The network log shows each message crossing: send time, arrival time, and its fate.

# %%
print("\n".join(viz.timeline().text().splitlines()[-6:]))

# %% [markdown]
# ## Order per pair, even with jitter
#
# Distributed Erlang guarantees one thing about messages between two processes: they arrive in the order they were sent.
# Give the link a jitter of up to 40 ms and send 20 numbered messages: each one waits for the one before it.

# %%
dist.set_link("shell@host0", "bsc@host1", latency=5, jitter=40)
for i in range(20):
    erlang.send(echo, (erlang.self(), i))
[erlang.receive()[2] for _ in range(20)] == list(range(20))

# %%
dist.set_link("shell@host0", "bsc@host1", latency=5, jitter=0)

# %% [markdown]
# ## When a node dies
#
# Links and monitors work across nodes.
# When a node goes down, its processes vanish, and everything on the other nodes that linked to or monitored them hears `noconnection`; `monitor_node` watchers get `('nodedown', Node)`.

# %%
erlang.process_flag("trap_exit", True)
worker = erlang.spawn_link("client@host2", rf.echo)
ref = erlang.monitor("process", worker)
erlang.monitor_node("client@host2", True)
dist.stop_node("client@host2")

# %%
erlang.receive(), erlang.receive(), erlang.receive()

# %% [markdown]
# A call to a server on a node that is gone fails with `{nodedown, Node}`, the reason OTP gives:

# %%
try:
    rf.allocate("client@host2")
except Exit as e:
    print(e.reason)

# %% [markdown]
# ## Partitions: short ones are invisible, long ones are node downs
#
# A cut between two live nodes is different from a crash: both sides keep running, and each thinks the other died.
# Distributed Erlang only notices after about `net_ticktime` (60 s by default) of silence: between 45 and 75 s in real Erlang, exactly 60 s in this model.
# A cut shorter than that only delays messages: they wait in TCP buffers and arrive, in order, when the network heals.

# %%
t0 = runtime.now()
dist.partition("shell@host0", "bsc@host1")
erlang.send(echo, (erlang.self(), "during the cut"))
erlang.receive(timeout=20_000)

# %%
dist.heal()
erlang.receive(), round(runtime.now() - t0)

# %% [markdown]
# A longer cut becomes a node down on both sides: links break with `noconnection`, monitors fire, and messages still in the buffers are lost.

# %%
erlang.monitor_node("bsc@host1", True)
dist.partition("shell@host0", "bsc@host1")
erlang.send(echo, (erlang.self(), "lost"))
t0 = runtime.now()
erlang.receive(), round(runtime.now() - t0), erlang.nodes()

# %% [markdown]
# After the heal (10 s later) nothing reconnects by itself; the next message does, and the `echo` process on `bsc@host1` is still alive.

# %%
timer.sleep(10_000)
dist.heal()
erlang.send(echo, (erlang.self(), "again"))
erlang.receive(), erlang.nodes()

# %% [markdown]
# The timeline draws the story: nodes as columns, time going down, cuts and node downs as dashed lines.
# On a scale of a minute a 5 ms message is a flat arrow; over a short interval, `viz.timeline(since=...)` shows latency as the slope of each arrow.

# %%
viz.timeline(since=t0 - 1)

# %% [markdown]
# ## A global name registry, and split brain
#
# `global` registers a name across the cluster: every node keeps a replica of the table.
# During a partition each side may register the same name -- split brain -- and on reconnection `global` keeps one and kills the other (`random_exit_name`, seeded here).

# %%
dist.start_node("backup@host3")
me = erlang.self()
def candidate():
    timer.sleep(61_000)                      # by then the cut is a node down
    erlang.send(me, (erlang.node(), global_.register_name("leader", erlang.self())))
    erlang.receive()

# %%
a = erlang.spawn("bsc@host1", candidate)
b = erlang.spawn("backup@host3", candidate)
runtime.run_until_idle()
dist.partition(["bsc@host1"], ["shell@host0", "backup@host3"])
erlang.receive(), global_.table("bsc@host1"), global_.table("backup@host3")

# %% [markdown]
# Both registrations succeeded (the `yes` from `bsc@host1` was lost in the cut, but its table shows it): each side has its own leader.
# Heal, and let a message reconnect the sides:

# %%
dist.heal()
rpc.call("bsc@host1", "erlang", "node", [])
timer.sleep(10)
leader = global_.whereis_name("leader")
leader, a.alive, b.alive

# %% [markdown]
# ## Process groups
#
# `pg` groups processes by name across nodes, inside a *scope*: a server that each node runs (`pg:start_link()` starts the default scope, `pg`).
# A node sees the members on the nodes it is connected to that run the same scope.

# %%
pg.start_link()
rpc.call("bsc@host1", "pg", "start", ["pg"])     # pg:start(pg) on the remote node
rpc.call("bsc@host1", "pg", "join", ["echoes", echo]), pg.join("echoes", erlang.self())

# %%
pg.get_members("echoes"), pg.get_local_members("echoes")

# %% [markdown]
# ## Try it
#
# 1. Set a 200 ms latency between the shell and `bsc@host1` and time `rf.allocate("bsc@host1")`.
# 2. Cut the network for 59 s, then for 61 s, and call `rpc.call("bsc@host1", "erlang", "node", [])` in each case.
# 3. Register `leader` again during a partition with `global_.notify_all_name` as resolve function: what do the two processes receive after the heal?
#
# <details><summary>Answers</summary>
#
# 1. `dist.set_link("shell@host0", "bsc@host1", latency=200)`: the call returns after 400 ms of virtual time (`runtime.now()` before and after).
# 2. At 59 s the call waits for the heal and then answers; at 61 s it returns `('badrpc', 'nodedown')` when the tick declares the node down, 60 s into the cut.
#    On real Erlang the 59 s cut could already be a node down: detection falls anywhere between 45 and 75 s.
# 3. The name is unregistered and each receives `('global_name_conflict', 'leader', OtherPid)`; neither is killed (in `candidate` the last `receive` takes that message, and the process ends normally).
# </details>

# %% [markdown]
# ## What you saw
#
# - A pid, a send, a link and a monitor look the same whether the other process is local or remote; only timing and failure modes change.
# - Names are per node; `(name, node)`, `rpc` and `global` reach across.
# - Messages between two processes stay in order; nothing else about a network is guaranteed.
# - A crash and a long partition look alike from the other side: `noconnection` and `nodedown`. A short partition only delays.
# - During a partition both sides keep working, which is how split brain happens; `global` repairs its table on reconnection, by killing.
#
# This chapter has no lab (neither has chapter 14); the next one is [labs/15_backpressure](../labs/15_backpressure/README.md), with [chapter 15](15_scaling_out.ipynb).
#
# Next: [chapter 14](14_systems_that_never_stop.ipynb), where the cluster keeps its data alive through crashes and partitions.
