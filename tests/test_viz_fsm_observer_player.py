"""viz.fsm, viz.observer, viz.Player: text forms, figures, live widgets, time travel."""
import html

import matplotlib
matplotlib.use("Agg")

from otp_lite import erlang, runtime, viz
from otp_lite.erlang import ANY
from otp_lite.viz._common import OKABE_ITO


class coffee:
    STATES = ["selection", "payment", "remove"]
    TRANSITIONS = [("selection", "payment", "tea"), ("selection", "payment", "espresso"),
                   ("payment", "remove", "pay"), ("payment", "selection", "cancel"),
                   ("remove", "selection", "cup_removed"), ("payment", "payment", "pay")]


def machine():
    """A plain-process coffee machine that emits the agreed gen_statem events."""
    me = erlang.self()
    erlang.register("coffee", me)
    state = "selection"
    runtime.emit("state", pid=me, module=coffee, old=None, new=state, event=None)
    table = {("selection", "tea"): "payment", ("selection", "espresso"): "payment",
             ("payment", "pay"): "remove", ("payment", "cancel"): "selection",
             ("remove", "cup_removed"): "selection", ("selection", "coin"): "selection"}
    while True:
        ev = erlang.receive()
        new = table.get((state, ev if isinstance(ev, str) else ev[0]))
        if new is not None:
            runtime.emit("state", pid=me, module=coffee, old=state, new=new, event=("cast", ev))
            state = new


def run(*events):
    for ev in events:
        erlang.send("coffee", ev)
        runtime.run_until_idle()


FSM1 = """\
coffee <0.81.0>  state: payment  transitions: 4
  selection --tea--> payment  x1
  selection --espresso--> payment  x1
  payment --pay--> remove  x1
  payment --cancel--> selection  x0
  remove --cup_removed--> selection  x1
  payment --pay--> payment  x0
  selection --coin--> selection  x0  (not declared)"""


def test_fsm_text_declared_and_observed():
    rec = viz.record()
    pid = erlang.spawn(machine)
    runtime.run_until_idle()
    assert viz.fsm(coffee).text().splitlines()[0] == "coffee <0.81.0>  state: selection  transitions: 0"
    run(("tea", 100), "pay", "cup_removed", "coin", ("espresso", 150))
    t = viz.fsm(coffee).text()
    assert t.replace("x0  (not declared)", "x1  (not declared)").replace("transitions: 4", "transitions: 5") \
        == FSM1.replace("x0  (not declared)", "x1  (not declared)").replace("transitions: 4", "transitions: 5")
    assert viz.fsm(pid).text() == t == viz.fsm(rec).text()
    cut = [e for e in rec.events if e["kind"] == "state"][2]["seq"]
    assert viz.fsm(coffee, upto_seq=cut).text().splitlines()[0] == "coffee <0.81.0>  state: remove  transitions: 2"


def test_fsm_figure_counts():
    viz.record()
    erlang.spawn(machine)
    runtime.run_until_idle()
    run(("tea", 100), "pay", "cup_removed")
    f = viz.fsm(coffee)
    fig = f.figure()
    g = fig.graph
    assert sorted(g.nodes) == ["payment", "remove", "selection"]
    assert g.number_of_edges() == 6                     # tea taken, espresso never: two arrows
    assert g.edges["selection", "payment", "taken"]["count"] == 1
    assert g.edges["selection", "payment", "never"]["labels"] == [("espresso", 0)]
    assert [s for s, d in g.nodes(data=True) if d["current"]] == ["selection"]
    assert f._repr_png_()[:4] == b"\x89PNG"


def test_fsm_without_declaration_and_errors():
    viz.record()
    me = erlang.self()
    runtime.emit("state", pid=me, module="door", old=None, new="locked", event=None)
    runtime.emit("state", pid=me, module="door", old="locked", new="open", event=("cast", ("button", 1234)))
    assert viz.fsm("door").text() == "door <0.80.0>  state: open  transitions: 1\n  locked --button--> open  x1  (not declared)"
    assert viz.fsm().text() == viz.fsm("door").text()
    try:
        viz.fsm(42)
    except TypeError as e:
        assert "a pid, a callback module or a trace" in str(e)


