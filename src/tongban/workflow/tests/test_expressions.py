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


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("not " * 10000 + "a", "表达式过长（不能超过1000个字符）"),
        ("-" * 10000 + "1", "表达式过长（不能超过1000个字符）"),
        ("(" * 400 + "a" + ")" * 400, "无法解析"),
    ],
)
def test_a_deeply_nested_or_overlong_expression_is_refused_with_a_message(expression, message):
    with pytest.raises(ExpressionError, match=message):
        parse(expression)


def test_nesting_up_to_the_length_limit_still_parses():
    assert evaluate("not " * 249 + "a", {"a": True}) is False
