"""The demo city's 发文 (issue 15): the issuing bodies 云州市人民政府办公室 (云州府办) and 云州市市场监督管理局
(云州市监) with a template per 文种 (通知, 请示, 报告, 函, 批复, 纪要), their departments' seals, and
documents standing at every step of the 发文 process — 草稿, 核稿, 会签, 签发, 编号, 套红, 用印 — and
distributed ones whose recipients have it 已送达 (待签收), 已签收 or 已退文, and one 已归档.

Everything goes through the documents services, the way the pages drive them (a document reaches its
step by completing the steps before it as the people who hold them), so the demo's documents have real
versions, opinions, signatures, 文号, sealed PDFs and distribution records. Idempotent: each demo
document has a fixed idempotency key, and driving it stops at its step whatever it reached before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tongban.accounts.selectors import user_id_by_username
from tongban.demo.received import _signature_png
from tongban.documents import exchange_selectors, selectors
from tongban.documents.errors import DocumentError
from tongban.documents.services import archiving, body, drafting, exchange, steps
from tongban.documents.services import settings as document_settings
from tongban.licenses import services as license_services
from tongban.organizations.selectors import department_by_name
from tongban.workflow.selectors import open_tasks_of

OFFICE = "云州市人民政府办公室"
MARKET = "云州市市场监督管理局"
TAX = "国家税务总局云州市税务局"
EDUCATION = "云州市教育局"
HEALTH = "云州市卫生健康委员会"

BODIES = (
    # (department, name, 发文机关标志, 机关代字)
    (OFFICE, "云州市人民政府办公室", "云州市人民政府办公室文件", "云州府办"),
    (MARKET, "云州市市场监督管理局", "云州市市场监督管理局文件", "云州市监"),
)


# The 主送 line is printed from the 发文单 (主送机关), so neither a template nor a text repeats it.
def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


TEMPLATES = {
    # 文种: (template name, starter text)
    "notice": (
        "通知",
        _p(
            "为做好××工作，经市人民政府同意，现将有关事项通知如下：",
            "一、工作目标。（写明目标和时限）",
            "二、主要任务。（逐项写明任务、责任单位和完成时间）",
            "三、工作要求。各单位要高度重视，明确专人负责，于×月×日前将落实情况报送市政府办公室。",
        ),
    ),
    "request": (
        "请示",
        _p(
            "（写明请示的缘由和依据。）",
            "为此，拟××（写明请示事项和具体意见）。",
            "妥否，请批示。",
        ),
    ),
    "report": (
        "报告",
        _p(
            "根据××要求，现将××工作情况报告如下：",
            "一、基本情况。",
            "二、主要做法和成效。",
            "三、存在的问题和下一步打算。",
            "特此报告。",
        ),
    ),
    "letter": (
        "函",
        _p(
            "（写明发函的缘由。）为××，现就××事宜函商如下：",
            "（写明商洽、询问或请求批准的事项。）",
            "请于×月×日前函复。",
        ),
    ),
    "reply": (
        "批复",
        _p(
            "你单位《关于××的请示》（××〔20××〕×号）收悉。经研究，现批复如下：",
            "一、同意××。",
            "二、请按照有关规定认真组织实施。",
            "此复。",
        ),
    ),
    "minutes": (
        "纪要",
        _p(
            "20××年×月×日，××在××主持召开会议，研究××工作。现将会议议定事项纪要如下：",
            "一、会议听取了××的汇报。",
            "二、会议议定：××。",
            "出席：××　列席：××",
        ),
    ),
}
MARKET_TEMPLATES = ("notice", "letter", "report")


@dataclass(frozen=True)
class DemoDocument:
    key: str  # the idempotency key of its 拟稿
    body: str  # the issuing body's 代字
    kind: str
    title: str
    stop: str  # the step it waits at, or "distributed" / "archived"
    main: tuple[str, ...] = ()  # 主送 departments on the platform
    main_names: tuple[str, ...] = ()
    copies: tuple[str, ...] = ()
    countersign: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    received: tuple[str, ...] = ()  # recipients that signed for it
    returned: dict[str, str] = field(default_factory=dict)  # recipient → 退文理由


DOCUMENTS = (
    DemoDocument(
        "demo-doc-draft",
        "云州府办",
        "request",
        "云州市人民政府办公室关于申请2027年春节期间城市亮化经费的请示",
        "draft",
        main_names=("市人民政府",),
        text=(
            "为营造欢乐祥和的节日氛围，拟于2027年春节期间对市民大道等主要街道实施节日亮化。",
            "经测算，所需经费约120万元，拟从市本级预备费中列支。",
            "妥否，请批示。",
        ),
    ),
    DemoDocument(
        "demo-doc-review",
        "云州府办",
        "notice",
        "云州市人民政府办公室关于做好2027年元旦春节期间安全生产工作的通知",
        "dept_review",
        main=(MARKET, EDUCATION),
        main_names=("各区人民政府",),
        text=(
            "为加强元旦春节期间安全生产工作，现将有关事项通知如下。",
            "各单位要落实领导带班和24小时值班制度，遇有重大情况及时报告。",
        ),
    ),
    DemoDocument(
        "demo-doc-countersign",
        "云州府办",
        "notice",
        "云州市人民政府办公室关于开展2027年食品安全宣传周活动的通知",
        "countersign",
        main=(MARKET, HEALTH),
        countersign=(MARKET,),
        text=(
            "经市人民政府同意，定于2027年6月开展食品安全宣传周活动，现将有关事项通知如下。",
            "市市场监管局牵头组织，市卫健委配合做好食品安全风险交流工作。",
        ),
    ),
    DemoDocument(
        "demo-doc-sign-off",
        "云州府办",
        "report",
        "云州市人民政府办公室关于2026年度政务公开工作情况的报告",
        "sign_off",
        main_names=("市人民政府",),
        text=(
            "根据《中华人民共和国政府信息公开条例》，现将2026年度政务公开工作情况报告如下。",
            "全年主动公开政府信息3126条，办理依申请公开287件，均在法定期限内答复。",
            "特此报告。",
        ),
    ),
    DemoDocument(
        "demo-doc-numbering",
        "云州府办",
        "notice",
        "云州市人民政府办公室关于调整市政务服务中心冬季办公时间的通知",
        "numbering",
        main=(MARKET, TAX),
        main_names=("各区人民政府",),
        text=(
            "自2026年12月15日起，市政务服务中心冬季办公时间调整为上午9:00至12:00，下午13:30至17:00。",
            "请各进驻部门做好窗口人员安排，并通过门户网站向社会公告。",
        ),
    ),
    DemoDocument(
        "demo-doc-typesetting",
        "云州府办",
        "letter",
        "云州市人民政府办公室关于商请提供2026年度营商环境评价数据的函",
        "typesetting",
        main=(TAX,),
        text=(
            "为做好2026年度营商环境评价工作，请提供全市纳税人办税时间、网上办税率等数据。",
            "请于2026年12月20日前函复。",
        ),
    ),
    DemoDocument(
        "demo-doc-sealing",
        "云州府办",
        "notice",
        "云州市人民政府办公室关于印发云州市政务服务“好差评”工作办法的通知",
        "sealing",
        main=(MARKET, EDUCATION, HEALTH),
        main_names=("各区人民政府",),
        text=("《云州市政务服务“好差评”工作办法》已经市人民政府同意，现印发给你们，请认真贯彻执行。",),
    ),
    DemoDocument(
        "demo-doc-distributed",
        "云州府办",
        "notice",
        "云州市人民政府办公室关于做好岁末年初市场保供稳价工作的通知",
        "distributed",
        main=(MARKET, EDUCATION),
        copies=(TAX, HEALTH),
        main_names=("各区人民政府",),
        countersign=(MARKET,),
        text=(
            "岁末年初是市场消费旺季，为保障重要民生商品供应和价格基本稳定，现就有关工作通知如下。",
            "市市场监管局要加强价格监督检查，依法查处哄抬价格等违法行为。",
        ),
        received=(MARKET, EDUCATION),
        returned={TAX: "本局不承担市场保供职责，请改送市发展改革委。"},
    ),
    DemoDocument(
        "demo-doc-delivered",
        "云州府办",
        "notice",
        "云州市人民政府办公室关于做好2027年元旦春节期间值班工作的通知",
        "distributed",
        main=(MARKET, EDUCATION, HEALTH),
        main_names=("各区人民政府",),
        text=(
            "为确保元旦春节期间各项工作正常运转，现就值班工作通知如下。",
            "各单位要于2026年12月25日前将值班表报市政府办公室（总值班室）。",
        ),
    ),
    DemoDocument(
        "demo-doc-archived",
        "云州府办",
        "minutes",
        "云州市人民政府第28次常务会议纪要",
        "archived",
        main=(MARKET, TAX),
        text=(
            "2026年11月20日，市长主持召开市人民政府第28次常务会议，研究优化营商环境等事项。现纪要如下：",
            "一、会议原则同意《云州市优化营商环境若干措施》，由市政府办公室按程序印发。",
            "二、会议要求市市场监管局、市税务局进一步压缩企业开办时间。",
        ),
        received=(MARKET, TAX),
    ),
    DemoDocument(
        "demo-doc-market-letter",
        "云州市监",
        "letter",
        "云州市市场监督管理局关于联合开展餐饮行业发票专项检查的函",
        "distributed",
        main=(TAX,),
        text=(
            "为规范餐饮行业经营秩序，我局拟于2027年1月联合开展餐饮行业发票专项检查。",
            "请指派联络员一名，并于2026年12月25日前函复。",
        ),
    ),
)
ORDER = (
    "draft",
    "dept_review",
    "countersign",
    "office_review",
    "sign_off",
    "numbering",
    "typesetting",
    "sealing",
    "distribution",
    "distributed",
    "archived",
)


@dataclass(frozen=True)
class People:
    """The demo accounts of one issuing body's 发文, by step."""

    drafter: int
    head: int
    reviewer: int
    signer: int
    clerk: int
    seal_keeper: int


