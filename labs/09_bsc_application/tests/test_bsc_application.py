"""Checks for lab 09: the BSC as an application.

Tasks are the ``## N.`` headings of README.md.  Task 1 loads ``bsc.APP`` and
reads it back with ``application.get_key``/``get_env``.  Task 2 starts the
callback module under a resource of the check's own (so a slip in ``APP``
costs task 1, not task 2).  Tasks 3-5 start the learner's ``bsc.APP``.  The
shell traps exits (``bsc.start`` called by hand links the tree to it), and
every check captures the log reports (``exited: ...``, ``Kernel pid terminated``).
"""
from pathlib import Path

import pytest

from otp_lite import application, erlang, ets, gen_event, logger, runtime, supervisor
from otp_lite.grade.labkit import require, expect, check, exits_of

# Import guard: a missing or misnamed function fails every check with one clear line.
bsc = require("bsc", "start", "start_phase", "stop")
frequency = require("frequency", "start_link", "allocate", "get_frequencies")
import simple_phone_sup  # noqa: E402  (given)

NAMES = ["bsc_sup", "freq_overload", "frequency", "simple_phone_sup"]
DEFAULT = [10, 11, 12, 13, 14, 15]
# Task 2's resource: the check's own, with frequencies the given DEFAULT does not have.
RES = {"name": "bsc", "description": "Base Station Controller (check)", "vsn": "0.9",
       "applications": ["kernel", "stdlib"], "env": [("frequencies", [20, 21, 22])],
       "mod": (bsc, [])}


@pytest.fixture(autouse=True)
def reports(fresh_runtime):
    """The shell traps exits; every check collects the log reports."""
    erlang.process_flag("trap_exit", True)
    with logger.capture() as reps:
        yield reps


# ---------------------------------------------------------------- helpers
def app_resource():
    """bsc.APP, checked to be a resource (a dict with a name, or ('application', name, [(k, v)]))."""
    app = getattr(bsc, "APP", None)
    ok = (type(app) is dict and "name" in app) or (type(app) is tuple and len(app) == 3 and app[0] == "application")
    if not ok:
        raise AssertionError(f"Checked bsc.APP. Got {app!r}, expected a resource: a dict with 'name', 'vsn', ... "
                             "or ('application', 'bsc', [(key, value), ...]).")
    return app


def app_resource_key(key):
    app = app_resource()
    return dict(app[2]).get(key) if type(app) is tuple else app.get(key)


def load(res, what="bsc.APP"):
    """application.load(res) -> 'ok', or a check failure that says why."""
    try:
        r = application.load(res)
    except erlang.ErlangError as e:
        raise AssertionError(f"Called application.load({what}). It raised {e}.") from None
    expect(f"application.load({what})", r, "ok")


def load_app():
    load(app_resource())


def names_of(apps):
    return [a[0] for a in apps]


def exited(reps):
    """The 'exited' info reports: [(application, reason, type)]."""
    return [(r["data"]["application"], r["data"]["exited"], r["data"]["type"])
            for r in reps if r["kind"] == "info_report"]


def alive_tree():
    """The tree is up: every registered name of the BSC is a live process; returns {name: pid}."""
    found = {n: erlang.whereis(n) for n in NAMES}
    check("the registered processes of the running bsc (whereis)",
          {n: erlang.is_pid(p) and erlang.is_process_alive(p) for n, p in found.items()},
          {n: True for n in NAMES})
    return found


def started_app(start_type="temporary"):
    """Load bsc.APP and ensure_all_started('bsc', start_type); the tree must be up."""
    load_app()
    r = application.ensure_all_started("bsc", start_type)
    if type(r) is not tuple or r[0] != "ok":
        raise AssertionError(f"Called application.ensure_all_started('bsc', {start_type!r}). "
                             f"Got {r!r}, expected ('ok', [...]).")
    return alive_tree()


def allocations(n):
    return [frequency.allocate() for _ in range(n)]


