# Source of notebooks/12_release_upgrades.ipynb: edit here, then run `python tools/nbbuild.py 12`.

# %% [markdown]
# # 12 · Release Upgrades: new code in a running system
#
# A telephone switch cannot be stopped for a bug fix, and neither can a coffee machine in the middle of a sale.
# Erlang can load a new version of a module while processes run the old one; OTP builds on that to upgrade a whole release, process by process, state included.
# Chapter 12 of the book upgrades the coffee machine of [chapter 6](06_finite_state_machines.ipynb) twice: first the plain-process version by hand, then the `gen_fsm` version with an appup and a relup.
# The Python versions live in `examples/ch12/`.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
from otp_lite import runtime, erlang, code, logger, viz, release, release_handler, supervisor
from otp_lite import sys as osys   # `sys` is taken by Python's own module
from otp_lite.erlang import ErlangError
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run

# %% [markdown]
# ## Two versions of a module
#
# In Erlang a module is a name with at most two versions of its code loaded: **current** and **old**.
# Loading a new version makes the current one old; a process keeps running the version it is in until it makes a **fully qualified** call (`coffee:f()`, `?MODULE:f()`), which always goes to the current version.
# A local call (`f()`) stays where it is.
#
# The book's plain coffee machine 1.0 has one extra message in every state, `{upgrade, Extra}`, which makes that jump:
#
# ```erlang
# payment(Type, Price, Paid) ->
#     receive
#         {pay, Coin} -> ...;                         % local calls: stay in this version
#         {upgrade, Extra} ->
#             ?MODULE:code_change({payment, Type, Price, Paid}, Extra)
#     end.
# ```
#
# `otp_lite.code` is the code server: `code.module("coffee")` is the module *name*, and every call through it goes to the current version.

# %%
code.add_patha("../examples/ch12/erlang")
coffee = code.module("coffee")
ok, p = coffee.start_link()
_ = erlang.unlink(p)   # keep the shell out of the machine's crashes

# %%
code.module_info("coffee", "attributes")

# %%
coffee.tea(), coffee.pay(50)

# %% [markdown]
# A customer has paid 50 of 100.
# Now we load version 1.1, the book's patch: it adds a `service` state (`open()` / `close()`) and a `code_change` that refunds a customer caught in `payment`.

# %%
code.load_abs("../examples/ch12/erlang/patches/coffee")

# %%
code.module_info("coffee", "attributes"), code.check_process_code(p, "coffee")

# %% [markdown]
# Version 1.1 is current, but the process still runs 1.0: `check_process_code` says it executes old code.
# `soft_purge` removes old code only if nobody runs it, so it refuses:

# %%
code.soft_purge("coffee")

# %% [markdown]
# Another coin is handled by 1.0, through local calls:

# %%
coffee.pay(20)

# %% [markdown]
# Now the upgrade message: 1.0 calls `coffee.code_change` fully qualified, which runs 1.1's, which refunds the 70 paid and moves to 1.1's `selection`:

# %%
erlang.send("coffee", ("upgrade", []))

# %%
code.check_process_code(p, "coffee"), code.soft_purge("coffee")

# %% [markdown]
# Nobody runs the old code any more, so `soft_purge` removed it.
# The machine now speaks 1.1 (the book's code run on OTP 25 prints the same lines):

# %%
coffee.open()

# %%
coffee.pay(10)

# %%
coffee.close()

# %% [markdown]
# ## Spot the bug
#
# The machine is closed after service and rebooted. A customer orders a tea:

# %%
coffee.tea()

# %% [markdown]
# No `Please pay:100`. Why?
#
# <details><summary>Answer</summary>
#
# 1.1's `service` state handles `close` by rebooting and displaying "Make Your Selection", and then loops back into **`service`** instead of `selection`.
# The machine says it is ready but ignores every order; only coins are handled (returned).
# The book's 1.1 has the same bug, on OTP 25 too.
#
# </details>

