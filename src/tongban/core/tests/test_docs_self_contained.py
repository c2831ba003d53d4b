"""The repository's documentation stands on its own: it cites no file outside the repository (a reader of a
fresh clone has nothing else), and every document it names exists."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.PROJECT_DIR)
DOCS = sorted([ROOT / "README.md", ROOT / "bench" / "README.md", *(ROOT / "docs").glob("*.md")])


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_document_cites_nothing_outside_the_repository(doc):
    text = doc.read_text(encoding="utf-8")
    assert re.findall(r"\.\./\S*", text) == []
    assert re.findall(r"/work/\S*", text) == []
    for name in re.findall(r"[\w./-]+\.md\b", text):
        assert (ROOT / name).exists() or (doc.parent / name).exists(), f"{doc.name} names {name}"
