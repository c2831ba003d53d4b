"""Portal account pages: register (citizen or enterprise), log in with a password or an SMS code, log out,
我的账户. Staff log in at /staff/login/: password, then an authenticator code (T-A5).

Every page works without JavaScript. "获取验证码" is a second submit button of the page's own form that
posts every answer to ``send_code``, which renders the same page again with the answers kept. No
identifier or phone number is ever put in a URL (T-M1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as start_session
from django.contrib.auth import logout as end_session
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts import access, selectors, services
from tongban.accounts.forms import (
    AccountKindForm,
    AuthenticatorCodeForm,
    CitizenRegistrationForm,
    CodeLoginForm,
    EnterpriseRegistrationForm,
    PasswordLoginForm,
    ServiceForm,
    StaffPasswordForm,
)
from tongban.core import audit
from tongban.core.errors import TongbanError
from tongban.core.qr import qr_svg
from tongban.core.views import client_ip, safe_next

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# Between the two steps of a staff login: whose code to ask for, and until when (a POSIX timestamp).
STAFF_PENDING = "staff_login_pending"
STAFF_CODE_TIME = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class CodePage:
    """A page with a "获取验证码" button: its form, template and the purpose of its codes."""

    form: type[ServiceForm]
    template: str
    purpose: str


CODE_PAGES = {
    "citizen": CodePage(CitizenRegistrationForm, "accounts/register_citizen.html", "register"),
    "enterprise": CodePage(EnterpriseRegistrationForm, "accounts/register_enterprise.html", "register"),
    "login": CodePage(CodeLoginForm, "accounts/login_code.html", "login"),
}


def _page(
    request: HttpRequest, template: str, form: ServiceForm, status: int = 200, **context: object
) -> HttpResponse:
    return render(request, template, {"form": form, "next": safe_next(request, ""), **context}, status=status)


def _refused(request: HttpRequest, template: str, form: ServiceForm, error: TongbanError) -> HttpResponse:
    form.add_service_error(error)
    return _page(request, template, form, status=error.status)


def _log_in(request: HttpRequest, user_id: int) -> HttpResponse:
    # django.contrib.auth.login gives the session a new key (T-A6).
    start_session(request, get_user_model().objects.get(pk=user_id), backend=MODEL_BACKEND)
    return HttpResponseRedirect(safe_next(request, reverse("accounts:account")))


@require_http_methods(["GET", "POST"])
def choose_account_kind(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, "accounts/register.html", AccountKindForm())
    form = AccountKindForm(request.POST)
    form.is_valid()
    kind = form.cleaned_data["kind"]
    if kind in ("citizen", "enterprise"):
        return redirect(f"accounts:register_{kind}")
    form.add_error("kind", _("请选择账户类型"))
    return _page(request, "accounts/register.html", form, status=400)


def _register(request: HttpRequest, kind: str) -> HttpResponse:
    page = CODE_PAGES[kind]
    if request.method == "GET":
        return _page(request, page.template, page.form())
    # The forms list their fields, so extra ones are dropped; naming a protected one is audited (T-B5).
    audit.record_protected_fields(request, request.POST, object_type="account")
    form = page.form(request.POST)
    form.is_valid()
    register = services.register_citizen if kind == "citizen" else services.register_enterprise
    try:
        register(**form.cleaned_data)
    except TongbanError as error:
        return _refused(request, page.template, form, error)
    # The same words whether or not the identifier already had an account (T-A2, see the services).
    if kind == "citizen":
        notice = _(
            "注册信息已提交。如果您是首次注册，现在可以用手机号码和密码登录；如果您的身份证号码此前已注册，"
            "我们已向注册时的手机号码发送短信，请用原手机号码登录。"
        )
    else:
        notice = _(
            "注册信息已提交。如果贵单位是首次注册，现在可以用手机号码和密码登录；如果该统一社会信用代码此前已注册，"
            "我们已向注册时的手机号码发送短信，请用原手机号码登录。"
        )
    messages.success(request, notice)
    return redirect("accounts:login")


@never_cache
@sensitive_post_parameters("resident_id", "password", "code")
@require_http_methods(["GET", "POST"])
def register_citizen(request: HttpRequest) -> HttpResponse:
    return _register(request, "citizen")


@never_cache
@sensitive_post_parameters("password", "code")
@require_http_methods(["GET", "POST"])
def register_enterprise(request: HttpRequest) -> HttpResponse:
    return _register(request, "enterprise")


@never_cache
@sensitive_post_parameters()
@require_POST
def send_code(request: HttpRequest) -> HttpResponse:
    """The "获取验证码" button of every page: text a code, then show the page again with its answers."""
    page = CODE_PAGES.get(request.POST.get("page", ""))
    if page is None:
        return HttpResponseBadRequest()
    form = page.form(request.POST)
    form.is_valid()
    try:
        sent = services.request_phone_code(
            phone=form.cleaned_data["phone"], purpose=page.purpose, client_ip=client_ip(request)
        )
    except TongbanError as error:
        return _refused(request, page.template, form, error)
    form.focus("code")
    return _page(request, page.template, form, code_sent=sent)


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def log_in_with_password(request: HttpRequest) -> HttpResponse:
    template = "accounts/login.html"
    if request.method == "GET":
        return _page(request, template, PasswordLoginForm())
    form = PasswordLoginForm(request.POST)
    form.is_valid()
    try:
        user_id = services.check_password_login(**form.cleaned_data, client_ip=client_ip(request))
    except TongbanError as error:
        return _refused(request, template, form, error)
    return _log_in(request, user_id)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def log_in_with_code(request: HttpRequest) -> HttpResponse:
    page = CODE_PAGES["login"]
    if request.method == "GET":
        return _page(request, page.template, page.form())
    form = page.form(request.POST)
    form.is_valid()
    try:
        user_id = services.check_code_login(**form.cleaned_data, client_ip=client_ip(request))
    except TongbanError as error:
        return _refused(request, page.template, form, error)
    return _log_in(request, user_id)


def _with_next(url: str, request: HttpRequest) -> str:
    target = safe_next(request, "")
    return f"{url}?{urlencode({'next': target}, safe='/')}" if target else url


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def staff_log_in(request: HttpRequest) -> HttpResponse:
    """Staff step 1: username and password. Nobody is logged in yet: the session, under a new key (T-A6),
    only remembers for 5 minutes whose authenticator code to ask for (T-A5). An account without a
    confirmed authenticator gets a new secret to add to one."""
    template = "accounts/staff_login.html"
    if request.method == "GET":
        return _page(request, template, StaffPasswordForm())
    form = StaffPasswordForm(request.POST)
    form.is_valid()
    try:
        user_id = services.check_staff_password(**form.cleaned_data, client_ip=client_ip(request))
        if not selectors.has_confirmed_totp_device(user_id):
            services.start_totp_enrolment(user_id=user_id)
    except TongbanError as error:
        return _refused(request, template, form, error)
    request.session.cycle_key()
    request.session[STAFF_PENDING] = {
        "user_id": user_id,
        "until": (timezone.now() + STAFF_CODE_TIME).timestamp(),
    }
    return redirect(_with_next(reverse("accounts:staff_login_verify"), request))


@never_cache
@sensitive_post_parameters("code")
@sensitive_variables("enrolment", "context")
@require_http_methods(["GET", "POST"])
def staff_log_in_verify(request: HttpRequest) -> HttpResponse:
    """Staff step 2: a code from the authenticator, added to it first when the account has none yet.

    Only an accepted code logs the user in: ``login()`` gives the session a new key (T-A6), then the
    session is marked as having passed the second factor; without that mark
    ``StaffSecondFactorMiddleware`` treats a staff session as anonymous (T-A5). Staff land on the
    workbench, or on the page that sent them to log in. A new authenticator is added by scanning
    the QR code of its otpauth:// link, or by typing the secret.
    """
    pending = request.session.get(STAFF_PENDING)
    if pending is None or timezone.now().timestamp() >= pending["until"]:
        if pending is not None:
            del request.session[STAFF_PENDING]
            messages.info(request, _("输入验证码的时间已超过5分钟，请重新输入用户名和密码。"))
        return redirect(_with_next(reverse("accounts:staff_login"), request))
    user_id = pending["user_id"]
    enrolment = selectors.totp_enrolment(user_id)
    template = "accounts/staff_login_enrol.html" if enrolment else "accounts/staff_login_code.html"
    context = {
        "enrolment": enrolment,
        "qr_code": qr_svg(enrolment.provisioning_uri, label=_("绑定身份验证器的二维码")) if enrolment else "",
        "until": dt.datetime.fromtimestamp(pending["until"], tz=dt.UTC),
    }
    if request.method == "GET":
        return _page(request, template, AuthenticatorCodeForm(), **context)
    form = AuthenticatorCodeForm(request.POST)
    form.is_valid()
    check = services.confirm_totp_enrolment if enrolment else services.verify_staff_totp
    try:
        check(user_id=user_id, code=form.cleaned_data["code"], client_ip=client_ip(request))
    except TongbanError as error:
        form.add_service_error(error)
        return _page(request, template, form, status=error.status, **context)
    del request.session[STAFF_PENDING]
    start_session(request, get_user_model().objects.get(pk=user_id), backend=MODEL_BACKEND)
    access.mark_second_factor_passed(request)
    return HttpResponseRedirect(safe_next(request, reverse("workbench:home")))


@require_POST
def log_out(request: HttpRequest) -> HttpResponse:
    """End the session on the server (its row is deleted, T-A7) and ask the browser to forget this
    site's cache, cookies and storage (T-M5)."""
    if request.user.is_authenticated:
        audit.record_request(request, event="logout", object_type="account", object_id=request.user.pk)
    end_session(request)
    response = redirect("accounts:logged_out")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@require_GET
def logged_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/logged_out.html")


@login_required(login_url="accounts:login")
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/account.html", {"summary": selectors.account_summary(cast(int, request.user.pk))}
    )