PEOPLE = {
    "云州府办": (
        "office_drafter",
        "office_head",
        "office_reviewer",
        "office_signer",
        "office_doc_clerk",
        "office_seal_keeper",
    ),
    "云州市监": (
        "market_clerk",
        "market_doc_signer",
        "market_doc_reviewer",
        "market_doc_signer",
        "market_doc_clerk",
        "market_seal_keeper",
    ),
}
# The 部门负责人 countersigning and the 文书人员 receiving, per department.
HEADS = {MARKET: "market_doc_signer"}
CLERKS = {
    MARKET: "market_doc_clerk",
    TAX: "tax_doc_clerk",
    EDUCATION: "education_staff",
    HEALTH: "health_staff",
}
ADMIN = "city_admin"


def _uid(username: str) -> int:
    found = user_id_by_username(username)
    if found is None:
        raise LookupError(username)
    return int(found)


def _department_id(name: str) -> int:
    department = department_by_name(name)
    if department is None:
        raise LookupError(name)
    return department.id


def ensure_bodies_and_templates(admin_id: int) -> None:
    """The issuing bodies, their departments' seals (用印) and templates; an existing one is kept."""
    for department, name, head_text, code in BODIES:
        department_id = _department_id(department)
        license_services.ensure_seal(department_id=department_id)
        try:
            document_settings.save_issuing_body(
                user_id=admin_id, department_id=department_id, name=name, head_text=head_text, code=code
            )
        except DocumentError as exc:
            if exc.code != "code":  # 机关代字已被使用: the body is there from an earlier load
                raise
    for code, drafter in (("云州府办", "office_drafter"), ("云州市监", "market_clerk")):
        existing = {(t.kind, t.body_name) for t in selectors.templates_for(_uid(drafter))}
        body_name = next(name for _d, name, _h, c in BODIES if c == code)
        body_id = _body_id(drafter)
        kinds = TEMPLATES if code == "云州府办" else {k: TEMPLATES[k] for k in MARKET_TEMPLATES}
        for kind, (name, html) in kinds.items():
            if (kind, body_name) in existing:
                continue
            document_settings.save_template(
                user_id=admin_id, issuing_body_id=body_id, name=name, kind=kind, body_html=html
            )


