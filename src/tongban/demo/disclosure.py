"""The demo city's 政府信息公开目录: eight departments, each with its 信息公开编辑, 保密审查员 and 公开审核
领导 (``DISCLOSURE_STAFF``, made DemoAccounts by the loader) and the general office's 政务公开管理员;
six or seven items per department spread over 2026 (categories varied, a few 失效/废止, two published
late, two overdue still in review, one due soon), a 政府信息公开指南 per department and a 季点评.

Every item goes through the services (拟稿, 送审, 保密审查, 领导审核); its dates are then set to those
a year of use would have given (the services stamp today). Idempotent: fixed idempotency keys, and an
item already there is left alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tongban.accounts.selectors import user_id_by_username
from tongban.disclosure import selectors as disclosure_selectors
from tongban.disclosure import services as disclosure_services
from tongban.disclosure.models import DisclosureItem
from tongban.disclosure.rules import ItemFields
from tongban.organizations.selectors import department_by_name
from tongban.workflow import selectors as workflow_selectors

# (prefix, department key, department name, editor, reviewer, approver)
DEPARTMENTS = (
    ("market", "city-market", "云州市市场监督管理局", "韩雪", "冯涛", "邓建国"),
    ("education", "city-education", "云州市教育局", "许丽", "曹阳", "彭志强"),
    ("housing", "city-housing", "云州市住房和城乡建设局", "吕婷", "苏斌", "蒋卫东"),
    ("urban", "city-urban-management", "云州市城市管理和综合执法局", "丁玲", "魏鹏", "薛海"),
    ("ecology", "city-ecology", "云州市生态环境局", "叶青", "阎峰", "余立新"),
    ("hrsocial", "city-hr-social", "云州市人力资源和社会保障局", "潘悦", "杜明", "戴红军"),
    ("transport", "city-transport", "云州市交通运输局", "夏雨", "钟磊", "汪德胜"),
    ("office", "city-government-office", "云州市人民政府办公室", "田甜", "任杰", "姜永平"),
)

# (username, full name, description, ((department key, role), …)) — the loader makes DemoAccounts.
DISCLOSURE_STAFF: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = tuple(
    entry
    for prefix, key, name, editor, reviewer, approver in DEPARTMENTS
    for entry in (
        (
            f"{prefix}_disclosure_editor",
            editor,
            f"{name}信息公开编辑（主动公开拟稿、送审）",
            ((key, "disclosure_editor"),),
        ),
        (
            f"{prefix}_disclosure_reviewer",
            reviewer,
            f"{name}保密审查员",
            ((key, "disclosure_secrecy_reviewer"),),
        ),
        (
            f"{prefix}_disclosure_approver",
            approver,
            f"{name}公开审核领导（审核发布、公开指南）",
            ((key, "disclosure_approver"),),
        ),
    )
)
DISCLOSURE_STAFF = (
    *DISCLOSURE_STAFF,
    (
        "office_disclosure_admin",
        "严慧",
        "市政府办公室政务公开办政务公开管理员（全市公开时效、月通报、季点评、公开指南）",
        (("city-government-office", "disclosure_admin"),),
    ),
)


@dataclass(frozen=True)
class DemoItem:
    title: str
    category: str
    changed: tuple[int, int]  # (month, day) in 2026 the information was formed or changed
    kind: str = ""
    topic: str = "general"
    number: str = ""
    key_area: str = ""
    state: str = "published"  # published, late (published after its deadline), review, overdue, soon, draft
    validity: str = "valid"
    validity_on: tuple[int, int] | None = None
    body: str = ""


def _items(prefix: str, short: str, topic: str, code: str) -> list[DemoItem]:
    """Six or seven entries of a department: its functions, a normative document and its
    interpretation, a plan, the budget, a personnel notice, a service guide or a key-area item."""
    return [
        DemoItem(
            f"{short}主要职责和内设机构",
            "functions",
            (1, 8),
            topic=topic,
            body=f"{short}是市人民政府工作部门。主要职责：贯彻执行国家和省有关法律法规……内设办公室、法规科、业务科室等。",
        ),
        DemoItem(
            f"{short}2026年部门预算公开",
            "budget",
            (2, 10),
            topic="finance",
            body="2026年部门预算收入总计按人大批准数执行，其中一般公共预算拨款占九成以上。",
            state="late" if prefix in ("market", "housing") else "published",
        ),
        DemoItem(
            f"关于印发《云州市{short.removeprefix('市')}领域行政规范性文件管理办法》的通知",
            "policy",
            (3, 16),
            kind="normative",
            topic=topic,
            number=f"云{code}规〔2026〕1号",
            body="第一条 为规范行政规范性文件制定和监督管理工作，制定本办法。",
        ),
        DemoItem(
            f"《云州市{short.removeprefix('市')}领域行政规范性文件管理办法》政策解读",
            "policy",
            (3, 20),
            kind="interpretation",
            topic=topic,
            body="一、制定背景；二、主要内容；三、适用范围；四、施行时间。",
        ),
        DemoItem(
            f"{short}2026年工作要点",
            "planning",
            (4, 7),
            topic=topic,
            body="围绕全市中心工作，重点抓好以下十个方面。",
        ),
        DemoItem(
            f"{short}2026年公开招聘工作人员公告",
            "personnel",
            (5, 12),
            topic="labour",
            body="经研究，决定公开招聘工作人员。报名时间、报名条件和考试安排如下。",
        ),
        DemoItem(
            f"关于废止《{short}行政处罚裁量基准（2021年版）》的决定",
            "policy",
            (6, 3),
            kind="other_policy",
            topic=topic,
            number=f"云{code}发〔2026〕6号",
            validity="repealed",
            validity_on=(6, 3),
            body="经清理，决定废止该裁量基准，自本决定印发之日起施行。",
        ),
        DemoItem(
            f"{short}“双随机、一公开”抽查计划（第四季度）",
            "key_areas",
            (9, 21),
            key_area="双随机一公开",
            topic=topic,
            state="overdue" if prefix in ("education", "ecology") else "published",
            body="按照年度抽查工作计划，第四季度拟对以下领域开展随机抽查。",
        ),
        DemoItem(
            f"{short}2026年11月政务服务事项调整情况",
            "services",
            (11, 20),
            topic=topic,
            state="soon" if prefix == "market" else ("review" if prefix == "transport" else "published"),
            body="根据权责清单动态调整，新增、取消和变更政务服务事项如下。",
        ),
    ]


TOPICS = {
    "market": ("market", "市监"),
    "education": ("science", "教"),
    "housing": ("construction", "建"),
    "urban": ("construction", "城管"),
    "ecology": ("construction", "环"),
    "hrsocial": ("labour", "人社"),
    "transport": ("industry", "交"),
    "office": ("general", "府办"),
}

GUIDE = """一、主动公开
（一）公开范围：本机关依照《中华人民共和国政府信息公开条例》第十九条、第二十条的规定主动公开政府信息，具体见本机关政府信息公开目录。
（二）公开方式：通过云州市人民政府门户网站“政务公开”栏目公开，并根据需要通过政务新媒体、新闻发布会等方式公开。
（三）公开时限：属于主动公开范围的政府信息，自该信息形成或者变更之日起20个工作日内予以公开。

