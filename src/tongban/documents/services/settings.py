"""公文设置: issuing bodies (红头: 发文机关标志, 机关代字) and templates per 文种, kept by the 部门管理员 of the
body's department or a 全市系统管理员, each change audited."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tongban.core import audit
from tongban.documents.errors import DocumentError, DocumentPermissionError
from tongban.documents.models import DocumentKind, DocumentNumber, DocumentTemplate, IssuingBody
from tongban.documents.starter_html import clean_starter_html
from tongban.organizations.selectors import administered_department_ids

CODE_PATTERN = re.compile(r"^[\u4e00-\u9fff]{1,20}$")


def administers(user_id: int, department_id: int) -> bool:
    departments = administered_department_ids(user_id)
    return departments is None or department_id in departments


def _require(user_id: int, department_id: int) -> None:
    if not administers(user_id, department_id):
        raise DocumentPermissionError(_("只有该部门的部门管理员或全市系统管理员可以修改公文设置"))


def _field_error(field: str, message: str) -> DocumentError:
    return DocumentError(message, code=field)


def save_issuing_body(
    *,
    user_id: int,
    body_id: int | None = None,
    department_id: int | None,
    name: str,
    head_text: str,
    code: str,
    is_active: bool = True,
) -> int:
    """Add or change an issuing body. Its 机关代字 is Chinese only and unique (it starts every 文号). A
    body that numbered documents keeps its 代字: the register's numbers carry it.

    Raises DocumentError naming the field (``code`` = the field name), DocumentPermissionError."""
    name, head_text, code = name.strip(), head_text.strip(), code.strip()
    if department_id is None:
        raise _field_error("department", _("请选择所属部门"))
    _require(user_id, department_id)
    if not name:
        raise _field_error("name", _("请输入发文机关名称"))
    if not head_text:
        raise _field_error("head_text", _("请输入发文机关标志"))
    if not code:
        raise _field_error("code", _("请输入机关代字"))
    if not CODE_PATTERN.match(code):
        raise _field_error("code", _("机关代字只能是汉字，最多20个字"))
    with transaction.atomic():
        if body_id is None:
            body = IssuingBody(department_id=department_id)
        else:
            body = IssuingBody.objects.select_for_update().get(pk=body_id)
            _require(user_id, body.department_id)
            if body.code != code and _has_numbers(body.pk):
                raise _field_error("code", _("这个发文机关已经编过文号，机关代字不能修改"))
            body.department_id = department_id
        body.name, body.head_text, body.code, body.is_active = name, head_text, code, is_active
        if IssuingBody.objects.filter(code=code).exclude(pk=body.pk).exists():
            raise _field_error("code", _("机关代字已被其他发文机关使用"))
        try:
            with transaction.atomic():
                body.save()
        except IntegrityError:
            raise _field_error("code", _("机关代字已被其他发文机关使用")) from None
        audit.record(
            event="document.issuing_body_saved",
            actor_id=user_id,
            object_type="issuing_body",
            object_id=body.pk,
            department_id=department_id,
            reason=code,
        )
    return body.pk


def _has_numbers(body_id: int) -> bool:
    return DocumentNumber.objects.filter(issuing_body_id=body_id).exists()


def save_template(
    *,
    user_id: int,
    template_id: int | None = None,
    issuing_body_id: int | None,
    name: str,
    kind: str,
    body_html: str,
    is_active: bool = True,
) -> int:
    """Add or change a template per 文种 and issuing body; its starter text is kept to the allow-list
    of ``starter_html``. Raises DocumentError naming the field, DocumentPermissionError."""
    name = name.strip()
    if issuing_body_id is None:
        raise _field_error("issuing_body", _("请选择发文机关"))
    body = IssuingBody.objects.filter(pk=issuing_body_id).first()
    if body is None:
        raise _field_error("issuing_body", _("请选择发文机关"))
    _require(user_id, body.department_id)
    if not name:
        raise _field_error("name", _("请输入模板名称"))
    if kind not in DocumentKind.values:
        raise _field_error("kind", _("请选择文种"))
    with transaction.atomic():
        if template_id is None:
            template = DocumentTemplate()
        else:
            template = DocumentTemplate.objects.select_for_update().get(pk=template_id)
            if template.issuing_body is not None:
                _require(user_id, template.issuing_body.department_id)
        template.issuing_body = body
        template.name, template.kind, template.is_active = name, kind, is_active
        template.body_html = clean_starter_html(body_html)
        template.save()
        audit.record(
            event="document.template_saved",
            actor_id=user_id,
            object_type="document_template",
            object_id=template.pk,
            department_id=body.department_id,
            reason=name,
        )
    return template.pk