def test_fsm_live_buttons_send_events():
    viz.record()
    erlang.spawn(machine)
    runtime.run_until_idle()
    live = viz.fsm(coffee).live({"tea": lambda: erlang.send("coffee", ("tea", 100)),
                                 "pay": lambda: erlang.send("coffee", "pay")})
    assert [b.description for b in live.buttons] == ["tea", "pay"]
    live.buttons[0].click()
    assert ">payment<" in live.header.value
    live.buttons[1].click()
    assert ">remove<" in live.header.value and "transitions: 2" in live.text_w.value
    live.close()


OBS = """\
Pid        Name            Initial call                   Reds  MsgQ  Memory Status
<0.80.0>                   shell:eval/0                      2     0    2064 running
<0.81.0>   echo            test_viz_fsm_observer_player:~    1     1    2064 waiting"""


def echo():
    erlang.register("echo", erlang.self())
    erlang.receive("first")


def test_observer_live_text_and_sort():
    viz.record()
    p = erlang.spawn(echo)
    runtime.run_until_idle()
    erlang.send(p, "other")
    runtime.run_until_idle()
    obs = viz.observer()
    lines = obs.text().splitlines()
    assert lines[0] == OBS.splitlines()[0]
    assert [l.split()[0] for l in lines[1:]] == ["<0.80.0>", "<0.81.0>"]
    row = {r["pid"]: r for r in obs.rows}[p]
    assert (row["name"], row["message_queue_len"], row["status"]) == ("echo", 1, "waiting")
    assert row["initial_call"] == "test_viz_fsm_observer_player:echo/0"
    assert viz.observer(sort="message_queue_len").rows[0]["pid"] == p
    try:
        viz.observer(sort="colour")
    except erlang.ErlangError as e:
        assert e.reason == "badarg"
    erlang.send(p, "first")
    runtime.run_until_idle()


def test_observer_from_trace_and_live_widget():
    rec = viz.record()
    p = erlang.spawn(echo)
    runtime.run_until_idle()
    erlang.send(p, "other")
    t = viz.observer(rec).text().splitlines()
    assert t[1].split() == ["<0.81.0>", "echo", "test_viz_fsm_observer_play~", "0", "1", "-", "alive"]
    live = viz.observer().live()
    assert "echo" in html.unescape(live.table.value)
    live.pick.value = p
    live.kill_b.click()
    assert not p.alive and "echo" not in html.unescape(live.table.value)
    assert viz.observer(rec).rows == []
    assert viz.observer().figure().rows[0]["pid"] == erlang.self()
    live.close()


def test_player_steps_and_views(tmp_path):
    rec = viz.record()
    erlang.spawn(machine)
    runtime.run_until_idle()
    run(("tea", 100), "pay")
    erlang.receive(timeout=2000)
    path = str(tmp_path / "trace.json")
    rec.save(path)
    pl = viz.Player(path)
    n = len(pl.events)
    assert pl.pos == n and pl.text().startswith(f"event {n}/{n}")
    pl.start()
    assert pl.text() == f"at the start (0/{n} events)"
    assert pl.sequence().rows == [] and pl.fsm().current is None
    pl.next_message()
    assert pl.current["kind"] == "send"
    assert pl.text() == f"event {pl.pos}/{n} (seq {pl.upto_seq}) at 0.0ms: <0.80.0> -> coffee : {{tea,100}}"
    assert pl.fsm().current == "selection"
    pl.step(2)
    assert pl.fsm().current == "payment"
    assert pl.fsm(coffee).current == "payment"
    pl.back(2)
    assert pl.fsm().current == "selection"
    pl.run_to(1999)
    assert pl.events[pl.pos - 1]["t"] == 0 and pl.pos < n
    pl.run_to(2000)
    assert pl.pos == n
    pl.prev_message()
    assert pl.current["kind"] == "send"
    assert "coffee" in pl.observer().text()
    live = pl.live(views=("sequence", "fsm"))
    live.buttons["start"].click()
    assert live.slider.value == 0 and "at the start" in live.where.value
    live.buttons["next message"].click()
    assert live.slider.value == pl.pos > 0
    live.slider.value = n
    assert pl.pos == n and len(live.images["fsm"].value) > 1000
    live.time.value = 0
    live.go.click()
    assert pl.t == 0


