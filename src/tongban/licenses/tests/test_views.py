"""Pages: 我的证照 and 加注件 (holders), the public verification page, the department list and revocation."""

import datetime as dt

import pytest
import time_machine
from conftest import PASSWORD, make_staff
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tongban.accounts.tests.helpers import login_staff, summary_errors
from tongban.licenses.models import License, LicenseEvent, LicenseShare
from tongban.licenses.tests.factories import enterprise


@pytest.fixture(autouse=True)
def _fresh_quotas():
    cache.clear()


@pytest.fixture
def holder_client(client, holder):
    client.login(username=holder.username, password=PASSWORD)
    return client


@pytest.fixture
def approver_client(client, department):
    login_staff(client, make_staff("market_approver", department, role="approver"))
    return client


def test_my_licenses_lists_the_license_and_downloads_the_pdf(holder_client, issued):
    page = holder_client.get(reverse("licenses:mine"))
    download = holder_client.get(reverse("licenses:holder_download", args=[issued.pk]))

    assert page.status_code == 200
    assert "营业执照" in page.content.decode()
    assert issued.number in page.content.decode()
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content == bytes(issued.pdf)


def test_the_account_page_links_to_my_licenses(holder_client):
    page = holder_client.get(reverse("accounts:account"))

    assert reverse("licenses:mine") in page.content.decode()


def test_T_B1_another_holder_cannot_see_or_download_the_license(client, issued):
    other = enterprise(username="13800000003", name="云州市别家有限公司")
    client.login(username=other.username, password=PASSWORD)

    assert client.get(reverse("licenses:holder_download", args=[issued.pk])).status_code == 404
    assert client.get(reverse("licenses:holder_detail", args=[issued.pk])).status_code == 404
    assert issued.number not in client.get(reverse("licenses:mine")).content.decode()
    response = client.post(
        reverse("licenses:holder_detail", args=[issued.pk]), {"purpose": "开户", "days": "3"}
    )
    assert response.status_code == 404
    assert not LicenseShare.objects.exists()


def test_T_F3_the_verify_page_shows_revocation_at_once_and_is_never_cached(client, issued, department):
    url = reverse("licenses:verify", args=[issued.verification_token])
    before = client.get(url)
    approver = make_staff("market_approver", department, role="approver")
    login_staff(client, approver)
    client.post(reverse("licenses:staff_detail", args=[issued.pk]), {"reason": "营业执照被吊销"})
    client.logout()

    after = client.get(url)

    assert "有效" in before.content.decode()
    today = timezone.localdate()
    assert f"该证照已于{today.year}年{today.month}月{today.day}日注销" in after.content.decode()
    assert "已注销" in after.content.decode()
    assert after["Cache-Control"] == "no-store"


def test_T_F1_an_unknown_verification_token_is_not_found(client, db):
    response = client.get(reverse("licenses:verify", args=["no-such-token"]))

    assert response.status_code == 404
    assert "未找到该证照" in response.content.decode()


def test_T_F1_a_stored_license_edited_in_the_database_fails_on_the_verify_page(client, issued):
    License.objects.filter(pk=issued.pk).update(
        signed_payload=issued.signed_payload.replace("云州市青禾餐饮管理有限公司", "云州市冒名有限公司")
    )

    response = client.get(reverse("licenses:verify", args=[issued.verification_token]))

    assert "验证失败：签名无效" in response.content.decode()
    assert "云州市冒名有限公司" not in response.content.decode()


def test_T_F4_the_verify_page_masks_a_person(client, personal_license):
    page = client.get(reverse("licenses:verify", args=[personal_license.verification_token])).content.decode()

    assert "1101**********4514" in page
    assert "110101199003074514" not in page
    assert "张*" in page
    assert "张三" not in page
    assert len(personal_license.verification_token) >= 32


def test_T_F4_guessing_tokens_is_limited_per_address(client, issued):
    for attempt in range(60):
        assert client.get(reverse("licenses:verify", args=[f"guess-{attempt}"])).status_code == 404

    response = client.get(reverse("licenses:verify", args=[issued.verification_token]))

    assert response.status_code == 429
    assert issued.number not in response.content.decode()


