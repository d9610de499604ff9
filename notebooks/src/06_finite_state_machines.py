# Source of notebooks/06_finite_state_machines.ipynb: edit here, then run `python tools/nbbuild.py 06`.

# %% [markdown]
# # 6 · Finite State Machines: from receive loops to gen_statem
#
# A finite state machine is a process that reacts to the same event differently depending on the state it is in.
# Chapter 6 of the book builds a coffee machine three times: as plain Erlang functions, on the `gen_fsm` behaviour, and with a payment timeout.
# We run all three, then the modern `gen_statem` version with its two kinds of timeout, drawn as a state diagram.
# The Python versions live in `examples/ch6/`.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
from otp_lite import runtime, erlang, gen_fsm, timer, viz
from otp_lite import sys as osys
from otp_lite.erlang import Exit
from examples.ch6 import earth
from examples.ch6.otp import coffee_fsm, coffee_fsm_timeout, coffee_statem

# %%
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run
rec = viz.record()           # keep every trace event for the diagrams

# %% [markdown]
# ## States as functions: the earth
#
# The smallest machine in the book: the earth is in `day` or `night`, and each state is a function that waits for the events it accepts:
#
# ```erlang
# day() ->
#     receive
#         eclipse -> day();
#         sunset  -> night()
#     end.
# night() ->
#     receive
#         sunrise -> make_roosters_crow(), day()
#     end.
# ```
#
# Erlang's tail calls become a loop in Python: each state function returns the next one.
# We send `sunrise` first, during the day:

# %%
e = earth.start()
for event in ["sunrise", "eclipse", "sunset"]:
    erlang.send(e, event)
runtime.run_until_idle()
print(viz.fsm(earth))   # the text form of the diagram

# %% [markdown]
# `sunrise` arrived during the day, but `day` does not accept it, so it **waited in the mailbox**; after `sunset`, `night` took it.
# Selective receive gives a plain-process FSM this "postpone" for free.
# The diagram (here its text form) counts each transition taken; the module declares its `STATES` and `TRANSITIONS`, so `viz.fsm` also knows the edges that were never taken.

# %% [markdown]
# ## The coffee machine, as a plain process
#
# Three states: `selection` (choose a drink), `payment` (insert coins), `remove` (take the cup).
# Each state is a function with a `receive`; the payment state carries the drink, the price and what was paid.
# The hardware is a stub, `examples/ch6/hw.py`, that prints `Display:` and `Machine:` lines.

# %%
from examples.ch6.plain import coffee_fsm as plain
ok, pl = plain.start_link()

# %% [markdown]
# The book's `init` registers the name *inside* the new process.
# Calling `plain.tea()` in the same cell as `start_link()` would race it and fail with `badarg`: the name is not registered until the new process has run.
# In its own cell it is fine, because the notebook lets the runtime run between cells.

# %%
plain.tea(), plain.pay(50), plain.pay(50)

# %%
plain.cup_removed()

# %% [markdown]
# It works, but everything generic is hand-written again: the client functions send raw messages, nothing can be traced, and there is no clean way to stop it.
# We kill it and move on to the behaviour.

# %%
erlang.unlink(pl)
erlang.exit(pl, "kill")

# %% [markdown]
# ## The same machine on `gen_fsm`
#
# `gen_fsm` calls a function named after the current state with each event, and the function returns the next state:
#
# ```erlang
# selection({selection, Type, Price}, _LoopData) ->
#     hw:display("Please pay:~w", [Price]),
#     {next_state, payment, {Type, Price, 0}};
# ```
#
# | client | gen_fsm | callback |
# |---|---|---|
# | `tea()`, `pay(coin)`, `cancel()` ... | `send_event(name, ev)` | `state_name(ev, data)` |
# | `stop()` | `sync_send_all_state_event(name, 'stop')` | `handle_sync_event('stop', from_, state, data)` |
# | the FSM stops | | `terminate(reason, state, data)` refunds a payment in progress |

# %%
coffee_fsm.start_link()

# %%
coffee_fsm.espresso(), coffee_fsm.pay(100)

# %%
osys.get_state("coffee_fsm")

# %% [markdown]
# `sys.get_state` on a `gen_fsm` returns `(state_name, data)`: here `payment`, with 100 of 150 paid.
# Stopping now refunds the customer, because `terminate` runs on the way out:

# %%
coffee_fsm.stop()

# %% [markdown]
# ## Starting the machine: what `init` may return
#
# `start_link` waits until `init(args)` returns, and `init` decides how the machine starts, exactly as for `gen_server`:
#
# | `init` returns | `start` returns |
# |---|---|
# | `('ok', state_name, data)` | `('ok', pid)`: the machine is in `state_name` |
# | `('stop', reason)` | `('error', reason)`: the process exits with `reason` |
# | `'ignore'` | `'ignore'`: no process (a supervisor then keeps the child as not running) |
#
# and the `('timeout', ms)` start option bounds the wait. The same four starts on `gen_fsm` and in OTP 25 (`tests/oracle_probes/start_fsm.erl`):

