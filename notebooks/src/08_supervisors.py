# Source of notebooks/08_supervisors.ipynb: edit here, then run `python tools/nbbuild.py 08`.

# %% [markdown]
# # 8 · Supervisors: restarting what crashed
#
# Links let one process notice another's death ([chapter 2](02_introducing_erlang.ipynb)); a **supervisor** is a process whose only job is to notice, and to restart.
# Chapter 8 of the book writes one by hand for the coffee machine, then uses OTP's `supervisor` behaviour: restart strategies, restart types, restart intensity, shutdown, and dynamic children for the phones.
# The Python versions live in `examples/ch8/`.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
from otp_lite import runtime, erlang, supervisor, gen_server, logger, timer, viz
from otp_lite.erlang import ANY
from examples.ch8 import my_supervisor, coffee
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run
rec = viz.record()           # keep every trace event for the views and the player

# %% [markdown]
# ## A supervisor by hand
#
# The book's `my_supervisor` traps exits, starts each child from a `{Module, Function, Args}` triple, and loops:
#
# ```erlang
# loop(ChildList) ->
#     receive
#         {'EXIT', Pid, normal} -> loop(lists:keydelete(Pid, 1, ChildList));
#         {'EXIT', Pid, _Reason} -> loop(restart_child(Pid, ChildList));
#         stop -> terminate(ChildList)
#     end.
# ```
#
# We supervise the plain coffee machine of [chapter 6](06_finite_state_machines.ipynb), pay half a cappuccino, and kill the machine:

# %%
my_supervisor.start("coffee_sup", [(coffee, "start_link", [])])

# %%
coffee.cappuccino(), coffee.pay(100)

# %%
erlang.exit(erlang.whereis("coffee"), "kill")

# %% [markdown]
# The hardware rebooted: the supervisor started a new `coffee` process.
# The half-paid cappuccino is forgotten, because the state lived only in the dead process; a second coin is a coin in the `selection` state, and comes straight back:

# %%
coffee.pay(100)

# %%
my_supervisor.stop("coffee_sup")

# %% [markdown]
# ## Spot the bug
#
# Suppose the coffee machine's `init` crashes every time, say the hardware is unplugged.
# What does `my_supervisor` do? (Do not run it: think.)
#
# <details><summary>Answer</summary>
#
# It restarts the child, which crashes at once, which it restarts, for ever: a busy loop that eats a scheduler and floods the logs, while the system looks "up".
# There is no **restart intensity**: OTP's supervisor counts restarts and gives up when there are more than `intensity` within `period` seconds, passing the problem to *its* supervisor.
# (Also, `restart_child` crashes the supervisor itself if the start function returns an error.)
#
# </details>

# %% [markdown]
# ## The OTP supervisor
#
# With OTP you write only `init`, which returns the supervisor flags and a list of **child specifications**:
#
# ```erlang
# init(_) ->
#     {ok, {#{strategy => one_for_one, intensity => 3, period => 60},
#           [#{id => a, start => {worker, start_link, []}, restart => permanent},
#            #{id => b, start => {worker, start_link, []}}]}}.
# ```
#
# | child spec key | meaning | default |
# |---|---|---|
# | `id` | the child's name inside this supervisor | (required) |
# | `start` | `(module, function, args)` returning `('ok', pid)` | (required) |
# | `restart` | `permanent`, `transient` or `temporary` | `permanent` |
# | `shutdown` | ms to wait after `exit(child, 'shutdown')`, `'brutal_kill'`, or `'infinity'` | 5000 (`infinity` for a `supervisor`) |
# | `type` | `worker` or `supervisor` | `worker` |
#
# Flags left out take OTP's defaults too: `one_for_one`, `intensity` 1, `period` 5.
#
# To study strategies we need a worker that does nothing and a supervisor whose strategy we choose.
# A class works as a callback namespace; `worker` is a process linked to its supervisor that waits for any message and then ends normally:

# %%
class worker:
    def start_link():
        return ("ok", erlang.spawn_link(erlang.receive))

