"""Chapter 9 (Applications): the book's ch9 bsc application ported to otp_lite (erlang_ref i1)."""
