"""Creating, editing and publishing items: versions, immutability, rules on save."""

import pytest
from django.db import IntegrityError

from tongban.catalog import services
from tongban.catalog.errors import CatalogError, ImmutableVersionError, RuleViolationError
from tongban.catalog.models import MaterialRequirement, ServiceItem, ServiceItemVersion
from tongban.catalog.selectors import version_snapshot
from tongban.catalog.tests.factories import ItemDraftFactory
from tongban.catalog.types import MaterialData, ProcessStepData


def create(department, *, actor_id=None, basic_code="000201001000", **overrides):
    return services.create_item(
        department_id=department.pk,
        basic_code=basic_code,
        implementation_code=department.uscc + basic_code,
        draft=ItemDraftFactory(**overrides),
        actor_id=actor_id,
    )


def test_create_item_makes_a_draft_with_its_lists(department):
    ref = create(department)
    version = ServiceItemVersion.objects.get(pk=ref.version_id)
    assert (ref.number, ref.status) == (1, "draft")
    assert list(version.steps.values_list("name", flat=True)) == ["受理", "审核", "审批", "办结", "送达"]
    assert version.materials.get().blank_form.read() == b"%PDF-1.4 blank form"


def test_fully_online_item_requiring_a_site_visit_is_refused_and_nothing_is_written(department):
    with pytest.raises(RuleViolationError) as caught:
        create(department, site_visits=1, site_visit_reason="需当场核验身份")
    assert "规则“全程网办事项零跑动”" in caught.value.message
    assert ServiceItem.objects.count() == 0
    assert ServiceItemVersion.objects.count() == 0


def test_every_broken_rule_is_listed(department):
    with pytest.raises(RuleViolationError) as caught:
        create(department, faqs=(), complaint_phone="0999-86190000")
    assert len(caught.value.details) == 2


@pytest.mark.parametrize(
    ("basic_code", "implementation_code"),
    [("12345", None), ("00020100100A", None), ("000201001000", "X" * 37)],
)
def test_malformed_codes_are_refused(department, basic_code, implementation_code):
    with pytest.raises(CatalogError):
        services.create_item(
            department_id=department.pk,
            basic_code=basic_code,
            implementation_code=implementation_code or department.uscc + "000201001000",
            draft=ItemDraftFactory(),
            actor_id=None,
        )
    assert ServiceItem.objects.count() == 0


def test_duplicate_implementation_code_is_refused(department):
    create(department)
    with pytest.raises(CatalogError, match="实施编码已存在"):
        create(department)


def test_editor_of_another_department_cannot_create(department, other_department, django_user_model):
    from conftest import make_staff

    outsider = make_staff("civil_editor", other_department)
    with pytest.raises(CatalogError, match="没有管理该部门事项的权限"):
        create(department, actor_id=outsider.id)
    assert ServiceItem.objects.count() == 0


def test_publish_sets_the_current_version_and_indexes_it(department, editor):
    ref = create(department, actor_id=editor.id)
    published = services.publish_version(version_id=ref.version_id, actor_id=editor.id)
    item = ServiceItem.objects.get(pk=ref.item_id)
    assert published.status == "published"
    assert item.published_version_id == ref.version_id
    assert " 营业执照 " in item.search_index.name_tokens
    assert ServiceItemVersion.objects.get(pk=ref.version_id).published_by_id == editor.id


def test_published_version_cannot_be_changed(department):
    ref = create(department)
    services.publish_version(version_id=ref.version_id, actor_id=None)
    version = ServiceItemVersion.objects.get(pk=ref.version_id)
    version.name = "改名"
    with pytest.raises(ImmutableVersionError):
        version.save()
    material = MaterialRequirement.objects.get(version=version)
    with pytest.raises(ImmutableVersionError):
        material.delete()
    with pytest.raises(CatalogError, match="不能修改"):
        services.save_draft(version_id=ref.version_id, draft=ItemDraftFactory(name="改名"), actor_id=None)
    assert ServiceItemVersion.objects.get(pk=ref.version_id).name == "个体工商户营业执照核发"


def test_new_draft_copies_the_published_version_and_publishing_it_supersedes(department):
    first = create(department)
    services.publish_version(version_id=first.version_id, actor_id=None)
    draft = services.start_draft(item_id=first.item_id, actor_id=None)
    assert (draft.number, draft.status) == (2, "draft")
    assert services.start_draft(item_id=first.item_id, actor_id=None).version_id == draft.version_id

    services.save_draft(version_id=draft.version_id, draft=ItemDraftFactory(promised_limit=1), actor_id=None)
    services.publish_version(version_id=draft.version_id, actor_id=None)

    statuses = dict(ServiceItemVersion.objects.values_list("number", "status"))
    assert statuses == {1: "superseded", 2: "published"}
    item = ServiceItem.objects.get(pk=first.item_id)
    assert item.published_version.promised_limit == 1
    copied = item.published_version.materials.get()
    assert copied.blank_form.read() == b"%PDF-1.4 blank form"