def _body_id(drafter: str) -> int:
    """The issuing body of the drafter's department (the only one they may draft for in the demo)."""
    [body_id] = selectors.issuing_body_ids_for(_uid(drafter))
    return body_id


def _template_id(drafter: int, kind: str, body_name: str) -> int:
    return next(t.id for t in selectors.templates_for(drafter) if t.kind == kind and t.body_name == body_name)


def _open(document_id: int) -> list[Any]:
    return list(open_tasks_of(f"document:{document_id}"))


def _step(document_id: int) -> str:
    tasks = _open(document_id)
    return tasks[0].element_id if tasks else "distributed"


def _draft(item: DemoDocument, people: People, document_id: int) -> None:
    ids = [_department_id(n) for n in item.main]
    drafting.update_form(
        document_id=document_id,
        user_id=people.drafter,
        title=item.title,
        main_departments=ids,
        main_names=list(item.main_names),
        copy_departments=[_department_id(n) for n in item.copies],
        countersign_departments=[_department_id(n) for n in item.countersign],
    )
    body.save_body(document_id=document_id, user_id=people.drafter, html=_p(*item.text))


def _advance(item: DemoDocument, people: People, document_id: int) -> None:
    """Complete the document's open step as the person holding it."""
    tasks = _open(document_id)
    element = tasks[0].element_id
    do: Callable[..., Any] = steps.handle_step
    if element == "draft":
        _draft(item, people, document_id)
        do(task_id=tasks[0].id, user_id=people.drafter, action="submit", opinion="")
    elif element == "dept_review":
        # The head tightens the wording: a version of theirs, shown as 修订 marks against the draft.
        edited = tuple(
            t.replace("现将有关", "现就有关").replace("各单位要", "各区、各部门要") for t in item.text
        )
        if edited != item.text:
            body.save_body(document_id=document_id, user_id=people.head, html=_p(*edited))
        do(task_id=tasks[0].id, user_id=people.head, action="agree", opinion="同意，请办公室核稿。")
    elif element == "countersign":
        for task in tasks:
            head = _uid(HEADS[_department_name(task.department_id)])
            do(
                task_id=task.id,
                user_id=head,
                action="agree",
                opinion="同意。涉及我局职责部分已核，无修改意见。",
            )
    elif element == "office_review":
        do(task_id=tasks[0].id, user_id=people.reviewer, action="agree", opinion="核稿无误，请领导签发。")
    elif element == "sign_off":
        drafting.sign_off(
            task_id=tasks[0].id,
            user_id=people.signer,
            opinion="同意印发。",
            signature_png=_signature_png(),
            use_saved_signature=False,
        )
    elif element in ("numbering", "typesetting", "distribution"):
        action = {"numbering": "number", "typesetting": "typeset", "distribution": "distribute"}[element]
        do(task_id=tasks[0].id, user_id=people.clerk, action=action, opinion="")
    elif element == "sealing":
        do(task_id=tasks[0].id, user_id=people.seal_keeper, action="seal", opinion="")
    else:
        raise LookupError(element)


