"""Holds the current runtime (``state.rt``); set by ``otp_lite.runtime.reset``."""
rt = None
