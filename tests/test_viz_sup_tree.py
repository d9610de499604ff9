"""viz.sup_tree: text form, figure, live widget (kill -> restart), time travel."""
import html

import matplotlib
import pytest
matplotlib.use("Agg")

from otp_lite import erlang, runtime, viz
from otp_lite.kernel import trace

from test_viz_support import demo_tree, child_pid, fake_sup, worker

TREE0 = """\
top_sup <0.81.0> supervisor [running] one_for_one 3/5s budget 3/3
├─ db <0.82.0> worker [running] restarts 0
└─ workers <0.83.0> supervisor [running] one_for_all 2/60s budget 2/2 restarts 0
   ├─ w1 <0.84.0> worker [running] restarts 0
   └─ w2 <0.85.0> worker [running] restarts 0"""

TREE1 = """\
top_sup <0.81.0> supervisor [running] one_for_one 3/5s budget 3/3
├─ db <0.82.0> worker [running] restarts 0
└─ workers <0.83.0> supervisor [running] one_for_all 2/60s budget 1/2 restarts 0
   ├─ w1 <0.86.0> worker [running] restarts 1
   └─ w2 <0.85.0> worker [running] restarts 0"""


def test_text_form_and_restart_counts():
    rec = viz.record()
    top = demo_tree()
    assert repr(viz.sup_tree(top)) == TREE0
    erlang.exit(child_pid(rec.events, "w1"), "kill")
    runtime.run_until_idle()
    assert viz.sup_tree(top).text() == TREE1
    assert viz.sup_tree("top_sup").text() == TREE1          # by registered name
    assert viz.sup_tree(rec).text() == TREE1                # from the trace


def test_budget_recovers_after_period_and_shutdown_is_dead():
    rec = viz.record()
    top = demo_tree()
    erlang.exit(child_pid(rec.events, "w1"), "kill")
    runtime.run_until_idle()
    erlang.receive(timeout=61_000)                          # virtual: no wall time
    assert "budget 2/2" in viz.sup_tree(top).text()
    for _ in range(3):                                      # 3 restarts > intensity 2
        erlang.exit(child_pid(rec.events, "w2"), "kill")
        runtime.run_until_idle()
    t = viz.sup_tree(rec).text()
    print(t)
    assert t.splitlines()[0].endswith("budget 2/3")          # the parent restarted it once
    assert "workers <0.89.0> supervisor [running] one_for_all 2/60s budget 2/2 restarts 1" in t
    top_ev = [e for e in rec.events if e["kind"] == "sup_shutdown"]
    t = viz.sup_tree(rec, upto_seq=top_ev[0]["seq"]).text()
    assert "workers <0.83.0> supervisor [dead] one_for_all 2/60s budget 0/2 restarts 0" in t


def test_time_travel_upto_seq():
    rec = viz.record()
    top = demo_tree()
    seq_before = rec.events[-1]["seq"]
    erlang.exit(child_pid(rec.events, "w1"), "kill")
    runtime.run_until_idle()
    assert viz.sup_tree(rec, upto_seq=seq_before).text() == TREE0
    restarting = [e for e in rec.events if e["kind"] == "sup_child" and e["event"] == "restarting"][0]
    t = viz.sup_tree(rec, upto_seq=restarting["seq"]).text()
    assert "w1 <0.84.0> worker [restarting] restarts 0" in t


def test_json_round_trip(tmp_path):
    rec = viz.record()
    demo_tree()
    erlang.exit(child_pid(rec.events, "w1"), "kill")
    runtime.run_until_idle()
    path = str(tmp_path / "t.json")
    rec.save(path)
    assert viz.sup_tree(path).text() == TREE1
    assert viz.sup_tree(trace.load(path)).text() == TREE1


