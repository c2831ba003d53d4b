"""Load the demo city 云州市: regions, departments, halls, themes, service items, appointment rules and the
slots they publish, license types with their departments' seals, and demo accounts.

Idempotent: run on every ``make run``; existing rows are kept (an item is found by its implementation
code). Every item goes through catalog.services, so the data-quality rules apply to demo data too.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from tongban.accounts.services import ensure_user
from tongban.accounts.services.users import disable_if_password_opens
from tongban.applications import services as application_services
from tongban.catalog import selectors as catalog_selectors
from tongban.catalog import services as catalog_services
from tongban.catalog.types import (
    FaqData,
    FeeData,
    ItemDraft,
    LegalBasisData,
    MaterialData,
    ProcessStepData,
    SpecialProcedureData,
    UploadedFileData,
)
from tongban.core.calendar import seed_coming_years
from tongban.core.identifiers import make_uscc
from tongban.demo.appointments import load_appointments
from tongban.demo.briefings import load_briefings
from tongban.demo.bundles import load_bundles
from tongban.demo.cases import load_demo_cases
from tongban.demo.consultations import load_consultations
from tongban.demo.disclosure import DISCLOSURE_STAFF, load_disclosure
from tongban.demo.disclosure_requests import load_disclosure_requests
from tongban.demo.documents import load_demo_documents
from tongban.demo.hotline import load_hotline
from tongban.demo.meetings import load_meetings
from tongban.demo.models import DemoCity
from tongban.demo.notices import load_notices
from tongban.demo.pdfs import blank_form_pdf, result_sample_pdf
from tongban.demo.queueing import load_queue
from tongban.demo.received import load_demo_received
from tongban.demo.sharing import DEMO_CITIZEN_ID, DEMO_ENTERPRISE_USCC, load_sharing
from tongban.demo.tracking import load_tracking
from tongban.documents.services import drafting as document_drafting
from tongban.documents.services import incoming as incoming_services
from tongban.identity import services as identity_services
from tongban.licenses import services as license_services
from tongban.office import services as office_services
from tongban.organizations import services as org_services
from tongban.organizations.types import DepartmentRef, HallRef
from tongban.workflow import services as workflow_services

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "Yunzhou-demo-2026"  # noqa: S105 - documented demo password, refused outside DEBUG

THEMES = {
    "natural": "户籍办理 婚姻登记 生育收养 教育入学 医疗卫生 就业创业 社会保障 住房保障 交通出行 出入境 民政救助 退休养老",
    "legal": "企业开办 年检年报 资质认定 税务办理 工程建设 消防安全 质量监督 环境保护 市政设施 企业注销",
}
REVIEW_CONTACT = "云州市人民政府行政复议办公室（云州市锦江区市民大道1号），电话0999-83000012"
LITIGATION_CONTACT = "云州市锦江区人民法院（云州市锦江区法院街5号），电话0999-86100000"
COMPLAINT_ADDRESS = "云州市锦江区市民大道88号 云州市政务服务和数据管理局 督查科"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    kind: str
    description: str
    roles: tuple[tuple[str, str], ...] = ()  # (department key, role)
    resident_id: str = ""  # links the account to the population registry (kept only as a keyed hash)
    uscc: str = ""


def handler_roles(department: str) -> tuple[tuple[str, str], ...]:
    """受理, 审核 and 审批 in one department: every step of the standard and 即办 processes."""
    return ((department, "clerk"), (department, "reviewer"), (department, "approver"))


ACCOUNTS = (
    # Portal accounts log in with their mobile number (the username); staff at /staff/login/ with a name.
    DemoAccount(
        "13800000001",
        "张三",
        "citizen",
        "市民（自然人），在门户用手机号码登录",
        resident_id=DEMO_CITIZEN_ID,
    ),
    DemoAccount(
        "13800000002",
        "云州市青禾餐饮管理有限公司",
        "enterprise",
        "企业（法人），在门户用手机号码登录",
        uscc=DEMO_ENTERPRISE_USCC,
    ),
    # 意见征集 and 在线访谈 (issue 17): two more residents who comment and ask questions.
    DemoAccount("13800000031", "李梅", "citizen", "市民（意见征集留言、在线访谈提问）"),
    DemoAccount("13800000032", "陈晓", "citizen", "市民（意见征集留言、在线访谈提问）"),
    DemoAccount(
        "catalog_admin",
        "周明",
        "staff",
        "市政数局事项管理员（可管理全部部门的事项）",
        roles=(("*", "catalog_editor"),),
    ),
    DemoAccount(
        "civil_clerk",
        "李娜",
        "staff",
        "锦江区民政局受理人员",
        roles=(("jinjiang-civil-affairs", "clerk"), ("jinjiang-civil-affairs", "catalog_editor")),
    ),
    DemoAccount(
        "civil_approver",
        "王强",
        "staff",
        "锦江区民政局审批人员、部门负责人（内部事项的部门负责人审批）",
        roles=(("jinjiang-civil-affairs", "approver"), ("jinjiang-civil-affairs", "department_head")),
    ),
    # The organization tree above 锦江区民政局 (内部事项: 分管领导 is the 部门负责人 one level up,
    # 主要领导 two levels up).
    DemoAccount(
        "jinjiang_leader",
        "孙文",
        "staff",
        "锦江区人民政府负责人（锦江区民政局内部事项的分管领导）",
        roles=(("jinjiang-government", "department_head"),),
    ),
    DemoAccount(
        "city_leader",
        "钱进",
        "staff",
        "云州市人民政府负责人（锦江区民政局内部事项的主要领导）",
        roles=(("city-government", "department_head"),),
    ),
    DemoAccount(
        "market_clerk",
        "赵敏",
        "staff",
        "市市场监管局受理人员",
        roles=(("city-market", "clerk"), ("city-market", "catalog_editor")),
    ),
    DemoAccount("tax_reviewer", "陈刚", "staff", "市税务局审核人员", roles=(("city-tax", "reviewer"),)),
    DemoAccount(
        "civil_reviewer",
        "刘洋",
        "staff",
        "锦江区民政局审核人员",
        roles=(("jinjiang-civil-affairs", "reviewer"),),
    ),
    DemoAccount(
        "market_reviewer", "孙丽", "staff", "市市场监管局审核人员", roles=(("city-market", "reviewer"),)
    ),
    DemoAccount(
        "market_approver",
        "郑伟",
        "staff",
        "市市场监管局审批人员（企业开办并联审批）",
        roles=(("city-market", "approver"),),
    ),
    DemoAccount(
        "market_leader",
        "周正",
        "staff",
        "市市场监管局分管领导（食品生产许可依次审批，在郑伟之后签署）",
        roles=(("city-market", "approver"),),
    ),
    DemoAccount(
        "market_doc_clerk",
        "许文",
        "staff",
        "市市场监管局文书人员（收文签收、登记、传阅、办结；承办本局事项）",
        roles=(("city-market", "document_clerk"),),
    ),
    DemoAccount(
        "market_doc_reviewer",
        "蒋宁",
        "staff",
        "市市场监管局核稿人员（收文拟办）",
        roles=(("city-market", "document_reviewer"),),
    ),
    DemoAccount(
        "market_doc_signer",
        "沈涛",
        "staff",
        "市市场监管局签发领导、部门负责人（收文批示；本局发文的部门核稿和签发，市政府办公室发文的会签）",
        roles=(("city-market", "document_signer"), ("city-market", "department_head")),
    ),
    DemoAccount(
        "market_seal_keeper",
        "吴琳",
        "staff",
        "市市场监管局印章管理员（本局发文用印）",
        roles=(("city-market", "seal_keeper"),),
    ),
    # 发文 of the 市政府办公室 (issue 15): 拟稿 → 部门核稿 → 会签 → 办公室核稿 → 签发 → 编号 → 套红 → 用印 → 分发.
    DemoAccount(
        "office_drafter",
        "林晓",
        "staff",
        "市政府办公室科员（拟稿：从模板新建通知、请示、报告、函、批复、纪要）",
        roles=(("city-government-office", "clerk"),),
    ),
    DemoAccount(
        "office_head",
        "陈志远",
        "staff",
        "市政府办公室主任（部门核稿，可修改正文，修改显示为修订）",
        roles=(("city-government-office", "department_head"),),
    ),
    DemoAccount(
        "office_reviewer",
        "王慧",
        "staff",
        "市政府办公室核稿人员（办公室核稿）",
        roles=(("city-government-office", "document_reviewer"),),
    ),
    DemoAccount(
        "office_signer",
        "刘建国",
        "staff",
        "市政府秘书长（领导签发，手写签批）",
        roles=(("city-government-office", "document_signer"),),
    ),
    DemoAccount(
        "office_doc_clerk",
        "赵静",
        "staff",
        "市政府办公室文书人员（编号、套红、分发、分发情况、撤回；收文签收）",
        roles=(("city-government-office", "document_clerk"),),
    ),
    DemoAccount(
        "market_request_handler",
        "林晓",
        "staff",
        "市市场监管局依申请公开承办（受理、补正、征求第三方意见、申请延期、遮蔽文件、拟写答复）",
        roles=(("city-market", "disclosure_request_handler"),),
    ),
    DemoAccount(
        "market_request_approver",
        "高峰",
        "staff",
        "市市场监管局依申请公开审核签发（延期审批、签发告知书、遮蔽规则、部门年度报告）",
        roles=(("city-market", "disclosure_request_approver"),),
    ),
    DemoAccount(
        "office_request_approver",
        "许静",
        "staff",
        "市政府办公室依申请公开审核签发（政府信息公开工作年度报告）",
        roles=(("city-government-office", "disclosure_request_approver"),),
    ),
    DemoAccount(
        "office_tracking",
        "方敏",
        "staff",
        "市政府办公室督查室督查人员（督办立项、交办、审核办结、延期审批、评价、督办通报）",
        roles=(("city-government-office", "tracking_officer"),),
    ),
    # 意见征集 and 在线访谈 (issue 17): the 市住建局 publishes, the 市政府办公室 moderates for every department.
    DemoAccount(
        "housing_consult_publisher",
        "何静",
        "staff",
        "市住建局征集发布（发布意见征集和在线访谈、答复留言、公布采纳情况）",
        roles=(("city-housing", "consultation_publisher"),),
    ),
    DemoAccount(
        "office_consult_moderator",
        "方圆",
        "staff",
        "市政府办公室留言审核（审核全市意见征集的留言和在线访谈的提问）",
        roles=(("city-government-office", "consultation_moderator"),),
    ),
    DemoAccount(
        "office_seal_keeper",
        "孙红",
        "staff",
        "市政府办公室印章管理员（用印）",
        roles=(("city-government-office", "seal_keeper"),),
    ),
    # 会议 (issue 16): the office's meeting rooms.
    DemoAccount(
        "office_meeting_admin",
        "周敏",
        "staff",
        "市政府办公室会议室管理员（会议室管理；组织本办会议）",
        roles=(("city-government-office", "meeting_admin"), ("city-government-office", "clerk")),
    ),
    # 政务信息报送 (issue 16): the office's 信息编辑 and two units' 信息员.
    DemoAccount(
        "office_info_editor",
        "邓雪",
        "staff",
        "市政府办公室信息编辑（采用、退修、编发《云州政务信息》、传阅、考核计分）",
        roles=(("city-government-office", "briefing_editor"),),
    ),
    DemoAccount(
        "market_info_reporter",
        "黎明",
        "staff",
        "市市场监管局信息员（报送政务信息，退修后重报）",
        roles=(("city-market", "briefing_reporter"),),
    ),
    DemoAccount(
        "education_info_reporter",
        "唐悦",
        "staff",
        "市教育局信息员（报送政务信息）",
        roles=(("city-education", "briefing_reporter"),),
    ),
    DemoAccount(
        "tax_doc_clerk",
        "韩梅",
        "staff",
        "市税务局文书人员（收文承办）",
        roles=(("city-tax", "document_clerk"),),
    ),
    DemoAccount(
        "tax_approver",
        "吴静",
        "staff",
        "市税务局审批人员（企业开办并联审批）",
        roles=(("city-tax", "approver"),),
    ),
    DemoAccount(
        "social_approver",
        "黄磊",
        "staff",
        "市社保中心审批人员（企业开办并联审批）",
        roles=(("city-social-insurance", "approver"),),
    ),
    DemoAccount(
        "police_approver",
        "何军",
        "staff",
        "市公安局审批人员（公章刻制备案）",
        roles=(("city-public-security", "approver"),),
    ),
    DemoAccount(
        "market_supervisor",
        "马骏",
        "staff",
        "市市场监管局电子监察人员",
        roles=(("city-market", "supervisor"),),
    ),
    DemoAccount(
        "city_supervisor",
        "林芳",
        "staff",
        "市政数局电子监察（全市）",
        roles=(("city-data-bureau", "city_supervisor"),),
    ),
    DemoAccount(
        "process_admin",
        "高远",
        "staff",
        "市政数局流程管理员（上传流程定义）",
        roles=(("city-data-bureau", "department_admin"),),
    ),
    DemoAccount(
        "city_admin",
        "沈洁",
        "staff",
        "市政数局系统管理员（管理全市各部门的工作人员，查看岗位配置检查）",
        roles=(("city-data-bureau", "city_admin"),),
    ),
    # 三权分立 (issue 20): the 安全管理员 and the 审计管理员 are other people than the 系统管理员.
    DemoAccount(
        "security_admin",
        "严谨",
        "staff",
        "市政数局安全管理员（岗位与授权、安全策略；不兼任系统管理员或审计管理员）",
        roles=(("city-data-bureau", "security_admin"),),
    ),
    DemoAccount(
        "audit_admin",
        "钱审",
        "staff",
        "市政数局审计管理员（检索、导出审计日志，不做其他管理）",
        roles=(("city-data-bureau", "audit_admin"),),
    ),
    # Region-scoped administration (issue 20): each county's 系统管理员 keeps its own departments, staff,
    # items and processes, and sees nothing of the other county's.
    DemoAccount(
        "jinjiang_admin",
        "林川",
        "staff",
        "锦江区系统管理员（锦江区及其街道、社区的部门、人员、事项和流程）",
        roles=(("jinjiang-government", "region_admin"),),
    ),
    DemoAccount(
        "qingshan_admin",
        "方青",
        "staff",
        "青山区系统管理员（青山区及其街道的部门、人员、事项和流程）",
        roles=(("qingshan-civil-affairs", "region_admin"),),
    ),
    DemoAccount(
        "market_admin",
        "钟华",
        "staff",
        "市市场监管局部门管理员（本局工作人员、流程监控、岗位配置检查）",
        roles=(("city-market", "department_admin"),),
    ),
    # Every other department with online items: someone for each step of its items' processes (the
    # readiness check lists nothing for the demo city). One person holds 受理, 审核 and 审批 here; a
    # real department gives them to different people.
    DemoAccount("tax_clerk", "许晴", "staff", "市税务局受理人员", roles=(("city-tax", "clerk"),)),
    DemoAccount(
        "social_clerk",
        "冯超",
        "staff",
        "市社保中心受理和审核人员",
        roles=(("city-social-insurance", "clerk"), ("city-social-insurance", "reviewer")),
    ),
    DemoAccount(
        "police_clerk", "曹阳", "staff", "市公安局受理人员", roles=(("city-public-security", "clerk"),)
    ),
    DemoAccount(
        "traffic_clerk", "邓涛", "staff", "市交警支队受理人员", roles=(("city-ps-traffic", "clerk"),)
    ),
    DemoAccount(
        "household_staff", "彭丹", "staff", "市户政支队办件人员", roles=handler_roles("city-ps-household")
    ),
    DemoAccount(
        "exit_entry_staff", "蒋琳", "staff", "市出入境支队办件人员", roles=handler_roles("city-ps-exit-entry")
    ),
    DemoAccount("hr_staff", "韩梅", "staff", "市人社局办件人员", roles=handler_roles("city-hr-social")),
    DemoAccount(
        "health_staff",
        "杨帆",
        "staff",
        "市卫健委办件人员、文书人员（待签收市政府办公室来文）",
        roles=(*handler_roles("city-health"), ("city-health", "document_clerk")),
    ),
    DemoAccount(
        "medical_staff", "朱婷", "staff", "市医保局办件人员", roles=handler_roles("city-medical-security")
    ),
    DemoAccount(
        "education_staff",
        "秦岚",
        "staff",
        "市教育局办件人员、文书人员（待签收市政府办公室来文）",
        roles=(*handler_roles("city-education"), ("city-education", "document_clerk")),
    ),
    DemoAccount("housing_staff", "尤军", "staff", "市住建局办件人员", roles=handler_roles("city-housing")),
    DemoAccount(
        "fund_staff", "吕萍", "staff", "市公积金中心办件人员", roles=handler_roles("city-housing-fund")
    ),
    DemoAccount(
        "transport_staff", "施磊", "staff", "市交通局办件人员", roles=handler_roles("city-transport")
    ),
    DemoAccount(
        "ecology_staff", "张静", "staff", "市生态环境局办件人员", roles=handler_roles("city-ecology")
    ),
    DemoAccount("fire_staff", "孔亮", "staff", "市消防救援支队办件人员", roles=handler_roles("city-fire")),
    DemoAccount(
        "resources_staff",
        "严冬",
        "staff",
        "市自然资源局办件人员",
        roles=handler_roles("city-natural-resources"),
    ),
    DemoAccount(
        "urban_staff", "华勇", "staff", "市城管局办件人员", roles=handler_roles("city-urban-management")
    ),
    DemoAccount(
        "jinjiang_police_staff",
        "金鹏",
        "staff",
        "锦江分局办件人员",
        roles=handler_roles("jinjiang-public-security"),
    ),
    DemoAccount(
        "jinjiang_hr_staff",
        "魏霞",
        "staff",
        "锦江区人社局办件人员",
        roles=handler_roles("jinjiang-hr-social"),
    ),
    DemoAccount(
        "jinjiang_market_clerk",
        "陶然",
        "staff",
        "锦江区市场监管局受理人员",
        roles=(("jinjiang-market", "clerk"),),
    ),
    DemoAccount(
        "jinjiang_education_staff",
        "姜薇",
        "staff",
        "锦江区教育局办件人员",
        roles=handler_roles("jinjiang-education"),
    ),
    DemoAccount(
        "jinjiang_tax_clerk", "戚斌", "staff", "锦江区税务局受理人员", roles=(("jinjiang-tax", "clerk"),)
    ),
    DemoAccount(
        "qingshan_market_staff",
        "谢飞",
        "staff",
        "青山区市场监管局办件人员",
        roles=handler_roles("qingshan-market"),
    ),
    DemoAccount(
        "donghu_staff",
        "邹敏",
        "staff",
        "东湖街道便民服务中心办件人员",
        roles=handler_roles("donghu-service-center"),
    ),
    DemoAccount(
        "nanmen_staff",
        "喻红",
        "staff",
        "南门街道便民服务中心办件人员",
        roles=handler_roles("nanmen-service-center"),
    ),
    DemoAccount(
        "taoyuan_staff",
        "柏青",
        "staff",
        "桃源街道便民服务中心办件人员",
        roles=handler_roles("taoyuan-service-center"),
    ),
    DemoAccount(
        "chengguan_clerk",
        "窦芳",
        "staff",
        "城关镇便民服务中心受理人员",
        roles=(("chengguan-service-center", "clerk"),),
    ),
    DemoAccount(
        "hr_admin",
        "钱进",
        "staff",
        "锦江区人社局部门管理员（人员管理：添加本局人员、授予岗位）",
        roles=(("jinjiang-hr-social", "department_admin"),),
    ),
    # 12345 (issue 17): the centre is 市政数局 (city-data-bureau); handlers in two district 市场监管局 and
    # two city departments.
    DemoAccount(
        "hotline_agent",
        "邱月",
        "staff",
        "12345话务员（市政数局）",
        roles=(("city-data-bureau", "hotline_agent"),),
    ),
    DemoAccount(
        "hotline_dispatcher",
        "龚磊",
        "staff",
        "12345派单员（市政数局）",
        roles=(("city-data-bureau", "hotline_dispatcher"), ("city-data-bureau", "hotline_agent")),
    ),
    DemoAccount(
        "hotline_jinjiang",
        "苏敏",
        "staff",
        "锦江区市场监管局12345承办人员",
        roles=(("jinjiang-market", "hotline_handler"),),
    ),
    DemoAccount(
        "hotline_qingshan",
        "钱勇",
        "staff",
        "青山区市场监管局12345承办人员",
        roles=(("qingshan-market", "hotline_handler"),),
    ),
    DemoAccount(
        "hotline_urban",
        "严军",
        "staff",
        "市城管局12345承办人员",
        roles=(("city-urban-management", "hotline_handler"),),
    ),
    DemoAccount(
        "hotline_housing",
        "方琳",
        "staff",
        "市住建局12345承办人员",
        roles=(("city-housing", "hotline_handler"),),
    ),
    # 政务公开: each of eight departments' 信息公开编辑, 保密审查员, 公开审核领导 (market_disclosure_editor …)
    # and the general office's 政务公开管理员 office_disclosure_admin (tongban.demo.disclosure).
    *(
        DemoAccount(username, name, "staff", about, roles=roles)
        for username, name, about, roles in DISCLOSURE_STAFF
    ),
)
# 食品生产许可: the section head and then the deputy director sign 审批 in turn (依次签署).
SEQUENTIAL_DECISION_ITEM = "食品生产许可"
# 企业开办: the market regulator's registration runs in parallel with tax, social insurance and the
# police's seal registration (并联审批); each lane of the shipped model goes to one department.
JOINT_STARTUP = {
    "item": "有限责任公司设立登记",
    "lanes": {"税务": "city-tax", "社保": "city-social-insurance", "公章刻制": "city-public-security"},
}


@dataclass
class LoadReport:
    departments: int = 0
    halls: int = 0
    items_created: int = 0
    items_existing: int = 0
    appointment_slots_created: int = 0
    exchange_clients: list = field(default_factory=list)  # (system name, ClientCredentials), DEBUG only


def _load_json(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def load_organizations() -> tuple[dict[str, DepartmentRef], dict[str, HallRef]]:
    data = _load_json("organizations.json")
    for region in data["regions"]:
        org_services.upsert_region(
            code=region["code"], name=region["name"], level=region["level"], parent_code=region["parent"]
        )
    departments: dict[str, DepartmentRef] = {}
    for number, department in enumerate(data["departments"], start=1):
        parent = departments[department["parent"]] if department["parent"] else None
        departments[department["key"]] = org_services.upsert_department(
            name=department["name"],
            short_name=department["short_name"],
            # 11 = registered by the establishment office (机构编制), kind 机关; a body unique per department.
            uscc=make_uscc(
                registry="1",
                kind="1",
                region_code=department["region"][:6],
                organization_body=f"{number:08d}",
            ),
            region_code=department["region"],
            parent_id=parent.id if parent else None,
            phone=department["phone"],
        )
    halls: dict[str, HallRef] = {}
    for hall in data["halls"]:
        halls[hall["key"]] = org_services.upsert_hall(
            name=hall["name"],
            region_code=hall["region"],
            address=hall["address"],
            hours=hall["hours"],
            phone=hall["phone"],
            directions=hall["directions"],
            windows=[
                org_services.WindowSpec(
                    number=w["number"],
                    name=w["name"],
                    department_ids=tuple(departments[key].id for key in w["departments"]),
                )
                for w in hall["windows"]
            ],
        )
    return departments, halls


def load_themes() -> None:
    for audience, names in THEMES.items():
        for order, name in enumerate(names.split(), start=1):
            catalog_services.ensure_theme(name=name, audience=audience, sort_order=order)


def application_form(raw: dict) -> dict:
    """The item's own form (data/forms/<key>.json) or the standard one for its applicants."""
    own = DATA_DIR / "forms" / f"{raw['key']}.json"
    if own.exists():
        return _load_json(f"forms/{raw['key']}.json")
    return _load_json(
        "forms/legal_person.json" if raw["targets"] == ["legal"] else "forms/natural_person.json"
    )


