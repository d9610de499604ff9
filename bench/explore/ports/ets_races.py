"""ETS races: reads and writes of a public table by several processes.

The Erlang originals end with ``receive after infinity`` so that the test
process (the table's owner) lives on; here the shell owns the table (the
harness's ``setup``), so nothing has to block.  Rewritten from Concuerror's
tests (the file and function named in each ``Port``).
"""
from otp_lite import erlang, ets

from .harness import Port, concuerror_test


def _table():
    return ets.new("table", ["public", "named_table"])


# simple_ets.erl: two writers each write both keys; the reader expects the two
# keys to come from the same writer.
def simple_ets(tab):
    me = erlang.self()

    def p1():
        ets.insert(tab, ("key", "value"))
        ets.insert(tab, ("key", "new_value"))
        ets.insert(tab, ("clef", "souffle"))
        erlang.receive("ok")
        erlang.send(me, "ok")

    pid1 = erlang.spawn(p1)

    def p2():
        ets.insert(tab, ("key", "eulav"))
        ets.insert(tab, ("clef", "elffuos"))
        erlang.receive("ok")
        erlang.send(pid1, "ok")

    pid2 = erlang.spawn(p2)
    erlang.send(pid2, "ok")
    erlang.receive("ok")
    [(_, v1)] = ets.lookup(tab, "key")
    [(_, v2)] = ets.lookup(tab, "clef")
    assert (v1, v2) in (("new_value", "souffle"), ("eulav", "elffuos")), (v1, v2)


# dpor_tests/src/ets_writing_same.erl: the reader sees x = 42 written by the
# first process before the main process has written y (it writes y, then x).
def ets_writing_same(tab):
    erlang.spawn(ets.insert, tab, ("x", 42))

    def reader():
        if ets.lookup(tab, "x") == [("x", 42)] and ets.lookup(tab, "y") == []:
            erlang.throw("yes")

    erlang.spawn(reader)
    ets.insert(tab, ("y", 1))
    ets.insert(tab, ("x", 42))


# dpor_tests/src/send_it_ets.erl: two processes say 'ok'; only one wrote x first.
def send_it_ets(tab):
    me = erlang.self()

    def writer():
        ets.insert(tab, ("x", 1))
        erlang.send(me, "ok")

    erlang.spawn(writer)
    erlang.spawn(erlang.send, me, "ok")
    erlang.receive("ok")
    if ets.lookup(tab, "x") == []:
        erlang.throw("boom")


# dpor_tests/src/same_messages_4.erl: the same 'unlock' from a writer and from a
# process that writes nothing.
def same_messages_4(tab):
    me = erlang.self()

    def unlocker(write):
        if write:
            ets.insert(tab, ("foo",))
        erlang.send(me, "unlock")

    erlang.spawn(unlocker, True)
    erlang.spawn(unlocker, False)
    erlang.receive("unlock")
    assert ets.lookup(tab, "foo") != [], "unlocked before foo was written"


# ets_many_insert_new.erl: three processes insert_new the same key.  The original
# only explores (no assertion); the assertion here, exactly one wins and its
# value stays, holds in every interleaving: no bug.
def ets_many_insert_new(tab):
    me = erlang.self()

    def writer(i):
        erlang.send(me, (i, ets.insert_new(tab, ("x", i))))

    for i in (1, 2, 3):
        erlang.spawn(writer, i)
    won = [i for i, ok in (erlang.receive() for _ in range(3)) if ok]
    assert len(won) == 1 and ets.lookup(tab, "x") == [("x", won[0])], (won, ets.lookup(tab, "x"))


def _port(name, source, function, expected, main, note="", flags=()):
    return Port(name, "tests/suites/" + source, function, expected,
                concuerror_test(main, setup=_table), "ets", concuerror_flags=flags, note=note)


# Concuerror on the originals: their final 'receive after infinity' is a deadlock by
# design (it keeps the table); --ignore_error deadlock leaves the races.
_KEEP = ("--ignore_error", "deadlock")
PORTS = [
    _port("simple_ets", "basic_tests/src/simple_ets.erl", "simple_ets", "bug", simple_ets),
    _port("ets_writing_same", "dpor_tests/src/ets_writing_same.erl", "ets_writing_same", "bug",
          ets_writing_same, flags=_KEEP),
    _port("send_it_ets", "dpor_tests/src/send_it_ets.erl", "send_it_ets", "bug", send_it_ets),
    _port("same_messages_4", "dpor_tests/src/same_messages_4.erl", "same_messages_4", "bug",
          same_messages_4),
    _port("ets_many_insert_new", "basic_tests/src/ets_many_insert_new.erl", "ets_many_insert_new",
          "no bug", ets_many_insert_new, flags=_KEEP,
          note="assertion added (exactly one insert_new wins); 3 writers as the original"),
]
