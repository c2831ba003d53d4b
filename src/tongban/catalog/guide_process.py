"""Which steps a guide's 办理流程 lists: those of the process the item's applications actually run.

The app that starts those processes (applications) registers the provider in its AppConfig.ready();
the catalog sits below it in the layers and cannot ask it directly. Without a provider the guide
lists the item's own steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tongban.catalog.types import GuideStep, ProcessStepData

if TYPE_CHECKING:
    from tongban.catalog.models import ServiceItemVersion

# (item id, is instant, the item's own steps) -> the guide's steps
Provider = Callable[[int, bool, tuple[ProcessStepData, ...]], list[GuideStep]]
_provider: list[Provider] = []


def register(provider: Provider) -> Provider:
    _provider[:] = [provider]
    return provider


def guide_steps(version: ServiceItemVersion) -> list[GuideStep]:
    own = tuple(
        ProcessStepData(
            name=s.name,
            office=s.office,
            handler_role=s.handler_role,
            limit=s.limit,
            limit_unit=s.limit_unit,
            review_standard=s.review_standard,
        )
        for s in version.steps.all()
    )
    if _provider:
        return _provider[0](version.item_id, version.is_instant, own)
    return [GuideStep(**step.__dict__) for step in own]
