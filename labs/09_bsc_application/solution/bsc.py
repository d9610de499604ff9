"""bsc: the base station controller as an application (reference solution, lab 09, book ch. 9).

    APP                                 the resource (the book's ebin/bsc.app)
    application.start('bsc')        ->  bsc.start('normal', [])  -> bsc_sup.start_link()
                                    ->  bsc.start_phase('handlers', 'normal', [])  (the overload handlers, once)
    application.stop('bsc')         ->  bsc_sup stopped (shutdown, reverse start order), then bsc.stop(state)

``bsc.config`` (beside this file) stands in for ``erl -config bsc``:
``application.load_config(path)`` before ``application.load``.
"""
import sys

import bsc_sup
import freq_counters
import freq_logger
import freq_overload

APP = {
    "name": "bsc",
    "description": "Base Station Controller",
    "vsn": "1.0",
    "modules": ["bsc", "bsc_sup", "frequency", "freq_overload", "freq_counters", "freq_logger",
                "simple_phone_sup", "phone_fsm", "hlr"],
    "registered": ["bsc_sup", "freq_overload", "frequency", "simple_phone_sup"],
    "applications": ["kernel", "stdlib", "sasl"],
    "env": [("frequencies", [10, 11, 12, 13, 14, 15])],
    "mod": (sys.modules[__name__], []),
    "start_phases": [("handlers", [])],
}


def start(_type, _args):
    return bsc_sup.start_link()


def start_phase(phase, _type, _args):
    if phase == "handlers":
        freq_overload.add(freq_counters, [])
        freq_overload.add(freq_logger, [])
    return "ok"


def stop(_state):
    return "ok"
