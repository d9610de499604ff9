# Source of notebooks/10_special_processes.ipynb: edit here, then run `python tools/nbbuild.py 10`.

# %% [markdown]
# # 10 · Special Processes and Your Own Behaviours
#
# The behaviours of chapters 4 to 9 cover almost every process you will write.
# Almost: sometimes a process needs a receive loop of its own, for speed, or because no behaviour fits (a mutex waits for *one* kind of message in each state and leaves the rest queued, which `gen_server`, taking messages in arrival order, cannot do).
# Such a process can still be a good OTP citizen, a **special process**: it starts synchronously, answers `sys`, and dies with its parent.
# Chapter 10 of the book builds a mutex in four stages, then a behaviour of its own, `tcp_wrapper`.
# The Python versions live in `examples/ch10/`.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
from otp_lite import runtime, erlang, proc_lib, behaviour, logger, timer, viz
from otp_lite import application, gen_event, supervisor, release_handler
from otp_lite import sys as osys   # `sys` is taken by Python's own module
from otp_lite.erlang import ANY, Exit, ErlangError
from examples.ch10 import mutex0, mutex1, mutex2, mutex

# %%
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run
rec = viz.record()           # keep every trace event for the sequence chart

# %% [markdown]
# What a process needs to be a good citizen, and which stage of the mutex adds it:
#
# | requirement | how | mutex stage |
# |---|---|---|
# | wait for one kind of message per state | a receive loop of its own | `mutex0` |
# | start synchronously, carry its ancestors | `proc_lib.start_link` + `proc_lib.init_ack` | `mutex1` |
# | die with its parent, clean up | trap exits, handle `('EXIT', parent, reason)` | `mutex2` |
# | answer `sys` (state, suspend, trace) | `sys.handle_system_msg`, `sys.handle_debug` | `mutex` |

# %% [markdown]
# ## Stage 0: a plain process
#
# The mutex has two states: `free` takes the first `wait`, `busy` takes only the holder's `signal`.
# Everybody else's `wait` stays in the mailbox, oldest first: the waiters queue up by themselves.
#
# ```erlang
# free() ->
#     receive
#         {wait, Pid} -> Pid ! {self(), ok}, busy(Pid);
#         stop -> terminate()
#     end.
# busy(Pid) ->
#     receive {signal, Pid} -> free() end.
# ```
#
# `mutex0.start` spawns the process, which registers its name when it first runs:

# %%
m0 = mutex0.start("m0")
erlang.whereis("m0")

# %% [markdown]
# `'undefined'`: `spawn` returned before the new process ran, so a `wait` in the same cell would fail with `badarg`.
# Between cells the runtime runs, and now the name is there:

# %%
mutex0.wait("m0")

# %% [markdown]
# We hold the mutex.
# Can `sys` tell us its state? Ask, with a short timeout:

# %%
try:
    osys.get_state("m0", 100)
except Exit as e:
    print(e.reason)

# %%
erlang.process_info(m0, "messages")

# %% [markdown]
# The process never answers system messages: the request sits in its mailbox for ever, a small leak.
# We let go of the mutex and stop it:

# %%
mutex0.signal("m0")
mutex0.stop("m0")

# %% [markdown]
# ## Stage 1: started with proc_lib
#
# `proc_lib.start_link` spawns, links and **waits** until the new process calls `proc_lib.init_ack(...)`, so the name is registered when it returns:

# %%
ok, m1 = mutex1.start_link("m1")
erlang.whereis("m1") == m1

# %% [markdown]
# `proc_lib` also puts the process's ancestors and initial call in its dictionary, which crash reports and `sys.get_status` show:

# %%
erlang.process_info(m1, "dictionary")

# %% [markdown]
# Stage 1 traps exits, but what happens when its parent dies?
# A small parent process starts a mutex and dies when told:

# %%
def parent(module, name):
    module.start_link(name)
    erlang.receive("die")
    erlang.exit("gone")

# %%
p1 = erlang.spawn(parent, mutex1, "orphan")
erlang.send(p1, "die")

# %%
orphan = erlang.whereis("orphan")
erlang.is_process_alive(orphan), erlang.process_info(orphan, "messages")

