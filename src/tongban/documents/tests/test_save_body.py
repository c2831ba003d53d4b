"""Saving the 正文 (documents.services.body.save_body): versions per person, nothing after 签发."""

import threading

import pytest
from conftest import make_staff
from django.db import connection

from tongban.documents.errors import DocumentError, DocumentLockedError
from tongban.documents.models import BodyVersion
from tongban.documents.roles import DOCUMENT_REVIEWER
from tongban.documents.services.body import current_html, save_body, starting_html, versions_of
from tongban.documents.tests.body_helpers import open_review
from tongban.documents.tests.factories import (
    BodyVersionFactory,
    DocumentTemplateFactory,
    OfficialDocumentFactory,
)

pytestmark = pytest.mark.django_db


def _versions(document):
    return list(BodyVersion.objects.filter(document=document).values_list("number", "author_id", "html"))


def test_the_first_save_is_version_one_and_is_sanitised():
    document = OfficialDocumentFactory()

    version_id = save_body(
        document_id=document.pk,
        user_id=document.drafter_id,
        html="<p onclick='x()'>现将有关事项通知如下。</p>",
    )

    assert BodyVersion.objects.get(pk=version_id).number == 1
    assert _versions(document) == [(1, document.drafter_id, "<p>现将有关事项通知如下。</p>")]
    assert current_html(document.pk) == "<p>现将有关事项通知如下。</p>"


def test_the_same_author_saving_again_replaces_their_version():
    document = OfficialDocumentFactory()
    first = save_body(document_id=document.pk, user_id=document.drafter_id, html="<p>第一稿。</p>")

    second = save_body(document_id=document.pk, user_id=document.drafter_id, html="<p>第二稿。</p>")

    assert second == first
    assert _versions(document) == [(1, document.drafter_id, "<p>第二稿。</p>")]


def test_another_person_saving_adds_the_next_version():
    document = OfficialDocumentFactory()
    save_body(document_id=document.pk, user_id=document.drafter_id, html="<p>拟稿。</p>")
    reviewer = make_staff("reviewer", document.drafting_department, DOCUMENT_REVIEWER)
    open_review(document)

    save_body(document_id=document.pk, user_id=reviewer.id, html="<p>核稿修改。</p>")

    assert _versions(document) == [
        (1, document.drafter_id, "<p>拟稿。</p>"),
        (2, reviewer.id, "<p>核稿修改。</p>"),
    ]
    assert [(v.number, v.author_name) for v in versions_of(document.pk)] == [
        (1, document.drafter.full_name or document.drafter.username),
        (2, "reviewer"),
    ]


def test_unchanged_text_saves_nothing():
    document = OfficialDocumentFactory()
    version = BodyVersionFactory(document=document, number=1, html="<p>拟稿。</p>")
    reviewer = make_staff("reviewer", document.drafting_department, DOCUMENT_REVIEWER)
    open_review(document)

    # The same text as the browser's editor writes it: sanitised, it is the stored text.
    returned = save_body(document_id=document.pk, user_id=reviewer.id, html="<p>拟稿。</p><p><br></p>")

    assert returned == version.pk
    assert _versions(document) == [(1, document.drafter_id, "<p>拟稿。</p>")]


def test_after_sign_off_saving_is_refused_and_nothing_changes():
    document = OfficialDocumentFactory(signed_off=True)
    BodyVersionFactory(document=document, number=1, html="<p>签发稿。</p>")

    with pytest.raises(DocumentLockedError) as refused:
        save_body(document_id=document.pk, user_id=document.drafter_id, html="<p>改动。</p>")

    assert refused.value.status == 409
    assert refused.value.message == "公文已签发，正文不能再修改"
    assert _versions(document) == [(1, document.drafter_id, "<p>签发稿。</p>")]


def test_someone_without_a_step_of_the_document_may_not_save():
    document = OfficialDocumentFactory()
    colleague = make_staff("colleague", document.drafting_department, DOCUMENT_REVIEWER)

    with pytest.raises(DocumentLockedError) as refused:
        save_body(document_id=document.pk, user_id=colleague.id, html="<p>改动。</p>")

    assert refused.value.message == "您当前没有办理这份公文的环节，不能修改正文"
    assert _versions(document) == []


@pytest.mark.parametrize("html", ["", "<p></p><p><br></p>", "<script>alert(1)</script>", "<p>   </p>"])
def test_an_empty_body_is_refused(html):
    document = OfficialDocumentFactory()

    with pytest.raises(DocumentError) as refused:
        save_body(document_id=document.pk, user_id=document.drafter_id, html=html)

    assert refused.value.status == 400
    assert refused.value.message == "请输入正文"
    assert _versions(document) == []


def test_the_editor_starts_from_the_template_before_the_first_save():
    template = DocumentTemplateFactory(body_html="<p>各部门：</p><p style='x'>现通知如下。</p>")
    document = OfficialDocumentFactory(template=template, issuing_body=template.issuing_body)

    assert current_html(document.pk) == ""
    assert starting_html(document.pk) == "<p>各部门：</p><p>现通知如下。</p>"


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_by_different_reviewers_take_distinct_numbers():
    document = OfficialDocumentFactory()
    BodyVersionFactory(document=document, number=1, html="<p>拟稿。</p>")
    open_review(document)
    reviewers = [
        make_staff(f"reviewer_{n}", document.drafting_department, DOCUMENT_REVIEWER).id for n in range(8)
    ]
    start = threading.Barrier(len(reviewers))
    outcomes: list[str] = []
    record = threading.Lock()

    def attempt(user_id: int) -> None:
        try:
            start.wait()
            try:
                save_body(
                    document_id=document.pk, user_id=user_id, html=f"<p>第{user_id}号核稿人的修改。</p>"
                )
                outcome = "saved"
            except Exception as exc:  # anything else fails the test below, with its name
                outcome = repr(exc)
            with record:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user_id,)) for user_id in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == ["saved"] * len(reviewers)
    numbers = sorted(BodyVersion.objects.filter(document=document).values_list("number", flat=True))
    assert numbers == list(range(1, len(reviewers) + 2))
