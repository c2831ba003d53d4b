"""Each data-quality rule of STANDARDS.md §1: one consistent case, one broken case naming the rule."""

import dataclasses

import pytest

from tongban.catalog.rules import ItemFacts, check_item

GOOD = ItemFacts(
    kind="license",
    promised_limit=3,
    promised_limit_unit="working_day",
    statutory_limit=15,
    statutory_limit_unit="working_day",
    is_instant=False,
    online_depth=4,
    site_visits=0,
    site_visit_reason="",
    accepts_online=True,
    accepts_by_post=False,
    is_charged=False,
    fee_basis="",
    online_payment=False,
    consultation_phone="0999-86190000",
    complaint_phone="0999-12345",
    result_type="license",
    result_name="营业执照",
    has_result_sample=True,
    fee_count=0,
    faq_count=1,
    step_names=("受理", "审核", "审批", "办结", "送达"),
    legal_basis_count=1,
)


def broken(**changes):
    return check_item(dataclasses.replace(GOOD, **changes))


def test_consistent_item_passes_every_rule():
    assert check_item(GOOD) == []


@pytest.mark.parametrize(
    ("changes", "rule", "field"),
    [
        ({"promised_limit": 0}, "承诺即办须为即办件", "is_instant"),
        ({"is_instant": True}, "承诺即办须为即办件", "promised_limit"),
        ({"promised_limit": 20}, "承诺时限不超过法定时限", "promised_limit"),
        ({"site_visits": 1, "site_visit_reason": "核验原件"}, "全程网办事项零跑动", "site_visits"),
        (
            {"online_depth": 4, "accepts_online": False, "accepts_by_post": True},
            "全程网办事项零跑动",
            "accepts_online",
        ),
        ({"online_depth": 3, "site_visits": 1}, "到现场须说明原因", "site_visit_reason"),
        ({"online_depth": 2, "accepts_online": False}, "零跑动须有非现场渠道", "accepts_by_post"),
        ({"is_charged": True, "fee_basis": "", "fee_count": 1}, "收费须有依据", "fee_basis"),
        ({"is_charged": True, "fee_basis": "依据", "fee_count": 0}, "收费须有依据", "fees"),
        ({"fee_count": 1}, "不收费无收费项目", "fees"),
        ({"online_payment": True}, "不收费无网上支付", "online_payment"),
        ({"complaint_phone": "0999 8619 0000"}, "咨询与投诉电话不同", "complaint_phone"),
        ({"faq_count": 0}, "行政许可须有常见问题", "faqs"),
        ({"step_names": ("受理", "审核", "审批", "办结")}, "行政许可办理环节完整", "steps"),
        ({"has_result_sample": False}, "办件结果须有样本", "result_sample"),
        ({"result_name": " "}, "办件结果须有样本", "result_name"),
        ({"legal_basis_count": 0}, "须有设定和实施依据", "legal_bases"),
        ({"supports_appointment": True}, "预约须有名额", "appointment_daily_quota"),
    ],
)
def test_broken_rule_is_reported_with_its_name(changes, rule, field):
    violations = broken(**changes)
    assert [(v.rule, v.field) for v in violations] == [(rule, field)]
    assert violations[0].message.startswith(f"规则“{rule}”：")


def test_fully_online_item_requiring_a_site_visit_names_the_rule_in_chinese():
    [violation] = broken(site_visits=1, site_visit_reason="需当场核验身份")
    assert (
        violation.message
        == "规则“全程网办事项零跑动”：网上办理深度为Ⅳ级（全程网办）的事项，到现场次数须为0。"
    )


def test_license_steps_accept_the_synonyms_of_the_standard():
    assert broken(step_names=("受理", "审查", "决定", "办结", "送达")) == []


def test_missing_license_steps_are_listed():
    [violation] = broken(step_names=("受理", "审批", "办结", "告知", "归档"))
    assert "缺少：审核、送达" in violation.message


def test_rules_needing_lists_are_skipped_when_lists_are_unknown():
    unknown = dataclasses.replace(
        GOOD, fee_count=None, faq_count=None, step_names=None, legal_basis_count=None, has_result_sample=None
    )
    assert check_item(unknown) == []


def test_units_that_differ_are_not_compared():
    assert broken(promised_limit=20, promised_limit_unit="natural_day") == []


def test_non_license_items_need_no_faq_or_five_steps():
    assert broken(kind="public_service", faq_count=0, step_names=("受理", "办结")) == []