# %% [markdown]
# The parent is gone, but the mutex lives on: the parent's `EXIT` became a message that no state ever receives.
# Under a supervisor it is no better: the supervisor's `shutdown` signal also becomes an ignored message, so the supervisor waits out the child's shutdown time and then kills it (with `infinity`, it waits for ever).
# And when the parent dies, as here, nobody stops the orphan at all.

# %% [markdown]
# ## Stage 2: dying with its parent
#
# `mutex2` also receives `('EXIT', parent, reason)` in both states.
# Then it kills the holder (linked to it when the mutex was granted) and every process still waiting, with the parent's reason, and exits.
# A parent, a holder and two waiters, each watched by a monitor:

# %%
p2 = erlang.spawn(parent, mutex2, "m2")

# %%
holder = erlang.spawn(lambda: (mutex2.wait("m2"), erlang.receive()))
waiters = [erlang.spawn(mutex2.wait, "m2") for _ in range(2)]

# %%
refs = [erlang.monitor("process", p) for p in [holder] + waiters]
with logger.capture() as reports:
    erlang.send(p2, "die")
    runtime.run_until_idle()
[erlang.receive(("DOWN", r, ANY, ANY, ANY))[4] for r in refs], erlang.whereis("m2")

# %% [markdown]
# All three died with the parent's reason `gone`, and the name is free again.
# The mutex itself exited with `gone`, an abnormal reason, so `proc_lib` logged a crash report for it:

# %%
print(*reports[0]["text"][:5], sep="\n")

# %% [markdown]
# ## Stage 3: a full special process
#
# The last stage answers **system messages** in both states.
# `sys` sends `('system', From, Request)`; the process hands it to `sys.handle_system_msg` with its parent, its debug options and its state data:
#
# ```erlang
# free(Name, Parent, Debug) ->
#     receive
#         {wait, Pid} -> ...;
#         {system, From, Msg} ->
#             sys:handle_system_msg(Msg, From, Parent, ?MODULE, Debug, {free, Name});
#         {'EXIT', Parent, Reason} -> terminate(Reason, Name)
#     end.
#
# system_continue(Parent, Debug, {free, Name}) -> free(Name, Parent, Debug);
# system_continue(Parent, Debug, {busy, Name, Pid}) -> busy(Pid, Name, Parent, Debug).
# ```
#
# Erlang's `handle_system_msg` never returns: it calls `system_continue` (or `system_terminate`) in your module.
# Python has no tail calls, so ours **returns** `(debug, misc)` and the loop goes on in the state `misc` names.
# Each event the mutex wants traced goes through `sys.handle_debug(deb, format_fun, name, event)`; the mutex formats its own lines.
# Started with the `trace` debug option (the book's code run on OTP 25 prints the same lines):

# %%
ok, m = mutex.start_link("printer", ["trace"])

# %%
mutex.wait("printer")

# %%
osys.get_state("printer")

# %% [markdown]
# The state is the `misc` term: `busy`, the name, and the holder (the shell).
# A client that wants the mutex now waits in the mutex's mailbox:

# %%
def client(name="printer"):
    print(f"client {erlang.self()} waiting")
    mutex.wait(name)
    print(f"client {erlang.self()} got the mutex")
    mutex.signal(name)
c = erlang.spawn(client)

# %%
erlang.process_info(m, "message_queue_len")

# %%
mutex.signal("printer")

# %% [markdown]
# Our `signal` freed the mutex, it granted the waiting client, which printed and signalled in turn.
# `sys.get_status` shows what `proc_lib` and `sys` know: initial call, ancestors, `running`, the parent, the debug options, the state:

# %%
osys.trace("printer", False)
osys.get_status("printer")

# %% [markdown]
# `sys.suspend` makes the mutex handle only system messages.
# A client that asks for the mutex now waits until `sys.resume`:

# %%
osys.suspend("printer")
c2 = erlang.spawn(client)

# %%
osys.get_status("printer")[3][1], erlang.process_info(m, "message_queue_len")

# %%
osys.resume("printer")

# %% [markdown]
# ## Waiters are served in order
#
# A new mutex, `fifo`, and three clients that ask while the shell holds it.
# The mutex in `busy` picks the holder's `signal` out of its mailbox (a *selective* receive, past the waiting `wait`s), then, `free` again, takes the oldest `wait`:

