"""``erlang:hibernate/3`` as ``process_info(P, current_function)`` shows it.

A behaviour whose callback returns ``'hibernate'`` waits for its next message
here.  BEAM would also garbage-collect the process, drop its stack and shrink
its heap to fit; a greenlet has nothing comparable to compact, so otp_lite only
waits (simulated).  What a learner can observe matches OTP 25
(tests/oracle_probes/ch4_more.erl): ``process_info(P, current_function)`` is
``{erlang, hibernate, 3}`` until a message wakes it.
"""


def hibernate(receive, patterns, timeout):
    return receive(patterns, timeout)


__name__ = "erlang"     # noqa: A001 - the frame's module, as process_info reports it
