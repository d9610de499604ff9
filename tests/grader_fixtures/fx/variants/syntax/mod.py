"""Fixture: a syntax error."""


def ok(:
    return "ok"
