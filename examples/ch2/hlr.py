"""hlr: a home location register in two shared tables; mirrors the book's ch2 `hlr`.

Book ch. 2 (reference run: reference/erlang_ref ch2_basics).

    hlr.new()            two public named tables: msisdn2pid, pid2msisdn      -> 'ok'
    hlr.attach(ms)       the *calling* process is now number ms                -> True
    hlr.detach()         the calling process forgets its number                -> True
    hlr.lookup_id(ms)    ('ok', pid) | ('error', 'invalid')
    hlr.lookup_ms(pid)   ('ok', ms)  | ('error', 'invalid')

Any process may read and write the tables (they are ``public``), so no
server process sits in the middle.  The tables belong to the process that
called ``new()`` and vanish with it.  Faithful to the book, including what it
leaves out: a process that dies without ``detach()`` stays in the tables
(the chapter 2 lab adds the cleanup).
"""
from otp_lite import erlang, ets


def new():
    ets.new("msisdn2pid", ["public", "named_table"])
    ets.new("pid2msisdn", ["public", "named_table"])
    return "ok"


def attach(ms):
    ets.insert("msisdn2pid", (ms, erlang.self()))
    return ets.insert("pid2msisdn", (erlang.self(), ms))


def detach():
    found = ets.lookup("pid2msisdn", erlang.self())
    if found:
        pid, ms = found[0]
        ets.delete("pid2msisdn", pid)
        return ets.delete("msisdn2pid", ms)
    return "ok"


def lookup_id(ms):
    found = ets.lookup("msisdn2pid", ms)
    return ("ok", found[0][1]) if found else ("error", "invalid")


def lookup_ms(pid):
    found = ets.lookup("pid2msisdn", pid)
    return ("ok", found[0][1]) if found else ("error", "invalid")
