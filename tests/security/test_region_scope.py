"""Region-scoped administration (issue 20, docs/administrators.md): one deployment for a city and its
counties. A 区县系统管理员 (region_admin) of 东城区 lists and edits only 东城区's (and its streets')
departments, staff, catalog items and processes; 西城区's answer 404 and a POST naming them is refused;
the city's 系统管理员 sees both."""

import pytest
from conftest import make_staff
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tongban.accounts.errors import InvalidDetailsError
from tongban.accounts.tests.helpers import login_staff
from tongban.catalog import selectors as catalog_selectors
from tongban.catalog import services as catalog_services
from tongban.catalog.errors import CatalogPermissionError
from tongban.catalog.tests.factories import ItemDraftFactory
from tongban.core.identifiers import make_uscc
from tongban.core.models import AuditEvent
from tongban.organizations import selectors
from tongban.organizations.errors import StaffError
from tongban.organizations.models import Department, Region, StaffAssignment
from tongban.organizations.services import Actor, create_staff, grant_role
from tongban.organizations.tests.factories import DepartmentFactory, RegionFactory
from tongban.workflow import services as workflow_services
from tongban.workflow.models import ProcessDefinition
from tongban.workflow.tests.helpers import shipped

pytestmark = pytest.mark.django_db

DEPARTMENTS = reverse("organizations:departments")
NEW_DEPARTMENT = reverse("organizations:department_create")
PEOPLE = reverse("organizations:staff_list")
DEFINITIONS = reverse("workflow:definitions")


class County:
    """A county with a department, a department in one of its streets, an administrator and a clerk."""

    def __init__(self, city: Region, code: str, name: str, prefix: str) -> None:
        self.region = Region.objects.create(code=code, name=name, level=Region.Level.DISTRICT, parent=city)
        self.street = Region.objects.create(
            code=code[:6] + "001000", name=f"{name}街道", level=Region.Level.TOWN, parent=self.region
        )
        self.department = DepartmentFactory(
            name=f"{name}民政局", short_name=f"{name}民政局", region=self.region
        )
        self.street_office = DepartmentFactory(
            name=f"{name}街道便民服务中心", short_name=f"{name}街道中心", region=self.street
        )
        self.admin = make_staff(f"{prefix}_admin", self.department, role="region_admin")
        self.clerk = make_staff(f"{prefix}_clerk", self.street_office, role="clerk")


@pytest.fixture
def city():
    return RegionFactory()


@pytest.fixture
def east(city):
    return County(city, "990101000000", "东城区", "east")


@pytest.fixture
def west(city):
    return County(city, "990102000000", "西城区", "west")


@pytest.fixture
def city_admin(city):
    bureau = DepartmentFactory(name="云州市政务服务和数据管理局", short_name="市政数局", region=city)
    return make_staff("shen", bureau, role="city_admin")


def _as(client, user):
    login_staff(client, user)
    return client


def _department_fields(county: County, **overrides) -> dict[str, str]:
    return {
        "name": "东城区新设局",
        "short_name": "新设局",
        "uscc": make_uscc(registry="1", kind="1", region_code="990101", organization_body="00009901"),
        "region": str(county.region.pk),
        "parent": "",
        "phone": "",
        "is_active": "on",
        **overrides,
    }


# --- the selectors every page uses ----------------------------------------------------------------


def test_region_scope_a_county_administers_its_region_and_the_regions_below_it(east, west, city_admin):
    assert selectors.administered_regions(east.admin.id) == {east.region.pk, east.street.pk}
    assert selectors.administered_departments(east.admin.id) == {east.department.pk, east.street_office.pk}
    assert selectors.administered_regions(city_admin.id) is None
    assert selectors.administered_departments(city_admin.id) is None
    assert selectors.administered_regions(east.clerk.id) == set()


# --- 部门管理 --------------------------------------------------------------------------------------


def test_region_scope_department_list_shows_only_my_county(client, east, west):
    page = _as(client, east.admin).get(DEPARTMENTS).content.decode()
    assert "东城区民政局" in page
    assert "东城区街道便民服务中心" in page
    assert "西城区" not in page
    # A search or a region filter naming the other county finds nothing either.
    assert "西城区民政局" not in client.get(DEPARTMENTS, {"q": "西城区"}).content.decode()
    assert "西城区民政局" not in client.get(DEPARTMENTS, {"region": west.region.pk}).content.decode()


def test_region_scope_the_city_administrator_sees_both_counties(client, east, west, city_admin):
    page = _as(client, city_admin).get(DEPARTMENTS).content.decode()
    assert "东城区民政局" in page
    assert "西城区民政局" in page
    assert client.get(reverse("organizations:department_edit", args=[west.department.pk])).status_code == 200


def test_region_scope_pages_are_404_for_staff_who_administer_no_region(client, east):
    login_staff(client, east.clerk)
    assert client.get(DEPARTMENTS).status_code == 404
    assert client.get(NEW_DEPARTMENT).status_code == 404
    assert client.post(NEW_DEPARTMENT, _department_fields(east)).status_code == 404