# %%
n0 = len(rec.events)
ok, f = mutex.start_link("fifo")
mutex.wait("fifo")
cs = [erlang.spawn(client, "fifo") for _ in range(3)]

# %%
mutex.signal("fifo")

# %%
viz.sequence(rec.events[n0:], pids=[erlang.self(), f] + cs, kinds=["send", "receive"])

# %% [markdown]
# `<0.80.0>` is the shell.
# Each orange diamond is a selective receive: the `signal` was taken while older `wait`s stayed queued.
# The grants go to the clients in the order they asked: a FIFO queue, for free, from the mailbox.

# %% [markdown]
# ## A mutex bug that one schedule in hundreds shows
#
# A learner extends stage 0's mutex: if the holder dies without a `signal`, the lock should be free again.
# `free` monitors the new holder; `busy` takes the holder's `signal` (and demonitors), or a `'DOWN'`.
# Only the holder is ever monitored, so any `'DOWN'` must be the holder's: or must it?

# %%
from otp_lite import explore, ets
from otp_lite.erlang import TIMEOUT

def guarded_mutex(flush):
    """Stage 0's mutex, plus: a holder that dies frees the lock."""
    def loop():
        while True:
            _, pid = erlang.receive(("wait", ANY))                 # free
            ref = erlang.monitor("process", pid)
            erlang.send(pid, (erlang.self(), "ok"))
            msg = erlang.receive(("signal", pid), ("DOWN", ANY, "process", ANY, ANY))   # busy
            if msg[0] == "signal":
                erlang.demonitor(ref, flush=flush)
    return loop

# %% [markdown]
# The test: three clients take the lock, each counts itself in and out of an ETS counter inside it, then writes eight result rows outside it and ends.
# A client that finds somebody else inside tells the shell.

# %%
def three_clients(mutex_loop):
    def test():
        t = ets.new("lock_test", ["public"])
        ets.insert(t, ("inside", 0))
        erlang.register("lock", erlang.spawn(mutex_loop))
        me = erlang.self()

        def client():
            mutex0.wait("lock")                                   # stage 0's client API
            if ets.update_counter(t, "inside", 1) > 1:
                erlang.send(me, "overlap")                        # somebody else is inside too
            ets.update_counter(t, "inside", -1)
            mutex0.signal("lock")
            for row in range(8):                                  # work outside the lock
                ets.insert(t, ((erlang.self(), row), "result"))
            erlang.send(me, "done")

        for _ in range(3):
            erlang.spawn(client)
        for _ in range(3):
            erlang.receive("done")
        assert erlang.receive("overlap", timeout=0) is TIMEOUT, "two clients were inside the lock at once"
    return test

three_clients(guarded_mutex(flush=False))()     # a plain run
print("plain run: passed")

# %% [markdown]
# Seeded random schedules do find the bug, but only now and then.
# Ten seeds, at most 1000 schedules each: how many runs until the first failure?

# %%
buggy = three_clients(guarded_mutex(flush=False))
tries = [explore.run(buggy, runs=1000, seed=s, shrink=False) for s in range(10)]
print("random:", [r.runs if r.found else "not in 1000" for r in tries])
tries = [explore.run(buggy, strategy="pct", runs=1000, seed=s, shrink=False) for s in range(10)]
print("pct:   ", [r.runs if r.found else "not in 1000" for r in tries])
found = explore.run(buggy, strategy="dfs", delays=1, runs=1000)
print("dfs, one delay:", found.runs)

# %% [markdown]
# Random needs a few hundred schedules on average, and its luck varies widely from seed to seed.
# PCT, which gives each process a priority and keeps a low-priority one waiting, finds it sooner; a depth-first search over every schedule that departs from the plain one by **one** delay finds it within a few dozen.
# The failing schedule, and where it departs from the plain scheduler (`<0.80.0>` is the shell, `<0.81.0>` the mutex, `<0.82.0>` to `<0.84.0>` the clients):

# %%
print(found.reason)
print(repr(found.schedule), f"({found.preemptions} preemption(s))")
print(*found.explain(), sep="\n")

# %% [markdown]
# The failing run, drawn by `viz.sequence` with the schedule's choice points marked (a star where it picked a process, a square where it preempted one):

