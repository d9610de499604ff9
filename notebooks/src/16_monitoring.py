# Source of notebooks/16_monitoring.ipynb: edit here, then run `python tools/nbbuild.py 16`.

# %% [markdown]
# # 16 · Monitoring and Preemptive Support: metrics, alarms and logs
#
# Chapter 16 of the book is about knowing what a running system is doing, and acting before a problem becomes an outage.
# Its three tools are metrics (numbers sampled over time), alarms (a condition that is set, and later cleared) and logs (what happened, and why).
# This notebook puts all three on the frequency server of [chapter 4](04_generic_servers.ipynb), under the load spike that killed it in [chapter 15](15_scaling_out.ipynb), and uses an alarm to save it.
#
# **What is simulated.** Time is virtual and the server's work is a 2 ms `timer.sleep`, so it answers at most 500 requests per second and every run gives the same numbers.
# `otp_lite.metrics` stands in for a metrics library (OTP has none built in; the book discusses exometer and folsom); `alarm_handler` is SASL's, as in [chapter 7](07_event_handlers.ipynb); the reports are OTP's SASL reports, collected with `logger.capture()` instead of read from a file.
# The memory limit that kills an overloaded server is `loadgen.guard` (Erlang's `max_heap_size`), checking the mailbox every 10 ms.

# %%
import sys; sys.path.insert(0, "..")   # the repository root, so that `examples` imports
from otp_lite import runtime, erlang, metrics, alarm_handler, gen_event, logger, loadgen, timer
from otp_lite.viz.dashboard import dashboard
from examples.ch16 import frequency, freq_monitor, shedder, phones, log_analysis
rt = runtime.reset(seed=0)   # virtual clock, fixed seed: the same arrivals on every run

# %% [markdown]
# ## Metrics: counters, gauges, histograms
#
# `examples/ch16/frequency.py` is the frequency server with a few lines of instrumentation:
#
# - **counters** only go up: `calls` (requests served), `denials` (no frequency left), `shed` (refused at the door);
# - a **gauge** is a level that goes up and down: `free_frequencies`;
# - a **histogram** keeps every sample of a value and summarises it as percentiles: `latency_ms`, the time an `allocate` takes as the client sees it.
#
# A phone call allocates a frequency, talks for 100 ms, and hands it back.

# %%
ok, pid = frequency.start(100, 2)   # 100 frequencies, 2 ms of work per request
loadgen.run(frequency.phone_call, 100, 1000, settle=300)

# %%
metrics.snapshot()

# %% [markdown]
# The mean hides what the percentiles show: `p99` is the latency that one request in a hundred exceeds, and that is the one users complain about.
# A gauge is kept as a time series, so it can be plotted or checked against a threshold:

# %%
metrics.series("free_frequencies")[:5]

# %% [markdown]
# ## Alarms, thresholds and hysteresis
#
# An alarm is a condition, not an event: it is *set* when the condition starts and *cleared* when it ends, and SASL's `alarm_handler` keeps the list of alarms active now.
# `examples/ch16/freq_monitor.py` is a gen_server that wakes every 20 ms (by default), samples a few probes and sets or clears one alarm per probe.
# A probe hovering around a single threshold would set and clear its alarm on every sample (flapping); so each check has two thresholds, one to set and a lower one to clear.
#
# Watch the alarm reports for one probe, `hot` (set above 10, clear below 5), sampled every 10 ms while its value goes 8, 11, 9, 12, 7, 6, 11, 4, 6, 9, 3:

# %%
alarm_handler.start()
level = {"v": 0}
freq_monitor.start([("hot", lambda: level["v"], 10, 5)], every=10)
for v in [8, 11, 9, 12, 7, 6, 11, 4, 6, 9, 3]:
    level["v"] = v
    _ = timer.sleep(10)

# %% [markdown]
# Two reports for one excursion: set at 11, cleared at 4.
# With a single threshold (set above 10, clear below 10) the same values would have set the alarm three times and cleared it three times.

# %%
freq_monitor.stop()
alarm_handler.get_alarms()

# %% [markdown]
# ## Logs: what crashed, and who
#
# Every crash of a supervised process leaves reports in the log: a CRASH REPORT from the process and a SUPERVISOR REPORT from its supervisor.
# `examples/ch16/phones.py` runs three phone handlers with defects that fire at random (seeded): `phone_2` is the worst.
# `logger.capture()` collects the reports of 300 events instead of printing them.

# %%
with logger.capture() as reports:
    phones.start_link({"phone_1": [(0.01, "badarg")],
                       "phone_2": [(0.2, "timeout"), (0.05, ("badmatch", "idle"))],
                       "phone_3": [(0.02, "timeout")]})
    phones.traffic(300)
    timer.sleep(10)

# %%
log_analysis.by_kind(reports)