# %%
class Machine:
    def init(arg):
        if arg == "stop":
            return ("stop", "no_way")
        if arg == "ignore":
            return "ignore"
        if type(arg) is int:
            timer.sleep(arg)                # a slow start
        return ("ok", "idle", [("coins", 0)])

    def idle(event, data):
        return ("next_state", "idle", data)

from otp_lite import logger
_, m = gen_fsm.start(Machine, "go", [])
print("init returns ('ok', 'idle', ...):", osys.get_state(m))
with logger.capture() as reports:
    print("init returns ('stop', 'no_way'):", gen_fsm.start(Machine, "stop", []))
    _ = timer.sleep(1)                      # the refusing process exits just after its answer
print("init returns 'ignore':", gen_fsm.start(Machine, "ignore", []))
print("init takes 500 ms, timeout 100:", gen_fsm.start(Machine, 500, [("timeout", 100)]))
print("reports:", [r["kind"] for r in reports])

# %% [markdown]
# A refusal is a crash of the new process (its exit reason is `no_way`), so OTP prints a crash report for it, captured here.

# %% [markdown]
# ## Spot the bug
#
# The `stop()` above works because `examples/ch6/otp/coffee_fsm.py` fixes a bug in the book's module.
# Here is the book's version, rebuilt: the same callbacks without `handle_sync_event`.

# %%
import types
book = types.SimpleNamespace(**{k: v for k, v in vars(coffee_fsm).items()
                                if not k.startswith("__") and k != "handle_sync_event"})
book.__name__ = "coffee_fsm"
gen_fsm.start_link(("local", "coffee_fsm"), book, [], [])

# %%
coffee_fsm.espresso(), coffee_fsm.pay(100)

# %%
try:
    coffee_fsm.stop()
except Exit as e:
    print("stop failed:", e.reason[0])

# %% [markdown]
# The shell was linked to the machine (`start_link`), so it died too, and a new shell took over:

# %%
erlang.self()

# %% [markdown]
# Read the report: why did `stop()` crash the machine?
#
# <details><summary>Answer</summary>
#
# The book's `stop/0` is `gen_fsm:sync_send_all_state_event(?MODULE, stop)`, a **synchronous** all-state event, which `gen_fsm` hands to `handle_sync_event/4`.
# The module only defines `handle_event/3`, the callback for the *asynchronous* `send_all_state_event`, so the FSM calls a function that does not exist and dies with `undef`, in real OTP 25 as here.
# `terminate/3` still runs, which is why the 100 came back.
# The caller is linked to the FSM and not trapping exits, so it dies too, in `erl` as here.
# Fix: define `handle_sync_event('stop', from_, state, data)` returning `('stop', 'normal', 'ok', data)`, or make `stop/0` use `send_all_state_event`.
#
# </details>

# %% [markdown]
# ## A payment timeout
#
# A customer who pays half and walks away blocks the machine.
# `coffee_fsm_timeout` adds a timeout to every return into `payment`: `('next_state', 'payment', data, 10000)`.
# If no message arrives for 10 s, the state function gets the event `'timeout'` and refunds.
# On the virtual clock the wait is instant:

# %%
coffee_fsm_timeout.start_link()

# %%
coffee_fsm_timeout.tea(), coffee_fsm_timeout.pay(50)

# %%
timer.sleep(12000)

# %% [markdown]
# The refund came 10 s after the last coin, and the machine is back in `selection`.
# There is a catch: a `gen_fsm` timeout means "no message at all for 10 s", and *any* message restarts the wait, even a system message.
# Looking at the machine with `sys.get_state` postpones the refund:

# %%
coffee_fsm_timeout.tea(), coffee_fsm_timeout.pay(50)
timer.sleep(6000)
osys.get_state("coffee_fsm_timeout")

# %%
timer.sleep(6000)
osys.get_state("coffee_fsm_timeout")

# %%
timer.sleep(11000)

# %% [markdown]
# Twelve seconds after the coin the customer is still in `payment`, because the `get_state` at 6 s started a new 10 s wait (real OTP 25 behaves the same).
# `gen_fsm` is deprecated since OTP 20; its replacement fixes exactly this.