# %% [markdown]
# ## Two versions at most: purge kills
#
# Suppose we load 1.0 again from the code path: the process now runs old code (1.1).
# A third load would need a third version, and Erlang refuses:

# %%
code.load_file("coffee"), code.check_process_code(p, "coffee")

# %%
with logger.capture() as reports:
    r = code.load_file("coffee")
r, reports[0]["kind"]

# %% [markdown]
# OTP logs an ERROR REPORT "Loading of ... failed: not_purged" as well.
# Only `load_file` (and `load_abs`) refuse: the shell's `c(coffee)` and `code:load_binary` (here `code.load` and `code.load_binary`) would purge the old code themselves, killing whoever runs it, and load.
# `code.purge` removes the old code anyway, and **kills** every process still running it:

# %%
ref = erlang.monitor("process", p)
code.purge("coffee")

# %%
erlang.receive(("DOWN", ref, "process", p, erlang.ANY), timeout=500)[4]

# %% [markdown]
# This is the whole mechanism; everything else in this chapter makes it safe.
# A plain process needs a hand-written `upgrade` message in every state, and a process that is never told to jump blocks the next load (`not_purged`) until somebody purges, which kills it.

# %% [markdown]
# ## The OTP way: behaviours upgrade at their next callback
#
# A behaviour calls its callbacks fully qualified, so a `gen_fsm` picks up new code at its next event without any `upgrade` message.
# What it cannot do alone is convert its state: the data of 1.0 may not suit 1.1.
# `sys` gives the release handler three system messages for that: **suspend**, **change_code** (which calls the callback `code_change`), **resume**.
#
# The `coffee` application 1.0 (`coffee_sup` over the `gen_fsm` `coffee_fsm`), with a customer in `payment`:

# %%
from examples.ch12 import coffee_1_0 as v10, coffee_1_1 as v11
ok, sup = v10.coffee_sup.start_link()
erlang.unlink(sup)
fsm = code.module("coffee_fsm")

# %%
fsm.tea(), fsm.pay(50)

# %%
osys.get_state("coffee_fsm")

# %% [markdown]
# The state diagrams of 1.0 and 1.1 (the 1.0 machine has no `service`) are drawn below with one layout, so that a state is in the same place in both (`viz.fsm(coffee_fsm_1_0, layout_like=coffee_fsm_1_1)` draws one alone that way).
# The modules do not declare their graphs, so we write them down here to compare the two versions; the edges are grey because they are declared, not recorded (a running `gen_fsm` also puts its transitions on the trace bus, and `viz.fsm(pid)` would draw the ones it took):

# %%
class coffee_fsm_1_0:
    STATES = ["selection", "payment", "remove"]
    TRANSITIONS = [("selection", "payment", "order"), ("payment", "payment", "pay"), ("payment", "remove", "pay"),
                   ("payment", "selection", "cancel"), ("remove", "selection", "cup_removed")]
class coffee_fsm_1_1(coffee_fsm_1_0):
    TRANSITIONS = coffee_fsm_1_0.TRANSITIONS + [("selection", "service", "open"), ("service", "selection", "close")]

# %% [markdown]
# 1.1's `code_change` says how to get from one to the other (the book prints each call, and so does ours):
#
# ```erlang
# code_change('1.0', payment, {_Type, _Price, Paid}, _Extra) ->   % up: refund, start over
#     hw:return_change(Paid), hw:display("Make Your Selection"),
#     {ok, selection, {}};
# code_change({down, '1.0'}, service, LoopData, _Extra) ->         % down: 1.0 has no service
#     hw:reboot(), hw:display("Make Your Selection"),
#     {ok, selection, LoopData};
# code_change(_Vsn, State, LoopData, _Extra) ->
#     {ok, State, LoopData}.
# ```
#
# Drawn: 1.0 on top, 1.1 below, and between them which 1.0 state a machine is in before the upgrade and which 1.1 state it is in after (grey: unchanged; orange: moved by `code_change`).
# Nobody lands in 1.1's `payment`, and nobody in `service`: a machine enters those only through 1.1's own events.

