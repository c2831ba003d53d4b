"""Reactions to other apps' events."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from tongban.applications.events import application_status_changed
from tongban.applications.selectors import applications_by_ids
from tongban.applications.subjects import application_id_of
from tongban.appointments.events import appointment_cancelled_by_hall
from tongban.notifications import tasks
from tongban.notifications.services import notify
from tongban.ratings.events import rectification_closed, rectification_opened
from tongban.supervision.events import staff_alerted
from tongban.workflow.events import signing_turn
from tongban.workflow.subjects import describe as describe_subjects


@receiver(application_status_changed)
def tell_the_applicant(
    sender, *, application_id, applicant_id, item_version_id, number, to_status, note, event_id, **kwargs
):
    """Sent after commit; the message (inbox, SMS, email) goes out from a worker, so 提交申请 and the
    staff actions do not wait for the SMS gateway."""
    tasks.tell_applicant_of_status.delay(
        application_id=application_id,
        applicant_id=applicant_id,
        item_version_id=item_version_id,
        number=number,
        to_status=to_status,
        note=note,
        event_id=event_id,
    )


@receiver(staff_alerted)
def tell_the_staff(sender, *, recipient_ids, title, body, link, **kwargs):
    """催办, 督办 and deadline warnings reach each handler's inbox."""
    for user_id in recipient_ids:
        notify(user_id=user_id, title=title, body=body, link=link)


@receiver(signing_turn)
def tell_the_signers(sender, *, recipient_ids, task_id, step, subject, **kwargs):
    """会签/加签: it is their turn to sign a step of a case, or of another subject whose app describes
    it (``workflow.subjects``: 内部事项)."""
    application_id = application_id_of(subject)
    if application_id is None:
        other = describe_subjects([subject]).get(subject)
        if other is None:
            return
        what, link = other.number, other.task_url(task_id)
    else:
        application = applications_by_ids({application_id}).get(application_id)
        what = _("办件%(number)s") % {"number": application.number if application else ""}
        link = reverse("applications:staff_task", args=[task_id])
    for user_id in recipient_ids:
        notify(
            user_id=user_id,
            title=_("请签署：%(step)s") % {"step": step},
            body=_("%(what)s的“%(step)s”环节轮到您签署意见。") % {"what": what, "step": step},
            link=link,
        )


@receiver(appointment_cancelled_by_hall)
def tell_the_booker(
    sender,
    *,
    appointment_id,
    applicant_id,
    code,
    item_name,
    hall_name,
    date,
    start_time,
    end_time,
    reason,
    **kwargs,
):
    """停止预约: the hall closed the day of a booking, which is cancelled; say why and what to do."""
    notify(
        user_id=applicant_id,
        title=_("预约已取消"),
        body=_(
            "您预约的“%(item)s”（%(hall)s，%(date)s %(start)s–%(end)s，预约码%(code)s）已取消。"
            "原因：%(reason)s。请另选时段重新预约。"
        )
        % {
            "item": item_name,
            "hall": hall_name,
            "date": f"{date.year}年{date.month}月{date.day}日",
            "start": f"{start_time:%H:%M}",
            "end": f"{end_time:%H:%M}",
            "code": code,
            "reason": reason.rstrip("。."),
        },
        link=reverse("appointments:detail", args=[appointment_id]),
    )


@receiver(rectification_opened)
def tell_the_department(sender, *, rectification_id, application_number, due_date, recipient_ids, **kwargs):
    """A bad rating opened a 差评整改: the department's handlers hear of it and of its due date."""
    for user_id in recipient_ids:
        notify(
            user_id=user_id,
            title=_("差评整改：%(number)s") % {"number": application_number},
            body=_("办件%(number)s收到差评，请于%(date)s前整改并回访评价人。")
            % {"number": application_number, "date": date_format(due_date, "Y年n月j日")},
            link=reverse("ratings:staff_detail", args=[rectification_id]),
        )


@receiver(rectification_closed)
def tell_the_rater(sender, *, application_id, application_number, rater_id, **kwargs):
    """The rater's bad rating was rectified: the outcome is on their application's page."""
    notify(
        user_id=rater_id,
        title=_("您的评价已整改办结"),
        body=_("您对办件%(number)s的评价已整改办结，整改情况和回访结果可在办件进度中查看。")
        % {"number": application_number},
        link=reverse("applications:detail", args=[application_id]),
    )
