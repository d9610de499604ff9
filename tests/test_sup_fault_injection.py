"""Fault injection: 10,000 random worker kills across a 3-level supervision tree.

top (one_for_one, never gives up) -> m0 (one_for_one), m1 (rest_for_one), intensity 3/5 s
  -> leaf supervisors l0..l3 (one_for_one, one_for_all, rest_for_one, one_for_one), intensity 2/3 s
     -> 3 workers each (permanent and transient gen_servers)

Fixed seed, virtual clock; time advances between kills (sometimes not at all,
so bursts push leaves over their intensity and the failure escalates).  Checked:
* restart intensity is never exceeded silently, nor hit early: replaying OTP's
  add_restart over each supervisor incarnation's child_terminated reports predicts
  exactly the reached_max_restart_intensity reports;
* a call between the shell and a live worker always gets its reply, in order;
* at the end every child of every supervisor is back and alive.
"""
import random

from otp_lite import erlang, gen_server, logger, supervisor, timer, runtime

INTENSITY = {"top": (10**9, 1), "m0": (3, 5), "m1": (3, 5), "l0": (2, 3), "l1": (2, 3), "l2": (2, 3), "l3": (2, 3)}


class worker:
    @staticmethod
    def start_link(n):
        return gen_server.start_link(worker, n, [])

    @staticmethod
    def init(n):
        return ("ok", n)

    @staticmethod
    def handle_call(req, _from, n):
        return ("reply", (n, req), n)


class sup:
    @staticmethod
    def start_link(name, strategy, kids):
        return supervisor.start_link(("local", name), sup, (name, strategy, kids))

    @staticmethod
    def init(arg):
        name, strategy, kids = arg
        i, p = INTENSITY[name]
        return ("ok", ({"strategy": strategy, "intensity": i, "period": p}, kids))


def supspec(name, strategy, kids):
    return {"id": name, "start": (sup, "start_link", [name, strategy, kids]), "type": "supervisor"}


def tree():
    leaves = []
    for k, strat in enumerate(["one_for_one", "one_for_all", "rest_for_one", "one_for_one"]):
        ws = [{"id": f"w{k}{j}", "start": (worker, "start_link", [f"w{k}{j}"]),
               "restart": "transient" if j == 1 else "permanent"} for j in range(3)]
        leaves.append(supspec(f"l{k}", strat, ws))
    mids = [supspec("m0", "one_for_one", leaves[:2]), supspec("m1", "rest_for_one", leaves[2:])]
    return sup.start_link("top", "one_for_one", mids)


def replay_intensity(reports):
    """OTP's add_restart over each supervisor pid's reports; returns #mismatches."""
    by_pid = {}
    for r in reports:
        if r["kind"] == "supervisor_report":
            by_pid.setdefault(r["pid"], []).append(r)
    bad = 0
    shutdowns = 0
    for pid, reps in by_pid.items():
        name = reps[0]["data"]["supervisor"][1]
        inten, period = INTENSITY[name]
        restarts = []
        expect_shutdown = False
        for r in reps:
            ctx = r["data"]["errorContext"]
            if ctx == "child_terminated":
                assert not expect_shutdown, f"{name} went on restarting after exceeding its intensity"
                now = r["t"] // 1000
                restarts = [t for t in restarts if t >= now - period] + [now]
                expect_shutdown = len(restarts) > inten
            elif ctx == "shutdown":
                assert r["data"]["reason"] == "reached_max_restart_intensity"
                bad += not expect_shutdown
                shutdowns += 1
                expect_shutdown = False
        bad += expect_shutdown              # exceeded, but no report: silent
    return bad, shutdowns


def all_children(name):
    out = []
    for cid, pid, typ, _ in supervisor.which_children(name):
        assert type(pid) is erlang.Pid and pid.alive, f"{name}/{cid} is not back: {pid}"
        out.append(cid)
        if typ == "supervisor":
            out += all_children(cid)
    return out


def test_ten_thousand_kills():
    rng = random.Random(2024)
    with logger.capture() as reports:
        ok, top = tree()
        erlang.unlink(top)
        leaves = ["l0", "l1", "l2", "l3"]
        calls = 0
        for i in range(10_000):
            kids = supervisor.which_children(rng.choice(leaves))
            victim = rng.choice(kids)[1]
            erlang.exit(victim, "kill")
            if rng.random() < 0.7:
                timer.sleep(rng.choice([10, 200, 900, 1500, 4000]))
            else:
                runtime.run_until_idle()
            if i % 5 == 0:                      # a call to a live worker always gets its reply
                kids = supervisor.which_children(rng.choice(leaves))
                w = rng.choice(kids)[1]
                assert gen_server.call(w, ("ping", i)) == (kids[kids.index(next(k for k in kids if k[1] is w))][0], ("ping", i))
                calls += 1
        timer.sleep(10_000)
        assert erlang.is_process_alive(top)
        assert sorted(all_children("top")) == sorted(
            ["m0", "m1", "l0", "l1", "l2", "l3"] + [f"w{k}{j}" for k in range(4) for j in range(3)])
    bad, shutdowns = replay_intensity(reports)
    assert bad == 0
    assert shutdowns > 50                       # the bursts did escalate
    assert calls == 2000
    assert erlang.self().mbox == type(erlang.self().mbox)()
