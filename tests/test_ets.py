"""ets: outcomes checked against OTP 25 (probe run with erl, see module docstrings)."""
import pytest

from otp_lite import erlang, ets, timer
from otp_lite.erlang import ANY, ErlangError, Ref


def badarg(f, *a):
    with pytest.raises(ErlangError) as ei:
        f(*a)
    assert ei.value.reason == "badarg"
    return ei.value


def test_new_returns_tid_or_name():
    t = ets.new("t", ["set"])
    assert type(t) is Ref
    assert ets.new("named", ["named_table", "public", ("keypos", 2)]) == "named"
    badarg(ets.new, "named", ["named_table"])              # name taken
    assert type(ets.new("named", [])) is Ref               # unnamed: the name may repeat
    badarg(ets.new, "y", [("keypos", 0)])
    badarg(ets.new, "y", ["no_such_option"])
    badarg(ets.new, 42, [])
    assert ets.info(ets.new("x", ["set", "bag"]), "type") == "bag"   # last type wins, as OTP


def test_set_insert_lookup_member_delete():
    t = ets.new("t", [])
    assert ets.insert(t, [("a", 1), ("b", 2), ("c", 3)]) is True
    assert ets.insert(t, ("a", 10)) is True                # replaces
    assert ets.lookup(t, "a") == [("a", 10)]
    assert ets.lookup(t, "zz") == []
    assert ets.member(t, "b") and not ets.member(t, "zz")
    assert ets.delete(t, "b") is True and ets.delete(t, "nokey") is True
    assert sorted(ets.tab2list(t)) == [("a", 10), ("c", 3)]
    assert ets.info(t, "size") == 2


def test_insert_bad_objects_insert_nothing():
    t = ets.new("t", [])
    badarg(ets.insert, t, ())
    badarg(ets.insert, t, [("x", 1), "notatuple"])
    assert ets.lookup(t, "x") == []
    n = ets.new("n", ["named_table", ("keypos", 2)])
    badarg(ets.insert, n, ("a",))                           # shorter than keypos
    ets.insert(n, ("rec", "key1", "v"))
    assert ets.lookup("n", "key1") == [("rec", "key1", "v")]


def test_insert_new():
    t = ets.new("t", [])
    ets.insert(t, ("a", 1))
    assert ets.insert_new(t, [("a", 9), ("q", 9)]) is False
    assert ets.lookup(t, "q") == []
    assert ets.insert_new(t, ("q", 9)) is True


def test_bag_and_duplicate_bag():
    b = ets.new("b", ["bag"])
    ets.insert(b, [("k", 1), ("k", 1), ("k", 2)])
    assert sorted(ets.lookup(b, "k")) == [("k", 1), ("k", 2)]
    d = ets.new("d", ["duplicate_bag"])
    ets.insert(d, [("k", 1), ("k", 1), ("k", 2)])
    assert ets.lookup(d, "k") == [("k", 1), ("k", 1), ("k", 2)]
    assert sorted(ets.lookup_element(b, "k", 2)) == [1, 2]
    assert ets.match_object(d, ("k", 1)) == [("k", 1), ("k", 1)]
    assert ets.delete_object(d, ("k", 1)) is True
    assert ets.lookup(d, "k") == [("k", 2)]
    badarg(ets.update_counter, b, "k", 1)
    assert ets.info(d, "size") == 1


def test_lookup_element():
    t = ets.new("t", [])
    ets.insert(t, ("a", 1, "x"))
    assert ets.lookup_element(t, "a", 3) == "x"
    badarg(ets.lookup_element, t, "zz", 2)
    badarg(ets.lookup_element, t, "a", 5)


