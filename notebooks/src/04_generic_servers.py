# Source of notebooks/04_generic_servers.ipynb: edit here, then run `python tools/nbbuild.py 04`.

# %% [markdown]
# # 4 · Generic Servers: the frequency server on gen_server
#
# In [chapter 3](03_behaviours.ipynb) we split a server into a generic loop and a callback module by hand.
# OTP ships that generic loop, hardened by decades of use, as `gen_server`.
# Chapter 4 of the book moves the frequency server onto it, then probes the corners: call timeouts, replying early, and timeouts in the server itself.
# The Python versions live in `examples/ch4/`.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
import inspect
from otp_lite import runtime, erlang, gen_server, timer, viz
from otp_lite.erlang import ANY, Exit
from examples.ch4 import frequency, timeout, from_, ping
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run

# %% [markdown]
# ## What the behaviour does, and what you write
#
# `gen_server` owns the process: spawning, registering, the receive loop, the request protocol, timeouts, system messages and error reports.
# You write a callback module; here is the book's contract in Erlang:
#
# ```erlang
# init(Args)                       -> {ok, State}.
# handle_call(Request, From, State) -> {reply, Reply, NewState}.
# handle_cast(Msg, State)           -> {noreply, NewState} | {stop, normal, State}.
# handle_info(Msg, State)           -> {noreply, NewState}.
# terminate(Reason, State)          -> ok.
# ```
#
# | client calls | the server runs | the caller |
# |---|---|---|
# | `gen_server.start_link(name, mod, args, opts)` | `mod.init(args)` | waits until `init` returns |
# | `gen_server.call(ref, request)` | `mod.handle_call(request, from_, state)` | waits for the reply (5 s at most) |
# | `gen_server.cast(ref, msg)` | `mod.handle_cast(msg, state)` | gets `'ok'` at once |
# | `erlang.send(ref, msg)` | `mod.handle_info(msg, state)` | (a plain message) |
# | `gen_server.stop(ref)` | `mod.terminate(reason, state)` | waits until the server is gone |
#
# In `otp_lite` the callback module is a Python module (or any namespace) with the same function names.
# `examples/ch4/frequency.py` holds the client API and the callbacks together, as the Erlang module does:

# %%
print(inspect.getsource(frequency.handle_call))
print(inspect.getsource(frequency.handle_cast))

# %% [markdown]
# `allocate` is a **call**: the client needs the frequency back.
# `deallocate` and `stop` are **casts**: the client does not wait, and the server stops itself by returning `('stop', 'normal', state)`.

# %% [markdown]
# ## The book's session
#
# We start the server, take all six frequencies and one more, give one back and take it again (the book's own shell session):

# %%
frequency.start()

# %%
[frequency.allocate() for _ in range(7)]

# %%
frequency.deallocate(11), frequency.allocate()

# %% [markdown]
# The chart below shows the messages `gen_server` sends for one cast and one call.
# A call is `('$gen_call', From, Request)` where `From` is `(caller, tag)`; the reply comes back tagged, so the caller's `receive` picks exactly that reply.
# A cast is just `('$gen_cast', Msg)`, and nothing comes back.
# (`<0.80.0>` is the shell, `<0.81.0>` the frequency server.)

# %%
with runtime.Recorder() as rec:
    frequency.deallocate(12)
    frequency.allocate()
viz.sequence(rec, kinds=["send", "receive"])

# %% [markdown]
# `stop()` is a cast too: it returns `'ok'` whether or not a server is running.
# Once the server has handled it, the name is free again.

# %%
frequency.stop(), frequency.stop()

# %%
runtime.run_until_idle()
erlang.whereis("frequency")

# %% [markdown]
# ## Call timeouts, on the virtual clock
#
# A call waits 5000 ms by default.
# `examples/ch4/timeout.py` sleeps inside `handle_call` for as long as the request says.
# Asking it to sleep 6 s makes the call fail after 5 s; on `otp_lite`'s virtual clock those seconds cost no real time.

# %%
ok, p = gen_server.start(timeout, [], [])
gen_server.call(p, ("sleep", 1000))

# %%
with runtime.Recorder() as rec:
    try:
        gen_server.call(p, ("sleep", 6000))
    except Exit as e:
        print("call failed:", e.reason)
    timer.sleep(1500)

# %% [markdown]
# The exit reason is OTP's: `('timeout', ('gen_server', 'call', [Pid, Request]))`.
# Here is the whole story, with the virtual time in the left column:

# %%
viz.sequence(rec)