# %%
class demo_sup:
    def init(arg):
        strategy, flags, restarts = arg
        return ("ok", (dict(strategy=strategy, **flags),
                       [{"id": i, "start": (worker, "start_link", []), "restart": r} for i, r in restarts]))

# %% [markdown]
# Three small helpers: start a supervisor with three permanent children `a`, `b`, `c` (unlinked from the shell, so that its death does not kill the shell), find a child's pid, and kill a child, returning the supervisor reports it caused instead of printing them.

# %%
ABC = [("a", "permanent"), ("b", "permanent"), ("c", "permanent")]
def demo(strategy, children=ABC, **flags):
    ok, sup = supervisor.start_link(demo_sup, (strategy, flags, children))
    erlang.unlink(sup)
    return sup

# %%
def child(sup, cid):
    return next(p for i, p, _type, _mods in supervisor.which_children(sup) if i == cid)

# %%
def kill(sup, cid):
    with logger.capture() as reports:
        erlang.exit(child(sup, cid), "kill")
        runtime.run_until_idle()
    return [(r["data"]["errorContext"], r["data"]["reason"]) for r in reports]

# %% [markdown]
# ## Strategies: who else is restarted
#
# `one_for_one` restarts only the child that died.
# `viz.sup_tree` draws the tree; the text form shows each child's pid, status and restart count.

# %%
sup1 = demo("one_for_one", intensity=5, period=60)
print(viz.sup_tree(sup1).text())

# %%
erlang.exit(child(sup1, "b"), "kill")

# %%
viz.sup_tree(sup1)

# %% [markdown]
# Only `b` has a new pid and one restart; the supervisor logged a `child_terminated` report, as OTP's does.
# The text under the supervisor is its **restart budget**: with `intensity` 5 in 60 s, four more restarts are allowed in this period.
#
# `one_for_all` restarts every child when one dies: the others are stopped first, in reverse start order, then all are started again in order.
# The trace of supervisor events shows it:

# %%
sup2 = demo("one_for_all", intensity=5, period=60)
kill(sup2, "b")

# %%
print(viz.sequence(rec, pids=[sup2], kinds=["sup_child"]))

# %% [markdown]
# `rest_for_one` restarts the dead child and every child started **after** it: use it when later children depend on earlier ones (the frequency server depends on its event manager).

# %%
n0 = len(rec.events)
sup3 = demo("rest_for_one", intensity=5, period=60)
kill(sup3, "b")
print(viz.sequence(rec, pids=[sup3], kinds=["sup_child"]))

# %% [markdown]
# `a` kept its pid; `c` was stopped and started again after `b`.

# %% [markdown]
# ## Replaying a restart
#
# Everything above was recorded by `viz.record()`.
# A `viz.Player` moves through the recording like a video: `seek` to an event, `step` forward or back, and each view shows the system as it was at that moment.
# We play back the events since the `rest_for_one` supervisor started (`rec.events[n0:]`), and freeze them while `b` is being restarted:

# %%
p = viz.Player(rec.events[n0:])
marks = [e["seq"] for e in p.events if e["kind"] == "sup_child"]
p.seek(marks[4]).sup_tree()

# %% [markdown]
# Orange is a child being restarted.
# Two supervisor events later, `b` is back and `c`, the child after it, is dead, waiting for its own start:

# %%
print(p.seek(marks[6]).sup_tree().text())

# %% [markdown]
# `p.step()` and `p.back()` move one event at a time, `p.next_message()` to the next message.
# In JupyterLab, `p.live()` adds a slider and step buttons to scrub through the whole recording, and `viz.sup_tree(sup).live()` draws a tree that follows the running system (kill a worker with a click and watch it come back; use `runtime.reset(clock='real')` for that).

# %% [markdown]
# ## Restart types and exit reasons
#
# Whether a dead child is restarted depends on its `restart` type *and* on why it died (checked on real OTP 25):
#
# | restart type | exits `normal` | exits `shutdown` or `('shutdown', _)` | any other reason (crash, `killed`) |
# |---|---|---|---|
# | `permanent` | restarted | restarted | restarted |
# | `transient` | not restarted (kept, pid `undefined`) | not restarted | restarted |
# | `temporary` | not restarted (removed) | not restarted (removed) | not restarted (removed) |
#
# One child of each type; each receives a message, so each ends with reason `normal`:

