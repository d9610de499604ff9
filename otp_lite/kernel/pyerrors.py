"""Python exceptions as Erlang exit reasons (issue 23, item 6).

A learner who divides by zero in a process should see the reason the book
shows, ``('badarith', stack)``, not ``(ZeroDivisionError(...), stack)``.
Only the unambiguous cases are mapped; the Python exception is kept next to
the reason in error and crash reports, so nothing is hidden:

=================================================  ===========================
Python                                             Erlang reason (as OTP 25)
=================================================  ===========================
``ZeroDivisionError``, ``OverflowError``,          ``'badarith'``
``FloatingPointError``
a function called with the wrong number of         ``('badarity', exc)``
arguments (``TypeError: f() takes 1 positional
argument but 2 were given``)
calling something that is not a function           ``('badfun', exc)``
(``TypeError: 'int' object is not callable``)
anything else                                      the exception itself
=================================================  ===========================

OTP's ``{badarity, {Fun, Args}}`` and ``{badfun, Term}`` carry the fun and its
arguments; Python's exception does not, so the exception stands in for them
(tests/oracle_probes/ch23_crash.erl shows OTP's reasons and reports).
"""
from __future__ import annotations

import re

__all__ = ["python_reason", "is_python_error"]

_ARITY = re.compile(r"takes (?:exactly |at most |at least |from \d+ to )?\d+ (?:positional )?arguments? "
                    r"but \d+ (?:positional arguments? )?(?:was|were) given"
                    r"|missing \d+ required (?:positional|keyword-only) arguments?"
                    r"|takes no arguments \(\d+ given\)|expected \d+ arguments?, got \d+")
_NOT_CALLABLE = re.compile(r"object is not callable$")


def python_reason(e):
    """The Erlang reason for a Python exception ``e`` (without the stack)."""
    if isinstance(e, (ZeroDivisionError, OverflowError, FloatingPointError)):
        return "badarith"
    if type(e) is TypeError and e.args and type(e.args[0]) is str:
        text = e.args[0]
        if _NOT_CALLABLE.search(text):
            return ("badfun", e)
        if _ARITY.search(text):
            return ("badarity", e)
    return e


def is_python_error(e):
    """True for an exception that is not one of otp_lite's Erlang classes (error/exit/throw)."""
    from .terms import ErlangError, Exit, Throw
    return not isinstance(e, (ErlangError, Exit, Throw))
