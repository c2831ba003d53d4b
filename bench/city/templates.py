"""The template cases the loader clones: real applications taken to each state by the services.

Everything here goes through the platform's services (start, answers, uploads, submit, handle_task,
request_correction), so the states, events, tasks and engine state are the ones the platform makes.
Runs in-process after ``load_demo_city``; the loader then copies these rows with new ids.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from tongban.accounts.services import ensure_user
from tongban.applications import services
from tongban.catalog.selectors import search_published, version_snapshot
from tongban.catalog.types import ItemSnapshot
from tongban.core.identifiers import resident_id_check_char
from tongban.organizations.services import assign_role
from tongban.workflow.selectors import open_tasks_of

ITEM_NAME = "居住证办理"  # demo item "residence-permit": standard process, natural persons, online
PASSWORD = "Bench-city-2026"  # noqa: S105 - a throw-away database's accounts
PHONE_BASE = 13900000000  # bench citizens: 13900000000 + n; cloned citizens follow them
BENCH_CITIZENS = 16  # logged in by the paths; each owns a share of the cloned cases
STAFF_ROLES = {
    "clerk": ("clerk", "catalog_editor"),
    "reviewer": ("reviewer",),
    "approver": ("approver",),
    "supervisor": ("supervisor",),
}
# (step, staff, action, opinion, extra) in the order the standard process asks them.
STEPS = [
    ("accept", "clerk", "accept", "材料齐全，予以受理", {}),
    ("review", "reviewer", "pass", "符合法定条件", {}),
    ("decide", "approver", "approve", "同意", {}),
    ("close", "clerk", "close", "", {}),
    ("deliver", "clerk", "deliver", "", {"delivery_method": "electronic"}),
]
# Template cases per state. Cases with an open task (the first group) and finished or paused ones
# (the second) are cloned in separate rounds, so the loader sets the share of open tasks.
OPEN_STATES = {"submitted": 3, "accepted_at_review": 3, "at_decide": 2, "at_close": 2}
DONE_STATES = {"closed_approved": 11, "closed_denied": 2, "correction_requested": 1, "declined": 1}


@dataclass(frozen=True)
class Templates:
    item: ItemSnapshot
    staff: dict[str, int]
    citizens: list[int]
    open_ids: list[int]
    done_ids: list[int]


def resident_id(serial: int) -> str:
    first17 = f"110101199003{serial % 28 + 1:02d}{serial % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def find_item() -> ItemSnapshot:
    [version] = [v for v in search_published(ITEM_NAME).versions if v.name == ITEM_NAME]
    return version_snapshot(version.pk)


def small_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (240, 320), (250, 250, 250)).save(out, format="PNG")
    return out.getvalue()


def make_accounts(item: ItemSnapshot, *, citizens: int) -> tuple[dict[str, int], list[int]]:
    """Staff of the bench item's department (their roles) and ``citizens`` citizens with resident IDs."""
    staff = {}
    for name, roles in STAFF_ROLES.items():
        user = ensure_user(username=f"bench_{name}", full_name=f"压测{name}", kind="staff", password=PASSWORD)
        for role in roles:
            assign_role(user_id=user.id, department_id=item.department_id, role=role)
        staff[name] = user.id
    people = [
        ensure_user(
            username=str(PHONE_BASE + n),
            phone=str(PHONE_BASE + n),
            full_name=f"压测市民{n}",
            kind="citizen",
            password=PASSWORD,
            resident_id=resident_id(n),
        ).id
        for n in range(citizens)
    ]
    return staff, people


def submit(item: ItemSnapshot, applicant_id: int, files: dict[str, bytes], serial: int) -> int:
    application_id = services.start_application(
        applicant_id=applicant_id,
        applicant_name=f"压测市民{serial}",
        implementation_code=item.implementation_code,
    )
    answers = {
        "name": f"压测市民{serial}",
        "resident_id": resident_id(serial),
        "phone": str(PHONE_BASE + serial),
        "address": f"云州市东湖街道压测路{serial}号",
        "reason": "在东湖街道居住满半年，申领居住证。",
    }
    services.save_answers(application_id=application_id, applicant_id=applicant_id, answers=answers)
    attach_required_materials(item, application_id, applicant_id, files)
    services.submit_application(application_id=application_id, applicant_id=applicant_id)
    return application_id


def attach_required_materials(
    item: ItemSnapshot, application_id: int, applicant_id: int, files: dict[str, bytes]
) -> None:
    """Upload each required material of ``item`` to the draft: ``files["pdf"]`` where PDF is allowed,
    else ``files["png"]`` (also used by bench/workflow_throughput.py)."""
    for material in item.materials:
        if material.necessity != "required":
            continue
        kind = "pdf" if "pdf" in material.allowed_types else "png"
        services.attach_material(
            application_id=application_id,
            applicant_id=applicant_id,
            requirement_id=material.id,
            name=f"{material.name}.{kind}",
            data=files[kind],
        )


def open_task(application_id: int, step: str) -> uuid.UUID:
    return next(t.id for t in open_tasks_of(f"application:{application_id}") if t.step == step)


def advance(application_id: int, staff: dict[str, int], *, steps: int) -> None:
    """Take the application through the first ``steps`` steps of the standard flow."""
    for step, who, action, opinion, extra in STEPS[:steps]:
        services.handle_task(
            task_id=open_task(application_id, step),
            staff_id=staff[who],
            action=action,
            opinion=opinion,
            **extra,
        )


def to_state(application_id: int, state: str, staff: dict[str, int], item: ItemSnapshot) -> None:
    if state == "submitted":
        return
    if state == "accepted_at_review":
        advance(application_id, staff, steps=1)
    elif state == "at_decide":
        advance(application_id, staff, steps=2)
    elif state == "at_close":
        advance(application_id, staff, steps=3)
    elif state == "closed_approved":
        advance(application_id, staff, steps=5)
    elif state == "closed_denied":
        advance(application_id, staff, steps=2)
        services.handle_task(
            task_id=open_task(application_id, "decide"),
            staff_id=staff["approver"],
            action="deny",
            opinion="不符合条件",
        )
        for step, who, action, opinion, extra in STEPS[3:]:
            tasks = [t for t in open_tasks_of(f"application:{application_id}") if t.step == step]
            for task in tasks:
                services.handle_task(
                    task_id=task.id, staff_id=staff[who], action=action, opinion=opinion, **extra
                )
    elif state == "correction_requested":
        services.request_correction(
            application_id=application_id,
            staff_id=staff["clerk"],
            reason="请补正居住证明材料",
            fields=[],
            material_ids=[item.materials[0].id],
        )
    elif state == "declined":
        services.decline_application(
            application_id=application_id, staff_id=staff["clerk"], reason="不属于本部门受理范围"
        )
    else:
        raise ValueError(state)


def make_templates(*, citizens: int) -> Templates:
    """Accounts, then the template cases of every state, owned by the first bench citizen."""
    from tongban.core.tests.files import pdf_bytes

    item = find_item()
    staff, people = make_accounts(item, citizens=citizens)
    files = {"pdf": pdf_bytes("bench material"), "png": small_png()}
    ids: dict[str, list[int]] = {"open": [], "done": []}
    for group, states in (("open", OPEN_STATES), ("done", DONE_STATES)):
        for state, count in states.items():
            for _ in range(count):
                application_id = submit(item, people[0], files, 0)
                to_state(application_id, state, staff, item)
                ids[group].append(application_id)
    return Templates(item=item, staff=staff, citizens=people, open_ids=ids["open"], done_ids=ids["done"])
