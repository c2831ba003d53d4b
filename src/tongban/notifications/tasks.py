"""Work the person who acted need not wait for: messages go out after the commit, from a worker
(in-process under ``make run``, which has no broker). Each task is safe to run twice."""

from celery import shared_task

from tongban.notifications import services


@shared_task(name="notifications.tell_applicant_of_status")
def tell_applicant_of_status(
    *,
    application_id: int,
    applicant_id: int,
    item_version_id: int,
    number: str | None,
    to_status: str,
    note: str,
    event_id: int,
) -> int:
    return services.tell_applicant_of_status(
        application_id=application_id,
        applicant_id=applicant_id,
        item_version_id=item_version_id,
        number=number,
        to_status=to_status,
        note=note,
        event_id=event_id,
    )
