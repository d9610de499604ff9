"""Book ch. 6 "Get Your Hands Dirty": the phone controllers, ported *as the book's solution is written*
(erlang_ref j1), with its two bugs.  The graded lab builds the fixed version."""
