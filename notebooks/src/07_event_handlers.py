# Source of notebooks/07_event_handlers.ipynb: edit here, then run `python tools/nbbuild.py 07`.

# %% [markdown]
# # 7 · Event Handlers: one manager, many handlers
#
# A server that reaches a limit should tell someone, without knowing who listens.
# OTP's answer is the **event manager** (`gen_event`): a process that receives events and passes each one to every **handler** installed in it.
# Handlers are callback modules, added and removed at run time; they run inside the manager's process.
# Chapter 7 of the book wires the frequency server of [chapter 4](04_generic_servers.ipynb) to an event manager with a counting handler and a logging handler.
# The Python versions live in `examples/ch7/`.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
import os, tempfile
from otp_lite import runtime, erlang, gen_event, alarm_handler, viz
from otp_lite.erlang import Exit, ANY
from examples.ch7 import freq_overload, freq_counters, freq_logger, crash_example, frequency
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same pids on every run

# %% [markdown]
# A small helper: `gen_event.which_handlers` returns the handler modules themselves, and a Python module prints with its file path, so we print their names.

# %%
def handlers(manager):
    return [h.__name__.rsplit(".", 1)[-1] for h in gen_event.which_handlers(manager)]

# %% [markdown]
# ## What you write, and what the manager does
#
# | manager API | handler callback |
# |---|---|
# | `gen_event.add_handler(m, h, args)` | `init(args)` returns `('ok', state)` |
# | `gen_event.notify(m, ev)` / `sync_notify` | `handle_event(ev, state)` in **every** handler |
# | `gen_event.call(m, h, request)` | `handle_call(request, state)` in handler `h` only |
# | any other message to `m` | `handle_info(msg, state)` in every handler |
# | `gen_event.delete_handler(m, h, args)` | `terminate(args, state)`; its value is returned |
#
# The book names its two handlers `counters` and `logger`.
# Since OTP 21 both names belong to modules that ship with Erlang itself (`logger` is the kernel's logging API, `counters` a preloaded module), so real OTP refuses to load the book's files.
# Python has no such clash, but we use the names you would need in real Erlang: `freq_counters` and `freq_logger`.

# %% [markdown]
# ## A manager and two handlers
#
# We start a bare manager named `m` and install both handlers: the logger prints numbered events, the counter counts identical ones in an ETS table.

# %%
gen_event.start(("local", "m"))

# %%
gen_event.add_handler("m", freq_logger, "standard_io"), gen_event.add_handler("m", freq_counters, [])

# %%
seen = runtime.Recorder(kinds=["send", "receive"]).start()   # keep the messages, for a chart below
gen_event.notify("m", "hello"), gen_event.sync_notify("m", "hello")

# %% [markdown]
# `notify` returns at once; `sync_notify` waits until every handler has handled the event.
# Between processes, each event is one message to the manager, whatever the number of handlers: `notify` sends `('notify', event)`, and `sync_notify` is a call, answered once all handlers are done:

# %%
seen.stop()
print("m is", erlang.whereis("m"), "and the shell", erlang.self())
print(viz.sequence(seen))

# %% [markdown]
# The handlers get no messages: they are not processes.
# Inside the manager the event is handed to each handler's `handle_event` in turn, by a function call, the newest handler first (as in OTP 25: `tests/oracle_probes/ch7_fanout.erl`).
# `viz.event_manager` draws that, with each handler's state, read without sending the manager anything:

# %%
viz.event_manager("m", event="hello")

# %% [markdown]
# The counter's state is its ETS table; the logger's is where it writes and the number of its next event.
# A plain message to the manager goes to every handler's `handle_info`: the logger prints it as `Unknown`, the counter ignores it.

# %%
erlang.send("m", "raw")

# %%
freq_counters.get_counters("m"), handlers("m")

# %% [markdown]
# `get_counters` is a `gen_event.call` to one handler.
# `which_handlers` lists the newest first.

