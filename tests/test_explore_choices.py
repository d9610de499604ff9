"""otp_lite.explore, the choices OTP leaves open beyond "who runs next" (issue 26).

* a timer and a message due at the same virtual instant: either can come first;
* an exit signal and a message from *different* processes: either order;
* two messages from two other nodes arriving at the same instant: either order;
* but a message then an exit signal from the SAME process: always in that order
  (OTP's per-pair signal order, tests/oracle_probes/ch26_pair_order.escript).

And the partial-order reduction of the DFS: steps that commute are not run in
both orders, so N independent processes cost far fewer schedules, while every
known bug is still found.  Book: chapter 3 (message passing under the hood),
chapter 13 (distribution).
"""
import pytest

import types

from otp_lite import dist, erlang, ets, explore, gen_statem, timer
from otp_lite.erlang import ANY, TIMEOUT

from test_explore import RACES, CORRECT, BEHAVIOUR_RACES, BEHAVIOUR_CORRECT, plain


# ------------------------------------------------------------ timer vs message, same instant
def timeout_vs_send_after():
    """A waiter gives up after 10 ms; another process arranged its message for 10 ms."""
    me = erlang.self()

    def waiter():
        m = erlang.receive(("go", ANY), timeout=10)
        erlang.send(me, ("got", m))

    w = erlang.spawn(waiter)
    erlang.spawn(lambda: erlang.send_after(10, w, ("go", 1)))
    _, m = erlang.receive(("got", ANY))
    assert m == ("go", 1), f"the timeout fired before the message due at the same time: {m!r}"


def timeout_vs_send_after_later():
    """The same, with the message due one millisecond earlier: no tie, nothing to choose."""
    me = erlang.self()

    def waiter():
        m = erlang.receive(("go", ANY), timeout=10)
        erlang.send(me, ("got", m))

    w = erlang.spawn(waiter)
    erlang.spawn(lambda: erlang.send_after(9, w, ("go", 1)))
    _, m = erlang.receive(("got", ANY))
    assert m == ("go", 1), m


def two_timers_one_mailbox():
    """Two processes each arrange a message for 10 ms: their order is not fixed."""
    me = erlang.self()
    erlang.spawn(lambda: erlang.send_after(10, me, "first"))
    erlang.spawn(lambda: erlang.send_after(10, me, "second"))
    a, b = erlang.receive(), erlang.receive()
    assert (a, b) == ("first", "second"), (a, b)


def zero_timer_vs_send():
    """send_after(0, A, tick) then A ! hello: OTP can fire the timer before the send
    (tests/oracle_probes/ch26_pair_order.escript: both orders over 2,000 runs, with work
    between)."""
    me = erlang.self()

    def a():
        erlang.receive("go")
        x, y = erlang.receive(), erlang.receive()
        erlang.send(me, ("order", x, y))

    pa = erlang.spawn(a)

    def b():
        erlang.send_after(0, pa, "tick")
        erlang.send(pa, "hello")
        erlang.send(pa, "go")

    erlang.spawn(b)
    _, x, y = erlang.receive(("order", ANY, ANY))
    assert (x, y) == ("hello", "tick"), f"the 0 ms timer fired first: {(x, y)}"


def statem_timeout_vs_cast():
    """A gen_statem's state_timeout (10 ms) and a client that sleeps 10 ms then casts:
    whichever comes first decides (a cast in 'idle' moves on and so cancels the
    state_timeout; after the timeout a cast changes nothing).  The test expects the
    timeout to win, as it does in a plain run."""
    def handle_event(t, c, s, d):
        if t == "state_timeout":
            return ("next_state", "timed_out", d)
        if t == "cast" and s == "idle":
            return ("next_state", "poked", d)
        if t[0] == "call":
            return ("keep_state_and_data", [("reply", t[1], s)])
        return "keep_state_and_data"

    ns = types.SimpleNamespace(__name__="race_fsm", callback_mode=lambda: "handle_event_function",
                               init=lambda _a: ("ok", "idle", None, [("state_timeout", 10, "tick")]),
                               handle_event=handle_event)
    _, fsm = gen_statem.start(ns, [], [])
    erlang.spawn(lambda: (timer.sleep(10), gen_statem.cast(fsm, "poke")))
    timer.sleep(20)
    state = gen_statem.call(fsm, "which")
    assert state == "timed_out", f"the cast beat the state_timeout due at the same time: {state!r}"