# %% [markdown]
# ## The modern way: `gen_statem`
#
# `gen_statem` (module `examples/ch6/otp/coffee_statem.py`) calls `state(event_type, event, data)`, so one function sees casts, calls, timeouts and plain messages, each tagged with its type:
#
# ```erlang
# payment(cast, {pay, Coin}, D = #{price := Price, paid := Paid}) when Coin + Paid < Price ->
#     {keep_state, D#{paid := Coin + Paid}, [{state_timeout, 10000, refund}]};
# payment(state_timeout, refund, #{paid := Paid}) ->
#     hw:display("Make Your Selection"), hw:return_change(Paid),
#     {next_state, selection, #{}};
# ```
#
# It has three kinds of timeout, two of which matter here:
#
# | action | cancelled by | use it for |
# |---|---|---|
# | `('state_timeout', T, msg)` | leaving the state (or setting it again) | "leave this state after T" |
# | `('timeout', T, msg)`, the *event* timeout | **any** event at all | "nothing happened for T" |
# | `(('timeout', name), T, msg)` | only setting it again or cancelling | a named timer |
#
# System messages such as `sys.get_state` cancel none of them.
# First with a state timeout: pay half, then `poke` the machine (an event every state ignores) 6 s later.

# %%
coffee_statem.start_link("state")

# %%
coffee_statem.tea(), coffee_statem.pay(50)
t0 = runtime.now()
timer.sleep(6000)
coffee_statem.poke()

# %%
timer.sleep(6000)
runtime.now() - t0

# %% [markdown]
# The refund came 10 s after the coin: the `poke` did not matter, because the state stayed `payment`.
# Now the same with an event timeout:

# %%
coffee_statem.stop()
coffee_statem.start_link("event")

# %%
coffee_statem.tea(), coffee_statem.pay(50)
timer.sleep(6000)
coffee_statem.poke()

# %%
timer.sleep(30000)
osys.get_state("coffee_statem")

# %% [markdown]
# No refund, ever: the `poke` cancelled the event timeout, and the ignored event re-armed nothing.
# An event timeout means "if nothing happens", so pick it only when any event is a sign of life.

# %%
coffee_statem.stop()

# %% [markdown]
# ## The state diagram
#
# `gen_statem` reports every transition on the trace bus, so `viz.fsm` can draw what the machine really did.
# Two more customers: one walks away after paying half, the next pays a tea in two coins and takes the cup.

# %%
coffee_statem.start_link("state")

# %%
coffee_statem.tea(), coffee_statem.pay(50)
timer.sleep(11000)

# %%
coffee_statem.tea(), coffee_statem.pay(50), coffee_statem.pay(50)
coffee_statem.cup_removed()

# %%
viz.fsm(coffee_statem)

# %% [markdown]
# Blue edges were taken (with counts), grey dotted ones are declared in the module's `TRANSITIONS` but were never taken (nobody pressed `cancel`), and dashed ones were taken without being declared.
# `viz.fsm` names a timeout by its event type (`state_timeout`, not its message `refund`) and any other event by its content (`pay`), so the module declares its timeout edge as `state_timeout`.
# Two declared edges lead from `payment` back to `selection`: the taken `state_timeout` and the never-taken `cancel` get an arrow each; the text form lists every edge on its own line.
#
# In JupyterLab, `viz.fsm(coffee_statem).live({"tea": coffee_statem.tea, "pay 50": lambda: coffee_statem.pay(50)})` draws the same diagram with one button per event, updating as you click (start with `runtime.reset(clock='real')` to watch the 10 s timeout in real time).

# %% [markdown]
# ## Next: the phone controllers
#
# The book ends the chapter with an exercise: one FSM per mobile phone, talking to its peer phone's FSM.
#
# | state | on `action(('outbound', ms))` | on a peer's `inbound` | on `accept` / `reject` / `hangup` |
# |---|---|---|---|
# | `idle` | look the number up, tell the peer: `calling` | `receiving` | – |
# | `calling` | `('error', 'busy')` | reply `busy` | peer accepted: allocate a frequency, `connected` |
# | `receiving` | `('error', 'busy')` | reply `busy` | accept: `connected`; reject: `idle` |
# | `connected` | `('error', 'busy')` | reply `busy` | hang-up: free the frequency, `idle` |
#
# Run on real OTP 25, the book's solution shows two bugs: when no frequency is free, the callee is left stuck in `connected`; and a callee that crashes in `connected` never detaches from the HLR of [chapter 2](02_introducing_erlang.ipynb).
# The chapter's graded lab has you write the controllers without those bugs.

# %% [markdown]
# ## Let's test it: a call between two phones
#
# The book tests the controllers in the shell: create the HLR, start the frequency server, start one controller per phone, and make a call.
# `examples/ch6/phone/phone_fsm.py` is the book's solution as written, on `gen_fsm` and started with the `('debug', ['trace'])` option, so every event prints a `*DBG*` line.
# The handsets are simulated: the book's `phone.erl` plays users who answer and hang up at random, while our stub (`examples/ch6/phone/phone.py`) only prints what the controller tells it, and we act for the users.