# %% [markdown]
# Read it top to bottom.
# The shell monitors the server and sends the call at 1000 ms.
# At 6000 ms its `receive` gives up (the 5000 ms timeout) and it drops the monitor.
# At 7000 ms the server wakes up and replies anyway: the server never knew the caller had given up.
# No `receives` line follows that reply.
#
# Where did that late reply go?
# The book (OTP 18) warns that it lands in the caller's mailbox as a stray message, and that a caller who catches the timeout should flush it.
# Since OTP 24 a call waits on an *alias*, and a timed-out call deactivates it, so the late reply is silently dropped:

# %%
erlang.flush()

# %% [markdown]
# The lesson stays the same: **a timed-out call may still have been executed**.
# If that request had been `allocate`, the server would have handed out a frequency nobody will ever free.
#
# Two more cases from the same run: a call can take its own timeout, and `'infinity'` waits for ever.

# %%
try:
    gen_server.call(p, ("sleep", 500), 100)
except Exit as e:
    print("call failed:", e.reason)
gen_server.call(p, ("sleep", 10), "infinity")

# %% [markdown]
# Left uncaught, the `Exit` ends the cell with a traceback.
# (In `erl` the shell process itself would crash and come back with a new pid; here the shell keeps its pid, and only an exit signal, from a link, replaces it.)
# Calling a server that does not exist fails at once with `noproc`, while a cast never fails:

# %%
try:
    gen_server.call("no_such_server", "hello")
except Exit as e:
    print("call failed:", e.reason)
gen_server.cast("no_such_server", "hello")

# %% [markdown]
# ## Replying early: `gen_server.reply`
#
# A callback can reply before it has finished its work.
# It gets the caller's `From`, answers with `gen_server.reply(From, Reply)`, does the work, and returns `('noreply', State)`:
#
# ```erlang
# handle_call({add, Data}, From, Sum) ->
#     gen_server:reply(From, ok),
#     timer:sleep(1000),
#     NewSum = Sum + Data,
#     io:format("From:~p, Sum:~p~n", [From, NewSum]),
#     {noreply, NewSum}.
# ```

# %%
print(inspect.getsource(from_.handle_call))

# %%
ok, f = gen_server.start_link(from_, 0, [])
t0 = runtime.now()
gen_server.call(f, ("add", 10)), runtime.now() - t0

# %% [markdown]
# The call returned `'ok'` after 0 ms: the caller did not wait for the second of work.
# A second call has to wait, though, because the server is still busy with the first; it prints the first sum before it can take the second request:

# %%
gen_server.call(f, ("add", 5)), runtime.now() - t0

# %%
timer.sleep(2500)

# %% [markdown]
# `From` is opaque: a pair of the caller's pid and a tag.
# Real OTP 25 prints it as `{<0.92.0>,[alias|#Ref<...>]}`; `otp_lite` uses a plain reference as the tag.
# Never take it apart: pass it to `gen_server.reply`, which may be called from any process.

# %% [markdown]
# ## Timeouts inside the server: `ping`
#
# A callback may add a timeout to its return value, `('ok', S, 5000)` or `('reply', R, S, 5000)`.
# If no message at all arrives within that time, the server gets `handle_info('timeout', S)`.
# `examples/ch4/ping.py` prints the clock's seconds on every timeout; `pause` replies without a timeout, so the ticking stops.

# %%
ok, pp = gen_server.start(("local", "ping"), ping, [], [])
timer.sleep(11000)

# %%
gen_server.call("ping", "pause")

# %%
timer.sleep(20000)
gen_server.call("ping", "start")

# %%
timer.sleep(6000)

# %% [markdown]
# Twenty silent seconds after `pause`, then ticking again 5 s after `start`.
# Any message restarts the countdown: this is an *inactivity* timeout, not a periodic timer.
# For a periodic tick, use `erlang.send_after` and handle the message in `handle_info`.

# %% [markdown]
# ## More of the contract: plain messages, termination, deadlocks, hibernation
#
# One small callback module shows the rest of the book's gen_server chapter.
# Each result below is what OTP 25 gives for the same session in `erl` (the Erlang twin is `tests/oracle_probes/ch4_more.erl`, its output next to it).