def test_the_plain_run_passes_the_timer_programs():
    plain(statem_timeout_vs_cast)
    plain(timeout_vs_send_after)
    plain(two_timers_one_mailbox)
    plain(zero_timer_vs_send)


@pytest.mark.parametrize("strategy", ["random", "pct", "dfs"])
def test_a_timer_due_now_can_fire_between_steps(strategy):
    r = explore.run(zero_timer_vs_send, strategy=strategy, runs=200)
    assert r.found and "fired first" in r.reason, str(r)
    rep = explore.replay(zero_timer_vs_send, r.schedule)
    assert rep.found
    assert any(c["kind"] == "due" and c["chosen"] == 0 for c in rep.choices)
    assert any("timers due then fire" in line for line in rep.explain())


@pytest.mark.parametrize("strategy", ["random", "pct", "dfs"])
def test_a_timeout_firing_before_a_same_instant_message_is_found(strategy):
    r = explore.run(timeout_vs_send_after, strategy=strategy, runs=200)
    assert r.found, str(r)
    assert r.reason.startswith("AssertionError: the timeout fired"), r.reason
    again = explore.replay(timeout_vs_send_after, r.schedule)
    assert again.found and again.trace == explore.replay(timeout_vs_send_after, r.schedule).trace
    assert any(c["kind"] == "timer" and c["chosen"] != c["default"] for c in again.choices)
    assert any("timer of" in line for line in again.explain())


@pytest.mark.parametrize("strategy", ["random", "pct", "dfs"])
def test_a_gen_statem_timeout_tied_with_a_cast_is_explored(strategy):
    r = explore.run(statem_timeout_vs_cast, strategy=strategy, runs=200)
    assert r.found and "the cast beat the state_timeout" in r.reason, str(r)


@pytest.mark.parametrize("strategy", ["random", "pct", "dfs"])
def test_two_same_instant_timer_messages_arrive_in_either_order(strategy):
    r = explore.run(two_timers_one_mailbox, strategy=strategy, runs=200)
    assert r.found, str(r)


def test_no_tie_no_timer_choice():
    """A message due before the timeout: no choice point is added, no false alarm."""
    r = explore.run(timeout_vs_send_after_later, strategy="dfs", runs=500, delays=3)
    assert not r.found and r.exhausted, str(r)
    rep = explore.replay(timeout_vs_send_after_later, "")
    assert all(c["kind"] == "run" for c in rep.choices)


def test_a_timer_tie_schedule_is_a_value():
    """0 at a timer tie is 'every timer due fires at once' (the plain scheduler's way)."""
    plainly = explore.replay(timeout_vs_send_after, "")
    assert not plainly.found
    ties = [c for c in plainly.choices if c["kind"] == "timer"]
    assert len(ties) == 1 and ties[0]["default"] == 0 and ties[0]["t"] == 10
    w = ties[0]["runnable"][1:]             # the waiter's and the setter's timers
    assert len(w) == 2
    # choose each owner alone first: the waiter's timeout first fails, the other passes
    outcomes = {}
    for owner in w:
        prefix = [c["chosen"] for c in plainly.choices[:ties[0]["step"]]]
        outcomes[owner] = explore.replay(timeout_vs_send_after, prefix + [owner]).found
    assert sorted(outcomes.values()) == [False, True], outcomes


# ------------------------------------------------------------ exit signal vs message
def _trapper(me):
    erlang.process_flag("trap_exit", True)
    erlang.send(me, "ready")
    first = erlang.receive()
    second = erlang.receive()
    erlang.send(me, ("order", first, second))


def exit_vs_message():
    """A's message and B's exit signal race to the trapper: the test wants A's first."""
    me = erlang.self()
    w = erlang.spawn(_trapper, me)
    erlang.receive("ready")
    erlang.spawn(lambda: erlang.send(w, "hello"))                            # A
    erlang.spawn(lambda: (erlang.link(w), erlang.exit("boom")))             # B
    _, first, _second = erlang.receive(("order", ANY, ANY))
    assert first == "hello", f"the exit signal overtook the message: {first!r}"


