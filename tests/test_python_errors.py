"""Python errors as Erlang reasons, and OTP 25's crash-report lines (issue 23, items 5 and 6).

OTP's side: tests/oracle_probes/ch23_crash.erl and its output."""
import pytest

from otp_lite import erlang, logger, proc_lib, runtime
from otp_lite.erlang import ANY, ErlangError
from otp_lite.kernel.pyerrors import python_reason


@pytest.fixture(autouse=True)
def fresh():
    runtime.reset(seed=0)


def _reason_and_report(fun, *args, spawn=proc_lib.spawn):
    with logger.capture() as reports:
        p = spawn(fun, *args)
        ref = erlang.monitor("process", p)
        reason = erlang.receive(("DOWN", ref, "process", p, ANY))[4]
        runtime.run_until_idle()
    return reason, "\n".join("\n".join(r["text"]) if isinstance(r["text"], list) else r["text"] for r in reports)


def divide(x):
    return 1 // x


def thrower():
    erlang.throw("ball")


def test_division_by_zero_is_badarith_with_the_python_error_beside_it():
    # OTP: divider exit reason: {badarith, [...]}; "exception error: an error occurred when
    # evaluating an arithmetic expression"
    reason, text = _reason_and_report(divide, 0)
    assert reason[0] == "badarith" and reason[1][0][:2] == ("test_python_errors", "divide")
    assert "exception error: an error occurred when evaluating an arithmetic expression" in text
    assert "    python: ZeroDivisionError: integer division or modulo by zero" in text


def test_an_uncaught_throw_shows_its_value_and_keeps_the_nocatch_reason():
    reason, text = _reason_and_report(thrower)
    assert reason[0] == ("nocatch", "ball")          # OTP: {{nocatch,ball}, Stack}
    assert "exception throw: 'ball'" in text        # OTP: exception throw: ball
    assert "nocatch" not in text


def test_crash_reports_carry_heap_size_and_stack_size_before_reductions():
    _reason, text = _reason_and_report(divide, 0)
    lines = [line.strip().split(":")[0] for line in text.splitlines()]
    i = lines.index("status")
    assert lines[i + 1:i + 4] == ["heap_size", "stack_size", "reductions"]   # OTP 25's order


def test_a_plain_process_error_report_names_the_python_exception():
    reason, text = _reason_and_report(divide, 0, spawn=erlang.spawn)
    assert reason[0] == "badarith"
    assert "Error in process" in text and "python: ZeroDivisionError" in text


@pytest.mark.parametrize("exc, want", [
    (ZeroDivisionError("x"), "badarith"), (OverflowError("math range error"), "badarith"),
    (TypeError("'int' object is not callable"), "badfun"),
    (TypeError("f() takes 1 positional argument but 2 were given"), "badarity"),
    (TypeError("f() missing 1 required positional argument: 'a'"), "badarity"),
    (TypeError("unsupported operand type(s) for +: 'int' and 'str'"), None),
    (KeyError("k"), None), (ValueError("v"), None)])
def test_the_mapping(exc, want):
    got = python_reason(exc)
    if want is None:
        assert got is exc                     # anything else: the exception itself
    elif want == "badarith":
        assert got == "badarith"
    else:
        assert got[0] == want and got[1] is exc


def test_apply_answers_as_otp():
    with pytest.raises(ErlangError) as e:
        erlang.apply(42, [])
    assert e.value.reason == ("badfun", 42)          # OTP: {badfun,42}
    with pytest.raises(ErlangError) as e:
        erlang.apply("math", "nosuch", [1])
    assert e.value.reason == "undef"
    assert erlang.apply("math", "floor", [2.5]) == 2
    assert erlang.apply(max, [1, 3]) == 3
