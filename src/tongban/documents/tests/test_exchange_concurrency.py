"""Real concurrency on PostgreSQL: a 撤回 racing a 签收, two 分发 at once, one package imported twice at
once; each time the rows stay consistent and nothing is made twice."""

import importlib
import threading
from functools import partial

import pytest
from conftest import make_staff
from django.apps import apps
from django.db import connection

from tongban.core.errors import TongbanError
from tongban.documents.models import DeliveryState, DocumentRecipient, IncomingState, ReceivedDocument
from tongban.documents.roles import DOCUMENT_CLERK
from tongban.documents.services import exchange
from tongban.documents.tests.exchange_helpers import sealed_exchange
from tongban.organizations.tests.factories import DepartmentFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _document_roles():
    """A transactional test starts from a flushed database: the roles migration 0002 seeds come back."""
    importlib.import_module("tongban.documents.migrations.0002_seed_document_roles").seed(apps, None)


def _race(*attempts) -> list[str]:
    """Run the attempts at the same moment, each on its own connection; their outcomes in order."""
    barrier = threading.Barrier(len(attempts))
    outcomes = ["?"] * len(attempts)

    def run(index: int) -> None:
        try:
            barrier.wait()
            try:
                attempts[index]()
                outcomes[index] = "won"
            except TongbanError as exc:
                outcomes[index] = exc.code
            except Exception as exc:  # anything else fails the caller's assertion, with its name
                outcomes[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_a_withdrawal_racing_a_signing_leaves_one_consistent_outcome():
    given = sealed_exchange()
    exchange.distribute_document(document_id=given.document.pk, user_id=given.sender_clerk.id)
    copy = ReceivedDocument.objects.get(source_recipient=given.recipients[0])

    outcomes = _race(
        partial(exchange.withdraw_document, document_id=given.document.pk, user_id=given.sender_clerk.id),
        partial(exchange.receive_document, received_id=copy.pk, user_id=given.clerks[0].id),
    )

    copy.refresh_from_db()
    recipient = DocumentRecipient.objects.get(pk=given.recipients[0].pk)
    if outcomes == ["won", "not_pending"]:
        assert (copy.state, recipient.state) == (IncomingState.WITHDRAWN, DeliveryState.WITHDRAWN)
    else:
        assert outcomes == ["already_received", "won"]
        assert (copy.state, recipient.state) == (IncomingState.RECEIVED, DeliveryState.RECEIVED)
        assert ReceivedDocument.objects.filter(state=IncomingState.PENDING).count() == 2


def test_two_distributions_at_once_make_each_copy_once():
    given = sealed_exchange()
    distribute = partial(
        exchange.distribute_document, document_id=given.document.pk, user_id=given.sender_clerk.id
    )

    outcomes = _race(distribute, distribute)

    assert outcomes == ["won", "won"]
    assert ReceivedDocument.objects.count() == 3


def test_one_package_imported_twice_at_once_is_imported_once():
    given = sealed_exchange()
    package = exchange.export_package(given.document.pk)
    department = DepartmentFactory(name="邻州市人民政府办公室")
    importer = make_staff("importer", department, DOCUMENT_CLERK)
    run = partial(exchange.import_package, data=package, department_id=department.pk, user_id=importer.id)

    outcomes = _race(run, run)

    assert sorted(outcomes) == ["already_imported", "won"]
    assert ReceivedDocument.objects.filter(department=department).count() == 1