def test_figure_nodes_edges_png(tmp_path):
    viz.record()
    top = demo_tree()
    tree = viz.sup_tree(top)
    fig = tree.figure()
    g = fig.graph
    assert g.number_of_nodes() == 5 and g.number_of_edges() == 4
    kinds = sorted(d["kind"] for _k, d in g.nodes(data=True))
    assert kinds == ["supervisor", "supervisor", "worker", "worker", "worker"]
    png = tree._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    tree.save(str(tmp_path / "tree.png"))


def test_collapse_many_children():
    viz.record()
    specs = [(f"w{i}", worker, (i,), "worker") for i in range(100)]
    erlang.spawn(fake_sup, "big_sup", "one_for_one", 1, 5, specs)
    runtime.run_until_idle()
    tree = viz.sup_tree("big_sup")
    assert len(tree.text().splitlines()) == 101
    g = tree.graph()
    assert g.number_of_nodes() == 1 + 12                    # 11 children + "+89 more"
    more = [d["node"] for _k, d in g.nodes(data=True) if d["node"].more]
    assert more[0].more == 89 and tree.label(more[0]) == "+89 more"


def test_no_supervisor_message():
    viz.record()
    assert "no supervisor in the trace" in viz.sup_tree().text()


def test_live_kill_button_restarts_and_flashes():
    rec = viz.record()
    top = demo_tree()
    live = viz.sup_tree(top).live()
    assert repr(live) == "<live supervision tree>"
    w1 = child_pid(rec.events, "w1")
    labels = [b.description for b in live.nodes.children]
    assert labels[:2] == ["top_sup <0.81.0> \u21bb0", "db <0.82.0> \u21bb0"]
    [b] = [b for b in live.nodes.children if b.description.startswith("w1 ")]
    b.click()
    assert "process_info(<0.84.0>)" in html.unescape(live.info.value)
    live.kill_b.click()                                     # exit(w1, kill), run until idle, refresh
    assert not w1.alive
    assert "w1 <0.86.0> worker [running] restarts 1" in html.unescape(live.text_w.value)
    assert any(d.startswith("w1 <0.86.0> \u21bb1") for d in (b.description for b in live.nodes.children))
    # the selection follows the child w1 to its new pid (it stayed on the dead one)
    info = html.unescape(live.info.value)
    assert repr(live.selected) == "<0.86.0>" and live.selected.alive
    assert "<b>w1</b> (restarts 1, was <0.84.0>): <b>process_info(<0.86.0>)</b>" in info, info
    [sel] = [b for b in live.nodes.children if "otp-node-selected" in b._dom_classes]
    assert sel.description.startswith("w1 <0.86.0>") and sel.style.font_weight == "bold"
    assert live.animating                                   # the restarted node flashes
    for _ in range(8):
        live.maybe_refresh()
    assert not live.animating
    # send: a literal goes to the selected process
    [b] = [b for b in live.nodes.children if b.description.startswith("db ")]
    b.click()
    live.msg.value = "('ping', 'nobody')"
    live.send_b.click()
    assert "send(<0.82.0>, {ping,nobody})" in html.unescape(live.status.value)
    live.close()


def test_real_supervisor_when_present():
    import pytest
    supervisor = pytest.importorskip("otp_lite.supervisor")
    if not hasattr(supervisor, "start_link"):
        pytest.skip("otp_lite.supervisor has no start_link yet")

    class demo_sup:
        def init(args):
            return ("ok", ({"strategy": "one_for_one", "intensity": 3, "period": 5},
                           [{"id": "w1", "start": (demo_sup, "start_worker", ["w1"])},
                            {"id": "w2", "start": (demo_sup, "start_worker", ["w2"])}]))

        def start_worker(tag):
            return ("ok", erlang.spawn_link(worker, tag))

    rec = viz.record()
    assert supervisor.start_link(("local", "demo_sup"), demo_sup, [])[0] == "ok"
    w2 = supervisor.which_children("demo_sup")[0][1]
    erlang.exit(w2, "kill")
    runtime.run_until_idle()
    expected = ("demo_sup <0.81.0> supervisor [running] one_for_one 3/5s budget 2/3\n"
                "├─ w1 <0.82.0> worker [running] restarts 0\n"
                "└─ w2 <0.84.0> worker [running] restarts 1")
    assert viz.sup_tree("demo_sup").text() == expected      # live: which_children + events
    assert viz.sup_tree(rec).text() == expected             # trace only


