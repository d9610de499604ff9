"""frequency: a frequency allocator as a hand-written process; mirrors the book's ch3 `frequency`.

Book ch. 3 (reference run: reference/erlang_ref a1).

    client API          message to the server                 reply
    start()             (spawns and registers 'frequency')    True
    allocate()          ('request', Pid, 'allocate')          ('ok', Freq) | ('error', 'no_frequency')
    deallocate(Freq)    ('request', Pid, ('deallocate', F))   'ok'
    stop()              ('request', Pid, 'stop')              'ok'

The loop state is ``(free, allocated)``: a free list (10..15 at start) and a
list of ``(freq, pid)``.  Faithful to the book, including its bug:
``deallocate`` checks neither who owns the frequency nor whether it was
allocated at all, so freeing a free frequency puts it on the free list twice.
Calling a stopped server fails with ``badarg`` (sending to an unregistered name).
"""
from otp_lite import erlang
from otp_lite.erlang import ANY


# ---------------------------------------------------------------- client API
def start():
    return erlang.register("frequency", erlang.spawn(init))


def stop():
    return call("stop")


def allocate():
    return call("allocate")


def deallocate(freq):
    return call(("deallocate", freq))


def call(message):
    erlang.send("frequency", ("request", erlang.self(), message))
    _, reply = erlang.receive(("reply", ANY))
    return reply


def reply(pid, message):
    erlang.send(pid, ("reply", message))


# ---------------------------------------------------------------- the server
def init():
    frequencies = (get_frequencies(), [])
    loop(frequencies)


def get_frequencies():
    return [10, 11, 12, 13, 14, 15]


def loop(frequencies):
    while True:
        _, pid, message = erlang.receive(("request", ANY, ANY))
        if message == "allocate":
            frequencies, answer = _allocate(frequencies, pid)
            reply(pid, answer)
        elif isinstance(message, tuple) and message[0] == "deallocate":
            frequencies = _deallocate(frequencies, message[1])
            reply(pid, "ok")
        elif message == "stop":
            reply(pid, "ok")
            return


def _allocate(frequencies, pid):
    free, allocated = frequencies
    if not free:
        return (free, allocated), ("error", "no_frequency")
    freq, rest = free[0], free[1:]
    return (rest, [(freq, pid)] + allocated), ("ok", freq)


def _deallocate(frequencies, freq):
    free, allocated = frequencies
    allocated = _keydelete(freq, allocated)      # spot the bug: no owner check
    return ([freq] + free, allocated)


def _keydelete(key, pairs):
    """lists:keydelete(Key, 1, Pairs): drop the first pair whose key is ``key``."""
    for i, (k, _) in enumerate(pairs):
        if k == key:
            return pairs[:i] + pairs[i + 1:]
    return pairs