def test_publishing_twice_is_refused(department):
    ref = create(department)
    services.publish_version(version_id=ref.version_id, actor_id=None)
    with pytest.raises(CatalogError, match="只有草稿可以发布"):
        services.publish_version(version_id=ref.version_id, actor_id=None)


def test_draft_saved_with_broken_steps_is_refused_and_keeps_its_old_content(department):
    ref = create(department)
    with pytest.raises(RuleViolationError, match="行政许可办理环节完整"):
        services.save_draft(
            version_id=ref.version_id,
            draft=ItemDraftFactory(steps=(ProcessStepData(name="受理"), ProcessStepData(name="办结"))),
            actor_id=None,
        )
    assert ServiceItemVersion.objects.get(pk=ref.version_id).steps.count() == 5


def test_database_refuses_promised_limit_beyond_statutory_limit(department):
    ref = create(department)
    with pytest.raises(IntegrityError):
        ServiceItemVersion.objects.filter(pk=ref.version_id).update(promised_limit=99)


def test_application_form_the_portal_cannot_render_is_refused(department):
    schema = {"type": "object", "properties": {"salary": {"type": "string"}}}
    with pytest.raises(CatalogError, match="salary"):
        create(department, form_schema=schema, ui_schema={"salary": {"ui:label": "月收入"}})
    assert ServiceItem.objects.count() == 0


def test_valid_application_form_is_kept(department):
    schema = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string", "maxLength": 50}},
    }
    ref = create(department, form_schema=schema, ui_schema={"name": {"ui:label": "姓名"}})
    assert ServiceItemVersion.objects.get(pk=ref.version_id).form_schema == schema


def big_material(max_size_mb: int) -> MaterialData:
    return MaterialData(
        name="建设工程设计方案",
        material_type="other",
        form="electronic",
        necessity="required",
        source="applicant",
        allowed_types=("pdf",),
        max_size_mb=max_size_mb,
    )


def test_T_C5_material_allowing_more_than_the_upload_ceiling_is_refused(department):
    # docs/uploads.md: clamd reads 64 MiB of a stream at most, so no material takes more than 50 MB.
    with pytest.raises(CatalogError, match=r"^文件大小上限（MB）：确保该值小于或等于50。$"):
        create(department, materials=(big_material(200),))
    assert ServiceItem.objects.count() == 0


def test_T_C5_older_version_allowing_more_takes_no_more_than_the_ceiling(department):
    ref = create(department, materials=(big_material(50),))
    MaterialRequirement.objects.filter(version_id=ref.version_id).update(max_size_mb=200)  # saved before

    assert [m.max_size_mb for m in version_snapshot(ref.version_id).materials] == [50]


def test_publishing_uses_the_tokens_made_with_the_draft(department, monkeypatch):
    ref = create(department)

    def no_tokenizer(*texts):
        raise AssertionError("publishing ran the tokenizer")

    monkeypatch.setattr(services, "index_tokens", no_tokenizer)
    services.publish_version(version_id=ref.version_id, actor_id=None)
    assert " 营业执照 " in ServiceItem.objects.get(pk=ref.item_id).search_index.name_tokens


def test_a_draft_changed_outside_the_services_is_tokenized_at_publishing(department):
    # The admin edits a draft's rows directly; its stored tokens no longer match them.
    ref = create(department)
    MaterialRequirement.objects.filter(version_id=ref.version_id).update(name="结婚证明原件")
    services.publish_version(version_id=ref.version_id, actor_id=None)
    text_tokens = ServiceItem.objects.get(pk=ref.item_id).search_index.text_tokens
    assert " 结婚 " in text_tokens
    assert " 申请书 " not in text_tokens


def test_publishing_reads_a_fixed_number_of_rows(department, django_assert_max_num_queries):
    # Several rows in every list, so a query per row would show.
    template = ItemDraftFactory.build(charged=True)
    ref = create(
        department,
        charged=True,
        materials=template.materials * 4,
        faqs=template.faqs * 4,
        fees=template.fees * 3,
        legal_bases=template.legal_bases * 3,
    )
    # Lock the item, the version, its steps, FAQs, themes and materials, one update of the versions,
    # one of the item, the search row created, the name's pinyin rows (issue 19): 10, and the savepoint
    # around them (the test's transaction).
    with django_assert_max_num_queries(12):
        services.publish_version(version_id=ref.version_id, actor_id=None)
