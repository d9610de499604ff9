"""freq_overload: the frequency server's event manager; mirrors the book's ch7 `freq_overload` (f2).

    start_link()             start the manager 'freq_overload', then install
                             freq_counters and freq_logger (to file LOG) with
                             add_sup_handler: the *caller* supervises them
    no_frequency()           notify ('set_alarm', ('no_frequency', self()))
    frequency_available()    notify ('clear_alarm', 'no_frequency')
    frequency_denied()       notify ('event', ('frequency_denied', self()))
    add(m, a) / delete(m, a) add_sup_handler / delete_handler
"""
from otp_lite import erlang, gen_event

from . import freq_counters, freq_logger

NAME = "freq_overload"
LOG = "log"


def start_link(log=None):
    ret = gen_event.start_link(("local", NAME))
    if type(ret) is tuple and ret[0] == "ok":
        add(freq_counters, ())
        add(freq_logger, ("file", log or LOG))
    return ret


def no_frequency():
    return gen_event.notify(NAME, ("set_alarm", ("no_frequency", erlang.self())))


def frequency_available():
    return gen_event.notify(NAME, ("clear_alarm", "no_frequency"))


def frequency_denied():
    return gen_event.notify(NAME, ("event", ("frequency_denied", erlang.self())))


def add(m, a):
    return gen_event.add_sup_handler(NAME, m, a)


def delete(m, a):
    return gen_event.delete_handler(NAME, m, a)