# %%
types3 = [("p", "permanent"), ("tr", "transient"), ("te", "temporary")]
sup4 = demo("one_for_one", types3, intensity=5, period=60)

# %%
with logger.capture():
    for cid in ["p", "tr", "te"]:
        erlang.send(child(sup4, cid), "stop")
    runtime.run_until_idle()
print(viz.sup_tree(sup4).text())

# %% [markdown]
# The permanent `p` came back with a new pid, the transient `tr` is kept with pid `undefined`, and the temporary `te` is gone from the supervisor altogether.

# %% [markdown]
# ## Restart intensity: giving up
#
# A supervisor allows at most `intensity` restarts within `period` seconds.
# One more, and it stops all its children and exits with reason `shutdown`, so that its own supervisor can try a bigger restart.
# With `intensity` 2 in 5 s, the third kill is one too many:

# %%
sup5 = demo("one_for_one", intensity=2, period=5)
kill(sup5, "a"), kill(sup5, "a")

# %%
kill(sup5, "a")

# %%
print(erlang.is_process_alive(sup5))
print(viz.sup_tree(sup5).text())

# %% [markdown]
# The third kill's reports: a `supervisor_report` for the crash, then one for `reached_max_restart_intensity`, and the supervisor is dead with all its children.
# Spread the same kills out in time and nothing happens: on the virtual clock, `timer.sleep(6000)` between kills makes each restart the only one in its 5 s window.

# %% [markdown]
# ## Shutdown: in reverse order
#
# Stopping a supervisor stops its children in reverse start order, each with `exit(child, 'shutdown')` and up to its `shutdown` time before `kill`.
# A child that traps exits gets the time to clean up (the coffee machine refunds); the others die at once.

# %%
gen_server.stop(sup1)
print(*viz.sequence(rec, pids=[sup1], kinds=["sup_child"]).text().splitlines()[-3:], sep="\n")

# %% [markdown]
# ## The book's trees: the base station
#
# The base station controller of the book is a `rest_for_one` supervisor, `bsc_sup`, over the event manager `freq_overload`, the `frequency` server, and `simple_phone_sup`.
# `simple_phone_sup` is a `simple_one_for_one` supervisor: one child template, no children at start, and one phone controller started per `start_child(sup, [msisdn])`.

# %%
import os, tempfile
from examples.ch8 import bsc_sup, simple_phone_sup
ok, bsc = bsc_sup.start_link(os.path.join(tempfile.mkdtemp(), "bsc.log"))
erlang.unlink(bsc)

# %%
simple_phone_sup.attach_phone(1), simple_phone_sup.attach_phone(2)

# %%
viz.sup_tree(bsc)

# %% [markdown]
# The phones are anonymous children of one template: their id is `undefined`, and only their pids tell them apart.
# Kill the `frequency` server: `rest_for_one` restarts it and, after it, the phone supervisor with its phones gone (they were started after it).

# %%
with logger.capture():
    erlang.exit(erlang.whereis("frequency"), "kill")
    runtime.run_until_idle()
viz.sup_tree(bsc)

# %% [markdown]
# `frequency` and `simple_phone_sup` have new pids, and the phones are gone.
# The ↻ under a child counts *its own* restarts, the times it died and was started again: `frequency` shows ↻1, while `simple_phone_sup`, stopped and started again only because it comes after `frequency`, keeps ↻0.
# That per-child count is the figure's, read from the trace: OTP keeps none (`which_children` and `count_children` have no such number).
# What OTP counts is the supervisor's restarts, against `intensity`: **one per restart, however many children it stops and starts**, so the budget went from 2/2 to 1/2, not to 0/2.
# In OTP 25, a `rest_for_one` supervisor with `intensity` 1 survives one kill of its middle child (the child after it restarted too) and gives up on the second (`tests/oracle_probes/ch8_scaling.erl`); so does this one:

