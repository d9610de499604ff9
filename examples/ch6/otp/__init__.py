"""Book ch. 6, the coffee machine on the OTP behaviours (the book's ch6/otp), plus a gen_statem port."""
