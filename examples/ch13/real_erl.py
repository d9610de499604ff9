"""Book ch. 13 next to real OTP: otp_lite joins an ``erl -name`` node on 127.0.0.1.

Everything ``demo`` prints crosses a real TCP connection in the Erlang
distribution protocol (``otp_lite.dist.real``): a ping each way, a message
each way, an rpc each way, then the connection is cut and both sides see
``nodedown``.  The node names are random (``tools.erl_node.unique_name``), so
the printed lines say "erl" and "otp_lite" instead.  Needs Erlang/OTP 23 or
later (``apt-get install erlang-nox``); ``available()`` says why not.
"""
from __future__ import annotations

import time

from otp_lite import dist, erlang, net_adm, rpc, runtime, timer
from otp_lite.erlang import ANY


def available():
    """True, or a falsy value whose ``.reason`` says how to install Erlang."""
    from tools.erl_node import erl_available
    return erl_available()


class lab_math:
    """What erl may call on our node (``rpc:call(Lab, lab_math, add, [1, 2])``)."""

    def add(a, b):
        return a + b


def _wait(pending, timeout=5.0):
    """Keep otp_lite's node answering while erl evaluates (the shell sleeps in slices)."""
    end = time.monotonic() + timeout
    while not pending.done() and time.monotonic() < end:
        timer.sleep(5)
    return pending.result(0.5)


def demo(peer, name=None):
    """Run the tour against ``peer`` (a started ``tools.erl_node.ErlNode``); print each step."""
    from tools.erl_node import unique_name
    runtime.reset(clock="real")
    net = dist.start(name or unique_name("lab") + "@127.0.0.1", real=True, cookie=peer.cookie)
    lab = net.name
    try:
        print("erl: net_adm:ping(otp_lite) ->", _wait(peer.submit(f"net_adm:ping('{lab}').")))
        print("otp_lite: net_adm.ping(erl) ->", net_adm.ping(peer.node))
        # a message each way
        peer.eval("case whereis(echo) of undefined -> register(echo, spawn(fun L() -> "
                  "receive {F, M} -> F ! {echo, M}, L() end end)); _ -> true end.")
        erlang.send(("echo", peer.node), (erlang.self(), "hello"))
        print("otp_lite got back:", erlang.receive(("echo", ANY), timeout=3000))
        erlang.register("inbox", erlang.self())
        p = peer.submit(f"{{inbox, '{lab}'}} ! {{hi, from_erl, self()}}, "
                        "receive R -> R after 3000 -> timeout end.")
        _, what, erl_pid = erlang.receive(("hi", ANY, ANY), timeout=3000)
        print("otp_lite got:", ("hi", what, "<an erl pid>"))
        erlang.send(erl_pid, ("thanks", 42))
        print("erl got:", _wait(p))
        # an rpc each way
        print("otp_lite: rpc.call(erl, 'lists', 'reverse', [[1, 2, 3]]) ->",
              rpc.call(peer.node, "lists", "reverse", [[1, 2, 3]]))
        dist.export("lab_math", lab_math)
        print("erl: rpc:call(otp_lite, lab_math, add, [1, 2]) ->",
              _wait(peer.submit(f"rpc:call('{lab}', lab_math, add, [1, 2]).")))
        # the cut: both sides watch the other node
        erlang.monitor_node(peer.node, True)
        p = peer.submit(f"monitor_node('{lab}', true), "
                        "receive {nodedown, _} -> nodedown after 5000 -> timeout end.")
        timer.sleep(50)
        erlang.disconnect_node(peer.node)
        m = erlang.receive(("nodedown", ANY), timeout=3000)
        print("otp_lite got:", (m[0], "<erl's node>"))
        print("erl got:", _wait(p))
    finally:
        dist.stop()
