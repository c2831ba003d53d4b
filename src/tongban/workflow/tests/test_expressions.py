import pytest

from tongban.workflow.expressions import ExpressionError, MissingVariable, evaluate, parse


@pytest.mark.parametrize(
    ("expression", "data", "expected"),
    [
        ("accepted", {"accepted": True}, True),
        ("not accepted", {"accepted": True}, False),
        ("a and b or c", {"a": True, "b": False, "c": True}, True),
        ("amount >= 100", {"amount": 99}, False),
        ("kind in ['a', 'b']", {"kind": "b"}, True),
        ("opinions['tax'] == 'ok'", {"opinions": {"tax": "ok"}}, True),
        ('"PT1H"', {}, "PT1H"),
        ("${approved && !late}", {"approved": True, "late": False}, True),
        ("${amount > 10 || vip eq true}", {"amount": 1, "vip": True}, True),
    ],
)
def test_expressions_in_the_grammar_evaluate(expression, data, expected):
    assert evaluate(expression, data) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os').getpid() > 0",
        "open('/etc/passwd')",
        "accepted.__class__",
        "[x for x in range(10)]",
        "lambda: 1",
        "a if b else c",
        "x + 1",
        "_private",
        "d[k]",
    ],
)
def test_T_H3_code_in_a_condition_is_refused(expression):
    with pytest.raises(ExpressionError):
        parse(expression)


def test_a_missing_variable_is_reported_by_name():
    with pytest.raises(MissingVariable, match="approved"):
        evaluate("approved", {})
