"""tests/fixtures/etf/terms.json is well formed and covers every tag OTP 25 writes (issue 24).

The fixture holds term_to_binary output from a real erl (tests/fixtures/etf/gen_etf.escript);
the otp_lite ETF codec is tested against it elsewhere.  This file checks only the fixture:
shape, hex, the outer tag byte, tag coverage, and (when erl runs here) that regenerating
it gives the same bytes.
"""
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "fixtures" / "etf"
FIXTURE = HERE / "terms.json"

# The ETF tags (erl_ext_dist in the ERTS user's guide), by number.
TAGS = {70: "NEW_FLOAT_EXT", 77: "BIT_BINARY_EXT", 80: "COMPRESSED", 82: "ATOM_CACHE_REF",
        88: "NEW_PID_EXT", 89: "NEW_PORT_EXT", 90: "NEWER_REFERENCE_EXT", 97: "SMALL_INTEGER_EXT",
        98: "INTEGER_EXT", 99: "FLOAT_EXT", 100: "ATOM_EXT", 101: "REFERENCE_EXT", 102: "PORT_EXT",
        103: "PID_EXT", 104: "SMALL_TUPLE_EXT", 105: "LARGE_TUPLE_EXT", 106: "NIL_EXT",
        107: "STRING_EXT", 108: "LIST_EXT", 109: "BINARY_EXT", 110: "SMALL_BIG_EXT",
        111: "LARGE_BIG_EXT", 112: "NEW_FUN_EXT", 113: "EXPORT_EXT", 114: "NEW_REFERENCE_EXT",
        115: "SMALL_ATOM_EXT", 116: "MAP_EXT", 117: "FUN_EXT", 118: "ATOM_UTF8_EXT",
        119: "SMALL_ATOM_UTF8_EXT", 120: "V4_PORT_EXT", 121: "LOCAL_EXT"}

# What OTP 25's term_to_binary writes as an outer tag, with and without options
# (FLOAT_EXT with minor_version 0, the UTF8 atoms with minor_version 2 or non-latin1
# text, COMPRESSED with compressed, V4_PORT_EXT for a port id above 32 bits).
WRITTEN_BY_OTP25 = {"NEW_FLOAT_EXT", "FLOAT_EXT", "BIT_BINARY_EXT", "COMPRESSED", "NEW_PID_EXT",
                    "NEW_PORT_EXT", "V4_PORT_EXT", "NEWER_REFERENCE_EXT", "SMALL_INTEGER_EXT",
                    "INTEGER_EXT", "ATOM_EXT", "ATOM_UTF8_EXT", "SMALL_ATOM_UTF8_EXT",
                    "SMALL_TUPLE_EXT", "LARGE_TUPLE_EXT", "NIL_EXT", "STRING_EXT", "LIST_EXT",
                    "BINARY_EXT", "SMALL_BIG_EXT", "LARGE_BIG_EXT", "NEW_FUN_EXT", "EXPORT_EXT",
                    "MAP_EXT"}
# Read by binary_to_term, never written by OTP 25: the decode-only entries' inputs.
READ_ONLY = {"SMALL_ATOM_EXT", "PID_EXT", "PORT_EXT", "REFERENCE_EXT", "NEW_REFERENCE_EXT"}

HEX = re.compile(r"^(?:[0-9a-f]{2})+$")


@pytest.fixture(scope="module")
def fixture():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _bytes(entry):
    return bytes.fromhex(entry["etf"] if "etf" in entry else entry["etf_prefix"])


def test_header_names_the_generator_and_release(fixture):
    assert fixture["generator"] == "tests/fixtures/etf/gen_etf.escript"
    assert fixture["otp_release"] == "25"
    assert fixture["node"] == "nonode@nohost"            # pids/refs/ports made without distribution