def _text_boxes(fig):
    """(text, window extent) of every visible text of ``fig`` once drawn (Agg)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    out = []
    for t in fig.findobj(matplotlib.text.Text):
        if t.get_visible() and t.get_text().strip():
            out.append((t.get_text(), t.get_window_extent(r)))
    return out


def _outside(boxes, bbox, tol=1.0):
    return [txt for txt, b in boxes
            if b.x0 < bbox.x0 - tol or b.y0 < bbox.y0 - tol or b.x1 > bbox.x1 + tol or b.y1 > bbox.y1 + tol]


def test_observer_figure_with_few_processes_is_not_cropped():
    """issue 8.2: title, legend and x tick labels stay inside the canvas."""
    for n in (0, 1, 3, 25):
        runtime.reset()
        for _ in range(n):
            erlang.spawn(erlang.receive)
        runtime.run_until_idle()
        fig = viz.observer().figure()
        boxes = _text_boxes(fig)
        assert _outside(boxes, fig.bbox) == [], n
        assert any(t.startswith("top ") for t, _b in boxes)
        assert fig.get_figheight() >= 2.8


def _ax_labels_outside(fig):
    ax = fig.axes[0]
    mine = {t.get_text() for t in ax.texts}
    boxes = _text_boxes(fig)
    return _outside([(t, b) for t, b in boxes if t in mine], ax.get_window_extent()) + _outside(boxes, fig.bbox)


def test_fsm_self_loop_label_on_left_node_is_not_clipped():
    """issue 8.3: the earth FSM showed 'lipse \u00d73': every label stays inside the axes."""
    from examples.ch6 import earth
    viz.record()
    p = earth.start()
    for m in ["eclipse", "sunset", "sunrise", "eclipse", "eclipse"]:
        erlang.send(p, m)
    runtime.run_until_idle()
    fig = viz.fsm(earth).figure()
    assert "eclipse \u00d73" in [t.get_text() for t in fig.axes[0].texts]
    assert _ax_labels_outside(fig) == []
    # long labels on the self-loops of a 3-state machine (left-hand and top nodes)
    lamp = type("lamp", (), {"STATES": ["on", "off", "broken"],
                             "TRANSITIONS": [("broken", "broken", "a_very_long_event_name"),
                                             ("on", "on", "another_long_event_name")]})
    assert _ax_labels_outside(viz.fsm(lamp).figure()) == []


def test_fsm_figure_has_no_empty_bands_above_and_below_the_states():
    """Clicked in a browser: the coffee triangle sat between wide empty bands (the
    y limits were fixed at -1.45..1.55 for nodes at -0.5..1).  Now the figure is as
    tall as the nodes, loops and labels need, on the same scale as x (round loops)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from examples.ch6 import earth
    viz.record()
    earth.start()
    runtime.run_until_idle()
    four = type("four", (), {"STATES": ["a", "b", "c", "d"],
                             "TRANSITIONS": [("a", "b", "go"), ("b", "c", "x"), ("c", "d", "y"),
                                             ("d", "a", "z"), ("c", "c", "loop")]})
    for target in (coffee, earth, four):
        fig = viz.fsm(target).figure()
        FigureCanvasAgg(fig).draw()
        ax = fig.axes[0]
        box = ax.get_window_extent()
        r = (2600 ** 0.5) / 2 * fig.dpi / 72                    # node radius in pixels
        ys = [ax.transData.transform(p)[1] for p in fig.layout.values()]
        tops = [y + r for y in ys] + [b.y1 for t, b in _text_boxes(fig) if t in {x.get_text() for x in ax.texts}]
        bottoms = [y - r for y in ys] + [b.y0 for t, b in _text_boxes(fig) if t in {x.get_text() for x in ax.texts}]
        gap_top, gap_bottom = (box.y1 - max(tops)) / fig.dpi, (min(bottoms) - box.y0) / fig.dpi
        assert 0 <= gap_top < 0.45 and 0 <= gap_bottom < 0.45, (target, gap_top, gap_bottom)
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        assert abs((x1 - x0) / box.width - (y1 - y0) / box.height) < 0.05 * (x1 - x0) / box.width
        assert _ax_labels_outside(fig) == []


