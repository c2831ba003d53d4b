"""审计日志 for the 审计管理员 (三权分立, issue 20): search the audit rows by who, whose data, what,
from where, result and day; export what was found as CSV. Only the audit administrator reads them;
every search and export is itself an audit row. Nobody edits or deletes rows anywhere."""

from __future__ import annotations

import csv
from typing import Any, cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tongban.accounts.access import staff_only
from tongban.accounts.selectors import names_of, user_id_by_username
from tongban.core import audit, audit_chain
from tongban.core.models import AuditResult
from tongban.organizations.selectors import AUDIT_ADMIN, department_ids_for

PAGE_ROWS = 50
EXPORT_ROWS = 10_000


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("操作人用户名"), max_length=150, required=False)
    subject = forms.CharField(label=gettext_lazy("个人信息主体用户名"), max_length=150, required=False)
    event = forms.CharField(label=gettext_lazy("事件（前缀）"), max_length=64, required=False)
    object_type = forms.CharField(label=gettext_lazy("对象类型"), max_length=32, required=False)
    result = forms.ChoiceField(
        label=gettext_lazy("结果"), choices=[("", gettext_lazy("全部")), *AuditResult.choices], required=False
    )
    ip = forms.GenericIPAddressField(label=gettext_lazy("IP地址"), required=False)
    since = forms.DateField(label=gettext_lazy("起始日期"), required=False)
    until = forms.DateField(label=gettext_lazy("截止日期"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field in ("actor", "subject"):
            name = (data.get(field) or "").strip()
            if name and user_id_by_username(name) is None:
                self.add_error(field, _("没有用户名为“%(name)s”的账户") % {"name": name})
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("截止日期不能早于起始日期"))
        return data

    def query(self) -> audit.AuditQuery:
        data = self.cleaned_data
        actor, subject = (data.get("actor") or "").strip(), (data.get("subject") or "").strip()
        return audit.AuditQuery(
            actor_id=user_id_by_username(actor) if actor else None,
            subject_id=user_id_by_username(subject) if subject else None,
            event=data.get("event", "").strip(),
            object_type=data.get("object_type", "").strip(),
            result=data.get("result", ""),
            ip=data.get("ip") or "",
            since=data.get("since"),
            until=data.get("until"),
        )


def _audit_admin_only(request: HttpRequest) -> None:
    if not department_ids_for(user_id=cast(int, request.user.pk), role=AUDIT_ADMIN):
        audit.record_request(
            request, event="audit_log", object_type="url", object_id=request.path, denied=True
        )
        raise Http404


def _filters(request: HttpRequest) -> dict[str, str]:
    """The search's parameters as given, without the page position."""
    return {key: str(value) for key, value in request.GET.items() if value and key != "before"}


def _filters_said(request: HttpRequest) -> str:
    return urlencode(_filters(request))[:200]


@require_GET
@staff_only
def audit_log(request: HttpRequest) -> HttpResponse:
    _audit_admin_only(request)
    form = AuditSearchForm(request.GET or None)
    rows: list = []
    more_url = ""
    status = 200
    if not request.GET or form.is_valid():
        query = form.query() if request.GET else audit.AuditQuery()
        before = request.GET.get("before", "")
        rows = audit.search_events(
            query, before_id=int(before) if before.isdigit() else None, limit=PAGE_ROWS + 1
        )
        if len(rows) > PAGE_ROWS:
            rows = rows[:PAGE_ROWS]
            more_url = "?" + urlencode({**_filters(request), "before": str(rows[-1].pk)})
        audit.record_request(
            request, event="audit.searched", object_type="audit", object_id="", reason=_filters_said(request)
        )
    else:
        status = 400
    names = names_of({r.actor_id for r in rows if r.actor_id} | {r.subject_id for r in rows if r.subject_id})
    return render(
        request,
        "workbench/audit_log.html",
        {
            "form": form,
            "rows": [(r, names.get(r.actor_id, ""), names.get(r.subject_id, "")) for r in rows],
            "more_url": more_url,
            "export_url": "?" + urlencode(_filters(request)),
            "chain_state": audit_chain.last_state(),
        },
        status=status,
    )


@require_GET
@staff_only
def audit_export(request: HttpRequest) -> HttpResponse:
    """The rows found, as CSV (at most 10,000, newest first; narrow the search for more)."""
    _audit_admin_only(request)
    form = AuditSearchForm(request.GET or None)
    if request.GET and not form.is_valid():
        return audit_log(request)
    query = form.query() if request.GET else audit.AuditQuery()
    rows = audit.search_events(query, limit=EXPORT_ROWS)
    names = names_of({r.actor_id for r in rows if r.actor_id} | {r.subject_id for r in rows if r.subject_id})
    audit.record_request(
        request,
        event="audit.exported",
        object_type="audit",
        object_id=str(len(rows)),
        reason=_filters_said(request),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            _("时间"),
            _("操作人"),
            _("部门"),
            _("IP地址"),
            _("事件"),
            _("对象类型"),
            _("对象"),
            _("个人信息主体"),
            _("结果"),
            _("说明"),
            _("请求编号"),
        ]
    )
    for r in rows:
        writer.writerow(
            [
                timezone.localtime(r.at).isoformat(timespec="seconds"),
                names.get(r.actor_id, str(r.actor_id)) if r.actor_id else "",
                r.department_id or "",
                r.ip or "",
                r.event,
                r.object_type,
                r.object_id,
                names.get(r.subject_id, str(r.subject_id)) if r.subject_id else "",
                r.get_result_display(),
                r.reason,
                r.request_id,
            ]
        )
    return response