def item_draft(raw: dict, *, department: DepartmentRef, hall: HallRef | None) -> ItemDraft:
    """An ItemDraft from one entry of an items_*.json file (format: data/README.md)."""
    for_legal_person = raw["targets"] == ["legal"]
    materials = tuple(
        MaterialData(
            name=m["name"],
            material_type=m["material_type"],
            form=m["form"],
            necessity=m["necessity"],
            source=m["source"],
            originals=m["originals"],
            copies=m["copies"],
            notes=m["notes"],
            basis=m["basis"],
            allowed_types=tuple(m["allowed_types"]),
            max_size_mb=m["max_size_mb"],
            blank_form=UploadedFileData(
                name=f"{raw['key']}-{index}.pdf",
                content=blank_form_pdf(
                    title=m["name"],
                    item_name=raw["name"],
                    department=department.name,
                    for_legal_person=for_legal_person,
                ),
            )
            if m["has_blank_form"]
            else None,
        )
        for index, m in enumerate(raw["materials"], start=1)
    )
    result_sample = (
        UploadedFileData(
            name=f"{raw['key']}-sample.pdf",
            content=result_sample_pdf(
                result_name=raw["result_name"], item_name=raw["name"], department=department.name
            ),
        )
        if raw["result_type"] != "none"
        else None
    )
    copied = {
        key: raw[key]
        for key in [
            "name",
            "kind",
            "power_source",
            "exercise_level",
            "summary",
            "acceptance_conditions",
            "rights_obligations",
            "statutory_limit",
            "statutory_limit_unit",
            "promised_limit",
            "promised_limit_unit",
            "is_instant",
            "is_charged",
            "fee_basis",
            "online_payment",
            "accepts_at_window",
            "accepts_online",
            "accepts_by_post",
            "online_depth",
            "site_visits",
            "site_visit_reason",
            "hours",
            "supports_appointment",
            "appointment_daily_quota",
            "materials_by_post",
            "result_by_post",
            "result_type",
            "result_name",
            "consultation_phone",
            "complaint_phone",
        ]
    }
    form = application_form(raw) if raw["accepts_online"] else {"schema": {}, "ui_schema": {}}
    return ItemDraft(
        **copied,
        form_schema=form["schema"],
        ui_schema=form["ui_schema"],
        serves_natural_persons="natural" in raw["targets"],
        serves_legal_persons="legal" in raw["targets"],
        hall_id=hall.id if hall else None,
        review_contact=REVIEW_CONTACT,
        litigation_contact=LITIGATION_CONTACT,
        complaint_address=COMPLAINT_ADDRESS,
        cross_region_scope="city" if raw["online_depth"] == 4 else "none",
        theme_names=tuple(raw["themes"]),
        result_sample=result_sample,
        legal_bases=tuple(
            LegalBasisData(
                law_name=lb["law_name"],
                document_number=lb["document_number"],
                article=lb["article"],
                text=lb["text"],
                issuer=lb["issuer"],
                issued_on=dt.date.fromisoformat(lb["issued_on"]) if lb.get("issued_on") else None,
            )
            for lb in raw["legal_bases"]
        ),
        special_procedures=tuple(SpecialProcedureData(**sp) for sp in raw.get("special_procedures", [])),
        steps=tuple(ProcessStepData(**step) for step in raw["steps"]),
        materials=materials,
        fees=tuple(FeeData(**fee) for fee in raw["fees"]),
        faqs=tuple(FaqData(**faq) for faq in raw["faqs"]),
    )