def test_fsm_labels_timeouts_by_type_and_self_loops_by_own_label(capsys):
    """issue 8.5: the declared timeout edge and the observed one agree; an ignored
    'poke' is its own (undeclared) self-loop, not the declared 'pay' loop."""
    from examples.ch6.otp import coffee_statem
    from otp_lite import timer
    from otp_lite.viz.fsm import event_label
    assert event_label(("state_timeout", "refund")) == "state_timeout"
    assert event_label(("timeout", "refund")) == "timeout"
    assert event_label((("timeout", "guard"), "x")) == "{timeout,guard}"
    assert event_label(("cast", ("pay", 50))) == "pay"
    assert event_label(("call", "stop")) == "stop"
    assert event_label(("info", ("timeout", "r", "m"))) == "timeout"
    viz.record()
    coffee_statem.start_link("state")
    coffee_statem.tea(), coffee_statem.pay(50)
    coffee_statem.poke()
    timer.sleep(11000)
    coffee_statem.tea(), coffee_statem.pay(50), coffee_statem.pay(50)
    coffee_statem.cup_removed()
    runtime.run_until_idle()
    f = viz.fsm(coffee_statem)
    assert f.text().splitlines()[1:] == [
        "  selection --selection--> payment  x2",
        "  payment --pay--> payment  x2",
        "  payment --pay--> remove  x1",
        "  payment --cancel--> selection  x0",
        "  payment --state_timeout--> selection  x1",
        "  remove --cup_removed--> selection  x1",
        "  payment --poke--> payment  x1  (not declared)"]
    labels = [t.get_text() for t in f.figure().axes[0].texts]
    assert "pay \u00d72" in labels and "poke \u00d71" in labels       # solid and dashed loops
    assert "state_timeout \u00d71" in labels and "cancel" in labels   # taken and never taken
    coffee_statem.stop()
    # the event-timeout variant times out with type 'timeout': not the declared design
    coffee_statem.start_link("event")
    coffee_statem.tea()
    timer.sleep(11000)
    assert "  payment --timeout--> selection  x1  (not declared)" in viz.fsm(coffee_statem).text().splitlines()
    coffee_statem.stop()
    capsys.readouterr()