def test_a_share_link_shows_the_chosen_fields_for_its_purpose_until_it_expires(holder_client, client, issued):
    response = holder_client.post(
        reverse("licenses:holder_detail", args=[issued.pk]),
        {"purpose": "办理银行开户", "days": "3", "fields": ["legal_representative", "address"]},
    )
    share = LicenseShare.objects.get()
    url = reverse("licenses:shared", args=[share.token])
    holder_client.logout()

    page = client.get(url).content.decode()
    assert response.status_code == 302
    assert share.fields == ["legal_representative", "address"]
    assert "本加注件仅用于：办理银行开户" in page
    assert "云州市锦江区滨江路18号" in page
    assert "餐饮管理；餐饮服务；食品销售" not in page  # 经营范围 was not chosen

    with time_machine.travel(share.expires_at + dt.timedelta(seconds=1), tick=False):
        expired = client.get(url)

    assert expired.status_code == 404
    assert "该加注件链接不存在或已失效" in expired.content.decode()
    assert "云州市锦江区滨江路18号" not in expired.content.decode()


def test_a_share_without_purpose_or_with_too_many_days_shows_the_errors(holder_client, issued):
    response = holder_client.post(
        reverse("licenses:holder_detail", args=[issued.pk]), {"purpose": "", "days": "31"}
    )

    assert response.status_code == 400
    assert summary_errors(response) == ["请输入用途", "有效天数须为1到30天"]
    assert not LicenseShare.objects.exists()


def test_staff_list_shows_the_department_licenses(approver_client, issued):
    response = approver_client.get(reverse("licenses:staff_list"))

    assert response.status_code == 200
    assert issued.number in response.content.decode()


def test_revocation_is_audited_with_who_when_and_why(approver_client, issued):
    response = approver_client.post(
        reverse("licenses:staff_detail", args=[issued.pk]), {"reason": "营业执照被吊销"}
    )

    issued.refresh_from_db()
    event = LicenseEvent.objects.get(action="revoked")
    assert response.status_code == 302
    assert issued.status == "revoked"
    assert issued.revoked_reason == "营业执照被吊销"
    assert (event.from_status, event.to_status, event.reason) == ("valid", "revoked", "营业执照被吊销")
    assert event.actor.username == "market_approver"


def test_revocation_without_reason_shows_the_error_and_changes_nothing(approver_client, issued):
    response = approver_client.post(reverse("licenses:staff_detail", args=[issued.pk]), {"reason": "  "})

    issued.refresh_from_db()
    assert response.status_code == 400
    assert summary_errors(response) == ["请输入注销原因"]
    assert issued.revoked_at is None
    assert not LicenseEvent.objects.filter(action="revoked").exists()


def test_a_clerk_sees_the_license_but_cannot_revoke_it(client, issued, department):
    login_staff(client, make_staff("market_clerk", department, role="clerk"))

    page = client.get(reverse("licenses:staff_detail", args=[issued.pk]))
    response = client.post(reverse("licenses:staff_detail", args=[issued.pk]), {"reason": "试试"})

    issued.refresh_from_db()
    assert page.status_code == 200
    assert "注销证照</button>" not in page.content.decode()
    assert response.status_code == 404
    assert issued.revoked_at is None


def test_T_B3_staff_of_another_department_get_404(client, issued, other_department):
    login_staff(client, make_staff("civil_approver", other_department, role="approver"))

    detail = client.get(reverse("licenses:staff_detail", args=[issued.pk]))
    revoke = client.post(reverse("licenses:staff_detail", args=[issued.pk]), {"reason": "越权注销"})
    listing = client.get(reverse("licenses:staff_list"))

    issued.refresh_from_db()
    assert detail.status_code == 404
    assert revoke.status_code == 404
    assert issued.number not in listing.content.decode()
    assert issued.revoked_at is None


def test_T_B4_a_citizen_cannot_reach_the_staff_pages(holder_client, issued):
    assert holder_client.get(reverse("licenses:staff_list")).status_code == 404
    assert (
        holder_client.post(reverse("licenses:staff_detail", args=[issued.pk]), {"reason": "x"}).status_code
        == 404
    )


def test_a_share_link_is_given_with_the_host_the_platform_is_served_on(holder_client, issued):
    holder_client.post(
        reverse("licenses:holder_detail", args=[issued.pk]),
        {"purpose": "办理银行开户", "days": "3", "fields": ["address"]},
    )
    token = LicenseShare.objects.get().token
    page = holder_client.get(
        reverse("licenses:holder_detail", args=[issued.pk]), HTTP_HOST="localhost:8123"
    ).content.decode()
    assert f'<code class="share-link">http://localhost:8123/licenses/shared/{token}/</code>' in page
