"""frequency_sup: rest_for_one over freq_overload then frequency; mirrors the book's ch8/otp `frequency_sup` (c6).

    start_link() -> supervisor.start_link(('local', 'frequency_sup'), frequency_sup, [])
    init([])     -> rest_for_one, intensity 2, period 3600 s; both children permanent,
                    shutdown 2000, worker

Killing freq_overload restarts both (frequency was started after it);
killing frequency restarts only frequency; a third restart within the hour
takes the supervisor down.  The child specs are written as maps here; the
book shows the tuple form, ``('frequency', (frequency, 'start_link', []),
'permanent', 2000, 'worker', ['frequency'])``, which works too.
"""
import sys

from otp_lite import supervisor

from ..ch7 import freq_overload, frequency


def start_link(log=None):
    return supervisor.start_link(("local", "frequency_sup"), sys.modules[__name__], log)


def stop():
    from otp_lite import erlang
    erlang.exit(erlang.whereis("frequency_sup"), "shutdown")


def init(log):
    sup_flags = {"strategy": "rest_for_one", "intensity": 2, "period": 3600}
    overload = {"id": "freq_overload", "start": (freq_overload, "start_link", [log]),
                "restart": "permanent", "shutdown": 2000, "type": "worker", "modules": ["freq_overload"]}
    freq = {"id": "frequency", "start": (frequency, "start_link", []),
            "restart": "permanent", "shutdown": 2000, "type": "worker", "modules": ["frequency"]}
    return ("ok", (sup_flags, [overload, freq]))