def load_items(departments: dict[str, DepartmentRef], halls: dict[str, HallRef], report: LoadReport) -> None:
    for path in sorted(DATA_DIR.glob("items_*.json")):
        for raw in json.loads(path.read_text(encoding="utf-8"))["items"]:
            department = departments[raw["department"]]
            code = department.uscc + raw["basic_code"]
            if catalog_selectors.guide_version(code) is not None:
                report.items_existing += 1
                continue
            ref = catalog_services.create_item(
                department_id=department.id,
                basic_code=raw["basic_code"],
                implementation_code=code,
                draft=item_draft(raw, department=department, hall=halls.get(raw["hall"])),
                actor_id=None,
            )
            catalog_services.publish_version(version_id=ref.version_id, actor_id=None)
            report.items_created += 1


def load_licenses(departments: dict[str, DepartmentRef]) -> None:
    """License types (data/licenses.json) bound to their items; each issuing department gets a seal whose
    key is made now by the configured signer (never shipped in the repository)."""
    for raw in _load_json("licenses.json")["license_types"]:
        department = departments[raw["department"]]
        license_services.ensure_seal(department_id=department.id)
        type_id = license_services.ensure_license_type(
            department_id=department.id,
            code=raw["code"],
            name=raw["name"],
            holder_kind=raw["holder_kind"],
            validity_years=raw["validity_years"],
            face_fields=raw["face_fields"],
            holder_name_source=raw.get("holder_name_source", ""),
            holder_code_source=raw.get("holder_code_source", ""),
        )
        for basic_code in raw["items"]:
            version = catalog_selectors.guide_version(department.uscc + basic_code)
            if version is None:
                raise ImproperlyConfigured(f"licenses.json names an unknown item {basic_code}")
            license_services.bind_item(item_id=version.item_id, license_type_id=type_id)


