"""Lab setup: check the learner's coffee_fsm.py + coffee_appup.py (or solution/ under --solution), fresh runtime per check."""
import sys
from pathlib import Path

from otp_lite.grade.labkit import select_target, fresh_runtime, trace  # noqa: F401  (fixtures)

select_target(__file__)
sys.path.append(str(Path(__file__).resolve().parent.parent))    # the given hw and coffee_1_0