# %%
viz.fsm_upgrade(coffee_fsm_1_0, coffee_fsm_1_1, {"payment": "selection"},
                title="code_change('1.0', ...): 1.0 state -> 1.1 state", notes={"payment": "refund"})

# %% [markdown]
# ## Upgrading by hand
#
# The steps a relup makes, one by one, as you would type them in an Erlang shell (`sys:suspend/1`, `code:load_file/1`, `sys:change_code/4`, `sys:resume/1`).
# First suspend: the machine now handles only system messages, and a coin inserted meanwhile waits in its mailbox:

# %%
osys.suspend("coffee_fsm")
fsm.pay(30)

# %%
code.load(v11.coffee_fsm), code.module_info("coffee_fsm")

# %% [markdown]
# 1.1 is loaded, but the suspended machine has not run a callback since.
# Now the state change, with the old version `'1.0'` and the appup's `Extra`.
# 1.1's `code_change` first prints its own call, without a newline, as the book's `io:format` does:

# %%
osys.change_code("coffee_fsm", "coffee_fsm", "1.0", ())

# %%
osys.resume("coffee_fsm")

# %% [markdown]
# The coin of 30 sent while suspended was handled after the resume, by 1.1 in `selection`: returned.
# No message was lost, and no customer paid for nothing.

# %%
osys.get_state("coffee_fsm"), code.soft_purge("coffee_fsm")

# %%
fsm.open()

# %% [markdown]
# Downgrading runs the steps in a different order: `code_change` must run in the **new** code, which knows both versions, *before* the old code is loaded.
# The old version is `('down', '1.0')`:

# %%
osys.suspend("coffee_fsm")
osys.change_code("coffee_fsm", "coffee_fsm", ("down", "1.0"), ())

# %%
code.load(v10.coffee_fsm), osys.resume("coffee_fsm"), osys.get_state("coffee_fsm")

# %%
try:
    fsm.open()
except ErlangError as e:
    print(e.detail)

# %% [markdown]
# Back in 1.0, `open` does not exist: a fully qualified call to a missing function is `undef`, as in Erlang.

# %% [markdown]
# ## The release handler: appup and relup
#
# Nobody types those steps on a live system.
# Each new application version ships an **appup** file saying how to go up from, and down to, older versions; for `coffee` 1.1 it updates one module, with `code_change`:
#
# ```erlang
# {"1.1",
#  [{"1.0", [{update, coffee_fsm, {advanced, {}}}]}],     % up from 1.0
#  [{"1.0", [{update, coffee_fsm, {advanced, {}}}]}]}.    % down to 1.0
# ```

# %%
v11.APPUP

# %% [markdown]
# `systools:make_relup` turns the appups of every changed application into one low-level script, the **relup**; `release.make_relup` writes the same instructions as the book's `ch12/relup` file:

# %%
from examples.ch12 import releases
to_vsn, [(frm, _, up)], [(_, _, down)] = release.make_relup(releases.REL_11, releases.REL_10)
up

# %%
down

# %% [markdown]
# | instruction | what happens |
# |---|---|
# | `load_object_code` | fetch the new code; nothing changes yet |
# | `point_of_no_return` | after this, a failure means restarting the node with the old release |
# | `suspend` | `sys.suspend` every process whose child spec lists the module |
# | `load` | purge old code (killing anybody in it), load the new version |
# | `code_change` | `sys.change_code` on each suspended process: up after the load, down before it |
# | `resume` | `sys.resume`; queued messages run in the new code |
#
# A fresh node, booted from release 1.0, and a customer in `payment`:

# %%
rt = runtime.reset(seed=0)
rec = viz.record()           # keep every trace event for the sequence chart
release.boot(releases.REL_10)

# %%
fsm.tea(), fsm.pay(50)

# %%
n0 = len(rec.events)
release_handler.install_release(releases.REL_11)