# %%
viz.sequence(explore.replay(buggy, found.schedule), kinds=["send", "receive"])

# %% [markdown]
# One departure is enough, because the plain run is already broken; it only does not show it.
# The first client, `<0.82.0>`, signals and goes on (the plain scheduler lets a running process run): it writes its rows, sends `done` and ends, and its `'DOWN'` (orange) reaches the mutex **before** the mutex has taken the `signal`.
# `demonitor(ref)` cannot take back a `'DOWN'` that is already in the mailbox: chapter 3's stale `'DOWN'` (`tests/oracle_probes/ch26_mutex_down.erl` forces the same order in OTP 25: the third client is granted while the second holds the lock).
# The second client's `busy` takes that old `'DOWN'` as its own holder's death and frees the lock, so the third, `<0.84.0>`, is granted at once, and finds `<0.83.0>` inside.
# In the plain run the second client counts itself in and out before the third runs, and nobody sees two inside; the failing schedule interrupts it in between.
# Random schedules rarely get both: the mutex kept waiting through all nine steps a client takes after its `signal`, *and* the interruption at the right place.
# The fix is chapter 3's: `demonitor(ref, flush=True)` (matching `('DOWN', ref, ...)` in `busy` works too).
# The fixed mutex passes 300 random schedules, and every schedule within two delays:

# %%
fixed = three_clients(guarded_mutex(flush=True))
print(explore.run(fixed, runs=300, seed=0))
print(explore.run(fixed, strategy="dfs", delays=2, runs=2000))

# %%
# explore leaves a fresh runtime behind: start `printer` again for "Try it"
ok, m = mutex.start_link("printer")

# %% [markdown]
# ## Dynamic modules and hibernating
#
# Two details finish a special process.
# First, **hibernation**: a process that waits a long time between messages can call `proc_lib:hibernate(Module, Function, Args)` instead of `receive`.
# It throws its stack away, waits for the next message, then calls `Module:Function(Args...)` afresh; it never returns.
# `examples/ch10/hib_mutex.py` is the stage-3 mutex ending every state with `proc_lib.hibernate(state, args)`:

# %%
from examples.ch10 import hib_mutex
ok, hm = hib_mutex.start_link("lock")

# %%
erlang.process_info(hm, ["current_function", "status"])

# %% [markdown]
# `('erlang', 'hibernate', 3)`: OTP's `proc_lib:hibernate` calls `erlang:hibernate/3`, and `process_info` shows that on OTP 25 too (`tests/oracle_probes/ch10_dynamic.erl`).
# A message wakes it; the mutex grants the lock and hibernates again, now in `busy`:

# %%
hib_mutex.wait("lock")
erlang.process_info(hm, "current_function"), osys.get_state("lock")

# %%
hib_mutex.signal("lock")
osys.get_state("lock")

# %% [markdown]
# Python has no tail calls, so `proc_lib.hibernate` unwinds the stack with an exception that `proc_lib` catches at the bottom of the process, waits there, and calls the next state: a thousand rounds leave no thousand frames.
# What otp_lite does not do (simulated): BEAM also garbage-collects the hibernating process and shrinks its heap to fit, which is the point of hibernating, and waking costs that work back.
#
# Second, **dynamic modules**.
# Chapter 8's child specs list a child's `modules`, so that the release handler of chapter 12 knows which processes to suspend when a module changes.
# A `gen_event` manager cannot say in advance which handler modules it will run, so its child spec says `modules: 'dynamic'`, and at upgrade time the release handler asks the process itself with a `get_modules` request (`gen:call(Pid, self(), get_modules)`).
# A special process with dynamic modules must answer that request too; `hib_mutex` replies with the modules it runs.
# A small application with a manager and a mutex, both `dynamic`:

# %%
class alarm_h:
    def init(args): return ("ok", args)
    def handle_event(event, state): return ("ok", state)

class alarm_sup:
    def init(_):
        return ("ok", ({"strategy": "one_for_one"},
                       [{"id": "alarms", "start": (gen_event, "start_link", [("local", "alarms")]), "modules": "dynamic"},
                        {"id": "lock2", "start": (hib_mutex, "start_link", ["lock2"]), "modules": "dynamic"}]))

