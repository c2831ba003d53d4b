"""Pages of 通知公告 (/staff/notices/): readers' list and notice page with 已阅知; publishers' 通知管理,
drafts with attachments, publishing, 撤回, and the receipt board with 催阅 and its export. A notice
outside the viewer's reach is a 404 (audited)."""

from __future__ import annotations

import csv
from typing import cast

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.core.audit import record_request
from tongban.core.counting import count_one
from tongban.core.errors import TongbanError
from tongban.notices import selectors, services
from tongban.notices.forms import CITYWIDE, DEPARTMENTS, AttachmentForm, NoticeForm, WithdrawForm
from tongban.notices.models import Notice, NoticeStatus
from tongban.notices.types import PublisherScope
from tongban.organizations.forms import parse_id
from tongban.organizations.selectors import active_department_refs, departments_by_ids


def _user_id(request: HttpRequest) -> int:
    return cast(int, request.user.pk)


def _page(request: HttpRequest) -> int:
    return parse_id(request.GET.get("page", "")) or 1


def _reader_notice(request: HttpRequest, notice_id: int) -> Notice:
    notice = selectors.get_notice_for_reader(_user_id(request), notice_id)
    if notice is None:
        record_request(request, event="notice.view", object_type="notice", object_id=notice_id, denied=True)
        raise Http404
    return notice


def _scope(request: HttpRequest) -> PublisherScope:
    scope = selectors.publisher_scope(_user_id(request))
    if scope is None:
        raise Http404
    return scope


def _managed(request: HttpRequest, notice_id: int) -> tuple[PublisherScope, Notice]:
    scope = _scope(request)
    notice = selectors.get_notice_for_publisher(scope, notice_id)
    if notice is None:
        record_request(request, event="notice.manage", object_type="notice", object_id=notice_id, denied=True)
        raise Http404
    return scope, notice


@require_GET
@staff_only
def notice_list(request: HttpRequest) -> HttpResponse:
    """通知公告: the current notices addressed to me, pinned first, unread marked."""
    user_id = _user_id(request)
    return render(
        request,
        "notices/list.html",
        {
            "page": selectors.notices_for(user_id, page=_page(request)),
            "waiting": count_one(selectors.unacknowledged_rows(user_id)),
            "publishes": selectors.publisher_scope(user_id) is not None,
        },
    )


@require_GET
@staff_only
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    """A notice as its readers see it; opening it is recorded, 已阅知 is a button of its own. Its
    publishers see it too (without a reading), also when it is not addressed to them."""
    user_id = _user_id(request)
    scope = selectors.publisher_scope(user_id)
    notice = selectors.get_notice_for_reader(user_id, notice_id)
    if notice is None:
        managed = selectors.get_notice_for_publisher(scope, notice_id) if scope else None
        if managed is None or managed.status == NoticeStatus.DRAFT:
            record_request(
                request, event="notice.view", object_type="notice", object_id=notice_id, denied=True
            )
            raise Http404
        notice = managed
    elif notice.status == NoticeStatus.PUBLISHED:
        services.open_notice(reader_id=user_id, notice_id=notice.pk)
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "paragraphs": _paragraphs(notice.body),
            "attachments": selectors.attachments_of(notice.pk),
            "reading": selectors.reading_of(user_id, notice.pk),
            "addressed": selectors.get_notice_for_reader(user_id, notice.pk) is not None,
            "manages": scope is not None and notice.department_id in scope.department_ids,
        },
    )


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]


@require_POST
@staff_only
def acknowledge(request: HttpRequest, notice_id: int) -> HttpResponse:
    _reader_notice(request, notice_id)
    try:
        services.acknowledge_notice(reader_id=_user_id(request), notice_id=notice_id)
    except TongbanError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已确认阅知。"))
    return redirect("notices:detail", notice_id)


