"""ch12/erlang/patches: coffee vsn 1.1, loaded over a running 1.0 with ``code.load_abs``."""