# %% [markdown]
# ## Swapping a handler, keeping its state
#
# The logger prints to the screen; we want it to write to a file instead, without losing its count.
# `gen_event.swap_handler(m, (old, args1), (new, args2))` runs `old.terminate(args1, state)` and passes what it returns to `new.init((args2, that))`, atomically: no event is lost in between.
# The logger's `terminate('swap', ...)` returns its file and count, so the new instance carries on numbering:

# %%
log = os.path.join(tempfile.mkdtemp(), "events.log")
gen_event.swap_handler("m", (freq_logger, "swap"), (freq_logger, log))

# %%
gen_event.notify("m", "to_file")

# %%
gen_event.swap_handler("m", (freq_logger, "swap"), (freq_logger, "standard_io"))
gen_event.notify("m", "back")

# %%
print(open(log).read())

# %% [markdown]
# Event 4 went to the file and event 5 to the screen: one count across three handler instances.
# The manager now calls the logger first: `swap_handler` installs the new handler at the head of the list, as `add_handler` does (OTP 25 too):

# %%
viz.event_manager("m")

# %% [markdown]
# `delete_handler` returns whatever `terminate` returns:

# %%
gen_event.delete_handler("m", freq_logger, "stop")

# %% [markdown]
# ## Crash isolation
#
# A handler runs inside the manager, so what happens to the manager when a handler crashes?
# `examples/ch7/crash_example.py` has an `init` for every case, and divides by zero on the event `crash`.
# First, `init`'s return value decides whether the handler is added at all.
# `init('normal')` returns `('ok', [])`, `init('return')` returns `'error'`, and `init('ok')` returns a bare `'ok'`:

# %%
gen_event.add_handler("m", crash_example, "normal"), gen_event.add_handler("m", crash_example, "return")

# %%
gen_event.add_handler("m", crash_example, "ok"), handlers("m")

# %% [markdown]
# Only one `crash_example` is installed, the `'normal'` one.
# Any other value from `init` is handed back by `add_handler` as it is, and the handler is not added, so the bare `'ok'` looks like success but installed nothing (real OTP 25 does the same).
# Now the crash:

# %%
gen_event.notify("m", "crash")

# %%
handlers("m"), freq_counters.get_counters("m")

# %% [markdown]
# The reason is Python's `ZeroDivisionError` with the stack; Erlang's `1/0` would report `badarith`.
# The crashing handler was removed, with an error report; the manager and the counter carried on, and the counter even counted the event that killed its neighbour.
# A handler that returns a bad value is removed the same way.

# %% [markdown]
# ## Spot the bug
#
# The book's `logger` module has no `handle_call`: it only ever receives events.
# A colleague wants to ask it for its count:

# %%
gen_event.add_handler("m", freq_logger, "standard_io")
gen_event.call("m", freq_logger, "count")

# %%
handlers("m")

# %% [markdown]
# The call returned an error tuple rather than raising.
# What happened to the logger, and what should the module do?
#
# <details><summary>Answer</summary>
#
# `gen_event.call` runs `handle_call` in that one handler; the module has none, so the handler crashed with `undef` and the manager **removed it**, as real OTP 25 does.
# The caller only got `('error', ('EXIT', ...))`, and every later event is silently not logged.
# A handler module should define every callback, even as a catch-all returning `('ok', 'unknown_request', state)`.
#
# </details>

# %% [markdown]
# ## Supervised handlers
#
# A removed handler leaves no trace unless someone is told.
# `add_sup_handler` links the handler to the process that added it: if the handler is removed for any reason, that process receives `('gen_event_EXIT', handler, reason)`; if that process dies, the handler is removed.
# The book's `freq_overload` installs both handlers this way, in the caller of `freq_overload.start_link()`, here the shell:

# %%
gen_event.stop("m")
log = os.path.join(tempfile.mkdtemp(), "freq.log")
freq_overload.start_link(log)