def message_then_exit_same_sender():
    """B sends, then exits (linked): per pair, the message always comes first."""
    me = erlang.self()
    w = erlang.spawn(_trapper, me)
    erlang.receive("ready")

    def b():
        erlang.link(w)
        erlang.send(w, "hello")
        erlang.exit("boom")

    erlang.spawn(b)
    erlang.spawn(lambda: erlang.send(me, "noise"))         # another process, to interleave
    _, first, second = erlang.receive(("order", ANY, ANY))
    assert first == "hello" and second[0] == "EXIT" and second[2] == "boom", (first, second)


def message_between_a_message_and_an_exit():
    """B sends, then ends (linked); A's message can land between the two."""
    me = erlang.self()

    def trapper():
        erlang.process_flag("trap_exit", True)
        erlang.send(me, "ready")
        got = [erlang.receive() for _ in range(3)]
        erlang.send(me, ("got", got))

    w = erlang.spawn(trapper)
    erlang.receive("ready")

    def b():
        erlang.link(w)
        erlang.send(w, "from_b")
        erlang.exit("boom")

    erlang.spawn(b)
    erlang.spawn(lambda: erlang.send(w, "from_a"))
    _, got = erlang.receive(("got", ANY))
    kinds = [m if isinstance(m, str) else m[0] for m in got]
    assert kinds != ["from_b", "from_a", "EXIT"], f"A's message came between B's message and exit: {kinds}"


def test_a_message_can_land_between_another_process_message_and_its_exit():
    plain(message_between_a_message_and_an_exit)
    r = explore.run(message_between_a_message_and_an_exit, strategy="dfs", runs=300)
    assert r.found, str(r)
    assert any(c["op"] == "exit" and c["preemption"] for c in explore.replay(
        message_between_a_message_and_an_exit, r.schedule).choices if c["chosen"] != c["default"])


def test_the_plain_run_has_the_message_first():
    plain(exit_vs_message)
    plain(message_then_exit_same_sender)


@pytest.mark.parametrize("strategy", ["random", "pct", "dfs"])
def test_an_exit_signal_overtaking_another_process_message_is_found(strategy):
    r = explore.run(exit_vs_message, strategy=strategy, runs=200)
    assert r.found and "overtook" in r.reason, str(r)


@pytest.mark.parametrize("por", [True, False])
def test_a_message_then_an_exit_from_one_process_is_never_reordered(por):
    r = explore.run(message_then_exit_same_sender, strategy="dfs", runs=5000, delays=4, por=por)
    assert not r.found and r.exhausted, str(r)
    r = explore.run(message_then_exit_same_sender, strategy="random", runs=300)
    assert not r.found, str(r)


# ------------------------------------------------------------ two remote senders
def two_remote_senders():
    """Nodes a (2 ms from c) and b (1 ms from c): a's sender sends at 0, b's at 1;
    both messages reach c at 2 ms, and the test wants a's first."""
    dist.start("shell@h")
    for n in ("a@h", "b@h", "c@h"):
        dist.start_node(n)
    dist.set_link("a@h", "c@h", latency=2)
    dist.set_link("b@h", "c@h", latency=1)
    me = erlang.self()

    def sink():
        x, y = erlang.receive(), erlang.receive()
        erlang.send(me, ("order", x, y))

    c = erlang.spawn("c@h", sink)
    erlang.spawn("a@h", lambda: erlang.send(c, "from_a"))
    erlang.spawn("b@h", lambda: (timer.sleep(1), erlang.send(c, "from_b")))
    _, x, y = erlang.receive(("order", ANY, ANY))
    assert (x, y) == ("from_a", "from_b"), f"b's message arrived first: {(x, y)}"


def two_remote_sends_one_sender():
    """One process on node a sends twice to c: per pair, never reordered."""
    dist.start("shell@h")
    for n in ("a@h", "c@h"):
        dist.start_node(n)
    me = erlang.self()

    def sink():
        x, y = erlang.receive(), erlang.receive()
        erlang.send(me, ("order", x, y))

    c = erlang.spawn("c@h", sink)
    erlang.spawn("a@h", lambda: (erlang.send(c, 1), erlang.send(c, 2)))
    erlang.spawn("a@h", lambda: erlang.send(me, "noise"))
    _, x, y = erlang.receive(("order", ANY, ANY))
    assert (x, y) == (1, 2), (x, y)


