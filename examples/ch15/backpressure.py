"""Chapter 15: backpressure, three ways for a producer to feed a slower consumer.

The producer makes ``n`` items, ``make_ms`` of work each; the consumer (a
gen_server) takes ``use_ms`` per item.  ``run(mode, n)``:

- ``'cast'``: fire and forget; nothing slows the producer down;
- ``'call'``: each item is a synchronous call; the producer waits for each;
- ``('credits', k)``: at most ``k`` items in flight; the consumer hands a
  credit back (a message) after each one, and the producer, out of credits,
  waits for one.

It returns when the producer finished, when the consumer finished, and the
longest the consumer's mailbox got (sampled as it takes each item).
"""
import sys

from otp_lite import erlang, gen_server, timer
from otp_lite.kernel import state as _state


def _me():
    return sys.modules[__name__]


def _now():
    return _state.rt.now_ms()


def init(use_ms):
    return ("ok", {"use_ms": use_ms, "max_queue": 0, "done": 0, "last": 0})


def _use(st):
    q = erlang.process_info(erlang.self(), "message_queue_len")[1]
    st["max_queue"] = max(st["max_queue"], q)
    timer.sleep(st["use_ms"])
    st["done"] += 1
    st["last"] = _now()


def handle_cast(msg, st):
    _use(st)
    if msg[0] == "credit_back":                 # ('credit_back', producer, item)
        erlang.send(msg[1], "credit")
    return ("noreply", st)


def handle_call(msg, _from, st):
    if msg == "stats":
        return ("reply", st, st)
    _use(st)
    return ("reply", "ok", st)


def run(mode, n=500, make_ms=1, use_ms=2):
    """Feed ``n`` items to a fresh consumer -> ``{'producer_done', 'consumer_done', 'max_queue'}`` (ms)."""
    ok, c = gen_server.start(_me(), use_ms, [])
    t0 = _now()
    credits = mode[1] if type(mode) is tuple else 0
    for i in range(n):
        timer.sleep(make_ms)                    # make the item
        if mode == "cast":
            gen_server.cast(c, ("item", i))
        elif mode == "call":
            gen_server.call(c, ("item", i), "infinity")
        else:
            if credits == 0:
                erlang.receive("credit")        # out of credits: wait for one
                credits += 1
            credits -= 1
            gen_server.cast(c, ("credit_back", erlang.self(), i))
    producer_done = _now() - t0
    st = gen_server.call(c, "stats", "infinity")
    gen_server.stop(c)
    while erlang.receive("credit", timeout=0) is not erlang.TIMEOUT:   # (credits still in the mailbox)
        pass
    return {"producer_done": producer_done, "consumer_done": st["last"] - t0,
            "max_queue": st["max_queue"]}
