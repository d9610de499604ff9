"""Book ch. 5 (Controlling OTP Behaviors): the ch4 frequency server driven with ``sys``."""
