"""The trace bus: one event per observable thing, seq + timestamp, JSON round trip."""
from otp_lite import erlang, runtime, timer
from otp_lite.erlang import ANY, TIMEOUT
from otp_lite.kernel.trace import PidStub, Opaque, to_json, from_json


def test_no_subscriber_means_no_bus(rt):
    assert rt.trace is None
    with runtime.Recorder() as rec:
        assert rt.trace is not None
    assert rt.trace is None
    assert rec.events == []
    erlang.send(erlang.self(), "x")
    erlang.receive()
    assert rec.events == []                     # stopped recorders see nothing


def test_subscribe_unsubscribe(rt):
    seen = []
    fn = runtime.subscribe(seen.append)
    erlang.send(erlang.self(), "x")
    runtime.unsubscribe(fn)
    assert rt.trace is None
    erlang.receive()
    assert [e["kind"] for e in seen] == ["send"]


def test_events_have_seq_and_time_and_cover_the_kernel():
    me = erlang.self()
    q = erlang.spawn(erlang.receive)         # to demonitor (monitoring yourself is a no-op in OTP 25)
    with runtime.Recorder() as rec:
        timer.sleep(5)
        p = erlang.spawn_link(lambda: erlang.receive("go") and erlang.exit("bye"))
        r = erlang.monitor("process", p)
        erlang.register("tr", p)
        erlang.unregister("tr")
        erlang.unlink(p)
        erlang.send(p, "go")
        m = erlang.receive(("DOWN", r, ANY, ANY, ANY))
        t = erlang.send_after(10, me, "tick")
        erlang.receive("tick")
        t2 = erlang.send_after(10, me, "never")
        erlang.cancel_timer(t2)
        r2 = erlang.monitor("process", q)
        erlang.demonitor(r2)
        erlang.exit(q, "kill")
        erlang.receive(timeout=0)
    ev = rec.events
    assert [e["seq"] for e in ev] == sorted(e["seq"] for e in ev)
    assert len({e["seq"] for e in ev}) == len(ev)
    assert all("t" in e for e in ev) and ev[0]["t"] == 5
    kinds = {e["kind"] for e in ev}
    for k in ("spawn", "link", "unlink", "monitor", "demonitor", "register", "unregister",
              "send", "receive", "exit", "timer_start", "timer_fire", "timer_cancel",
              "receive_timeout"):
        assert k in kinds, k
    [sp] = rec.of_kind("spawn")
    assert sp["pid"] is p and sp["parent"] is me
    [ex] = [e for e in rec.of_kind("exit") if e["pid"] is p]
    assert ex["reason"] == "bye"
    downs = [e for e in rec.of_kind("send") if type(e["msg"]) is tuple and e["msg"][0] == "DOWN"]
    assert downs[0]["frm"] is p and downs[0]["to"] is me
    assert m[4] == "bye"
    fire = rec.of_kind("timer_fire")[0]
    assert fire["ref"] == t and fire["msg"] == "tick" and fire["t"] == 15


def test_receive_event_reports_index_of_selective_receive():
    me = erlang.self()
    for m in ("a", "b", ("want", 1)):
        erlang.send(me, m)
    with runtime.Recorder(kinds=["receive"]) as rec:
        erlang.receive(("want", ANY))
        erlang.receive()
    assert [(e["msg"], e["index"], e["left"]) for e in rec.events] == [
        (("want", 1), 2, 2), ("a", 0, 1)]
    erlang.flush()


def test_exit_signal_event_and_dead_send():
    d = erlang.spawn(lambda: None)
    timer.sleep(1)
    p = erlang.spawn(lambda: erlang.receive())
    with runtime.Recorder() as rec:
        erlang.send(d, "lost")
        erlang.exit(p, "kill")
        timer.sleep(1)
    [dead] = [e for e in rec.of_kind("send") if e.get("dead")]
    assert dead["to"] is d
    [sig] = rec.of_kind("exit_signal")
    assert sig["to"] is p and sig["reason"] == "kill" and sig["direct"] is True
    assert rec.of_kind("exit")[0]["reason"] == "killed"


def test_behaviour_level_events_with_emit():
    with runtime.Recorder() as rec:
        runtime.emit("state", name="idle", data=1)
    [e] = rec.events
    assert e["kind"] == "state" and e["pid"] is erlang.self() and e["name"] == "idle"
    runtime.emit("nobody_listens")             # no bus: a no-op


def test_recorder_save_load_round_trip(tmp_path):
    me = erlang.self()
    with runtime.Recorder() as rec:
        p = erlang.spawn(lambda: erlang.send(me, ("hi", erlang.self(), [1, 2.5, None], {"k": (1,)},
                                                  {1: "int key"}, erlang.make_ref())))
        erlang.receive()
        erlang.send(me, lambda: None)
        erlang.receive()
    path = tmp_path / "trace.json"
    rec.save(str(path))
    back = runtime.Recorder.load(str(path))
    assert len(back.events) == len(rec.events)
    for a, b in zip(rec.events, back.events):
        assert a["kind"] == b["kind"] and a["seq"] == b["seq"] and a["t"] == b["t"]
    msg = back.of_kind("receive")[0]["msg"]
    assert msg[0] == "hi" and isinstance(msg[1], PidStub) and msg[1] == p and repr(msg[1]) == repr(p)
    assert msg[2] == [1, 2.5, None] and msg[3] == {"k": (1,)} and msg[4] == {1: "int key"}
    assert repr(msg[5]).startswith("#Ref<")
    assert isinstance(back.of_kind("receive")[1]["msg"], Opaque)
    assert runtime.Recorder.loads(rec.dumps()).events == back.events


def test_json_codec_sentinels():
    assert from_json(to_json((ANY, TIMEOUT))) == (ANY, TIMEOUT)
    assert from_json(to_json({"$weird": 1})) == {"$weird": 1}
