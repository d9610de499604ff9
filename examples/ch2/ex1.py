"""ex1: recursion with a guard; mirrors the book's ch2 `ex1:factorial/1`.

Book ch. 2.  Erlang's clauses ``factorial(0) -> 1;`` and
``factorial(N) when N > 0 -> N * factorial(N-1).`` have no clause for a
negative number, so ``factorial(-1)`` fails with ``function_clause``.  Python
has no clauses: we say the same thing by raising that error ourselves.
"""
from otp_lite.erlang import ErlangError


def factorial(n):
    """``n!`` for an integer ``n >= 0``; anything else is a ``function_clause`` error."""
    if n == 0:
        return 1
    if type(n) is int and n > 0:
        return n * factorial(n - 1)
    raise ErlangError("function_clause", f"no clause of ex1.factorial matches ({n!r},)")