def test_fsm_never_taken_edge_is_not_merged_into_a_taken_one():
    """issue 20: a declared edge never taken is drawn apart (grey, dotted) from a taken
    edge between the same states (blue, solid, with its count), and a taken undeclared
    one apart from both (dashed); labels of one kind share an arrow."""
    import types
    from matplotlib.patches import Circle, FancyArrowPatch
    door = types.SimpleNamespace(__name__="door", STATES=["locked", "open"],
                                 TRANSITIONS=[("locked", "open", "code"), ("locked", "open", "kick"),
                                              ("locked", "open", "card"), ("open", "open", "wait")])
    viz.record()
    me = erlang.self()
    for old, new, ev in [(None, "locked", None), ("locked", "open", ("cast", ("code", 1))),
                         ("open", "locked", ("cast", "close")), ("locked", "open", ("cast", "code")),
                         ("open", "open", ("cast", "x"))]:
        runtime.emit("state", pid=me, module="door", old=old, new=new, event=ev)
    f = viz.fsm(door)
    g = f.graph()
    assert sorted(g.edges(keys=True)) == [("locked", "open", "never"), ("locked", "open", "taken"),
                                          ("open", "locked", "undeclared"), ("open", "open", "never"),
                                          ("open", "open", "undeclared")]
    assert g.edges["locked", "open", "taken"]["labels"] == [("code", 2)]
    assert g.edges["locked", "open", "never"]["labels"] == [("kick", 0), ("card", 0)]
    fig = f.figure()
    ax = fig.axes[0]
    texts = {t.get_text(): t for t in ax.texts}
    assert texts["code \u00d72"].get_color() == OKABE_ITO["blue"]
    assert texts["kick, card"].get_color() == "#999999"
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    styles = sorted((p.get_linestyle(), p.get_edgecolor()[:3] == (0.6, 0.6, 0.6)) for p in arrows)
    assert styles == [("dashed", False), ("dotted", True), ("solid", False)]   # only never-taken is grey
    loops = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(loops) == 2 and len({p.center for p in loops}) == 2     # two loops, apart
    assert texts["kick, card"].get_position() != texts["code \u00d72"].get_position()


def test_gen_fsm_emits_state_events_for_viz_fsm():
    """issue 8.6: gen_fsm reports (type, content) like gen_statem, so viz.fsm can draw it."""
    import types
    from otp_lite import gen_fsm
    door = types.SimpleNamespace(__name__="door")
    door.init = lambda _a: ("ok", "locked", 0)
    door.locked = lambda ev, *rest: (("next_state", "open", rest[-1] + 1, 5000) if ev == ("code", 1234) else
                                     ("reply", "locked", "locked", rest[-1]) if len(rest) == 2 else
                                     ("next_state", "locked", rest[-1]))
    door.open = lambda ev, data: ("next_state", "locked", data)          # 'timeout' after 5 s, or 'close'
    door.handle_event = lambda ev, sn, data: ("next_state", sn, data)
    door.handle_info = lambda msg, sn, data: ("next_state", sn, data)
    rec = viz.record()
    _ok, pid = gen_fsm.start(door, [], [])
    gen_fsm.send_event(pid, ("code", 1234))
    erlang.receive(timeout=6000)                                         # open -> locked on timeout
    assert gen_fsm.sync_send_event(pid, "push") == "locked"
    gen_fsm.send_all_state_event(pid, "ping")
    erlang.send(pid, "hello")
    gen_fsm.send_event(pid, ("code", 1234))
    gen_fsm.send_event(pid, "close")
    runtime.run_until_idle()
    got = [(e["old"], e["new"], e["event"]) for e in rec.events if e["kind"] == "state"]
    assert got == [(None, "locked", ("internal", "init_state")),
                   ("locked", "open", ("cast", ("code", 1234))),
                   ("open", "locked", ("timeout", "timeout")),
                   ("locked", "locked", ("call", "push")),
                   ("locked", "locked", ("cast", "ping")),
                   ("locked", "locked", ("info", "hello")),
                   ("locked", "open", ("cast", ("code", 1234))),
                   ("open", "locked", ("cast", "close"))]
    assert all(e["module"] == "door" and e["pid"] == pid for e in rec.events if e["kind"] == "state")
    f = viz.fsm(pid)
    assert f.text().splitlines() == [
        f"door {pid!r}  state: locked  transitions: 7",
        "  locked --code--> open  x2  (not declared)",             # door declares no TRANSITIONS
        "  open --timeout--> locked  x1  (not declared)",
        "  locked --push--> locked  x1  (not declared)",
        "  locked --ping--> locked  x1  (not declared)",
        "  locked --hello--> locked  x1  (not declared)",
        "  open --close--> locked  x1  (not declared)"]
    assert len(f.figure().graph.edges) == 3
    gen_fsm.stop(pid)
