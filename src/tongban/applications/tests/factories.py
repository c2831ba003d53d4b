from tongban.applications.subjects import application_id_of
from tongban.core.tests.files import pdf_bytes
from tongban.workflow.selectors import inbox_tasks

__all__ = ["application_id_of", "draft_with_materials", "pdf_bytes", "submitted_applications"]


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


def submitted_applications(*, applicant_id: int, item, count: int) -> list[int]:
    """``count`` applications of ``item`` submitted by the applicant, each waiting for 受理."""
    from tongban.applications import services

    ids = []
    for _ in range(count):
        application_id = draft_with_materials(applicant_id=applicant_id, item=item)
        services.submit_application(application_id=application_id, applicant_id=applicant_id)
        ids.append(application_id)
    return ids


def inbox_application_ids(staff_id: int) -> list[int | None]:
    """The applications in a staff member's 待办, in inbox order."""
    return [application_id_of(task.instance.subject) for task in inbox_tasks(staff_id)]


# A form with a resident ID number at the top level and one inside a nested object (GB 11643 numbers
# with a valid check character; neither is anybody's).
APPLICANT_ID = "110101199003074514"
SPOUSE_ID = "441900198506151235"
PERSON_SCHEMA = {
    "type": "object",
    "required": ["name", "resident_id", "address"],
    "properties": {
        "name": {"type": "string", "maxLength": 50},
        "resident_id": {"type": "string", "format": "resident_id", "maxLength": 18},
        "address": {"type": "string", "maxLength": 100},
        "spouse": {
            "type": "object",
            "required": [],
            "properties": {
                "name": {"type": "string", "maxLength": 50},
                "resident_id": {"type": "string", "format": "resident_id", "maxLength": 18},
            },
        },
    },
}
PERSON_UI = {
    "ui:order": ["name", "resident_id", "address", "spouse"],
    "name": {"ui:label": "申请人姓名"},
    "resident_id": {"ui:label": "申请人身份证号码"},
    "address": {"ui:label": "现居住地址"},
    "spouse": {
        "ui:label": "配偶信息",
        "ui:order": ["name", "resident_id"],
        "name": {"ui:label": "配偶姓名"},
        "resident_id": {"ui:label": "配偶身份证号码"},
    },
}
PERSON_ANSWERS = {
    "name": "张三",
    "resident_id": APPLICANT_ID,
    "address": "滨江路1号",
    "spouse": {"name": "李四", "resident_id": SPOUSE_ID},
}