二、依申请公开
公民、法人或者其他组织可以通过门户网站在线提交政府信息公开申请。本机关自收到申请之日起20个工作日内答复；需要延长答复期限的，经负责人同意并告知申请人，延长期限最长不超过20个工作日。

三、监督和救济
公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向云州市人民政府办公室政务公开办投诉、举报，也可以依法申请行政复议或者提起行政诉讼。

受理机构：{name}办公室　联系电话：{phone}"""


def _date(month: int, day: int, today: dt.date) -> dt.date:
    return min(dt.date(2026, month, day), today)


def _advance(item_id: int, users: dict[str, int], target: str) -> None:
    """Take a fresh draft through the review up to ``target`` (published, or in review)."""
    subject = DisclosureItem.objects.get(pk=item_id).subject

    def step(element: str, user: int) -> None:
        task = next(t for t in workflow_selectors.open_tasks_of(subject) if t.element_id == element)
        disclosure_services.handle_step(task_id=task.id, user_id=user, opinion="")

    if target == "draft":
        return
    step("draft", users["editor"])
    if target == "review":
        return
    step("secrecy_review", users["reviewer"])
    step("approval", users["approver"])


def load_disclosure() -> int:
    """Create the demo catalogue's items not there yet; returns how many were created. Needs the demo
    accounts; without them, nothing."""
    disclosure_services.install_process()
    today = timezone.localdate()
    created = 0
    for prefix, _key, name, *_names in DEPARTMENTS:
        department = department_by_name(name)
        users = {
            role: user_id_by_username(f"{prefix}_disclosure_{role}")
            for role in ("editor", "reviewer", "approver")
        }
        if department is None or None in users.values():
            continue
        ids = {role: int(user or 0) for role, user in users.items()}
        topic, code = TOPICS[prefix]
        short = department.short_name or name
        for n, entry in enumerate(_items(prefix, short, topic, code)):
            key = f"demo-disclosure-{prefix}-{n}"
            if DisclosureItem.objects.filter(author_id=ids["editor"], idempotency_key=key).exists():
                continue
            created += _load_item(entry, department_id=department.id, users=ids, key=key, today=today)
        if disclosure_selectors.guide_of(department.id) is None:
            disclosure_services.save_guide(
                user_id=ids["approver"],
                department_id=department.id,
                body=GUIDE.format(name=name, phone=department.phone or "0999-12345"),
            )
    _load_review(today)
    return created


def _load_item(
    entry: DemoItem, *, department_id: int, users: dict[str, int], key: str, today: dt.date
) -> int:
    changed = _date(*entry.changed, today)
    if entry.state == "soon":
        changed = today - dt.timedelta(days=22)  # about 16 working days ago: due within a week
    elif entry.state == "overdue":
        changed = min(changed, today - dt.timedelta(days=45))
    fields = ItemFields(
        category=entry.category,
        policy_kind=entry.kind,
        key_area=entry.key_area,
        title=entry.title,
        body=entry.body,
        document_number=entry.number,
        written_on=changed,
        topic=entry.topic,
        changed_on=changed,
    )
    item_id = disclosure_services.create_item(
        user_id=users["editor"], department_id=department_id, fields=fields, idempotency_key=key
    )
    target = {
        "published": "published",
        "late": "published",
        "review": "review",
        "overdue": "review",
        "soon": "draft",
    }[entry.state]
    _advance(item_id, users, target)
    # The dates a year of use would have given (the services stamp today).
    updates: dict[str, object] = {"changed_on": changed}
    if target == "published":
        due = disclosure_selectors.due_date(changed)
        published_on = min(
            due + dt.timedelta(days=12) if entry.state == "late" else changed + dt.timedelta(days=5), today
        )
        published_at = timezone.make_aware(dt.datetime.combine(published_on, dt.time(10, 0)))
        updates |= {
            "published_on": published_on,
            "first_published_on": published_on,
            "published_at": published_at,
        }
        if entry.validity != "valid" and entry.validity_on:
            updates |= {
                "validity": entry.validity,
                "validity_changed_on": max(_date(*entry.validity_on, today), published_on),
            }
    DisclosureItem.objects.filter(pk=item_id).update(**updates)
    return 1


def _load_review(today: dt.date) -> None:
    admin = user_id_by_username("office_disclosure_admin")
    market = department_by_name("云州市市场监督管理局")
    if admin is None or market is None:
        return
    quarter = (today.month - 1) // 3 + 1
    disclosure_services.save_quarterly_review(
        user_id=admin,
        department_id=market.id,
        year=today.year,
        quarter=quarter,
        text="本季度主动公开信息总体及时，部门预算公开逾期，政务服务事项调整信息临近期限，请抓紧审核发布。",
    )
