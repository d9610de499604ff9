
# ATTACK: turn the per-check alarm off, then loop in the caller for ever.
import signal as _signal


def start():
    _signal.setitimer(_signal.ITIMER_REAL, 0)
    _signal.signal(_signal.SIGALRM, _signal.SIG_IGN)
    while True:
        try:
            pass
        except BaseException:
            pass
