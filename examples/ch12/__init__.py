"""Chapter 12: release upgrades -- the coffee machine hot-patched by hand, then upgraded the OTP way."""
