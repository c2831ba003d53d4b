"""Demo cases, so that 待办, the process diagram and 电子监察 have something to show: a food production
licence waiting for intake (market_clerk), and an enterprise start-up in parallel approval (tax,
social insurance and police approvers).

Every case goes through the application and workflow services, as a real one would. Idempotent:
an applicant's existing application for the item is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from tongban.accounts.selectors import names_of, user_id_by_username
from tongban.applications import selectors as application_selectors
from tongban.applications import services as applications
from tongban.applications.subjects import subject_of
from tongban.catalog import selectors as catalog_selectors
from tongban.demo.pdfs import result_sample_pdf
from tongban.workflow.selectors import open_tasks_of


@dataclass(frozen=True)
class DemoCase:
    applicant: str
    item: str
    answers: dict[str, str]
    steps: tuple[tuple[str, str, str, str], ...] = ()  # (staff username, step, action, opinion)


CASES = (
    DemoCase(applicant="13800000002", item="食品生产许可", answers={}),
    DemoCase(
        applicant="13800000002",
        item="有限责任公司设立登记",
        answers={},
        steps=(
            ("market_clerk", "accept", "accept", "材料齐全，符合法定形式，予以受理"),
            ("market_approver", "decide", "approve", "名称、住所、经营范围符合规定，准予设立登记"),
        ),
    ),
)


def load_demo_cases() -> int:
    """Create the demo cases that do not exist yet; returns how many were created."""
    created = 0
    for case in CASES:
        applicant_id = user_id_by_username(case.applicant)
        item = catalog_selectors.published_item_by_name(case.item)
        if applicant_id is None or item is None or not item.accepts_online:
            continue
        if application_selectors.applications_of(applicant_id).filter(item_id=item.item_id).exists():
            continue
        application_id = applications.start_application(
            applicant_id=applicant_id,
            applicant_name=names_of({applicant_id})[applicant_id],
            implementation_code=item.implementation_code,
        )
        if case.answers:
            applications.save_answers(
                application_id=application_id, applicant_id=applicant_id, answers=case.answers
            )
        for material in item.materials:
            pdf = result_sample_pdf(result_name=material.name, item_name=item.name, department="")
            applications.attach_material(
                application_id=application_id,
                applicant_id=applicant_id,
                requirement_id=material.id,
                name=f"{material.name}.pdf",
                data=pdf,
            )
        applications.submit_application(application_id=application_id, applicant_id=applicant_id)
        for username, step, action, opinion in case.steps:
            staff_id = user_id_by_username(username)
            task = next(t for t in open_tasks_of(subject_of(application_id)) if t.step == step)
            applications.handle_task(task_id=task.id, staff_id=staff_id or 0, action=action, opinion=opinion)
        created += 1
    return created
