"""The demo city loads completely through the catalog services (so every item passes the rules),
twice without duplicating anything."""

import pytest
from django.conf import settings
from django.db.models import Count
from django.test import override_settings

from tongban.catalog import selectors
from tongban.demo.checks import no_demo_accounts_in_production
from tongban.demo.loader import ACCOUNTS, load_demo_city
from tongban.demo.models import DemoCity
from tongban.organizations.selectors import active_departments_by_region, department_ids_for

# The module's tests use the database through the module fixture only; the marker makes pytest-django set
# up the test database even when this module runs alone (without it, the fixture loaded the demo city into
# the development database, then flushed it).
pytestmark = pytest.mark.django_db

TOPICS = [
    "户籍",
    "婚姻登记",
    "生育",
    "教育",
    "医疗",
    "就业",
    "社保",
    "住房",
    "交通",
    "出入境",
    "企业设立",
    "年检",
    "资质",
    "税务",
    "基建",
    "消防",
    "质监",
    "环保",
    "市政",
]
TOPIC_THEMES = {
    "户籍": "户籍办理",
    "婚姻登记": "婚姻登记",
    "生育": "生育收养",
    "教育": "教育入学",
    "医疗": "医疗卫生",
    "就业": "就业创业",
    "社保": "社会保障",
    "住房": "住房保障",
    "交通": "交通出行",
    "出入境": "出入境",
    "企业设立": "企业开办",
    "年检": "年检年报",
    "资质": "资质认定",
    "税务": "税务办理",
    "基建": "工程建设",
    "消防": "消防安全",
    "质监": "质量监督",
    "环保": "环境保护",
    "市政": "市政设施",
}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    storages = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(media)}},
        "public": {**settings.STORAGES["public"], "OPTIONS": {"location": str(media / "public")}},
    }
    # Demo accounts are refused outside DEBUG (T-A10); this test is the development case.
    with django_db_blocker.unblock(), override_settings(DEBUG=True, STORAGES=storages):
        first = load_demo_city(with_accounts=True)
        second = load_demo_city(with_accounts=True)
        yield first, second
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


def test_demo_city_has_the_required_size(loaded, django_db_blocker):
    first, _second = loaded
    with django_db_blocker.unblock():
        groups = active_departments_by_region()
        levels = {group.region.level for group in groups}
        assert sum(len(g.departments) for g in groups) >= 20
        assert {"city", "district", "town"} <= levels
        assert first.items_created >= 100
        assert selectors.published_versions().count() == first.items_created


def test_second_load_creates_nothing(loaded):
    first, second = loaded
    assert second.items_created == 0
    assert second.items_existing == first.items_created


def test_every_topic_of_the_issue_has_items(loaded, django_db_blocker):
    with django_db_blocker.unblock():
        counts = {t.name: t.item_count for t in selectors.themes_with_counts()}
    for topic in TOPICS:
        assert counts[TOPIC_THEMES[topic]] > 0, topic


def test_guides_are_complete(loaded, django_db_blocker):
    with django_db_blocker.unblock():
        versions = selectors.published_versions().annotate(
            n_steps=Count("steps", distinct=True),
            n_bases=Count("legal_bases", distinct=True),
            n_faqs=Count("faqs", distinct=True),
        )
        for version in versions:
            assert version.n_steps >= 2, version.name
            assert version.n_bases >= 1, version.name
            assert version.n_faqs >= 1, version.name
            assert len(version.acceptance_conditions) > 10, version.name


def test_marriage_registration_is_found_and_has_its_blank_form(loaded, django_db_blocker):
    with django_db_blocker.unblock():
        results = selectors.search_published("结婚登记").versions
        assert results[0].name == "内地居民结婚登记"
        guide = selectors.guide_version(results[0].item.implementation_code)
        form = guide.materials.get(name="申请结婚登记声明书").blank_form
        assert form.open("rb").read(5) == b"%PDF-"


def test_staff_accounts_hold_roles_in_several_departments(loaded, django_db_blocker):
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        users = {u.username: u for u in get_user_model().objects.all()}
        assert set(users) >= {a.username for a in ACCOUNTS}
        departments_with_clerks = set()
        for name in ("civil_clerk", "market_clerk"):
            departments_with_clerks |= department_ids_for(user_id=users[name].pk, role="clerk")
        assert len(departments_with_clerks) == 2
        assert users["13800000001"].is_staff is False
        assert users["13800000001"].phone == "13800000001"


def test_license_items_are_bound_to_license_types_with_seals(loaded, django_db_blocker):
    from tongban.licenses.selectors import department_has_seal, license_name_for_item

    with django_db_blocker.unblock():
        for code, name in (("000201000100", "营业执照"), ("020102000001", "结婚证")):
            guide = selectors.search_published(name).versions
            version = next(v for v in guide if v.item.basic_code == code)
            assert license_name_for_item(version.item_id) == name
            assert department_has_seal(version.item.department_id)


def test_food_production_licence_is_decided_by_two_approvers_in_turn(loaded, django_db_blocker):
    """The demo's 依次签署: 食品生产许可 runs the shipped sequential_decision process, whose 审批 is
    signed by the market regulator's approvers in order (郑伟, then 周正)."""
    from django.contrib.auth import get_user_model

    from tongban.applications.selectors import definition_key_for
    from tongban.catalog.selectors import published_item_by_name
    from tongban.organizations.selectors import staff_ids_with_role
    from tongban.workflow.services import current_definition

    with django_db_blocker.unblock():
        item = published_item_by_name("食品生产许可")
        key, lanes = definition_key_for(item)
        assert (key, lanes) == ("sequential_decision", {})
        [decide] = [s for s in current_definition(key).steps if s["step"] == "decide"]
        assert decide["name"] == "审批"
        users = {u.username: u.pk for u in get_user_model().objects.all()}
        signers = sorted(staff_ids_with_role(department_id=item.department_id, role="approver"))
        assert signers == [users["market_approver"], users["market_leader"]]