# %%
sup6 = demo("rest_for_one", intensity=1, period=3600)
before = dict((i, pid) for i, pid, _t, _m in supervisor.which_children(sup6))
kill(sup6, "b")
print("alive:", erlang.is_process_alive(sup6), "same pid:", [i for i, pid, _t, _m in supervisor.which_children(sup6) if before[i] == pid])
kill(sup6, "b")
print("kill b again, alive:", erlang.is_process_alive(sup6))

# %% [markdown]
# ## Supervising a process that is not OTP-compliant
#
# A supervisor only needs its child's start function to return `('ok', pid)` of a linked process, so a plain `spawn_link` loop can be supervised: it is restarted when it dies.
# What it lacks is everything `proc_lib` and `sys` give a behaviour: it does not answer system messages, so `sys` calls (and release upgrades) time out on it, and it only stops if the exit signal stops it.
# One plain child, and one that traps exits and ignores them (`tests/oracle_probes/plainchild.erl` gives the same in OTP 25):

# %%
from otp_lite import sys as osys
from otp_lite.erlang import Exit

def plain_loop():
    while True:
        m = erlang.receive()
        if type(m) is tuple and m[0] == "ping":
            erlang.send(m[1], "pong")

class PlainSup:
    def start_plain(trap):
        def body():
            erlang.process_flag("trap_exit", trap)
            plain_loop()
        return ("ok", erlang.spawn_link(body))

    def init(_):
        return ("ok", ({"strategy": "one_for_one", "intensity": 5, "period": 10},
                       [{"id": "plain", "start": (PlainSup, "start_plain", [False]), "shutdown": 500},
                        {"id": "deaf", "start": (PlainSup, "start_plain", [True]), "shutdown": 500}]))

with logger.capture() as reports:
    _, psup = supervisor.start_link(PlainSup, [])
    (_, deaf, _, _), (_, plain, _, _) = supervisor.which_children(psup)
    erlang.send(plain, ("ping", erlang.self()))
    print("the plain child answers:", erlang.receive("pong"))
    try:
        osys.get_state(plain, 100)
    except Exit as e:
        print("sys.get_state(plain, 100) exits:", e.reason)
    t0 = rt.now_ms()
    r = supervisor.terminate_child(psup, "deaf")
    print(f"terminate_child('deaf') -> {r} after {rt.now_ms() - t0:.0f} ms; alive: {erlang.is_process_alive(deaf)}")
    print(f"terminate_child('plain') -> {supervisor.terminate_child(psup, 'plain')}; alive: {erlang.is_process_alive(plain)}")
print([r["kind"] for r in reports])

# %% [markdown]
# The deaf child cost its supervisor the whole 500 ms shutdown timeout and was then killed (the captured supervisor report is the `shutdown_error`).
# Start such code with `proc_lib` and answer system messages (chapter 10 shows how), or wrap it in a behaviour; the book's rule is that everything in a supervision tree should be OTP-compliant.

# %% [markdown]
# ## Scalability and short-lived processes
#
# `start_child` is a synchronous call to the supervisor, and the supervisor runs the child's start function itself: it waits until the child's `init` has returned before it reads its next message.
# It also receives the `EXIT` of every child that ends.
# With many short-lived children, say one per request, every start and every exit goes through that one process.
# Our jobs are `temporary` children of a `simple_one_for_one` supervisor; each takes 50 ms in `init` (before `proc_lib.init_ack`), then works 500 ms and ends normally:

# %%
from otp_lite import proc_lib

class jobs:
    def init(_):
        return ("ok", ({"strategy": "simple_one_for_one", "intensity": 1, "period": 5},
                       [{"id": "job", "start": (jobs, "start_job", []), "restart": "temporary"}]))

    def start_job():
        return proc_lib.start_link(jobs.job_init, [])

    def job_init():
        timer.sleep(50)                              # setting up: the supervisor waits for this
        proc_lib.init_ack(("ok", erlang.self()))     # start_link returns here
        timer.sleep(500)                             # the job itself, then a normal exit

ok, jsup = supervisor.start_link(jobs, [])
erlang.unlink(jsup)
for _ in range(3):
    supervisor.start_child(jsup, [])
