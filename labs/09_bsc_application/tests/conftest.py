"""Lab setup: check the learner's bsc.py, frequency.py, bsc.config (or solution/), fresh runtime per check."""
import sys
from pathlib import Path

from otp_lite.grade.labkit import select_target, fresh_runtime, trace  # noqa: F401  (fixtures)

select_target(__file__)
sys.path.append(str(Path(__file__).resolve().parent.parent))    # the given bsc_sup, simple_phone_sup, freq_overload ...
