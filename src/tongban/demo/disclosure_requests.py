"""The demo city's 依申请公开 (issue 17): requests to the 市市场监管局 from the demo citizen (13800000001
张三) and enterprise (13800000002) in every state — just received, in handling, waiting for 补正, in
third-party consultation, extended, waiting for sign-off, overdue, and answered as 已公开, 部分公开 (with
a redacted file), 不予公开 and 非本机关掌握 — and draft 2026 annual reports of the department and of the
government. Idempotent: each request has a fixed idempotency key; one already there is left alone."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone

from tongban.accounts.selectors import user_id_by_username
from tongban.disclosure_requests import redaction, rules, services
from tongban.disclosure_requests.models import DisclosureRequest, Pause
from tongban.organizations.selectors import department_by_name, general_office_id

MARKET = "云州市市场监督管理局"
CITIZEN = "13800000001"
ENTERPRISE = "13800000002"
HANDLER = "market_request_handler"
APPROVER = "market_request_approver"
OFFICE_APPROVER = "office_request_approver"
NAMESPACE = uuid.UUID("6f1d7d3e-4b8a-4e0c-9d3f-2a1b0c9e8d71")


@dataclass(frozen=True)
class DemoRequest:
    key: str
    applicant: str
    description: str
    reach: str  # submitted, handling, correction, consultation, extended, review, overdue, answered
    days_ago: int  # calendar days since receipt
    answer: services.Answer | None = None
    applicant_type: str = "commercial"


REQUESTS = (
    DemoRequest("received", CITIZEN, "2026年第四季度本市农贸市场食品安全抽检结果", "submitted", 0),
    DemoRequest("handling", CITIZEN, "锦江区东湖街道2026年餐饮服务单位量化分级名单", "handling", 5),
    DemoRequest("correction", CITIZEN, "关于某小区周边市场的处罚信息", "correction", 8),
    DemoRequest(
        "consultation",
        ENTERPRISE,
        "2026年本市特种设备检验机构考核结果",
        "consultation",
        10,
        applicant_type="research",
    ),
    DemoRequest("extended", ENTERPRISE, "2021年至2026年全市计量器具强制检定统计数据", "extended", 26),
    DemoRequest(
        "review",
        CITIZEN,
        "云州市2026年“双随机、一公开”抽查计划",
        "review",
        12,
        answer=services.Answer("already_public", url="/disclosure/"),
    ),
    DemoRequest("overdue", CITIZEN, "2025年度全市价格监督检查举报处理情况", "overdue", 40),
    DemoRequest(
        "public",
        CITIZEN,
        "云州市市场监督管理局2026年部门预算",
        "answered",
        20,
        answer=services.Answer("already_public", url="/disclosure/"),
    ),
    DemoRequest(
        "partial",
        CITIZEN,
        "2026年9月全市食品抽检不合格产品处置情况",
        "answered",
        18,
        answer=services.Answer(
            "partial", refusal_ground="third_party", text="涉及个人信息的内容已作遮蔽处理。"
        ),
    ),
    DemoRequest(
        "refused",
        ENTERPRISE,
        "某企业申请专利的技术资料",
        "answered",
        15,
        answer=services.Answer(
            "refused", refusal_ground="third_party", text="该信息属于第三方商业秘密，第三方不同意公开。"
        ),
        applicant_type="legal_service",
    ),
    DemoRequest(
        "not_held",
        CITIZEN,
        "2026年全市居民人均可支配收入统计数据",
        "answered",
        9,
        answer=services.Answer("not_held", holder_name="云州市统计局", holder_contact="0999-83000123"),
    ),
)

SAMPLE = [
    "2026年9月食品抽检不合格产品处置情况",
    "一、抽检批次：共抽检1260批次，不合格12批次。",
    "二、处置情况：已责令下架并立案调查。",
    "当事人：王某某，身份证号码110101199003074477，联系电话13912345678。",
]


def _backdate(request_id: int, days_ago: int) -> None:
    """Move a demo request's receipt into the past (demo data only), its due date counted from there."""
    if not days_ago:
        return
    request = DisclosureRequest.objects.get(pk=request_id)
    received = timezone.localdate() - dt.timedelta(days=days_ago)
    DisclosureRequest.objects.filter(pk=request_id).update(
        received_on=received,
        due_on=rules.due_date(received, extended=request.extended, paused_days=request.paused_days),
    )


def _one(item: DemoRequest, *, department_id: int, handler: int, approver: int) -> bool:
    key = uuid.uuid5(NAMESPACE, item.key)
    applicant = user_id_by_username(item.applicant)
    if applicant is None or DisclosureRequest.objects.filter(idempotency_key=key).exists():
        return False
    request_id = services.submit_request(
        user_id=applicant,
        application=services.Application(
            department_id=department_id,
            description=item.description,
            purpose="用于学习研究" if item.applicant == CITIZEN else "",
            delivery="online",
            format="electronic",
            applicant_type=item.applicant_type if item.applicant == ENTERPRISE else "",
        ),
        idempotency_key=key,
    )
    if item.reach != "submitted":
        services.accept(request_id=request_id, user_id=handler)
    if item.reach == "correction":
        services.start_pause(
            request_id=request_id, user_id=handler, kind="correction", reason="请说明具体小区名称和时间范围。"
        )
        Pause.objects.filter(request_id=request_id).update(
            started_on=timezone.localdate() - dt.timedelta(days=2)
        )
    elif item.reach == "consultation":
        services.start_pause(
            request_id=request_id,
            user_id=handler,
            kind="consultation",
            reason="涉及检验机构的商业信息，书面征求其意见。",
        )
    elif item.reach == "extended":
        services.request_extension(
            request_id=request_id, user_id=handler, reason="数据跨越六个年度，需要从档案中检索汇总"
        )
        services.decide_extension(request_id=request_id, user_id=approver, approve=True)
    elif item.answer is not None:
        if item.answer.answer_type in ("granted", "partial"):
            file_id = services.add_file(
                request_id=request_id,
                user_id=handler,
                name="不合格产品处置情况.pdf",
                data=redaction.text_pdf("\n".join(SAMPLE), title="不合格产品处置情况"),
                terms="王某某",
            )
            services.confirm_file(request_id=request_id, file_id=file_id, user_id=handler)
        services.draft_answer(request_id=request_id, user_id=handler, answer=item.answer)
        if item.reach == "answered":
            services.sign_answer(request_id=request_id, user_id=approver)
    _backdate(request_id, item.days_ago)
    return True


def load_disclosure_requests() -> int:
    """The demo requests and the draft 2026 annual reports; returns how many requests were made."""
    market = department_by_name(MARKET)
    handler = user_id_by_username(HANDLER)
    approver = user_id_by_username(APPROVER)
    if market is None or handler is None or approver is None:
        return 0
    made = sum(_one(item, department_id=market.id, handler=handler, approver=approver) for item in REQUESTS)
    services.ensure_report(user_id=approver, year=2026, department_id=market.id)
    office_approver = user_id_by_username(OFFICE_APPROVER)
    if office_approver is not None and general_office_id() is not None:
        services.ensure_report(user_id=office_approver, year=2026, department_id=None)
    return made