def test_match_and_match_object():
    t = ets.new("t", [])
    ets.insert(t, [("a", 1), ("b", 2), ("c", 3)])
    assert sorted(ets.match(t, ("$1", "$2"))) == [["a", 1], ["b", 2], ["c", 3]]
    assert sorted(ets.match(t, ("$1", "_"))) == [["a"], ["b"], ["c"]]
    assert ets.match(t, ("$2", "$1")) == [[1, "a"], [2, "b"], [3, "c"]]      # ordered by var number
    assert ets.match(t, ("b", "$1")) == [[2]]
    assert ets.match_object(t, (ANY, 2)) == [("b", 2)]
    assert ets.match_object(t, ("_", 3)) == [("c", 3)]
    assert ets.match_object(t, ("zz", ANY)) == []
    p = ets.new("p", ["bag"])
    ets.insert(p, [("x", 1, 1), ("x", 1, 2), ("y", 3, 3)])
    # a repeated variable must bind the same value
    assert ets.match(p, ("$1", "$2", "$2")) == [["x", 1], ["y", 3]]


def test_select_and_select_delete():
    t = ets.new("t", ["ordered_set"])
    ets.insert(t, [("a", 11), ("b", 2), ("c", 3), ("d", 60)])
    assert ets.select(t, [(("$1", "$2"), [(">", "$2", 5)], ["$1"])]) == ["a", "d"]
    assert ets.select(t, [(("$1", "$2"), [], ["$$"])])[:2] == [["a", 11], ["b", 2]]
    assert ets.select(t, [(("b", ANY), [], ["$_"])]) == [("b", 2)]
    assert ets.select_delete(t, [(("$1", "$2"), [(">", "$2", 50)], [True])]) == 1
    assert ets.tab2list(t) == [("a", 11), ("b", 2), ("c", 3)]
    badarg(ets.select, t, "not a spec")


def test_ordered_set_traversal_in_term_order():
    o = ets.new("o", ["ordered_set"])
    ets.insert(o, [(3, "a"), (1, "b"), (2.0, "c"), ("atom", 1), ((1, 2), 0)])
    assert ets.first(o) == 1
    assert ets.next(o, 1) == 2.0
    assert ets.next(o, 1.5) == 2.0                 # any key works for ordered_set
    assert ets.next(o, 3) == "atom"
    assert ets.next(o, "atom") == (1, 2)
    assert ets.next(o, (1, 2)) == "$end_of_table"
    assert ets.last(o) == (1, 2)
    assert ets.prev(o, "atom") == 3
    assert [k for k, _ in ets.tab2list(o)] == [1, 2.0, 3, "atom", (1, 2)]
    ets.delete(o, 2.0)
    assert ets.next(o, 1) == 3


def test_set_traversal():
    t = ets.new("t", [])
    assert ets.first(t) == "$end_of_table"
    ets.insert(t, [("a", 1), ("b", 2)])
    k, seen = ets.first(t), []
    while k != "$end_of_table":
        seen.append(k)
        k = ets.next(t, k)
    assert sorted(seen) == ["a", "b"]
    badarg(ets.next, t, "zz")                      # set: the key must exist (OTP 25)


def test_update_counter():
    t = ets.new("t", [])
    ets.insert(t, ("a", 1))
    assert ets.update_counter(t, "a", 10) == 11
    assert ets.update_counter(t, "a", (2, 0)) == 11
    assert ets.update_counter(t, "new", 5, ("new", 100)) == 105
    assert ets.update_counter(t, "a", [(2, 1), (2, -100, 0, 7)]) == [12, 7]
    badarg(ets.update_counter, t, "missing", 1)
    ets.insert(t, ("s", "str"))
    badarg(ets.update_counter, t, "s", 1)
    badarg(ets.update_counter, t, "a", (1, 1))      # the key is not a counter


def test_delete_all_objects_and_delete_table():
    t = ets.new("t", [])
    ets.insert(t, [("a", 1), ("b", 2)])
    assert ets.delete_all_objects(t) is True
    assert ets.tab2list(t) == []
    assert ets.delete(t) is True
    assert ets.info(t) == "undefined"
    assert ets.info(t, "size") == "undefined"
    for f, args in ((ets.lookup, (t, 1)), (ets.insert, (t, ("a",))), (ets.delete, (t,)),
                    (ets.tab2list, (t,)), (ets.first, (t,)), (ets.match, (t, ANY))):
        badarg(f, *args)
    badarg(ets.lookup, "no_such_table", 1)
    badarg(ets.lookup, 3.5, 1)