print("3 jobs started:", supervisor.count_children(jsup))
timer.sleep(600)
print("after they exit normally:", supervisor.which_children(jsup), supervisor.count_children(jsup))

# %% [markdown]
# A temporary child that ends is forgotten at once: nothing is left to restart, and `count_children` is back to one spec and no child.
# Now eight clients ask for a job at the same moment, through one supervisor, and then through a pool of four picked by hashing a key (the request number: `n % 4`, what `erlang:phash2(Key, 4)` does for any term).
# Each client notes when its `start_child` returned; 25 ms in, we look at the supervisors' message queues:

# %%
def race(k):
    sups = [supervisor.start_link(jobs, [])[1] for _ in range(k)]
    for s in sups:
        erlang.unlink(s)
    me, t0 = erlang.self(), rt.now_ms()
    for n in range(1, 9):
        def client(n=n):
            supervisor.start_child(sups[n % k], [])
            erlang.send(me, ("started", n, rt.now_ms() - t0))
        erlang.spawn(client)
    timer.sleep(25)
    queues = [erlang.process_info(s, "message_queue_len")[1] for s in sups]
    started = sorted(erlang.receive(("started", ANY, ANY)) for _ in range(8))
    reds = [erlang.process_info(s, "reductions")[1] for s in sups]
    print(f"{k} supervisor(s): queues at 25 ms {queues}, started after (ms) {[t for _, _, t in started]}, reductions {reds}")
    timer.sleep(600)

race(1)
race(4)

# %% [markdown]
# One supervisor starts the jobs one after the other: seven requests wait in its queue, and the last client waits 400 ms for a job that takes 50 ms to set up.
# Four supervisors split the requests and the work: nobody waits more than 100 ms.
# OTP 25 gives the same queues and, in 50 ms steps, the same waits (`tests/oracle_probes/ch8_scaling.erl`).
# The reductions are otp_lite's count (one per message sent or received), smaller than the BEAM's, which counts function calls too; what they show is that one process did all the work.
# otp_lite runs every process on one OS thread, so the pool here overlaps only the waiting; on the BEAM each supervisor of the pool can also run on its own scheduler, on its own core.
#
# The other way out is not to put short-lived jobs under a supervisor at all.
# A temporary child is never restarted, so per request the supervisor buys little: its place in the tree, an ordered shutdown, a view in `which_children`.
# The process that owns the request (a connection, a session) can `spawn_link` the job itself; if either crashes, the link takes the other down, and the owner is the one that is supervised:

# %%
me, t0 = erlang.self(), rt.now_ms()
for n in range(1, 9):
    def client(n=n):
        jobs.start_job()                             # linked to the client, no supervisor
        erlang.send(me, ("started", n, rt.now_ms() - t0))
    erlang.spawn(client)
print("not supervised: started after (ms)", [t for _, _, t in sorted(erlang.receive(("started", ANY, ANY)) for _ in range(8))])
_ = timer.sleep(600)                                 # the jobs end

# %% [markdown]
# Keeping `init` short helps whatever you choose: do the slow setup after `init_ack` (in a `gen_server`, return `('ok', state, ('continue', 'setup'))` from `init` and do it in `handle_continue`), so that the supervisor is free again at once.

# %% [markdown]
# ## Testing your supervision strategy
#
# A supervision strategy is a claim: "these kills are survived, that many in a burst are not".
# Test it the way the book suggests, by killing processes and watching the tree: here with a fixed seed, so that the same kills happen on every run.
# Because every start is synchronous (`start_link` returns after `init`, [chapter 10](10_special_processes.ipynb)), each restart is finished before the next kill, and the run is reproducible.
# A tree of two levels: `top` over `l0` and `l1`, each over workers `w0`, `w1`, `w2`; every supervisor `one_for_one` with at most 2 restarts in 2 s.
# Each step waits 0 or 3 s (virtual), kills one worker, and notes which supervisors got a new pid or are gone:

# %%
import random

