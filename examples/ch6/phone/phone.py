"""phone: a deterministic handset stub (the j1 probe's `phone`, not the book's random simulator).

``reply(tag, other, ms)`` is how the FSM tells the handset what happened; the
stub only prints ``  [handset ms=1] outbound 2``.
"""


def reply(tag, other, ms):
    shown = other if type(other) is str else repr(other)
    print(f"  [handset ms={ms}] {tag} {shown}")
