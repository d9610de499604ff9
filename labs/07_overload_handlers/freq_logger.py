"""freq_logger: a gen_event handler writing numbered events (lab 07, book ch. 7).

README.md (task 2) has the details.  Each event becomes one line, numbered
from 1:  ``Id:1 Event:('set_alarm', ('no_frequency', <0.81.0>))``; a raw
message to the manager ``Id:2 Unknown:('raw', 'message')``.

    init('standard_io')        print the lines                  -> ('ok', state)
    init(('file', path))       write them to a new file at path -> ('ok', state)
    init(anything else)        ('error', ('args', anything else))  (not added)
    terminate('swap', state)   what the new instance's init gets, inside (new, <this>)
    terminate(other, state)    ('count', next Id); closes the file
"""
STDIO = "standard_io"


def init(args):
    # TODO (student): 'standard_io', ('file', path), and (new, <what terminate('swap') returned>).
    pass


def handle_event(event, state):
    # TODO (student): write "Id:<n> Event:<event!r>"; the next line gets n + 1.
    pass


def handle_info(msg, state):
    # TODO (student): write "Id:<n> Unknown:<msg!r>".
    pass


def terminate(reason, state):
    # TODO (student)
    pass