# %%
release_handler.which_releases(), code.module_info("coffee_fsm")[1]

# %% [markdown]
# The release handler found `coffee_fsm` by walking the `coffee` application's supervision tree: the top supervisor's callback module (`supervisor:get_callback_module`, which reads `sys:get_status`), then its children (`which_children`); then it sent `coffee_fsm` the system messages of the relup.
# The sequence chart since the install, in its text form, shows the conversation (`<0.80.0>` is the shell; the names come from the registrations recorded before the install):

# %%
names = [e for e in rec.events[:n0] if e["kind"] == "register"]
print(viz.sequence(names + rec.events[n0:], pids=[erlang.self(), "coffee_sup", "coffee_fsm"],
                   kinds=["send", "code_load", "release_installed"]))

# %% [markdown]
# And down again, from `service`:

# %%
fsm.open()

# %%
release_handler.install_release(releases.REL_10)

# %%
osys.get_state("coffee_fsm"), code.module_info("coffee_fsm")[1]

# %% [markdown]
# In real OTP, `release_handler:unpack_release` first unpacks the new release's tar file, `install_release` runs its relup, and `make_permanent` makes the node boot it next time; here `install_release` makes and runs the relup, and the releases live in memory (see [chapter 11](11_releases.ipynb)).

# %% [markdown]
# ## Spot the bug
#
# Back on 1.0, a customer pays 100 of a cappuccino's 150, and the operator stops the machine:

# %%
fsm.cappuccino(), fsm.pay(100)

# %%
fsm.stop()

# %%
supervisor.which_children("coffee_sup")

# %% [markdown]
# Two things went wrong. What are they?
#
# <details><summary>Answer</summary>
#
# 1. The refund: `Machine:Returned ('cappuccino', 150, 100) in change`. The book's 1.0 `payment(stop, From, LoopData)` passes the whole loop data to `hw:return_change` instead of the 100 paid (the book's code run on OTP 25 prints `{cappuccino,150,100}`). 1.1 keeps the bug.
# 2. `stop` did not stop the machine for long: the child is `permanent`, so its supervisor restarted it (a new pid, and a `supervisor_report` for a child that terminated with `normal`). To really stop it, stop the application or use a `transient` child.
#
# </details>

# %% [markdown]
# ## High-level instructions: add, load, delete, apply, restart
#
# `{update, Mod, {advanced, Extra}}` is one of several high-level instructions an appup may hold.
# Our coffee machine 1.2 (not in the book) reads its prices from the application environment, which takes four of them at once:

# %%
from examples.ch12 import coffee_1_2 as v12
v12.APPUP

# %% [markdown]
# | appup instruction | what it does |
# |---|---|
# | `('add_module', M)` | load a module that is new in this version |
# | `('load_module', M)` | load new code of a module that no process runs (a library) |
# | `('update', M, ('advanced', Extra))` | suspend the processes using M, load, `code_change(OldVsn, ..., Extra)`, resume |
# | `('update', M)` | the same without `code_change` (a *soft* change: the state did not change) |
# | `('update', M, 'supervisor')` | a supervisor's `init/1` changed: `code_change` with `[]`, which re-reads the child specs |
# | `('delete_module', M)` | remove M: it becomes old code, then is purged |
# | `('apply', (M, F, A))` | call `M:F(A...)` at this point of the upgrade |
# | `('restart_application', App)` | stop the application, swap all its modules, start it again |
# | `('add_application', App)`, `('remove_application', App)` | what `make_relup` writes for an application new in, or gone from, the release |
#
# Two kinds of options may follow the module:
#
# - **DepMods**, a list of modules this one depends on, each with an instruction of its own: `coffee_fsm` 1.2 calls `coffee_price`, so `coffee_price` must be loaded *before* `coffee_fsm` going up (after it going down), whatever order the appup lists them in.
# - **PrePurge** and **PostPurge**, `'brutal_purge'` (the default) or `'soft_purge'`: what to do with processes running the *old* code. PrePurge acts before the load: brutal kills them, soft makes `install_release` refuse with `('error', ('old_processes', M))` and change nothing. PostPurge acts on processes left in the code that the load made old: brutal kills them when the release is made permanent, soft leaves them until they leave it.
#
# `make_relup` expands them into low-level instructions, as OTP 25's `systools_rc` does (the same script, instruction for instruction: `tests/oracle_probes/ch12_appup_instructions.erl`):

