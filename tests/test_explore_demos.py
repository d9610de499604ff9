"""The chapter demos of otp_lite.explore (issue 26, "Teach it"), outside the notebooks.

Each demo's program is written here again as the notebook writes it, so that a change in
explore or in a behaviour that breaks a demo fails here with a readable message, not only
as an nbval diff.  The failures are OTP's (the probes in tests/oracle_probes/ named below).
"""
from otp_lite import erlang, explore, gen_server, logger, runtime, supervisor, timer
from otp_lite.erlang import Exit


def setup_function(_f):
    runtime.reset(seed=0)


# ---------------------------------------------------------------- chapter 4: two accounts
class account:
    """Notebook 04: a transfer *calls* the other account's deposit."""
    def init(other):
        return ("ok", (other, 100))

    def handle_call(req, _from, s):
        other, money = s
        if req[0] == "transfer":
            gen_server.call(other, ("deposit", req[1]))
            return ("reply", "ok", (other, money - req[1]))
        if req[0] == "deposit":
            return ("reply", "ok", (other, money + req[1]))
        return ("reply", money, s)

    def handle_cast(_msg, s):
        return ("noreply", s)


class account_cast(account):
    """The fix: the deposit is a cast."""
    def handle_call(req, from_, s):
        other, money = s
        if req[0] == "transfer":
            gen_server.cast(other, ("deposit", req[1]))
            return ("reply", "ok", (other, money - req[1]))
        return account.handle_call(req, from_, s)

    def handle_cast(msg, s):
        other, money = s
        return ("noreply", (other, money + msg[1]))


def two_payments(acc):
    def test():
        gen_server.start(("local", "alice"), acc, "bob", [])
        gen_server.start(("local", "bob"), acc, "alice", [])
        me = erlang.self()

        def alice_pays():
            gen_server.call("alice", ("transfer", 10))
            erlang.send(me, "paid")

        def bob_pays():
            gen_server.call("bob", ("balance",))
            gen_server.call("bob", ("transfer", 10))
            erlang.send(me, "paid")

        erlang.spawn_link(alice_pays)
        erlang.spawn_link(bob_pays)
        erlang.receive("paid")
        erlang.receive("paid")
        assert gen_server.call("alice", ("balance",)) == gen_server.call("bob", ("balance",)) == 100
    return test


def test_ch4_the_plain_run_of_two_payments_passes():
    two_payments(account)()


def test_ch4_explore_finds_the_deadlock_with_otps_timeouts():
    r = explore.run(two_payments(account), runs=300, seed=0)
    assert r.found
    # ch26_deadlock.out: {'EXIT',{timeout,{gen_server,call,[alice,{transfer,10}]}}} and [bob, ...]
    assert r.reason == ("timeout", ("gen_server", "call", ["alice", ("transfer", 10)]))
    again = explore.replay(two_payments(account), r.schedule)
    exits = [line for line in again.trace if "kind='exit'" in line]
    for who in ("alice", "bob"):
        assert any(f"reason=('timeout', ('gen_server', 'call', ['{who}', ('transfer', 10)]))" in line
                   for line in exits), exits


def test_ch4_the_cast_passes_every_schedule_within_two_delays():
    r = explore.run(two_payments(account_cast), strategy="dfs", delays=2, runs=1000)
    assert not r.found and r.exhausted, str(r)
    assert not explore.run(two_payments(account_cast), runs=300, seed=0).found


# ---------------------------------------------------------------- chapter 8: a cache that outlives its store
class store:
    def init(_):
        return ("ok", {})

    def handle_call(req, _from, d):
        if req[0] == "put":
            return ("reply", "ok", {**d, req[1]: req[2]})
        return ("reply", d.get(req[1], "none"), d)

    def handle_cast(_msg, d):
        return ("noreply", d)


class cache:
    def init(_):
        return ("ok", {})

    def handle_call(req, _from, c):
        if req[0] == "put":
            gen_server.call("store", req)
            return ("reply", "ok", {**c, req[1]: req[2]})
        if req[1] not in c:
            c = {**c, req[1]: gen_server.call("store", req)}
        return ("reply", c[req[1]], c)

    def handle_cast(_msg, c):
        return ("noreply", c)


class data_sup:
    def init(strategy):
        return ("ok", ({"strategy": strategy, "intensity": 5, "period": 10},
                       [{"id": name, "start": (gen_server, "start_link", [("local", name), mod, [], []])}
                        for name, mod in [("store", store), ("cache", cache)]]))


def kill_while_writing(strategy):
    def test():
        supervisor.start_link(("local", "data_sup"), data_sup, strategy)
        erlang.spawn(lambda: erlang.exit(erlang.whereis("store"), "kill"))
        try:
            gen_server.call("cache", ("put", "x", 1))
        except Exit:
            pass
        timer.sleep(100)
        seen = gen_server.call("cache", ("get", "x")), gen_server.call("store", ("get", "x"))
        assert seen[0] == seen[1], f"the cache says {seen[0]!r}, the store {seen[1]!r}"
    return test


def test_ch8_the_plain_run_passes_under_one_for_one():
    with logger.capture():
        kill_while_writing("one_for_one")()


def test_ch8_explore_finds_the_stale_cache_under_one_for_one():
    r = explore.run(kill_while_writing("one_for_one"), runs=300, seed=0)
    # ch26_stale_cache.out: "one_for_one: cache 1, store none"
    assert r.found and "the cache says 1, the store 'none'" in r.reason, str(r)
    assert explore.replay(kill_while_writing("one_for_one"), r.schedule).reason == r.reason


def test_ch8_rest_for_one_and_one_for_all_pass_every_schedule_within_two_delays():
    # ch26_stale_cache.out: "rest_for_one: cache none, store none" (and one_for_all)
    for strategy in ("rest_for_one", "one_for_all"):
        r = explore.run(kill_while_writing(strategy), strategy="dfs", delays=2, runs=1000)
        assert not r.found and r.exhausted, (strategy, str(r))