class fi:
    def init(kids):
        flags = {"strategy": "one_for_one", "intensity": 2, "period": 2}
        if kids == "top":
            return ("ok", (flags, [{"id": l, "start": (supervisor, "start_link", [("local", l), fi, "leaf"]),
                                    "type": "supervisor"} for l in ["l0", "l1"]]))
        return ("ok", (flags, [{"id": w, "start": (worker, "start_link", [])} for w in ["w0", "w1", "w2"]]))

ok, top = supervisor.start_link(("local", "top"), fi, "top")
erlang.unlink(top)
rng = random.Random(0)
plan = [(rng.choice([0, 0, 3]), f"l{rng.randrange(2)}", f"w{rng.randrange(3)}") for _ in range(20)]
t = 0
with logger.capture() as fi_reports:
    for n, (gap, leaf, w) in enumerate(plan):
        timer.sleep(gap * 1000)
        t += gap
        was = {s: erlang.whereis(s) for s in ["top", "l0", "l1"]}
        erlang.exit(child(leaf, w), "kill")
        runtime.run_until_idle()
        changed = [s for s in ["top", "l0", "l1"] if erlang.whereis(s) != was[s]]
        print(f"{n} t={t}s kill {leaf}/{w}: sups with a new pid or gone {changed}")
        if erlang.whereis("top") == "undefined":
            print("top gave up")
            break
print("gave up:", [r["data"]["supervisor"][1] for r in fi_reports if r["data"].get("reason") == "reached_max_restart_intensity"])

# %% [markdown]
# At t=0 `l1` lost three workers at once: its third restart in 2 s was one too many, it gave up, and `top` restarted it (one restart for `top`).
# At t=3 s every window had passed: three kills, three quiet restarts.
# At t=6 s `l0` gave up, then `l1`, then `l0` again: three restarts for `top` within 2 s, so `top` gave up too, and the whole tree is gone.
# Five `reached_max_restart_intensity` reports, in that order.
# `tests/oracle_probes/ch8_fault_injection.erl` runs the same plan on OTP 25 and prints the same fifteen lines.
# Change the seed, the intensities or a strategy and run again: the test tells you which bursts your tree survives.

# %% [markdown]
# ### Faults at every moment: exploring where the kill lands
#
# The plan above kills at fixed moments, each after the tree has settled.
# A real fault lands anywhere: in the middle of a call, between a worker's reply and the next request.
# `otp_lite.explore` ([chapter 3](03_behaviours.ipynb)) makes that moment a choice: it runs a test under many schedules, and the kill comes before, during or after the client's call.
# A small tree: `data_sup` over a `store` (a dict) and a `cache` in front of it that keeps every value it has written or read.
# The cache depends on the store: its copies are right only as long as the store keeps its data.

# %%
from otp_lite import explore
from otp_lite.erlang import Exit

class store:
    """The data: a dict, registered as 'store'. ('put', k, v) and ('get', k)."""
    def init(_): return ("ok", {})
    def handle_call(req, _from, d):
        if req[0] == "put":
            return ("reply", "ok", {**d, req[1]: req[2]})
        return ("reply", d.get(req[1], "none"), d)
    def handle_cast(msg, d): return ("noreply", d)

class cache:
    """A cache in front of the store, registered as 'cache': writes go through, reads are kept."""
    def init(_): return ("ok", {})
    def handle_call(req, _from, c):
        if req[0] == "put":
            gen_server.call("store", req)
            return ("reply", "ok", {**c, req[1]: req[2]})
        if req[1] not in c:
            c = {**c, req[1]: gen_server.call("store", req)}
        return ("reply", c[req[1]], c)
    def handle_cast(msg, c): return ("noreply", c)

class data_sup:
    def init(strategy):
        return ("ok", ({"strategy": strategy, "intensity": 5, "period": 10},
                       [{"id": name, "start": (gen_server, "start_link", [("local", name), mod, [], []])}
                        for name, mod in [("store", store), ("cache", cache)]]))

# %% [markdown]
# The test: a fault kills the store while the shell writes through the cache.
# The write may fail if it meets the fault; that is allowed.
# The claim the strategy must keep: once the supervisor has restarted what it restarts, the cache and the store agree.