# %%
to_vsn, [(frm, _, up)], [(_, _, down)] = release.make_relup(releases.REL_12, releases.REL_11)
up

# %% [markdown]
# `coffee_price` is loaded before `coffee_fsm` although the appup lists it first only by chance: the dependency decides.
# `coffee_app` keeps its purge options, and the `apply` comes last, where the appup put it.
# Going down, 1.2's appup says `restart_application`, which becomes a stop, a remove of every 1.2 module, a purge, a load of every 1.1 module and a start (a `delete_module` is the same `remove` and `purge` for one module):

# %%
down

# %% [markdown]
# A fresh node on 1.1, with a customer who has paid 50 for a tea, then the upgrade to 1.2:

# %%
rt = runtime.reset(seed=0)
release.boot(releases.REL_10), release_handler.install_release(releases.REL_11)

# %%
fsm.tea(), fsm.pay(50)

# %%
release_handler.install_release(releases.REL_12)

# %% [markdown]
# `coffee_fsm` was suspended, moved to the new code and resumed with the customer still in `payment`; then `apply` ran `coffee_price:announce()`.
# (The `config_change` line is the subject of the next section.)

# %%
osys.get_state("coffee_fsm"), [(m, code.current(m).vsn) for m in v12.MODULES]

# %% [markdown]
# Down again: `restart_application` stops `coffee` (the same INFO REPORT as `application.stop`), and the machine starts afresh on 1.1.
# The customer's 50 is neither refunded nor remembered: a restart is simple, but the state is lost.

# %%
before = erlang.whereis("coffee_fsm")
release_handler.install_release(releases.REL_11)

# %%
before, erlang.whereis("coffee_fsm"), code.is_loaded("coffee_price"), code.current("coffee_fsm").vsn

# %% [markdown]
# ## Upgrading environment variables: config_change
#
# A new release may come with a new `sys.config`, or an application's `.app` file may change its `env`.
# `install_release` notes the environment of every running application, installs the new application data and configuration, runs the relup, and then calls `Mod:config_change(Changed, New, Removed)` of each application whose environment differs (OTP 25's `application_controller:prep_config_change/0` and `config_change/1`).
# `Changed` and `New` are `[(key, value)]`, `Removed` is `[key]`; an application without the callback is skipped, and so is one whose environment did not change.
# `coffee_app` 1.2 has the callback; it only prints what it is told:

# %%
release_handler.install_release(releases.REL_12)

# %% [markdown]
# Going up from 1.1, whose `.app` had no `env`, every key is new.
# Release 1.3 keeps every application version and changes only the configuration: tea costs more, and there is a currency.

# %%
releases.REL_13.config

# %%
release.make_relup(releases.REL_13, releases.REL_12)[1]

# %% [markdown]
# No application changed, so the relup has nothing to load; the configuration changes all the same:

# %%
release_handler.install_release(releases.REL_13)

# %%
fsm.tea()

# %% [markdown]
# `coffee_price` reads the environment on every order, so the new price applies at once; a process that copied a value into its state at `init` would have to be told, which is what `config_change` is for.
# Values set at run time with `application:set_env` are gone after the upgrade: the environment is rebuilt from the `.app` file and the new `sys.config` (checked on OTP 25: `tests/oracle_probes/ch12_config_change.erl`).