def kill(name):
    pid = erlang.whereis(name)
    check(f"that {name} runs before it is killed", erlang.is_pid(pid), True)
    erlang.exit(pid, "kill")
    runtime.run_until_idle()


def handler_names():
    return sorted(getattr(h, "__name__", repr(h)).rsplit(".", 1)[-1]
                  for h in gen_event.which_handlers("freq_overload"))


# ---------------------------------------------------------------- task 1: the resource
@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_resource_loads():
    """bsc.APP loads: name 'bsc', description 'Base Station Controller', vsn '1.0'"""
    load_app()
    expect("application.get_key('bsc', 'description')", application.get_key("bsc", "description"),
           ("ok", "Base Station Controller"))
    expect("application.get_key('bsc', 'vsn')", application.get_key("bsc", "vsn"), ("ok", "1.0"))


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_registered_names():
    """registered: the four names the tree registers (bsc_sup, freq_overload, frequency, simple_phone_sup)"""
    load_app()
    r = application.get_key("bsc", "registered")
    regs = r[1] if type(r) is tuple and len(r) == 2 and type(r[1]) is list else r
    check("the registered names in bsc.APP (sorted)", sorted(regs, key=repr) if type(regs) is list else regs,
          sorted(NAMES))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_applications():
    """applications: kernel, stdlib and sasl must run before bsc (in any order)"""
    load_app()
    r = application.get_key("bsc", "applications")
    if type(r) is tuple and len(r) == 2 and type(r[1]) is list:
        r = ("ok", sorted(r[1], key=repr))
    expect("application.get_key('bsc', 'applications') (sorted)", r, ("ok", ["kernel", "sasl", "stdlib"]))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_default_env():
    """env: the default frequencies [10, ..., 15] under the key 'frequencies'"""
    load_app()
    expect("application.get_env('bsc', 'frequencies')", application.get_env("bsc", "frequencies"),
           ("ok", DEFAULT))


@pytest.mark.task(taskno=1)
@pytest.mark.points(1)
def test_mod():
    """mod: (the bsc module, []): the application callback module and its start arguments"""
    load_app()
    r = application.get_key("bsc", "mod")
    mod = r[1] if type(r) is tuple and len(r) == 2 else r
    shown = (mod[0].__name__, mod[1]) if type(mod) is tuple and len(mod) == 2 and hasattr(mod[0], "__name__") else mod
    check("the 'mod' of bsc.APP as (module name, start args)", shown, ("bsc", []))


# ---------------------------------------------------------------- task 2: callback + env
@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_start_callback_starts_bsc_sup():
    """bsc.start('normal', []) returns ('ok', pid) of bsc_sup, linked to the caller"""
    r = bsc.start("normal", [])
    top = erlang.whereis("bsc_sup")
    if type(r) is tuple and len(r) == 3 and r[:2] == ("ok", top):
        r = r[:2]                                   # ('ok', pid, state): OTP accepts it too
    expect("bsc.start('normal', [])", r, ("ok", top) if erlang.is_pid(top) else ("ok", "<pid of bsc_sup>"))
    check("that bsc_sup is linked to the caller of bsc.start (the application master)",
          erlang.self() in erlang.process_info(top, "links")[1], True)
    check("the children of bsc_sup", [c[0] for c in supervisor.which_children("bsc_sup")],
          ["simple_phone_sup", "frequency", "freq_overload"])


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_stop_callback():
    """the application starts and stops with the callback module; bsc.stop(state) returns 'ok'"""
    load(RES, "RES")
    expect("application.start('bsc') with mod (bsc, [])", application.start("bsc"), "ok")
    expect("application.stop('bsc')", application.stop("bsc"), "ok")
    expect("bsc.stop([])", bsc.stop([]), "ok")


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_frequencies_from_env():
    """the frequency server hands out the env's frequencies ([20, 21, 22] here), then no_frequency"""
    load(RES, "RES")
    expect("application.start('bsc') with env frequencies [20, 21, 22]", application.start("bsc"), "ok")
    expect("frequency.allocate() four times", allocations(4),
           [("ok", 20), ("ok", 21), ("ok", 22), ("error", "no_frequency")])


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_default_without_env():
    """no bsc env (not loaded): get_frequencies() falls back to [10, ..., 15]"""
    expect("frequency.get_frequencies() with bsc not loaded", frequency.get_frequencies(), DEFAULT)


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_config_file_overrides():
    """bsc.config, loaded with application.load_config, sets the frequencies to [1, ..., 6]"""
    path = Path(bsc.__file__).resolve().parent / "bsc.config"
    check("that bsc.config exists beside bsc.py", path.is_file(), True)
    try:
        r = application.load_config(str(path))
    except Exception as e:                                  # noqa: BLE001
        raise AssertionError(f"Called application.load_config('bsc.config'). It raised {e!r}.") from None
    expect("application.load_config('bsc.config')", r, "ok")
    load(RES, "RES")
    expect("application.get_env('bsc', 'frequencies') after the config", application.get_env("bsc", "frequencies"),
           ("ok", [1, 2, 3, 4, 5, 6]))
    expect("application.start('bsc')", application.start("bsc"), "ok")
    expect("frequency.allocate()", frequency.allocate(), ("ok", 1))