# %% [markdown]
# Dozens of reports are too many to read one by one; counting them is the first step of log analysis.
# Which exit reasons, and which child is the noisiest?

# %%
log_analysis.by_reason(reports)

# %%
log_analysis.noisiest(reports)

# %% [markdown]
# `phone_2` causes most of the noise, and `timeout` is its main reason: that is where to look first.
# The first crash report, as SASL prints it:

# %%
crashes = [r for r in reports if r["kind"] == "crash_report"]
print(logger.format_report(crashes[0]), end="")

# %% [markdown]
# Every crash left three reports, 22 of each, and each answers its own question:
#
# - the **error report** is the behaviour's: gen_server's `** Generic server phone_2 terminating`, with the last message it took, its state, and the reason;
# - the **crash report** is proc_lib's, for any process started with it: who the process was (initial call, ancestors, links, mailbox);
# - the **supervisor report** is the supervisor's: which child died, why, and what it did about it (`child_terminated`, then a restart).
#
# The fourth kind, the progress report (a child started), is at level info and so filtered out here; [chapter 9](09_applications.ipynb) shows all four side by side.
# The error report of the same crash:

# %%
errors = [r for r in reports if r["kind"] == "error_report"]
print(logger.format_report(errors[0]), end="")

# %% [markdown]
# **Levels.** Every report has one of logger's eight levels, from `emergency` to `debug`; the primary level (default `notice`, as in OTP 25) drops everything less severe before any handler sees it, and each handler can filter further.

# %%
with logger.capture() as seen:
    for level in logger.LEVELS:
        logger.log(level, f"a {level} event")
logger.get_level(), [r["level"] for r in seen]

# %% [markdown]
# **Log files and rotation.** Here reports are printed or collected; a real node writes them to disk, and a disk fills.
# OTP's file handler rotates: `logger:add_handler(h, logger_std_h, #{config => #{file => "app.log", max_no_bytes => 10485760, max_no_files => 5}})` starts `app.log.0` when `app.log` reaches 10 MiB, and keeps five old files, deleting the oldest (`compress_on_rotate` gzips them).
# In `tests/oracle_probes/ch16_logger.erl`, 100 short reports through a 400-byte, two-file handler leave `rot.log` (events 79 to 100), `rot.log.0` (53 to 78) and `rot.log.1` (27 to 52): events 1 to 26 are gone.
# Size your rotation so the files keep more than the time it takes to notice a problem; the book's tool for reading rotated SASL logs, `rb`, reads the older `log_mf_h` wrap logs (SASL's `error_logger_mf_dir`, still there in OTP 25).

# %% [markdown]
# ## The dashboard
#
# `dashboard(...)` puts the metrics, the mailboxes of key processes and the active alarms on one page.
# `thresholds` draws the alarm levels and flags a breach with `!` in the text.
# Its text form is what the test suite compares; in JupyterLab it shows as small panels: gauges and counters over time, the latency histogram, and the mailboxes now above the active alarms.
# `mailbox.frequency` is the gauge the monitor samples (undefined until a monitor runs); `mailbox frequency` is the queue length of the live process, read now.
#
# A dashboard is for the people on duty; the operations and maintenance (OAM) systems of a telecom operator or a data centre want the same numbers by protocol.
# OTP's `snmp` application is an SNMP agent (and manager): a node exposes its metrics and sends its alarms as traps, described in MIBs, to whatever network management system watches the site.
# Newer systems export to Prometheus, Graphite or StatsD through libraries (exometer, telemetry) instead; none of that runs in a notebook, and what they export is what this dashboard shows.

# %%
spec = dict(gauges=["mailbox.frequency", "free_frequencies"], counters=["calls", "shed", "denials"],
            histogram="latency_ms", processes=["frequency"], title="BSC",
            thresholds={"mailbox.frequency": 100, "free_frequencies": (10, "below")})
dashboard(**spec)

# %% [markdown]
# ## A spike, unmonitored
#
# Chapter 15's spike: 1500 phone calls per second for 1.5 s, three times the capacity, with the memory guard at 500 waiting messages.
# The monitor watches the server's mailbox (alarm `overload` above 100, cleared below 20) and the free frequencies (alarm `no_frequency` below 10, cleared above 20); nothing acts on the alarms yet.
# `logger.set_level("warning")` keeps the alarm reports quiet from now on.

# %%
logger.set_level("warning")
checks = [("overload", freq_monitor.mailbox("frequency"), 100, 20),
          ("no_frequency", freq_monitor.gauge("free_frequencies"), 10, 20)]

# %%
rt = runtime.reset(seed=0)
alarm_handler.start()
ok, pid = frequency.start(100, 2)
loadgen.guard(pid, 500)
_ = freq_monitor.start(checks)

# %%
loadgen.run(frequency.phone_call, 1500, 1500, settle=300), pid.alive

