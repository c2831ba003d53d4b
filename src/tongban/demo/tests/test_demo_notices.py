"""The demo city's notices and directory lines, loaded twice without duplicates."""

import pytest
from django.test import override_settings

from tongban.accounts.selectors import user_id_by_username
from tongban.core.counting import count_one
from tongban.demo.loader import load_accounts, load_organizations
from tongban.demo.notices import load_notices
from tongban.notices import selectors as notice_selectors
from tongban.notices.models import Notice, NoticeReading
from tongban.organizations import directory

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_notices_and_directory_load_once():
    departments, _halls = load_organizations()
    load_accounts(departments)
    load_notices()
    load_notices()

    assert sorted(Notice.objects.values_list("title", "status", "is_citywide", "requires_receipt")) == sorted(
        [
            ("关于2027年元旦放假安排及节日期间值班工作的通知", "published", True, True),
            ("关于开展政务服务“好差评”专项检查的通知", "published", True, False),
            ("关于做好节前食品安全监督抽检工作的通知", "published", False, True),
            ("关于参加企业开办“一件事”业务培训的通知", "published", False, False),
        ]
    )
    assert NoticeReading.objects.filter(acknowledged_at__isnull=False).count() == 4
    market_clerk = int(user_id_by_username("market_clerk"))
    assert count_one(notice_selectors.unacknowledged_rows(market_clerk)) == 1  # the bureau's 抽检 notice
    shown = {p.name: p.mobile for p in directory.search_directory("市场监督管理局")}
    assert shown["赵敏"] == "13900000111"  # market_clerk shows their mobile
    assert shown["沈涛"] == ""  # market_doc_signer does not
