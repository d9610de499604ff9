"""Book ch. 7, Event Handlers: the freq_overload event manager, its counters and logger handlers,
and the frequency server that raises overload events.

The book calls the handlers ``counters`` and ``logger``; both names are taken in
OTP >= 21 (and ``logger`` is otp_lite's too), so, as in the reference runs
(erlang_ref f1/f2), they are ``freq_counters`` and ``freq_logger`` here.
"""
