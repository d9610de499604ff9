"""Chapter 9: an including application and an included one, from one module.

    top_app   includes inc_app; its ``mod`` is ``('application_starter', [top_app, 'top'])``,
              so its start phases run through inc_app too
    inc_app   loaded with top_app, never started by the controller: top_app's supervisor
              starts inc_app's top supervisor as one of its children

This module is at once the application callback (``start``, ``start_phase``,
``stop``) and the supervisor callback (``init``) of both trees:

    application.start('top_app') -> start('normal', 'top') -> supervisor 'top_sup' (init('top'))
                                        child inc_sup -> start_inc() -> supervisor 'inc_sup' (init('inc'))
                                                              child inc_worker -> worker()

``tests/oracle_probes/ch09_apps.erl`` is the Erlang twin (one module too).
"""
import sys

from otp_lite import erlang, supervisor

_me = sys.modules[__name__]

TOP_APP = ("application", "top_app",
           [("description", "top_app"), ("vsn", "1.0"),
            ("modules", ["top_app"]), ("registered", ["top_sup"]),
            ("applications", ["kernel", "stdlib"]),
            ("included_applications", ["inc_app"]),
            ("start_phases", [("init", ["top"]), ("admin", ["top"]), ("oper", ["top"])]),
            ("mod", ("application_starter", [_me, "top"]))])

INC_APP = ("application", "inc_app",
           [("description", "inc_app"), ("vsn", "1.0"),
            ("modules", []), ("registered", ["inc_sup", "inc_worker"]),
            ("applications", ["kernel", "stdlib"]),
            ("start_phases", [("init", ["inc"]), ("oper", ["inc"])]),
            ("mod", (_me, "inc"))])


# ---------------------------------------------------------------- the application callback
def start(typ, args):
    print(f"start({typ!r}, {args!r})")
    return supervisor.start_link(("local", "top_sup"), _me, "top")


def start_phase(phase, typ, args):
    print(f"start_phase({phase!r}, {typ!r}, {args!r})")
    return "ok"


def stop(state):
    print(f"stop({state!r})")
    return "ok"


# ---------------------------------------------------------------- the supervisor callback
def init(which):
    if which == "top":
        return ("ok", ({"strategy": "one_for_one"},
                       [{"id": "inc_sup", "start": (_me, "start_inc", []), "type": "supervisor"}]))
    return ("ok", ({"strategy": "one_for_one"},
                   [{"id": "inc_worker", "start": (_me, "worker", [])}]))


def start_inc():
    return supervisor.start_link(("local", "inc_sup"), _me, "inc")


def worker():
    pid = erlang.spawn_link(erlang.receive)
    erlang.register("inc_worker", pid)
    return ("ok", pid)
