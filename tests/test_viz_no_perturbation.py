"""Looking never changes the system (issue 18): views read, they do not ask.

Before: every render of the live supervision tree called
``supervisor.which_children`` (a gen_server call: messages, trace events,
reductions), which marked the view dirty again, so an idle system was
re-rendered for ever (31 renders and 186 trace events in 5 s, 40 % of a
core).  Now the tree reads the supervisor's state directly.
"""
import pytest

from otp_lite import erlang, gen_server, runtime, supervisor, timer, viz

pytest.importorskip("ipywidgets")


class Idle:
    @staticmethod
    def start_link(i):
        return gen_server.start_link(Idle, i, [])

    @staticmethod
    def init(i):
        return ("ok", i)


class Sup:
    @staticmethod
    def init(_):
        return ("ok", ({"strategy": "one_for_one", "intensity": 3, "period": 5},
                       [{"id": f"w{i}", "start": (Idle, "start_link", [i])} for i in range(3)]))


def _sup():
    _, sup = supervisor.start_link(Sup, [])
    runtime.run_until_idle()
    return sup


def test_peek_children_is_which_children_without_a_message(rt):
    sup = _sup()
    rec = runtime.Recorder().start()
    reds = erlang.process_info(sup, "reductions")[1]
    peeked = supervisor.peek_children(sup)
    assert rec.events == [] and erlang.process_info(sup, "reductions")[1] == reds
    assert peeked == supervisor.which_children(sup)
    assert supervisor.peek_children(erlang.self()) is None


def test_static_tree_and_observer_make_no_events(rt):
    sup = _sup()
    rec = runtime.Recorder().start()
    text = viz.sup_tree(sup).text()
    viz.observer().text()
    runtime.run_until_idle()
    assert "w0" in text and "w2" in text
    assert rec.events == [], rec.events[:3]


def test_live_views_of_an_idle_system_do_not_re_render(rt):
    viz.record()
    sup = _sup()
    tree = viz.sup_tree(sup).live()
    obs = viz.observer().live()
    rec = viz.current_recorder()
    n0 = len(rec.events)
    f_tree, f_obs = tree.frame, obs.frame
    for _ in range(50):                     # 5 s of the pump's 100 ms ticks
        viz.live.pump_once()
    assert len(rec.events) == n0            # looking made no events
    assert tree.frame == f_tree and obs.frame == f_obs
    w = supervisor.peek_children(sup)[0][1]
    erlang.exit(w, "kill")                  # something happens: the tree shows it
    runtime.run_until_idle()
    viz.live.pump_once()
    assert tree.frame == f_tree + 1
    viz.stop_recording()


def test_peek_alarms_and_handlers_ask_nothing(rt):
    """The live dashboard polls the alarms on every 100 ms tick; it used to ask
    (gen_event:call to alarm_handler: two messages and trace events each time)."""
    from otp_lite import alarm_handler, gen_event
    assert alarm_handler.peek_alarms() is None and gen_event.peek_handlers("alarm_handler") is None
    alarm_handler.start()
    alarm_handler.set_alarm(("overload", "frequency"))
    runtime.run_until_idle()
    mgr = erlang.whereis("alarm_handler")
    rec = runtime.Recorder().start()
    reds = erlang.process_info(mgr, "reductions")[1]
    peeked = alarm_handler.peek_alarms()
    assert gen_event.peek_handlers(mgr) == [(alarm_handler, peeked)]
    assert rec.events == [] and erlang.process_info(mgr, "reductions")[1] == reds
    assert peeked == alarm_handler.get_alarms() == [("overload", "frequency")]
    gen_event.delete_handler("alarm_handler", alarm_handler, [])
    assert alarm_handler.peek_alarms() == []        # swapped out: get_alarms would be {error, bad_module}


def test_an_idle_live_dashboard_with_alarms_makes_no_events(rt):
    from otp_lite import alarm_handler, metrics
    viz.record()
    alarm_handler.start()
    metrics.inc("calls")
    runtime.run_until_idle()
    lv = viz.dashboard(counters=["calls"]).live()
    rec = viz.current_recorder()
    n0 = len(rec.events)
    for _ in range(50):
        viz.live.pump_once()
    assert len(rec.events) == n0 and lv.figures == 1
    alarm_handler.set_alarm(("overload", "x"))
    runtime.run_until_idle()
    viz.live.pump_once()
    assert "{overload,x}" in lv.text_w.value
    viz.stop_recording()


def test_the_views_recorder_is_bounded_and_says_so(rt):
    rec = viz.record(maxlen=100)
    me = erlang.self()
    for i in range(1000):
        erlang.send(me, i)
        erlang.receive()
    assert 100 <= len(rec.events) <= 125 and rec.dropped >= 875
    assert rec.events[-1]["kind"] == "receive"
    seq = viz.sequence().text()
    assert seq.splitlines()[0].startswith(f"({rec.dropped} older events were dropped")
    p = viz.Player(rec)
    assert "older events were dropped" in p.text()
    viz.stop_recording()
    viz.record()                              # the default: the newest 50,000
    assert viz.current_recorder().maxlen == viz._common.RECORD_MAXLEN == 50_000
    viz.stop_recording()


def test_the_pump_follows_a_new_event_loop():
    """A pump scheduled on a loop that has ended (a kernel restart, a second asyncio.run)
    used to block every later pump: live views never refreshed again."""
    import asyncio
    from otp_lite.viz import live as L

    async def session():
        runtime.reset(clock="real")
        obs = viz.observer().live()
        await asyncio.sleep(0.25)
        here = L._handle_loop is asyncio.get_running_loop()
        obs.close()
        return here

    assert asyncio.run(session())
    assert asyncio.run(session())


def test_a_ticking_process_does_not_redraw_the_observer_on_every_event(rt):
    """ch. 16's monitor ticks every 20 ms: each tick is a trace event, and the live
    observer used to re-render on every pump tick (10 table updates a second to the
    page).  Now trace events alone redraw nothing; rows are re-read at most once a
    second, and a process that appears or goes shows at once."""
    viz.record()

    def ticker():
        while True:
            erlang.receive(timeout=20)

    erlang.spawn(ticker)
    runtime.run_until_idle()
    obs = viz.observer().live()
    rec = viz.current_recorder()
    f0, n0 = obs.frame, len(rec.events)
    for _ in range(30):
        timer.sleep(100)                    # 5 ticks of the ticker: trace events
        viz.live.pump_once()
    assert len(rec.events) > n0 + 100
    assert obs.frame <= f0 + 1, obs.frame - f0      # at most the once-a-second row re-read
    w = erlang.spawn(lambda: erlang.receive())
    viz.live.pump_once()
    assert f"{w!r}" in obs.table.value.replace("&lt;", "<").replace("&gt;", ">")
    viz.stop_recording()