class alarm_app:
    def start(start_type, args): return supervisor.start_link(("local", "alarm_sup"), alarm_sup, [])
    def stop(state): return "ok"

# %%
application.load(("application", "alarm", [("vsn", "1.0"), ("mod", (alarm_app, []))]))
application.start("alarm")
gen_event.add_handler("alarms", alarm_h, [])
supervisor.which_children("alarm_sup")

# %% [markdown]
# `which_children` only says `dynamic`.
# `release_handler.get_supervised_procs()` (OTP's `release_handler_1:get_supervised_procs/0`) walks every running application's tree as the release handler does, asks each dynamic child, and ends with the top supervisor and its callback module (`supervisor:get_callback_module`):

# %%
release_handler.get_supervised_procs()

# %% [markdown]
# The manager answered with its handlers' modules, sorted (OTP: `{ok, [ch10_dynamic, ch10_dynamic_h]}` for two handlers), the mutex with its own list.
# So an upgrade of `alarm_h` suspends the manager, though no child spec names `alarm_h`:

# %%
release_handler.procs_using("alarm_h") == [erlang.whereis("alarms")]

# %% [markdown]
# ## Your own behaviour: tcp_wrapper
#
# The second half of the chapter goes one step further: a special process that is **generic**, with the specific part in a callback module, a behaviour of your own.
# `tcp_wrapper` listens on a port and spawns one request process per connection; the callback module says what to do with the bytes:
#
# ```erlang
# -module(tcp_wrapper).
# -callback init_request() -> {ok, LoopData :: term()}.
# -callback get_request(Data :: binary(), LoopData :: term()) -> {ok, term()} | {stop, Reason :: term(), term()}.
# -callback stop_request(Reason :: term(), LoopData :: term()) -> term().
# ```
#
# `otp_lite.behaviour.define` is `-callback` in Python:

# %%
from examples.ch10 import tcp_wrapper, tcp_print, mem_tcp
tcp_wrapper.BEHAVIOUR, behaviour.behaviour_info("tcp_wrapper", "callbacks")

# %% [markdown]
# The callback module `tcp_print` prints a dot per chunk it receives, then the whole message.
# There is no network here: `examples/ch10/mem_tcp.py` is an in-memory stand-in for `gen_tcp` with the same calls and returns.
# The client `cast` sends its data one byte per send:

# %%
ok, lst = tcp_wrapper.start_link(tcp_print, 11234)
tcp_wrapper.cast((127, 0, 0, 1), 11234, b"Hello Concurrent World")
timer.sleep(1500)

# %% [markdown]
# Two dots, not 22: a TCP stream has no message boundaries, and `recv` returns everything that has arrived.
# The listener is a special process, so `sys` works on it, and its trace lines are its own:

# %%
sock, mod = osys.get_state(lst)
sock, mod.__name__

# %%
osys.trace(lst, True)
tcp_wrapper.cast((127, 0, 0, 1), 11234, b"Again")
timer.sleep(1500)
osys.trace(lst, False)

# %% [markdown]
# ## A missing callback
#
# Erlang checks `-behaviour(tcp_wrapper)` only at compile time, with a warning; the missing function fails later with `undef`, deep in the generic code.
# `tcp_wrapper.start_link` calls `behaviour.check` first, so a callback module with a callback missing, and one with the wrong number of arguments, fails at once, in the caller:

# %%
class half:
    def init_request(): return ("ok", [])
    def get_request(data): return ("ok", [data])     # one argument short

# %%
try:
    tcp_wrapper.start_link(half, 3)
except ErlangError as e:
    print(e.reason, e.detail, sep="\n")

# %% [markdown]
# ## Spot the bug
#
# The book's `tcp_wrapper_sup.erl`, meant to supervise the listener, does not even compile (a syntax error, and a module name that does not match the file).
# Suppose we fix it: is the listener then safe?
# Here is a callback module whose request processes crash on the first chunk:

# %%
class crashy:
    def init_request(): return ("ok", 0)
    def get_request(data, n): erlang.exit("bad_request")
    def stop_request(reason, n): return "ok"