def test_entries_are_well_formed(fixture):
    terms = fixture["terms"]
    assert len(terms) >= 60
    names = [t["name"] for t in terms]
    assert len(names) == len(set(names)), "duplicate names"
    for t in terms:
        assert re.fullmatch(r"[a-z0-9_]+", t["name"]), t["name"]
        assert t["erl"] and t["printed"] and t["options"].startswith("["), t["name"]
        if "etf" in t:
            assert HEX.match(t["etf"]), t["name"]
            assert "etf_sha256" not in t, t["name"]
        else:                                            # a big binary: its digest and first bytes
            assert t["etf_size"] > 4096 and HEX.match(t["etf_prefix"]) and len(t["etf_prefix"]) == 128
            assert re.fullmatch(r"[0-9a-f]{64}", t["etf_sha256"]), t["name"]
            assert t.get("printed_truncated") is True and t["printed"].endswith("..."), t["name"]
        b = _bytes(t)
        assert b[0] == 131, f"{t['name']}: no version byte"
        assert TAGS[b[1]] == t["tag"], f"{t['name']}: tag byte {b[1]} is not {t['tag']}"


def test_every_tag_otp25_writes_is_covered(fixture):
    written = {t["tag"] for t in fixture["terms"]}
    assert written == WRITTEN_BY_OTP25


def test_decode_only_inputs_cover_the_old_tags(fixture):
    inputs = [t for t in fixture["terms"] if "input" in t]
    assert all(t["name"].startswith("in_") for t in inputs)
    in_tags = set()
    for t in inputs:
        b = bytes.fromhex(t["input"])
        assert b[0] == 131
        in_tags.add(TAGS[b[1]])
    assert READ_ONLY <= in_tags
    assert not READ_ONLY & {t["tag"] for t in fixture["terms"]}   # erl re-encodes them as new tags


def test_a_few_bytes_by_hand(fixture):
    """Spot checks against the ETF spec, so a broken generator cannot pass as a fixture."""
    by = {t["name"]: t for t in fixture["terms"]}
    assert by["small_int_255"]["etf"] == "8361ff"
    assert by["int_neg1"]["etf"] == "8362ffffffff"
    assert by["atom_ok"]["etf"] == "836400026f6b"
    assert by["tuple_ok_1"]["etf"] == "8368026400026f6b6101"
    assert by["nil"]["etf"] == "836a"
    assert by["string_abc"]["etf"] == "836b0003616263"
    assert by["float_1_5"]["etf"] == "83463ff8000000000000"
    assert by["binary_123"]["etf"] == "836d00000003010203"
    assert by["bits_1"]["etf"] == "834d000000010180"          # 1 byte, 1 bit used: 0b1000_0000
    assert by["big_2p64"]["etf"] == "836e09" + "00" + "00" * 8 + "01"   # n=9, sign +, little-endian
    node = "peer@127.0.0.1".encode().hex()
    assert by["pid_remote"]["etf"] == f"83586400{len('peer@127.0.0.1'):02x}{node}000000050000000012345678"


def test_big_entries_digest_matches_what_python_builds(fixture):
    by = {t["name"]: t for t in fixture["terms"]}
    s = by["string_65535"]                               # STRING_EXT: 2-byte length, then the bytes
    built = bytes([131, 107]) + (65535).to_bytes(2, "big") + b"a" * 65535
    assert (s["etf_size"], s["etf_sha256"]) == (len(built), hashlib.sha256(built).hexdigest())
    s = by["list_65536"]                                 # one more: a LIST_EXT of SMALL_INTEGER_EXT
    built = (bytes([131, 108]) + (65536).to_bytes(4, "big") + bytes([97, ord("a")]) * 65536
             + bytes([106]))
    assert (s["etf_size"], s["etf_sha256"]) == (len(built), hashlib.sha256(built).hexdigest())


def test_regenerating_gives_the_same_file(erl, tmp_path):
    """The fixture is what gen_etf.escript writes today (and the generator is deterministic)."""
    out = tmp_path / "terms.json"
    subprocess.run(["escript", str(HERE / "gen_etf.escript"), str(out)], check=True,
                   capture_output=True, timeout=120)
    assert out.read_bytes() == FIXTURE.read_bytes()