@pytest.mark.task(taskno=2)
@pytest.mark.points(1)
def test_restart_reads_env_again():
    """set_env does not change a running server; the restarted frequency server reads the new env"""
    load(RES, "RES")
    expect("application.start('bsc')", application.start("bsc"), "ok")
    application.set_env("bsc", "frequencies", [7])
    expect("frequency.allocate() after set_env (the running server read the env at init)",
           frequency.allocate(), ("ok", 20))
    kill("frequency")
    expect("frequency.allocate() twice after frequency was killed and restarted", allocations(2),
           [("ok", 7), ("error", "no_frequency")])


# ---------------------------------------------------------------- task 3: start and stop
@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_missing_dependency():
    """application.start('bsc') without sasl: ('error', ('not_started', 'sasl')), nothing started"""
    load_app()
    expect("application.start('bsc')", application.start("bsc"), ("error", ("not_started", "sasl")))
    expect("erlang.whereis('bsc_sup')", erlang.whereis("bsc_sup"), "undefined")
    check("the running applications", names_of(application.which_applications()), ["stdlib", "kernel"])


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_ensure_all_started():
    """ensure_all_started('bsc') starts sasl then bsc: ('ok', ['sasl', 'bsc']); its processes belong to bsc"""
    load_app()
    expect("application.ensure_all_started('bsc')", application.ensure_all_started("bsc"), ("ok", ["sasl", "bsc"]))
    check("the newest running application (which_applications() lists the newest first)",
          names_of(application.which_applications())[:1], ["bsc"])
    alive_tree()
    check("application.get_application(pid) of each registered process",
          {n: application.get_application(erlang.whereis(n)) for n in NAMES}, {n: ("ok", "bsc") for n in NAMES})


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_stop_logs_exited_stopped(reports):
    """application.stop('bsc') -> 'ok', logs 'application: bsc, exited: stopped, type: temporary'"""
    started_app()
    others = [a for a in names_of(application.which_applications()) if a != "bsc"]
    expect("application.stop('bsc')", application.stop("bsc"), "ok")
    check("the 'exited' reports (application, exited, type)", exited(reports), [("bsc", "stopped", "temporary")])
    check("the running applications after the stop (bsc alone has gone)", names_of(application.which_applications()),
          others)
    expect("application.stop('bsc') a second time", application.stop("bsc"), ("error", ("not_started", "bsc")))


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_stop_removes_every_process(trace):
    """after application.stop('bsc'), the registered processes, the phones and the HLR are gone"""
    tree = started_app()
    phone = simple_phone_sup.attach_phone(1)
    check("simple_phone_sup.attach_phone(1)[0]", phone[0] if type(phone) is tuple else phone, "ok")
    expect("application.stop('bsc')", application.stop("bsc"), "ok")
    runtime.run_until_idle()
    check("erlang.whereis(name) after the stop", {n: erlang.whereis(n) for n in NAMES},
          {n: "undefined" for n in NAMES})
    check("that the processes of the tree and the phone are dead",
          [erlang.is_process_alive(p) for p in list(tree.values()) + [phone[1]]], [False] * 5)
    check("how bsc_sup ended (its parent, the application master, stopped it)", exits_of(trace, tree["bsc_sup"]),
          ["shutdown"])
    expect("ets.info('msisdn2pid') (the HLR, owned by bsc_sup)", ets.info("msisdn2pid"), "undefined")