# %% [markdown]
# The monitor set `overload` as the queue passed 100, long before the guard struck at 500, and nothing acted on it: the server is dead, and every phone after it gets an error.

# %%
freq_monitor.stop()
dashboard(**spec)

# %% [markdown]
# ## Preemptive support: an alarm that acts
#
# Preemptive support means acting on the early warning, automatically.
# `examples/ch16/shedder.py` is a second handler on the `alarm_handler` event manager (chapter 7: one manager, many handlers): when `overload` is set it turns the server's load-shedding switch on, when it clears, off.
# While the switch is on, `allocate()` answers `('error', 'overload')` at once, *in the client*, without sending anything: shedding must not wait in the queue it is meant to shorten.

# %%
rt = runtime.reset(seed=0)
alarm_handler.start()
ok, pid = frequency.start(100, 2)
loadgen.guard(pid, 500)
_ = freq_monitor.start(checks)
gen_event.add_handler("alarm_handler", shedder, "overload")

# %% [markdown]
# Before: a normal load of 200 calls per second.

# %%
before = loadgen.run(frequency.phone_call, 200, 1000, settle=300)
dashboard(**spec)

# %% [markdown]
# During: start the spike in a process of its own and look at the dashboard 850 ms into it.

# %%
spike = erlang.spawn(lambda: loadgen.run(frequency.phone_call, 1500, 1500, settle=300))
_ = timer.sleep(850)
dashboard(**spec)

# %% [markdown]
# After: the spike is over; the alarms are cleared and the server is alive.
# The figure tells the whole story: the mailbox climbing to the alarm line and falling back, again and again, and the `shed` counter rising while the spike lasts.

# %%
_ = timer.sleep(1100)
dashboard(**spec)

# %% [markdown]
# What the shedder did, and when (ms):

# %%
freq_monitor.stop()
gen_event.call("alarm_handler", shedder, "actions"), pid.alive

# %% [markdown]
# It cycles: the switch goes on at 100 waiting messages and stays on for about a quarter of a second while the server works its queue down below 20; then it goes off, and the queue fills again within about 100 ms.
# The server served about as many calls per second as it can and refused the rest quickly, instead of dying with everyone's requests in its mailbox.

# %% [markdown]
# In JupyterLab, `dashboard(**spec).live()` gives the same page as a widget that redraws itself whenever a metric gets a new sample; with `runtime.reset(clock='real')` you can watch a spike happen.
#
# ## Try it
#
# 1. Set the overload alarm at 400 instead of 100 (`checks[0] = ("overload", freq_monitor.mailbox("frequency"), 400, 20)`) and rerun the preemptive section. Does the server survive?
# 2. Make the shedder react to `no_frequency` instead of `overload`. What happens during the spike?
# 3. Which single number of `metrics.snapshot()` would you put on a pager, and with which threshold?
#
# <details><summary>Answers</summary>
#
# 1. Yes, but only just: the mailbox peaks at about 410, 90 messages short of the guard. The monitor samples every 20 ms and the queue grows by tens of messages between two samples, so an alarm at 400 leaves only a few samples of margin; a sharper spike or a slower monitor, and the guard strikes first. An early warning must come early: the margin between alarm and failure is measured in reaction time.
# 2. Here the server survives too (the mailbox peaks near 220): at 1500 calls per second the 100 frequencies are soon all held, so `no_frequency` is set about 60 ms after `overload` would be, and the shedder acts. That is luck of this workload: the pool empties only because each call holds its frequency for 100 ms. A spike of short calls fills the queue without emptying the pool, and then the guard kills the server. Alarm on the cause of the failure (the queue), not on a symptom that happens to come with it.
# 3. The mailbox length of the server (`mailbox.frequency`) against a level well below the guard's: it rises before latency does, and long before the crash. Latency percentiles are the next best.
# </details>

# %% [markdown]
# ## What you saw
#
# - Counters, gauges and histograms answer different questions: how many, how much now, how long (and for whom it was slow).
# - An alarm is a state, set and cleared; two thresholds (hysteresis) stop it from flapping.
# - Log analysis starts with counting: reports by kind, by reason, by process; each crash leaves an error report (the behaviour's), a crash report (proc_lib's) and a supervisor report.
# - Levels filter reports before any handler sees them (primary level `notice` by default); log files rotate, and the oldest reports are lost.
# - A dashboard is metrics, mailboxes and alarms on one page; reading it is a human's job, acting on alarms can be the system's.
# - Preemptive support: an alarm raised before the failure, and an automatic action (load shedding at the edge) that prevents it.
#
# Practise it in [labs/16_alarms_and_shedding](../labs/16_alarms_and_shedding/README.md): metrics in an ETS table, a watchdog that raises and clears an overload alarm with hysteresis, and a shedder that refuses work while the alarm is set, so the service survives the spike. [labs/15_backpressure](../labs/15_backpressure/README.md) builds the same defence inside the server itself.
