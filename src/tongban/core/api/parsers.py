from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32


def _depth_exceeds(value: object, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(current, dict):
            stack.extend((v, depth + 1) for v in current.values())
        elif isinstance(current, list):
            stack.extend((v, depth + 1) for v in current)
    return False


class BoundedJSONParser(JSONParser):
    """JSON with a nesting limit: deep bodies get a 400, not a RecursionError 500 (T-K2)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("请求内容嵌套层级过深。") from exc
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError("请求内容嵌套层级过深。")
        return data