# %%
ok, lst2 = tcp_wrapper.start_link(crashy, 2)
erlang.unlink(lst2)   # keep the shell out of it
with logger.capture() as reports:
    tcp_wrapper.cast("localhost", 2, b"x")
    timer.sleep(1500)
[r["kind"] for r in reports], erlang.is_process_alive(lst2)

# %% [markdown]
# One bad request, and the listener is dead. Why?
#
# <details><summary>Answer</summary>
#
# The listener spawns each request process with `spawn_link` but **does not trap exits**: the request's crash is an exit signal that kills the listener too (its clause for `{'EXIT', Pid, Reason}` is dead code).
# A supervisor would restart the listener, but every connection in progress dies with it, and one client sending bad data can keep the service restarting.
# Fix: `process_flag(trap_exit, true)` in the listener's `init` (then that `EXIT` clause runs), or spawn the request processes with a monitor instead of a link.
# The listen socket died with its owner too, as in real `gen_tcp`: connecting to port 2 now returns `('error', 'econnrefused')` until a new listener starts.
#
# </details>

# %% [markdown]
# ## Try it
#
# **1.** Start the full mutex from a parent process, `erlang.spawn(parent, mutex, "lock")`, let the shell take the lock with `mutex.wait("lock")`, then tell the parent to die. What happens to the shell?
#
# <details><summary>Answer</summary>
#
# The mutex gets its parent's `EXIT`, kills its holder (the shell) with reason `gone`, and exits with a CRASH REPORT; the notebook prints `** Exit: exit: 'gone'` and a new shell takes over, with a new pid (the book's code run on OTP 25 kills holder and waiter the same way, with reason `maintenance`).
#
# </details>
#
# **2.** What does `osys.terminate("printer", "bye")` do while a client holds the mutex?
#
# <details><summary>Answer</summary>
#
# The mutex gets the system message and calls its `system_terminate`, which kills the holder with `bye`, kills any queued waiter, and exits with `bye`.
# And the shell dies too: it started `printer` with `start_link`, so the link carries `bye` back (the cell raises `Exit` and a new shell takes over).
# `sys.terminate` is meant for a parent that traps exits, such as a supervisor.
#
# </details>
#
# **3.** Write a `tcp_wrapper` callback namespace `count` whose `stop_request` prints how many bytes arrived. Which callbacks must it have, and with how many arguments?
#
# <details><summary>Answer</summary>
#
# `init_request()` returning `("ok", 0)`, `get_request(data, n)` returning `("ok", n + len(data))`, and `stop_request(reason, n)` printing `n`; `behaviour.check(count, "tcp_wrapper")` returns `count` when all three are there.
#
# </details>

# %% [markdown]
# ## What you saw
#
# - A plain process works, but starts asynchronously, ignores `sys` (its requests leak into the mailbox) and outlives its parent.
# - `proc_lib.start_link` + `init_ack` make the start synchronous and record ancestors and the initial call.
# - Trapping exits and handling the parent's `EXIT` lets the mutex clean up: holder and waiters die with the parent's reason.
# - `sys.handle_system_msg` and `sys.handle_debug` give a hand-written loop `get_state`, `get_status`, `suspend`/`resume` and trace lines of its own.
# - A selective receive per state makes the mailbox a FIFO queue of waiters.
# - A mutex that frees the lock on its holder's `'DOWN'` must demonitor with `flush`: without it, a stale `'DOWN'` lets two clients in, in schedules that random testing meets once in a few hundred and a one-delay search within a few dozen.
# - `proc_lib.hibernate` waits with the stack thrown away (`process_info` shows `erlang:hibernate/3`); a child spec with `modules: 'dynamic'` makes the release handler ask the process for its modules with `get_modules`.
# - Your own behaviour declares its callbacks (`behaviour.define`, Erlang's `-callback`) and checks them at start; its generic part is a special process.
# - A linked child that crashes kills a parent that does not trap exits: the book's listener has that bug.
#
# Graded lab: `labs/10_mutex` (`make grade LAB=10_mutex`), the mutex as a special process: FIFO fairness, trace events, `get_state`, suspend/resume, parent-death cleanup.
# The labs available in this checkout:

# %% [markdown]
# <!--LABS-->

# %% [markdown]
# Next: [chapter 11](11_releases.ipynb), system principles and releases.
