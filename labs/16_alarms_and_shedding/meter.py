"""Lab 16, task 1: counters and gauges that every process can update.

    start()              ('ok', Owner): create the named public ETS table 'meter', owned by a
                         process of its own (a table dies with the process that owns it)
    inc(name, n=1)       a counter: add n (a new counter starts at 0), return the new value
    gauge(name, value)   a gauge: set it to value, return value
    get(name)            the value, or 'undefined' for a name never used

Every process reads and writes the table directly: a metric must not be one
more process for an overloaded system to queue messages on.
"""
from otp_lite import erlang, ets  # noqa: F401

TABLE = "meter"


def start():
    # TODO (student) task 1: spawn the owner; it creates the table
    #                (ets.new(TABLE, ['named_table', 'public', 'set'])), tells you it is ready,
    #                and then waits for ever.  Return ('ok', owner_pid) once the table exists.
    pass


def inc(name, n=1):
    """Add ``n`` to the counter ``name`` and return its new value.

    Args:
        name: the metric's name, a str such as ``'requests.frequency'``.
        n: how much to add (default 1).
    Returns:
        the counter's value after the addition; a name never used starts at 0.
    Example:
        ``inc('calls')`` -> 1, ``inc('calls')`` -> 2, ``inc('calls', 5)`` -> 7.
        (One call does it atomically: ``ets.update_counter(TABLE, name, n, (name, 0))``.)
    """
    # TODO (student) task 1
    pass


def gauge(name, value):
    # TODO (student) task 1: set the gauge (the last value wins) and return value.
    pass


def get(name):
    # TODO (student) task 1: the value of name, or 'undefined' if it was never used.
    pass
