"""ex3: higher-order functions; mirrors the book's ch2 `ex3:filter/2`.

Book ch. 2.  ``filter(P, L)`` keeps the elements for which ``P`` is true,
written as a recursion over the list like the Erlang version.
"""


def filter(pred, lst):  # noqa: A001 - the book's name
    """The elements of ``lst`` for which ``pred(x)`` is true, in order."""
    if not lst:
        return []
    head, tail = lst[0], lst[1:]
    rest = filter(pred, tail)
    return [head] + rest if pred(head) else rest


def is_even(x):
    return x % 2 == 0
