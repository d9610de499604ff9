"""HLR: a Home Location Register that forgets the dead (lab 02, book ch. 2).

The book's ``hlr`` keeps two ETS tables, number -> pid and pid -> number.
When an attached process dies its entries stay behind, and
``lookup_id`` keeps handing out a dead pid.  Write an HLR that cleans up
after the dead.  README.md has the tasks; ``python -m otp_lite.grade
labs/02_hlr`` (or the widget in lab.ipynb) checks your work.

=====================  =========================================
client call            answer
=====================  =========================================
``new()``              ``'ok'`` (starts the HLR, named ``'hlr'``)
``attach(ms)``         ``True``
``detach()``           ``True``
``lookup_id(ms)``      ``('ok', pid)`` | ``('error', 'invalid')``
``lookup_ms(pid)``     ``('ok', ms)`` | ``('error', 'invalid')``
=====================  =========================================
"""
from otp_lite import erlang
from otp_lite.erlang import ANY  # noqa: F401  (you will want it in receive patterns)


def new():
    """Start the HLR process and register it as ``'hlr'``.

    Returns:
        ``'ok'``.

    Example::

        >>> hlr.new()
        'ok'
        >>> erlang.whereis('hlr')
        <0.81.0>

    The HLR process owns the number -> pid and pid -> number maps; every
    other function below sends it a request and waits for the reply.
    """
    # TODO (student): spawn the HLR process and register it as 'hlr'.
    pass


def attach(ms):
    # TODO (student): attach the calling process to the number ms; return True.
    pass


def detach():
    # TODO (student): detach the calling process; return True.
    pass


def lookup_id(ms):
    # TODO (student): return ('ok', pid) or ('error', 'invalid').
    pass


def lookup_ms(pid):
    # TODO (student): return ('ok', ms) or ('error', 'invalid').
    pass