# %%
class More:
    """A server that prints its handle_info and terminate calls."""
    def init(arg):
        if arg == "trap":
            erlang.process_flag("trap_exit", True)     # so that terminate runs when the parent exits
        return ("ok", arg)

    def handle_call(req, _from, s):
        if type(req) is tuple and req[0] == "call":    # ('call', other, request[, timeout]): call another server
            return ("reply", gen_server.call(*req[1:]), s)
        if req == "nap":
            return ("reply", "ok", s, "hibernate")
        return ("reply", req, s)

    def handle_cast(msg, s):
        return ("noreply", s)

    def handle_info(msg, s):
        print(f"handle_info({msg!r}, {s!r})")
        return ("noreply", s)

    def terminate(reason, s):
        print(f"terminate({reason!r}, {s!r})")
        return "ok"

# %% [markdown]
# ### Other messages: `handle_info`
#
# A message that is neither a call nor a cast, such as a plain `erlang.send`, a `send_after` tick, an `('EXIT', ...)` of a trapped link or a monitor's `('DOWN', ...)`, goes to `handle_info`.

# %%
_, p = gen_server.start(More, "plain", [])
erlang.send(p, "hello")
_ = timer.sleep(10)

# %% [markdown]
# ### Termination: `terminate` and trapping exits
#
# `terminate(reason, state)` runs when a callback returns `stop`, or when the parent (usually a supervisor) exits while the server **traps exits**.
# A server that does not trap exits is simply killed by its parent's exit signal: no `terminate`, no clean-up.
# Two children of one parent, one of each kind; the parent exits with `shutdown`:

# %%
me = erlang.self()

def parent():
    _, c1 = gen_server.start_link(More, "plain", [])
    _, c2 = gen_server.start_link(More, "trap", [])
    erlang.send(me, ("kids", c1, c2))
    erlang.receive("stop")
    erlang.exit("shutdown")

par = erlang.spawn(parent)
_, c1, c2 = erlang.receive(("kids", ANY, ANY))
erlang.send(par, "stop")
_ = timer.sleep(20)
print("plain child alive:", erlang.is_process_alive(c1), "| trapping child alive:", erlang.is_process_alive(c2))

# %% [markdown]
# Only the trapping child said goodbye; both are gone.
# This is why a worker that must flush a file or close a socket on shutdown traps exits in `init`.
#
# ### Deadlocks: two servers calling each other
#
# A server that calls another server waits, like any caller.
# If the other one calls back, each waits for the other, and only the call timeouts break the knot.
# Here the shell asks A to call B, and B to call A back with a 1 s timeout:

# %%
from otp_lite import logger
_, a = gen_server.start(More, "a", [])
_, b = gen_server.start(More, "b", [])
with logger.capture() as reports:
    try:
        gen_server.call(a, ("call", b, ("call", a, "hello", 1000)), 10000)
    except Exit as e:
        print("the shell's call failed:", e.reason)
_ = timer.sleep(100)
print("A alive:", erlang.is_process_alive(a), "| B alive:", erlang.is_process_alive(b))
print([r["kind"] for r in reports])

# %% [markdown]
# Read the reasons from the inside out: B's call to A timed out after 1 s (A was busy waiting for B); B crashed with that reason; A's call to B then failed with B's exit reason; and the shell's call to A failed with A's.
# Both servers are dead; each left an error report and a crash report (captured here; `erl` prints them).
# The fix is in the design: a server must never call a server that may call it back; use a cast, or reply early with `gen_server.reply` and do the call elsewhere.
#
# Above, the shell tied the knot on purpose.
# In real code it ties itself only when two requests meet, and a plain run may never show it.
# Two bank accounts, each a gen_server: a transfer moves money to the other account by *calling* it with a deposit.
# Alice pays Bob 10 while Bob, who first looks at his balance, pays Alice 10.
# Each payment runs in a client linked to the shell, so a failed call takes the test down with OTP's reason.

# %%
from otp_lite import explore

class Account:
    """State: (the other account's name, money). A transfer calls the other account."""
    def init(other): return ("ok", (other, 100))

    def handle_call(req, _from, s):
        other, money = s
        if req[0] == "transfer":
            gen_server.call(other, ("deposit", req[1]))      # wait for the other account
            return ("reply", "ok", (other, money - req[1]))
        if req[0] == "deposit":
            return ("reply", "ok", (other, money + req[1]))
        return ("reply", money, s)                           # ('balance',)

    def handle_cast(msg, s): return ("noreply", s)

