"""queens: the eight queens with list comprehensions; mirrors the book's ch2 `queens`.

Book ch. 2.  A solution is a list of rows, one per column.  ``queens(n)``
extends every solution for ``n - 1`` columns with each row not yet used
(Erlang's ``--``) that no earlier queen attacks along a diagonal.
"""

ROWS = list(range(1, 9))


def queens(n):
    """Every safe placement of ``n`` queens on an 8-row board (``queens(8)``: 92)."""
    if n == 0:
        return [[]]
    return [[row] + cols
            for cols in queens(n - 1)
            for row in ROWS if row not in cols
            if safe(row, cols, 1)]


def safe(row, cols, dist):
    """No queen in ``cols`` (``dist`` columns away and on) shares a diagonal with ``row``."""
    for c in cols:
        if abs(c - row) == dist:
            return False
        dist += 1
    return True
