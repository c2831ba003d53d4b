"""审批表: the approval sheet PDF lists every step's opinion, person and time in order, in an embedded
Chinese font, for staff who may read the case; the download is audited."""

import io
import shutil
import subprocess

import pytest
from conftest import PASSWORD, make_staff
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import services
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import draft_with_materials
from tongban.core.models import AuditEvent
from tongban.workflow.phrases import save_signature
from tongban.workflow.selectors import open_tasks_of

OPINIONS = ("材料齐全，予以受理", "经审查，符合法定条件", "同意准予许可", "已制证，予以办结")


@pytest.fixture
def closed_case(department, publish_item):
    citizen = ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)
    application_id = draft_with_materials(applicant_id=citizen.id, item=publish_item(department))
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    staff = {
        role: make_staff(f"market_{role}", department, role=role)
        for role in ("clerk", "reviewer", "approver")
    }
    for (step, role, action), opinion in zip(
        (
            ("accept", "clerk", "accept"),
            ("review", "reviewer", "pass"),
            ("decide", "approver", "approve"),
            ("close", "clerk", "close"),
        ),
        OPINIONS,
        strict=True,
    ):
        [task] = [t for t in open_tasks_of(subject_of(application_id)) if t.step == step]
        services.handle_task(task_id=task.id, staff_id=staff[role].id, action=action, opinion=opinion)
    return application_id, staff


def test_the_sheet_lists_every_opinion_in_order_with_person_and_result(client, closed_case, tmp_path):
    application_id, staff = closed_case
    login_staff(client, staff["approver"])
    response = client.get(reverse("applications:staff_approval_sheet", args=[application_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="approval-sheet-YZ')

    # Cells wrap: compare without the line breaks.
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).replace(
        "\n", ""
    )
    positions = [text.index(opinion) for opinion in OPINIONS]
    assert positions == sorted(positions)  # in the order the steps were done
    for expected in ("审批表", "张三", "market_reviewer", "审查通过", "准予"):
        assert expected in text
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(io.BytesIO(response.content)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    # The TrueType font embedded as a subset (prefix+name), not a reader-supplied CID font.
    assert any(name.startswith("/AAAAAA+WenQuanYi") for name in fonts), fonts
    assert not any("STSong" in name for name in fonts)

    assert (
        AuditEvent.objects.filter(event="approval_sheet.downloaded", object_id=str(application_id)).count()
        == 1
    )

    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(  # noqa: S603 - pdftoppm from poppler-utils, arguments of our own
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-png",
            "-r",
            "60",
            "-singlefile",
            str(pdf),
            str(tmp_path / "sheet"),
        ],
        check=True,
    )
    assert (tmp_path / "sheet.png").stat().st_size > 10_000


def test_staff_of_another_department_cannot_download_it(client, closed_case, other_department):
    application_id, _staff = closed_case
    login_staff(client, make_staff("civil_clerk", other_department, role="clerk"))
    assert client.get(reverse("applications:staff_approval_sheet", args=[application_id])).status_code == 404


def test_a_handwritten_signature_is_shown_with_the_persons_opinion(client, closed_case):
    application_id, staff = closed_case
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (20, 20, 120)).save(buffer, "PNG")
    save_signature(user_id=staff["approver"].id, name="签名.png", data=buffer.getvalue())
    login_staff(client, staff["approver"])
    pdf = client.get(reverse("applications:staff_approval_sheet", args=[application_id])).content
    [page] = PdfReader(io.BytesIO(pdf)).pages
    images = [
        name
        for name, obj in page["/Resources"].get("/XObject", {}).items()
        if obj.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1  # the approver's signature, once
