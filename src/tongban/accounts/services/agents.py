"""Agents an enterprise account authorizes to act for it."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.errors import AgentConflictError, AgentError
from tongban.accounts.models import EnterpriseAgent, User
from tongban.accounts.selectors import agent_ref
from tongban.accounts.types import AgentRef


@transaction.atomic
def authorize_agent(*, enterprise_id: int, agent_id: int) -> AgentRef:
    """Let the citizen account ``agent_id`` act for the enterprise account ``enterprise_id``.

    Both accounts must be active and of those kinds. Raises ``AgentError``, or ``AgentConflictError``
    (409) when the agent is already authorized; a revoked agent can be authorized again.
    """
    enterprise = User.objects.filter(pk=enterprise_id, kind=User.Kind.ENTERPRISE, is_active=True).first()
    if enterprise is None:
        raise AgentError(_("只有法人账户可以授权代理人"))
    if not User.objects.filter(pk=agent_id, kind=User.Kind.CITIZEN, is_active=True).exists():
        raise AgentError(_("代理人须为已注册的个人账户"))
    try:
        with transaction.atomic():
            authorization = EnterpriseAgent.objects.create(enterprise_id=enterprise_id, agent_id=agent_id)
    except IntegrityError as exc:
        raise AgentConflictError(_("该人员已是本单位的代理人")) from exc
    return agent_ref(authorization.pk)


@transaction.atomic
def revoke_agent(*, enterprise_id: int, agent_id: int) -> None:
    """End the agent's current authorization; the row stays as the record of it. Raises ``AgentError``
    when there is none."""
    authorization = (
        EnterpriseAgent.objects.select_for_update()
        .filter(enterprise_id=enterprise_id, agent_id=agent_id, revoked_at__isnull=True)
        .first()
    )
    if authorization is None:
        raise AgentError(_("该人员不是本单位的代理人"))
    authorization.revoked_at = timezone.now()
    authorization.save(update_fields=["revoked_at"])
