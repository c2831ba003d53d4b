"""The demo city's 收文 (issue 15): copies the 市市场监管局 received, waiting for its demo staff at each
step of 收文办理 — one to register (待登记), one at 拟办, one at 领导批示, one at 承办 by the 市税务局 and
the 市市场监管局, one in 传阅 — and one 办结. On a running platform 公文交换 delivers them; the demo
places them as signed-for copies from bodies outside the platform (no source document)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

from django.utils import timezone
from PIL import Image, ImageDraw

from tongban.accounts.selectors import user_id_by_username
from tongban.documents.models import IncomingState, ReceivedDocument
from tongban.documents.services import incoming
from tongban.organizations.selectors import department_by_name
from tongban.workflow.selectors import open_tasks_of

RECEIVING = "云州市市场监督管理局"
HANDLING = ("国家税务总局云州市税务局", "云州市市场监督管理局")


@dataclass(frozen=True)
class DemoReceived:
    sender: str
    number: str
    title: str
    kind: str
    reach: str  # unregistered, propose, instruct, handle, circulate, done


RECEIVED = (
    DemoReceived(
        "云州市人民政府办公室",
        "云州府办〔2026〕31号",
        "云州市人民政府办公室关于开展2026年度食品安全检查的通知",
        "notice",
        "unregistered",
    ),
    DemoReceived(
        "云州市人民政府办公室",
        "云州府办〔2026〕33号",
        "云州市人民政府办公室关于做好岁末年初市场保供稳价工作的通知",
        "notice",
        "propose",
    ),
    DemoReceived(
        "云州市发展和改革委员会",
        "云州发改〔2026〕58号",
        "关于报送2026年度价格监测数据的函",
        "letter",
        "instruct",
    ),
    DemoReceived(
        "云州市人民政府",
        "云州府发〔2026〕12号",
        "云州市人民政府关于优化营商环境若干措施的通知",
        "notice",
        "handle",
    ),
    DemoReceived(
        "云州市商务局", "云州商〔2026〕20号", "关于联合开展消费品以旧换新专项检查的函", "letter", "circulate"
    ),
    DemoReceived(
        "云州市锦江区人民政府",
        "锦政〔2026〕7号",
        "云州市锦江区人民政府关于商请支持农贸市场改造的函",
        "letter",
        "done",
    ),
)
ORDER = ("unregistered", "propose", "instruct", "handle", "circulate", "done")


def _signature_png() -> bytes:
    image = Image.new("RGBA", (240, 80), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line(
        [(20, 55), (60, 25), (95, 60), (140, 22), (180, 58), (220, 30)], fill=(20, 20, 20, 255), width=3
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _task(received: ReceivedDocument, prefix: str):
    return [t for t in open_tasks_of(received.subject) if t.element_id.startswith(prefix)]


def load_demo_received() -> int:
    """Create the demo 收文 not created yet and take each to its step; returns how many were created.
    Needs the demo's 公文 accounts (market_doc_clerk …); without them nothing is created."""
    department = department_by_name(RECEIVING)
    users = {
        name: user_id_by_username(name)
        for name in ("market_doc_clerk", "market_doc_reviewer", "market_doc_signer", "tax_doc_clerk")
    }
    handling = [department_by_name(name) for name in HANDLING]
    if department is None or None in users.values() or None in handling:
        return 0
    incoming.install_incoming_process()
    clerk, reviewer, signer, tax_clerk = (int(users[k] or 0) for k in users)
    created = 0
    for index, item in enumerate(RECEIVED):
        if ReceivedDocument.objects.filter(department_id=department.id, document_number=item.number).exists():
            continue
        now = timezone.now() - dt.timedelta(days=len(RECEIVED) - index)
        received = ReceivedDocument.objects.create(
            department_id=department.id,
            sender_name=item.sender,
            document_number=item.number,
            title=item.title,
            kind=item.kind,
            page_count=2,
            pdf_sha256=hashlib.sha256(item.number.encode()).hexdigest(),
            state=IncomingState.RECEIVED,
            delivered_at=now,
            received_at=now,
            received_by_id=clerk,
        )
        created += 1
        reach = ORDER.index(item.reach)
        if reach >= 1:
            incoming.register_received(
                received_id=received.pk,
                user_id=clerk,
                fields=incoming.Registration(item.sender, item.number, item.title, "", "", 2),
            )
        if reach >= 2:
            [task] = _task(received, "propose")
            incoming.propose(
                task_id=task.id, user_id=reviewer, opinion="拟请市税务局、本局办公室承办，呈局领导批示。"
            )
        if reach >= 3:
            [task] = _task(received, "instruct")
            incoming.instruct(
                task_id=task.id,
                user_id=signer,
                opinion="同意拟办意见，请抓紧落实。",
                department_ids=[d.id for d in handling if d is not None],
                handling_days=5,
                signature_png=_signature_png(),
            )
        if reach >= 4:
            for task in _task(received, "handle_"):
                user = tax_clerk if task.department_id != department.id else clerk
                incoming.complete_handling(task_id=task.id, user_id=user, result="已按批示办理完毕。")
            [task] = _task(received, "circulate")
            incoming.circulate(task_id=task.id, user_id=clerk, reader_ids=[reviewer, signer])
        if reach >= 5:
            incoming.mark_read(received_id=received.pk, user_id=signer)
            [task] = _task(received, "circulate")
            incoming.close_circulation(task_id=task.id, user_id=clerk)
            [task] = _task(received, "close")
            incoming.close_received(task_id=task.id, user_id=clerk, note="已按来函意见办理并电话回复。")
    return created
