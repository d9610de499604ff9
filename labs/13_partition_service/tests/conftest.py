"""Lab setup: check the learner's counter.py (or solution/ under --solution), fresh runtime per check."""
from otp_lite.grade.labkit import select_target, fresh_runtime, trace  # noqa: F401  (fixtures)

select_target(__file__)
