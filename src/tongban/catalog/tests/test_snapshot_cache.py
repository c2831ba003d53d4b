"""A published version's snapshot is built once per process; a draft's every time (it may change)."""

from tongban.catalog import selectors, services
from tongban.catalog.tests.factories import ItemDraftFactory


def test_a_published_version_is_read_from_the_database_once(
    publish_item, department, django_assert_num_queries
):
    version = publish_item(department, name="结婚登记")

    first = selectors.version_snapshot(version.version_id)
    with django_assert_num_queries(0):
        again = selectors.version_snapshot(version.version_id)

    assert again == first
    assert again.name == "结婚登记"


def test_a_draft_is_read_afresh_so_its_edits_show(department, django_assert_num_queries):
    ref = services.create_item(
        department_id=department.pk,
        basic_code="000200000001",
        implementation_code=department.uscc + "000200000001",
        draft=ItemDraftFactory(name="草稿事项"),
        actor_id=None,
    )
    selectors.version_snapshot(ref.version_id)
    with django_assert_num_queries(4):
        snapshot = selectors.version_snapshot(ref.version_id)
    assert snapshot.name == "草稿事项"


def test_the_cache_keeps_at_most_its_size(publish_item, department, monkeypatch):
    monkeypatch.setattr(selectors, "SNAPSHOT_CACHE_SIZE", 2)
    versions = [publish_item(department) for _ in range(3)]
    for version in versions:
        selectors.version_snapshot(version.version_id)
    assert list(selectors._snapshots) == [versions[1].version_id, versions[2].version_id]
