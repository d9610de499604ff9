"""Book chapter 3, *Behaviors*: from one hand-written server to a generic one.

frequency            the frequency server as a plain process (client API + loop)
behavior.server      the generic half: start/call/stop and the receive loop
behavior.frequency   the specific half: a callback module (init/handle/terminate)
call.server          the generic half with a safer, monitor-based call
"""
