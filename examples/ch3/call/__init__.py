"""Book ch. 3, ``ch3/call``: the generic server with a monitor-based call."""
