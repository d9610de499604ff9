"""server: the generic half of a client/server process (lab 03, book ch. 3).

The book splits its frequency server in two: this module holds what every
server does (spawn, loop, request/reply, stop); a *callback module* such as
``frequency.py`` holds what this one server does.  README.md has the tasks.

============================  ===================================
generic (this module)         specific (the callback module)
============================  ===================================
``start(name, mod, args)``    ``mod.init(args) -> state``
``call(name, msg)``           ``mod.handle(msg, state) -> (new_state, reply)``
``stop(name)``                ``mod.terminate(state) -> reply``
============================  ===================================

Messages: ``('request', (ref, caller), msg)`` and ``('stop', caller)`` in;
``('reply', ref, reply)`` and ``('reply', reply)`` (after stop) out.
"""
from otp_lite import erlang
from otp_lite.erlang import ANY, ErlangError  # noqa: F401  (you will need them)


def start(name, mod, args):
    # TODO (student): spawn init(mod, args) and register the new process as name; return True.
    pass


def stop(name):
    # TODO (student): send ('stop', self()); return the reply that comes back.
    pass


def call(name, msg):
    """Send ``msg`` to the server registered as ``name`` and wait for its reply.

    Args:
        name: the registered name of the server (``'frequency'``).
        msg: the request, passed to ``mod.handle(msg, state)`` in the server.

    Returns:
        The server's reply, or ``('error', 'no_proc')`` if the server is not
        registered, has stopped, or dies before it replies.

    Example::

        >>> server.call('frequency', ('allocate', erlang.self()))
        ('ok', 10)
        >>> server.stop('frequency')
        'ok'
        >>> server.call('frequency', ('allocate', erlang.self()))
        ('error', 'no_proc')

    How: monitor the server (``ref = erlang.monitor('process', name)``),
    send ``('request', (ref, erlang.self()), msg)`` (sending to an
    unregistered name raises ``ErlangError``: catch it, the monitor already
    said ``'noproc'``), then receive either ``('reply', ref, reply)`` or
    ``('DOWN', ref, 'process', ANY, ANY)``.  After a reply, remove the
    monitor with ``erlang.demonitor(ref, flush=True)``.
    """
    # TODO (student)
    pass


def reply(frm, msg):
    # TODO (student): frm is (ref, caller); send ('reply', ref, msg) to the caller.
    pass


def init(mod, args):
    # TODO (student): the new process starts here: state = mod.init(args), then loop.
    pass


def loop(mod, state):
    # TODO (student): receive requests (call mod.handle, reply) until a stop
    # (call mod.terminate, send ('reply', result) to the stopper, return).
    # A while loop: Python has no tail calls, so loop calling itself would stop
    # at the recursion limit after about a thousand requests.
    pass
