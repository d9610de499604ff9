"""Fixture labs for tests/test_grader.py: graded in subprocesses, never collected by the main suite."""
collect_ignore_glob = ["*"]
