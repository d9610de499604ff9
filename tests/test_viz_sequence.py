"""viz.sequence: exact text lines, selective receive, filters, figure counts, LOD."""
import matplotlib
matplotlib.use("Agg")

from otp_lite import erlang, runtime, viz
from otp_lite.erlang import ANY, TIMEOUT


def frequency():
    erlang.register("frequency", erlang.self())
    m = erlang.receive(("allocate", ANY))
    erlang.send(m[1], ("reply", 10))
    if erlang.receive(("deallocate", ANY), timeout=500) is TIMEOUT:
        erlang.exit("no_deallocate")


def client():
    erlang.send("frequency", "hello")
    erlang.send("frequency", ("allocate", erlang.self()))
    erlang.receive(("reply", ANY))


def scenario():
    rec = viz.record()
    erlang.spawn(frequency)
    runtime.run_until_idle()
    c = erlang.spawn(client)
    ref = erlang.monitor("process", c)
    assert erlang.receive(("DOWN", ref, "process", c, "normal")) is not None
    erlang.receive(timeout=1000)
    return rec


EXPECTED = """\
   0.0ms  <0.80.0> spawns frequency test_viz_sequence:frequency/0
   0.0ms  <0.81.0> registered as frequency
   0.0ms  <0.80.0> spawns <0.82.0> test_viz_sequence:client/0
   0.0ms  <0.80.0> monitors <0.82.0> #Ref<0.0.0.1>
   0.0ms  <0.82.0> -> frequency : hello
   0.0ms  <0.82.0> -> frequency : {allocate,<0.82.0>}
   0.0ms  frequency receives {allocate,<0.82.0>}  (selective: skipped 1 older)
   0.0ms  frequency -> <0.82.0> : {reply,10}
   0.0ms  <0.82.0> receives {reply,10}
   0.0ms  <0.82.0> exits: normal
   0.0ms  <0.82.0> -> <0.80.0> : {'DOWN',#Ref<0.0.0.1>,process,<0.82.0>,normal}
   0.0ms  <0.80.0> receives {'DOWN',#Ref<0.0.0.1>,process,<0.82.0>,normal}
 500.0ms  frequency receive timed out (after 500)
 500.0ms  frequency exits: no_deallocate
1000.0ms  <0.80.0> receive timed out (after 1000)"""


def test_text_exact():
    rec = scenario()
    assert viz.sequence(rec).text() == EXPECTED
    assert repr(viz.sequence()) == EXPECTED                 # default source: the viz recorder


def test_filters_by_pid_name_and_kind():
    rec = scenario()
    only_sends = viz.sequence(rec, kinds=["send"]).text().splitlines()
    assert only_sends == [l for l in EXPECTED.splitlines() if " -> " in l]
    freq = viz.sequence(rec, pids=["frequency"], kinds=["send", "receive"]).text().splitlines()
    assert freq == ["   0.0ms  <0.82.0> -> frequency : hello",
                    "   0.0ms  <0.82.0> -> frequency : {allocate,<0.82.0>}",
                    "   0.0ms  frequency receives {allocate,<0.82.0>}  (selective: skipped 1 older)",
                    "   0.0ms  frequency -> <0.82.0> : {reply,10}"]
    shell = erlang.self()
    assert len(viz.sequence(rec, pids=shell).rows) == 6


def test_upto_seq_and_exit_signal_and_dead_send():
    rec = viz.record()
    p = erlang.spawn(erlang.receive)
    q = erlang.spawn_link(lambda: erlang.receive())
    runtime.run_until_idle()
    cut = rec.events[-1]["seq"]
    erlang.process_flag("trap_exit", True)
    erlang.exit(p, "kill")
    runtime.run_until_idle()
    erlang.send(p, "late")
    erlang.exit(q, "bye")
    erlang.receive(("EXIT", q, "bye"))
    lines = viz.sequence(rec, kinds=["send", "exit_signal", "exit"]).text().splitlines()
    assert lines == [
        "   0.0ms  <0.80.0> =EXIT=> <0.81.0> : kill",
        "   0.0ms  <0.81.0> exits: killed",
        "   0.0ms  <0.80.0> -> <0.81.0> : late  (receiver dead: dropped)",
        "   0.0ms  <0.80.0> =EXIT=> <0.82.0> : bye",
        "   0.0ms  <0.82.0> exits: bye",
        "   0.0ms  <0.82.0> =EXIT=> <0.80.0> : bye",
        "   0.0ms  <0.82.0> -> <0.80.0> : {'EXIT',<0.82.0>,bye}",
    ]
    assert len(viz.sequence(rec, upto_seq=cut).rows) == 3


def test_behaviour_events_lines():
    rec = viz.record()
    me = erlang.self()
    runtime.emit("state", pid=me, module="coffee", old=None, new="selection", event=None)
    runtime.emit("state", pid=me, module="coffee", old="selection", new="payment", event=("cast", "tea"))
    runtime.emit("postpone", pid=me, event=("cast", "pay"))
    runtime.emit("sup_child", pid=me, id="w1", event="restarted", child=me, reason=None)
    runtime.emit("custom_thing", pid=me, x=1)
    assert viz.sequence(rec).text().splitlines() == [
        "   0.0ms  <0.80.0> state (init) -> selection on undefined".replace("undefined", "None"),
        "   0.0ms  <0.80.0> state selection -> payment on {cast,tea}",
        "   0.0ms  <0.80.0> postpones {cast,pay}",
        "   0.0ms  <0.80.0> child w1 restarted <0.80.0>",
        "   0.0ms  <0.80.0> custom_thing #{x => 1}",
    ]


