"""人员管理 (/staff/people/): city and department administrators list their staff, create accounts, grant
and withdraw roles, give a new password, reset a lost authenticator and deactivate or reactivate a
leaver. Each change is asked for on a page of its own and confirmed with a POST, so everything works
without JavaScript. Anyone who administers no department, and anyone asking about a person outside
their reach, gets a 404 (``services.staff`` has the rules)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tongban.accounts.access import staff_only
from tongban.accounts.types import NewStaffPassword
from tongban.core import audit
from tongban.core.errors import TongbanError
from tongban.core.views import client_ip
from tongban.organizations import selectors, services
from tongban.organizations.forms import GrantRoleForm, StaffCreateForm, parse_id
from tongban.organizations.types import StaffMember, StaffScope

STATUS_FILTERS = {"active": True, "inactive": False}


def _scope(request: HttpRequest) -> StaffScope:
    scope = selectors.staff_scope(request.user.pk)
    if scope is None:
        raise Http404
    return scope


def _member(scope: StaffScope, user_id: int) -> StaffMember:
    member = selectors.staff_member(scope, user_id)
    if member is None:
        raise Http404
    return member


def _found(request: HttpRequest, user_id: int) -> tuple[StaffScope, StaffMember]:
    scope = _scope(request)
    return scope, _member(scope, user_id)


def _actor(request: HttpRequest) -> services.Actor:
    return services.Actor(user_id=request.user.pk, client_ip=client_ip(request))


def _role_label(role: str) -> str:
    return selectors.role_label(role)


@require_GET
@staff_only
def staff_list(request: HttpRequest) -> HttpResponse:
    """人员管理: the staff of my departments, searchable by name or user name, filtered by department,
    role and status, 50 to a page."""
    scope = _scope(request)
    params = request.GET
    page = selectors.staff_list(
        scope,
        search=params.get("q", ""),
        department_id=parse_id(params.get("department", "")),
        role=params.get("role", ""),
        active=STATUS_FILTERS.get(params.get("status", "")),
        page=parse_id(params.get("page", "")) or 1,
    )
    kept = {k: v for k, v in params.items() if k in ("q", "department", "role", "status") and v}
    return render(
        request,
        "organizations/staff/list.html",
        {
            "page": page,
            "departments": selectors.scope_departments(scope),
            "roles": selectors.grantable_roles(scope),
            "filters": params,
            "filtered": bool(kept),
            "page_query": urlencode(kept),
            "city_wide": scope.city_wide,
            "scope": scope,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@staff_only
def staff_create(request: HttpRequest) -> HttpResponse:
    """添加人员: the account, its department and roles. The first password is shown once, on the
    answer to the POST itself (never stored, not even in the session, and not cached)."""
    scope = _scope(request)
    choices = {"departments": selectors.scope_departments(scope), "roles": selectors.first_roles(scope)}
    if request.method == "GET":
        return _create_page(request, StaffCreateForm(**choices))
    form = StaffCreateForm(request.POST, **choices)
    _audit_extra_fields(request, form)
    form.is_valid()
    data = form.cleaned_data
    try:
        created = services.create_staff(
            actor=_actor(request),
            username=data["username"],
            full_name=data["full_name"],
            phone=data["phone"],
            department_id=parse_id(data["department"] or ""),
            roles=data["roles"],
        )
    except TongbanError as error:
        form.add_service_error(error)
        return _create_page(request, form, status=error.status)
    return _password_page(request, created, created_now=True)


def _audit_extra_fields(request: HttpRequest, form: StaffCreateForm | GrantRoleForm) -> None:
    """The form lists its fields, so others are dropped; naming a protected one (is_superuser, kind…) is
    audited as an attempt (T-B5). Its own department and role fields are what it is for."""
    audit.record_protected_fields(request, set(request.POST) - set(form.fields), object_type="user")


def _create_page(request: HttpRequest, form: StaffCreateForm, status: int = 200) -> HttpResponse:
    return render(request, "organizations/staff/create.html", {"form": form}, status=status)


def _password_page(request: HttpRequest, issued: NewStaffPassword, *, created_now: bool) -> HttpResponse:
    return render(
        request,
        "organizations/staff/password.html",
        {"issued": issued, "created_now": created_now},
    )


@require_GET
@staff_only
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    """A person's page: account, roles per department (授予 and 撤销), password, authenticator and
    status actions, and, once deactivated, the tasks still in their hands."""
    scope, member = _found(request, user_id)
    return _detail_page(request, scope, member, _grant_form(scope))


def _grant_form(scope: StaffScope, data: object = None) -> GrantRoleForm:
    return GrantRoleForm(
        data, departments=selectors.scope_departments(scope), roles=selectors.grantable_roles(scope)
    )


def _detail_page(
    request: HttpRequest, scope: StaffScope, member: StaffMember, grant_form: GrantRoleForm, status: int = 200
) -> HttpResponse:
    open_work = selectors.open_work_for(scope, member.account.id) if not member.account.is_active else []
    return render(
        request,
        "organizations/staff/detail.html",
        {
            "member": member,
            "grant_form": grant_form,
            "is_self": member.account.id == scope.user_id,
            "grants_roles": scope.grants_roles,
            "open_work": open_work,
        },
        status=status,
    )


@require_http_methods(["POST"])
@staff_only
def grant_role(request: HttpRequest, user_id: int) -> HttpResponse:
    """授予岗位 (the form on the person page); a refusal shows the person page again with the error."""
    scope, member = _found(request, user_id)
    form = _grant_form(scope, request.POST)
    _audit_extra_fields(request, form)
    form.is_valid()
    role = form.cleaned_data["role"] or ""
    try:
        services.grant_role(
            actor=_actor(request),
            user_id=user_id,
            department_id=parse_id(form.cleaned_data["department"] or ""),
            role=role,
        )
    except TongbanError as error:
        if error.status == 404:
            raise Http404 from error
        form.add_service_error(error)
        return _detail_page(request, scope, member, form, status=error.status)
    messages.success(request, _("已授予岗位：%(role)s") % {"role": _role_label(role)})
    return redirect("organizations:staff_detail", user_id=user_id)


@dataclass(frozen=True)
class _Confirmation:
    """What a confirmation page asks, what its button says and what it tells once done."""

    title: str
    explanation: str
    button: str
    done: str
    danger: bool = False


def _confirm(
    request: HttpRequest,
    user_id: int,
    *,
    url_name: str,
    ask: _Confirmation,
    act: Callable[[services.Actor], None],
    hidden: dict[str, str] | None = None,
    found: tuple[StaffScope, StaffMember] | None = None,
) -> HttpResponse:
    """GET: the confirmation page; POST: ``act(actor)``, then back to the person page with the outcome;
    a refusal shows the confirmation page again with its error."""
    scope, member = found or _found(request, user_id)
    error = None
    status = 200
    if request.method == "POST":
        try:
            act(_actor(request))
        except TongbanError as exc:
            if exc.status == 404:
                raise Http404 from exc
            error, status = exc.message, exc.status
        else:
            messages.success(request, ask.done)
            return redirect("organizations:staff_detail", user_id=user_id)
    return render(
        request,
        "organizations/staff/confirm.html",
        {
            "member": member,
            "ask": ask,
            "error": error,
            "action": reverse(f"organizations:{url_name}", args=[user_id]),
            "hidden": hidden or {},
            "open_work": selectors.open_work_for(scope, user_id) if url_name == "staff_deactivate" else [],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_only
def withdraw_role(request: HttpRequest, user_id: int) -> HttpResponse:
    """撤销岗位, after a confirmation page naming the role and the department."""
    params = request.POST if request.method == "POST" else request.GET
    department_id = parse_id(params.get("department", ""))
    role = params.get("role", "")
    scope, member = _found(request, user_id)
    grant = next(
        (g for g in member.grants_in_scope if (g.department_id, g.role) == (department_id, role)), None
    )
    if grant is None:
        raise Http404
    names = {
        "name": member.account.display_name,
        "role": grant.role_label,
        "department": grant.department_name,
    }
    return _confirm(
        request,
        user_id,
        url_name="staff_withdraw",
        ask=_Confirmation(
            title=_("撤销岗位"),
            explanation=_("撤销后，%(name)s将不能再以“%(department)s %(role)s”的身份办理事务。") % names,
            button=_("撤销岗位"),
            done=_("已撤销岗位：%(department)s %(role)s") % names,
            danger=True,
        ),
        act=lambda actor: services.withdraw_role(
            actor=actor, user_id=user_id, department_id=grant.department_id, role=grant.role
        ),
        hidden={"department": str(grant.department_id), "role": grant.role},
        found=(scope, member),
    )


@require_http_methods(["GET", "POST"])
@staff_only
def reset_authenticator(request: HttpRequest, user_id: int) -> HttpResponse:
    """重置身份验证器 (a lost or new phone): the next login binds a new one."""
    return _confirm(
        request,
        user_id,
        url_name="staff_reset_authenticator",
        ask=_Confirmation(
            title=_("重置身份验证器"),
            explanation=_(
                "重置后，原来绑定的身份验证器不能再用于登录。该人员下次登录时，输入用户名和密码后需要重新绑定身份验证器。"
                "请先核实确是本人提出的要求。"
            ),
            button=_("重置身份验证器"),
            done=_("已重置身份验证器，该人员下次登录时重新绑定"),
            danger=True,
        ),
        act=lambda actor: services.remove_staff_authenticator(actor=actor, user_id=user_id),
    )


@require_http_methods(["GET", "POST"])
@staff_only
def deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    """停用账户 of a leaver: they can no longer log in; the tasks in their hands are listed for
    重置处理人."""
    return _confirm(
        request,
        user_id,
        url_name="staff_deactivate",
        ask=_Confirmation(
            title=_("停用账户"),
            explanation=_("停用后，该人员不能再登录，也不会再收到新的待办；岗位会保留，需要时可以重新启用。"),
            button=_("停用账户"),
            done=_("已停用账户"),
            danger=True,
        ),
        act=lambda actor: services.set_staff_active(actor=actor, user_id=user_id, active=False),
    )


@require_http_methods(["GET", "POST"])
@staff_only
def reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    """启用账户 again, with the roles it kept."""
    return _confirm(
        request,
        user_id,
        url_name="staff_reactivate",
        ask=_Confirmation(
            title=_("启用账户"),
            explanation=_("启用后，该人员可以用原来的用户名、密码和身份验证器登录，并按保留的岗位办理事务。"),
            button=_("启用账户"),
            done=_("已启用账户"),
        ),
        act=lambda actor: services.set_staff_active(actor=actor, user_id=user_id, active=True),
    )


@never_cache
@require_http_methods(["GET", "POST"])
@staff_only
def new_password(request: HttpRequest, user_id: int) -> HttpResponse:
    """重设密码 (a forgotten one): a new password made by the platform, shown once on the answer to the
    POST; the old one and the person's open sessions stop working."""
    member = _found(request, user_id)[1]
    if request.method == "POST":
        try:
            issued = services.issue_new_password(actor=_actor(request), user_id=user_id)
        except TongbanError as error:
            if error.status == 404:
                raise Http404 from error
            return _new_password_confirm(request, member, error=error.message, status=error.status)
        return _password_page(request, issued, created_now=False)
    return _new_password_confirm(request, member)


def _new_password_confirm(
    request: HttpRequest, member: StaffMember, *, error: str | None = None, status: int = 200
) -> HttpResponse:
    ask = _Confirmation(
        title=_("重设密码"),
        explanation=_(
            "系统将生成一个新密码，只显示一次，请当面交给本人。原密码立即失效，该人员已登录的会话也会退出。"
            "身份验证器不变。"
        ),
        button=_("生成新密码"),
        done="",
    )
    return render(
        request,
        "organizations/staff/confirm.html",
        {
            "member": member,
            "ask": ask,
            "error": error,
            "action": reverse("organizations:staff_new_password", args=[member.account.id]),
            "hidden": {},
            "open_work": [],
            "no_boost": True,
        },
        status=status,
    )
