"""What a use's case reference (业务编号) stands for now, on 我的数据使用记录.

The usage log is a hash chain, so a row keeps the reference it was written with: a platform use made
while the application was a draft says 草稿 12. The app that made the reference (applications, above
sharing in the layers) registers a resolver in its AppConfig.ready() that names the 办件编号 once the
draft is submitted, for the account's own applications only.
"""

from __future__ import annotations

from collections.abc import Callable

# (case references, the viewing account's id) -> reference -> what to show instead
Resolver = Callable[[set[str], int], dict[str, str]]
_resolvers: list[Resolver] = []


def register(resolver: Resolver) -> Resolver:
    if resolver not in _resolvers:
        _resolvers.append(resolver)
    return resolver


def shown(case_refs: set[str], *, account_id: int) -> dict[str, str]:
    """Reference -> the text to show; a reference no resolver knows is shown as written."""
    found = {ref: ref for ref in case_refs}
    for resolver in _resolvers:
        found.update(resolver(case_refs, account_id))
    return found
