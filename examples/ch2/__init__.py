"""Book chapter 2, *Introducing Erlang*: the chapter's small examples in otp_lite.

echo (spawn, request/reply tagged with the sender's pid), echo_link (the same
with spawn_link), ex1 (factorial with a guard), ex3 (higher-order filter),
queens (list comprehensions), hlr (a shared table keyed by the calling process).
"""