@require_GET
@staff_only
def attachment(request: HttpRequest, notice_id: int, attachment_id: int) -> FileResponse:
    """An attachment, to the notice's readers (once published) and its publishers."""
    user_id = _user_id(request)
    scope = selectors.publisher_scope(user_id)
    managed = selectors.get_notice_for_publisher(scope, notice_id) if scope else None
    readable = selectors.get_notice_for_reader(user_id, notice_id)
    if managed is None and (readable is None or readable.status != NoticeStatus.PUBLISHED):
        record_request(
            request, event="notice.attachment", object_type="notice", object_id=notice_id, denied=True
        )
        raise Http404
    found = selectors.attachment_of(notice_id, attachment_id)
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.original_name)


# --- publishers -------------------------------------------------------------------------------------


@require_GET
@staff_only
def manage(request: HttpRequest) -> HttpResponse:
    """通知管理: the notices of the departments I publish for."""
    scope = _scope(request)
    status = request.GET.get("status", "")
    return render(
        request,
        "notices/manage.html",
        {
            "page": selectors.managed_notices(scope, status=status, page=_page(request)),
            "status": status if status in NoticeStatus.values else "",
            "statuses": NoticeStatus.choices,
        },
    )


def _form(scope: PublisherScope, data: object = None, initial: dict[str, object] | None = None) -> NoticeForm:
    departments = sorted(departments_by_ids(set(scope.department_ids)).values(), key=lambda d: d.name)
    audience = (
        active_department_refs()
        if scope.citywide
        else sorted(departments_by_ids(set(scope.audience_ids)).values(), key=lambda d: d.name)
    )
    return NoticeForm(
        data, departments=departments, audience=audience, citywide=scope.citywide, initial=initial
    )


