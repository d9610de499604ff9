"""frequency: chapter 5's copy of the ch4 frequency gen_server (the book's file is identical).

Book ch. 5 (reference run: reference/erlang_ref g1).  Re-exported from
``examples.ch4.frequency`` so there is one callback namespace to trace,
inspect and upgrade; see ``examples.ch5.sys_tour`` for the ``sys`` session.
"""
from examples.ch4.frequency import (start, stop, allocate, deallocate, init, handle_call,   # noqa: F401
                                    handle_cast, handle_info, terminate, format_status,
                                    get_frequencies)
