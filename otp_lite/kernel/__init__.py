"""otp_lite's private kernel: scheduler, processes, signals, timers, trace bus.

Learners use the public modules (``otp_lite.erlang``, ``otp_lite.runtime``...);
nothing in here is part of the API.
"""
