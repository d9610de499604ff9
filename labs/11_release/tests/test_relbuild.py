"""Checks for lab 11: build a release by hand.

Tasks are the ``## N.`` headings of README.md.  Each task is checked on its
own inputs: task 3 gives ``make_script`` a ``.rel`` the check wrote (not one
from ``make_rel``), task 4 gives ``boot`` a script the check wrote, so one
slip costs one task.  The expected terms are OTP 25's (probed with
``systools:make_script`` and ``application:start/2``:
tests/oracle_probes/ch11_release_lab.erl, ch11_start_types.erl).  Where OTP
allows several boot orders (applications that do not need each other), any
order that respects the dependencies is accepted.
"""
import pytest

from otp_lite import application, erlang, logger, runtime
from otp_lite.grade.labkit import require, expect, check

relbuild = require("relbuild", "boot_order", "make_rel", "make_script", "boot", "after_exit")


def top():
    """An application's top process: it ends with the reason it is sent."""
    msg = erlang.receive()
    erlang.exit(msg[1])


class demo_app:
    """The application callback of every check application: a top process that waits."""

    @staticmethod
    def start(typ, args):
        return ("ok", erlang.spawn_link(top))

    @staticmethod
    def stop(state):
        return "ok"


def app(name, vsn, deps, included=()):
    return ("application", name, [("description", name), ("vsn", vsn), ("modules", []),
                                  ("applications", ["kernel", "stdlib"] + list(deps)),
                                  ("included_applications", list(included)), ("mod", (demo_app, []))])


KERNEL = ("application", "kernel", [("description", "ERTS  CXC 138 10"), ("vsn", "8.5.3"), ("applications", [])])
STDLIB = ("application", "stdlib", [("description", "ERTS  CXC 138 10"), ("vsn", "4.2"), ("applications", ["kernel"])])
RES = [KERNEL, STDLIB,
       app("db", "2.1", []),
       app("inc", "0.1", []),
       app("web", "1.4", ["db"], included=["inc"]),       # web includes inc: loaded, started by web
       app("api", "1.4", ["db"]),                          # like web, without an included application
       app("admin", "0.3", ["api", "db"]),
       app("x", "1", ["y"]), app("y", "1", ["x"]),         # a cycle
       app("lone", "1", [])]
VSN = {r[1]: dict(r[2])["vsn"] for r in RES}
NEEDS = {r[1]: list(dict(r[2])["applications"]) for r in RES}
INCLUDES = {r[1]: list(dict(r[2]).get("included_applications", [])) for r in RES}


@pytest.fixture(autouse=True)
def quiet(fresh_runtime):
    """The shell traps exits (an application's top process is linked to its master, not to us);
    the log reports of stopped applications are kept out of the output."""
    erlang.process_flag("trap_exit", True)
    with logger.capture() as reps:
        yield reps


# ---------------------------------------------------------------- helpers
def names_list(call, got):
    """``got`` must be a list of application names."""
    if type(got) is not list or not all(type(n) is str for n in got):
        raise AssertionError(f"Called {call}. Got {got!r}, expected a list of application names.")
    return got


def out_of_order(order, needs):
    """[(app, dep)] where ``app`` comes before ``dep`` it needs (or ``dep`` is not there)."""
    pos = {n: i for i, n in enumerate(order)}
    return [(n, d) for n in order for d in needs.get(n, []) if d in needs and pos.get(d, len(order)) > pos[n]]


def entry(e):
    """A .rel entry, normalised to (name, vsn, type): (name, vsn) means permanent."""
    if type(e) is tuple and len(e) == 2:
        return (e[0], e[1], "permanent")
    return e


def rel_entries(call, rel):
    if not (type(rel) is tuple and len(rel) == 4 and rel[0] == "release" and type(rel[3]) is list):
        raise AssertionError(f"Called {call}. Got {rel!r}, expected ('release', (name, vsn), ('erts', erts), [entries]).")
    return [entry(e) for e in rel[3]]


def rel(*entries):
    """A .rel term the check writes itself (task 3 does not depend on make_rel)."""
    return ("release", ("shop", "1.0"), ("erts", "13.1.5"), [("kernel", "8.5.3"), ("stdlib", "4.2")] + list(entries))


def script_of(call, got):
    """The script as (loads, starts): ``[('load', app)...]`` and ``[('start', app, type)...]``."""
    ok = type(got) is list and all(type(s) is tuple and ((len(s) == 2 and s[0] == "load") or
                                                         (len(s) == 3 and s[0] == "start")) for s in got)
    if not ok:
        raise AssertionError(f"Called {call}. Got {got!r}, expected a list of ('load', app) and "
                             "('start', app, type) steps.")
    loads = [s[1] for s in got if s[0] == "load"]
    starts = [(s[1], s[2]) for s in got if s[0] == "start"]
    return got, loads, starts


