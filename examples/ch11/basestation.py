"""basestation: the book's ch11 ``basestation.rel`` + ``bsc.config``, as an otp_lite release.

The book pins OTP 18.2's kernel/stdlib/sasl (erts 7.2, kernel 4.1.1, stdlib 2.7,
sasl 2.6.1); here those are the runtime's own and only ``bsc`` is ours::

    release.boot(basestation.REL)     # erl -boot basestation -config bsc
    release.boot_script(basestation.REL)

Booting loads every bsc module, applies ``bsc.config`` (frequencies 1..6),
then starts sasl and bsc, permanent, in dependency order.
"""
from otp_lite import release

from ..ch9 import bsc



def _modules():
    from ..ch2 import hlr
    from ..ch7 import freq_counters, freq_logger, freq_overload, frequency
    from ..ch8 import phone_fsm, simple_phone_sup
    return {"bsc": bsc, "frequency": frequency, "freq_overload": freq_overload,
            "freq_counters": freq_counters, "freq_logger": freq_logger,
            "simple_phone_sup": simple_phone_sup, "phone_fsm": phone_fsm, "hlr": hlr}


SASL = release.app(("application", "sasl", [("vsn", "4.2"), ("applications", ["kernel", "stdlib"])]), {})
BSC = release.app(bsc.APP, _modules())
REL = release.release("basestation", "1.0", [(BSC, "permanent"), (SASL, "permanent")], bsc.CONFIG)
