"""The catalog editors' staff UI (Django admin): scoped to their departments, rules enforced."""

import pytest
from conftest import PASSWORD, make_staff
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.catalog import services
from tongban.catalog.models import ServiceItemVersion
from tongban.catalog.tests.factories import ItemDraftFactory


def form_data(response) -> dict:
    """The POST body the change form would send back unchanged (main form and every inline)."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            if isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif hasattr(value, "name") and not isinstance(value, str):
                continue  # file fields keep their stored file
            else:
                data[key] = "true" if value is True else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = str(formset.management_form[name].value())
        for form in formset.forms:
            add(form)
    return data


@pytest.fixture
def draft_ref(department):
    return services.create_item(
        department_id=department.pk,
        basic_code="000201001000",
        implementation_code=department.uscc + "000201001000",
        draft=ItemDraftFactory(),
        actor_id=None,
    )


@pytest.fixture
def admin_client(client, editor):
    login_staff(client, editor)
    return client


def change_url(version_id: int) -> str:
    return reverse("admin:catalog_serviceitemversion_change", args=[version_id])


def test_editor_saves_a_valid_change_to_a_draft(admin_client, draft_ref):
    page = admin_client.get(change_url(draft_ref.version_id))
    data = form_data(page) | {"promised_limit": "2"}
    response = admin_client.post(change_url(draft_ref.version_id), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert ServiceItemVersion.objects.get(pk=draft_ref.version_id).promised_limit == 2


def test_fully_online_item_requiring_a_visit_is_refused_in_the_staff_ui(admin_client, draft_ref):
    page = admin_client.get(change_url(draft_ref.version_id))
    data = form_data(page) | {"site_visits": "1", "site_visit_reason": "需当场核验身份"}
    response = admin_client.post(change_url(draft_ref.version_id), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "规则“全程网办事项零跑动”：网上办理深度为Ⅳ级（全程网办）的事项，到现场次数须为0。" in body
    assert ServiceItemVersion.objects.get(pk=draft_ref.version_id).site_visits == 0


def test_removing_the_last_faq_of_a_license_is_refused(admin_client, draft_ref):
    page = admin_client.get(change_url(draft_ref.version_id))
    data = form_data(page)
    faq_prefix = next(
        i.formset.prefix
        for i in page.context["inline_admin_formsets"]
        if i.formset.model.__name__ == "FaqEntry"
    )
    data[f"{faq_prefix}-0-DELETE"] = "on"
    response = admin_client.post(change_url(draft_ref.version_id), data)
    assert "规则“行政许可须有常见问题”" in response.content.decode()
    assert ServiceItemVersion.objects.get(pk=draft_ref.version_id).faqs.count() == 1


def test_published_version_cannot_be_changed_in_the_staff_ui(admin_client, draft_ref):
    services.publish_version(version_id=draft_ref.version_id, actor_id=None)
    page = admin_client.get(change_url(draft_ref.version_id))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    response = admin_client.post(change_url(draft_ref.version_id), {"name": "改名"})
    assert response.status_code == 403
    assert ServiceItemVersion.objects.get(pk=draft_ref.version_id).name == "个体工商户营业执照核发"


def test_publish_action_reports_rule_violations(admin_client, draft_ref):
    ServiceItemVersion.objects.filter(pk=draft_ref.version_id).update(complaint_phone="0999-86190000")
    response = admin_client.post(
        reverse("admin:catalog_serviceitemversion_changelist"),
        {"action": "publish_selected", "_selected_action": [draft_ref.version_id]},
        follow=True,
    )
    assert "规则“咨询与投诉电话不同”" in response.content.decode()
    assert ServiceItemVersion.objects.get(pk=draft_ref.version_id).status == "draft"


def test_T_B3_editor_sees_only_own_departments_items(client, draft_ref, other_department):
    outsider = make_staff("civil_editor", other_department)
    login_staff(client, outsider)
    listing = client.get(reverse("admin:catalog_serviceitemversion_changelist"))
    assert listing.context["cl"].result_count == 0
    assert client.get(change_url(draft_ref.version_id)).status_code == 302  # unknown object: back to list


def test_T_B4_citizen_cannot_reach_the_staff_ui(client, db):
    from tongban.accounts.services import ensure_user

    ensure_user(username="citizen", full_name="张三", kind="citizen", password=PASSWORD)
    client.login(username="citizen", password=PASSWORD)
    response = client.get(reverse("admin:catalog_serviceitemversion_changelist"))
    assert response.status_code == 404  # as on every staff page (accounts.access.staff_only)