# %%
def two_payments(account):
    def test():
        gen_server.start(("local", "alice"), account, "bob", [])
        gen_server.start(("local", "bob"), account, "alice", [])
        me = erlang.self()

        def alice_pays():
            gen_server.call("alice", ("transfer", 10))
            erlang.send(me, "paid")

        def bob_pays():
            gen_server.call("bob", ("balance",))             # Bob looks first
            gen_server.call("bob", ("transfer", 10))
            erlang.send(me, "paid")

        erlang.spawn_link(alice_pays)
        erlang.spawn_link(bob_pays)
        erlang.receive("paid"), erlang.receive("paid")
        assert gen_server.call("alice", ("balance",)) == gen_server.call("bob", ("balance",)) == 100
    return test

two_payments(Account)()     # a plain run: Alice's transfer is over before Bob's begins
print("plain run: passed")

# %% [markdown]
# `explore.run` runs the same test under 300 seeded random schedules, each in a fresh runtime of its own, and stops at the first that fails.
# In every run `<0.80.0>` is the shell, `<0.81.0>` Alice, `<0.82.0>` Bob, `<0.83.0>` and `<0.84.0>` the two paying clients.

# %%
found = explore.run(two_payments(Account), runs=300, seed=0)
print(found.found, "after", found.runs, "schedules; schedule", repr(found.schedule))
print(*found.explain(), sep="\n")
print("the test failed with:", found.reason)

# %% [markdown]
# Bob answers his client's balance question, and Bob's client sends its transfer, before Alice has taken hers: two transfers are now in progress at once.
# Alice waits in `handle_call` for Bob's answer to her deposit; Bob waits in `handle_call` for Alice's answer to his.
# Nobody answers, and after 5 s every call gives up.
# `explore.replay` runs that schedule again, the same pids and the same trace.
# `viz.sequence` draws the replayed run with its choice points marked (a star where the schedule departs from the plain scheduler's order, a grey dot where it took the default): the two `deposit` calls cross, and 5 s later everybody exits:

# %%
again = explore.replay(two_payments(Account), found.schedule)
viz.sequence(again, kinds=["send", "exit"])

# %% [markdown]
# The exits, with their reasons in full:

# %%
for line in again.trace:
    if "kind='exit'" in line:
        print(line.split(" seq=")[0])

# %% [markdown]
# Both clients' calls timed out (`('timeout', ('gen_server', 'call', ['alice', ('transfer', 10)]))`, and Bob's the same), and the shell, linked to Alice's client, went down with the first.
# Real OTP 25 gives both clients the same two timeouts when this interleaving is forced by hand (`tests/oracle_probes/ch26_deadlock.erl`).
# Then Alice's call to Bob timed out, and Bob's call to Alice failed with Alice's exit reason: the reasons nest, as in the cell further up.
# The fix is the one above: an account must not *call* an account that may call it back.
# The deposit needs no answer, so make it a cast; the same 300 schedules, then every schedule within two delays of the plain one (`strategy="dfs"`), all pass:

# %%
class Account:
    """The fix: a transfer casts the deposit and does not wait for the other account."""
    def init(other): return ("ok", (other, 100))

    def handle_call(req, _from, s):
        other, money = s
        if req[0] == "transfer":
            gen_server.cast(other, ("deposit", req[1]))      # no waiting, no knot
            return ("reply", "ok", (other, money - req[1]))
        return ("reply", money, s)                           # ('balance',)

    def handle_cast(msg, s):                                 # ('deposit', n)
        other, money = s
        return ("noreply", (other, money + msg[1]))

print(explore.run(two_payments(Account), runs=300, seed=0))
print(explore.run(two_payments(Account), strategy="dfs", delays=2, runs=1000))

# %%
# explore leaves a fresh runtime behind: start again the two servers the next cells use
_, p = gen_server.start(More, "plain", [])
_, pp = gen_server.start(("local", "ping"), ping, [], [])

# %% [markdown]
# ### Hibernating
#
# A callback may end its return value with `'hibernate'`: the server then sleeps in `erlang:hibernate/3` until the next message.
# On BEAM this garbage-collects the process and shrinks its heap, worth it for a server that holds a large state and is rarely used.
# otp_lite has no heap to shrink, so only the waiting is real (simulated); what a learner can observe matches OTP:

# %%
print(gen_server.call(p, "nap"))
print(erlang.process_info(p, "current_function"))
print(gen_server.call(p, "awake?"), "| still hibernating:",
      erlang.process_info(p, "current_function")[1] == ("erlang", "hibernate", 3))

# %% [markdown]
# ### The behaviour directive
#
# In Erlang, `-behaviour(gen_server).` makes the compiler warn about a missing callback (`function handle_cast/2 required by behaviour gen_server is not exported`).
# Python has no compiler step; `otp_lite.behaviour.check` does the same check on demand, and a server missing a required callback crashes with `undef` the first time it needs it:

