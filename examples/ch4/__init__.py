"""Book ch. 4 (Generic Servers): the frequency server as a gen_server, and the timeout/from/ping probes."""