def _phones_sup(n):
    """A real simple_one_for_one supervisor with ``n`` children; the second one is killed once."""
    import types
    from otp_lite import supervisor, logger
    phone = types.SimpleNamespace(__name__="phone",
                                  start_link=lambda i: ("ok", erlang.spawn_link(erlang.receive)))
    mod = types.SimpleNamespace(__name__="phones_sup", init=lambda _a: ("ok", (
        {"strategy": "simple_one_for_one", "intensity": 10, "period": 60},
        [("ms", (phone, "start_link", []), "transient", 2000, "worker", [phone])])))
    _ok, sup = supervisor.start_link(("local", "phones_sup"), mod, [])
    pids = [supervisor.start_child("phones_sup", [i])[1] for i in range(n)]
    with logger.capture():
        erlang.exit(pids[1], "kill")
        runtime.run_until_idle()
    return sup, pids


def test_simple_one_for_one_children_are_keyed_by_pid():
    """issue 8.4: every child has id 'undefined'; the figure drew one phone, the text all."""
    rec = viz.record()
    sup, pids = _phones_sup(4)
    from otp_lite import supervisor
    [new] = [c[1] for c in supervisor.which_children(sup) if c[1] not in pids]
    expected = "\n".join([
        f"phones_sup {sup!r} supervisor [running] simple_one_for_one 10/60s budget 9/10",
        f"├─ {pids[0]!r} worker [running] restarts 0",
        f"├─ {new!r} worker [running] restarts 1",         # restarted in place of pids[1]
        f"├─ {pids[2]!r} worker [running] restarts 0",
        f"└─ {pids[3]!r} worker [running] restarts 0"])
    assert viz.sup_tree(sup).text() == expected             # live: which_children
    assert viz.sup_tree(rec).text() == expected             # from the trace
    for t in (viz.sup_tree(sup), viz.sup_tree(rec)):
        g = t.graph()
        assert len(g) == 5 and g.out_degree(next(iter(g))) == 4
        labels = sorted(t.label(d["node"]) for _k, d in g.nodes(data=True) if d["kind"] == "worker")
        assert labels == sorted(repr(p) for p in (pids[0], new, pids[2], pids[3]))
    fig = viz.sup_tree(sup).figure()
    assert len(fig.graph) == 5


def test_simple_one_for_one_collapses_past_twelve():
    rec = viz.record()
    sup, _pids = _phones_sup(20)
    for t in (viz.sup_tree(sup), viz.sup_tree(rec)):
        g = t.graph()
        kids = [d["node"] for _k, d in g.nodes(data=True) if d["kind"] == "worker"]
        assert len(kids) == 12 and kids[-1].more == 9
        assert sum(n.restarts for n in kids) == 1
        assert len(t.text().splitlines()) == 21             # the text lists every child


def test_simple_one_for_one_live_widget_flashes_the_restarted_phone():
    viz.record()
    sup, pids = _phones_sup(3)
    live = viz.sup_tree(sup).live()
    descs = [b.description for b in live.nodes.children]
    assert descs[0] == f"phones_sup {sup!r} \u21bb0" and len(descs) == 4
    assert descs[1] == f"{pids[0]!r} \u21bb0" and descs[2].endswith("\u21bb1")
    assert all("otp-node-" + repr(p).strip("<>").replace(".", "_") in b._dom_classes
               for p, b in zip([pids[0]], live.nodes.children[1:]))
    [b] = [b for b in live.nodes.children if b.description == f"{pids[2]!r} \u21bb0"]
    b.click()
    live.kill_b.click()                                     # kill a phone: restarted under the same key
    assert not pids[2].alive
    assert sum(d.description.endswith("\u21bb1") for d in live.nodes.children) == 2
    assert live.selected is not pids[2] and live.selected.alive     # follows the phone's new pid
    assert f"process_info({live.selected!r})" in html.unescape(live.info.value)
    assert live.animating
    live.close()