def _department_name(department_id: int | None) -> str:
    from tongban.organizations.selectors import departments_by_ids

    found = departments_by_ids({department_id}) if department_id else {}
    return found[department_id].name if department_id in found else ""


def _receipts(item: DemoDocument, title: str) -> None:
    """签收 and 退文 by the recipients' 文书人员 (those left stay 已送达, 待签收)."""
    for name in (*item.received, *item.returned):
        clerk = _uid(CLERKS[name])
        department_id = _department_id(name)
        pending, _more = exchange_selectors.pending_for_clerk(clerk)
        for copy in pending:
            if copy.title != title or copy.department_id != department_id:
                continue
            if name in item.returned:
                exchange.return_document(received_id=copy.pk, user_id=clerk, reason=item.returned[name])
            else:
                exchange.receive_document(received_id=copy.pk, user_id=clerk)


def load_demo_documents() -> int:
    """Bring every demo document to its step; returns how many steps were completed now (0 when the
    demo already has them all). Needs the demo's 公文 accounts; without them nothing is done."""
    try:
        admin = _uid(ADMIN)
        people = {code: People(*(_uid(n) for n in names)) for code, names in PEOPLE.items()}
        ensure_bodies_and_templates(admin)
    except LookupError:
        return 0
    drafting.install_process()
    done = 0
    for item in DOCUMENTS:
        who = people[item.body]
        body_name = next(name for _d, name, _h, c in BODIES if c == item.body)
        drafter_department = _department_id(OFFICE if item.body == "云州府办" else MARKET)
        document_id = drafting.start_document(
            user_id=who.drafter,
            template_id=_template_id(who.drafter, item.kind, body_name),
            department_id=drafter_department,
            idempotency_key=item.key,
        )
        stop = "distributed" if item.stop == "archived" else item.stop
        while ORDER.index(_step(document_id)) < ORDER.index(stop):
            _advance(item, who, document_id)
            done += 1
        if item.stop == "draft":
            _draft(item, who, document_id)  # saving the same 发文单 and 正文 again changes nothing
        if stop == "distributed":
            _receipts(item, item.title)
        if item.stop == "archived":
            archiving.archive_document(document_id=document_id, user_id=who.clerk)
    return done
