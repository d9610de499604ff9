"""Book chapter 1, *Introduction*: the small examples of notebook 01.

calls (one process per phone call: an unknown number crashes only its call),
counter_server and counter_sup (a gen_server counter under a supervisor: the design principles in one tree).
"""