# %%
def kill_while_writing(strategy):
    def test():
        supervisor.start_link(("local", "data_sup"), data_sup, strategy)
        erlang.spawn(lambda: erlang.exit(erlang.whereis("store"), "kill"))   # the fault
        try:
            gen_server.call("cache", ("put", "x", 1))
        except Exit:
            pass                                      # the write met the fault
        timer.sleep(100)                              # the restarts are over
        seen = gen_server.call("cache", ("get", "x")), gen_server.call("store", ("get", "x"))
        assert seen[0] == seen[1], f"the cache says {seen[0]!r}, the store {seen[1]!r}"
    return test

# %% [markdown]
# With `one_for_one`, a plain run passes: the kill lands while the write is on its way to the store, the cache's call fails, the cache crashes too, and both come back empty.
# 300 seeded random schedules find one that does not (in every run `<0.80.0>` is the shell, `<0.81.0>` the supervisor, `<0.82.0>` the store, `<0.83.0>` the cache, `<0.84.0>` the fault):

# %%
with logger.capture():
    kill_while_writing("one_for_one")()
print("plain run: passed")
found = explore.run(kill_while_writing("one_for_one"), runs=300, seed=0)
print(found.found, "after", found.runs, "schedules; schedule", repr(found.schedule))
print(*found.explain(), sep="\n")
print(found.reason)

# %% [markdown]
# In that schedule the cache and the store answer the write before the fault runs.
# Then the store is killed and `one_for_one` starts a new, empty one; the cache lives on with its copy of `x`, a value the system no longer has.
# `rest_for_one` is the strategy for "the children after me depend on me": the cache, started after the store, is restarted with it, empty.
# The same 300 schedules, then every schedule within two delays of the plain one, pass:

# %%
print(explore.run(kill_while_writing("rest_for_one"), runs=300, seed=0))
print(explore.run(kill_while_writing("rest_for_one"), strategy="dfs", delays=2, runs=1000))

# %% [markdown]
# OTP 25 gives the same answers when the failing interleaving is forced by hand (`tests/oracle_probes/ch26_stale_cache.erl`: `one_for_one: cache 1, store none`, `rest_for_one: cache none, store none`).
# `explore.replay(kill_while_writing("one_for_one"), found.schedule)` runs the failing schedule again, with the same pids and the same trace.
# A fixed kill plan tests how many faults a tree survives; exploring where a fault lands tests what the strategy promises about the state the children keep.
# (Each exploration ran in runtimes of its own, and left a fresh one behind: the processes of the cells above are gone.)

# %% [markdown]
# ## How does this compare?
#
# Most languages handle errors where they happen, with exceptions.
# A bank transfer on a shared dict, with a failing step (a full audit log) between its two halves, and a `try`/`except` that "handles" it (`examples/ch8/bank.py`):

# %%
from examples.ch8 import bank
accounts = dict(bank.OPENING)
try:
    bank.python_transfer(accounts, "alice", "bob", 30, bank.broken_audit)
except OSError as e:
    print("caught:", e)
print(accounts, "total:", sum(accounts.values()))

# %% [markdown]
# The exception was caught, and the program goes on with 30 units gone: the handler cannot know how far the update got, and every thread sharing `accounts` now sees the broken state.
# The same transfer in a `gen_server` under a supervisor: the server crashes in the middle, the half-updated balances die with its process, the caller's call exits, and the supervisor starts a new server from `init`:

# %%
from otp_lite.erlang import Exit
ok, banksup = bank.bank_sup.start_link()
erlang.unlink(banksup)
old = erlang.whereis("bank")
with logger.capture():
    try:
        bank.transfer("alice", "bob", 30, bank.broken_audit)
    except Exit as e:
        print("the call exits:", repr(e.reason[0][0]))
    runtime.run_until_idle()
print(bank.balances(), "new pid:", old != erlang.whereis("bank"))
print(bank.transfer("alice", "bob", 30, lambda *a: None), bank.balances())

