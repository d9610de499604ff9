"""otp_lite.dist.etf against OTP 25's term_to_binary (tests/oracle_probes/dist_etf_fixtures.escript).

Each fixture is decoded to the Python value the mapping promises, and encoded back:
byte for byte what ``term_to_binary(T, [{minor_version, 2}])`` gives (UTF-8 atoms,
what otp_lite sends); the default (minor_version 1, latin-1 ATOM_EXT) decodes too.
"""
import pathlib

import pytest
from hypothesis import given, settings, strategies as st

from otp_lite.dist import etf
from otp_lite.dist.etf import (BitBinary, EtfError, ImproperList, Opaque, RemotePid, RemoteRef,
                               decode, encode)

FIX = {}
for line in (pathlib.Path(__file__).parent / "oracle_probes" / "dist_etf_fixtures.out").read_text().splitlines():
    name, *hexes = line.split()
    FIX[name] = [bytes.fromhex(h) for h in hexes]

EXPECTED = {
    "small_int": 42, "zero": 0, "int_neg": -1, "int_256": 256,
    "int_max32": 2147483647, "int_min32": -2147483648,
    "big_pos": 2147483648, "big_neg": -2147483649,
    "big_huge": 1 << 2100, "big_huge_neg": -(1 << 2100) + 7,
    "float": 3.14159, "float_neg": -0.5, "float_big": 1.0e300,
    "atom": "ok", "atom_quoted": "EXIT", "atom_utf8": "héllo", "atom_true": True, "atom_false": False,
    "atom_undefined": "undefined", "atom_empty": "",
    "tuple0": (), "tuple": ("a", 1, [120]), "tuple_large": tuple(range(1, 301)),
    "nil": [], "string": [97, 98, 99], "string_unicode": [104, 233, 108, 108, 111],
    "list": [1, "a", ("b",)], "list_big_ints": [1000, 2000],
    "improper": ImproperList(["a"], "b"), "improper2": ImproperList([1, 2], 3),
    "binary": b"\x01\x02\x03", "binary_empty": b"", "bitstring": BitBinary(b"\x20", 3),
    "map_empty": {}, "map": {"a": 1}, "map_nested": {"k": {"x": [1]}},
    "nested": ([("a", b"b")], {1: 2.5}), "long_list": list(range(1, 301)),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_decodes_erl_term_to_binary(name):
    default, v2 = FIX[name]
    assert decode(default) == EXPECTED[name]
    assert decode(v2) == EXPECTED[name]
    assert type(decode(v2)) is type(EXPECTED[name])


# otp_lite's encoder picks the shortest form, as erl does, except for strings:
# a Python list of small ints is a list (LIST_EXT), erl sends STRING_EXT.
NOT_BYTE_EXACT = {"tuple", "string", "string_unicode", "nested", "map_nested"}


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - NOT_BYTE_EXACT))
def test_encodes_as_erl_minor_version_2(name):
    assert encode(EXPECTED[name]) == FIX[name][1]


@pytest.mark.parametrize("name", sorted(NOT_BYTE_EXACT))
def test_strings_round_trip_as_lists(name):
    assert decode(encode(EXPECTED[name])) == EXPECTED[name]


def test_pid_ref_port_fun_of_a_real_node():
    pid = decode(FIX["self_pid"][0])
    assert type(pid) is RemotePid and pid.node == "probe@localhost" and pid.serial == 0
    ref = decode(FIX["ref"][0])
    assert type(ref) is RemoteRef and ref.node == "probe@localhost" and len(ref.ids) == 3
    # erl 25 writes the node name as ATOM_EXT; we write SMALL_ATOM_UTF8: same term
    assert decode(encode(pid)) == pid and decode(encode(ref)) == ref
    assert encode(pid)[-12:] == FIX["self_pid"][0][-12:]
    port = decode(FIX["port"][0])
    assert type(port) is Opaque and repr(port).startswith("#port")
    fun = decode(FIX["export_fun"][0])
    assert type(fun) is Opaque and encode(fun) == FIX["export_fun"][0]
    assert decode(FIX["compressed"][0]) == ["ok"] * 100


def test_text_of_strings_and_binaries():
    assert etf.text([104, 233, 108, 108, 111]) == "héllo"
    assert etf.text(b"abc") == "abc"
    with pytest.raises(EtfError):
        etf.text(["a"])


