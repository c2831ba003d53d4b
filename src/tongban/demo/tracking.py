"""The demo city's 督办事项 (issue 16), one or more in every state, opened by the 市政府办公室's 督查室
(``office_tracking``): a 工作计划 item just opened, one waiting for the 市市场监管局 to sign, one from
沈涛's 批示 on the 收文 云州府发〔2026〕12号 with an on-time and a late 阶段反馈, one overdue with an
extension waiting, one waiting for review, one closed and one evaluated. Idempotent:
an item already there (by title) is left alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tongban.accounts.selectors import user_id_by_username
from tongban.documents.incoming_selectors import received_list
from tongban.organizations.selectors import department_by_name
from tongban.tracking import selectors, services, sources

OFFICE = "云州市人民政府办公室"
MARKET = "云州市市场监督管理局"
TAX = "国家税务总局云州市税务局"
INSTRUCTED_NUMBER = "云州府发〔2026〕12号"


@dataclass(frozen=True)
class DemoItem:
    title: str
    requirement: str
    lead: str
    reach: str  # opened, assigned, in_progress, overdue, closing, closed, evaluated
    days_ago: int  # when it was opened and assigned
    deadline_days: int
    cycle: str = "weekly"
    level: str = "ordinary"


ITEMS = (
    DemoItem(
        "推进政务服务“一网通办”2027年度任务",
        "按年度计划推进高频事项全程网办，每月报送进度。",
        TAX,
        "opened",
        0,
        60,
        cycle="monthly",
        level="key",
    ),
    DemoItem(
        "做好岁末年初市场保供稳价工作",
        "加强重要民生商品价格监测，每周报送保供稳价情况。",
        MARKET,
        "assigned",
        2,
        20,
    ),
    DemoItem(
        "农贸市场改造提升",
        "年内完成三个农贸市场改造，按周反馈进度。",
        MARKET,
        "overdue",
        30,
        15,
        level="key",
    ),
    DemoItem(
        "开展2026年度食品安全检查",
        "按通知要求完成辖区食品生产经营单位检查，报送检查报告。",
        MARKET,
        "closing",
        12,
        10,
        cycle="once",
    ),
    DemoItem(
        "落实小微企业税费优惠政策",
        "确保政策应享尽享，一次性反馈落实情况。",
        TAX,
        "closed",
        25,
        15,
        cycle="once",
    ),
    DemoItem(
        "消费品以旧换新专项检查",
        "联合商务部门开展专项检查，按周反馈。",
        MARKET,
        "evaluated",
        40,
        20,
    ),
)


def _ago(days: int, hour: int = 10) -> dt.datetime:
    return (timezone.now() - dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _instructed_source(signer_id: int, clerk_id: int) -> sources.Source | None:
    """The 收文 云州府发〔2026〕12号 with 沈涛's 批示, as the leader sees it."""
    for received in received_list(clerk_id, "handling"):
        if received.document_number == INSTRUCTED_NUMBER:
            return sources.resolve(signer_id, f"{sources.RECEIVED_DOCUMENT}:{received.pk}")
    return None


def load_tracking() -> int:
    """Create the demo 督办事项 not there yet and take each to its state; returns how many were
    created. Needs the demo accounts (office_tracking, market_doc_clerk …); without them, nothing."""
    users = {
        name: user_id_by_username(name)
        for name in (
            "office_tracking",
            "office_signer",
            "market_doc_clerk",
            "market_doc_signer",
            "tax_doc_clerk",
        )
    }
    office, market, tax = (department_by_name(n) for n in (OFFICE, MARKET, TAX))
    if None in users.values() or office is None or market is None or tax is None:
        return 0
    officer, leader, market_clerk, market_signer, tax_clerk = (int(users[k] or 0) for k in users)
    clerks = {market.id: market_clerk, tax.id: tax_clerk}
    departments = {MARKET: market.id, TAX: tax.id}
    created = 0
    for item in ITEMS:
        if selectors.item_id_titled(item.title) is not None:
            continue
        lead = departments[item.lead]
        created += 1
        _load_item(item, officer=officer, leader=leader, office_id=office.id, lead=lead, clerk=clerks[lead])
    source = _instructed_source(market_signer, market_clerk)
    if source is not None and selectors.item_id_titled(source.title) is None:
        created += 1
        _load_instructed(source, officer=officer, office_id=office.id, clerks=clerks)
    return created


def _load_item(item: DemoItem, *, officer: int, leader: int, office_id: int, lead: int, clerk: int) -> None:
    start = _ago(item.days_ago)
    item_id = services.open_item(
        user_id=officer,
        office_department_id=office_id,
        fields=services.ItemFields(
            title=item.title,
            requirement=item.requirement,
            lead_department_id=lead,
            assisting_department_ids=(),
            level=item.level,
            deadline_days=item.deadline_days,
            cycle=item.cycle,
            leader_id=leader,
        ),
        now=start,
    )
    if item.reach == "opened":
        return
    services.assign_item(item_id=item_id, user_id=officer, now=start)
    if item.reach == "assigned":
        return
    services.sign_item(item_id=item_id, user_id=clerk, now=start + dt.timedelta(hours=2))
    if item.reach == "overdue":
        services.add_feedback(item_id=item_id, user_id=clerk, text="已完成一个市场的改造设计。", now=_ago(24))
        services.request_extension(
            item_id=item_id, user_id=clerk, days=10, reason="施工期间遇连续降雨，工期顺延。", now=_ago(1)
        )
        return
    services.request_closing(
        item_id=item_id, user_id=clerk, result="已按要求办理完毕，报告见附件。", now=_ago(item.days_ago - 8)
    )
    if item.reach == "closing":
        return
    services.review_closing(
        item_id=item_id, user_id=officer, approve=True, note="", now=_ago(item.days_ago - 9)
    )
    if item.reach == "evaluated":
        services.evaluate(
            item_id=item_id, user_id=officer, evaluation="excellent", note="", now=_ago(item.days_ago - 10)
        )


def _load_instructed(source: sources.Source, *, officer: int, office_id: int, clerks: dict[int, int]) -> None:
    """The 批示's item: signed 25 days ago; the first weekly feedback in time, the second late (it
    answers the one due about 11 days ago)."""
    start = _ago(25)
    item_id = services.open_item(
        user_id=officer,
        office_department_id=office_id,
        fields=services.ItemFields(
            title=source.title,
            requirement=source.requirement,
            lead_department_id=source.lead_department_id,
            assisting_department_ids=source.assisting_department_ids,
            level="leader",
            deadline_days=30,
            cycle="weekly",
            leader_id=source.leader_id,
        ),
        source=source,
        now=start,
    )
    services.assign_item(item_id=item_id, user_id=officer, now=start)
    clerk = clerks[source.lead_department_id or 0]
    services.sign_item(item_id=item_id, user_id=clerk, now=start)
    services.add_feedback(item_id=item_id, user_id=clerk, text="已制定任务分工方案。", now=_ago(20))
    services.add_feedback(item_id=item_id, user_id=clerk, text="各项措施已启动实施。", now=_ago(1))
