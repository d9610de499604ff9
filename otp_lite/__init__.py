"""otp_lite: a small actor kernel with the real OTP behaviours, for learning OTP.

Companion to *Designing for Scalability with Erlang/OTP* (Cesarini & Vinoski).
One OTP module, one Python module: ``gen_server.call(ref, req)`` is
``gen_server:call(Ref, Req)``.
"""
__version__ = "0.1.0"

from . import runtime, erlang, timer, logger  # noqa: E402,F401