def running():
    return [a[0] for a in application.which_applications()]


def top_of(name):
    r = application.get_supervisor(name)
    check(f"that {name} runs (application.get_supervisor({name!r}))", r[0] if type(r) is tuple else r, "ok")
    return r[1]


def kill_top(name, reason):
    """End ``name``'s top process with ``reason`` and let the controller hear of it."""
    erlang.send(top_of(name), ("die", reason))
    runtime.current().run_until_idle()


# ---------------------------------------------------------------- 1. boot order
@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_kernel_and_stdlib_boot_first():
    """kernel and stdlib come first, even when the release lists them last or not at all."""
    for names in (["db"], ["db", "stdlib", "kernel"]):
        got = names_list(f"relbuild.boot_order({names!r}, RES)", relbuild.boot_order(names, RES))
        expect(f"relbuild.boot_order({names!r}, RES)", got, ["kernel", "stdlib", "db"])


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_dependencies_boot_first():
    """Every application boots after the applications its .app needs (applications)."""
    names = ["kernel", "stdlib", "admin", "api", "db"]
    call = f"relbuild.boot_order({names!r}, RES)"
    got = names_list(call, relbuild.boot_order(names, RES))
    check(f"the applications in {call}, sorted", sorted(got), sorted(names))
    check(f"the (application, dependency) pairs in the wrong order in {got!r}", out_of_order(got, NEEDS), [])


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_included_applications_boot_before_their_includer():
    """An included application is loaded before the application that includes it."""
    names = ["kernel", "stdlib", "web", "inc", "db"]
    call = f"relbuild.boot_order({names!r}, RES)"
    got = names_list(call, relbuild.boot_order(names, RES))
    check(f"the applications in {call}, sorted", sorted(got), sorted(names))
    check(f"the (application, included application) pairs in the wrong order in {got!r}",
          out_of_order(got, INCLUDES), [])


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_missing_dependency_is_undefined():
    """A needed (or included) application the release does not list: undefined_applications."""
    names = ["kernel", "stdlib", "web", "inc", "admin", "api"]
    expect(f"relbuild.boot_order({names!r}, RES)",
           relbuild.boot_order(names, RES), ("error", ("undefined_applications", ["db"])))
    names = ["kernel", "stdlib", "web", "db"]
    expect(f"relbuild.boot_order({names!r}, RES)",
           relbuild.boot_order(names, RES), ("error", ("undefined_applications", ["inc"])))


@pytest.mark.task(taskno=1)
@pytest.mark.points(2)
def test_circular_dependency():
    """x needs y and y needs x: circular_dependencies, with the (name, vsn) of each."""
    got = relbuild.boot_order(["kernel", "stdlib", "lone", "x", "y"], RES)
    ok = type(got) is tuple and len(got) == 2 and type(got[1]) is tuple and len(got[1]) == 2 \
        and got[1][0] == "circular_dependencies" and type(got[1][1]) is list
    if not ok:
        raise AssertionError(f"Called relbuild.boot_order(['kernel', 'stdlib', 'lone', 'x', 'y'], RES). Got {got!r}, expected "
                             "('error', ('circular_dependencies', [(name, vsn), ...])).")
    check("the applications in the cycle, sorted", sorted(got[1][1]), [("x", "1"), ("y", "1")])
    expect("relbuild.boot_order(['kernel', 'stdlib', 'lone', 'x', 'y'], RES)[0]", got[0], "error")


# ---------------------------------------------------------------- 2. the .rel
@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_rel_names_the_release_and_versions():
    """The .rel: ('release', (name, vsn), ('erts', erts), entries) with each version from its .app."""
    call = "relbuild.make_rel('shop', '1.0', '13.1.5', [('db', 'permanent')], RES)"
    got = relbuild.make_rel("shop", "1.0", "13.1.5", [("db", "permanent")], RES)
    entries = rel_entries(call, got)
    expect(call + "[:3]", got[:3], ("release", ("shop", "1.0"), ("erts", "13.1.5")))
    check(f"the entries of {call}, sorted",
          sorted(entries), sorted([("db", "2.1", "permanent"), ("kernel", "8.5.3", "permanent"),
                                   ("stdlib", "4.2", "permanent")]))


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_rel_keeps_start_types():
    """Each entry carries its start type; (name, vsn) alone means permanent."""
    apps = [("kernel", "permanent"), ("stdlib", "permanent"), ("admin", "temporary"), ("api", "permanent"),
            ("db", "transient"), ("lone", "load")]
    call = f"relbuild.make_rel('shop', '1.0', '13.1.5', {apps!r}, RES)"
    entries = rel_entries(call, relbuild.make_rel("shop", "1.0", "13.1.5", apps, RES))
    check(f"the start types in {call}", {e[0]: e[2] for e in entries},
          {"kernel": "permanent", "stdlib": "permanent", "admin": "temporary", "api": "permanent",
           "db": "transient", "lone": "load"})