# %% [markdown]
# The failed transfer left no trace in the balances, the caller knows it failed, and the next one works.
# The price: a restart starts from `init`'s state, not the last good one, so state worth keeping lives elsewhere: an ETS table owned by a longer-lived process, a database ([chapter 14](14_systems_that_never_stop.ipynb) comes back to it).
# Elsewhere:
#
# - **Akka** (JVM) took supervision from Erlang: a parent actor's strategy (one-for-one or all-for-one, at most *n* retries within a time range) decides to resume, restart, stop, or escalate; a restart makes a fresh actor instance, while *resume* keeps the old state, which OTP does not offer.
# - **systemd** restarts an OS process with `Restart=on-failure` or `always`, and gives up after `StartLimitBurst=` starts within `StartLimitIntervalSec=` (5 in 10 s by default): restart intensity for whole programs.
# - **Kubernetes** restarts a pod's containers by `restartPolicy`: `Always`, `OnFailure`, `Never` (compare `permanent`, `transient`, `temporary`); instead of giving up it backs off, 10 s, 20 s, 40 s, up to five minutes (`CrashLoopBackOff`).
#
# Those supervise OS processes or containers, and a restart takes a second or more; an Erlang process is small, starts in microseconds, and shares no memory with its neighbours, so the unit that fails and restarts can be one request, one phone, one connection.

# %% [markdown]
# ## Try it
#
# **1.** Start `demo("one_for_one", intensity=2, period=5)` and kill child `a` three times with `timer.sleep(6000)` between kills. Is the supervisor alive?
#
# <details><summary>Answer</summary>
#
# Yes: each restart is alone in its 5 s window, so the budget never runs out (the tree shows `budget 1/2` after each).
#
# </details>
#
# **2.** In the restart-types table, the transient child `tr` stays in `which_children` with pid `undefined`. How do you start it again? (The explorations above left a fresh runtime: run the restart-types cells again first.)
#
# <details><summary>Answer</summary>
#
# `supervisor.restart_child(sup4, "tr")` starts it from its spec; `supervisor.delete_child(sup4, "tr")` removes the spec instead.
#
# </details>
#
# **3.** Why does the book make `frequency` come after `freq_overload` under a `rest_for_one` supervisor, rather than `one_for_one`?
#
# <details><summary>Answer</summary>
#
# The frequency server notifies `freq_overload`; if the manager restarts, its handlers and what they knew (the counters, an alarm already set) are gone, so the server restarts too and both start afresh, in step.
# A crash of the server alone needs no new manager.
# That one-way dependency is exactly `rest_for_one`.
#
# </details>

# %% [markdown]
# ## What you saw
#
# - A hand-written supervisor restarts children but has no restart limit; OTP's adds strategies, restart types, intensity and ordered shutdown.
# - `one_for_one` restarts the dead child, `one_for_all` all of them, `rest_for_one` the dead child and those started after it.
# - A plain `spawn_link` process can be supervised, but `sys` calls time out on it and one that ignores `shutdown` costs the whole shutdown timeout: keep a tree OTP-compliant.
# - `permanent` children always come back, `transient` ones only after a crash, `temporary` ones never.
# - Too many restarts in the period: the supervisor stops everything and exits `shutdown`, escalating to its own supervisor.
# - `simple_one_for_one` starts many children from one template, like the phones of the base station.
- A supervisor counts its restarts, one per restart however many children it restarts; the figure's ↻ counts each child's own.
- Every `start_child` waits in one supervisor's queue: a pool of supervisors, or short-lived jobs linked to their owner instead, keeps it from becoming the bottleneck.
- Fault injection with a fixed seed tests a strategy: which bursts the tree survives and where it gives up, exactly as OTP would.
# - Exploring where a fault lands tests what a strategy promises about state: under `one_for_one` a cache outlives the store it copies, `rest_for_one` restarts it with the store (300 random schedules and every schedule within two delays pass).
- An exception handler leaves shared state half-updated; a crashed process takes its state with it and restarts clean (Akka, systemd and Kubernetes restart things too, bigger ones).
# - `viz.sup_tree` and `viz.Player` show the tree now, and as it was at any recorded moment.
#
# Graded lab: [labs/08_bsc_supervision](../labs/08_bsc_supervision/README.md) (`make grade LAB=08_bsc_supervision`), the whole base station tree.
#
# Next: [chapter 9](09_applications.ipynb), applications.