# %% [markdown]
# ## Upgrading special processes: system_code_change
#
# A behaviour gets `code_change` from its library; a special process (a process that answers system messages itself, like the mutex of [chapter 10](10_special_processes.ipynb)) writes the callback itself: `system_code_change(Misc, Module, OldVsn, Extra)` converts its `Misc`, and the release handler drives it with the same suspend, change_code, resume.
# It only finds the process through its supervisor's child spec, so the module must be listed there (`modules`), as for any worker.
#
# The mutex 1.0 of chapter 10 is loaded as module `mutex` (as a boot script would), and a process takes the lock:

# %%
from examples.ch10 import mutex
from examples.ch12 import mutex_1_1
code.load(mutex, "mutex")
ok, door = mutex.start_link("door")
mutex.wait("door"), osys.get_state("door")

# %% [markdown]
# Version 1.1 (`examples/ch12/mutex_1_1.py`, not in the book) counts the locks it grants, so its state has one more field; its `system_code_change` adds it going up and drops it going down:
#
# ```python
# def system_code_change(misc, module, old_vsn, extra):
#     if old_vsn == "1.0":                   # ('busy', name, pid) -> ('busy', name, pid, grants)
#         return ("ok", misc + (extra if type(extra) is int else 0,))
#     if old_vsn == ("down", "1.0"):
#         return ("ok", misc[:-1])
#     return ("ok", misc)
# ```
#
# The upgrade, by hand, while we hold the lock:

# %%
osys.suspend("door"), code.load(mutex_1_1, "mutex"), osys.change_code("door", "mutex", "1.0", 0), osys.resume("door")

# %%
osys.get_state("door"), code.check_process_code(door, "mutex")

# %% [markdown]
# The holder is still the holder, and the process no longer runs 1.0: on the resume, 1.0's loop continued through `system_continue` of the *current* module (Erlang's `handle_system_msg` calls `Mod:system_continue/3`, fully qualified), which is 1.1's.
# A special process that continued with a local call would stay in 1.0 for ever, and the next load would kill it.
# The new code counts:

# %%
mutex.signal("door"), mutex.wait("door"), osys.get_state("door")

# %% [markdown]
# ## Upgrading in distributed environments
#
# A system of several nodes is not upgraded in one instant: the release is installed node by node, and for a while old and new versions talk to each other.
# Whatever one version sends, the other must understand.
# The book's rule: either the new version still speaks the old format and sends the new one only once every node understands it, or the upgrade is synchronised (the relup's `{sync_nodes, Id, Nodes}` makes each node's release handler wait at that point until all the listed nodes have reached it).
#
# Two simulated nodes (see [chapter 13](13_distributed_architectures.ipynb)), each with a `stock` server that knows the cups left in its machine; `ask(Node)` asks another node's server (`examples/ch12/stock_1_0.py`):

# %%
from otp_lite import dist, rpc
from examples.ch12 import stock_1_0, stock_1_1
rt = runtime.reset(seed=0)
net = dist.start("shell@host0", latency=5)
dist.start_node("cafe@host1"), dist.start_node("bar@host2")
rpc.call("cafe@host1", stock_1_0, "start", [40])[0], rpc.call("bar@host2", stock_1_0, "start", [25])[0]

# %%
rpc.call("cafe@host1", stock_1_0, "ask", ["bar@host2"]), rpc.call("bar@host2", stock_1_0, "ask", ["cafe@host1"])

# %% [markdown]
# Version 1.1 counts milk too and has a new request, `('level', ['cups', 'milk'])`; it still answers 1.0's `level`.
# We upgrade `cafe` first.
# Simulated: our nodes share one code server, so a node cannot hold a version of its own; here `cafe` "upgrades" by restarting its server on the 1.1 module (as a `restart_application` would), where a real node would load 1.1 and `code_change` the running server.

# %%
rpc.call("cafe@host1", stock_1_0, "stop", []), rpc.call("cafe@host1", stock_1_1, "start", [40, 12])[0]

# %% [markdown]
# The window: `cafe` runs 1.1, `bar` 1.0.
# The old node asking the new one works, because 1.1 still understands 1.0's request; and the new node asking the old one works as long as it sends the old format:

