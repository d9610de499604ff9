"""relbuild: build a release by hand, as systools does (lab 11, book ch. 11).

A release is a set of application versions that boot together.  OTP's
``systools`` reads the ``.rel`` file and every application's ``.app`` file and
writes the boot script; the emulator's ``init`` runs it.  Here you write the
pieces yourself, on the ``otp_lite`` application controller.  README.md has
the tasks.

    boot_order(names, resources)                 the names in the order they boot
    make_rel(name, vsn, erts, apps, resources)   the .rel term, in boot order
    make_script(rel, resources)                  the boot script: loads, then starts
    boot(script, resources)                      run a script on otp_lite's application controller
    after_exit(started, app, reason)             what the controller does when an application dies

A resource is the term of a ``.app`` file: ``('application', name, [(key, value), ...])``.
"""
from otp_lite import application

MANDATORY = ("kernel", "stdlib")
TYPES = ("permanent", "transient", "temporary", "load", "none")


def keys(res):
    """The ``[(key, value)]`` of a resource, as a dict."""
    return dict(res[2])


def by_name(resources):
    return {res[1]: res for res in resources}


# ---------------------------------------------------------------- 1. boot order
def boot_order(names, resources):
    """The applications of a release in the order they boot (see README, task 1)."""
    res = by_name(resources)
    names = list(MANDATORY) + [n for n in names if n not in MANDATORY]
    inrel = set(names)

    def needs(n):
        k = keys(res[n])
        return list(k.get("applications", [])) + list(k.get("included_applications", []))

    missing = sorted({d for n in names for d in needs(n) if d not in inrel})
    if missing:
        return ("error", ("undefined_applications", missing))
    order, done, path = [], set(), []

    def visit(n):
        if n in done:
            return None
        if n in path:
            cycle = path[path.index(n):]
            return ("error", ("circular_dependencies", [(c, keys(res[c])["vsn"]) for c in cycle]))
        path.append(n)
        for d in needs(n):
            err = visit(d)
            if err is not None:
                return err
        path.pop()
        done.add(n)
        order.append(n)
        return None

    for n in names:
        err = visit(n)
        if err is not None:
            return err
    return order


# ---------------------------------------------------------------- 2. the .rel
def make_rel(name, vsn, erts, apps, resources):
    """The ``.rel`` term of a release (see README, task 2)."""
    types = dict(apps)
    order = boot_order([n for n, _t in apps], resources)
    if type(order) is tuple:
        return order
    res = by_name(resources)
    entries = []
    for n in order:
        t = types.get(n, "permanent")
        v = keys(res[n])["vsn"]
        entries.append((n, v) if t == "permanent" else (n, v, t))
    return ("release", (name, vsn), ("erts", erts), entries)


# ---------------------------------------------------------------- 3. the boot script
def make_script(rel, resources):
    """The boot script of a ``.rel`` term (see README, task 3)."""
    entries = rel[3]
    names = [e[0] for e in entries]
    for m in MANDATORY:
        if m not in names:
            return ("error", ("missing_mandatory_app", m))
    bad = [e for e in entries if len(e) == 3 and e[2] not in TYPES]
    if bad:
        return ("error", ("illegal_applications", bad))
    types = {e[0]: (e[2] if len(e) == 3 else "permanent") for e in entries}
    order = boot_order(names, resources)
    if type(order) is tuple:
        return order
    res = by_name(resources)
    included = {i for n in names for i in keys(res[n]).get("included_applications", [])}
    script = [("load", n) for n in order if types[n] != "none"]
    script += [("start", n, types[n]) for n in order
               if types[n] in ("permanent", "transient", "temporary") and n not in included]
    return script


# ---------------------------------------------------------------- 4. booting
def boot(script, resources):
    """Run a boot script on otp_lite's application controller (see README, task 4)."""
    res = by_name(resources)
    for step in script:
        if step[1] in MANDATORY:             # already loaded and running in every runtime
            continue
        if step[0] == "load":
            r = application.load(res[step[1]])
        else:
            r = application.start(step[1], step[2])
        if r != "ok":
            return r
    return "ok"


# ---------------------------------------------------------------- 5. start types
def after_exit(started, app, reason):
    """What the application controller does when ``app`` ends with ``reason`` (README, task 5)."""
    typ = dict(started)[app]
    if typ == "temporary" or (typ == "transient" and reason == "normal"):
        return ("running", [(n, t) for n, t in started if n != app])
    return ("stopped", ("application_terminated", app, reason))
