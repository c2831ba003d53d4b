"""A deactivated leaver's tasks: the people pages list each one with a link to its 重置处理人 form in
流程监控, which shows only the instances where that person still holds a task."""

import pytest
from conftest import make_staff
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.organizations.open_work import open_work_of as all_open_work_of
from tongban.organizations.selectors import open_work_for, staff_scope
from tongban.organizations.services import Actor, set_staff_active
from tongban.workflow import selectors, services

pytestmark = pytest.mark.django_db


def start(department, subject):
    return services.start_instance(
        definition_key="standard", subject=subject, department_id=department.pk, data={}
    )


def test_a_leaver_s_claimed_tasks_are_their_open_work_with_a_link_to_reset_the_handler(department):
    clerk = make_staff("clerk", department, "clerk")
    [held] = start(department, "case:held").opened
    start(department, "case:unclaimed")
    services.claim_task(task_id=held.id, user_id=clerk.id)
    [work] = selectors.open_work_of(clerk.id)
    assert (work.title, work.department_id, work.action) == ("case:held：受理", department.pk, "重置处理人")
    assert work.url == f"/staff/monitor/?handler={clerk.id}#to-{held.id}"
    # Registered by the workflow app: what organizations sees is the same.
    assert all_open_work_of(clerk.id) == [work]


def test_the_monitor_filtered_by_handler_shows_only_instances_where_they_hold_a_task(client, department):
    admin = make_staff("admin", department, "department_admin")
    clerk = make_staff("clerk", department, "clerk")
    held = start(department, "case:held")
    start(department, "case:unclaimed")
    services.claim_task(task_id=held.opened[0].id, user_id=clerk.id)
    assert [row.subject for row in selectors.monitored_instances(admin.id, handler_id=clerk.id)] == [
        "case:held"
    ]
    assert [row.subject for row in selectors.monitored_instances(admin.id)] == ["case:held", "case:unclaimed"]
    login_staff(client, admin)
    page = client.get(reverse("workflow:monitor"), {"handler": clerk.id}).content.decode()
    assert "case:held" in page
    assert "case:unclaimed" not in page
    assert f'id="to-{held.opened[0].id}"' in page


def test_the_person_page_of_a_deactivated_leaver_lists_their_tasks(client, department, other_department):
    admin = make_staff("admin", department, "department_admin")
    clerk = make_staff("clerk", department, "clerk")
    [held] = start(department, "case:held").opened
    services.claim_task(task_id=held.id, user_id=clerk.id)
    login_staff(client, admin)
    confirm = client.get(reverse("organizations:staff_deactivate", args=[clerk.id])).content.decode()
    assert f'<a href="/staff/monitor/?handler={clerk.id}#to-{held.id}">重置处理人' in confirm
    active_page = client.get(reverse("organizations:staff_detail", args=[clerk.id])).content.decode()
    assert "手中还没有办完的待办" not in active_page
    set_staff_active(actor=Actor(user_id=admin.id), user_id=clerk.id, active=False)
    page = client.get(reverse("organizations:staff_detail", args=[clerk.id])).content.decode()
    assert "手中还没有办完的待办" in page
    assert f'<a href="/staff/monitor/?handler={clerk.id}#to-{held.id}">重置处理人' in page
    # The leaver is no longer offered as a handler of the task; a colleague is.
    colleague = make_staff("colleague", department, "clerk")
    monitor = client.get(reverse("workflow:monitor"), {"handler": clerk.id}).content.decode()
    assert f'<option value="{colleague.id}"' in monitor
    assert f'<option value="{clerk.id}"' not in monitor


def test_another_department_s_tasks_of_a_shared_person_are_not_listed(department, other_department):
    admin = make_staff("admin", department, "department_admin")
    clerk = make_staff("clerk", department, "clerk")
    make_staff("clerk", other_department, "clerk")  # the same account, a role in B too
    [mine] = start(department, "case:a").opened
    [theirs] = start(other_department, "case:b").opened
    services.claim_task(task_id=mine.id, user_id=clerk.id)
    services.claim_task(task_id=theirs.id, user_id=clerk.id)
    assert [w.title for w in open_work_for(staff_scope(admin.id), clerk.id)] == ["case:a：受理"]


@pytest.mark.parametrize("handler", ["9223372036854775808", "abc"])
def test_a_handler_that_is_no_id_finds_nothing(client, department, handler):
    admin = make_staff("admin", department, "department_admin")
    start(department, "case:a")
    login_staff(client, admin)
    response = client.get(reverse("workflow:monitor"), {"handler": handler})
    assert response.status_code == 200
    assert "case:a" not in response.content.decode()
    assert "case:a" in client.get(reverse("workflow:monitor")).content.decode()