def jittery_link():
    """a -> c: 10 ms plus up to 40 ms of jitter; b -> c: 45 ms.  The plain run's seeded
    draw (about 34 ms) lands a's message first; a slow draw lands b's first."""
    dist.start("shell@h")
    for n in ("a@h", "b@h", "c@h"):
        dist.start_node(n)
    dist.set_link("a@h", "c@h", latency=10, jitter=40)
    dist.set_link("b@h", "c@h", latency=45)
    me = erlang.self()

    def sink():
        x, y = erlang.receive(), erlang.receive()
        erlang.send(me, ("order", x, y))

    c = erlang.spawn("c@h", sink)
    erlang.spawn("a@h", lambda: (erlang.send(c, "a1"), erlang.send(c, "a2")))
    erlang.spawn("b@h", lambda: erlang.send(c, "b"))
    _, x, y = erlang.receive(("order", ANY, ANY))
    assert x == "a1", f"b's message overtook a's on the jittery link: {(x, y)}"
    assert (x, y) != ("a2", "a1")


def test_the_plain_run_delivers_a_first():
    plain(two_remote_senders)
    plain(jittery_link)


@pytest.mark.parametrize("strategy", ["random", "pct", "dfs"])
def test_link_jitter_is_a_choice_and_per_pair_order_stays(strategy):
    r = explore.run(jittery_link, strategy=strategy, runs=300)
    assert r.found and "overtook" in r.reason, str(r)
    rep = explore.replay(jittery_link, r.schedule)
    assert rep.found and any(c["kind"] == "jitter" for c in rep.choices)
    assert any("delay its link's jitter allows" in line for line in rep.explain())


@pytest.mark.parametrize("strategy", ["random", "pct", "dfs"])
def test_two_remote_arrivals_at_one_instant_come_in_either_order(strategy):
    r = explore.run(two_remote_senders, strategy=strategy, runs=300)
    assert r.found and "arrived first" in r.reason, str(r)
    assert explore.replay(two_remote_senders, r.schedule).found


def test_per_pair_order_holds_across_nodes():
    r = explore.run(two_remote_sends_one_sender, strategy="dfs", runs=3000, delays=3)
    assert not r.found and r.exhausted, str(r)


# ------------------------------------------------------------ partial-order reduction
def independent(n, ops=2):
    """``n`` processes, each with its own ETS table; the shell sleeps while they work."""
    def test():
        for i in range(n):
            def work(i=i):
                t = ets.new(f"t{i}", ["set", "public"])
                for k in range(ops):
                    ets.insert(t, (k, i))
                    ets.lookup(t, k)
            erlang.spawn(work)
        timer.sleep(1)
    return test


def test_por_makes_independent_processes_cheap():
    counts = {}
    for n in (2, 3, 4):
        with_por = explore.run(independent(n), strategy="dfs", runs=20000, por=True)
        assert with_por.exhausted and not with_por.found
        counts[n] = [with_por.runs]
        if n < 4:                   # n = 4 without POR is 9,240 schedules: n = 3 shows the growth
            without = explore.run(independent(n), strategy="dfs", runs=20000, por=False)
            assert without.exhausted and not without.found
            counts[n].append(without.runs)
    # without POR the tree grows with n; with POR nothing commutes into a new order
    assert counts[3][1] > 10 * counts[3][0], counts
    assert counts[4][0] <= 2 * counts[2][0] + 2, counts
    assert counts[2][1] * 5 < counts[3][1], counts


@pytest.mark.parametrize("name", sorted(RACES) + sorted(BEHAVIOUR_RACES))
def test_por_dfs_finds_the_same_bugs(name):
    t = {**RACES, **BEHAVIOUR_RACES}[name]
    r = explore.run(t, strategy="dfs", delays=2, runs=500)
    assert r.found, (name, str(r))
    if name in RACES:
        r = explore.run(t, strategy="dfs", runs=500)
        assert r.found, (name, str(r))
    again = explore.replay(t, r.schedule)           # a schedule found with POR replays
    assert again.found and type(again.error) is type(r.error)