def test_T_B3_region_scope_another_county_s_department_is_404_to_read_and_to_edit(client, east, west):
    url = reverse("organizations:department_edit", args=[west.department.pk])
    _as(client, east.admin)
    assert client.get(url).status_code == 404
    fields = _department_fields(west, name="被改名的西城区民政局", region=str(west.region.pk))
    assert client.post(url, fields).status_code == 404
    assert Department.objects.get(pk=west.department.pk).name == "西城区民政局"


def test_region_scope_a_county_adds_a_department_in_its_own_region(client, east):
    response = _as(client, east.admin).post(
        NEW_DEPARTMENT, _department_fields(east, region=str(east.street.pk))
    )
    assert response.status_code == 302
    created = Department.objects.get(name="东城区新设局")
    assert created.region_id == east.street.pk
    assert AuditEvent.objects.filter(event="department.created", object_id=str(created.pk)).exists()


def test_T_B4_region_scope_a_county_cannot_create_a_department_in_another_county(client, east, west):
    _as(client, east.admin)
    form = client.get(NEW_DEPARTMENT).content.decode()
    assert "西城区" not in form  # neither the region nor a parent department of 西城区 is offered
    response = client.post(NEW_DEPARTMENT, _department_fields(east, region=str(west.region.pk)))
    assert response.status_code == 400
    assert "请选择您管理的区划" in response.content.decode()
    response = client.post(NEW_DEPARTMENT, _department_fields(east, parent=str(west.department.pk)))
    assert response.status_code == 400
    assert "请选择您管理的上级部门" in response.content.decode()
    assert not Department.objects.filter(name="东城区新设局").exists()


def test_T_B4_region_scope_a_county_cannot_move_its_department_into_another_county(client, east, west):
    url = reverse("organizations:department_edit", args=[east.department.pk])
    fields = _department_fields(
        east,
        name="东城区民政局",
        short_name="东城区民政局",
        uscc=east.department.uscc,
        region=str(west.region.pk),
    )
    response = _as(client, east.admin).post(url, fields)
    assert response.status_code == 400
    assert Department.objects.get(pk=east.department.pk).region_id == east.region.pk
    # Within its own region the same edit is saved.
    assert client.post(url, {**fields, "region": str(east.street.pk)}).status_code == 302
    assert Department.objects.get(pk=east.department.pk).region_id == east.street.pk


# --- 人员管理 --------------------------------------------------------------------------------------


def test_region_scope_staff_list_shows_only_my_county_s_staff(client, east, west, city_admin):
    page = _as(client, east.admin).get(PEOPLE).content.decode()
    assert "east_clerk" in page
    assert "west_clerk" not in page
    assert "west_admin" not in page
    assert client.get(PEOPLE, {"q": "west"}).content.decode().count("west_clerk") == 0
    city_page = _as(client, city_admin).get(PEOPLE).content.decode()
    assert "east_clerk" in city_page
    assert "west_clerk" in city_page


def test_T_B3_region_scope_another_county_s_staff_member_is_404(client, east, west):
    _as(client, east.admin)
    assert client.get(reverse("organizations:staff_detail", args=[west.clerk.id])).status_code == 404
    response = client.post(
        reverse("organizations:staff_grant", args=[west.clerk.id]),
        {"department": str(west.street_office.pk), "role": "reviewer"},
    )
    assert response.status_code == 404
    assert client.post(reverse("organizations:staff_deactivate", args=[west.clerk.id])).status_code == 404
    assert not StaffAssignment.objects.filter(user_id=west.clerk.id, role="reviewer").exists()


def test_T_B4_region_scope_a_county_cannot_create_staff_or_grant_roles_in_another_county(east, west):
    actor = Actor(user_id=east.admin.id)
    with pytest.raises(InvalidDetailsError) as refused:
        create_staff(
            actor=actor,
            username="newbie",
            full_name="新人",
            phone="",
            department_id=west.department.pk,
            roles=["clerk"],
        )
    assert "department" in refused.value.field_errors
    with pytest.raises(StaffError) as refused:
        grant_role(actor=actor, user_id=east.clerk.id, department_id=west.department.pk, role="clerk")
    assert refused.value.field_errors == {"department": "请选择您管理的部门"}
    # Only the city grants a county its administrator.
    with pytest.raises(StaffError) as refused:
        grant_role(actor=actor, user_id=east.clerk.id, department_id=east.department.pk, role="region_admin")
    assert "role" in refused.value.field_errors
    # In its own county it grants the roles of a department.
    grant_role(actor=actor, user_id=east.clerk.id, department_id=east.department.pk, role="reviewer")
    assert StaffAssignment.objects.filter(user_id=east.clerk.id, department=east.department, role="reviewer")


def test_region_scope_staff_form_offers_only_my_county_s_departments(client, east, west):
    form = _as(client, east.admin).get(reverse("organizations:staff_create")).content.decode()
    assert "东城区街道便民服务中心" in form
    assert "西城区" not in form