# ---------------------------------------------------------------- task 4: start types
@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_temporary_dies_alone(reports):
    """temporary: when bsc_sup is killed, bsc stops alone (exited: killed) and the node runs on"""
    started_app("temporary")
    others = [a for a in names_of(application.which_applications()) if a != "bsc"]
    kill("bsc_sup")
    check("the last 'exited' report", exited(reports)[-1:], [("bsc", "killed", "temporary")])
    check("the running applications (bsc alone has gone)", names_of(application.which_applications()), others)
    expect("application.node_status()", application.node_status(), "running")
    expect("erlang.whereis('frequency')", erlang.whereis("frequency"), "undefined")
    expect("application.start('bsc') again", application.start("bsc"), "ok")
    alive_tree()


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_permanent_takes_the_node_down(reports):
    """permanent: when bsc_sup is killed, the node stops ('application_terminated', 'bsc', 'killed')"""
    load_app()
    expect("application.start('sasl')", application.start("sasl"), "ok")
    expect("application.start('bsc', 'permanent')", application.start("bsc", "permanent"), "ok")
    alive_tree()
    kill("bsc_sup")
    why = ("application_terminated", "bsc", "killed")
    expect("application.node_status()", application.node_status(), ("stopped", why))
    expect("application.which_applications()", application.which_applications(), [])
    check("the 'Kernel pid terminated' reports", len([r for r in reports if r["kind"] == "node_stopped"]), 1)


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_transient_escalation_takes_the_node_down():
    """transient: 3 frequency crashes in an hour, bsc_sup gives up ('shutdown', not 'normal'): the node stops"""
    started_app("transient")
    kill("frequency")
    kill("frequency")
    expect("application.node_status() after 2 frequency crashes (restarted)", application.node_status(), "running")
    kill("frequency")
    expect("application.node_status() after the third", application.node_status(),
           ("stopped", ("application_terminated", "bsc", "shutdown")))


# ---------------------------------------------------------------- task 5: a start phase
@pytest.mark.task(taskno=5)
@pytest.mark.points(1)
def test_start_phase_adds_the_handlers():
    """bsc.start adds no handler; bsc.start_phase for each phase in APP adds freq_counters and freq_logger"""
    phases = app_resource_key("start_phases")
    check("that bsc.APP has a non-empty 'start_phases' list of (phase, args)",
          type(phases) is list and len(phases) > 0 and all(type(p) is tuple and len(p) == 2 for p in phases), True)
    r = bsc.start("normal", [])
    check("bsc.start('normal', [])[0]", r[0] if type(r) is tuple else r, "ok")
    check("the handlers of freq_overload after bsc.start (before the phases)", handler_names(), [])
    for phase, args in phases:
        expect(f"bsc.start_phase({phase!r}, 'normal', {args!r})", bsc.start_phase(phase, "normal", args), "ok")
    check("the handlers of freq_overload after the phases (sorted)", handler_names(),
          ["freq_counters", "freq_logger"])


@pytest.mark.task(taskno=5)
@pytest.mark.points(1)
def test_handlers_installed_once():
    """started as an application, freq_overload has each handler once (the book installs them twice)"""
    started_app()
    check("the handlers of freq_overload (sorted)", handler_names(), ["freq_counters", "freq_logger"])
    gen_event.notify("freq_overload", ("event", "ping"))
    import freq_counters
    expect("freq_counters.get_counters() after one event", freq_counters.get_counters(),
           ("counters", {("event", "ping"): 1}))
