"""A fake pytest: reports one check, passed."""
import json
import os

p = os.environ.get("OTP_GRADE_RESULTS")
if p:
    with open(p, "a") as f:
        f.write(json.dumps({"type": "collected", "tests": [{"id": "tests/x.py::test_all", "name": "test_all",
                                                            "points": 20, "task_id": None, "doc": ""}]}) + "\n")
        f.write(json.dumps({"type": "start", "id": "tests/x.py::test_all"}) + "\n")
        f.write(json.dumps({"type": "result", "id": "tests/x.py::test_all", "status": "pass",
                            "message": "", "output": ""}) + "\n")
raise SystemExit(0)
