import pytest

from tongban.catalog import selectors, synonyms
from tongban.catalog.models import SearchSynonym


@pytest.fixture
def literal_search(db):
    """Search without the seeded synonym table: the index's own ranking (issue 18's tests)."""
    SearchSynonym.objects.update(is_active=False)
    selectors.forget_search_caches()
    synonyms.table()  # loaded now (empty), not inside a test's count of queries
