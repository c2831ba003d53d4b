"""The 一键公开 button on a 发文's page (documents/document.html includes disclosure/_document_hook.html):
shown to a 信息公开编辑 on a distributed, unclassified document."""

from __future__ import annotations

from typing import Any

from django import template

from tongban.disclosure.models import DisclosureItem
from tongban.disclosure.roles import DISCLOSURE_EDITOR
from tongban.disclosure.services import DISCLOSABLE_DOCUMENT_STATES
from tongban.organizations.selectors import department_ids_for

register = template.Library()


@register.inclusion_tag("disclosure/_document_button.html", takes_context=True)
def disclose_button(context: dict[str, Any], document: Any) -> dict[str, Any]:
    request = context.get("request")
    user_id = getattr(getattr(request, "user", None), "pk", None)
    shown = (
        user_id is not None
        and getattr(document, "status", "") in DISCLOSABLE_DOCUMENT_STATES
        and not getattr(document, "secrecy", "")
        and bool(department_ids_for(user_id=user_id, role=DISCLOSURE_EDITOR))
    )
    existing = (
        DisclosureItem.objects.filter(source_document_id=document.pk).values_list("pk", flat=True).first()
        if shown
        else None
    )
    return {
        "shown": shown,
        "document": document,
        "existing": existing,
        "csrf_token": context.get("csrf_token"),
    }
