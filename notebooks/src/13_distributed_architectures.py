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
# (The section [Beside a real Erlang node](#Beside-a-real-Erlang-node), near the end, leaves the model: cookies, epmd and TCP, with a real `erl` on the other end.)

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
# During a partition each side may register the same name -- split brain -- and on reconnection `global` keeps one and kills the other (`random_exit_name`, the default resolve function: despite its name it keeps the pid on the node whose name sorts first, so both sides agree; OTP 25 does the same, `tests/oracle_probes/ch13_global_conflict.out`).

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
# ## Node types and families
#
# The book splits a cluster into node *types* by what they do: front-end nodes take requests from outside, logic nodes do the work, service nodes own the data.
# Each type is a *family* of identical nodes: any member can serve, so a family grows by adding a node and survives losing one.
# Here two front ends, two logic nodes and one service node find each other through `pg` groups, one per role, in a scope `roles` (`examples/ch13/roles.py`).

# %%
from examples.ch13 import roles
cluster = {"fe1@host4": "front_end", "fe2@host5": "front_end",
           "logic1@host6": "logic", "logic2@host7": "logic", "db@host8": "service"}
for node, role in cluster.items():
    dist.start_node(node)
    roles.start(node, role)
pg.start_link("roles")
runtime.run_until_idle()
{g: sorted(erlang.node(p) for p in pg.get_members(g, scope="roles")) for g in ("front_end", "logic", "service")}

# %% [markdown]
# A request enters at a front end, which hands it to the logic family round-robin; the logic node asks the service node.
# Each answer says the path it took:

# %%
def ask(fe, item):
    erlang.send(("front_end", fe), ("request", erlang.self(), item))
    return erlang.receive(("reply", item, ANY, ANY))[2:]

[ask("fe1@host4", "apple"), ask("fe2@host5", "pear"), ask("fe1@host4", "plum"), ask("fe2@host5", "fig")]

# %% [markdown]
# Now crash `logic1@host6` while it is working on a request: the front end monitors the worker it picked, gets the `DOWN` (`noconnection`), and gives the request to the next member of the family.
# The caller only sees a slower answer; the requests after it all go to `logic2@host7`.

# %%
t1 = runtime.now()
erlang.send(("front_end", "fe1@host4"), ("request", erlang.self(), "apple"))
timer.sleep(12)                                  # fe1 has handed it to logic1, which is asking db
dist.stop_node("logic1@host6")
erlang.receive(("reply", "apple", ANY, ANY))[2:], runtime.now() - t1

# %%
[ask("fe2@host5", "pear"), ask("fe1@host4", "plum")], sorted(erlang.node(p) for p in pg.get_members("logic", scope="roles"))

# %% [markdown]
# On the timeline, `logic1@host6`'s lifeline ends at its stop, its request to `db@host8` is lost on the wire (the cross), and the retry goes through `logic2@host7`.
# `client@host2`, stopped long before, is not drawn.

# %%
viz.timeline(since=t1)

# %% [markdown]
# ## Sockets and SSL: a real TCP connection
#
# Distributed Erlang is one choice of transport: a full mesh of trusted nodes sharing a cookie.
# To talk to a system that is not Erlang, or across an untrusted network, or between clusters, the book uses plain TCP (`gen_tcp`) or TLS (`ssl`), with a protocol of your own.
# This cell uses a *real* TCP socket on 127.0.0.1 (nothing leaves the machine) through `examples/ch13/real_tcp.py`, which has `gen_tcp`'s calls and returns.
# What is simulated: waiting. otp_lite has no I/O poller, so a process waiting for bytes polls its socket between 1 ms virtual sleeps.
#
# A price server on `db@host8` listens on a port the operating system picks (`listen(0)`), tells the shell which one, and answers one line per request:

# %%
from examples.ch13 import real_tcp as tcp

def price_server(client):
    ok, lsock = tcp.listen(0)
    erlang.send(client, ("port", tcp.port(lsock)[1]))
    ok, sock = tcp.accept(lsock)
    buf = b""
    while (r := tcp.recv(sock, 0))[0] == "ok":
        buf += r[1]
        while b"\n" in buf:                              # TCP is a byte stream: we frame lines
            line, buf = buf.split(b"\n", 1)
            item = line.decode().split()[1]
            tcp.send(sock, f"{roles.PRICES.get(item, 'unknown')}\n".encode())
    tcp.close(sock), tcp.close(lsock)
    erlang.send(client, ("server saw", r))

srv = erlang.spawn("db@host8", price_server, erlang.self())
_, port = erlang.receive(("port", ANY))