@pytest.mark.parametrize("name", sorted(CORRECT) + sorted(BEHAVIOUR_CORRECT))
def test_por_dfs_exhausts_the_correct_programs_sooner(name):
    t = {**CORRECT, **BEHAVIOUR_CORRECT}[name]
    a = explore.run(t, strategy="dfs", runs=5000, por=True)
    b = explore.run(t, strategy="dfs", runs=5000, por=False)
    assert a.exhausted and b.exhausted and not a.found and not b.found
    assert a.runs <= b.runs, (a.runs, b.runs)
    assert a.distinct == a.runs


def test_por_must_be_a_bool():
    with pytest.raises(ValueError, match="por must be True"):
        explore.run(timeout_vs_send_after, strategy="dfs", por="yes")


def test_a_kill_conflicts_with_the_victims_step():
    """exit(pid, kill) and the victim's own send: POR must try both orders."""
    def test():
        me = erlang.self()
        v = erlang.spawn(lambda: erlang.send(me, "alive"))
        erlang.spawn(lambda: erlang.exit(v, "kill"))
        m = erlang.receive(timeout=5)
        assert m == "alive", m
    r = explore.run(test, strategy="dfs", runs=200)
    assert r.found, str(r)
    assert TIMEOUT is not None


def _random_program(seed, nproc=2, nops=3):
    """Small random programs over one ETS table, registered names and mailboxes."""
    import random
    rng = random.Random(seed)
    progs = [[(rng.choice(["ins", "look", "send", "whereis", "reg", "upd"]), rng.randrange(2),
               rng.randrange(nproc)) for _ in range(nops)] for _ in range(nproc)]

    def test(out):
        me = erlang.self()
        t = ets.new("t", ["set", "public"])
        ets.insert(t, (0, 0))
        ets.insert(t, (1, 0))
        pids = []

        def body(i):
            log = []
            for k, key, to in progs[i]:
                if k == "ins":
                    ets.insert(t, (key, i))
                elif k == "look":
                    log.append(ets.lookup(t, key)[0][1])
                elif k == "upd":
                    log.append(ets.update_counter(t, key, 1))
                elif k == "send":
                    erlang.send(pids[to], ("m", i))
                elif k == "whereis":
                    log.append(erlang.whereis(f"n{key}") != "undefined")
                else:
                    try:
                        erlang.register(f"n{key}", erlang.self())
                        log.append("r")
                    except erlang.ErlangError:
                        log.append("x")
            msgs = []
            while (m := erlang.receive(timeout=0)) is not TIMEOUT:
                msgs.append(m)
            erlang.send(me, ("done", i, tuple(log), tuple(msgs)))

        for i in range(nproc):
            pids.append(erlang.spawn(body, i))
        res = sorted(erlang.receive(("done", ANY, ANY, ANY)) for _ in range(nproc))
        out.add((tuple(res), tuple(sorted(ets.tab2list(t)))))
    return test


@pytest.mark.parametrize("seed", [1, 4, 7])
def test_por_reaches_every_outcome_of_the_full_search(seed):
    """Every final state the unreduced DFS reaches, the reduced one reaches too
    (seeds 1, 4, 7 caught footprints compared across runs by object identity)."""
    test = _random_program(seed)
    outs = {}
    for por in (True, False):
        seen = set()
        r = explore.run(lambda: test(seen), strategy="dfs", runs=20000, preemptions=6, por=por)
        assert r.exhausted and not r.found, str(r)
        outs[por] = (seen, r.runs)
    assert outs[True][0] == outs[False][0]
    assert outs[True][1] * 20 < outs[False][1], (outs[True][1], outs[False][1])


def test_two_processes_creating_one_named_table_are_ordered_both_ways():
    """The second ets.new of a named table is badarg: POR must try either winner."""
    def test():
        me = erlang.self()

        def make(i):
            try:
                ets.new("shared", ["named_table", "public"])
                erlang.send(me, ("made", i))
            except erlang.ErlangError:
                erlang.send(me, ("lost", i))
            erlang.receive()                 # keep the table (its owner lives)

        for i in (1, 2):
            erlang.spawn(make, i)
        got = sorted([erlang.receive(), erlang.receive()])
        assert got == [("lost", 2), ("made", 1)], got
    plain(test)
    r = explore.run(test, strategy="dfs", runs=200)
    assert r.found, str(r)
