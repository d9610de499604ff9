"""tcp_wrapper: your own behaviour, the book's ch10 ``tcp_wrapper``, on an in-memory socket.

A listener (a special process: proc_lib + sys) accepts connections and
spawns one linked request process per connection, which drives the
callback namespace::

    init_request()                -> ('ok', loop_data)
    get_request(data, loop_data)  -> ('ok', loop_data) | ('stop', reason, loop_data)
    stop_request(reason, loop_data)                    (when the peer closes, or after 'stop')

The callbacks are declared with :func:`otp_lite.behaviour.define` and checked
in ``start_link``: a namespace that lacks one gets the compiler's sentence as
an error, before anything is spawned.  As in the book, the listener polls:
it handles system messages, then waits up to 1000 ms in ``accept``; its trace
lines read ``Listener <0.89.0>:init_request`` (the book passes event and info
to ``sys.handle_debug`` the other way round, erlang_ref g3).  And as in the
book it does not trap exits, so its ``('EXIT', child, _)`` clause is dead
code and a crashing request process takes the listener down.
"""
import sys as _pysys

from otp_lite import _gen, behaviour, code, erlang, proc_lib
from otp_lite import sys as osys
from otp_lite.erlang import ANY, TIMEOUT

from . import mem_tcp as gen_tcp

BEHAVIOUR = behaviour.define("tcp_wrapper",
                             required=[("init_request", 0), ("get_request", 2), ("stop_request", 2)])


def start_link(mod, port):
    behaviour.check(mod, BEHAVIOUR)
    return proc_lib.start_link(init, (mod, port, erlang.self()))


def cast(host, port, data):
    """Connect, send ``data`` one byte per send, close."""
    ok, sock = gen_tcp.connect(host, port, ["binary", ("active", False)])
    for i in range(len(data)):
        gen_tcp.send(sock, data[i:i + 1])
    gen_tcp.close(sock)
    return "ok"


# ----------------------------------------------------------------- the listener
def init(mod, port, parent):
    ok, listener = gen_tcp.listen(port, [("active", False)])
    proc_lib.init_ack(("ok", erlang.self()))
    return code.tail_loop(loop, mod, listener, parent, osys.debug_options([]))


def loop(mod, listener, parent, deb):
    msg = erlang.receive(("system", ANY, ANY), ("EXIT", ANY, ANY), timeout=0)
    if msg is TIMEOUT:
        return (accept, mod, listener, parent, deb)
    if msg[0] == "system":
        deb, misc = osys.handle_system_msg(msg[2], msg[1], parent, _this, deb, (listener, mod))
        return system_continue(parent, deb, misc)
    if msg[1] is parent:
        return terminate(msg[2], listener, deb)
    deb = osys.handle_debug(deb, debug, "stop_request", msg[1])
    return (loop, mod, listener, parent, deb)


def accept(mod, listener, parent, deb):
    r = gen_tcp.accept(listener, 1000)
    if r[0] == "ok":
        sock = r[1]
        pid = proc_lib.spawn_link(init_request, mod, sock)
        gen_tcp.controlling_process(sock, pid)
        deb = osys.handle_debug(deb, debug, "init_request", pid)
        return (loop, mod, listener, parent, deb)
    if r[1] == "timeout":
        return (loop, mod, listener, parent, deb)
    deb = osys.handle_debug(deb, debug, "error", r[1])
    return terminate(r[1], listener, deb)


def system_continue(parent, deb, misc):
    listener, mod = misc
    return (loop, mod, listener, parent, deb)


def system_terminate(reason, parent, deb, misc):
    terminate(reason, misc[0], deb)


def terminate(reason, listener, deb):
    osys.handle_debug(deb, debug, "terminating", reason)
    gen_tcp.close(listener)
    erlang.exit(reason)


def debug(dev, event, info):
    print(f"Listener {event if type(event) is str else repr(event)}:{info}", file=dev)


# ----------------------------------------------------------------- one request
def init_request(mod, sock):
    ok, loop_data = _cb(mod).init_request()
    return get_request(mod, sock, loop_data)


def get_request(mod, sock, loop_data):
    while True:
        r = gen_tcp.recv(sock, 0)
        if r[0] != "ok":
            return stop_request(mod, r[1], loop_data)
        ret = _cb(mod).get_request(r[1], loop_data)
        if ret[0] == "ok":
            loop_data = ret[1]
            continue
        gen_tcp.close(sock)
        return stop_request(mod, ret[1], ret[2])


def stop_request(mod, reason, loop_data):
    return _cb(mod).stop_request(reason, loop_data)


def _cb(mod):
    return _gen.resolve(mod)                     # Mod:f(...) is a fully qualified call


_this = _pysys.modules[__name__]
