"""Chapter 16: a supervisor of flaky phone handlers, to give the logs something to say.

    start_link(defects, seed=0)   phone_sup (one_for_one, intensity 1000 in 1 s) over one
                             gen_server per entry of ``defects``: {id: [(p, reason), ...]}
    traffic(n, seed=0)       ``n`` events spread over the phones; a handler whose
                             defect fires exits with that reason, and is restarted

Every crash produces a CRASH REPORT (the handler, from proc_lib) and a
SUPERVISOR REPORT (its supervisor, with the child's id): what
:mod:`examples.ch16.log_analysis` counts.
"""
import random
import sys

from otp_lite import erlang, gen_server, supervisor


def _me():
    return sys.modules[__name__]


class Sup:
    """The supervisor's callback namespace."""

    @staticmethod
    def init(defects):
        children = [{"id": cid, "start": (_me(), "start_phone", [cid, rules])}
                    for cid, rules in sorted(defects.items())]
        return ("ok", ({"strategy": "one_for_one", "intensity": 1000, "period": 1}, children))


def start_link(defects, seed=0):
    return supervisor.start_link(("local", "phone_sup"), Sup, {k: (v, seed) for k, v in defects.items()})


def start_phone(cid, rules):
    return gen_server.start_link(("local", cid), _me(), rules, [])


def traffic(n, seed=0):
    rng = random.Random(seed)
    ids = [c[0] for c in supervisor.which_children("phone_sup")]
    for _ in range(n):
        gen_server.cast(rng.choice(sorted(ids)), "event")
        erlang.yield_()
    return "ok"


def init(args):
    rules, seed = args
    return ("ok", {"rules": rules, "seed": seed, "events": 0})


def handle_cast(_event, st):
    st = dict(st, events=st["events"] + 1)
    rng = random.Random(f"{st['seed']}/{erlang.self()!r}/{st['events']}")   # plain data in the state
    for p, reason in st["rules"]:
        if rng.random() < p:
            erlang.exit(reason)                     # the defect: this event kills the handler
    return ("noreply", st)


def handle_call(_req, _from, st):
    return ("reply", "ok", st)


def handle_info(_msg, st):
    return ("noreply", st)


def terminate(_reason, _st):
    return "ok"