def _figure_problems(fig):
    """Texts outside the figure, and texts overlapping each other or a node they do not label."""
    import itertools
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox
    FigureCanvasAgg(fig).draw()
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [("text " + t.get_text().replace("\n", "|"), t.get_window_extent(r))
             for t in ax.texts if t.get_text().strip()]
    pos = fig.graph.graph["pos"]
    for k, d in fig.graph.nodes(data=True):
        x, y = ax.transData.transform(pos[k])
        half = (900 if d["kind"] == "supervisor" else 700) ** 0.5 / 2 * fig.dpi / 72
        boxes.append(("node " + k, Bbox([[x - half, y - half], [x + half, y + half]])))
    W, H = fig.bbox.width, fig.bbox.height
    bad = [f"outside: {n}" for n, b in boxes if b.x0 < 0 or b.y0 < 0 or b.x1 > W or b.y1 > H]
    for (n1, b1), (n2, b2) in itertools.combinations(boxes, 2):
        ov = Bbox.intersection(b1, b2)
        if ov is not None and ov.width > 1 and ov.height > 1 and not (n1 < "o" and n2 < "o" and n1[0] == "n"):
            bad.append(f"overlap: {n1} / {n2}")
    return bad


def test_figure_strategy_text_overlaps_nothing_and_stays_inside():
    """The strategy/budget text beside a supervisor used to run under its right-hand
    sibling, and off the figure when the supervisor was the last node of its row
    (notebook 08's base station after the frequency kill)."""
    from otp_lite import supervisor

    class W:
        def start_link():
            return ("ok", erlang.spawn_link(erlang.receive))

    class S:
        def init(kind):
            w = lambda i: {"id": i, "start": (W, "start_link", [])}  # noqa: E731
            s = lambda i, k: {"id": i, "start": (supervisor, "start_link", [S, k]), "type": "supervisor"}  # noqa: E731
            flags = lambda st: {"strategy": st, "intensity": 10, "period": 3600}  # noqa: E731
            if kind == "top":       # a supervisor with one child, then a worker; an empty one, then a worker
                return ("ok", (flags("one_for_one"), [s("one", "one"), w("x"), s("empty", "sofo"), w("y")]))
            if kind == "one":
                return ("ok", (flags("rest_for_one"), [w("only")]))
            if kind == "last":      # a childless supervisor as the last node of its row
                return ("ok", (flags("rest_for_one"), [w("x"), s("empty", "sofo")]))
            return ("ok", (flags("simple_one_for_one"), [w("t")]))

    viz.record()
    for kind in ("top", "last"):
        ok, sup = supervisor.start_link(S, kind)
        erlang.unlink(sup)
        assert _figure_problems(viz.sup_tree(sup).figure()) == [], kind


def test_application_master_above_the_top_supervisor(capsys):
    from otp_lite import application
    from examples.ch9 import top_app
    viz.record()
    application.load(top_app.INC_APP)
    assert application.start(top_app.TOP_APP) == "ok"
    t = viz.sup_tree(application="top_app")
    lines = t.text().splitlines()
    assert lines[0].startswith("application_master (top_app) <0.") and lines[0].endswith("master [running]")
    assert lines[1].startswith("└─ top_sup ") and "inc_sup" in lines[2] and "inc_worker" in lines[3]
    master = t.roots[0].pid
    assert erlang.whereis("top_sup").group_leader is master      # every process of the app: its group leader
    fig = t.figure()
    assert [d["kind"] for _k, d in fig.graph.nodes(data=True)][0] == "master"
    assert "application master" in [tx.get_text() for tx in fig.legends[0].get_texts()]
    with pytest.raises(erlang.ErlangError):
        viz.sup_tree(application="nosuch")
