"""Conditions and timer expressions of process definitions, evaluated without ``eval``.

SpiffWorkflow evaluates expressions with Python's ``eval`` and full builtins, so an uploaded
condition like ``__import__('os').system(...)`` would run in the web process. Definitions here may
only use a small grammar: literals (numbers, strings, True/False/None), names of task data,
comparisons (== != < <= > >= in, not in), ``and``/``or``/``not``, and ``name["key"]`` lookups.
Camunda-style ``${...}`` (JUEL) conditions are translated when they stay inside that grammar.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_JUEL = re.compile(r"^\s*\$\{(?P<body>.*)\}\s*$", re.S)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# A condition is a line or two; longer text is refused before Python's parser, which answers very
# deep nesting (``not not … a``) with MemoryError or RecursionError instead of SyntaxError.
MAX_LENGTH = 1000


class ExpressionError(ValueError):
    """An expression outside the grammar; ``str(error)`` is a Chinese message for the person."""


def translate_juel(expression: str) -> str:
    """``${a && !b}`` → ``a and not b``; any other text is returned unchanged."""
    match = _JUEL.match(expression)
    if not match:
        return expression
    body = match.group("body")
    body = body.replace("&&", " and ").replace("||", " or ")
    body = re.sub(r"!(?!=)", " not ", body)
    body = re.sub(r"\beq\b", "==", body)
    body = re.sub(r"\bne\b", "!=", body)
    body = re.sub(r"\btrue\b", "True", body)
    body = re.sub(r"\bfalse\b", "False", body)
    body = re.sub(r"\bnull\b", "None", body)
    return body.strip()


def parse(expression: str) -> ast.Expression:
    """Parse and check ``expression`` against the grammar; raise ExpressionError otherwise."""
    text = translate_juel(expression or "").strip()
    if not text:
        raise ExpressionError(_("表达式为空"))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(_("表达式过长（不能超过%(limit)d个字符）") % {"limit": MAX_LENGTH})
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, MemoryError, RecursionError) as exc:
        raise ExpressionError(_("表达式“%(text)s”无法解析") % {"text": expression}) from exc
    for node in ast.walk(tree):
        _check_node(node, expression)
    return tree


def _check_node(node: ast.AST, expression: str) -> None:
    allowed = (
        ast.Expression,
        ast.BoolOp,
        ast.And,
        ast.Or,
        ast.UnaryOp,
        ast.Not,
        ast.USub,
        ast.Compare,
        ast.Name,
        ast.Load,
        ast.Constant,
        ast.Subscript,
        ast.Tuple,
        ast.List,
        *_COMPARE,
    )
    if not isinstance(node, allowed):
        raise ExpressionError(
            _("表达式“%(text)s”含有不允许的内容（%(what)s）：只能使用比较、与或非、常量和流程变量")
            % {"text": expression, "what": type(node).__name__}
        )
    if isinstance(node, ast.Name) and (node.id.startswith("_") or not _NAME.match(node.id)):
        raise ExpressionError(
            _("表达式“%(text)s”使用了不允许的名称“%(name)s”") % {"text": expression, "name": node.id}
        )
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and not isinstance(node.operand, ast.Constant)
    ):
        raise ExpressionError(_("表达式“%(text)s”无法解析") % {"text": expression})
    if isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Constant):
        raise ExpressionError(_("表达式“%(text)s”的下标只能是常量") % {"text": expression})


class MissingVariable(KeyError):
    """The expression names task data that the process has not set."""


def evaluate(expression: str, data: Mapping[str, Any]) -> Any:
    """The value of ``expression`` with ``data`` as its variables (no builtins, no attributes)."""
    return _eval(parse(expression).body, data)


def _eval(node: ast.AST, data: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.id]
        if node.id not in data:
            raise MissingVariable(node.id)
        return data[node.id]
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            result: Any = True
            for value in node.values:
                result = _eval(value, data)
                if not result:
                    return result
            return result
        result = False
        for value in node.values:
            result = _eval(value, data)
            if result:
                return result
        return result
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, data)
        return (not operand) if isinstance(node.op, ast.Not) else -operand
    if isinstance(node, ast.Compare):
        left = _eval(node.left, data)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _eval(comparator, data)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.Subscript):
        container = _eval(node.value, data)
        key = _eval(node.slice, data)
        if not isinstance(container, Mapping | list | tuple):
            raise MissingVariable(str(key))
        try:
            return container[key]
        except (KeyError, IndexError, TypeError) as exc:
            raise MissingVariable(str(key)) from exc
    if isinstance(node, ast.Tuple | ast.List):
        return [_eval(element, data) for element in node.elts]
    raise ExpressionError(_("表达式含有不允许的内容"))  # parse() refused it already
