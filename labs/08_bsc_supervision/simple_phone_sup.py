"""simple_phone_sup: one phone controller per number (lab 08, book ch. 8).

A ``simple_one_for_one`` supervisor: it starts with no children, and each
``attach_phone(ms)`` adds a ``phone_fsm`` controller for number ``ms``, all
from one child spec template.  README.md has the tasks.

    start_link()        registered 'simple_phone_sup'; simple_one_for_one, intensity 10, period 3600
    init(args)          ('ok', (sup_flags, [the phone template]))
    attach_phone(ms)    ('ok', pid) | ('error', 'attached')
    detach_phone(ms)    'ok' | ('error', 'detached')
"""
import sys

import hlr  # noqa: F401        (given: lookup_id)
import phone_fsm  # noqa: F401  (given: start_link(ms), the phones' start function)
from otp_lite import supervisor  # noqa: F401  (you will need it)

NAME = "simple_phone_sup"


def start_link():
    # TODO (student): supervisor.start_link(('local', NAME), this module, []).
    pass


def init(args):
    """The supervisor's specification.

    Args:
        args: the third argument of ``supervisor.start_link`` (``[]``).

    Returns:
        ``('ok', (sup_flags, [template]))`` where ``sup_flags`` is a dict
        (``{'strategy': ..., 'intensity': ..., 'period': ...}``) and the
        template a child spec dict (``{'id': ..., 'start': (module, 'start_link',
        []), 'restart': ..., 'shutdown': ..., 'type': ..., 'modules': [...]}``).
        A simple_one_for_one appends the ``start_child`` arguments to the
        template's argument list: ``start_child(NAME, [ms])`` calls
        ``phone_fsm.start_link(ms)``.

    Example::

        >>> ok, (flags, [template]) = simple_phone_sup.init([])
        >>> flags['strategy']
        'simple_one_for_one'
    """
    # TODO (student)
    pass


def attach_phone(ms):
    # TODO (student): ('error', 'attached') if the HLR knows ms; else start a child with [ms].
    pass


def detach_phone(ms):
    # TODO (student): ('error', 'detached') if the HLR does not know ms; else terminate that child.
    pass