def test_T_A10_the_demo_accounts_mark_the_database_which_production_refuses(loaded, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEBUG=False):
        assert DemoCity.objects.count() == 1
        assert [problem.id for problem in no_demo_accounts_in_production(None)] == ["demo.E001"]


def test_every_online_item_can_be_handled_to_the_end_by_demo_staff(loaded, django_db_blocker):
    from tongban.applications.readiness import staffing_gaps

    with django_db_blocker.unblock():
        assert staffing_gaps() == []


def test_deactivating_the_only_police_approver_shows_the_seal_step_of_the_startup(loaded, django_db_blocker):
    """企业开办's 公章刻制 lane goes to the police, whose only approver is 何军 (police_approver)."""
    from django.contrib.auth import get_user_model

    from tongban.applications.readiness import staffing_gaps

    users = get_user_model().objects
    with django_db_blocker.unblock():
        users.filter(username="police_approver").update(is_active=False)
        try:
            gaps = [
                (g.item_name, g.step_name, g.lane, g.department_name, g.role_label) for g in staffing_gaps()
            ]
        finally:
            users.filter(username="police_approver").update(is_active=True)
    assert gaps == [("有限责任公司设立登记", "公章刻制备案", "公章刻制", "市公安局", "审批人员")]


def test_the_readme_lists_every_demo_account():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[4] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Demo accounts")[1].split("\n## ")[0]
    for account in ACCOUNTS:
        assert f"| `{account.username}` |" in table, account.username


def test_every_appointable_item_has_slots_to_book_and_a_second_load_adds_none(loaded, django_db_blocker):
    """Issue 13: from `make run` a citizen can book any item that supports appointments."""
    from tongban.appointments.selectors import appointable_items, available_slots, china_now

    first, second = loaded
    assert first.appointment_slots_created > 1000
    assert second.appointment_slots_created == 0
    with django_db_blocker.unblock():
        items = appointable_items().values()
        assert len(items) >= 60
        empty = [
            i.name for i in items if not available_slots(i.implementation_code, from_date=china_now().date())
        ]
        assert empty == []


INTERNAL_ANSWERS = {
    "office_report": {
        "title": "关于购置办公设备的请示",
        "importance": "important",
        "amount": 8000,
        "content": "拟购置打印机。",
    },
    "office_leave": {"leave_type": "sick", "start_date": "2026-12-14", "days": 5, "reason": "住院"},
    "office_seal": {"document_name": "合作协议", "seal": "contract", "copies": 2, "purpose": "签约"},
    "office_purchase": {
        "title": "打印机",
        "reason": "旧打印机已损坏",
        "category": "goods",
        "items": [{"name": "打印机", "quantity": 20, "unit_price": 3000, "amount": 60000}],
        "total": 60000,
        "over_budget_reason": "全局更换",
    },
}


INTERNAL_PATHS = {
    "office_report": ["部门负责人审核", "分管领导审批", "主要领导审批"],
    "office_leave": ["部门负责人审批", "分管领导审批", "人事会签"],
    "office_seal": ["部门负责人审批", "办公室用印"],
    "office_purchase": ["部门负责人审批", "分管领导审批", "财务审核"],
}


@pytest.mark.parametrize("key", sorted(INTERNAL_ANSWERS))
def test_demo_staff_start_and_finish_each_internal_process(loaded, django_db_blocker, key):
    """李娜 (civil_clerk) starts each 内部事项 in 锦江区民政局; its colleagues there handle every step
    (on this branch each step goes to a role of the department; assignee rules come with the roles
    work). The longest path is taken: 重要, more than 3 days, more than 5万元."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from tongban.office import selectors as office_selectors
    from tongban.office import services as office_services
    from tongban.workflow import selectors as workflow_selectors

    with django_db_blocker.unblock(), transaction.atomic():
        users = get_user_model().objects.filter(kind="staff")
        initiator = users.get(username="civil_clerk")
        assert key in {p.key for p in office_selectors.startable_processes(initiator.id)}
        [department] = office_selectors.initiator_departments(initiator.id)
        request_id = office_services.start_request(
            user_id=initiator.id,
            username=initiator.username,
            process_key=key,
            department_id=department.id,
            answers=INTERNAL_ANSWERS[key],
            idempotency_key=f"demo-{key}",
        )
        subject = f"request:{request_id}"
        handled = []
        for _round in range(10):
            open_tasks = workflow_selectors.open_tasks_of(subject)
            if not open_tasks:
                break
            [task] = open_tasks
            if "countersign" in task.properties:
                signer = next(s for s in workflow_selectors.signers_of(task.id) if s.can_sign_now)
                office_services.sign_request_task(
                    task_id=task.id, user_id=signer.user_id, approve=True, opinion=""
                )
            else:
                handler = next(u for u in users if workflow_selectors.task_for(u.id, task.id) is not None)
                action = office_services.actions_for(task)[0][0]
                office_services.handle_request_task(
                    task_id=task.id, user_id=handler.id, action=action, opinion="同意", changes={}
                )
            handled.append(task.name)
        status = office_selectors.get_request_for(initiator.id, request_id).status
        transaction.set_rollback(True)
    assert status == "approved", handled
    assert handled == INTERNAL_PATHS[key]
