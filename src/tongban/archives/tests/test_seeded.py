"""Migration 0002: the 档案管理员 role and the default 归档范围与保管期限表."""

import pytest

from tongban.archives.roles import SEEDED
from tongban.archives.selectors import retention_for
from tongban.organizations.selectors import role_choices

pytestmark = pytest.mark.django_db


def test_the_archivist_is_a_builtin_role_after_migrating():
    choices = dict(role_choices())
    for code, name, _description in SEEDED:
        assert choices[code] == name


def test_the_default_schedule_keeps_decisions_forever_notices_thirty_years_and_forwarding_ten():
    assert retention_for(kind="决定", source="outgoing", title="关于表彰的决定") == "Y"
    assert retention_for(kind="请示", source="outgoing", title="关于申请资金的请示") == "Y"
    assert retention_for(kind="通知", source="outgoing", title="关于做好防汛工作的通知") == "D30"
    assert retention_for(kind="纪要", source="outgoing", title="常务会议纪要") == "D30"
    assert retention_for(kind="通知", source="outgoing", title="关于转发省政府文件的通知") == "D10"
    assert retention_for(kind="", source="incoming", title="来文") == "D10"