def load_accounts(departments: dict[str, DepartmentRef]) -> None:
    """The demo accounts, all with DEMO_PASSWORD. The database is marked first (DemoCity), so that
    production refuses it even if loading stops half-way (demo.E001, T-A10)."""
    DemoCity.objects.update_or_create(pk=1, defaults={"loaded_at": timezone.now()})
    for account in ACCOUNTS:
        user = ensure_user(
            username=account.username,
            full_name=account.full_name,
            kind=account.kind,
            password=DEMO_PASSWORD,
            phone=account.username if account.kind != "staff" else "",
            resident_id=account.resident_id,
            uscc=account.uscc,
        )
        for department_key, role in account.roles:
            targets = departments.values() if department_key == "*" else [departments[department_key]]
            for department in targets:
                org_services.assign_role(user_id=user.id, department_id=department.id, role=role)


@dataclass(frozen=True)
class RemovalReport:
    disabled: list[str]  # demo accounts disabled now
    kept: list[str]  # demo usernames still active: their password is no longer the published one


def remove_demo_accounts() -> RemovalReport:
    """Disable every demo account that DEMO_PASSWORD still opens (inactive, no usable password) and
    remove the DemoCity mark, after which production starts on this database (T-A10). The demo city's
    departments, items and cases stay; an account whose password was changed is kept, and named."""
    outcomes = {
        account.username: disable_if_password_opens(username=account.username, password=DEMO_PASSWORD)
        for account in ACCOUNTS
    }
    DemoCity.objects.all().delete()
    return RemovalReport(
        disabled=[name for name, outcome in outcomes.items() if outcome == "disabled"],
        kept=[name for name, outcome in outcomes.items() if outcome == "kept"],
    )