@pytest.mark.parametrize("bad", [b"", b"\x82a\x01", b"\x83", b"\x83a", b"\x83b\x00\x00",
                                 b"\x83l\xff\xff\xff\xff", b"\x83m\x00\x00\x00\x09abc", b"\x83\x01",
                                 b"\x83h\x02a\x01", b"\x83t\x00\x00\x00\x01t\x00\x00\x00\x00a\x01",
                                 b"\x83P\x00\x00\x00\x10xx", b"\x83a\x01\x00"])
def test_malformed_input_is_an_etf_error(bad):
    with pytest.raises(EtfError):
        decode(bad)


def test_deep_nesting_is_refused_not_a_recursion_error():
    deep = b"\x83" + b"h\x01" * 5000 + b"a\x01"
    with pytest.raises(EtfError):
        decode(deep)
    t = 1
    for _ in range(5000):
        t = (t,)
    with pytest.raises(EtfError):
        encode(t)


def test_no_erlang_form():
    with pytest.raises(EtfError):
        encode(object())
    with pytest.raises(EtfError):
        encode("x" * 256)
    for f in (float("inf"), float("-inf"), float("nan")):     # erl's binary_to_term: badarg
        with pytest.raises(EtfError):
            encode([f])
    assert decode(encode(None)) == "undefined"


atoms = st.text(max_size=20).filter(lambda s: s not in ("true", "false"))
scalars = (st.integers() | st.floats(allow_nan=False, allow_infinity=False) | atoms | st.binary(max_size=20)
           | st.booleans())
terms = st.recursive(
    scalars,
    lambda kids: (st.lists(kids, max_size=5) | st.lists(kids, max_size=5).map(tuple)
                  | st.dictionaries(scalars, kids, max_size=4)),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(terms)
def test_round_trip(t):
    assert decode(encode(t)) == t


# ---- d-harness's fixtures (tests/fixtures/etf/terms.json: 100 terms from OTP 25's term_to_binary)
import json  # noqa: E402

_HARNESS = json.loads((pathlib.Path(__file__).parent / "fixtures" / "etf" / "terms.json").read_text())["terms"]
_WHOLE = [t for t in _HARNESS if "etf" in t]
# byte for byte: the ones erl writes in the form otp_lite writes (UTF-8 atoms, no STRING_EXT, ...)
_EXACT = {"small_int_0", "small_int_255", "int_256", "int_neg1", "int_min32", "int_max32", "big_2p31",
          "big_neg_2p31_minus1", "big_2p64", "big_neg_2p64", "big_2p100", "big_255_bytes",
          "large_big_2p2040", "large_big_neg_2p2048", "float_zero", "float_neg_zero", "float_1_5",
          "float_pi", "float_1e300", "float_neg_tiny", "float_denormal", "atom_cjk", "atom_emoji",
          "atom_100_cjk", "nil", "tuple_empty", "map_empty", "binary_empty", "binary_123", "binary_text",
          "binary_utf8", "binary_300", "bits_1", "bits_255_3", "bits_0_7", "atom_ok_minor2",
          "atom_latin1_minor2", "atom_255_latin1_minor2", "pid_remote_minor2", "list_ints_256"}


@pytest.mark.parametrize("t", _WHOLE, ids=[t["name"] for t in _WHOLE])
def test_harness_fixture_decodes_and_round_trips(t):
    b = bytes.fromhex(t["etf"])
    v = decode(b)
    assert decode(encode(v)) == v
    if t["name"] in _EXACT:
        assert encode(v) == b
    if "input" in t and type(v) is not Opaque:   # a tag OTP 25 only reads: erl's re-encoding
        assert decode(bytes.fromhex(t["input"])) == v  # (an Opaque port compares by its bytes)


def test_harness_fixture_exact_set_is_real():
    assert _EXACT <= {t["name"] for t in _WHOLE}


def test_a_string_map_key_is_a_hashable_list():
    m = decode(encode({etf.KeyList([107]): 1, ("t", etf.KeyList([1])): 2}))
    assert m == {etf.KeyList([107]): 1, ("t", etf.KeyList([1])): 2}
    assert [107] == next(iter(m))
