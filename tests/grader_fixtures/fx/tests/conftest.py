from otp_lite.grade.labkit import select_target, fresh_runtime  # noqa: F401

select_target(__file__)
