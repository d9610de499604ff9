"""Fixture: fails at import."""

raise RuntimeError("boom at import")
