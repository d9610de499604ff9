"""ch12/erlang: the plain-process coffee machine, vsn 1.0 here and 1.1 in ``patches/``."""