@pytest.mark.task(taskno=2)
@pytest.mark.points(2)
def test_rel_lists_applications_in_boot_order():
    """The entries are in boot order: kernel, stdlib, then each application after what it needs."""
    apps = [("admin", "temporary"), ("api", "permanent"), ("db", "transient"), ("stdlib", "permanent"),
            ("kernel", "permanent")]
    call = f"relbuild.make_rel('shop', '1.0', '13.1.5', {apps!r}, RES)"
    names = [e[0] for e in rel_entries(call, relbuild.make_rel("shop", "1.0", "13.1.5", apps, RES))]
    check(f"the first two applications of {call}", names[:2], ["kernel", "stdlib"])
    check(f"the (application, dependency) pairs in the wrong order in {names!r}", out_of_order(names, NEEDS), [])


# ---------------------------------------------------------------- 3. the boot script
SHOP = rel(("admin", "0.3", "temporary"), ("web", "1.4"), ("inc", "0.1"), ("api", "1.4"), ("db", "2.1", "transient"))


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_script_loads_everything_then_starts():
    """Every application is loaded (in boot order) before the first one starts (in boot order, with its type)."""
    call = "relbuild.make_script(SHOP, RES)"
    script, loads, starts = script_of(call, relbuild.make_script(SHOP, RES))
    check(f"the loaded applications of {call}, sorted", sorted(loads),
          sorted(["kernel", "stdlib", "admin", "web", "inc", "api", "db"]))
    first_start = next((i for i, s in enumerate(script) if s[0] == "start"), len(script))
    check(f"the steps of {call} after the first start", [s for s in script[first_start:] if s[0] == "load"], [])
    check(f"the loads in the wrong order in {call}", out_of_order(loads, {n: NEEDS[n] + INCLUDES[n] for n in NEEDS}), [])
    names = [n for n, _t in starts]
    check(f"the starts in the wrong order in {call}", out_of_order(names, NEEDS), [])
    check(f"the start types in {call} (inc aside: task 3's next check)",
          {n: t for n, t in starts if n != "inc"},
          {"kernel": "permanent", "stdlib": "permanent", "admin": "temporary", "web": "permanent",
           "api": "permanent", "db": "transient"})


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_script_does_not_start_an_included_application():
    """An included application is loaded but not started: the includer's supervisor starts its processes."""
    call = "relbuild.make_script(SHOP, RES)"
    _s, loads, starts = script_of(call, relbuild.make_script(SHOP, RES))
    check(f"whether {call} loads inc", "inc" in loads, True)
    check(f"the start steps of inc in {call}", [s for s in starts if s[0] == "inc"], [])


@pytest.mark.task(taskno=3)
@pytest.mark.points(2)
def test_script_load_and_none_types():
    """Type load: loaded, never started. Type none: neither loaded nor started."""
    r = rel(("api", "1.4", "load"), ("db", "2.1"), ("lone", "1", "none"))
    call = f"relbuild.make_script({r!r}, RES)"
    _s, loads, starts = script_of(call, relbuild.make_script(r, RES))
    check(f"the loaded applications of {call}, sorted", sorted(loads), ["api", "db", "kernel", "stdlib"])
    check(f"the started applications of {call}", [n for n, _t in starts], ["kernel", "stdlib", "db"])


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_script_needs_kernel_and_stdlib():
    """A .rel without kernel (or stdlib): missing_mandatory_app, as systools says."""
    r = ("release", ("shop", "1.0"), ("erts", "13.1.5"), [("stdlib", "4.2"), ("db", "2.1")])
    expect("relbuild.make_script(<.rel without kernel>, RES)", relbuild.make_script(r, RES),
           ("error", ("missing_mandatory_app", "kernel")))
    r = ("release", ("shop", "1.0"), ("erts", "13.1.5"), [("kernel", "8.5.3"), ("db", "2.1")])
    expect("relbuild.make_script(<.rel without stdlib>, RES)", relbuild.make_script(r, RES),
           ("error", ("missing_mandatory_app", "stdlib")))