# %% [markdown]
# The shell connects and sends two requests in one `send`; the server finds two lines in whatever chunks arrive.
# (`gen_tcp`'s `{packet, line}` or `{packet, 4}` options would do this framing for you; here it is by hand.)
# The port number is not printed: it changes from run to run.

# %%
ok, sock = tcp.connect("127.0.0.1", port)
tcp.send(sock, b"price apple\nprice fig\n")
answer = b""
while answer.count(b"\n") < 2:
    answer += tcp.recv(sock, 0, 1000)[1]
answer.split()

# %% [markdown]
# A socket carries bytes and nothing else: no pids, no links, no monitors, no `nodedown`.
# Closing it is the only signal the other side gets (when a real node crashes its operating system closes its sockets, and the peer sees the same `closed`; a simulated `stop_node` does not close real sockets):

# %%
tcp.close(sock)
erlang.receive(("server saw", ANY))

# %% [markdown]
# TLS wraps the same socket: in Python `ssl.SSLContext.wrap_socket(sock)`, in OTP `ssl:connect/3`, `ssl:send/2` and `ssl:recv/3`, the shapes of `gen_tcp`'s, plus certificates.
# Not shown here: it needs a certificate, and this project does not ship one.
# OTP can also run distributed Erlang itself over TLS (`-proto_dist inet_tls`).

# %% [markdown]
# ## Service orientation: services found by name
#
# In a service-oriented (or microservice) design each service is small, owns its data, and is found by *name*, not by where it runs.
# `global` gives one process a cluster-wide name; clients send to the name and never learn the node:

# %%
def pricing():
    global_.register_name("pricing", erlang.self())
    while True:
        _, frm, item = erlang.receive(("price", ANY, ANY))
        erlang.send(frm, ("price", item, roles.PRICES.get(item, "unknown"), erlang.node()))

def price(item):
    global_.send("pricing", ("price", erlang.self(), item))
    return erlang.receive(("price", item, ANY, ANY))[2:]

erlang.spawn("db@host8", pricing)
timer.sleep(10)
price("fig")

# %% [markdown]
# The service moves: its node crashes, the name goes with it (OTP 25 does the same: `tests/oracle_probes/ch13_families.erl`), and a new instance registers on another node.
# The client code does not change.

# %%
dist.stop_node("db@host8")
before = global_.whereis_name("pricing")
erlang.spawn("backup@host3", pricing)
timer.sleep(10)
before, price("fig")

# %% [markdown]
# `global` is for one process per name; a family of equal servers is a `pg` group, as in the node families above.
# Microservices take this further: separate systems with separate release cycles, usually talking over sockets or HTTP rather than distributed Erlang.

# %% [markdown]
# ## Peer to peer
#
# The opposite of a service that owns the data: every peer holds all of it, takes reads and writes, and *gossips*.
# Every 100 ms each peer pushes what it knows to the next peer of a ring (`examples/ch13/peers.py`); a key carries a version, the higher one wins.

# %%
from examples.ch13 import peers
swarm = []
for n in ("peer1@host10", "peer2@host11", "peer3@host12"):
    dist.start_node(n)
    swarm.append(peers.start(n))
pg.start_link("peers")
runtime.run_until_idle()                          # every peer has joined the group

def read_all(key):
    alive = pg.get_members("peers", scope="peers")
    for p in alive:
        erlang.send(p, ("get", erlang.self(), key))
    return sorted(erlang.receive(("got", ANY, key, ANY))[1::2] for _ in alive)

erlang.send(swarm[0], ("put", "motd", "hello"))
read_all("motd")

# %% [markdown]
# Right after the write only `peer1` has it; three gossip rounds later everybody does (eventual consistency):

# %%
timer.sleep(300)
read_all("motd")

# %% [markdown]
# No peer is special: the one that took the write can crash, and the data lives on; a new write can go to any survivor.

# %%
dist.stop_node("peer1@host10")
erlang.send(swarm[1], ("put", "motd", "still here"))
timer.sleep(300)
read_all("motd")

# %% [markdown]
# The price: every peer stores everything, and two peers that take a write to the same key in the same round hold equal versions.
# This small model then keeps both values, one per side, for ever; real peer-to-peer stores settle such ties with a rule (vector clocks, or last-writer-wins on a timestamp).

# %% [markdown]
# ## Interfaces: a protocol with versions
#
# Between node types the interface is the messages they exchange, so it needs the care of any API, and versions: during a rolling upgrade old and new nodes talk to each other.
# `examples/ch13/api.py`: version 2 of a price protocol adds a currency; the upgraded server still answers version 1.

