"""Book ch. 6, the coffee machine written as plain processes (the book's ch6/erlang)."""
