"""Chapter 16: a monitor that samples the system and raises threshold alarms.

    start(checks, every=20)   gen_server 'freq_monitor': every ``every`` ms it samples
                              each check and sets/clears its alarm through SASL's
                              ``alarm_handler``
    stop()
    mailbox(name)             a probe: the message queue length of process ``name``
    gauge(name)               a probe: the last value of a metrics gauge

A check is ``(alarm_id, probe, set_at, clear_at)``; with ``set_at > clear_at``
the alarm is set when the value rises above ``set_at`` and cleared when it
falls below ``clear_at`` (for a falling value, e.g. free frequencies, give
``set_at < clear_at``).  The gap between the two is *hysteresis*: a value
hovering around one threshold would set and clear the alarm on every sample
(flapping); two thresholds make it change its mind only when it should.

A mailbox probe also keeps each sample as a gauge ``mailbox.<name>``, for the dashboard.
The monitor is an ordinary gen_server with a ``send_after`` tick: it costs a
wake-up every ``every`` ms, so stop it when you are done (a virtual clock with
a ticking process never runs out of timers).
"""
import sys

from otp_lite import alarm_handler, erlang, gen_server, metrics

NAME = "freq_monitor"


def _me():
    return sys.modules[__name__]


def start(checks, every=20):
    return gen_server.start(("local", NAME), _me(), (list(checks), every), [])


def stop():
    return gen_server.stop(NAME)


def mailbox(name):
    def probe():
        pid = erlang.whereis(name)
        info = erlang.process_info(pid, "message_queue_len") if pid != "undefined" else "undefined"
        return 0 if info == "undefined" else info[1]
    probe.__name__ = f"mailbox({name})"
    probe.metric = f"mailbox.{name}"          # each sample is kept as this gauge
    return probe


def gauge(name):
    def probe():
        v = metrics.get(name)
        return v if v != "undefined" else None
    probe.__name__ = f"gauge({name})"
    return probe


def init(args):
    checks, every = args
    erlang.send_after(every, erlang.self(), "tick")
    return ("ok", {"checks": checks, "every": every, "raised": set()})


def handle_info(msg, st):
    if msg == "tick":
        for alarm_id, probe, set_at, clear_at in st["checks"]:
            v = probe()
            if v is None:
                continue
            if hasattr(probe, "metric"):
                metrics.gauge(probe.metric, v)
            rising = set_at > clear_at
            if alarm_id not in st["raised"] and (v > set_at if rising else v < set_at):
                alarm_handler.set_alarm((alarm_id, {"value": v, "threshold": set_at}))
                st["raised"].add(alarm_id)
            elif alarm_id in st["raised"] and (v < clear_at if rising else v > clear_at):
                alarm_handler.clear_alarm(alarm_id)
                st["raised"].discard(alarm_id)
        erlang.send_after(st["every"], erlang.self(), "tick")
    return ("noreply", st)


def handle_call(_req, _from, st):
    return ("reply", sorted(st["raised"]), st)


def handle_cast(_msg, st):
    return ("noreply", st)


def terminate(_reason, _st):
    return "ok"
