"""The URLconf as a table, for tests that must cover every route of a kind (a new route is then
covered, or the test says it needs a decision)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)

from tongban.core.converters import IdConverter

KINDS = {
    IdConverter: "id",
    IntConverter: "int",
    StringConverter: "str",
    SlugConverter: "slug",
    PathConverter: "path",
    UUIDConverter: "uuid",
}


@dataclass(frozen=True)
class Route:
    name: str  # the view name, with its namespace: "applications:staff_case"
    route: str  # "staff/applications/<id:application_id>/"
    params: dict[str, str]  # parameter -> converter kind ("id", "int", "str", "slug", "path", "uuid")


def routes() -> dict[str, Route]:
    """Every named route of the URLconf by its view name."""
    found: dict[str, Route] = {}

    def walk(patterns, namespace: str, prefix: str, inherited: dict[str, str]) -> None:
        for pattern in patterns:
            # A KeyError names a converter this table does not know yet: add it to KINDS.
            params = inherited | {name: KINDS[type(c)] for name, c in pattern.pattern.converters.items()}
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, prefix + str(pattern.pattern), params)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = namespace + pattern.name
                found[name] = Route(name=name, route=prefix + str(pattern.pattern), params=params)

    walk(get_resolver().url_patterns, "", "", {})
    return found