@pytest.mark.task(taskno=3)
@pytest.mark.points(1)
def test_script_refuses_an_unknown_type():
    """A start type that is none of permanent, transient, temporary, load, none: illegal_applications."""
    r = rel(("db", "2.1", "forever"))
    expect(f"relbuild.make_script({r!r}, RES)", relbuild.make_script(r, RES),
           ("error", ("illegal_applications", [("db", "2.1", "forever")])))


# ---------------------------------------------------------------- 4. booting on otp_lite
@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_boot_starts_the_applications_in_order():
    """boot runs the script: the applications run, started in the script's order."""
    script = [("load", "kernel"), ("load", "stdlib"), ("load", "db"), ("load", "api"),
              ("start", "kernel", "permanent"), ("start", "stdlib", "permanent"),
              ("start", "db", "permanent"), ("start", "api", "temporary")]
    expect("relbuild.boot(<kernel, stdlib, db, api>, RES)", relbuild.boot(script, RES), "ok")
    check("application.which_applications() (newest first)", running(), ["api", "db", "stdlib", "kernel"])


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_boot_loads_without_starting():
    """A load step loads the .app (get_key answers) and starts nothing."""
    script = [("load", "kernel"), ("load", "stdlib"), ("load", "lone"),
              ("start", "kernel", "permanent"), ("start", "stdlib", "permanent")]
    expect("relbuild.boot(<lone loaded only>, RES)", relbuild.boot(script, RES), "ok")
    expect("application.get_key('lone', 'vsn')", application.get_key("lone", "vsn"), ("ok", "1"))
    check("application.which_applications()", running(), ["stdlib", "kernel"])


@pytest.mark.task(taskno=4)
@pytest.mark.points(2)
def test_boot_gives_each_application_its_start_type():
    """boot starts each application with the script's type (application.start's default is temporary)."""
    script = [("load", "kernel"), ("load", "stdlib"), ("load", "db"),
              ("start", "kernel", "permanent"), ("start", "stdlib", "permanent"), ("start", "db", "permanent")]
    expect("relbuild.boot(<db permanent>, RES)", relbuild.boot(script, RES), "ok")
    kill_top("db", "normal")
    check("application.node_status() after db (permanent) ended with normal",
          application.node_status(), ("stopped", ("application_terminated", "db", "normal")))


@pytest.mark.task(taskno=4)
@pytest.mark.points(1)
def test_boot_stops_at_the_first_error():
    """A step that fails ends the boot: boot returns its error and runs no later step."""
    script = [("load", "kernel"), ("load", "stdlib"), ("load", "db"), ("load", "api"), ("load", "lone"),
              ("start", "kernel", "permanent"), ("start", "stdlib", "permanent"),
              ("start", "api", "permanent"), ("start", "lone", "permanent")]
    expect("relbuild.boot(<api started before db>, RES)", relbuild.boot(script, RES),
           ("error", ("not_started", "db")))
    check("application.which_applications()", running(), ["stdlib", "kernel"])


# ---------------------------------------------------------------- 5. start types
STARTED = [("kernel", "permanent"), ("stdlib", "permanent"), ("db", "permanent"),
           ("api", "transient"), ("admin", "temporary")]


def after(app, reason):
    return relbuild.after_exit(list(STARTED), app, reason)


@pytest.mark.task(taskno=5)
@pytest.mark.points(2)
def test_temporary_application_dies_alone():
    """A temporary application that crashes is gone; the node and the others keep running."""
    expect("relbuild.after_exit(STARTED, 'admin', 'boom')", after("admin", "boom"),
           ("running", [("kernel", "permanent"), ("stdlib", "permanent"), ("db", "permanent"), ("api", "transient")]))


@pytest.mark.task(taskno=5)
@pytest.mark.points(2)
def test_transient_application_ending_normally_dies_alone():
    """A transient application that ends with normal is gone; the node keeps running."""
    expect("relbuild.after_exit(STARTED, 'api', 'normal')", after("api", "normal"),
           ("running", [("kernel", "permanent"), ("stdlib", "permanent"), ("db", "permanent"), ("admin", "temporary")]))


@pytest.mark.task(taskno=5)
@pytest.mark.points(2)
def test_transient_application_failing_stops_the_node():
    """A transient application that ends with anything but normal (shutdown too) stops the node."""
    expect("relbuild.after_exit(STARTED, 'api', 'shutdown')", after("api", "shutdown"),
           ("stopped", ("application_terminated", "api", "shutdown")))


@pytest.mark.task(taskno=5)
@pytest.mark.points(2)
def test_permanent_application_ending_stops_the_node():
    """A permanent application that ends, even with normal, stops the node."""
    expect("relbuild.after_exit(STARTED, 'db', 'normal')", after("db", "normal"),
           ("stopped", ("application_terminated", "db", "normal")))
