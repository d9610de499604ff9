
# ATTACK: keep the function objects, swap their code (defeats identity checks of the names).
import otp_lite.grade.labkit as _lk


def _noop(call, got, want):
    return None


_lk.expect.__code__ = _noop.__code__
_lk.check.__code__ = _noop.__code__
