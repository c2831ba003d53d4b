"""The demo city's 依申请公开: requests in every state, loaded once, and the draft 2026 reports."""

import pytest
from django.test import override_settings
from django.utils import timezone

from tongban.core.calendar import seed_year
from tongban.demo.disclosure_requests import load_disclosure_requests
from tongban.demo.loader import load_accounts, load_organizations
from tongban.disclosure_requests.models import AnnualReport, DisclosureRequest
from tongban.organizations.selectors import department_by_name
from tongban.organizations.services import set_general_office

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_requests_are_in_every_state_and_load_once():
    seed_year(2026)
    departments, _halls = load_organizations()
    load_accounts(departments)
    set_general_office(department_by_name("云州市人民政府办公室").id)  # as load_notices does

    assert load_disclosure_requests() == 11
    assert load_disclosure_requests() == 0
    statuses = sorted(DisclosureRequest.objects.values_list("status", flat=True))
    assert statuses == sorted(
        ["submitted", "handling", "handling", "correction", "consultation", "handling", "review"]
        + ["answered"] * 4
    )
    answers = sorted(
        DisclosureRequest.objects.filter(status="answered").values_list("answer_type", flat=True)
    )
    assert answers == ["already_public", "not_held", "partial", "refused"]
    assert DisclosureRequest.objects.filter(extended=True).count() == 1
    overdue = DisclosureRequest.objects.get(description="2025年度全市价格监督检查举报处理情况")
    assert overdue.due_on < timezone.localdate()
    partial = DisclosureRequest.objects.get(answer_type="partial")
    assert partial.files.get().confirmed
    assert AnnualReport.objects.filter(year=2026).count() == 2
