"""通讯录: the tree with positions and phones, the search (name, pinyin initials, department, phone),
and privacy: a mobile number appears only where its owner allows it, and a hidden one is never
matched by a search."""

import pytest
from conftest import PASSWORD, make_staff
from django.urls import reverse

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.factories import CitizenFactory
from tongban.accounts.tests.helpers import login_staff
from tongban.organizations import directory, services
from tongban.organizations.errors import StaffError
from tongban.organizations.tests.factories import DepartmentFactory

SHOWN = "13800000001"


def _staff(username, full_name, department):
    user = ensure_user(username=username, full_name=full_name, kind="staff", password=PASSWORD)
    services.assign_role(user_id=user.id, department_id=department.pk, role="clerk")
    return user


HIDDEN = "13900000002"


@pytest.fixture
def people(db):
    bureau = DepartmentFactory(name="云州市民政局", short_name="市民政局")
    branch = DepartmentFactory(name="云州市民政局社会救助科", short_name="社会救助科", parent=bureau)
    allowed = _staff("zhang", "张三", branch)
    hidden = _staff("li", "李四", branch)
    services.update_my_directory_entry(
        user_id=allowed.id, position="科长", office_phone="0999-83120001", mobile=SHOWN, shows_mobile=True
    )
    services.update_my_directory_entry(
        user_id=hidden.id, position="科员", office_phone="0999-83120002", mobile=HIDDEN, shows_mobile=False
    )
    return bureau, branch, allowed, hidden


def test_the_tree_shows_positions_phones_and_only_allowed_mobiles(client, people):
    _bureau, _branch, allowed, _hidden = people
    login_staff(client, allowed)
    page = client.get(reverse("organizations:directory")).content.decode()
    assert "云州市民政局社会救助科" in page
    assert "张三" in page
    assert "科长" in page
    assert "0999-83120002" in page
    assert SHOWN in page
    assert HIDDEN not in page
    tree = directory.directory_tree()
    assert [(d.name, d.depth) for d in tree] == [("云州市民政局", 0), ("云州市民政局社会救助科", 1)]
    assert [(p.name, p.mobile) for p in tree[1].people] == [("李四", ""), ("张三", SHOWN)]


def test_search_by_a_hidden_mobile_finds_nobody_and_by_a_shown_one_finds_its_owner(client, people):
    _bureau, _branch, _allowed, hidden = people
    login_staff(client, hidden)
    page = client.post(reverse("organizations:directory"), {"q": HIDDEN}).content.decode()
    assert "没有找到符合条件的人员" in page
    assert 'id="directory-results"' not in page
    assert page.count(HIDDEN) == 1  # only what was typed, kept in the search box
    page = client.post(reverse("organizations:directory"), {"q": SHOWN}).content.decode()
    results = page.split('id="directory-results">')[1].split("</ul>")[0]
    assert "张三" in results
    assert "李四" not in results
    assert [p.name for p in directory.search_directory(HIDDEN[-6:])] == []


def test_search_results_show_a_mobile_only_where_allowed(client, people):
    _bureau, _branch, allowed, _hidden = people
    login_staff(client, allowed)
    page = client.post(reverse("organizations:directory"), {"q": "社会救助科"}).content.decode()
    results = page.split('id="directory-results">')[1].split("</ul>")[0]
    assert "张三" in results
    assert "李四" in results
    assert SHOWN in results
    assert HIDDEN not in page


def test_search_by_name_pinyin_initials_department_and_office_phone(people):
    assert [p.name for p in directory.search_directory("张")] == ["张三"]
    assert [p.name for p in directory.search_directory("zs")] == ["张三"]
    assert [p.name for p in directory.search_directory("lisi")] == ["李四"]
    assert [p.name for p in directory.search_directory("83120002")] == ["李四"]
    assert [p.name for p in directory.search_directory("科员")] == ["李四"]
    assert [p.name for p in directory.search_directory("民政局社会救助")] == ["李四", "张三"]


def test_the_directory_is_for_staff_only(client, people):
    client.force_login(CitizenFactory())
    response = client.get(reverse("organizations:directory"))
    assert response.status_code in (302, 403, 404)
    assert HIDDEN not in response.content.decode()
    assert "张三" not in response.content.decode()


def test_a_person_turns_their_mobile_on_and_off_on_their_own_page(client, people):
    _bureau, _branch, _allowed, hidden = people
    login_staff(client, hidden)
    page = client.get(reverse("organizations:my_directory_entry")).content.decode()
    assert HIDDEN in page  # their own number, on their own page
    response = client.post(
        reverse("organizations:my_directory_entry"),
        {"position": "科员", "office_phone": "0999-83120002", "mobile": HIDDEN, "shows_mobile": "on"},
    )
    assert response.status_code == 302
    assert [p.mobile for p in directory.search_directory("李四")] == [HIDDEN]


def test_a_wrong_mobile_is_refused_and_nothing_changes(client, people):
    _bureau, _branch, _allowed, hidden = people
    login_staff(client, hidden)
    response = client.post(
        reverse("organizations:my_directory_entry"),
        {"position": "处长", "mobile": "12345", "shows_mobile": "on"},
    )
    assert response.status_code == 400
    assert "手机号码应为以1开头的11位数字" in response.content.decode()
    assert directory.my_entry(hidden.id).position == "科员"
    with pytest.raises(StaffError):
        services.update_my_directory_entry(
            user_id=hidden.id, position="", office_phone="", mobile="", shows_mobile=True
        )


def test_the_directory_page_runs_the_same_queries_for_more_people(client, people, django_assert_num_queries):
    _bureau, branch, allowed, _hidden = people
    login_staff(client, allowed)
    client.get(reverse("organizations:directory"))  # warm the session and caches

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("organizations:directory"))
        return len(queries)

    before = count()
    for n in range(3):
        make_staff(f"more{n}", branch, "clerk")
    with django_assert_num_queries(before):
        client.get(reverse("organizations:directory"))


def test_T_M1_the_search_is_a_post_so_no_phone_number_lands_in_a_url(client, people):
    _bureau, _branch, allowed, _hidden = people
    login_staff(client, allowed)
    page = client.get(reverse("organizations:directory"), {"q": SHOWN}).content.decode()
    assert 'id="directory-results"' not in page  # a GET shows the tree, it never searches
    assert '<form method="post" action="/staff/directory/"' in page