# %%
from otp_lite import behaviour
from otp_lite.erlang import ErlangError

class NoCast:
    def init(_): return ("ok", 0)
    def handle_call(req, _from, n): return ("reply", n, n)

try:
    behaviour.check(NoCast, "gen_server")
except ErlangError as e:
    print(e.reason)
behaviour.check(More, "gen_server") is More

# %% [markdown]
# ## Spot the bug
#
# `timeout`, `from` and `ping` are the book's small probes, and all three leave out a callback.
# Real `erlc` warns about it at compile time; Python says nothing.
# Watch what a cast does to `ping`:

# %%
gen_server.cast("ping", "hello")

# %%
runtime.run_until_idle()
erlang.is_process_alive(pp)

# %% [markdown]
# What went wrong, and why did the cast itself say `'ok'`?
#
# <details><summary>Answer</summary>
#
# `ping` defines no `handle_cast`, so `gen_server` calls a function that does not exist: the server crashes with `undef` (OTP prints it as `'function not exported'`), exactly as real OTP 25 reports it.
# The cast said `'ok'` because a cast never waits: the caller cannot know that the server died of it.
# A missing `handle_info` is treated more kindly: `gen_server` logs a warning and the server survives (try `erlang.send(p, "hi")` on the `timeout` server).
# Every gen_server should define all its callbacks, even as one-line catch-alls.
#
# </details>

# %% [markdown]
# ## Try it
#
# **1.** Start the frequency server again, and call it with a request it does not know: `gen_server.call("frequency", "bad_message")`.
# What happens to the server, and to the shell?
#
# <details><summary>Answer</summary>
#
# `handle_call` has no clause for it, so the server crashes with `function_clause` and logs an error report.
# The server was started with `start_link` from the shell, so its exit signal kills the shell in the middle of the call: the cell raises `Exit` with reason `('function_clause', ...)`, and `erlang.self()` shows that a new shell took over.
#
# </details>
#
# **2.** The `timeout` server is still running. What does `gen_server.call(p, ("sleep", 5500))` do, without a `try`?
#
# <details><summary>Answer</summary>
#
# After 5 s the cell raises `Exit` with reason `('timeout', ('gen_server', 'call', [p, ('sleep', 5500)]))`.
# No exit signal is involved, so the shell keeps its pid (check `erlang.self()`).
# Half a second later the server replies to an alias that is no longer active, and the reply is dropped.
#
# </details>
#
# **3.** Make `ping` tick every 5 s even while you keep calling it every 3 s.
#
# <details><summary>Answer</summary>
#
# An inactivity timeout cannot do it: every call resets the countdown.
# Use a timer instead: in `init`, `erlang.send_after(5000, erlang.self(), "tick")`; in `handle_info("tick", s)`, print and arm the next one.
#
# </details>

# %% [markdown]
# ## What you saw
#
# - `gen_server` is the generic half of chapter 3, done properly: you write `init`, `handle_call`, `handle_cast`, `handle_info` and `terminate`.
# - A call waits for a reply (5 s by default) and fails with `('timeout', ...)`; a cast never waits and never fails.
# - A timed-out call may still run; since OTP 24 its late reply is dropped instead of polluting the caller's mailbox.
# - `gen_server.reply` answers early; `('noreply', S)` then keeps the server busy without holding the caller.
# - A timeout in a callback's return value is an *inactivity* timeout, delivered as `handle_info('timeout', S)`.
# - A missing `handle_cast` turns every cast into a crash (`undef`); `behaviour.check` finds it first, as `-behaviour(gen_server)` makes the compiler do.
# - Every other message goes to `handle_info`; `terminate` runs on a parent's exit only if the server traps exits.
# - Two servers calling each other deadlock until a call times out, and the reasons nest, call inside call.
#   `otp_lite.explore` finds such a knot that a plain run never shows (two transfers that meet), and shows the fix, a cast, passing every schedule it tries.
# - `'hibernate'` parks a server in `erlang:hibernate/3` until its next message.
#
# Graded lab: [labs/04_frequency_gen_server](../labs/04_frequency_gen_server/README.md) (`make grade LAB=04_frequency_gen_server`), the frequency server rebuilt on `otp_lite`'s `gen_server`, with an owner check and the behaviour under call timeouts.
#
# Next: [chapter 5](05_controlling_otp_behaviours.ipynb), looking inside this same server with `sys`.
