"""The demo city's 通知公告 and 通讯录: the general office (市政府办公室) marked, its and the market
bureau's 文书人员 made notice publishers, a few city-wide and department notices (some asking for a
receipt, some already read or confirmed), and directory lines (positions, office phones, a few people
showing their mobile) for the demo staff. Idempotent: every notice has a fixed key, and is published,
opened or confirmed only once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tongban.accounts.selectors import user_id_by_username
from tongban.notices import selectors as notice_selectors
from tongban.notices import services as notice_services
from tongban.notices.models import NoticeStatus
from tongban.notices.roles import NOTICE_PUBLISHER
from tongban.notices.types import NoticeDraft
from tongban.organizations import services as org_services
from tongban.organizations.selectors import department_by_name

OFFICE = "云州市人民政府办公室"
MARKET = "云州市市场监督管理局"
PUBLISHERS = (("office_doc_clerk", OFFICE), ("market_doc_clerk", MARKET))


@dataclass(frozen=True)
class DemoNotice:
    key: str
    publisher: str
    department: str
    title: str
    body: str
    citywide: bool = False
    receipt: bool = False
    pinned: bool = False
    expires_in_days: int | None = None
    opened_by: tuple[str, ...] = ()
    confirmed_by: tuple[str, ...] = ()


NOTICES = (
    DemoNotice(
        "demo-notice-holiday",
        "office_doc_clerk",
        OFFICE,
        "关于2027年元旦放假安排及节日期间值班工作的通知",
        "市政府各部门，各区人民政府：\n\n根据国务院办公厅通知，2027年元旦放假1天。请各单位安排好节日期间值班，"
        "值班表于12月28日前报市政府办公室。\n\n节日期间如遇重大突发事件，请按规定及时报告。",
        citywide=True,
        receipt=True,
        pinned=True,
        expires_in_days=30,
        confirmed_by=("market_clerk", "market_doc_signer", "office_signer"),
    ),
    DemoNotice(
        "demo-notice-ratings",
        "office_doc_clerk",
        OFFICE,
        "关于开展政务服务“好差评”专项检查的通知",
        "各有关单位：\n\n市政府办公室将于下月对各部门政务服务“好差评”工作开展专项检查，重点检查差评整改和回访情况。"
        "\n\n请各单位做好自查，检查安排另行通知。",
        citywide=True,
        opened_by=("market_clerk",),
    ),
    DemoNotice(
        "demo-notice-food-safety",
        "market_doc_clerk",
        MARKET,
        "关于做好节前食品安全监督抽检工作的通知",
        "局属各科室：\n\n为保障节日期间食品安全，请于12月25日前完成辖区重点食品生产经营单位的监督抽检，"
        "抽检结果报局办公室。",
        receipt=True,
        confirmed_by=("market_reviewer",),
    ),
    DemoNotice(
        "demo-notice-training",
        "market_doc_clerk",
        MARKET,
        "关于参加企业开办“一件事”业务培训的通知",
        "局属各科室：\n\n定于下周三下午在本局三楼会议室举办企业开办“一件事”业务培训，请受理、审核人员参加。",
        opened_by=("market_clerk", "market_approver"),
    ),
)

# (username, 职务, 办公电话, 手机, shown in the directory, order)
DIRECTORY = (
    ("office_signer", "市政府秘书长", "0999-83000001", "", False, 10),
    ("office_head", "秘书科科长", "0999-83000011", "13900000011", False, 20),
    ("office_doc_clerk", "秘书科科员", "0999-83000012", "13900000012", True, 30),
    ("office_reviewer", "秘书科副科长", "0999-83000013", "", False, 25),
    ("market_doc_signer", "副局长", "0999-83120001", "13900000101", False, 10),
    ("market_admin", "办公室主任", "0999-83120002", "13900000102", True, 20),
    ("market_clerk", "行政审批科科员", "0999-83120011", "13900000111", True, 40),
    ("market_reviewer", "行政审批科副科长", "0999-83120012", "", False, 30),
    ("market_doc_clerk", "办公室科员", "0999-83120003", "13900000103", False, 40),
    ("city_admin", "信息中心主任", "0999-83200001", "13900000201", True, 20),
)


def _uid(username: str) -> int | None:
    found = user_id_by_username(username)
    return int(found) if found is not None else None


def load_notices() -> None:
    office = department_by_name(OFFICE)
    if office is None:
        return
    org_services.set_general_office(office.id)
    for username, department_name in PUBLISHERS:
        user_id, department = _uid(username), department_by_name(department_name)
        if user_id is not None and department is not None:
            org_services.assign_role(user_id=user_id, department_id=department.id, role=NOTICE_PUBLISHER)
    for username, position, office_phone, mobile, shown, order in DIRECTORY:
        user_id = _uid(username)
        if user_id is None:
            continue
        org_services.update_my_directory_entry(
            user_id=user_id, position=position, office_phone=office_phone, mobile=mobile, shows_mobile=shown
        )
        org_services.set_directory_order(user_id=user_id, sort_order=order)
    for notice in NOTICES:
        _load(notice)


def _load(demo: DemoNotice) -> None:
    publisher, department = _uid(demo.publisher), department_by_name(demo.department)
    if publisher is None or department is None:
        return
    notice_id = notice_services.create_notice(
        actor_id=publisher,
        draft=NoticeDraft(
            title=demo.title,
            body=demo.body,
            department_id=department.id,
            is_citywide=demo.citywide,
            audience_ids=() if demo.citywide else (department.id,),
            is_pinned=demo.pinned,
            requires_receipt=demo.receipt,
            expires_on=timezone.localdate() + dt.timedelta(days=demo.expires_in_days)
            if demo.expires_in_days
            else None,
        ),
        idempotency_key=demo.key,
    )
    scope = notice_selectors.publisher_scope(publisher)
    found = notice_selectors.get_notice_for_publisher(scope, notice_id) if scope else None
    if found is None or found.status != NoticeStatus.DRAFT:
        return  # published on an earlier load
    notice_services.publish_notice(actor_id=publisher, notice_id=notice_id)
    for username in demo.opened_by:
        if (reader := _uid(username)) is not None:
            notice_services.open_notice(reader_id=reader, notice_id=notice_id)
    for username in demo.confirmed_by:
        if (reader := _uid(username)) is not None:
            notice_services.acknowledge_notice(reader_id=reader, notice_id=notice_id)
