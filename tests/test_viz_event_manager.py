"""viz.event_manager: a gen_event manager and its handlers, newest first as OTP calls them
(tests/oracle_probes/ch7_fanout.erl), read without disturbing the manager."""
import matplotlib
matplotlib.use("Agg")

from otp_lite import erlang, gen_event, runtime, viz


class counter:
    """A handler named by its id's second element: ``('counter', name)`` keeps a count."""

    def init(a):
        if type(a) is tuple and type(a[1]) is tuple and a[1][0] == "swap":   # {Args2, Term1} after a swap
            return ("ok", (a[0], a[1][1]))
        return ("ok", (a, 0))

    def handle_event(e, s):
        return ("ok", (s[0], s[1] + 1))

    def handle_call(q, s):
        return ("ok", "ok", s)

    def terminate(arg, s):
        return ("swap", s[1]) if arg == "swap" else "ok"


def test_handlers_newest_first_and_swap_puts_the_new_one_first():
    gen_event.start(("local", "m"))
    m = erlang.whereis("m")
    assert viz.event_manager("m").text() == f"event manager m {m!r}: 0 handlers"     # visible as start returns
    gen_event.add_handler("m", (counter, "logger"), "logger")
    gen_event.add_handler("m", (counter, "counter"), "counter")
    assert gen_event.sync_notify("m", "hello") == "ok"
    with runtime.Recorder() as rec:                     # looking sends nothing and traces nothing
        v = viz.event_manager("m", event="hello")
        lines = v.text().splitlines()
        fig = v.figure()
    assert rec.events == []
    assert lines == [f"event manager m {m!r}: 2 handlers, called newest first, inside the manager's process",
                     "  notify hello:",
                     "  1. {counter,counter}  handle_event(hello, State)  State = {counter,1}",
                     "  2. {counter,logger}  handle_event(hello, State)  State = {logger,1}"]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert ["1. {counter,counter}", "2. {counter,logger}"] == [t for t in texts if t[:2] in ("1.", "2.")]
    assert "notify hello" in texts and "State = {logger,1}" in texts
    # OTP 25: swap_handler passes terminate's value to the new init and puts the new handler first
    gen_event.swap_handler("m", ((counter, "logger"), "swap"), ((counter, "file_logger"), "file_logger"))
    gen_event.sync_notify("m", "again")
    assert viz.event_manager(m).text().splitlines()[1:] == [
        "  1. {counter,file_logger}  State = {file_logger,2}",
        "  2. {counter,counter}  State = {counter,2}"]
    gen_event.stop("m")
    assert viz.event_manager("m").text() == "m: not a running event manager"
    assert viz.event_manager(m).figure() is not None