# %%
from examples.ch13 import api
erlang.spawn("fe2@host5", api.server_v2)
timer.sleep(10)
server = ("price_api", "fe2@host5")
api.client_v1(server, "fig"), api.client_v2(server, "fig", "SEK")

# %% [markdown]
# A client from the future gets a clear refusal instead of silence:

# %%
erlang.send(server, ("price", 3, erlang.self(), "fig", "SEK", "incl_vat"))
erlang.receive(("error", ANY))

# %% [markdown]
# ## Beside a real Erlang node
#
# Everything above ran inside one Python process.
# otp_lite can also be one node of a *real* Erlang cluster: `dist.start(name, real=True, cookie=...)` registers the node with `epmd`, answers the handshake with the cookie, and speaks distributed Erlang's own protocol over TCP on 127.0.0.1 (`otp_lite/dist/real/`).
# This section starts `erl -name peer@127.0.0.1` beside the notebook (through `tools/erl_node.py`, which types Erlang expressions at it as you would at its shell) and makes this runtime the node `lab@127.0.0.1`, with the same random cookie.
#
# It needs Erlang/OTP: `sudo apt-get install erlang-nox` on Debian or Ubuntu, or a package from https://www.erlang.org/downloads.
# Without it the next cell says so and the cells of this section do nothing.
# A real network runs on the real clock: this section leaves the simulation, and its last cell comes back to it.

# %% tags=["needs-erl"]
from tools.erl_node import erl_available, ErlNode, random_cookie
from otp_lite import net_adm
if erl_available():
    peer = ErlNode("peer", cookie=random_cookie())   # erl -name peer@127.0.0.1 -setcookie OTPLAB...
else:
    peer = None
    print(f"Skipping this section: {erl_available().reason}\n"
          "(or download Erlang/OTP from https://www.erlang.org/downloads)")

# %% [markdown]
# Our node: a fresh runtime on the real clock, started as `lab@127.0.0.1` with the peer's cookie (in Erlang: `net_kernel:start(['lab@127.0.0.1', longnames])` and `erlang:set_cookie/1`).
# Like any new node it is connected to nobody yet.

# %% tags=["needs-erl"]
if peer:
    rt = runtime.reset(clock="real")                 # real sockets, real time
    lab = dist.start("lab@127.0.0.1", real=True, cookie=peer.cookie)
    print(erlang.node(), erlang.nodes())

# %% [markdown]
# `erl(expr)` types one expression at the peer's shell and prints the answer as erl would.
# While erl works, our shell sleeps in 5 ms steps so that our own node can answer it: a `net_adm:ping` from erl is a call to our `net_kernel` process.

# %% tags=["needs-erl"]
def erl(expr, seconds=5):
    job = peer.submit(expr)
    end = runtime.now() + seconds * 1000
    while not job.done() and runtime.now() < end:
        timer.sleep(5)                               # our net_kernel, rex, echo... run meanwhile
    print(f"({peer.node})> {expr}\n{job.result(0.1)}")

# %% [markdown]
# `pong` both ways: erl pings us (the first contact makes the connection), then we ping erl over it.
# erl lists us among its *hidden* nodes, as if we had started with `erl -hidden`: otp_lite's node does not run `global`, which visible nodes expect of each other.

# %% tags=["needs-erl"]
if peer:
    erl("net_adm:ping('lab@127.0.0.1').")
    print(net_adm.ping("peer@127.0.0.1"))
    erl("{nodes(), nodes(hidden)}.")

# %% [markdown]
# ### A message each way
#
# Each node registers an `echo` process with the same protocol: `{From, Msg}` is answered with `{echo, node(), Msg}`.
# Ours is `rf.echo` from the start of this notebook; erl's is the same loop in Erlang.

# %% tags=["needs-erl"]
if peer:
    erlang.register("echo", erlang.spawn(rf.echo))
    erl("register(echo, spawn(fun Loop() -> receive {From, Msg} -> From ! {echo, node(), Msg}, Loop() end end)).")

# %% [markdown]
# Python sends to `{echo, 'peer@127.0.0.1'}` with `erlang.send((name, node), msg)`, as on the simulated network; then erl sends to our `echo`:

# %% tags=["needs-erl"]
if peer:
    erlang.send(("echo", "peer@127.0.0.1"), (erlang.self(), "hello_from_python"))
    print(erlang.receive(timeout=5000))
    erl("{echo, 'lab@127.0.0.1'} ! {self(), hello_from_erl}, receive Reply -> Reply after 5000 -> timeout end.")

