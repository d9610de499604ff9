"""Lab 16, task 1: counters and gauges in a public ETS table (reference solution).

    start()              ('ok', Owner): the named public table 'meter', owned by a process of
                         its own (a table dies with its owner)
    inc(name, n=1)       a counter: add n (created at 0), return the new value
    gauge(name, value)   a gauge: set it to value, return value
    get(name)            the value, or 'undefined' for a name never used

Every process reads and writes the table directly: a metric must not be one
more process for the overloaded system to queue messages on.
"""
from otp_lite import erlang

from otp_lite import ets

TABLE = "meter"


def start():
    parent = erlang.self()

    def owner():
        ets.new(TABLE, ["named_table", "public", "set"])
        erlang.send(parent, ("meter_ready", erlang.self()))
        erlang.receive(("meter_stop",))        # keeps the table alive

    pid = erlang.spawn(owner)
    erlang.receive(("meter_ready", pid))
    return ("ok", pid)


def inc(name, n=1):
    return ets.update_counter(TABLE, name, n, (name, 0))


def gauge(name, value):
    ets.insert(TABLE, (name, value))
    return value


def get(name):
    found = ets.lookup(TABLE, name)
    return found[0][1] if found else "undefined"