def load_demo_city(*, with_accounts: bool = True, with_documents: bool = True) -> LoadReport:
    """Load everything. Demo accounts have a published password, so they exist only in DEBUG (T-A10).
    ``with_documents=False`` leaves out the 发文 driven through every step (demo/documents.py, about
    half of a first load): for tests that need the demo's people but not its 公文."""
    if with_accounts and not settings.DEBUG:
        raise ImproperlyConfigured("演示账户只能在开发模式（TONGBAN_DEBUG=true）下创建。")
    seed_coming_years()
    departments, halls = load_organizations()
    load_themes()
    report = LoadReport(departments=len(departments), halls=len(halls))
    load_items(departments, halls, report)
    bind_processes(departments)
    load_internal_processes()
    incoming_services.install_incoming_process()  # 收文办理 (公文)
    document_drafting.install_process()  # 发文 (document_outgoing, family document)
    report.appointment_slots_created = load_appointments(halls).created
    load_licenses(departments)
    load_bundles()  # 一件事 (issue 19)
    clients = load_sharing(departments)
    if settings.DEBUG:  # client secrets are printed only in development
        report.exchange_clients = clients
    if with_accounts:
        load_accounts(departments)
        load_demo_cases()
        load_queue()
        load_demo_received()
        load_tracking()
        load_notices()
        if with_documents:
            load_demo_documents()
        load_meetings()
        load_briefings()
        load_disclosure_requests()
        load_consultations()
        load_hotline()
        load_disclosure()
        identity_services.load_demo_relying_party()  # 统一身份认证: 市档案馆 业务系统
    return report


# 内部事项 the demo city runs (docs/process-models.md): drawn in the designer and saved as its output.
INTERNAL_PROCESSES = ("office_report", "office_leave", "office_seal", "office_purchase")


def load_internal_processes() -> list[int]:
    """The demo's internal processes (family internal) and the forms they name; idempotent."""
    office_services.install_shipped_forms()
    return [
        workflow_services.install_definition(
            key=key, data=(DATA_DIR / "processes" / f"{key}.bpmn").read_bytes(), family="internal"
        )
        for key in INTERNAL_PROCESSES
    ]


def bind_processes(departments: dict[str, DepartmentRef]) -> None:
    item = catalog_selectors.published_item_by_name(JOINT_STARTUP["item"])
    if item is not None:
        application_services.bind_item_process(
            item_id=item.item_id,
            definition_key="joint_startup",
            lane_departments={lane: departments[key].id for lane, key in JOINT_STARTUP["lanes"].items()},
        )
    item = catalog_selectors.published_item_by_name(SEQUENTIAL_DECISION_ITEM)
    if item is not None:
        application_services.bind_item_process(
            item_id=item.item_id, definition_key="sequential_decision", lane_departments={}
        )