def test_info():
    n = ets.new("named", ["named_table", "public", ("keypos", 2)])
    ets.insert(n, ("rec", "k", "v"))
    info = dict(ets.info(n))
    assert info["name"] == "named" and info["named_table"] is True
    assert info["type"] == "set" and info["keypos"] == 2 and info["protection"] == "public"
    assert info["owner"] is erlang.self() and info["size"] == 1 and info["heir"] == "none"
    assert type(info["id"]) is Ref and info["node"] == "nonode@nohost"
    assert [k for k, _ in ets.info(n)][:3] == ["id", "decentralized_counters", "read_concurrency"]
    badarg(ets.info, n, "nosuch")
    assert ets.info(ets.new("t", []), "protection") == "protected"
    assert "named" in ets.all()
    assert ets.whereis("named") == info["id"]


def _owner(me, opts_by_name):
    for name, opts in opts_by_name.items():
        ets.new(name, ["named_table"] + opts)
        ets.insert(name, ("a", 1))
    erlang.send(me, "ready")
    erlang.receive("die")


def test_access_rights_and_owner_death():
    me = erlang.self()
    own = erlang.spawn(_owner, me, {"p1": ["protected"], "p2": ["private"], "p3": ["public"]})
    erlang.receive("ready")
    assert ets.lookup("p1", "a") == [("a", 1)]             # protected: others read
    badarg(ets.insert, "p1", ("b", 1))                     # ... but do not write
    badarg(ets.delete, "p1", "a")
    badarg(ets.update_counter, "p1", "a", 1)
    e = badarg(ets.lookup, "p2", "a")                      # private: nothing
    assert "private" in e.detail
    assert ets.info("p2", "size") == 1                     # info still works
    badarg(ets.delete, "p1")                               # only the owner deletes
    assert ets.insert("p3", ("b", 2)) is True              # public: everyone writes
    erlang.send(own, "die")
    timer.sleep(1)
    # owner death deletes its tables
    for n in ("p1", "p2", "p3"):
        assert ets.info(n) == "undefined"
        badarg(ets.lookup, n, "a")
    assert ets.new("p1", ["named_table"]) == "p1"          # the name is free again


def test_give_away_and_heir():
    me = erlang.self()
    t = ets.new("g", [])

    def taker():
        erlang.send(me, ("got", erlang.receive()))
        erlang.receive("die")

    p = erlang.spawn(taker)
    assert ets.give_away(t, p, "gift") is True
    assert erlang.receive(("got", ANY)) == ("got", ("ETS-TRANSFER", t, me, "gift"))
    assert ets.info(t, "owner") is p
    badarg(ets.give_away, t, p, "again")                   # not the owner any more
    badarg(ets.insert, t, ("x", 1))                        # protected, owned by p
    erlang.send(p, "die")
    timer.sleep(1)
    assert ets.info(t) == "undefined"
    # heir: the table survives its owner
    erlang.process_flag("trap_exit", True)

    def owner():
        ets.new("inherit", ["named_table", ("heir", me, "hd")])
        ets.insert("inherit", ("k", 1))
        erlang.exit("bye")

    q = erlang.spawn_link(owner)
    assert erlang.receive(("ETS-TRANSFER", ANY, ANY, ANY)) == ("ETS-TRANSFER", "inherit", q, "hd")
    assert erlang.receive(("EXIT", q, ANY)) == ("EXIT", q, "bye")
    assert ets.info("inherit", "owner") is me
    assert ets.insert("inherit", ("k", 2)) and ets.lookup("inherit", "k") == [("k", 2)]


