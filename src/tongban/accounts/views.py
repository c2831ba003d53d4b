"""Portal account pages: register (citizen or enterprise), log in with a password or an SMS code, log out,
我的账户. Staff log in at the admin site.

Every page works without JavaScript. "获取验证码" is a second submit button of the page's own form that
posts every answer to ``send_code``, which renders the same page again with the answers kept. No
identifier or phone number is ever put in a URL (T-M1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as start_session
from django.contrib.auth import logout as end_session
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.throttling import BaseThrottle

from tongban.accounts import selectors, services
from tongban.accounts.forms import (
    AccountKindForm,
    CitizenRegistrationForm,
    CodeLoginForm,
    EnterpriseRegistrationForm,
    PasswordLoginForm,
    ServiceForm,
)
from tongban.core.errors import TongbanError
from tongban.core.views import safe_next

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


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


def _client_ip(request: HttpRequest) -> str:
    # Read like the API's throttles (TONGBAN_NUM_PROXIES hops of X-Forwarded-For), so a client cannot
    # pick its own address by sending the header (T-N5).
    return BaseThrottle().get_ident(request) or ""


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
            phone=form.cleaned_data["phone"], purpose=page.purpose, client_ip=_client_ip(request)
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
        user_id = services.check_password_login(**form.cleaned_data, client_ip=_client_ip(request))
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
        user_id = services.check_code_login(**form.cleaned_data, client_ip=_client_ip(request))
    except TongbanError as error:
        return _refused(request, page.template, form, error)
    return _log_in(request, user_id)


@require_POST
def log_out(request: HttpRequest) -> HttpResponse:
    """End the session on the server (its row is deleted, T-A7) and ask the browser to forget this
    site's cache, cookies and storage (T-M5)."""
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