# %%
from examples.ch2 import hlr
from examples.ch4 import frequency
from examples.ch6.phone import phone_fsm
hlr.new()
frequency.start()
_ok, p1 = phone_fsm.start_link(1)   # the controller of phone 1
_ok, p2 = phone_fsm.start_link(2)
p1, p2

# %% [markdown]
# User 1 dials 2, phone 2 rings for two seconds, user 2 answers; a `Recorder` keeps the trace events meanwhile:

# %%
with runtime.Recorder() as dial:
    print(phone_fsm.action(("outbound", 2), p1))
    timer.sleep(2000)
    print(phone_fsm.action("accept", p2))
    timer.sleep(100)

# %% [markdown]
# The caller took a frequency from the frequency server when the callee accepted; the callee has none:

# %%
osys.get_state(p1), osys.get_state(p2), osys.get_state("frequency")

# %% [markdown]
# Five seconds later user 2 hangs up, and the caller gives the frequency back:

# %%
timer.sleep(4900)
with runtime.Recorder() as hang:
    print(phone_fsm.action("hangup", p2))
    timer.sleep(100)
osys.get_state(p1), osys.get_state(p2), osys.get_state("frequency")

# %% [markdown]
# The whole call as a message sequence chart on the virtual clock (milliseconds since this notebook's `runtime.reset`), first as text, with the state changes.
# The shell sends the users' actions; the two controllers talk to each other with `gen_fsm` events (`'$gen_event'`), and the caller calls the frequency server (`'$gen_call'`) and casts to it (`'$gen_cast'`):

# %%
names = [e for e in rec.events if e["kind"] == "register"]   # so the frequency server has its name
call = viz.sequence(names + dial.events + hang.events, kinds=["send", "state"])
print(f"shell {erlang.self()!r}, phone 1 {p1!r}, phone 2 {p2!r}")
print(call)

# %%
call

# %% [markdown]
# The `*DBG*` lines of the dial are the ones the book's module prints on real OTP 25 (`tests/test_examples_ch6.py` replays that session, the book's two bugs included).
# Nothing here is random: the virtual clock makes the two seconds of ringing and the five of talking instant and the same on every run.
# The chapter's lab checks the controllers you write the same way, one scenario at a time.

# %% [markdown]
# ## Try it
#
# **1.** Send the earth `eclipse` twice and `sunset` once, then look at `viz.fsm(earth)` again. Which edge count changed?
#
# <details><summary>Answer</summary>
#
# `day --eclipse--> day` goes up by two and `day --sunset--> night` by one; the earth is now in `night`.
#
# </details>
#
# **2.** Start the fixed `coffee_fsm` again (`coffee_fsm.start_link()`), choose a drink and pay too much: `coffee_fsm.tea()`, `coffee_fsm.pay(200)`. What does the machine print?
#
# <details><summary>Answer</summary>
#
# `Display:Preparing Drink.`, `Machine:Returned 100 in change`, the cup and the tea, then `Display:Remove Drink.`: it goes to `remove` and waits for `cup_removed()`.
#
# </details>
#
# **3.** Why does `coffee_statem` trap exits in `init`?
#
# <details><summary>Answer</summary>
#
# So that `terminate` runs when its parent (a supervisor, chapter 8) shuts it down: a process that does not trap exits is killed by the exit signal without running any code, and a customer in `payment` would lose the coins.
#
# </details>

# %% [markdown]
# ## What you saw
#
# - `init` starts the machine in a state (`('ok', state, data)`), refuses (`('stop', reason)` gives `('error', reason)`) or bows out (`'ignore'`); `('timeout', ms)` bounds the wait.
# - An FSM as plain functions: each state is a `receive`, and events a state does not accept wait in the mailbox.
# - `gen_fsm` calls the current state's function with each event; `sys.get_state` returns `(state, data)`.
# - The book's `stop/0` sends a synchronous event that its module cannot handle: the FSM dies with `undef`.
# - A `gen_fsm` timeout is restarted by any message, even `sys.get_state`.
# - `gen_statem` separates the *state* timeout (left the state?) from the *event* timeout (anything happened?), and `viz.fsm` draws the transitions taken.
- A test call between two phone controllers: the caller rings the callee, takes a frequency when the callee accepts and frees it when either hangs up, drawn as a message sequence chart.
#
# Graded lab: [labs/06_phone_controllers](../labs/06_phone_controllers/README.md) (`make grade LAB=06_phone_controllers`), the flagship lab of the book's first half: the phone controllers on `gen_statem`, without the two bugs.
#
# Next: [chapter 7](07_event_handlers.ipynb), event handlers.