def _edit_page(
    request: HttpRequest, form: NoticeForm, notice: Notice | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "notices/edit.html",
        {
            "form": form,
            "notice": notice,
            "attachments": selectors.attachments_of(notice.pk) if notice else [],
            "attachment_form": AttachmentForm(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_only
def new(request: HttpRequest) -> HttpResponse:
    """起草通知: the notice's text and audience, saved as a draft (attachments and 发布 come next)."""
    scope = _scope(request)
    if request.method == "GET":
        return _edit_page(request, _form(scope), None)
    form = _form(scope, request.POST)
    form.is_valid()
    if form.errors:
        return _edit_page(request, form, None, status=400)
    try:
        notice_id = services.create_notice(
            actor_id=_user_id(request),
            draft=form.draft(),
            idempotency_key=form.cleaned_data.get("idempotency_key") or "",
        )
    except TongbanError as error:
        form.add_service_error(error)
        return _edit_page(request, form, None, status=error.status)
    messages.success(request, _("草稿已保存。您可以添加附件，或发布。"))
    return redirect("notices:edit", notice_id)


@require_http_methods(["GET", "POST"])
@staff_only
def edit(request: HttpRequest, notice_id: int) -> HttpResponse:
    """A draft: change it, attach files, publish or delete it. A published notice goes to its board."""
    scope, notice = _managed(request, notice_id)
    if notice.status != NoticeStatus.DRAFT:
        return redirect("notices:receipts", notice.pk)
    if request.method == "GET":
        audience = selectors.audience_ids(notice)
        initial = {
            "title": notice.title,
            "body": notice.body,
            "department": str(notice.department_id),
            "audience": CITYWIDE if notice.is_citywide else DEPARTMENTS,
            "departments": [str(i) for i in audience],
            "requires_receipt": notice.requires_receipt,
            "is_pinned": notice.is_pinned,
            "expires_on": notice.expires_on,
            "idempotency_key": notice.idempotency_key,
        }
        return _edit_page(request, _form(scope, initial=initial), notice)
    form = _form(scope, request.POST)
    form.is_valid()
    if form.errors:
        return _edit_page(request, form, notice, status=400)
    try:
        services.update_notice(actor_id=_user_id(request), notice_id=notice.pk, draft=form.draft())
    except TongbanError as error:
        form.add_service_error(error)
        return _edit_page(request, form, notice, status=error.status)
    messages.success(request, _("草稿已保存。"))
    return redirect("notices:edit", notice.pk)


@require_POST
@staff_only
def add_attachment(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _managed(request, notice_id)[1]
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件"))
        return redirect("notices:edit", notice.pk)
    try:
        services.add_attachment(
            actor_id=_user_id(request), notice_id=notice.pk, name=upload.name or "", data=upload
        )
    except TongbanError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("附件已上传。"))
    return redirect("notices:edit", notice.pk)


@require_POST
@staff_only
def remove_attachment(request: HttpRequest, notice_id: int, attachment_id: int) -> HttpResponse:
    notice = _managed(request, notice_id)[1]
    try:
        services.remove_attachment(
            actor_id=_user_id(request), notice_id=notice.pk, attachment_id=attachment_id
        )
    except TongbanError as error:
        messages.error(request, error.message)
    return redirect("notices:edit", notice.pk)


@require_POST
@staff_only
def publish(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _managed(request, notice_id)[1]
    try:
        services.publish_notice(actor_id=_user_id(request), notice_id=notice.pk)
    except TongbanError as error:
        messages.error(request, error.message)
        return redirect("notices:edit", notice.pk)
    messages.success(request, _("通知已发布。"))
    return redirect("notices:receipts", notice.pk)


@require_POST
@staff_only
def delete(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _managed(request, notice_id)[1]
    try:
        services.delete_draft(actor_id=_user_id(request), notice_id=notice.pk)
    except TongbanError as error:
        messages.error(request, error.message)
        return redirect("notices:edit", notice.pk)
    messages.success(request, _("草稿已删除。"))
    return redirect("notices:manage")


@require_http_methods(["GET", "POST"])
@staff_only
def withdraw(request: HttpRequest, notice_id: int) -> HttpResponse:
    """撤回: asked for with a reason; the notice and its receipts are kept."""
    notice = _managed(request, notice_id)[1]
    if notice.status != NoticeStatus.PUBLISHED:
        return redirect("notices:receipts", notice.pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.is_valid()
        try:
            services.withdraw_notice(
                actor_id=_user_id(request), notice_id=notice.pk, reason=form.cleaned_data.get("reason") or ""
            )
        except TongbanError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("通知已撤回。"))
            return redirect("notices:receipts", notice.pk)
    return render(
        request, "notices/withdraw.html", {"form": form, "notice": notice}, status=400 if form.errors else 200
    )


@require_GET
@staff_only
def receipts(request: HttpRequest, notice_id: int) -> HttpResponse:
    """阅知情况: who read and who did not, per department, with 催阅 and the export."""
    notice = _managed(request, notice_id)[1]
    if notice.status == NoticeStatus.DRAFT:
        return redirect("notices:edit", notice.pk)
    return render(
        request,
        "notices/receipts.html",
        {
            "notice": notice,
            "board": selectors.receipt_board(notice),
            "audience": selectors.audience_names(notice),
            "attachments": selectors.attachments_of(notice.pk),
        },
    )


@require_POST
@staff_only
def remind(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _managed(request, notice_id)[1]
    try:
        count = services.remind_unread(actor_id=_user_id(request), notice_id=notice.pk)
    except TongbanError as error:
        messages.error(request, error.message)
    else:
        if count:
            messages.success(request, _("已向%(n)s人发送催阅提醒。") % {"n": count})
        else:
            messages.info(request, _("没有需要催阅的人：未阅知的人今天都已收到过提醒。"))
    return redirect("notices:receipts", notice.pk)


@require_GET
@staff_only
def export(request: HttpRequest, notice_id: int) -> HttpResponse:
    """The receipt board as CSV (UTF-8 with a BOM, which spreadsheet programs read as such)."""
    notice = _managed(request, notice_id)[1]
    board = selectors.receipt_board(notice)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.pk}-receipts.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("部门"), _("姓名"), _("状态"), _("打开时间"), _("阅知时间")])

    def when(value: object) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""  # type: ignore[arg-type]

    for department in board.departments:
        for line, state in [(line, _("已阅")) for line in department.read] + [
            (line, _("未阅")) for line in department.unread
        ]:
            writer.writerow(
                [
                    department.department_name,
                    _safe(line.name),
                    state,
                    when(line.opened_at),
                    when(line.acknowledged_at),
                ]
            )
    return response


def _safe(text: str) -> str:
    """A cell a spreadsheet never runs as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
