"""from_: reply early with ``gen_server.reply``; mirrors the book's ch4 `from` probe.

Book ch. 4 (reference run: reference/erlang_ref e1).  (``from`` is a Python
keyword, hence the underscore.)

    gen_server.call(P, ('add', N))    replies 'ok' at once, then works for 1 s
                                      and prints ``From:..., Sum:...``

The caller is released by ``gen_server.reply(from_, 'ok')`` before the
callback returns ``('noreply', new_sum)``.  A second call made while the
server is still busy waits until the first one's work is done.  No
``handle_cast``: a cast crashes it with ``undef``.
"""
from otp_lite import gen_server, timer


def init(total):
    return ("ok", total)


def handle_call(request, from_, total):
    _, data = request                       # ('add', Data): anything else is a badmatch crash
    gen_server.reply(from_, "ok")
    timer.sleep(1000)
    new_total = add(data, total)
    print(f"From:{from_!r}, Sum:{new_total!r}")
    return ("noreply", new_total)


def add(data, total):
    return data + total


def terminate(_reason, _total):
    return "ok"