# %% [markdown]
# ## The frequency server raises events
#
# The chapter's `frequency` module notifies `freq_overload` when it hands out the last frequency (`set_alarm`), when it turns a request down (`frequency_denied`), and when a frequency comes back after none were free (`clear_alarm`):

# %%
frequency.start_link()
[frequency.allocate() for _ in range(7)]

# %%
frequency.deallocate(13), frequency.allocate()

# %%
freq_counters.get_counters("freq_overload")

# %%
print(open(log).read())

# %% [markdown]
# The events carry the frequency server's pid, `<0.83.0>`, because they are raised inside it.
# Now delete the counters: the call returns what `terminate` returns, and the shell, which supervises the handler, is told why it went:

# %%
freq_overload.delete(freq_counters, "stop")

# %%
_, h, why = erlang.receive(("gen_event_EXIT", ANY, ANY))
h.__name__, why

# %% [markdown]
# ## The SASL alarm handler
#
# `set_alarm` and `clear_alarm` are not names the book invented: they are the protocol of OTP's own alarm manager, started with SASL.
# `alarm_handler` keeps the list of active alarms and logs each change:

# %%
alarm_handler.start()

# %%
alarm_handler.set_alarm(("no_frequency", erlang.self())), alarm_handler.set_alarm(("disk_full", "/var"))

# %%
alarm_handler.get_alarms()

# %%
alarm_handler.clear_alarm("no_frequency")
alarm_handler.get_alarms()

# %% [markdown]
# It is an ordinary `gen_event` handler in a manager named `alarm_handler`, so a system replaces it with its own (one that pages the operator) by `swap_handler`, exactly as we swapped the logger.

# %% [markdown]
# ## Try it
#
# **1.** Install the counter twice in the same manager: `gen_event.add_handler("freq_overload", (freq_counters, 1), [])`. What does `which_handlers` return?
#
# <details><summary>Answer</summary>
#
# A handler can be a pair `(module, id)`, so the same module can be installed several times; `which_handlers` then lists `(freq_counters, 1)` beside the others (adapt `handlers()` to print pairs).
# `gen_event.call` must then name the pair too.
#
# </details>
#
# **2.** Send `crash` to `freq_overload` with `gen_event.notify`. Which handlers survive?
#
# <details><summary>Answer</summary>
#
# All of them: `freq_logger` just logs the event as `Event:'crash'`. Only `crash_example` divides by zero on it.
#
# </details>
#
# **3.** `freq_overload.no_frequency()` notifies `('set_alarm', ...)`. How would you forward those events to the SASL `alarm_handler` too?
#
# <details><summary>Answer</summary>
#
# Write a handler whose `handle_event(('set_alarm', a), s)` calls `alarm_handler.set_alarm(a)` (and the same for `clear_alarm`), and add it to `freq_overload`.
# The frequency server does not change at all: that is the point of an event manager.
#
# </details>

# %% [markdown]
# ## What you saw
#
# - An event manager passes every event to every handler; handlers are added, swapped and deleted at run time.
# - One event is one message to the manager; the handlers are function calls inside its process, the newest first (`viz.event_manager` draws them with their states).
# - `swap_handler` hands the old handler's state to the new one, so a logger moves from screen to file without losing its count.
# - A crashing handler is removed and the others carry on; the book's logger has no `handle_call`, so a call removes it.
# - `add_sup_handler` tells the adding process (`gen_event_EXIT`) when its handler goes.
# - SASL's `alarm_handler` keeps active alarms with the same `set_alarm` / `clear_alarm` events.
#
# Graded lab: [labs/07_overload_handlers](../labs/07_overload_handlers/README.md) (`make grade LAB=07_overload_handlers`), the counters and logger handlers with swap, wired to the frequency server.
#
# Next: [chapter 8](08_supervisors.ipynb), supervisors.