# %%
rpc.call("bar@host2", stock_1_0, "ask", ["cafe@host1"]), rpc.call("cafe@host1", stock_1_1, "ask", ["bar@host2", "1.0"])

# %% [markdown]
# The mistake: the new node sends the new format before the old node has been upgraded.
# 1.0 has no clause for it, and `bar`'s server crashes:

# %%
rpc.call("cafe@host1", stock_1_1, "ask", ["bar@host2", "1.1"])

# %% [markdown]
# Once *every* node runs 1.1 (`bar`'s server is gone, so it starts on 1.1 directly), the new format is safe in both directions:

# %%
rpc.call("bar@host2", stock_1_1, "start", [25, 8])[0]

# %%
rpc.call("cafe@host1", stock_1_1, "ask", ["bar@host2", "1.1"]), rpc.call("bar@host2", stock_1_1, "ask", ["cafe@host1", "1.1"])

# %% [markdown]
# Hence the usual two steps: first a version that understands both formats but sends the old one, installed everywhere; then the switch to the new format (a second upgrade, or a configuration change told through `config_change`).
# The alternative, `sync_nodes`, stops every node at the same instruction until all have reached it; otp_lite's release handler does not implement it, as a relup here runs on one simulated node.

# %% [markdown]
# ## Upgrading the emulator and core applications
#
# A new version of ERTS, or of `kernel`, `stdlib` or `sasl`, cannot be loaded module by module into the running emulator: the node must restart.
# The instruction for it is `restart_new_emulator`, and it always comes **first** in the relup: `systools` moves it there, before even `load_object_code`.
# The release handler then reboots the node with the new emulator and the new core applications, the other applications still in their old versions, and runs the rest of the script after the reboot; `release_handler` has written the new release as *current* in the `RELEASES` file before, so the node knows it is in the middle of an upgrade.
# A `restart_emulator` instruction, by contrast, goes **last**: upgrade everything, then reboot.
#
# None of this can run here: otp_lite has no emulator to restart, no `RELEASES` file and no boot.
# What can run is the ordering rule, on a made-up library whose appup asks for a restart:

# %%
import types
def lib(vsn, appup=None):
    return release.app(("application", "corelib", [("vsn", vsn), ("modules", ["corelib"])]),
                       {"corelib": types.SimpleNamespace(vsn=vsn)}, appup)
appup = ("2.0", [("1.0", [("load_module", "corelib"), "restart_new_emulator"])],
                [("1.0", [("load_module", "corelib"), "restart_new_emulator"])])
core10, core20 = release.release("core", "1.0", [(lib("1.0"), "load")]), release.release("core", "2.0", [(lib("2.0", appup), "load")])
_, [(_, _, up)], [(_, _, down)] = release.make_relup(core20, core10)
up

# %%
down

# %% [markdown]
# Going up, `restart_new_emulator` jumped to the front, although the appup put it last; going down it becomes a `restart_emulator` at the end (OTP 25's `systools_rc` answers the same: `tests/oracle_probes/ch12_appup_instructions.erl`).
# Our release handler refuses such a script before doing anything, and says why:

# %%
rt = runtime.reset(seed=0)
release.boot(core10), release_handler.install_release(core20)

# %% [markdown]
# ## Upgrades with rebar3
#
# rebar3 (with relx) builds releases and tarballs: `rebar3 release` and `rebar3 relup` (which calls `systools:make_relup` on the appups it finds), `rebar3 tar` for `release_handler:unpack_release`.
# It does not write the appups: you write them by hand, or a plugin such as `rebar3_appup_plugin` generates them by comparing the compiled modules of the two releases.
# Nothing of rebar3 runs here (no files, no compiler); what the plugin does is simple enough to show.
# `examples/ch12/appup_gen.py` compares two versions of an application module by module (by `vsn`, which in Erlang defaults to an MD5 of the code): a new module is added, a gone one deleted, a changed one updated with `('advanced', [])` if it keeps state (it has `code_change` or `system_code_change`), updated as a supervisor if it is one, and otherwise just loaded:

# %%
from examples.ch12 import appup_gen
appup_gen.generate(releases.COFFEE_10, releases.COFFEE_11)

# %%
appup_gen.generate(releases.COFFEE_11, releases.COFFEE_12)

# %% [markdown]
# For 1.0 to 1.1 it finds the book's appup (only `coffee_fsm` changed; `{advanced, []}` instead of the book's `{advanced, {}}`: both are just the `Extra` passed on).
# For 1.1 to 1.2 it finds the modules but not the dependency of `coffee_fsm` on `coffee_price`, nor the purge options or the `apply` we wrote by hand: a generated appup is a draft to read and correct, and the upgrade should be tested (up and down) before it reaches a live system.

# %% [markdown]
# ## Try it
#
# **1.** Upgrade the release while the machine is in `remove` (a paid tea, cup not taken). What does `code_change` print, and what state is the machine in after?
#
# <details><summary>Answer</summary>
#
# `code_change('1.0', remove, [], ()).` and the state stays `('remove', [])`: only `payment` is converted.
#
# </details>
#
# **2.** In the plain-process patch, send `("upgrade", [])` while the machine is in `selection`. Does the process leave the old code?
#
# <details><summary>Answer</summary>
#
# No: 1.1's `code_change` is handed 1.0's `selection` function and calls it, so the process goes straight back into 1.0 (`check_process_code` stays `True`). Only an upgrade in `payment` lands in 1.1's code. The purge that the next load needs would kill it.
#
# </details>
#
# **3.** Why must the downgrade run `code_change` before loading 1.0?
#
# <details><summary>Answer</summary>
#
# Only 1.1 knows the `service` state and how to leave it; 1.0's `code_change` (if it had one) has never heard of it. So the new code converts its state down to something 1.0 understands, and only then is 1.0 loaded.
#
# </details>

# %% [markdown]
# ## What you saw
#
# - A module has at most two versions; local calls stay in their version, fully qualified calls jump to the current one.
# - `soft_purge` refuses while a process runs old code; `load_file` of a third version fails with `not_purged`, while the shell's `c(M)` and `load_binary` (here `code.load`, `code.load_binary`) purge first, killing the processes still in the old code; `purge` kills.
# - A plain process upgrades only when it makes a fully qualified call, here on an `upgrade` message; the book's patch leaves the machine stuck in `service`.
# - A behaviour is upgraded with `sys`: suspend, load, `change_code` (your `code_change` converts the state), resume; messages sent meanwhile are handled afterwards.
# - An appup describes one application's upgrade and downgrade; a relup is the ordered script for the whole release, and the release handler runs it, down as well as up.
# - Appups have more instructions: `add_module`, `load_module`, `delete_module`, `apply`, `restart_application`; DepMods order the loads, PrePurge/PostPurge say what happens to processes left in old code.
# - After an upgrade, each application whose environment changed is told with `config_change(Changed, New, Removed)`.
# - A special process converts its own state in `system_code_change`, and must continue through `Mod:system_continue` to leave the old code.
# - Nodes are upgraded one at a time: during the window the new version must understand the old messages and send the new ones only once every node understands them (or the upgrade is synchronised).
# - A new emulator or new core applications need a node restart: `restart_new_emulator` comes first in the relup (it cannot run here).
# - rebar3 builds relups from appups; a plugin can draft the appups by comparing modules, but not their dependencies.
# - The book's 1.0 `stop` in `payment` refunds the state tuple, and a permanent child comes back after `stop`.
#
# Graded lab: `labs/12_coffee_upgrade` (`make grade LAB=12_coffee_upgrade`), the flagship: write coffee 1.1 and its `code_change` for up- and downgrade, tested in every state.
# The labs available in this checkout:

# %% [markdown]
# <!--LABS-->
