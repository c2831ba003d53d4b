import io

from reportlab.pdfgen import canvas

from tongban.applications.subjects import application_id_of
from tongban.workflow.selectors import inbox_tasks


def pdf_bytes(text: str = "申请书") -> bytes:
    """A small real PDF (what a scanner or a phone app produces), for material uploads."""
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer)
    document.drawString(72, 720, text.encode("ascii", "replace").decode())
    document.showPage()
    document.save()
    return buffer.getvalue()


def draft_with_materials(*, applicant_id: int, item, answers: dict | None = None) -> int:
    """A draft of ``item`` (a catalog VersionRef) with every material uploaded, ready to submit."""
    from tongban.applications import services
    from tongban.catalog.selectors import version_snapshot

    application_id = services.start_application(
        applicant_id=applicant_id, applicant_name="张三", implementation_code=item.implementation_code
    )
    if answers is not None:
        services.save_answers(application_id=application_id, applicant_id=applicant_id, answers=answers)
    for material in version_snapshot(item.version_id).materials:
        services.attach_material(
            application_id=application_id,
            applicant_id=applicant_id,
            requirement_id=material.id,
            name=f"{material.name}.pdf",
            data=pdf_bytes(),
        )
    return application_id


def inbox_application_ids(staff_id: int) -> list[int | None]:
    """The applications in a staff member's 待办, in inbox order."""
    return [application_id_of(task.instance.subject) for task in inbox_tasks(staff_id)]