def test_figure_counts_and_png():
    rec = scenario()
    s = viz.sequence(rec)
    fig = s.figure()
    assert fig.seq["lifelines"] == ["shell", "frequency", "<0.82.0>"]
    assert fig.seq["rows"] == 15
    assert fig.seq["arrows"] == 7                            # 2 spawns, monitor, 4 sends
    png = s._repr_png_()
    assert png[:4] == b"\x89PNG" and len(png) > 5000


def test_level_of_detail_collapses_rows_and_lifelines():
    viz.record()

    def echo():
        while True:
            m = erlang.receive()
            erlang.send(m[1], m[0])

    ps = [erlang.spawn(echo) for _ in range(40)]
    for i in range(300):
        erlang.send(ps[i % 40], (i, erlang.self()))
    runtime.run_until_idle()
    s = viz.sequence(max_rows=100, max_lifelines=5)
    fig = s.figure()
    assert fig.seq["rows"] == 100
    assert len(fig.seq["lifelines"]) == 5 and fig.seq["lifelines"][-1] == "others"
    assert len(s.text().splitlines()) == len(s.rows) > 900
    erlang.self().mbox.clear()


def test_late_reply_after_call_timeout_is_drawn_dropped():
    """issue 8: a gen_server reply after the call timed out never lands (alias inactive)."""
    import types
    from otp_lite import gen_server
    rec = viz.record()
    slow = types.SimpleNamespace(__name__="slow", init=lambda a: ("ok", None))

    def handle_call(req, frm, st):
        erlang.receive(timeout=200)
        return ("reply", "late", st)
    slow.handle_call = handle_call
    gen_server.start(("local", "slow"), slow, [], [])
    try:
        gen_server.call("slow", "work", 100)
        raise AssertionError("the call should time out")
    except erlang.Exit as e:
        assert e.reason[0] == "timeout"
    erlang.receive(timeout=500)
    s = viz.sequence(rec, kinds=["send", "receive"])
    last = s.text().splitlines()[-1]
    assert last == " 200.0ms  slow -> <0.80.0> : {#Ref<0.0.0.2>,late}  (dropped: call over)"
    fig = s.figure()
    assert fig.seq["dropped"] == 1
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "{#Ref<0.0.0.2>,late}  (dropped: call over)" in texts
    assert list(erlang.self().mbox) == []                  # the late reply never landed


def test_demonitor_line_reads_like_the_monitor_line():
    from otp_lite import erlang, runtime, viz
    with runtime.Recorder() as rec:
        p = erlang.spawn(lambda: erlang.receive())
        ref = erlang.monitor("process", p)
        erlang.demonitor(ref)
    lines = viz.sequence(rec).text().splitlines()
    assert any(f"demonitors {p!r} {ref!r}" in line for line in lines), lines


def test_arrow_label_gets_the_room_of_its_arrow():
    """issue 20: a label is cut to what fits over its arrow: 28 characters between two
    neighbouring lifelines of a busy chart, more over a wide gap (a two-lifeline chart,
    or an arrow that skips lifelines), so that `suspend` still shows in a system message."""
    from otp_lite.viz.sequence import _label_chars
    assert _label_chars(1.0) == 28 and _label_chars(2.7) == 45 and _label_chars(5.4) == 91
    long = ("system", ("from", "tag_tag_tag_tag"), "suspend")
    with runtime.Recorder() as rec:
        me = erlang.self()
        ps = [erlang.spawn(lambda: erlang.receive()) for _ in range(3)]
        erlang.send(ps[0], long)                 # to the neighbouring lifeline
        erlang.send(ps[2], long)                 # over two lifelines: three gaps wide
    fig = viz.sequence(rec, pids=[me] + ps, kinds=["send"]).figure()
    texts = [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith("{system")]
    assert texts[0] == "{system,{from,tag_tag_tag_tag..."            # neighbours (1.8 in): cut
    assert texts[1] == "{system,{from,tag_tag_tag_tag},suspend}"  # wide: whole
    two = viz.sequence(rec, pids=[me, ps[0]], kinds=["send"]).figure()
    assert "{system,{from,tag_tag_tag_tag},suspend}" in [t.get_text() for t in two.axes[0].texts]


def test_dropped_message_and_exit_get_different_glyphs_and_a_legend():
    """issue 20: a send to a dead process ends in the dropped glyph, an exit is the filled X."""
    from otp_lite.viz.sequence import DROPPED_GLYPH
    rec = viz.record()
    p = erlang.spawn(lambda: erlang.receive())
    erlang.send(p, "bye")
    runtime.run_until_idle()
    erlang.send(p, "too late")                              # p is dead: dropped
    fig = viz.sequence(rec).figure()
    assert fig.seq["dropped"] == 1
    ax = fig.axes[0]
    from matplotlib.markers import MarkerStyle
    exit_path = MarkerStyle("X").get_path()
    drop_path = MarkerStyle(DROPPED_GLYPH).get_path()
    assert len(exit_path.vertices) != len(drop_path.vertices)       # two different shapes
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["process exits", "message dropped (never lands)"]
    texts = [t.get_text() for t in ax.texts]
    assert "'too late'  (receiver dead)" in texts


def test_the_shells_lifeline_is_called_shell():
    rec = viz.record()
    p = erlang.spawn(lambda: erlang.receive())
    erlang.send(p, "hi")
    runtime.run_until_idle()
    fig = viz.sequence(rec).figure()
    assert fig.seq["lifelines"][0] == "shell"
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "shell" in texts and "<0.80.0>" in texts        # the name, its pid under it
    assert viz.sequence(rec).text().splitlines()[1] == "   0.0ms  <0.80.0> -> <0.81.0> : hi"
