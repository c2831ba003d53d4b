"""Data-quality rules of a service item (shared/STANDARDS.md §1). Pure functions, no ORM.

Each rule has a name shown to staff, so a refusal says which rule was broken. Facts that are not
known at the time of a check (``None``) skip the rules that need them: the admin form checks a
version's own fields before its lists are saved, and publishing checks everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

FULLY_ONLINE_DEPTH = 4
LICENSE_STEP_GROUPS: tuple[tuple[str, ...], ...] = (
    ("受理",),
    ("审核", "审查"),
    ("审批", "决定"),
    ("办结",),
    ("送达",),
)


@dataclass(frozen=True)
class ItemFacts:
    kind: str
    promised_limit: int
    promised_limit_unit: str
    statutory_limit: int | None
    statutory_limit_unit: str
    is_instant: bool
    online_depth: int
    site_visits: int
    site_visit_reason: str
    accepts_online: bool
    accepts_by_post: bool
    is_charged: bool
    fee_basis: str
    online_payment: bool
    consultation_phone: str
    complaint_phone: str
    result_type: str
    result_name: str
    has_result_sample: bool | None = None
    supports_appointment: bool = False
    appointment_daily_quota: int = 0
    # Lists: None when not known yet.
    fee_count: int | None = None
    faq_count: int | None = None
    step_names: tuple[str, ...] | None = None
    legal_basis_count: int | None = None


@dataclass(frozen=True)
class Violation:
    rule: str
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


def _violation(rule: str, field: str, explanation: str) -> Violation:
    return Violation(
        rule=rule, field=field, message=_("规则“%(rule)s”：%(why)s") % {"rule": rule, "why": explanation}
    )


def _normalize_phone(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def _instant(f: ItemFacts) -> list[Violation]:
    if f.promised_limit == 0 and not f.is_instant:
        return [
            _violation(
                _("承诺即办须为即办件"), "is_instant", _("承诺时限为即办（0天）的事项须标记为即办件。")
            )
        ]
    if f.is_instant and f.promised_limit != 0:
        return [_violation(_("承诺即办须为即办件"), "promised_limit", _("即办件的承诺时限须为0（即办）。"))]
    return []


def _promised_within_statutory(f: ItemFacts) -> list[Violation]:
    if (
        f.statutory_limit is not None
        and f.promised_limit_unit == f.statutory_limit_unit
        and f.promised_limit > f.statutory_limit
    ):
        return [
            _violation(
                _("承诺时限不超过法定时限"),
                "promised_limit",
                _("承诺办结时限（%(promised)s天）不能长于法定办结时限（%(statutory)s天）。")
                % {"promised": f.promised_limit, "statutory": f.statutory_limit},
            )
        ]
    return []


def _fully_online_no_visit(f: ItemFacts) -> list[Violation]:
    if f.online_depth == FULLY_ONLINE_DEPTH and f.site_visits != 0:
        return [
            _violation(
                _("全程网办事项零跑动"),
                "site_visits",
                _("网上办理深度为Ⅳ级（全程网办）的事项，到现场次数须为0。"),
            )
        ]
    if f.online_depth == FULLY_ONLINE_DEPTH and not f.accepts_online:
        return [
            _violation(_("全程网办事项零跑动"), "accepts_online", _("全程网办的事项须开通网上办理渠道。"))
        ]
    return []


def _visit_needs_reason(f: ItemFacts) -> list[Violation]:
    if f.site_visits > 0 and not f.site_visit_reason.strip():
        return [
            _violation(
                _("到现场须说明原因"), "site_visit_reason", _("到现场次数不为0时，请填写必须到现场的原因。")
            )
        ]
    return []


def _no_visit_needs_remote_channel(f: ItemFacts) -> list[Violation]:
    if f.site_visits == 0 and not f.accepts_online and not f.accepts_by_post:
        return [
            _violation(
                _("零跑动须有非现场渠道"),
                "accepts_by_post",
                _("到现场次数为0且不能网上办理的事项，须提供邮寄办理渠道。"),
            )
        ]
    return []


def _fees(f: ItemFacts) -> list[Violation]:
    found = []
    if f.is_charged and not f.fee_basis.strip():
        found.append(_violation(_("收费须有依据"), "fee_basis", _("收费的事项请填写收费依据。")))
    if f.is_charged and f.fee_count == 0:
        found.append(_violation(_("收费须有依据"), "fees", _("收费的事项请至少填写一个收费项目及其标准。")))
    if not f.is_charged and f.fee_count:
        found.append(_violation(_("不收费无收费项目"), "fees", _("不收费的事项不能填写收费项目。")))
    if not f.is_charged and f.online_payment:
        found.append(_violation(_("不收费无网上支付"), "online_payment", _("不收费的事项不能开通网上支付。")))
    return found


def _phones_differ(f: ItemFacts) -> list[Violation]:
    consultation = _normalize_phone(f.consultation_phone)
    if consultation and consultation == _normalize_phone(f.complaint_phone):
        return [_violation(_("咨询与投诉电话不同"), "complaint_phone", _("监督投诉电话须与咨询电话不同。"))]
    return []


def _license_has_faq_and_steps(f: ItemFacts) -> list[Violation]:
    if f.kind != "license":
        return []
    found = []
    if f.faq_count == 0:
        found.append(_violation(_("行政许可须有常见问题"), "faqs", _("行政许可事项请至少填写一条常见问题。")))
    if f.step_names is not None:
        missing = [
            group[0] for group in LICENSE_STEP_GROUPS if not any(name in f.step_names for name in group)
        ]
        if len(f.step_names) < len(LICENSE_STEP_GROUPS) or missing:
            found.append(
                _violation(
                    _("行政许可办理环节完整"),
                    "steps",
                    _("行政许可事项须至少包含受理、审核、审批、办结、送达五个环节，缺少：%(missing)s。")
                    % {"missing": "、".join(missing) or _("环节数量不足")},
                )
            )
    return found


def _result_needs_sample(f: ItemFacts) -> list[Violation]:
    if f.result_type == "none":
        return []
    found = []
    if not f.result_name.strip():
        found.append(_violation(_("办件结果须有样本"), "result_name", _("有办件结果的事项请填写结果名称。")))
    if f.has_result_sample is False:
        found.append(
            _violation(_("办件结果须有样本"), "result_sample", _("有办件结果的事项请上传结果样本。"))
        )
    return found


def _legal_basis(f: ItemFacts) -> list[Violation]:
    if f.legal_basis_count == 0:
        return [_violation(_("须有设定和实施依据"), "legal_bases", _("请至少填写一条设定和实施依据。"))]
    return []


def _appointment_quota(f: ItemFacts) -> list[Violation]:
    if f.supports_appointment and f.appointment_daily_quota == 0:
        return [
            _violation(
                _("预约须有名额"), "appointment_daily_quota", _("支持预约办理的事项请填写每日预约名额。")
            )
        ]
    return []


RULES: tuple[Callable[[ItemFacts], list[Violation]], ...] = (
    _instant,
    _promised_within_statutory,
    _fully_online_no_visit,
    _visit_needs_reason,
    _no_visit_needs_remote_channel,
    _fees,
    _phones_differ,
    _license_has_faq_and_steps,
    _result_needs_sample,
    _legal_basis,
    _appointment_quota,
)


def check_item(facts: ItemFacts) -> list[Violation]:
    """Every rule the facts break, in a stable order; an empty list means the item is consistent."""
    return [violation for rule in RULES for violation in rule(facts)]
