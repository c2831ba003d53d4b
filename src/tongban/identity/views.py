"""Staff single sign-on: the platform's authorize endpoint (only for staff who passed the authenticator
code, T-A5), the 安全管理员's relying-party pages, and sign-in through an external provider (T-A11)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth import login as start_session
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from oauth2_provider.views import AuthorizationView

from tongban.accounts import access
from tongban.accounts import selectors as accounts_selectors
from tongban.accounts import services as accounts_services
from tongban.accounts.access import staff_only
from tongban.accounts.models import User
from tongban.accounts.views import MODEL_BACKEND, STAFF_CODE_TIME, STAFF_PENDING
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.core.views import safe_next
from tongban.identity import external, selectors, services
from tongban.identity.forms import RelyingPartyForm


class StaffAuthorizationView(AuthorizationView):
    """``/sso/authorize/``: the toolkit's authorization code flow (PKCE, exact redirect URI), for staff.

    A visitor without a staff session, and a staff password-only session (anonymous everywhere:
    ``StaffSecondFactorMiddleware``), goes through the staff login, password then authenticator code,
    and comes back here (T-A5). A citizen or enterprise session gets 403 and an audit row.
    """

    template_name = "identity/authorize.html"
    login_url = reverse_lazy("accounts:staff_login")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and (
            user.kind != User.Kind.STAFF or not access.staff_session_verified(request)
        ):
            record_request(
                request, event="sso.authorize", object_type="url", object_id=request.path, denied=True
            )
            return render(request, "identity/refused.html", {"reason": "not_staff"}, status=403)
        return super().dispatch(request, *args, **kwargs)


def _security_admin(request: HttpRequest) -> None:
    if not selectors.is_security_admin(request.user.pk):
        record_request(request, event="staff_page", object_type="url", object_id=request.path, denied=True)
        raise Http404


@never_cache
@require_http_methods(["GET", "POST"])
@staff_only
def relying_parties(request: HttpRequest) -> HttpResponse:
    """接入系统管理: the list and the registration form. The client secret is shown once, on the answer."""
    _security_admin(request)
    form = RelyingPartyForm(request.POST or None, initial={"scopes": ["openid", "profile", "staff"]})
    context: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        form.is_valid()
        try:
            context["new_client"] = services.register_relying_party(
                actor_id=request.user.pk,
                name=form.cleaned_data.get("name", ""),
                redirect_uris=form.lines("redirect_uris"),
                post_logout_redirect_uris=form.lines("post_logout_redirect_uris"),
                scopes=form.cleaned_data.get("scopes", []),
                backchannel_logout_uri=form.cleaned_data.get("backchannel_logout_uri", ""),
            )
            form = RelyingPartyForm(initial={"scopes": ["openid", "profile", "staff"]})
        except TongbanError as error:
            form.add_service_error(error)
            status = error.status
    context |= {"form": form, "relying_parties": selectors.relying_parties()}
    return render(request, "identity/relying_parties.html", context, status=status)


@require_POST
@staff_only
def relying_party_active(request: HttpRequest, relying_party_id: int) -> HttpResponse:
    _security_admin(request)
    try:
        services.set_relying_party_active(
            actor_id=request.user.pk,
            relying_party_id=relying_party_id,
            active=request.POST.get("active") == "1",
        )
    except services.RelyingParty.DoesNotExist as error:
        raise Http404 from error
    return redirect("identity:relying_parties")


# Sign-in through an external identity provider (统一身份认证).


@require_GET
def external_start(request: HttpRequest) -> HttpResponse:
    """Send the visitor to the external provider with state, nonce and a PKCE challenge kept in the
    session (mozilla-django-oidc), back to exactly ``/account/sso/callback/``."""
    if not external.configured():
        raise Http404
    return external.AuthenticationRequestView.as_view()(request)


@never_cache
@require_GET
def external_callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: the state must be one this session started (else 400), the code is
    redeemed with the PKCE verifier, the ID token's signature, iss, aud and nonce are checked (T-A11),
    and the account is found by the verified ID number's keyed hash. Nobody is created.

    Staff: signed in with the second factor passed only when the provider's ``acr``/``amr`` says it
    used more than one factor; otherwise the platform's authenticator code step follows (T-A5)."""
    if not external.configured():
        raise Http404
    if request.GET.get("error"):
        return render(request, "identity/refused.html", {"reason": "provider_error"}, status=403)
    states = request.session.get("oidc_states") or {}
    state = request.GET.get("state", "")
    if not state or state not in states or not request.GET.get("code"):
        raise SuspiciousOperation("external sign-in: no or unknown state")
    pending = states.pop(state)
    request.session["oidc_states"] = states
    request.session.save()
    try:
        outcome = external.sign_in(
            request, nonce=pending["nonce"], code_verifier=pending.get("code_verifier")
        )
    except external.NoMatchingAccount:
        record_request(request, event="sso.external", object_type="account", object_id="", denied=True)
        return render(request, "identity/refused.html", {"reason": "no_account"}, status=403)
    user = get_user_model().objects.get(pk=outcome.user_id)
    record_request(request, event="sso.external", object_type="account", object_id=user.pk)
    if access.requires_second_factor(user) and not outcome.multi_factor:
        # As after the staff password step: nobody is logged in until the authenticator code is accepted.
        if not accounts_selectors.has_confirmed_totp_device(user.pk):
            accounts_services.start_totp_enrolment(user_id=user.pk)
        request.session.cycle_key()
        request.session[STAFF_PENDING] = {
            "user_id": user.pk,
            "until": (timezone.now() + STAFF_CODE_TIME).timestamp(),
        }
        return redirect("accounts:staff_login_verify")
    start_session(request, user, backend=MODEL_BACKEND)
    if access.requires_second_factor(user):
        access.mark_second_factor_passed(request)
        return HttpResponseRedirect(safe_next(request, reverse("workbench:home")))
    return HttpResponseRedirect(reverse("accounts:account"))
