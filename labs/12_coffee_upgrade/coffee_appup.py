"""coffee_appup: the ``coffee.appup`` of application coffee 1.1 (lab 12, book ch. 12).

In OTP, ``ebin/coffee.appup`` holds one term: the new version, how to go *up*
from each older version, how to go *down* to each older version::

    {"1.1",
     [{"1.0", [Instruction, ...]}],     % up from 1.0
     [{"1.0", [Instruction, ...]}]}.    % down to 1.0

``systools:make_relup`` (here ``release.make_relup``) turns these high-level
instructions into the low-level relup script the release handler runs.
"""


def appup():
    """The appup of coffee 1.1, as Python data.

    Returns:
        ``(new_vsn, [(up_from_vsn, [instruction, ...])], [(down_to_vsn, [instruction, ...])])``
        with versions as strings and instructions as tuples, e.g.
        ``('update', 'some_module', ('advanced', extra))``: suspend the processes
        running ``some_module``, load the new code, call their ``code_change``
        with ``extra``, resume them.

    Example::

        >>> coffee_appup.appup()[0]
        '1.1'
    """
    # TODO (student)
    pass
