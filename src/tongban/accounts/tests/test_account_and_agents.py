"""我的账户 and the agents an enterprise authorizes."""

import datetime as dt

import pytest
import time_machine

from tongban.accounts.errors import AgentConflictError, AgentError
from tongban.accounts.models import EnterpriseAgent
from tongban.accounts.selectors import account_summary
from tongban.accounts.services import authorize_agent, revoke_agent
from tongban.accounts.tests.factories import CITIZEN_A_ID, CITIZEN_B_ID, CitizenFactory, EnterpriseFactory
from tongban.accounts.tests.helpers import login_staff
from tongban.accounts.types import AgentRef

WHEN = dt.datetime(2026, 11, 23, 2, 30, tzinfo=dt.UTC)


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(username="13700137000")


@pytest.fixture
def agent(db):
    return CitizenFactory(username="13900139000", full_name="王五", resident_id=CITIZEN_B_ID)


def test_the_account_page_needs_a_login(client, db):
    response = client.get("/account/")
    assert (response.status_code, response["Location"]) == (302, "/account/login/?next=/account/")


def test_T_M3_a_citizen_sees_the_id_and_phone_masked_only(client, db):
    citizen = CitizenFactory(username="13800138000", resident_id=CITIZEN_A_ID)
    client.force_login(citizen)
    response = client.get("/account/")
    body = response.content.decode()
    assert "<dd>1101**********4514</dd>" in body
    assert "<dd>138****8000</dd>" in body
    assert CITIZEN_A_ID not in body
    assert "13800138000" not in body
    assert "no-store" in response["Cache-Control"]


def test_an_enterprise_authorizes_an_agent_and_sees_it(client, enterprise, agent):
    with time_machine.travel(WHEN, tick=False):
        ref = authorize_agent(enterprise_id=enterprise.pk, agent_id=agent.pk)
    assert ref == AgentRef(
        enterprise_id=enterprise.pk,
        enterprise_name="云州市锦江区示例科技有限公司",
        agent_id=agent.pk,
        agent_name="王五",
        authorized_at=WHEN,
    )
    client.force_login(enterprise)
    body = client.get("/account/").content.decode()
    assert "<dd>91990100MA5D123409</dd>" in body
    assert '<tr><th scope="row">王五</th><td data-label="授权日期">2026年11月23日</td></tr>' in body
    assert account_summary(agent.pk).represented_enterprises == (ref,)


def test_an_enterprise_without_agents_is_told_so(client, enterprise):
    client.force_login(enterprise)
    assert "贵单位还没有授权代理人。" in client.get("/account/").content.decode()


def test_authorizing_the_same_agent_twice_is_a_conflict(enterprise, agent):
    authorize_agent(enterprise_id=enterprise.pk, agent_id=agent.pk)
    with pytest.raises(AgentConflictError) as refused:
        authorize_agent(enterprise_id=enterprise.pk, agent_id=agent.pk)
    assert (refused.value.status, refused.value.message) == (409, "该人员已是本单位的代理人")
    assert EnterpriseAgent.objects.count() == 1


def test_a_revoked_agent_is_gone_from_the_list_and_can_be_authorized_again(enterprise, agent):
    authorize_agent(enterprise_id=enterprise.pk, agent_id=agent.pk)
    revoke_agent(enterprise_id=enterprise.pk, agent_id=agent.pk)
    assert account_summary(enterprise.pk).agents == ()
    assert EnterpriseAgent.objects.get().revoked_at is not None
    authorize_agent(enterprise_id=enterprise.pk, agent_id=agent.pk)
    assert [a.agent_id for a in account_summary(enterprise.pk).agents] == [agent.pk]
    assert EnterpriseAgent.objects.count() == 2


def test_revoking_an_agent_without_authorization_is_refused(enterprise, agent):
    with pytest.raises(AgentError) as refused:
        revoke_agent(enterprise_id=enterprise.pk, agent_id=agent.pk)
    assert refused.value.message == "该人员不是本单位的代理人"


def test_only_an_enterprise_authorizes_and_only_a_citizen_is_an_agent(enterprise, agent):
    with pytest.raises(AgentError) as by_citizen:
        authorize_agent(enterprise_id=agent.pk, agent_id=agent.pk)
    assert by_citizen.value.message == "只有法人账户可以授权代理人"
    other = EnterpriseFactory(username="13600136000", uscc="")
    with pytest.raises(AgentError) as to_enterprise:
        authorize_agent(enterprise_id=enterprise.pk, agent_id=other.pk)
    assert to_enterprise.value.message == "代理人须为已注册的个人账户"
    assert EnterpriseAgent.objects.count() == 0


def test_T_M3_the_admin_shows_staff_the_masked_id_only(client, admin_user):
    login_staff(client, admin_user)
    citizen = CitizenFactory(username="13800138000", resident_id=CITIZEN_A_ID)
    body = client.get(f"/admin/accounts/user/{citizen.pk}/change/").content.decode()
    assert "1101**********4514" in body
    assert CITIZEN_A_ID not in body
    assert citizen.resident_id_hmac not in body
