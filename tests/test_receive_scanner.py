"""The generated receive scanner (issue 19) picks the same message as match() would.

``compile_scanner`` turns templates of literals into one loop; random patterns and
mailboxes check it against the reference matcher, including the cases where Python
equality and Erlang matching differ (True vs 1, 1 vs 1.0, a list vs a tuple).
"""
import random

from otp_lite.kernel.terms import ANY, compile_scanner, match

ATOMS = ["a", "b", "hit", "junk"]
VALUES = ATOMS + [0, 1, 2, True, False, 1.0, None, (1,), [1]]


def _pattern(rng):
    k = rng.randrange(0, 4)
    shape = tuple if rng.random() < 0.85 else list
    return shape(ANY if rng.random() < 0.4 else rng.choice(ATOMS + [0, 1, 2]) for _ in range(k))


def _message(rng):
    k = rng.randrange(0, 4)
    shape = tuple if rng.random() < 0.8 else list
    return shape(rng.choice(VALUES) for _ in range(k)) if rng.random() < 0.9 else rng.choice(VALUES)


def test_the_scanner_agrees_with_match():
    rng = random.Random(19)
    for _ in range(3_000):
        pats = tuple(_pattern(rng) for _ in range(rng.randrange(1, 4)))
        scan = compile_scanner(pats)
        assert scan is not None
        msgs = [_message(rng) for _ in range(rng.randrange(0, 12))]
        want = next((i for i, m in enumerate(msgs) if any(match(p, m) for p in pats)), len(msgs))
        start = rng.randrange(0, 5)
        assert scan(iter(msgs), start) == start + want, (pats, msgs)


def test_no_scanner_for_patterns_that_are_not_literal_templates():
    assert compile_scanner((lambda m: True,)) is None
    assert compile_scanner(("hit",)) is None                   # a bare atom: the compiled test
    assert compile_scanner((("hit", {"k": ANY}),)) is None     # a map inside: match() decides
    assert compile_scanner((("hit", ("nested", ANY)),)) is None
