"""Chapter 8 (Supervisors): the book's ch8 examples ported to otp_lite (erlang_ref c6)."""
