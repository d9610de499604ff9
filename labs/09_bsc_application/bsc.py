"""bsc: the base station controller as an application (lab 09, book ch. 9).

    APP                                 the resource (the book's ebin/bsc.app): task 1
    application.start('bsc')        ->  bsc.start('normal', [])  -> bsc_sup.start_link()     task 2
                                    ->  bsc.start_phase(phase, 'normal', args) per phase       task 5
    application.stop('bsc')         ->  bsc_sup stopped, then bsc.stop(state)                  task 2

``bsc.config`` (beside this file) stands in for ``erl -config bsc``.
"""
import sys  # noqa: F401  (sys.modules[__name__] is this module)

import bsc_sup  # noqa: F401        (given: the top supervisor of lab 08)
import freq_counters  # noqa: F401  (given: an overload handler)
import freq_logger  # noqa: F401    (given: an overload handler)
import freq_overload  # noqa: F401  (given: freq_overload.add(handler, args))

APP = {
    "name": "bsc",
    "description": "Base Station Controller",
    "modules": ["bsc", "bsc_sup", "frequency", "freq_overload", "freq_counters", "freq_logger",
                "simple_phone_sup", "phone_fsm", "hlr"],
    # TODO (student): vsn "1.0", registered, applications, env (the default frequencies), mod.
    # (task 5: start_phases)
}


def start(start_type, start_args):
    """The application callback: start the top supervisor.

    Args:
        start_type: 'normal' (a takeover or failover of a distributed application
            would say otherwise; out of scope here).
        start_args: the list in APP's 'mod' (here []).

    Returns:
        ('ok', pid) of the top supervisor, linked to the caller (the application master),
        or ('error', reason) if it does not start.

    Example:
        >>> bsc.start('normal', [])
        ('ok', <0.84.0>)
    """
    # TODO (student): start the top supervisor (bsc_sup) and return what its start_link returns.
    pass


def start_phase(phase, start_type, phase_args):
    # TODO (student), task 5: for the phase you named in APP's 'start_phases', add the overload
    # handlers freq_counters and freq_logger to freq_overload; return 'ok'.
    pass


def stop(state):
    # TODO (student): called after the top supervisor has stopped; nothing left to clean up: 'ok'.
    pass