def test_hlr_from_chapter_2():
    """hlr: two tables msisdn<->pid; lookups run in the calling process."""
    def new():
        ets.new("msisdn2pid", ["public", "named_table"])
        ets.new("pid2msisdn", ["public", "named_table"])
        return "ok"

    def attach(ms):
        ets.insert("msisdn2pid", (ms, erlang.self()))
        ets.insert("pid2msisdn", (erlang.self(), ms))
        return True

    def detach():
        me = erlang.self()
        objs = ets.lookup("pid2msisdn", me)
        if objs:
            ets.delete("pid2msisdn", me)
            ets.delete("msisdn2pid", objs[0][1])
        return True

    def lookup_id(ms):
        objs = ets.lookup("msisdn2pid", ms)
        return ("ok", objs[0][1]) if objs else ("error", "invalid")

    def lookup_ms(pid):
        objs = ets.lookup("pid2msisdn", pid)
        return ("ok", objs[0][1]) if objs else ("error", "invalid")

    assert new() == "ok"
    assert attach(12345) is True
    assert lookup_id(12345) == ("ok", erlang.self())
    assert lookup_ms(erlang.self()) == ("ok", 12345)
    assert lookup_id(99999) == ("error", "invalid")
    assert detach() is True
    assert lookup_id(12345) == ("error", "invalid")


def test_runtime_keeps_working_after_bad_ets_calls():
    badarg(ets.insert, "nope", ("a",))
    t = ets.new("fine", [])
    ets.insert(t, ("a", 1))
    assert ets.lookup(t, "a") == [("a", 1)]
    erlang.send(erlang.self(), "still here")
    assert erlang.receive() == "still here"


def test_keys_match_exactly_in_set_and_bags_but_compare_equal_in_ordered_set():
    """Probe e2.erl (OTP 25): a set keeps 1 and 1.0 apart (=:=), an ordered_set merges them (==)."""
    t = ets.new("t", ["set"])
    ets.insert(t, (1, "a"))
    ets.insert(t, (1.0, "b"))
    assert ets.tab2list(t) == [(1, "a"), (1.0, "b")]                  # [{1,a},{1.0,b}]
    assert (ets.lookup(t, 1), ets.lookup(t, 1.0), ets.member(t, 2.0)) == ([(1, "a")], [(1.0, "b")], False)
    assert ets.match_object(t, (1, "_")) == [(1, "a")]
    assert ets.insert_new(t, (1.0, "c")) is False
    assert ets.delete(t, 1.0) is True and ets.tab2list(t) == [(1, "a")]
    ets.insert(t, (True, "bool"))                                       # Python's True == 1: still two keys
    assert ets.lookup(t, 1) == [(1, "a")] and ets.lookup(t, True) == [(True, "bool")]
    ets.delete(t, True)
    assert ets.first(t) == 1 and ets.next(t, 1) == "$end_of_table"
    n = ets.new("n", ["set"])
    ets.insert(n, [(("k", 1), "a"), (("k", 1.0), "b"), ([1, 2], "l"), ({"x": 1}, "m")])
    assert ets.lookup(n, ("k", 1.0)) == [(("k", 1.0), "b")] and len(ets.tab2list(n)) == 4
    assert (ets.lookup(n, [1, 2]), ets.lookup(n, {"x": 1})) == ([([1, 2], "l")], [({"x": 1}, "m")])
    s = ets.new("s", ["set"])
    ets.insert(s, ("k", 1))
    assert ets.delete_object(s, ("k", 1.0)) is True and ets.lookup(s, "k") == [("k", 1)]
    b = ets.new("b", ["bag"])
    ets.insert(b, [("k", 1), ("k", 1.0), ("k", 1), (1, "a"), (1.0, "a")])
    assert (ets.lookup(b, "k"), ets.lookup(b, 1)) == ([("k", 1), ("k", 1.0)], [(1, "a")])
    assert ets.delete_object(b, ("k", 1.0)) is True and ets.lookup(b, "k") == [("k", 1)]
    d = ets.new("d", ["duplicate_bag"])
    ets.insert(d, [(1, "a"), (1.0, "a")])
    assert (ets.lookup(d, 1), ets.lookup_element(d, 1.0, 2)) == ([(1, "a")], ["a"])
    o = ets.new("o", ["ordered_set"])
    ets.insert(o, (1, "a"))
    ets.insert(o, (1.0, "b"))
    assert (ets.tab2list(o), ets.lookup(o, 1), ets.first(o), ets.insert_new(o, (1, "z"))) == \
        ([(1.0, "b")], [(1.0, "b")], 1.0, False)
    assert ets.match_object(o, (1, "_")) == []
    assert type(ets.first(o)) is float