# --- 事项管理 (catalog) ----------------------------------------------------------------------------


def _item(department, code):
    return catalog_services.create_item(
        department_id=department.pk,
        basic_code=code,
        implementation_code=department.uscc + code,
        draft=ItemDraftFactory(),
        actor_id=None,
    )


def test_region_scope_catalog_items_of_my_county_only(client, east, west, city_admin):
    mine, theirs = _item(east.street_office, "000201000001"), _item(west.department, "000201000002")
    editable = set(catalog_selectors.versions_for_editor(east.admin.id).values_list("pk", flat=True))
    assert mine.version_id in editable
    assert theirs.version_id not in editable
    assert {mine.version_id, theirs.version_id} <= set(
        catalog_selectors.versions_for_editor(city_admin.id).values_list("pk", flat=True)
    )
    _as(client, east.admin)
    api = "catalog-staff-version"
    assert client.get(reverse(api, args=[mine.version_id])).status_code == 200
    assert client.get(reverse(api, args=[theirs.version_id])).status_code == 404
    assert client.post(reverse("catalog-staff-publish", args=[theirs.version_id])).status_code == 404


def test_T_B4_region_scope_a_county_cannot_create_an_item_for_another_county(east, west):
    with pytest.raises(CatalogPermissionError):
        catalog_services.create_item(
            department_id=west.department.pk,
            basic_code="000201000003",
            implementation_code=west.department.uscc + "000201000003",
            draft=ItemDraftFactory(),
            actor_id=east.admin.id,
        )
    created = catalog_services.create_item(
        department_id=east.department.pk,
        basic_code="000201000004",
        implementation_code=east.department.uscc + "000201000004",
        draft=ItemDraftFactory(),
        actor_id=east.admin.id,
    )
    assert created.version_id


# --- 流程定义 and the designer ---------------------------------------------------------------------


def _upload(client, key):
    file = SimpleUploadedFile("process.bpmn", shipped("standard"), content_type="application/xml")
    return client.post(DEFINITIONS, {"key": key, "file": file})


def test_region_scope_processes_of_my_county_and_the_city_s_only(client, east, west, city_admin):
    assert _upload(_as(client, west.admin), "west_civil").status_code == 302
    assert _upload(_as(client, east.admin), "east_civil").status_code == 302
    theirs = ProcessDefinition.objects.get(key="west_civil")
    mine = ProcessDefinition.objects.get(key="east_civil")
    assert (mine.region_id, theirs.region_id) == (east.region.pk, west.region.pk)
    city_own = workflow_services.upload_definition(
        key="city_civil", data=shipped("standard"), uploaded_by_id=None
    )

    listing = client.get(DEFINITIONS).content.decode()
    assert "east_civil" in listing
    assert "city_civil" in listing
    assert "west_civil" not in listing
    assert client.get(reverse("workflow:definition", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("workflow:designer_edit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("workflow:designer_edit", args=[mine.pk])).status_code == 200
    # The city's own process is read, not changed, by a county.
    assert client.get(reverse("workflow:definition", args=[city_own])).status_code == 200
    assert client.get(reverse("workflow:designer_edit", args=[city_own])).status_code == 404

    city_listing = _as(client, city_admin).get(DEFINITIONS).content.decode()
    assert "east_civil" in city_listing
    assert "west_civil" in city_listing


def test_T_B4_region_scope_a_county_cannot_publish_a_version_of_another_county_s_process(client, east, west):
    assert _upload(_as(client, west.admin), "west_civil").status_code == 302
    response = _upload(_as(client, east.admin), "west_civil")
    assert response.status_code == 400
    assert "属于其他区划的流程" in response.content.decode()
    theirs = ProcessDefinition.objects.get(key="west_civil")
    response = client.post(
        reverse("workflow:designer_publish"),
        {
            "xml": shipped("standard").decode(),
            "key": "x",
            "family": "application",
            "based_on": str(theirs.pk),
        },
    )
    assert response.status_code == 404
    assert ProcessDefinition.objects.filter(key="west_civil").count() == 1


# --- 三权分立 and the navigation ---------------------------------------------------------------------


def test_region_scope_a_county_administrator_holds_no_second_administrator_role(east):
    assert selectors.second_administrator_role({"region_admin"}, "security_admin") == "region_admin"


def test_region_scope_the_workbench_shows_a_county_administrator_its_pages(client, east):
    page = _as(client, east.admin).get(reverse("workbench:home")).content.decode()
    for url in (DEPARTMENTS, PEOPLE, DEFINITIONS):
        assert f'href="{url}"' in page, url


def test_region_scope_a_county_does_not_change_what_every_region_s_processes_share(client, east):
    _as(client, east.admin)
    assert client.get(reverse("workflow:step_kinds")).status_code == 404
    assert (
        client.post(reverse("workflow:step_kinds"), {"code": "x_kind", "name": "某环节"}).status_code == 404
    )
    assert client.get(reverse("office:forms")).status_code == 404