# %% [markdown]
# Python strings travel as atoms, tuples as tuples, and the pid in `From` is a real remote pid on each side.
#
# ### rpc each way
#
# `rpc.call` to erl is answered by erl's `rex` server, as from any Erlang node.
# The other way, erl can only call Python code that we *export* under a module name: here a `prices` module that reads the chapter's price list.

# %% tags=["needs-erl"]
class prices:                                        # the functions of an Erlang module called prices
    def price(item):
        return roles.PRICES.get(item, "unknown")

if peer:
    print(rpc.call("peer@127.0.0.1", "lists", "reverse", [[1, 2, 3]]), dist.export("prices", prices))
    erl("rpc:call('lab@127.0.0.1', prices, price, [fig]).")

# %% [markdown]
# ### Cutting the connection: `nodedown` on both sides
#
# Both sides watch the other with `monitor_node`.
# erl's watcher is the shell's own evaluation: it sets its monitor, tells our shell (registered as `shell`) that it is watching, and waits for `nodedown`.

# %% tags=["needs-erl"]
if peer:
    erlang.register("shell", erlang.self())
    watcher = peer.submit("monitor_node('lab@127.0.0.1', true), {shell, 'lab@127.0.0.1'} ! watching, "
                          "receive {nodedown, Node} -> {nodedown, Node} after 5000 -> timeout end.")
    erlang.monitor_node("peer@127.0.0.1", True)
    print(erlang.receive("watching", timeout=5000))

# %% [markdown]
# `erlang:disconnect_node/1` closes the TCP connection: there is no waiting for `net_ticktime` here, both nodes see the socket close at once (two erl nodes do the same: `tests/oracle_probes/ch13_nb_stop.out`).

# %% tags=["needs-erl"]
if peer:
    print(erlang.disconnect_node("peer@127.0.0.1"), erlang.nodes())
    print(erlang.receive(("nodedown", ANY), timeout=5000))
    print(f"({peer.node}) watcher: {watcher.result(5)}")

# %% [markdown]
# Our node leaves the cluster (`net_kernel:stop()`: it unregisters from epmd) and the erl node halts.

# %% tags=["needs-erl"]
if peer:
    print(dist.stop())
    peer.stop()
    print(peer)

# %% [markdown]
# On the wire these are OTP's own messages: the `erl` node cannot tell otp_lite from another BEAM, except that it is hidden (`nodes(hidden)`, so `global` leaves it alone) and that its `rpc` answers come from Python functions you export.
# `examples/ch13/real_erl.py` runs the same tour in one call (`real_erl.demo(peer)`), with random node names.
#
# A round trip costs more than between two `erl` nodes.
# On this project's test machine (2 shared CPUs, busy; OTP 25; `bench/dist/run.py`, median of single round trips; figures in `bench/dist/README.md`) a message there and back takes about 30 µs between two `erl` nodes and about 70 µs between `erl` and otp_lite, either way; an `rpc` call about 45 µs against about 190 µs (Python decodes and dispatches every frame, and each rpc runs a process on both sides).
# Inside one node a round trip takes under 1 µs.
#
# Back to the simulation for the exercises below: a fresh runtime on the virtual clock, with the nodes they use.

# %%
rt = runtime.reset(seed=0)
net = dist.start("shell@host0", latency=5)
dist.start_node("bsc@host1"), dist.start_node("backup@host3")
me = erlang.self()                                   # `candidate` (above) reports to this shell
rf.start_on("bsc@host1")[0]

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
# - Node types (front end, logic, service) come in families of identical nodes: a `pg` group per role, and a crashed member's work goes to its siblings.
# - A real TCP socket carries bytes only: framing is yours, and a close is the only failure signal; TLS wraps the same socket.
# - With `dist.start(name, real=True, cookie=...)` the same pids, sends, links, monitors and `rpc` work with a real `erl` node, and a cut is `nodedown` on both sides.
# - A service is found by name (`global`, `pg`) and can move; peers all hold the data and converge by gossip; an interface is a versioned protocol, and the new server still speaks the old version.
#
# The lab for this chapter, [labs/13_partition_service](../labs/13_partition_service/README.md), builds a counter service that lives through all of this: `rpc` failures, a standby that takes over on `noconnection`, split brain and `global`'s resolve function, and no request applied twice.
#
# Next: [chapter 14](14_systems_that_never_stop.ipynb), where the cluster keeps its data alive through crashes and partitions.
